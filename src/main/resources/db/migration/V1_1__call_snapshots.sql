-- Latest merged state of each call, so that the events of one call (CallRail pre-call, post-call, call modified;
-- Perfex call_completed, call_transcribed, ai_analysis_complete) give the same result whatever order they arrive in.
-- Rows older than leadhub.call-snapshots.retention-days are purged by the call-snapshot-purge route.
CREATE TABLE call_snapshots (
    tenant     VARCHAR(64)  NOT NULL,
    source     VARCHAR(32)  NOT NULL,
    call_id    VARCHAR(200) NOT NULL,
    event_rank INTEGER      NOT NULL,
    call_json  TEXT         NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, source, call_id)
);
CREATE INDEX call_snapshots_updated ON call_snapshots (updated_at);
