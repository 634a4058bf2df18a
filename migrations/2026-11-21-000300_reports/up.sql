-- Feeds and reports.
--
-- The outbox is read in (xid, id) order, for all wards or for some.
CREATE INDEX activity_events_xid_idx ON activity_events (xid, id);
CREATE INDEX activity_events_ward_xid_idx ON activity_events (ward_id, xid, id);

-- Reports read one period's counted records. The activity summary reads
-- everything it groups and sums from this index alone (an index-only scan
-- on the period's range), never the wide rows with their JSON details.
CREATE INDEX activities_period_idx ON activities (started_at)
    INCLUDE (id, ward_id, kind, recorded_by, duration_minutes)
    WHERE status <> 'entered_in_error';
-- The kind reports (escorted leave, de-escalation, groups) read one kind
-- over a period, with the typed report columns they sum.
CREATE INDEX activities_kind_period_idx ON activities (kind, started_at)
    INCLUDE (ward_id, duration_minutes, leave_minutes, returned_as_planned,
             restraint_avoided, staff_called, attendees_named, attendees_unnamed)
    WHERE status <> 'entered_in_error';

-- Daily rollups for the activity summary, kept by triggers in the writing
-- transaction: per Europe/London local day, ward and kind, the counted
-- (not entered-in-error) activities and minutes; the workers who took part
-- and the service users supported, each with how many activities, so that
-- a distinct count over a year reads these instead of a million
-- activities and their links. Derived data: rebuilt by
-- report_rollups_rebuild(), never written by the service.
CREATE TABLE report_day_activities (
    day        date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL,
    PRIMARY KEY (day, ward_id, kind)
);
CREATE TABLE report_day_workers (
    day        date NOT NULL,
    ward_id    uuid NOT NULL,
    kind       text NOT NULL,
    worker_id  uuid NOT NULL,
    activities integer NOT NULL,
    minutes    bigint NOT NULL,
    PRIMARY KEY (day, ward_id, kind, worker_id)
);
CREATE TABLE report_day_people (
    day             date NOT NULL,
    ward_id         uuid NOT NULL,
    kind            text NOT NULL,
    service_user_id uuid NOT NULL,
    activities      integer NOT NULL,
    PRIMARY KEY (day, ward_id, kind, service_user_id)
);

-- Adds (sign 1) or removes (sign -1) one activity's share, links included.
CREATE FUNCTION report_roll_activity(a activities, sign integer) RETURNS void
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
END;
$$;

-- A new activity adds its share; a change to what reports group or sum by
-- (status, start, ward, kind, duration, recorder) moves it.
CREATE FUNCTION report_roll_activity_change() RETURNS trigger
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
CREATE TRIGGER activities_report_roll
    AFTER INSERT OR UPDATE ON activities
    FOR EACH ROW EXECUTE FUNCTION report_roll_activity_change();

-- A co-worker or service user linked to (or unlinked from) a counted activity.
CREATE FUNCTION report_roll_link_change() RETURNS trigger
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
    ELSE
        INSERT INTO report_day_people AS r
        VALUES (d, a.ward_id, a.kind, link.service_user_id, sign)
        ON CONFLICT (day, ward_id, kind, service_user_id) DO UPDATE
            SET activities = r.activities + excluded.activities;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER activity_co_workers_report_roll
    AFTER INSERT OR DELETE ON activity_co_workers
    FOR EACH ROW EXECUTE FUNCTION report_roll_link_change();
CREATE TRIGGER activity_service_users_report_roll
    AFTER INSERT OR DELETE ON activity_service_users
    FOR EACH ROW EXECUTE FUNCTION report_roll_link_change();

-- Recomputes every rollup from the activities (after a bulk load with
-- triggers off, or to check them).
CREATE FUNCTION report_rollups_rebuild() RETURNS void
LANGUAGE sql AS $$
    TRUNCATE report_day_activities, report_day_workers, report_day_people;
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
$$;
SELECT report_rollups_rebuild();
