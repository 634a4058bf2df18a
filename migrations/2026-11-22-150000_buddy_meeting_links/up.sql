-- Buddy Scheme meetings held online: the join link (https only; the hosts
-- allowed are checked by the service), or the place of an in-person
-- meeting; a calendar sequence bumped whenever a meeting moves or changes,
-- so calendar clients update their copy (RFC 5545 SEQUENCE).
ALTER TABLE buddy_meetings
    ADD COLUMN link text
        CHECK (link IS NULL OR (link LIKE 'https://%' AND char_length(link) <= 1000)),
    ADD COLUMN place text
        CHECK (place IS NULL OR char_length(place) BETWEEN 1 AND 200),
    ADD COLUMN calendar_sequence integer NOT NULL DEFAULT 0
        CHECK (calendar_sequence >= 0),
    ADD CONSTRAINT buddy_meetings_link_mode_check
        CHECK (link IS NULL OR mode = 'online_video'),
    ADD CONSTRAINT buddy_meetings_place_mode_check
        CHECK (place IS NULL OR mode = 'in_person');

-- A student's or buddy's personal calendar subscription: calendar clients
-- cannot send bearer tokens, so the URL carries a secret, of which only the
-- SHA-256 is kept. One per account; revoking deletes it.
CREATE TABLE buddy_calendar_subscriptions (
    user_id    uuid PRIMARY KEY REFERENCES users (id),
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
