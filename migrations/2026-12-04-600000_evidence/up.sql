-- Evidence that peer support works: measure definitions (data, versioned),
-- the person's own answers (locked on submit, seen only in aggregate), and
-- ward-level figures loaded from the trust's other systems.

-- A measure definition as loaded: validated by the service, never changed
-- (a new version is a new row).
CREATE TABLE measure_definitions (
    id         uuid PRIMARY KEY,
    code       text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    version    integer NOT NULL CHECK (version BETWEEN 1 AND 1000),
    title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    licence    text NOT NULL CHECK (char_length(licence) BETWEEN 1 AND 500),
    -- Shipped with peerlog (freely usable), or loaded by the trust.
    shipped    boolean NOT NULL,
    definition jsonb NOT NULL,
    loaded_by  uuid REFERENCES users (id),
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT measure_definitions_code_version_key UNIQUE (code, version)
);

-- Definitions are versioned (a new version is a new row) and answers are
-- never removed.
CREATE FUNCTION measure_definitions_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is kept whole: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
-- One completed measure: the answers of one person at one time. Locked on
-- submit: the only change ever allowed is the withdrawal of a quote.
CREATE TABLE measure_responses (
    id              uuid PRIMARY KEY,
    definition_id   uuid NOT NULL REFERENCES measure_definitions (id),
    service_user_id uuid NOT NULL REFERENCES service_users (id),
    ward_id         uuid NOT NULL REFERENCES wards (id),
    -- The contact it followed, for "your say".
    activity_id     uuid REFERENCES activities (id),
    respondent      text NOT NULL CHECK (respondent IN ('service_user', 'carer')),
    completed_at    timestamptz NOT NULL,
    -- The person preferred not to answer at all.
    declined        boolean NOT NULL,
    -- Item id -> value; an item answered "prefer not to say" is absent.
    answers         jsonb NOT NULL,
    -- Score id -> number, by the definition's scoring rule, at submit.
    scores          jsonb NOT NULL,
    recorded_by     uuid NOT NULL REFERENCES users (id),
    content_hash    text NOT NULL,
    -- The person's own words, kept only when they agreed to share them
    -- anonymously; emptied when that consent is withdrawn.
    quote             text CHECK (char_length(quote) BETWEEN 1 AND 500),
    quote_consent     boolean NOT NULL,
    quote_withdrawn_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (quote IS NULL OR (quote_consent AND quote_withdrawn_at IS NULL)),
    CHECK (NOT declined OR (answers = '{}'::jsonb AND quote IS NULL))
);
CREATE INDEX measure_responses_ward_idx ON measure_responses (ward_id, completed_at);
CREATE INDEX measure_responses_person_idx
    ON measure_responses (service_user_id, definition_id, completed_at);

CREATE FUNCTION measure_responses_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'measure_responses are locked: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only a quote's withdrawal: the quote emptied, the time set, once.
    IF (NEW.id, NEW.definition_id, NEW.service_user_id, NEW.ward_id, NEW.activity_id,
        NEW.respondent, NEW.completed_at, NEW.declined, NEW.answers, NEW.scores,
        NEW.recorded_by, NEW.content_hash, NEW.quote_consent, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.definition_id, OLD.service_user_id, OLD.ward_id, OLD.activity_id,
        OLD.respondent, OLD.completed_at, OLD.declined, OLD.answers, OLD.scores,
        OLD.recorded_by, OLD.content_hash, OLD.quote_consent, OLD.created_at)
       OR NEW.quote IS NOT NULL
       OR OLD.quote_withdrawn_at IS NOT NULL
       OR NEW.quote_withdrawn_at IS NULL THEN
        RAISE EXCEPTION 'measure_responses are locked: only a quote may be withdrawn'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER measure_responses_locked
    BEFORE UPDATE OR DELETE ON measure_responses
    FOR EACH ROW EXECUTE FUNCTION measure_responses_locked();
CREATE TRIGGER measure_responses_no_truncate
    BEFORE TRUNCATE ON measure_responses
    FOR EACH STATEMENT EXECUTE FUNCTION measure_definitions_immutable();

CREATE TRIGGER measure_definitions_immutable
    BEFORE UPDATE OR DELETE ON measure_definitions
    FOR EACH ROW EXECUTE FUNCTION measure_definitions_immutable();

-- Ward-level figures per month from the trust's other systems: restraint
-- incidents (incident system), occupied bed days and discharges (patient
-- system). One row per ward and month; a load replaces it.
CREATE TABLE ward_figures (
    ward_id             uuid NOT NULL REFERENCES wards (id),
    month               date NOT NULL CHECK (extract(day FROM month) = 1),
    restraint_incidents integer NOT NULL CHECK (restraint_incidents BETWEEN 0 AND 100000),
    occupied_bed_days   integer NOT NULL CHECK (occupied_bed_days BETWEEN 0 AND 100000),
    discharges          integer NOT NULL CHECK (discharges BETWEEN 0 AND 100000),
    loaded_by           uuid NOT NULL REFERENCES users (id),
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ward_id, month)
);
