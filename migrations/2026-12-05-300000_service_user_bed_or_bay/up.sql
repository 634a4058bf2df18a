-- Where the trust sends one, the bed or bay a service user is in (e.g.
-- "Bay 2", "Bed 14"): shown beside their initials on the ward tablet when a
-- deployment chooses it (PEERLOG_PERSON_DISAMBIGUATOR=bed_or_bay), so two
-- people with the same initials can be told apart without a name or an NHS
-- number.
ALTER TABLE service_users
    ADD COLUMN bed_or_bay text
    CHECK (bed_or_bay IS NULL OR length(bed_or_bay) BETWEEN 1 AND 16);
