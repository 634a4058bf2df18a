-- Activity logging: service users, activities of every kind, their
-- versions (amendments are kept, never overwritten), and the outbox of
-- activity events that later feeds, syncs and exports read.
--
-- Free-form kind-specific details live in `details` (jsonb, validated by the
-- service); everything reports group or sum by is also a typed column with a
-- CHECK, so a report never has to trust the JSON.

CREATE TABLE service_users (
    id            uuid PRIMARY KEY,
    -- The trust's own pseudonymous reference; the upsert key.
    reference     text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    display_label text NOT NULL CHECK (char_length(display_label) BETWEEN 1 AND 16),
    -- The ward they are on, or were last on when discharged.
    ward_id       uuid NOT NULL REFERENCES wards (id),
    admitted_on   date NOT NULL,
    discharged_on date,
    nhs_number    text CHECK (nhs_number ~ '^[0-9]{10}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT service_users_reference_key UNIQUE (reference),
    CHECK (discharged_on IS NULL OR discharged_on >= admitted_on)
);
CREATE INDEX service_users_ward_idx ON service_users (ward_id, display_label, id);

CREATE TABLE activities (
    id               uuid PRIMARY KEY,
    ward_id          uuid NOT NULL REFERENCES wards (id),
    kind             text NOT NULL CHECK (kind IN (
        'escorted_leave', 'one_to_one', 'advocacy', 'group_session', 'de_escalation',
        'crisis_support', 'suicide_prevention', 'wellbeing', 'ward_review_support',
        'discharge_support', 'awareness', 'staff_support')),
    recorded_by      uuid NOT NULL REFERENCES users (id),
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    note             text CHECK (char_length(note) <= 2000),
    status           text NOT NULL DEFAULT 'recorded'
        CHECK (status IN ('recorded', 'amended', 'entered_in_error')),
    version          integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    details          jsonb NOT NULL,
    -- Report columns, filled from `details` for the kinds they belong to.
    restraint_avoided   boolean,
    staff_called        boolean,
    leave_minutes       integer CHECK (leave_minutes >= 0),
    returned_as_planned boolean,
    attendees_named     integer CHECK (attendees_named >= 0),
    attendees_unnamed   integer CHECK (attendees_unnamed >= 0),
    -- SHA-256 of the create request, to tell a retry from a different
    -- record reusing the id.
    content_hash     text NOT NULL,
    void_reason      text CHECK (char_length(void_reason) BETWEEN 1 AND 1000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_at > started_at),
    CHECK ((status = 'entered_in_error') = (void_reason IS NOT NULL)),
    CHECK ((kind = 'de_escalation') = (restraint_avoided IS NOT NULL AND staff_called IS NOT NULL)),
    CHECK ((kind = 'escorted_leave') = (returned_as_planned IS NOT NULL)),
    CHECK (kind = 'escorted_leave' OR leave_minutes IS NULL),
    CHECK ((kind = 'group_session') = (attendees_named IS NOT NULL AND attendees_unnamed IS NOT NULL))
);
-- The default list order and the per-ward list.
CREATE INDEX activities_ward_started_idx ON activities (ward_id, started_at DESC, id DESC);
CREATE INDEX activities_started_idx ON activities (started_at DESC, id DESC);
CREATE INDEX activities_recorder_idx ON activities (recorded_by, started_at DESC, id DESC);
-- Reports: by ward and kind over a period.
CREATE INDEX activities_report_idx ON activities (ward_id, kind, started_at)
    WHERE status <> 'entered_in_error';

-- Other peer workers who took part.
CREATE TABLE activity_co_workers (
    activity_id uuid NOT NULL REFERENCES activities (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_co_workers_user_idx ON activity_co_workers (user_id);

-- The service users an activity involved (for a group: its named attendees).
CREATE TABLE activity_service_users (
    activity_id     uuid NOT NULL REFERENCES activities (id),
    service_user_id uuid NOT NULL REFERENCES service_users (id),
    PRIMARY KEY (activity_id, service_user_id)
);
CREATE INDEX activity_service_users_su_idx ON activity_service_users (service_user_id, activity_id);

-- Every version of every activity, the current one included: who changed
-- it, when and why, and the record as it then read.
CREATE TABLE activity_versions (
    activity_id uuid NOT NULL REFERENCES activities (id),
    version     integer NOT NULL CHECK (version >= 1),
    change      text NOT NULL CHECK (change IN ('created', 'amended', 'voided')),
    changed_by  uuid NOT NULL REFERENCES users (id),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    reason      text CHECK (char_length(reason) <= 1000),
    snapshot    jsonb NOT NULL,
    PRIMARY KEY (activity_id, version),
    CHECK ((change = 'created') = (reason IS NULL))
);

-- The outbox: one row per change, written in the change's transaction.
-- `xid` lets a reader skip past rows only once every older transaction has
-- committed (pg_snapshot_xmin), so no event is missed.
CREATE TABLE activity_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    activity_id uuid NOT NULL REFERENCES activities (id),
    ward_id     uuid NOT NULL REFERENCES wards (id),
    event_type  text NOT NULL CHECK (event_type IN ('created', 'amended', 'voided')),
    version     integer NOT NULL CHECK (version >= 1),
    occurred_at timestamptz NOT NULL DEFAULT now(),
    payload     jsonb NOT NULL
);
CREATE INDEX activity_events_activity_idx ON activity_events (activity_id, id);
CREATE INDEX activity_events_ward_idx ON activity_events (ward_id, id);

-- Versions and events are history: never changed, never removed.
CREATE FUNCTION activity_history_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER activity_versions_append_only
    BEFORE UPDATE OR DELETE ON activity_versions
    FOR EACH ROW EXECUTE FUNCTION activity_history_refuse_change();
CREATE TRIGGER activity_events_append_only
    BEFORE UPDATE OR DELETE ON activity_events
    FOR EACH ROW EXECUTE FUNCTION activity_history_refuse_change();
