DROP TABLE activity_events;
DROP TABLE activity_versions;
DROP FUNCTION activity_history_refuse_change();
DROP TABLE activity_service_users;
DROP TABLE activity_co_workers;
DROP TABLE activities;
DROP TABLE service_users;
