-- Rollups without hot rows.
--
-- Until now every write added its share to the one rollup row of its local
-- day, ward and kind (and worker, and person) inside its own transaction,
-- so every writer on a ward and day queued behind the previous one's
-- commit, and two amendments moving records between two days in opposite
-- directions could deadlock. Now a write only appends delta rows (+1 / -1)
-- to `report_delta_*`: plain inserts into tables with no unique key, which
-- never wait for another transaction. `report_rollups_compact()` (run by
-- the service in the background every second) moves the deltas into the
-- compact `report_day_*` tables in one transaction; the `report_day_*_now`
-- views add the not-yet-compacted deltas to the compact rows, so a report
-- reading them in one statement is exact at every moment, compacted or not.

CREATE TABLE report_delta_activities (
    day        date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL
);
CREATE TABLE report_delta_workers (
    day        date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    worker_id  uuid NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL
);
CREATE TABLE report_delta_people (
    day             date NOT NULL,
    ward_id         uuid NOT NULL,
    kind            text NOT NULL,
    service_user_id uuid NOT NULL,
    activities      integer NOT NULL
);
CREATE TABLE report_delta_worker_people (
    day             date NOT NULL,
    ward_id         uuid NOT NULL,
    kind            text NOT NULL,
    worker_id       uuid NOT NULL,
    service_user_id uuid NOT NULL,
    activities      integer NOT NULL
);

-- Compacted rows that net to nothing are removed; these find them.
CREATE INDEX report_day_activities_zero_idx ON report_day_activities (day) WHERE activities = 0;
CREATE INDEX report_day_workers_zero_idx ON report_day_workers (day) WHERE activities = 0;
CREATE INDEX report_day_people_zero_idx ON report_day_people (day) WHERE activities = 0;
CREATE INDEX report_day_worker_people_zero_idx ON report_day_worker_people (day) WHERE activities = 0;

-- The rollups as they stand now: compact rows plus pending deltas, netted
-- per key (a distinct count needs each key's net figure, not its parts).
-- Filters on the key columns reach the compact table's primary key.
CREATE VIEW report_day_activities_now AS
SELECT r.day, r.ward_id, r.kind,
       r.activities + coalesce(d.activities, 0) AS activities,
       r.minutes + coalesce(d.minutes, 0) AS minutes
FROM report_day_activities r
LEFT JOIN (SELECT day, ward_id, kind, sum(activities)::integer AS activities, sum(minutes)::bigint AS minutes
           FROM report_delta_activities GROUP BY 1, 2, 3) d USING (day, ward_id, kind)
UNION ALL
SELECT d.day, d.ward_id, d.kind, sum(d.activities)::integer, sum(d.minutes)::bigint
FROM report_delta_activities d
WHERE NOT EXISTS (SELECT FROM report_day_activities r
                  WHERE (r.day, r.ward_id, r.kind) = (d.day, d.ward_id, d.kind))
GROUP BY 1, 2, 3;

CREATE VIEW report_day_workers_now AS
SELECT r.day, r.ward_id, r.kind, r.worker_id,
       r.activities + coalesce(d.activities, 0) AS activities,
       r.minutes + coalesce(d.minutes, 0) AS minutes
FROM report_day_workers r
LEFT JOIN (SELECT day, ward_id, kind, worker_id, sum(activities)::integer AS activities,
                  sum(minutes)::bigint AS minutes
           FROM report_delta_workers GROUP BY 1, 2, 3, 4) d USING (day, ward_id, kind, worker_id)
UNION ALL
SELECT d.day, d.ward_id, d.kind, d.worker_id, sum(d.activities)::integer, sum(d.minutes)::bigint
FROM report_delta_workers d
WHERE NOT EXISTS (SELECT FROM report_day_workers r
                  WHERE (r.day, r.ward_id, r.kind, r.worker_id) = (d.day, d.ward_id, d.kind, d.worker_id))
GROUP BY 1, 2, 3, 4;

CREATE VIEW report_day_people_now AS
SELECT r.day, r.ward_id, r.kind, r.service_user_id,
       r.activities + coalesce(d.activities, 0) AS activities
FROM report_day_people r
LEFT JOIN (SELECT day, ward_id, kind, service_user_id, sum(activities)::integer AS activities
           FROM report_delta_people GROUP BY 1, 2, 3, 4) d USING (day, ward_id, kind, service_user_id)
UNION ALL
SELECT d.day, d.ward_id, d.kind, d.service_user_id, sum(d.activities)::integer
FROM report_delta_people d
WHERE NOT EXISTS (SELECT FROM report_day_people r
                  WHERE (r.day, r.ward_id, r.kind, r.service_user_id)
                      = (d.day, d.ward_id, d.kind, d.service_user_id))
GROUP BY 1, 2, 3, 4;

CREATE VIEW report_day_worker_people_now AS
SELECT r.day, r.ward_id, r.kind, r.worker_id, r.service_user_id,
       r.activities + coalesce(d.activities, 0) AS activities
FROM report_day_worker_people r
LEFT JOIN (SELECT day, ward_id, kind, worker_id, service_user_id, sum(activities)::integer AS activities
           FROM report_delta_worker_people GROUP BY 1, 2, 3, 4, 5) d
    USING (day, ward_id, kind, worker_id, service_user_id)
UNION ALL
SELECT d.day, d.ward_id, d.kind, d.worker_id, d.service_user_id, sum(d.activities)::integer
FROM report_delta_worker_people d
WHERE NOT EXISTS (SELECT FROM report_day_worker_people r
                  WHERE (r.day, r.ward_id, r.kind, r.worker_id, r.service_user_id)
                      = (d.day, d.ward_id, d.kind, d.worker_id, d.service_user_id))
GROUP BY 1, 2, 3, 4, 5;

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
END;
$$;

-- A co-worker or service user linked to (or unlinked from) a counted activity.
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
        INSERT INTO report_delta_workers
        VALUES (d, a.ward_id, a.kind, link.user_id, sign, sign * a.duration_minutes);
        -- The new (or departed) worker with each person of the activity.
        INSERT INTO report_delta_worker_people
        SELECT d, a.ward_id, a.kind, link.user_id, s.service_user_id, sign
        FROM activity_service_users s WHERE s.activity_id = a.id;
    ELSE
        INSERT INTO report_delta_people VALUES (d, a.ward_id, a.kind, link.service_user_id, sign);
        -- The new (or departed) person with each worker of the activity.
        INSERT INTO report_delta_worker_people
        SELECT d, a.ward_id, a.kind, w.id, link.service_user_id, sign
        FROM (SELECT a.recorded_by
              UNION ALL SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id) w(id);
    END IF;
    RETURN NULL;
END;
$$;

-- Moves the pending deltas into the compact rollups, in one transaction
-- (readers see either the deltas or their sum, never both or neither),
-- and drops compact rows that net to nothing. One compactor at a time;
-- another caller returns 0 at once. Its commit need not wait for the disk:
-- a crash that loses it loses the deletes with the sums, so the deltas
-- are simply compacted again. Returns the delta rows moved.
CREATE FUNCTION report_rollups_compact() RETURNS bigint
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

-- Recomputes every rollup from the activities; pending deltas are
-- included in the result, so they go.
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
