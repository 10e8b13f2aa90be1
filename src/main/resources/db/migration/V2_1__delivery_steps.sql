-- Sub-steps of a delivery that are done once (io.leadhub.dispatch.DeliverySteps): a connector that writes more
-- than one CRM object per lead (HubSpot contact + deal + call + note, one POST per webhook subscriber) records
-- each finished step, so a redelivery after a partial failure skips what is already done instead of duplicating it.
-- Portable SQL: runs on PostgreSQL and on H2.
CREATE TABLE delivery_steps (
    tenant         VARCHAR(64)  NOT NULL,
    destination_id VARCHAR(64)  NOT NULL,
    -- what the step is done once for: the LeadHub event id, or e.g. 'contact:<CRM contact id>'
    subject        VARCHAR(200) NOT NULL,
    step           VARCHAR(100) NOT NULL,
    crm_record_id  VARCHAR(128),
    detail         VARCHAR(500),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, destination_id, subject, step)
);
