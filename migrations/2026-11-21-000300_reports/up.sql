-- Feeds and reports.
--
-- The outbox is read in (xid, id) order, for all wards or for some.
CREATE INDEX activity_events_xid_idx ON activity_events (xid, id);
CREATE INDEX activity_events_ward_xid_idx ON activity_events (ward_id, xid, id);

-- Reports read one period's counted records. The activity summary reads
-- everything it groups and sums from this index alone (an index-only scan
-- on the period's range), never the wide rows with their JSON details.
CREATE INDEX activities_period_idx ON activities (started_at)
    INCLUDE (id, ward_id, kind, recorded_by, duration_minutes)
    WHERE status <> 'entered_in_error';
-- The kind reports (escorted leave, de-escalation, groups) read one kind
-- over a period, with the typed report columns they sum.
CREATE INDEX activities_kind_period_idx ON activities (kind, started_at)
    INCLUDE (ward_id, duration_minutes, leave_minutes, returned_as_planned,
             restraint_avoided, staff_called, attendees_named, attendees_unnamed)
    WHERE status <> 'entered_in_error';
