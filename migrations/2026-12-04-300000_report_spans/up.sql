-- Reports as fast over years as over a week (issue 24).
--
-- A distinct count (people supported, workers) does not add up across
-- days, so until now a year's report read every daily rollup row of the
-- year: (day, ward, kind, person) and so on, hundreds of thousands of rows.
-- Here the same counted sets are also kept per week and per month
-- ("spans"): for each span, ward and kind, each person (worker, pair) with
-- how many counted activities joined them. A set with multiplicities is
-- what stays exact under removal: an amendment or an entered-in-error mark
-- takes its −1 off, and the person leaves the set only when nothing else
-- keeps them there. Sets of different spans merge by union: a report
-- groups the rows of the whole spans inside its period, plus the daily rows
-- of the days at either edge, plus the pending deltas, and counts each
-- (group, person) whose multiplicities add up to more than zero.
--
-- The spans cost the writer nothing: they are fed by the compactor from
-- the same delta rows it folds into the daily rollups, in the same
-- transaction, so a reader sees the deltas or their sum in both, never one
-- without the other.
--
-- The kind reports (escorted leave, de-escalation, groups) get a daily
-- rollup of their own measures, written by the same trigger (one more
-- delta row, for those three kinds only).

CREATE TABLE report_span_activities (
    grain      text NOT NULL CHECK (grain IN ('week', 'month')),
    start      date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL,
    PRIMARY KEY (grain, start, ward_id, kind) INCLUDE (activities, minutes)
);
CREATE TABLE report_span_workers (
    grain      text NOT NULL CHECK (grain IN ('week', 'month')),
    start      date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    worker_id  uuid NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL,
    PRIMARY KEY (grain, start, ward_id, kind, worker_id) INCLUDE (activities, minutes)
);
CREATE TABLE report_span_people (
    grain           text NOT NULL CHECK (grain IN ('week', 'month')),
    start           date NOT NULL,
    ward_id         uuid NOT NULL,
    kind            text NOT NULL,
    service_user_id uuid NOT NULL,
    activities      integer NOT NULL,
    PRIMARY KEY (grain, start, ward_id, kind, service_user_id) INCLUDE (activities)
);
CREATE TABLE report_span_worker_people (
    grain           text NOT NULL CHECK (grain IN ('week', 'month')),
    start           date NOT NULL,
    ward_id         uuid NOT NULL,
    kind            text NOT NULL,
    worker_id       uuid NOT NULL,
    service_user_id uuid NOT NULL,
    activities      integer NOT NULL,
    PRIMARY KEY (grain, start, ward_id, kind, worker_id, service_user_id) INCLUDE (activities)
);
-- The keys include the multiplicities, so a report reads a span's rows
-- from the index alone.
CREATE INDEX report_span_activities_zero_idx ON report_span_activities (start) WHERE activities = 0;
CREATE INDEX report_span_workers_zero_idx ON report_span_workers (start) WHERE activities = 0;
CREATE INDEX report_span_people_zero_idx ON report_span_people (start) WHERE activities = 0;
CREATE INDEX report_span_worker_people_zero_idx ON report_span_worker_people (start) WHERE activities = 0;

-- The first day of the week (Monday) or month holding a day.
CREATE FUNCTION report_span_start(grain text, day date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_trunc(grain, day::timestamp)::date
$$;

-- The kind reports' measures per local day, ward, kind and detail (the
-- group's activity for group sessions, '' otherwise or when missing, which
-- the groups report shows as missing), for the three kinds that have
-- reports of their own.
CREATE TABLE report_day_kinds (
    day                     date NOT NULL,
    ward_id                 uuid NOT NULL,
    kind                    text NOT NULL,
    detail                  text NOT NULL,
    activities              integer NOT NULL,
    leave_minutes           bigint NOT NULL,
    returned_as_planned     integer NOT NULL,
    not_returned_as_planned integer NOT NULL,
    restraint_avoided       integer NOT NULL,
    staff_called            integer NOT NULL,
    attendees_named         bigint NOT NULL,
    attendees_unnamed       bigint NOT NULL,
    PRIMARY KEY (day, ward_id, kind, detail)
);
CREATE INDEX report_day_kinds_zero_idx ON report_day_kinds (day) WHERE activities = 0;
CREATE TABLE report_delta_kinds (LIKE report_day_kinds);

-- A report reads a few thousand rollup rows: starting parallel workers for
-- that costs more than it saves, and far more on a busy machine.
ALTER TABLE report_day_activities SET (parallel_workers = 0);
ALTER TABLE report_day_workers SET (parallel_workers = 0);
ALTER TABLE report_day_people SET (parallel_workers = 0);
ALTER TABLE report_day_worker_people SET (parallel_workers = 0);
ALTER TABLE report_day_kinds SET (parallel_workers = 0);
ALTER TABLE report_span_activities SET (parallel_workers = 0);
ALTER TABLE report_span_workers SET (parallel_workers = 0);
ALTER TABLE report_span_people SET (parallel_workers = 0);
ALTER TABLE report_span_worker_people SET (parallel_workers = 0);

-- Adds (sign 1) or removes (sign -1) one activity's share, links included:
-- inserts only, so no writer waits for another.
CREATE OR REPLACE FUNCTION report_roll_activity(a activities, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d date := (a.started_at AT TIME ZONE 'Europe/London')::date;
BEGIN
    IF a.status = 'entered_in_error' THEN
        RETURN;
    END IF;
    INSERT INTO report_delta_activities VALUES (d, a.ward_id, a.kind, sign, sign * a.duration_minutes);
    INSERT INTO report_delta_workers
    SELECT d, a.ward_id, a.kind, w.id, sign, sign * a.duration_minutes
    FROM (SELECT a.recorded_by
          UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id);
    INSERT INTO report_delta_people
    SELECT d, a.ward_id, a.kind, s.service_user_id, sign
    FROM activity_service_users s WHERE s.activity_id = a.id;
    INSERT INTO report_delta_worker_people
    SELECT d, a.ward_id, a.kind, w.id, s.service_user_id, sign
    FROM (SELECT a.recorded_by
          UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    CROSS JOIN activity_service_users s
    WHERE s.activity_id = a.id;
    IF a.kind IN ('escorted_leave', 'de_escalation', 'group_session') THEN
        INSERT INTO report_delta_kinds VALUES (
            d, a.ward_id, a.kind,
            CASE WHEN a.kind = 'group_session' THEN coalesce(a.details->>'activity', '') ELSE '' END,
            sign,
            sign * coalesce(a.leave_minutes, a.duration_minutes),
            sign * (a.returned_as_planned IS TRUE)::integer,
            sign * (a.returned_as_planned IS FALSE)::integer,
            sign * (a.restraint_avoided IS TRUE)::integer,
            sign * (a.staff_called IS TRUE)::integer,
            sign * coalesce(a.attendees_named, 0),
            sign * coalesce(a.attendees_unnamed, 0));
    END IF;
END;
$$;

-- A new activity adds its share; a change to what reports group or sum by
-- (status, start, ward, kind, duration, recorder, and the kind reports'
-- measures) moves it.
CREATE OR REPLACE FUNCTION report_roll_activity_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.status, OLD.started_at, OLD.ward_id, OLD.kind, OLD.duration_minutes, OLD.recorded_by,
            OLD.details->>'activity', OLD.leave_minutes, OLD.returned_as_planned, OLD.restraint_avoided,
            OLD.staff_called, OLD.attendees_named, OLD.attendees_unnamed)
           IS NOT DISTINCT FROM
           (NEW.status, NEW.started_at, NEW.ward_id, NEW.kind, NEW.duration_minutes, NEW.recorded_by,
            NEW.details->>'activity', NEW.leave_minutes, NEW.returned_as_planned, NEW.restraint_avoided,
            NEW.staff_called, NEW.attendees_named, NEW.attendees_unnamed) THEN
            RETURN NULL;
        END IF;
        PERFORM report_roll_activity(OLD, -1);
    END IF;
    PERFORM report_roll_activity(NEW, 1);
    RETURN NULL;
END;
$$;

-- Moves the pending deltas into the compact daily rollups and the week and
-- month spans, in one transaction (readers see either the deltas or their
-- sums, never both or neither), and drops compact rows that net to nothing.
-- One compactor at a time; another caller returns 0 at once. Its commit
-- need not wait for the disk: a crash that loses it loses the deletes with
-- the sums, so the deltas are simply compacted again. Returns the delta
-- rows moved (daily rows written).
CREATE OR REPLACE FUNCTION report_rollups_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    moved bigint := 0;
    n     bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('report_rollups_compact')) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('synchronous_commit', 'off', true);

    WITH d AS (DELETE FROM report_delta_activities RETURNING *),
    g AS (SELECT day, ward_id, kind, sum(activities)::integer AS activities, sum(minutes)::bigint AS minutes
          FROM d GROUP BY 1, 2, 3),
    s AS (INSERT INTO report_span_activities AS r
          SELECT x.grain, report_span_start(x.grain, g.day), ward_id, kind, sum(activities), sum(minutes)
          FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4
          ON CONFLICT (grain, start, ward_id, kind) DO UPDATE
              SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes)
    INSERT INTO report_day_activities AS r SELECT * FROM g
    ON CONFLICT (day, ward_id, kind) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_activities WHERE activities = 0;
    DELETE FROM report_span_activities WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_workers RETURNING *),
    g AS (SELECT day, ward_id, kind, worker_id, sum(activities)::integer AS activities,
                 sum(minutes)::bigint AS minutes
          FROM d GROUP BY 1, 2, 3, 4),
    s AS (INSERT INTO report_span_workers AS r
          SELECT x.grain, report_span_start(x.grain, g.day), ward_id, kind, worker_id,
                 sum(activities), sum(minutes)
          FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (grain, start, ward_id, kind, worker_id) DO UPDATE
              SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes)
    INSERT INTO report_day_workers AS r SELECT * FROM g
    ON CONFLICT (day, ward_id, kind, worker_id) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_workers WHERE activities = 0;
    DELETE FROM report_span_workers WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_people RETURNING *),
    g AS (SELECT day, ward_id, kind, service_user_id, sum(activities)::integer AS activities
          FROM d GROUP BY 1, 2, 3, 4),
    s AS (INSERT INTO report_span_people AS r
          SELECT x.grain, report_span_start(x.grain, g.day), ward_id, kind, service_user_id, sum(activities)
          FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (grain, start, ward_id, kind, service_user_id) DO UPDATE
              SET activities = r.activities + excluded.activities)
    INSERT INTO report_day_people AS r SELECT * FROM g
    ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_people WHERE activities = 0;
    DELETE FROM report_span_people WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_worker_people RETURNING *),
    g AS (SELECT day, ward_id, kind, worker_id, service_user_id, sum(activities)::integer AS activities
          FROM d GROUP BY 1, 2, 3, 4, 5),
    s AS (INSERT INTO report_span_worker_people AS r
          SELECT x.grain, report_span_start(x.grain, g.day), ward_id, kind, worker_id, service_user_id,
                 sum(activities)
          FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5, 6
          ON CONFLICT (grain, start, ward_id, kind, worker_id, service_user_id) DO UPDATE
              SET activities = r.activities + excluded.activities)
    INSERT INTO report_day_worker_people AS r SELECT * FROM g
    ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_worker_people WHERE activities = 0;
    DELETE FROM report_span_worker_people WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_kinds RETURNING *)
    INSERT INTO report_day_kinds AS r
    SELECT day, ward_id, kind, detail, sum(activities), sum(leave_minutes), sum(returned_as_planned),
           sum(not_returned_as_planned), sum(restraint_avoided), sum(staff_called),
           sum(attendees_named), sum(attendees_unnamed)
    FROM d GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, ward_id, kind, detail) DO UPDATE
        SET activities = r.activities + excluded.activities,
            leave_minutes = r.leave_minutes + excluded.leave_minutes,
            returned_as_planned = r.returned_as_planned + excluded.returned_as_planned,
            not_returned_as_planned = r.not_returned_as_planned + excluded.not_returned_as_planned,
            restraint_avoided = r.restraint_avoided + excluded.restraint_avoided,
            staff_called = r.staff_called + excluded.staff_called,
            attendees_named = r.attendees_named + excluded.attendees_named,
            attendees_unnamed = r.attendees_unnamed + excluded.attendees_unnamed;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_kinds WHERE activities = 0;

    RETURN moved;
END;
$$;

-- Recomputes every rollup from the activities; pending deltas are
-- included in the result, so they go. Rows are written in key order, so a
-- period's rows sit together on disk, as they do when written day by day.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('report_rollups_compact'));
    TRUNCATE report_day_activities, report_day_workers, report_day_people, report_day_worker_people,
             report_day_kinds, report_delta_activities, report_delta_workers, report_delta_people,
             report_delta_worker_people, report_delta_kinds, report_span_activities,
             report_span_workers, report_span_people, report_span_worker_people;
    INSERT INTO report_day_activities
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, count(*), sum(a.duration_minutes)
    FROM activities a WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3;
    INSERT INTO report_day_workers
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, w.id, count(*), sum(a.duration_minutes)
    FROM activities a
    CROSS JOIN LATERAL (SELECT a.recorded_by
        UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
    INSERT INTO report_day_people
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, s.service_user_id, count(*)
    FROM activities a JOIN activity_service_users s ON s.activity_id = a.id
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
    INSERT INTO report_day_worker_people
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, w.id, s.service_user_id, count(*)
    FROM activities a
    CROSS JOIN LATERAL (SELECT a.recorded_by
        UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    JOIN activity_service_users s ON s.activity_id = a.id
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5;
    INSERT INTO report_day_kinds
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind,
           CASE WHEN a.kind = 'group_session' THEN coalesce(a.details->>'activity', '') ELSE '' END,
           count(*), sum(coalesce(a.leave_minutes, a.duration_minutes)),
           count(*) FILTER (WHERE a.returned_as_planned), count(*) FILTER (WHERE NOT a.returned_as_planned),
           count(*) FILTER (WHERE a.restraint_avoided), count(*) FILTER (WHERE a.staff_called),
           coalesce(sum(a.attendees_named), 0), coalesce(sum(a.attendees_unnamed), 0)
    FROM activities a
    WHERE a.status <> 'entered_in_error' AND a.kind IN ('escorted_leave', 'de_escalation', 'group_session')
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
    INSERT INTO report_span_activities
    SELECT x.grain, report_span_start(x.grain, r.day), r.ward_id, r.kind, sum(r.activities), sum(r.minutes)
    FROM report_day_activities r CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
    INSERT INTO report_span_workers
    SELECT x.grain, report_span_start(x.grain, r.day), r.ward_id, r.kind, r.worker_id, sum(r.activities),
           sum(r.minutes)
    FROM report_day_workers r CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5;
    INSERT INTO report_span_people
    SELECT x.grain, report_span_start(x.grain, r.day), r.ward_id, r.kind, r.service_user_id, sum(r.activities)
    FROM report_day_people r CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5;
    INSERT INTO report_span_worker_people
    SELECT x.grain, report_span_start(x.grain, r.day), r.ward_id, r.kind, r.worker_id, r.service_user_id,
           sum(r.activities)
    FROM report_day_worker_people r CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6;
$$;
SELECT report_rollups_rebuild();
