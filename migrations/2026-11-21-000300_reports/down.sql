DROP INDEX activities_kind_period_idx;
DROP INDEX activities_period_idx;
DROP INDEX activity_events_ward_xid_idx;
DROP INDEX activity_events_xid_idx;
