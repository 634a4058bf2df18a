-- Folds the pending deltas in, then restores the compactor and rebuild of
-- 2026-12-04-300000_report_spans and drops the counts and the sets over every kind.
SELECT report_rollups_compact();
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

-- Recomputes every rollup from the activities.
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
DROP TABLE report_span_counts, report_span_ward_people, report_span_ward_workers;
