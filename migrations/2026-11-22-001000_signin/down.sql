DROP TABLE login_throttle;
CREATE TABLE login_throttle (
    username         text PRIMARY KEY,
    failures         integer NOT NULL CHECK (failures >= 0),
    window_start     timestamptz NOT NULL,
    locked_until     timestamptz
);

ALTER TABLE users DROP CONSTRAINT users_external_id_key;
ALTER TABLE users DROP COLUMN external_id;

ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_family_fkey;
DROP TABLE sign_ins;
