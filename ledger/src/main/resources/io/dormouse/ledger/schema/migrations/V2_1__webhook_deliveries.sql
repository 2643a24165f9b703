-- The webhook outbox as the operator's leader uses it: one row per (event, subscriber), so one
-- event fans out to several Webhooks under the same id (receivers deduplicate by it). Numbered
-- 2.1 so that another change's V2 can land beside it.
ALTER TABLE webhook_outbox DROP CONSTRAINT webhook_outbox_pkey;
-- Enqueueing order: created_at may tie, seq never does; delivery is in seq order per
-- (subscriber, endpoint_key).
ALTER TABLE webhook_outbox ADD COLUMN seq bigserial NOT NULL;
ALTER TABLE webhook_outbox ADD PRIMARY KEY (subscriber, id);
ALTER TABLE webhook_outbox ADD COLUMN event_type text NOT NULL DEFAULT ''
  CHECK (length(event_type) <= 100);
-- Why the last attempt failed (a status code or a connection error; never a secret).
ALTER TABLE webhook_outbox ADD COLUMN last_error text CHECK (length(last_error) <= 500);
ALTER TABLE webhook_outbox ADD COLUMN finished_at timestamptz;
DROP INDEX webhook_outbox_order;
CREATE INDEX webhook_outbox_head ON webhook_outbox (subscriber, endpoint_key, seq)
  WHERE state = 'pending';
