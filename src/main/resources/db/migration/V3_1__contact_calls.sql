-- Call history per contact for the contact lookup and call context APIs (one row per enriched event;
-- call metadata and the analysis as JSON, never the transcript).
CREATE TABLE contact_calls (
    event_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant      VARCHAR(64)  NOT NULL,
    contact_id  VARCHAR(36)  NOT NULL,
    source      VARCHAR(64),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    call_json   TEXT,
    ai_json     TEXT
);
CREATE INDEX contact_calls_contact ON contact_calls (contact_id, received_at);
