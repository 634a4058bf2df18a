-- The Buddy Scheme: cohorts of students, buddies (service users and carers
-- who are registered trust volunteers), pairings between them, each
-- pairing's series of structured meetings, students' reflections and
-- end-of-pairing feedback.

-- Students and buddies may have accounts of their own.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (
    'peer_support_worker', 'peer_team_leader', 'ward_staff', 'manager',
    'buddy_coordinator', 'admin', 'integration', 'buddy_student', 'buddy_volunteer'));

CREATE TABLE buddy_cohorts (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    institution text NOT NULL CHECK (char_length(institution) BETWEEN 1 AND 200),
    discipline  text NOT NULL CHECK (discipline IN (
        'occupational_therapy', 'psychological_wellbeing_practitioner',
        'mental_health_nursing', 'medicine', 'social_work', 'other')),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddy_cohorts_name_key UNIQUE (name),
    CONSTRAINT buddy_cohorts_dates_check CHECK (ends_on > starts_on)
);

CREATE TABLE buddy_students (
    id          uuid PRIMARY KEY,
    cohort_id   uuid NOT NULL REFERENCES buddy_cohorts (id),
    full_name   text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
    discipline  text NOT NULL CHECK (discipline IN (
        'occupational_therapy', 'psychological_wellbeing_practitioner',
        'mental_health_nursing', 'medicine', 'social_work', 'other')),
    institution text NOT NULL CHECK (char_length(institution) BETWEEN 1 AND 200),
    email       text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
                                     AND char_length(email) <= 254),
    user_id     uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddy_students_user_key UNIQUE (user_id),
    -- Lets a pairing carry its student's cohort with a foreign key.
    CONSTRAINT buddy_students_id_cohort_key UNIQUE (id, cohort_id)
);
CREATE INDEX buddy_students_cohort_idx ON buddy_students (cohort_id, id);

CREATE TABLE buddies (
    id                    uuid PRIMARY KEY,
    full_name             text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
    buddy_type            text NOT NULL CHECK (buddy_type IN ('service_user', 'carer')),
    volunteer_status      text NOT NULL CHECK (volunteer_status IN ('pending', 'registered', 'lapsed')),
    volunteer_verified_on date,
    capacity              integer NOT NULL CHECK (capacity BETWEEN 1 AND 10),
    email                 text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
                                      AND char_length(email) <= 254),
    user_id               uuid REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddies_user_key UNIQUE (user_id),
    -- Registration is only real once someone has verified it.
    CONSTRAINT buddies_registered_verified_check
        CHECK (volunteer_status <> 'registered' OR volunteer_verified_on IS NOT NULL)
);
CREATE INDEX buddies_type_idx ON buddies (buddy_type, id);

CREATE TABLE buddy_pairings (
    id               uuid PRIMARY KEY,
    student_id       uuid NOT NULL,
    cohort_id        uuid NOT NULL,
    buddy_id         uuid NOT NULL REFERENCES buddies (id),
    coordinator_id   uuid NOT NULL REFERENCES users (id),
    status           text NOT NULL CHECK (status IN ('proposed', 'active', 'completed', 'withdrawn')),
    planned_meetings integer NOT NULL CHECK (planned_meetings BETWEEN 1 AND 20),
    withdrawn_reason text CHECK (char_length(withdrawn_reason) BETWEEN 1 AND 1000),
    activated_at     timestamptz,
    ended_at         timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (student_id, cohort_id) REFERENCES buddy_students (id, cohort_id),
    CONSTRAINT buddy_pairings_withdrawal_check
        CHECK ((status = 'withdrawn') = (withdrawn_reason IS NOT NULL)),
    CONSTRAINT buddy_pairings_ended_check
        CHECK ((status IN ('completed', 'withdrawn')) = (ended_at IS NOT NULL)),
    CONSTRAINT buddy_pairings_active_check
        CHECK (status NOT IN ('active', 'completed') OR activated_at IS NOT NULL),
    CONSTRAINT buddy_pairings_time_order_check
        CHECK (ended_at IS NULL OR activated_at IS NULL OR ended_at >= activated_at)
);
-- A student has at most one active pairing per cohort.
CREATE UNIQUE INDEX buddy_pairings_one_active_per_cohort
    ON buddy_pairings (student_id, cohort_id) WHERE status = 'active';
CREATE INDEX buddy_pairings_buddy_open_idx ON buddy_pairings (buddy_id)
    WHERE status IN ('proposed', 'active');
CREATE INDEX buddy_pairings_cohort_idx ON buddy_pairings (cohort_id, id);
CREATE INDEX buddy_pairings_student_idx ON buddy_pairings (student_id);

CREATE TABLE buddy_meetings (
    id               uuid PRIMARY KEY,
    pairing_id       uuid NOT NULL REFERENCES buddy_pairings (id),
    sequence         integer NOT NULL CHECK (sequence BETWEEN 1 AND 50),
    planned_at       timestamptz NOT NULL,
    mode             text NOT NULL CHECK (mode IN ('online_video', 'in_person', 'telephone')),
    topic            text NOT NULL CHECK (topic IN (
        'introductions', 'living_with_mental_illness', 'family', 'work', 'community',
        'reflection_and_ending', 'other')),
    status           text NOT NULL CHECK (status IN (
        'planned', 'held', 'cancelled_by_student', 'cancelled_by_buddy',
        'cancelled_by_coordinator', 'did_not_attend')),
    duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 480),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddy_meetings_sequence_key UNIQUE (pairing_id, sequence),
    -- A held meeting says how long it lasted; no other does.
    CONSTRAINT buddy_meetings_held_duration_check
        CHECK ((status = 'held') = (duration_minutes IS NOT NULL))
);

CREATE TABLE buddy_reflections (
    id         uuid PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES buddy_meetings (id),
    body       text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
    author_id  uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddy_reflections_meeting_key UNIQUE (meeting_id)
);

CREATE TABLE buddy_feedback (
    id             uuid PRIMARY KEY,
    pairing_id     uuid NOT NULL REFERENCES buddy_pairings (id),
    respondent     text NOT NULL CHECK (respondent IN ('student', 'buddy')),
    overall_rating integer NOT NULL CHECK (overall_rating BETWEEN 1 AND 5),
    support_rating integer NOT NULL CHECK (support_rating BETWEEN 1 AND 5),
    comments       text CHECK (char_length(comments) <= 4000),
    author_id      uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT buddy_feedback_respondent_key UNIQUE (pairing_id, respondent)
);
