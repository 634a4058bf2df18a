-- Folds the pending deltas into the compact rollups, then restores the
-- functions of 2026-11-21-000400_worker_people_rollup.
SELECT report_rollups_compact();
DROP FUNCTION report_rollups_compact();
DROP VIEW report_day_activities_now, report_day_workers_now, report_day_people_now,
    report_day_worker_people_now;
DROP INDEX report_day_activities_zero_idx, report_day_workers_zero_idx, report_day_people_zero_idx,
    report_day_worker_people_zero_idx;
CREATE OR REPLACE FUNCTION report_roll_activity(a activities, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d date := (a.started_at AT TIME ZONE 'Europe/London')::date;
BEGIN
    IF a.status = 'entered_in_error' THEN
        RETURN;
    END IF;
    INSERT INTO report_day_activities AS r
    VALUES (d, a.ward_id, a.kind, sign, sign * a.duration_minutes)
    ON CONFLICT (day, ward_id, kind) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    INSERT INTO report_day_workers AS r
    SELECT d, a.ward_id, a.kind, w.id, sign, sign * a.duration_minutes
    FROM (SELECT a.recorded_by
          UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    ORDER BY w.id
    ON CONFLICT (day, ward_id, kind, worker_id) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    INSERT INTO report_day_people AS r
    SELECT d, a.ward_id, a.kind, s.service_user_id, sign
    FROM activity_service_users s WHERE s.activity_id = a.id
    ORDER BY s.service_user_id
    ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    INSERT INTO report_day_worker_people AS r
    SELECT d, a.ward_id, a.kind, w.id, s.service_user_id, sign
    FROM (SELECT a.recorded_by
          UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
    CROSS JOIN activity_service_users s
    WHERE s.activity_id = a.id
    ORDER BY w.id, s.service_user_id
    ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
END;
$$;

CREATE OR REPLACE FUNCTION report_roll_link_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    link  record;
    sign  integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
    a     activities;
    d     date;
BEGIN
    IF TG_OP = 'DELETE' THEN link := OLD; ELSE link := NEW; END IF;
    SELECT * INTO a FROM activities WHERE id = link.activity_id;
    IF NOT FOUND OR a.status = 'entered_in_error' THEN
        RETURN NULL;
    END IF;
    d := (a.started_at AT TIME ZONE 'Europe/London')::date;
    IF TG_TABLE_NAME = 'activity_co_workers' THEN
        INSERT INTO report_day_workers AS r
        VALUES (d, a.ward_id, a.kind, link.user_id, sign, sign * a.duration_minutes)
        ON CONFLICT (day, ward_id, kind, worker_id) DO UPDATE
            SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
        -- The new (or departed) worker with each person of the activity.
        INSERT INTO report_day_worker_people AS r
        SELECT d, a.ward_id, a.kind, link.user_id, s.service_user_id, sign
        FROM activity_service_users s WHERE s.activity_id = a.id
        ORDER BY s.service_user_id
        ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
            SET activities = r.activities + excluded.activities;
    ELSE
        INSERT INTO report_day_people AS r
        VALUES (d, a.ward_id, a.kind, link.service_user_id, sign)
        ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
            SET activities = r.activities + excluded.activities;
        -- The new (or departed) person with each worker of the activity.
        INSERT INTO report_day_worker_people AS r
        SELECT d, a.ward_id, a.kind, w.id, link.service_user_id, sign
        FROM (SELECT a.recorded_by
              UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id)
        ORDER BY w.id
        ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
            SET activities = r.activities + excluded.activities;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
    TRUNCATE report_day_activities, report_day_workers, report_day_people, report_day_worker_people;
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

DROP TABLE report_delta_activities, report_delta_workers, report_delta_people,
    report_delta_worker_people;
