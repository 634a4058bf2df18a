-- Trust systems signing in with SMART Backend Services (issue 20): an
-- integration client is registered by an admin with its public keys (inline
-- JWKS or a JWKS URL), the SMART scopes it may be granted, and either the
-- whole trust or some wards. It acts through an account of its own (role
-- `integration`, no password), so the audit log, the per-request account
-- read and ward scoping treat it as every other caller; its wards are that
-- account's ward assignments.
CREATE TABLE integration_clients (
    id         uuid PRIMARY KEY,
    client_id  text NOT NULL CHECK (client_id ~ '^[a-z0-9][a-z0-9._-]{1,55}$'),
    user_id    uuid NOT NULL REFERENCES users (id),
    jwks       jsonb CHECK (jwks IS NULL OR jsonb_typeof(jwks -> 'keys') = 'array'),
    jwks_url   text CHECK (jwks_url IS NULL OR char_length(jwks_url) BETWEEN 8 AND 2000),
    scopes     text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 100),
    trust_wide boolean NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT integration_clients_client_id_key UNIQUE (client_id),
    CONSTRAINT integration_clients_user_id_key UNIQUE (user_id),
    -- Exactly one source of keys.
    CHECK ((jwks IS NULL) <> (jwks_url IS NULL))
);

-- The `jti` of every client assertion accepted, kept until the assertion
-- expires, so an assertion is never accepted twice. Expired rows are
-- deleted as new assertions arrive.
CREATE TABLE client_assertion_jtis (
    client_id  uuid NOT NULL REFERENCES integration_clients (id),
    jti        text NOT NULL CHECK (char_length(jti) BETWEEN 1 AND 255),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expires_idx ON client_assertion_jtis (expires_at);
