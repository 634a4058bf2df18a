ALTER TABLE service_users DROP COLUMN bed_or_bay;
