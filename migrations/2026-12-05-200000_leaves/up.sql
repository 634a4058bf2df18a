-- Escorted leave as it happens: a worker plans it, a nurse on the ward
-- authorises it before anyone leaves, the worker records leaving and coming
-- back. planned → authorised → out → returned, or cancelled from planned or
-- authorised. On return the escorted-leave activity is recorded as any
-- other (activity_id). The columns each state needs are held by CHECKs, so
-- no row can claim a state it has not reached.
CREATE TABLE leaves (
    id               uuid PRIMARY KEY,
    ward_id          uuid NOT NULL REFERENCES wards (id),
    service_user_id  uuid NOT NULL REFERENCES service_users (id),
    planned_by       uuid NOT NULL REFERENCES users (id),
    state            text NOT NULL DEFAULT 'planned' CHECK (state IN (
                         'planned', 'authorised', 'out', 'returned', 'cancelled')),
    authorisation    text NOT NULL CHECK (authorisation IN ('section_17', 'informal', 'other')),
    destination      text NOT NULL CHECK (destination IN (
                         'hospital_grounds', 'local_community', 'shops', 'park_or_outdoors',
                         'cafe', 'home_visit', 'appointment', 'other')),
    purpose          text CHECK (char_length(purpose) BETWEEN 1 AND 200),
    planned_out_at   timestamptz NOT NULL,
    expected_minutes integer NOT NULL CHECK (expected_minutes BETWEEN 5 AND 1440),
    authorised_by    uuid REFERENCES users (id),
    authorised_at    timestamptz,
    departed_at      timestamptz,
    returned_at      timestamptz,
    activity_id      uuid UNIQUE REFERENCES activities (id),
    cancelled_by     uuid REFERENCES users (id),
    cancelled_at     timestamptz,
    cancel_reason    text CHECK (char_length(cancel_reason) BETWEEN 1 AND 1000),
    version          integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leaves_authorised_check CHECK (
        (authorised_by IS NULL) = (authorised_at IS NULL)
        AND (authorised_by IS NOT NULL OR state IN ('planned', 'cancelled'))
        AND (authorised_by IS NULL OR authorised_by <> planned_by)),
    CONSTRAINT leaves_departed_check CHECK (
        (departed_at IS NOT NULL) = (state IN ('out', 'returned'))),
    CONSTRAINT leaves_returned_check CHECK (
        (returned_at IS NOT NULL) = (state = 'returned')
        AND (activity_id IS NOT NULL) = (state = 'returned')
        AND (returned_at IS NULL OR returned_at > departed_at)),
    CONSTRAINT leaves_cancelled_check CHECK (
        (cancelled_by IS NOT NULL) = (state = 'cancelled')
        AND (cancelled_at IS NOT NULL) = (state = 'cancelled')
        AND (cancel_reason IS NOT NULL) = (state = 'cancelled'))
);

-- The ward's open leave (waiting, authorised, out), as the ward screen asks.
CREATE INDEX leaves_open_on_ward ON leaves (ward_id, planned_out_at, id)
    WHERE state IN ('planned', 'authorised', 'out');
-- Every list pages by id within a ward.
CREATE INDEX leaves_ward_id ON leaves (ward_id, id);
