-- A year of peer support on the ten demo wards: about :n activities
-- (default 1,000,000), with their service users and co-workers, on top of
-- the demo data (run the app once with PEERLOG_DEMO=1 first).
-- 2% are entered in error, 5% amended; kinds, workers and people are
-- spread evenly, and so are the wards unless `skew` is set (`-v skew=1`):
-- then the first ward (by code) holds 55% of the activities, the last 0.1%
-- and the eight others 5.6% each (bench/explain.sh). No outbox rows: the
-- reports do not read them.
\set ON_ERROR_STOP on
\if :{?n}
\else
  \set n 1000000
\endif
\if :{?skew}
\else
  \set skew 0
\endif
SET synchronous_commit = off;
-- Bulk load with the rollup triggers off; the rollups are rebuilt at the end.
SET session_replication_role = replica;

-- Forty workers, four per ward, and 300 service users per ward (turnover).
INSERT INTO users (id, username, display_name, password_hash, role)
SELECT gen_random_uuid(), 'bench-psw-' || g, 'Bench Worker ' || g,
       (SELECT password_hash FROM users WHERE username = 'psw'), 'peer_support_worker'
FROM generate_series(0, 39) g
ON CONFLICT (username) DO NOTHING;

CREATE TEMP TABLE bench_wards AS
SELECT row_number() OVER (ORDER BY code) - 1 AS n, id FROM wards;
CREATE TEMP TABLE bench_workers AS
SELECT row_number() OVER (ORDER BY username) - 1 AS n, id
FROM users WHERE username LIKE 'bench-psw-%';

INSERT INTO service_users (id, reference, display_label, ward_id, admitted_on)
SELECT gen_random_uuid(), 'BENCH-' || w.n || '-' || g, 'B.' || g, w.id, DATE '2025-01-01'
FROM bench_wards w, generate_series(0, 299) g
ON CONFLICT (reference) DO NOTHING;
CREATE TEMP TABLE bench_people AS
SELECT ward_id, row_number() OVER (PARTITION BY ward_id ORDER BY reference) - 1 AS n, id
FROM service_users WHERE reference LIKE 'BENCH-%';
CREATE INDEX ON bench_people (ward_id, n);

CREATE TEMP TABLE bench_kinds (n int, kind text);
INSERT INTO bench_kinds VALUES
  (0, 'escorted_leave'), (1, 'one_to_one'), (2, 'advocacy'), (3, 'group_session'),
  (4, 'de_escalation'), (5, 'crisis_support'), (6, 'suicide_prevention'), (7, 'wellbeing'),
  (8, 'ward_review_support'), (9, 'discharge_support'), (10, 'awareness'), (11, 'staff_support');

-- The activities, spread over the :days days before now (365 unless the
-- caller sets `days`).
-- `w` is the ward's number: g % 10, or with `skew` 0.1% to the last ward,
-- 55% to the first and the rest to the eight others, interleaved in time
-- (((g % 1000) * 389) % 1000 runs through 0..999 in every thousand rows).
CREATE TEMP TABLE bench_activities AS
SELECT gen_random_uuid() AS id, g, w,
       (SELECT id FROM bench_wards WHERE n = w) AS ward_id,
       (SELECT kind FROM bench_kinds WHERE n = (g / 10) % 12) AS kind,
       (SELECT id FROM bench_workers WHERE n = w * 4 + (g / 120) % 4) AS recorded_by,
       now() - make_interval(days => :days) + (g * (make_interval(days => :days) / :n)) AS started_at,
       15 + (g * 7) % 106 AS minutes
FROM generate_series(0, :n - 1) g,
     LATERAL (SELECT CASE WHEN :skew = 0 THEN g % 10
                          WHEN ((g % 1000) * 389) % 1000 = 999 THEN 9
                          WHEN ((g % 1000) * 389) % 1000 < 550 THEN 0
                          ELSE 1 + g % 8 END AS w) ward;

INSERT INTO activities (id, ward_id, kind, recorded_by, started_at, ended_at, duration_minutes,
    status, version, details, restraint_avoided, staff_called, leave_minutes, returned_as_planned,
    attendees_named, attendees_unnamed, content_hash, void_reason)
SELECT id, ward_id, kind, recorded_by, started_at, started_at + make_interval(mins => minutes), minutes,
       CASE WHEN g % 50 = 7 THEN 'entered_in_error' WHEN g % 20 = 3 THEN 'amended' ELSE 'recorded' END,
       CASE WHEN g % 50 = 7 OR g % 20 = 3 THEN 2 ELSE 1 END,
       -- A group session names what the group did, as the API requires
       -- (the groups report is by it).
       CASE WHEN kind = 'group_session'
            THEN jsonb_build_object('activity', (ARRAY['music', 'art', 'walking'])[1 + g % 3],
                                    'format', 'group_session', 'unnamed_attendees', g % 6)
            ELSE '{}'::jsonb END,
       CASE WHEN kind = 'de_escalation' THEN g % 3 <> 0 END,
       CASE WHEN kind = 'de_escalation' THEN g % 4 = 0 END,
       CASE WHEN kind = 'escorted_leave' THEN minutes - 5 END,
       CASE WHEN kind = 'escorted_leave' THEN g % 9 <> 0 END,
       CASE WHEN kind = 'group_session' THEN 2 END,
       CASE WHEN kind = 'group_session' THEN g % 6 END,
       'bench', CASE WHEN g % 50 = 7 THEN 'bench: entered in error' END
FROM bench_activities;

-- One service user each, two for groups and de-escalations; staff
-- support and awareness sessions name nobody.
INSERT INTO activity_service_users (activity_id, service_user_id)
SELECT a.id, p.id
FROM bench_activities a
JOIN bench_people p ON p.ward_id = a.ward_id AND p.n = (a.g * 13) % 300
WHERE a.kind NOT IN ('staff_support', 'awareness');
INSERT INTO activity_service_users (activity_id, service_user_id)
SELECT a.id, p.id
FROM bench_activities a
JOIN bench_people p ON p.ward_id = a.ward_id AND p.n = (a.g * 13 + 1) % 300
WHERE a.kind IN ('group_session', 'de_escalation');

-- A co-worker on one activity in ten: the ward's next worker.
INSERT INTO activity_co_workers (activity_id, user_id)
SELECT a.id, w.id
FROM bench_activities a
JOIN bench_workers w ON w.n = a.w * 4 + ((a.g / 120) + 1) % 4
WHERE a.g % 10 = (a.g / 100) % 10;

SET session_replication_role = origin;
-- The rollups from the activities (`-v rollups=0` skips them: the list's
-- EXPLAIN does not read them).
\if :{?rollups}
\else
  \set rollups 1
\endif
SELECT :rollups = 1 AS rebuild_rollups \gset
\if :rebuild_rollups
DO $$ BEGIN PERFORM report_rollups_rebuild(); END $$;
\endif
