-- Foundation: wards, users and their ward assignments, refresh tokens,
-- login throttling, and the append-only audit log.
--
-- Enumerations are text columns with CHECK constraints rather than PostgreSQL
-- enum types: adding a value is then a one-line migration and the values read
-- naturally in reports and exports.

CREATE TABLE wards (
    id           uuid PRIMARY KEY,
    code         text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    service_line text NOT NULL CHECK (service_line IN (
        'camhs', 'adult', 'older_adult', 'specialist', 'medium_secure',
        'learning_disability', 'other')),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT wards_code_key UNIQUE (code)
);
CREATE INDEX wards_service_line_idx ON wards (service_line);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name  text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN (
        'peer_support_worker', 'peer_team_leader', 'ward_staff', 'manager',
        'buddy_coordinator', 'admin', 'integration')),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE ward_assignments (
    user_id    uuid NOT NULL REFERENCES users (id),
    ward_id    uuid NOT NULL REFERENCES wards (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, ward_id)
);
CREATE INDEX ward_assignments_ward_idx ON ward_assignments (ward_id);

-- Refresh tokens are opaque random strings; only their SHA-256 is stored.
-- Tokens issued from one login share a family: reusing a rotated token
-- revokes the whole family (it was probably stolen).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family_id   uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  bytea NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz,
    revoked_at  timestamptz,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash),
    CHECK (expires_at > issued_at)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed logins per attempted username, whether or not the user exists, so
-- that throttling does not reveal which usernames are real.
CREATE TABLE login_throttle (
    username         text PRIMARY KEY,
    failures         integer NOT NULL CHECK (failures >= 0),
    window_start     timestamptz NOT NULL,
    locked_until     timestamptz
);

-- The audit log: who did what, when, from which client. Append-only: the
-- database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid,
    actor_role  text,
    action      text NOT NULL CHECK (action ~ '^[a-z_]{1,64}$'),
    entity_type text NOT NULL CHECK (entity_type ~ '^[a-z_]{1,64}$'),
    entity_id   text,
    ward_id     uuid,
    request_id  text,
    client_ip   text,
    user_agent  text,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at, id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
