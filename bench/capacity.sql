-- A national estate for bench/capacity.sh: :trusts trusts of 20–40 wards
-- (:wards in all), :workers peer workers spread over them, 20 service users
-- a ward, and :n activities over the :days days before now, with their
-- people and (one in ten) a co-worker; 2% entered in error. Tablet
-- accounts `nat-tablet-K` are each assigned to :per_tablet wards (the load
-- signs in as them, one account for many wards' tablets, instead of signing
-- in thousands of accounts). Triggers are off for the bulk load; the
-- report rollups are rebuilt at the end. Run on the demo data (for the
-- password hash and the manager and integration accounts).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET session_replication_role = replica;

-- Trust t has 20 + (t * 7) % 21 wards, scaled so that all trusts hold :wards.
CREATE TEMP TABLE nat_wards AS
WITH t AS (SELECT t, 20 + (t * 7) % 21 AS size FROM generate_series(0, :trusts - 1) t),
     s AS (SELECT t, size, sum(size) OVER (ORDER BY t) - size AS first, sum(size) OVER () AS total FROM t)
SELECT g - 1 AS n, gen_random_uuid() AS id,
       (SELECT s.t FROM s WHERE (g - 1) * s.total / :wards >= s.first ORDER BY s.t DESC LIMIT 1) AS trust
FROM generate_series(1, :wards) g;
INSERT INTO wards (id, code, name, service_line)
SELECT id, format('T%s-W%s', lpad(trust::text, 2, '0'), lpad(n::text, 4, '0')),
       format('Trust %s ward %s', trust, n),
       (ARRAY['camhs', 'adult', 'older_adult', 'specialist', 'medium_secure', 'learning_disability'])[1 + n % 6]
FROM nat_wards;

CREATE TEMP TABLE nat_workers AS
SELECT g AS n, gen_random_uuid() AS id, (SELECT id FROM nat_wards WHERE n = g % :wards) AS ward_id
FROM generate_series(0, :workers - 1) g;
INSERT INTO users (id, username, display_name, password_hash, role)
SELECT id, 'nat-psw-' || n, 'National Worker ' || n,
       (SELECT password_hash FROM users WHERE username = 'psw'), 'peer_support_worker'
FROM nat_workers;
INSERT INTO ward_assignments (user_id, ward_id) SELECT id, ward_id FROM nat_workers;

INSERT INTO users (id, username, display_name, password_hash, role)
SELECT gen_random_uuid(), 'nat-tablet-' || k, 'Ward tablet ' || k,
       (SELECT password_hash FROM users WHERE username = 'psw'), 'peer_support_worker'
FROM generate_series(0, (:wards - 1) / :per_tablet) k;
INSERT INTO ward_assignments (user_id, ward_id)
SELECT u.id, w.id FROM nat_wards w
JOIN users u ON u.username = 'nat-tablet-' || (w.n / :per_tablet);

INSERT INTO service_users (id, reference, display_label, ward_id, admitted_on)
SELECT gen_random_uuid(), 'NAT-' || w.n || '-' || g, 'N.' || g, w.id, DATE '2024-01-01'
FROM nat_wards w, generate_series(0, 19) g;
CREATE TEMP TABLE nat_people AS
SELECT ward_id, row_number() OVER (PARTITION BY ward_id ORDER BY reference) - 1 AS n, id
FROM service_users WHERE reference LIKE 'NAT-%';
CREATE INDEX ON nat_people (ward_id, n);
CREATE INDEX ON nat_workers (ward_id, n);

CREATE TEMP TABLE nat_kinds (n int, kind text);
INSERT INTO nat_kinds VALUES
  (0, 'escorted_leave'), (1, 'one_to_one'), (2, 'advocacy'), (3, 'group_session'),
  (4, 'de_escalation'), (5, 'crisis_support'), (6, 'suicide_prevention'), (7, 'wellbeing'),
  (8, 'ward_review_support'), (9, 'discharge_support'), (10, 'awareness'), (11, 'staff_support');

-- Recorded by the worker of the ward whose number matches (wards have 3 or 4).
CREATE TEMP TABLE nat_activities AS
SELECT gen_random_uuid() AS id, g, w.id AS ward_id,
       (SELECT kind FROM nat_kinds WHERE n = (g / 7) % 12) AS kind,
       (SELECT id FROM nat_workers x WHERE x.n = (g % :wards) + :wards * ((g / :wards) % (:workers / :wards))) AS recorded_by,
       now() - make_interval(days => :days) + (g * (make_interval(days => :days) / :n)) AS started_at,
       15 + (g * 7) % 106 AS minutes
FROM generate_series(0, :n - 1) g
JOIN nat_wards w ON w.n = g % :wards;

INSERT INTO activities (id, ward_id, kind, recorded_by, started_at, ended_at, duration_minutes,
    status, version, details, restraint_avoided, staff_called, leave_minutes, returned_as_planned,
    attendees_named, attendees_unnamed, content_hash, void_reason)
SELECT id, ward_id, kind, recorded_by, started_at, started_at + make_interval(mins => minutes), minutes,
       CASE WHEN g % 50 = 7 THEN 'entered_in_error' ELSE 'recorded' END,
       CASE WHEN g % 50 = 7 THEN 2 ELSE 1 END,
       CASE WHEN kind = 'group_session' THEN '{"activity": "music"}'::jsonb ELSE '{}'::jsonb END,
       CASE WHEN kind = 'de_escalation' THEN g % 3 <> 0 END,
       CASE WHEN kind = 'de_escalation' THEN g % 4 = 0 END,
       CASE WHEN kind = 'escorted_leave' THEN minutes - 5 END,
       CASE WHEN kind = 'escorted_leave' THEN g % 9 <> 0 END,
       CASE WHEN kind = 'group_session' THEN 2 END,
       CASE WHEN kind = 'group_session' THEN g % 6 END,
       'capacity', CASE WHEN g % 50 = 7 THEN 'capacity: entered in error' END
FROM nat_activities;

INSERT INTO activity_service_users (activity_id, service_user_id)
SELECT a.id, p.id FROM nat_activities a
JOIN nat_people p ON p.ward_id = a.ward_id AND p.n = (a.g * 13) % 20
WHERE a.kind NOT IN ('staff_support', 'awareness');
INSERT INTO activity_co_workers (activity_id, user_id)
SELECT a.id, x.id FROM nat_activities a
JOIN nat_workers x ON x.n = (a.g % :wards) + :wards * (((a.g / :wards) + 1) % (:workers / :wards))
WHERE a.g % 10 = 3 AND x.id <> a.recorded_by;

SET session_replication_role = origin;
DO $$ BEGIN PERFORM report_rollups_rebuild(); END $$;
