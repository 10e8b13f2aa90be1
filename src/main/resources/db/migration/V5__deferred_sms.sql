-- A deferred send_sms keeps the message it will send once the quiet hours end (JSON {"to","from","body"}), so the
-- drain (route workflow-deferred-actions) sends exactly what the trigger rendered, without the lead event.
-- status 'sending' = claimed by a drain run (one instance), not finished.
ALTER TABLE workflow_actions ADD COLUMN payload VARCHAR(4000);
CREATE INDEX workflow_actions_due ON workflow_actions (status, due_at);
