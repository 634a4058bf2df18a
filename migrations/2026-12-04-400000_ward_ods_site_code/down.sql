ALTER TABLE wards DROP COLUMN ods_site_code;
