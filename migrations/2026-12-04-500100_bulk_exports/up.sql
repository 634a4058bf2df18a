-- FHIR Bulk Data exports (issue 20): a job per kick-off, run in the
-- background by the service and resumed after a restart. Its files are
-- written to PEERLOG_BULK_EXPORT_DIR and listed here; they expire
-- PEERLOG_BULK_EXPORT_TTL_SECS after the export completes. A job's row is
-- kept after its files expire: its `transaction_time` and `horizon` are
-- what makes a later `_since` export start exactly where it ended.
CREATE TABLE bulk_exports (
    id               uuid PRIMARY KEY,
    -- Only this account may poll, download or cancel.
    requested_by     uuid NOT NULL REFERENCES users (id),
    request_url      text NOT NULL CHECK (char_length(request_url) <= 4000),
    -- Group/{id}/$export: the group session whose members are exported.
    group_id         uuid,
    resource_types   text[] NOT NULL CHECK (cardinality(resource_types) >= 1),
    since            timestamptz,
    -- The outbox position the export starts after: the horizon of the
    -- export whose transactionTime `_since` named (0 otherwise).
    since_horizon    bigint NOT NULL DEFAULT 0 CHECK (since_horizon >= 0),
    -- The wards exported; NULL for every ward.
    ward_ids         uuid[],
    -- The instant reported as transactionTime (milliseconds), and the
    -- outbox horizon at that instant: every transaction below it had ended.
    transaction_time timestamptz NOT NULL,
    horizon          bigint NOT NULL CHECK (horizon >= 0),
    status           text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'expired')),
    progress         text,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    expires_at       timestamptz,
    CHECK (completed_at IS NULL OR completed_at >= created_at)
);
CREATE INDEX bulk_exports_transaction_time_idx ON bulk_exports (transaction_time);
CREATE INDEX bulk_exports_waiting_idx ON bulk_exports (created_at) WHERE status IN ('pending', 'running');
CREATE INDEX bulk_exports_expiry_idx ON bulk_exports (expires_at) WHERE status = 'completed';

-- The NDJSON files of a completed export, one per resource type.
CREATE TABLE bulk_export_files (
    export_id     uuid NOT NULL REFERENCES bulk_exports (id),
    seq           integer NOT NULL CHECK (seq >= 1),
    resource_type text NOT NULL,
    count         bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (export_id, seq)
);
