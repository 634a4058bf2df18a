-- Sign-in that a trust can deploy (issue 10).

-- One row per sign-in (a password or an OpenID Connect sign-in). Access
-- tokens carry its id (`sid`) and the per-request account read refuses a
-- token whose sign-in was logged out or revoked, so logout takes effect at
-- once. A sign-in's refresh tokens are its family.
CREATE TABLE sign_ins (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    method     text NOT NULL CHECK (method IN ('password', 'oidc')),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
CREATE INDEX sign_ins_user_idx ON sign_ins (user_id) WHERE revoked_at IS NULL;

-- Every existing refresh family becomes a sign-in, so sessions survive the
-- upgrade.
INSERT INTO sign_ins (id, user_id, method, created_at, revoked_at)
SELECT family_id, (array_agg(user_id))[1], 'password', min(issued_at),
       CASE WHEN bool_or(revoked_at IS NOT NULL) THEN greatest(max(revoked_at), min(issued_at)) END
FROM refresh_tokens GROUP BY family_id;

ALTER TABLE refresh_tokens
    ADD CONSTRAINT refresh_tokens_family_fkey FOREIGN KEY (family_id) REFERENCES sign_ins (id);

-- The person at the trust's identity provider (the configured claim, `sub`
-- by default, `oid` for Entra ID), linked by an admin or set when the
-- account was provisioned from a first sign-in.
ALTER TABLE users ADD COLUMN external_id text
    CHECK (external_id IS NULL OR char_length(external_id) BETWEEN 1 AND 255);
ALTER TABLE users ADD CONSTRAINT users_external_id_key UNIQUE (external_id);

-- The password throttle, keyed per (username, client) and per client
-- address instead of per username, so nobody can lock a worker out from
-- elsewhere. Rows expire with their window and are deleted.
DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    key           text PRIMARY KEY CHECK (char_length(key) <= 200),
    failures      integer NOT NULL CHECK (failures >= 0),
    blocked_until timestamptz,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX login_throttle_expires_idx ON login_throttle (expires_at);
