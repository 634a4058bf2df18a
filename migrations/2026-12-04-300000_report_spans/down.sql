-- Folds the pending deltas in, then restores the functions of
-- 2026-11-22-000100_rollup_deltas and drops the spans and the kind rollup.
SELECT report_rollups_compact();
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
END;
$$;

CREATE OR REPLACE FUNCTION report_roll_activity_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.status, OLD.started_at, OLD.ward_id, OLD.kind, OLD.duration_minutes, OLD.recorded_by)
           IS NOT DISTINCT FROM
           (NEW.status, NEW.started_at, NEW.ward_id, NEW.kind, NEW.duration_minutes, NEW.recorded_by) THEN
            RETURN NULL;
        END IF;
        PERFORM report_roll_activity(OLD, -1);
    END IF;
    PERFORM report_roll_activity(NEW, 1);
    RETURN NULL;
END;
$$;

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

    WITH d AS (DELETE FROM report_delta_activities RETURNING *)
    INSERT INTO report_day_activities AS r
    SELECT day, ward_id, kind, sum(activities), sum(minutes) FROM d GROUP BY 1, 2, 3
    ON CONFLICT (day, ward_id, kind) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_activities WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_workers RETURNING *)
    INSERT INTO report_day_workers AS r
    SELECT day, ward_id, kind, worker_id, sum(activities), sum(minutes) FROM d GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, ward_id, kind, worker_id) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_workers WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_people RETURNING *)
    INSERT INTO report_day_people AS r
    SELECT day, ward_id, kind, service_user_id, sum(activities) FROM d GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_people WHERE activities = 0;

    WITH d AS (DELETE FROM report_delta_worker_people RETURNING *)
    INSERT INTO report_day_worker_people AS r
    SELECT day, ward_id, kind, worker_id, service_user_id, sum(activities) FROM d GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_worker_people WHERE activities = 0;

    RETURN moved;
END;
$$;

CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('report_rollups_compact'));
    TRUNCATE report_day_activities, report_day_workers, report_day_people, report_day_worker_people,
             report_delta_activities, report_delta_workers, report_delta_people, report_delta_worker_people;
    INSERT INTO report_day_activities
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, count(*), sum(a.duration_minutes)
    FROM activities a WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3;
    INSERT INTO report_day_workers
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, w.id, count(*), sum(a.duration_minutes)
    FROM activities a
    CROSS JOIN LATERAL (SELECT a.recorded_by
        UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4;
    INSERT INTO report_day_people
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, s.service_user_id, count(*)
    FROM activities a JOIN activity_service_users s ON s.activity_id = a.id
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4;
    INSERT INTO report_day_worker_people
    SELECT (a.started_at AT TIME ZONE 'Europe/London')::date, a.ward_id, a.kind, w.id, s.service_user_id, count(*)
    FROM activities a
    CROSS JOIN LATERAL (SELECT a.recorded_by
        UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    JOIN activity_service_users s ON s.activity_id = a.id
    WHERE a.status <> 'entered_in_error' GROUP BY 1, 2, 3, 4, 5;
$$;

ALTER TABLE report_day_activities RESET (parallel_workers);
ALTER TABLE report_day_workers RESET (parallel_workers);
ALTER TABLE report_day_people RESET (parallel_workers);
ALTER TABLE report_day_worker_people RESET (parallel_workers);
DROP TABLE report_span_activities, report_span_workers, report_span_people, report_span_worker_people,
    report_day_kinds, report_delta_kinds;
DROP FUNCTION report_span_start(text, date);
