-- Distinct counts per service line and per worker (issue 24).
--
-- `report_span_counts` keeps, per ward and week or month, the people and
-- workers in each span's set, so a report by ward and span reads one row
-- per group. A report by service line and span, or by worker and span,
-- still counted: a line's set is the union of its wards' sets, and a
-- worker's people the union over every ward and kind. Their counts are
-- kept here the same way:
--
-- * `report_span_line_counts`: people and workers per span, service line
--   and kind ('' for every kind together). A line's set is not stored:
--   a person's multiplicity in it is the sum of their multiplicities in
--   the line's wards' sets, read when the compactor moves a set.
-- * `report_span_worker_counts`: the people each worker supported per
--   span, over every ward and kind; the multiplicity is the sum of the
--   worker's rows in `report_span_worker_people` for that person.
--
-- The compactor moves them in the statement that moves the sets, as it
-- moves the ward counts: a person entering a set (multiplicity from 0 to
-- more) adds one, one leaving takes one off, against the sets as they
-- stood when the statement began. A report adds the moves the pending
-- deltas will make, so it stays exact between compactions.
--
-- A ward moved to another service line moves its sets between lines: the
-- line counts are then counted afresh from the ward sets, under the
-- compactor's lock, in the same transaction as the move.

CREATE TABLE report_span_line_counts (
    grain        text NOT NULL CHECK (grain IN ('week', 'month')),
    start        date NOT NULL,
    service_line text NOT NULL,
    -- '' for every kind together.
    kind         text NOT NULL,
    people       integer NOT NULL DEFAULT 0,
    workers      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, start, service_line, kind) INCLUDE (people, workers)
);
CREATE TABLE report_span_worker_counts (
    grain     text NOT NULL CHECK (grain IN ('week', 'month')),
    start     date NOT NULL,
    worker_id uuid NOT NULL,
    people    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, start, worker_id) INCLUDE (people)
);
CREATE INDEX report_span_line_counts_zero_idx ON report_span_line_counts (start) WHERE people = 0 AND workers = 0;
CREATE INDEX report_span_worker_counts_zero_idx ON report_span_worker_counts (start) WHERE people = 0;
ALTER TABLE report_span_line_counts SET (parallel_workers = 0);
ALTER TABLE report_span_worker_counts SET (parallel_workers = 0);
-- A worker's multiplicity for a person in a span, over every ward and kind.
CREATE INDEX report_span_worker_people_by_worker_idx
    ON report_span_worker_people (grain, start, worker_id, service_user_id) INCLUDE (activities);

-- Counts the line and worker counts afresh from the sets (compacted: a
-- report adds the pending deltas' moves to them).
CREATE FUNCTION report_line_counts_fill() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM report_span_line_counts;
    INSERT INTO report_span_line_counts
    SELECT grain, start, service_line, kind, sum(people), sum(workers) FROM (
        SELECT grain, start, service_line, kind, count(*) AS people, 0 AS workers FROM (
            SELECT r.grain, r.start, w.service_line, r.kind, r.service_user_id FROM report_span_people r
            JOIN wards w ON w.id = r.ward_id GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.activities) > 0) s
        GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT grain, start, service_line, kind, 0, count(*) FROM (
            SELECT r.grain, r.start, w.service_line, r.kind, r.worker_id FROM report_span_workers r
            JOIN wards w ON w.id = r.ward_id GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.activities) > 0) s
        GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT grain, start, service_line, '', count(*), 0 FROM (
            SELECT r.grain, r.start, w.service_line, r.service_user_id FROM report_span_ward_people r
            JOIN wards w ON w.id = r.ward_id GROUP BY 1, 2, 3, 4 HAVING sum(r.activities) > 0) s
        GROUP BY 1, 2, 3
        UNION ALL
        SELECT grain, start, service_line, '', 0, count(*) FROM (
            SELECT r.grain, r.start, w.service_line, r.worker_id FROM report_span_ward_workers r
            JOIN wards w ON w.id = r.ward_id GROUP BY 1, 2, 3, 4 HAVING sum(r.activities) > 0) s
        GROUP BY 1, 2, 3) c
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
$$;
CREATE FUNCTION report_worker_counts_fill() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM report_span_worker_counts;
    INSERT INTO report_span_worker_counts
    SELECT grain, start, worker_id, count(*) FROM (
        SELECT grain, start, worker_id, service_user_id FROM report_span_worker_people
        GROUP BY 1, 2, 3, 4 HAVING sum(activities) > 0) s
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
$$;

-- A ward moved to another service line takes its sets with it.
CREATE FUNCTION report_ward_line_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Waits for a compaction under way (it moved the sets by the old line)
    -- and keeps the next out until this transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext('report_rollups_compact'));
    PERFORM report_line_counts_fill();
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_ward_line_moved AFTER UPDATE OF service_line ON wards
    FOR EACH ROW WHEN (OLD.service_line IS DISTINCT FROM NEW.service_line)
    EXECUTE FUNCTION report_ward_line_moved();

-- The rebuild of 2026-12-05-600000_report_span_counts, then these counts.
ALTER FUNCTION report_rollups_rebuild() RENAME TO report_rollups_rebuild_sets;
CREATE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
    SELECT report_rollups_rebuild_sets();
    SELECT report_line_counts_fill();
    SELECT report_worker_counts_fill();
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
    -- The same moves for each service line's sets, which are the sums of
    -- its wards' sets (the wards' line as it stands).
    lmoves AS (SELECT l.grain, l.start, l.service_line, l.kind,
                      (o.activities + l.activities > 0)::integer - (o.activities > 0)::integer AS change
               FROM (SELECT sg.grain, sg.start, w.service_line, sg.kind, sg.worker_id, sum(sg.activities) AS activities
                     FROM sg JOIN wards w ON w.id = sg.ward_id GROUP BY 1, 2, 3, 4, 5) l
               CROSS JOIN LATERAL (SELECT coalesce(sum(r.activities), 0) AS activities
                     FROM wards w JOIN report_span_workers r ON r.ward_id = w.id
                     WHERE w.service_line = l.service_line AND r.grain = l.grain AND r.start = l.start
                       AND r.kind = l.kind AND r.worker_id = l.worker_id) o
               UNION ALL
               SELECT l.grain, l.start, l.service_line, '',
                      (o.activities + l.activities > 0)::integer - (o.activities > 0)::integer
               FROM (SELECT wg.grain, wg.start, w.service_line, wg.worker_id, sum(wg.activities) AS activities
                     FROM wg JOIN wards w ON w.id = wg.ward_id GROUP BY 1, 2, 3, 4) l
               CROSS JOIN LATERAL (SELECT coalesce(sum(r.activities), 0) AS activities
                     FROM wards w JOIN report_span_ward_workers r ON r.ward_id = w.id
                     WHERE w.service_line = l.service_line AND r.grain = l.grain AND r.start = l.start
                       AND r.worker_id = l.worker_id) o),
    lc AS (INSERT INTO report_span_line_counts AS r (grain, start, service_line, kind, workers)
           SELECT grain, start, service_line, kind, sum(change) FROM lmoves
           GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0
           ON CONFLICT (grain, start, service_line, kind) DO UPDATE SET workers = r.workers + excluded.workers),
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
    DELETE FROM report_span_line_counts WHERE people = 0 AND workers = 0;

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
    -- The same moves for each service line's sets, which are the sums of
    -- its wards' sets (the wards' line as it stands).
    lmoves AS (SELECT l.grain, l.start, l.service_line, l.kind,
                      (o.activities + l.activities > 0)::integer - (o.activities > 0)::integer AS change
               FROM (SELECT sg.grain, sg.start, w.service_line, sg.kind, sg.service_user_id, sum(sg.activities) AS activities
                     FROM sg JOIN wards w ON w.id = sg.ward_id GROUP BY 1, 2, 3, 4, 5) l
               CROSS JOIN LATERAL (SELECT coalesce(sum(r.activities), 0) AS activities
                     FROM wards w JOIN report_span_people r ON r.ward_id = w.id
                     WHERE w.service_line = l.service_line AND r.grain = l.grain AND r.start = l.start
                       AND r.kind = l.kind AND r.service_user_id = l.service_user_id) o
               UNION ALL
               SELECT l.grain, l.start, l.service_line, '',
                      (o.activities + l.activities > 0)::integer - (o.activities > 0)::integer
               FROM (SELECT wg.grain, wg.start, w.service_line, wg.service_user_id, sum(wg.activities) AS activities
                     FROM wg JOIN wards w ON w.id = wg.ward_id GROUP BY 1, 2, 3, 4) l
               CROSS JOIN LATERAL (SELECT coalesce(sum(r.activities), 0) AS activities
                     FROM wards w JOIN report_span_ward_people r ON r.ward_id = w.id
                     WHERE w.service_line = l.service_line AND r.grain = l.grain AND r.start = l.start
                       AND r.service_user_id = l.service_user_id) o),
    lc AS (INSERT INTO report_span_line_counts AS r (grain, start, service_line, kind, people)
           SELECT grain, start, service_line, kind, sum(change) FROM lmoves
           GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0
           ON CONFLICT (grain, start, service_line, kind) DO UPDATE SET people = r.people + excluded.people),
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
    DELETE FROM report_span_line_counts WHERE people = 0 AND workers = 0;

    WITH d AS (DELETE FROM report_delta_worker_people RETURNING *),
    g AS (SELECT day, ward_id, kind, worker_id, service_user_id, sum(activities)::integer AS activities
          FROM d GROUP BY 1, 2, 3, 4, 5),
    sg AS (SELECT x.grain, report_span_start(x.grain, g.day) AS start, ward_id, kind, worker_id,
                  service_user_id, sum(activities)::integer AS activities
           FROM g CROSS JOIN (VALUES ('week'), ('month')) x(grain) GROUP BY 1, 2, 3, 4, 5, 6),
    -- Who enters (+1) or leaves (-1) the set of people a worker supported
    -- in a span, over every ward and kind: the sum of the worker's sets as
    -- they stand against it with the deltas added.
    moves AS (SELECT v.grain, v.start, v.worker_id,
                     (o.activities + v.activities > 0)::integer - (o.activities > 0)::integer AS change
              FROM (SELECT grain, start, worker_id, service_user_id, sum(activities) AS activities
                    FROM sg GROUP BY 1, 2, 3, 4) v
              CROSS JOIN LATERAL (SELECT coalesce(sum(r.activities), 0) AS activities
                    FROM report_span_worker_people r
                    WHERE r.grain = v.grain AND r.start = v.start AND r.worker_id = v.worker_id
                      AND r.service_user_id = v.service_user_id) o),
    c AS (INSERT INTO report_span_worker_counts AS r (grain, start, worker_id, people)
          SELECT grain, start, worker_id, sum(change) FROM moves
          GROUP BY 1, 2, 3 HAVING sum(change) <> 0
          ON CONFLICT (grain, start, worker_id) DO UPDATE SET people = r.people + excluded.people),
    s AS (INSERT INTO report_span_worker_people AS r SELECT * FROM sg
          ON CONFLICT (grain, start, ward_id, kind, worker_id, service_user_id) DO UPDATE
              SET activities = r.activities + excluded.activities)
    INSERT INTO report_day_worker_people AS r SELECT * FROM g
    ON CONFLICT (day, ward_id, kind, worker_id, service_user_id) DO UPDATE
        SET activities = r.activities + excluded.activities;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
    DELETE FROM report_day_worker_people WHERE activities = 0;
    DELETE FROM report_span_worker_people WHERE activities = 0;
    DELETE FROM report_span_worker_counts WHERE people = 0;

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

-- The sets are as the compactor left them; pending deltas stay pending,
-- and a report adds their moves.
SELECT pg_advisory_xact_lock(hashtext('report_rollups_compact'));
SELECT report_line_counts_fill();
SELECT report_worker_counts_fill();
