-- A ward's ODS site code, so FHIR Locations name the site as the NHS's
-- Organisation Data Service does. Optional: not every ward has its own.
ALTER TABLE wards ADD COLUMN ods_site_code text
    CHECK (ods_site_code ~ '^[A-Z0-9]{3,10}$');
