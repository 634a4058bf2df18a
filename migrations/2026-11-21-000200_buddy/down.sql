DROP TABLE buddy_feedback;
DROP TABLE buddy_reflections;
DROP TABLE buddy_meetings;
DROP TABLE buddy_pairings;
DROP TABLE buddies;
DROP TABLE buddy_students;
DROP TABLE buddy_cohorts;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (
    'peer_support_worker', 'peer_team_leader', 'ward_staff', 'manager',
    'buddy_coordinator', 'admin', 'integration'));
