-- Feeds and reports.
--
-- The outbox is read in (xid, id) order, for all wards or for some.
CREATE INDEX activity_events_xid_idx ON activity_events (xid, id);
CREATE INDEX activity_events_ward_xid_idx ON activity_events (ward_id, xid, id);
