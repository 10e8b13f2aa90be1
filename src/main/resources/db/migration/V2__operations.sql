-- Operations: dead letter resolution (replay / discard) and delivery search by contact.
ALTER TABLE dead_letters ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dead_letters ADD COLUMN resolution VARCHAR(2000);
CREATE INDEX dead_letters_status ON dead_letters (status, created_at);

ALTER TABLE deliveries ADD COLUMN contact_id VARCHAR(36);
CREATE INDEX deliveries_contact ON deliveries (contact_id);
CREATE INDEX deliveries_crm_record ON deliveries (crm_record_id);
