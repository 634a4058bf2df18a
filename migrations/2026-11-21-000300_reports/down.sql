DROP INDEX activity_events_ward_xid_idx;
DROP INDEX activity_events_xid_idx;
