-- The Dormouse ledger. Days are UTC. Every table refuses values that cannot happen.
-- Rows are narrow: what a request was sent to is a reference to a route, not copied text.

-- What a request was addressed to: one row per (namespace, endpoint, served name, model) ever
-- used, so a usage row carries a 4-byte reference instead of four strings.
CREATE TABLE route (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  namespace   text NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  endpoint    text NOT NULL CHECK (endpoint ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  served_name text NOT NULL CHECK (length(served_name) BETWEEN 1 AND 253),
  model       text NOT NULL CHECK (length(model) BETWEEN 1 AND 512),
  UNIQUE (namespace, endpoint, served_name, model)
);

-- One row per request that was admitted and sent towards a model. Partitioned by UTC day;
-- retention drops whole partitions. The key includes the partition column (PostgreSQL's rule);
-- a request keeps its start time, so a replayed row meets its first copy and is skipped.
CREATE TABLE usage (
  at                timestamptz NOT NULL,
  request_id        text        NOT NULL CHECK (length(request_id) BETWEEN 1 AND 128),
  route_id          integer     NOT NULL REFERENCES route (id),
  tier              text        CHECK (tier ~ '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'),
  backend           text        CHECK (length(backend) BETWEEN 1 AND 255),
  project           text        NOT NULL CHECK (project ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  key_id            text        NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
  prompt_tokens     integer     NOT NULL CHECK (prompt_tokens >= 0),
  completion_tokens integer     NOT NULL CHECK (completion_tokens >= 0),
  usage_estimated   boolean     NOT NULL,
  status            smallint    NOT NULL CHECK (status BETWEEN 100 AND 599),
  latency_ms        integer     NOT NULL CHECK (latency_ms >= 0),
  ttfb_ms           integer     CHECK (ttfb_ms >= 0 AND ttfb_ms <= latency_ms),
  wake_wait_ms      integer     NOT NULL CHECK (wake_wait_ms >= 0 AND wake_wait_ms <= latency_ms),
  streamed          boolean     NOT NULL,
  PRIMARY KEY (at, request_id)
) PARTITION BY RANGE (at);

-- Declared on the parent, so every partition has them from its first row.
CREATE INDEX usage_route_at ON usage (route_id, at);
CREATE INDEX usage_project_at ON usage (project, at);

-- Every fleet mutation, kept for good. The id makes a replayed entry a no-op.
CREATE TABLE journal (
  id        uuid        PRIMARY KEY,
  at        timestamptz NOT NULL,
  namespace text        NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  endpoint  text        NOT NULL CHECK (endpoint ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  kind      text        NOT NULL CHECK (kind ~ '^[A-Z][A-Za-z]{1,63}$'),
  tier      text        CHECK (tier ~ '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'),
  replicas  integer     CHECK (replicas >= 0),
  reason    text        CHECK (length(reason) <= 256),
  message   text        NOT NULL CHECK (length(message) <= 2048)
);
CREATE INDEX journal_endpoint_at ON journal (namespace, endpoint, at);
CREATE INDEX journal_at ON journal (at);

-- GPU time: one interval per engine pod, from bound to a node until gone, with the GPUs it
-- held and the tier's price in force when it started (a later price change rewrites nothing).
-- An open interval (ended_at NULL) counts up to now.
CREATE TABLE gpu_interval (
  pod_uid            text          PRIMARY KEY CHECK (length(pod_uid) BETWEEN 1 AND 64),
  namespace          text          NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  endpoint           text          NOT NULL CHECK (endpoint ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  tier               text          NOT NULL CHECK (tier ~ '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'),
  pod                text          NOT NULL CHECK (length(pod) BETWEEN 1 AND 253),
  node               text          NOT NULL CHECK (length(node) BETWEEN 1 AND 253),
  gpus               integer       NOT NULL CHECK (gpus > 0),
  price_per_gpu_hour numeric(14,6) NOT NULL CHECK (price_per_gpu_hour >= 0),
  currency           text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  started_at         timestamptz   NOT NULL,
  ended_at           timestamptz   CHECK (ended_at >= started_at)
);
CREATE INDEX gpu_interval_open ON gpu_interval (started_at) WHERE ended_at IS NULL;
CREATE INDEX gpu_interval_span ON gpu_interval (started_at, ended_at);

-- Node time, for node pools Dormouse provisions itself (a later milestone): one interval per
-- node, keyed by its uid, with its tier, GPUs and the price in force when it joined.
CREATE TABLE node_interval (
  node_uid           text          PRIMARY KEY CHECK (length(node_uid) BETWEEN 1 AND 64),
  node               text          NOT NULL CHECK (length(node) BETWEEN 1 AND 253),
  tier               text          NOT NULL CHECK (tier ~ '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'),
  gpus               integer       NOT NULL CHECK (gpus >= 0),
  price_per_gpu_hour numeric(14,6) NOT NULL CHECK (price_per_gpu_hour >= 0),
  currency           text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  started_at         timestamptz   NOT NULL,
  ended_at           timestamptz   CHECK (ended_at >= started_at)
);
CREATE INDEX node_interval_span ON node_interval (started_at, ended_at);

-- Daily billing records, written by the rollup (today and yesterday recomputed, older final).
-- Tokens per (day, project, namespace, endpoint, model); the tier is kept too (spot versus
-- on-demand), '' for a request that never reached a backend.
CREATE TABLE daily_usage (
  day           date   NOT NULL,
  project       text   NOT NULL,
  namespace     text   NOT NULL,
  endpoint      text   NOT NULL,
  model         text   NOT NULL,
  tier          text   NOT NULL,
  requests      bigint NOT NULL CHECK (requests > 0),
  input_tokens  bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
  PRIMARY KEY (day, project, namespace, endpoint, model, tier)
);

-- GPU-hours and their cost per (day, namespace, endpoint, tier), in the tier's currency.
CREATE TABLE daily_gpu_cost (
  day       date          NOT NULL,
  namespace text          NOT NULL,
  endpoint  text          NOT NULL,
  tier      text          NOT NULL,
  currency  text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  gpu_hours numeric(18,6) NOT NULL CHECK (gpu_hours >= 0),
  cost      numeric(18,6) NOT NULL CHECK (cost >= 0),
  PRIMARY KEY (day, namespace, endpoint, tier, currency)
);

-- Billing records as a billing system reads them: input and output tokens as the resources
-- '<model>-input' and '<model>-output'.
CREATE VIEW billing_record AS
  SELECT day, project, namespace, endpoint, model || '-input' AS resource,
         sum(input_tokens) AS quantity, sum(requests) AS requests
    FROM daily_usage GROUP BY day, project, namespace, endpoint, model
  UNION ALL
  SELECT day, project, namespace, endpoint, model || '-output' AS resource,
         sum(output_tokens) AS quantity, sum(requests) AS requests
    FROM daily_usage GROUP BY day, project, namespace, endpoint, model;

-- Which days the rollup has closed for good.
CREATE TABLE rollup_state (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  final_through date NOT NULL
);

-- Events waiting for delivery to webhook subscribers (the webhooks milestone): delivered in
-- order per endpoint key, retried with back-off.
CREATE TABLE webhook_outbox (
  id              uuid        PRIMARY KEY,
  subscriber      text        NOT NULL CHECK (length(subscriber) BETWEEN 1 AND 317),
  endpoint_key    text        NOT NULL CHECK (length(endpoint_key) BETWEEN 1 AND 317),
  payload         jsonb       NOT NULL,
  created_at      timestamptz NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  state           text        NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_order ON webhook_outbox (endpoint_key, created_at);
