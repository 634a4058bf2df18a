-- Folds the pending deltas in, then restores the compactor and rebuild of
-- 2026-12-05-600000_report_span_counts and drops the line and worker counts.
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
    sg AS (SELECT x.grain, report_span_start(x.grain, g.day) AS start, ward_id, kind, worker_id,
                  sum(activities)::integer AS activities, sum(minutes)::bigint AS minutes
           FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5),
    wg AS (SELECT grain, start, ward_id, worker_id, sum(activities)::integer AS activities
           FROM sg GROUP BY 1, 2, 3, 4),
    -- Who enters (+1) or leaves (-1) a span's set, by kind and over every
    -- kind (''): the spans as they stand (this statement's snapshot) against
    -- them with the deltas added.
    moves AS (SELECT sg.grain, sg.start, sg.ward_id, sg.kind,
                     (coalesce(r.activities, 0) + sg.activities > 0)::integer
                     - (coalesce(r.activities, 0) > 0)::integer AS change
              FROM sg LEFT JOIN report_span_workers r USING (grain, start, ward_id, kind, worker_id)
              UNION ALL
              SELECT wg.grain, wg.start, wg.ward_id, '',
                     (coalesce(r.activities, 0) + wg.activities > 0)::integer
                     - (coalesce(r.activities, 0) > 0)::integer
              FROM wg LEFT JOIN report_span_ward_workers r USING (grain, start, ward_id, worker_id)),
    c AS (INSERT INTO report_span_counts AS r (grain, start, ward_id, kind, workers)
          SELECT grain, start, ward_id, kind, sum(change) FROM moves
          GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0
          ON CONFLICT (grain, start, ward_id, kind) DO UPDATE SET workers = r.workers + excluded.workers),
    s AS (INSERT INTO report_span_workers AS r SELECT * FROM sg
          ON CONFLICT (grain, start, ward_id, kind, worker_id) DO UPDATE
              SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes),
    ws AS (INSERT INTO report_span_ward_workers AS r SELECT * FROM wg
           ON CONFLICT (grain, start, ward_id, worker_id) DO UPDATE
               SET activities = r.activities + excluded.activities)
    INSERT INTO report_day_workers AS r SELECT day, ward_id, kind, worker_id, activities, minutes FROM g
    ON CONFLICT (day, ward_id, kind, worker_id) DO UPDATE
        SET activities = r.activities + excluded.activities, minutes = r.minutes + excluded.minutes;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_workers WHERE activities = 0;
    DELETE FROM report_span_workers WHERE activities = 0;
    DELETE FROM report_span_ward_workers WHERE activities = 0;
    DELETE FROM report_span_counts WHERE people = 0 AND workers = 0;

    WITH d AS (DELETE FROM report_delta_people RETURNING *),
    g AS (SELECT day, ward_id, kind, service_user_id, sum(activities)::integer AS activities
          FROM d GROUP BY 1, 2, 3, 4),
    sg AS (SELECT x.grain, report_span_start(x.grain, g.day) AS start, ward_id, kind, service_user_id,
                  sum(activities)::integer AS activities
           FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5),
    wg AS (SELECT grain, start, ward_id, service_user_id, sum(activities)::integer AS activities
           FROM sg GROUP BY 1, 2, 3, 4),
    -- Who enters (+1) or leaves (-1) a span's set, by kind and over every
    -- kind (''): the spans as they stand (this statement's snapshot) against
    -- them with the deltas added.
    moves AS (SELECT sg.grain, sg.start, sg.ward_id, sg.kind,
                     (coalesce(r.activities, 0) + sg.activities > 0)::integer
                     - (coalesce(r.activities, 0) > 0)::integer AS change
              FROM sg LEFT JOIN report_span_people r USING (grain, start, ward_id, kind, service_user_id)
              UNION ALL
              SELECT wg.grain, wg.start, wg.ward_id, '',
                     (coalesce(r.activities, 0) + wg.activities > 0)::integer
                     - (coalesce(r.activities, 0) > 0)::integer
              FROM wg LEFT JOIN report_span_ward_people r USING (grain, start, ward_id, service_user_id)),
    c AS (INSERT INTO report_span_counts AS r (grain, start, ward_id, kind, people)
          SELECT grain, start, ward_id, kind, sum(change) FROM moves
          GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0
          ON CONFLICT (grain, start, ward_id, kind) DO UPDATE SET people = r.people + excluded.people),
    s AS (INSERT INTO report_span_people AS r SELECT * FROM sg
          ON CONFLICT (grain, start, ward_id, kind, service_user_id) DO UPDATE
              SET activities = r.activities + excluded.activities),
    ws AS (INSERT INTO report_span_ward_people AS r SELECT * FROM wg
           ON CONFLICT (grain, start, ward_id, service_user_id) DO UPDATE
               SET activities = r.activities + excluded.activities)
    INSERT INTO report_day_people AS r SELECT day, ward_id, kind, service_user_id, activities FROM g
    ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_people WHERE activities = 0;
    DELETE FROM report_span_people WHERE activities = 0;
    DELETE FROM report_span_ward_people WHERE activities = 0;
    DELETE FROM report_span_counts WHERE people = 0 AND workers = 0;

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
DROP FUNCTION report_rollups_rebuild();
ALTER FUNCTION report_rollups_rebuild_sets() RENAME TO report_rollups_rebuild;
DROP TRIGGER report_ward_line_moved ON wards;
DROP FUNCTION report_ward_line_moved();
DROP FUNCTION report_line_counts_fill();
DROP FUNCTION report_worker_counts_fill();
DROP INDEX report_span_worker_people_by_worker_idx;
DROP TABLE report_span_line_counts, report_span_worker_counts;
