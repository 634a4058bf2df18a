-- One ward's page of activities takes its ids and statuses from this index
-- alone: an index-only scan from the cursor on, stopped after a page,
-- whatever share of the activities the ward holds (see
-- src/models/activity/page.rs). Read through the heap instead, the planner
-- preferred a global started_at index filtered by ward for a ward with
-- most of the activities (the heap follows started_at, not ward_id).
-- Same name, same key: only the included status is new.
DROP INDEX activities_ward_started_idx;
CREATE INDEX activities_ward_started_idx ON activities (ward_id, started_at DESC, id DESC)
    INCLUDE (status);
