DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_change();
DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE ward_assignments;
DROP TABLE users;
DROP TABLE wards;
