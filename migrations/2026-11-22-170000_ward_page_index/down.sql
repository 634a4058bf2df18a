DROP INDEX activities_ward_started_idx;
CREATE INDEX activities_ward_started_idx ON activities (ward_id, started_at DESC, id DESC);
