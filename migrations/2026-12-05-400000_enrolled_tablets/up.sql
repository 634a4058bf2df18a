-- The trust's ward tablets, enrolled by an admin (issue 22, item 7). Sign-ins
-- on an enrolled tablet are throttled per person on that tablet, never by the
-- client address, so a guesser behind the same NAT cannot lock the ward out.
--
-- An admin creates a tablet with a name (and, optionally, its ward) and gets a
-- one-time enrolment code, valid for a few minutes, typed on the tablet. The
-- tablet then holds a random secret in an HttpOnly cookie; only the SHA-256 of
-- the code and of the secret are kept here. Revoking forgets both.
CREATE TABLE tablets (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    ward_id         uuid REFERENCES wards (id),
    code_hash       bytea UNIQUE CHECK (code_hash IS NULL OR octet_length(code_hash) = 32),
    code_expires_at timestamptz,
    secret_hash     bytea UNIQUE CHECK (secret_hash IS NULL OR octet_length(secret_hash) = 32),
    enrolled_at     timestamptz,
    revoked_at      timestamptz,
    last_sign_in_at timestamptz,
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- A code has an expiry; a secret exists only once enrolled.
    CHECK ((code_hash IS NULL) = (code_expires_at IS NULL)),
    CHECK (secret_hash IS NULL OR enrolled_at IS NOT NULL),
    -- An enrolled tablet has used its code up.
    CHECK (enrolled_at IS NULL OR code_hash IS NULL),
    -- A revoked tablet holds neither.
    CHECK (revoked_at IS NULL OR (code_hash IS NULL AND secret_hash IS NULL))
);
