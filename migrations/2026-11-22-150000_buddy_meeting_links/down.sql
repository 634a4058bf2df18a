DROP TABLE buddy_calendar_subscriptions;
ALTER TABLE buddy_meetings
    DROP CONSTRAINT buddy_meetings_place_mode_check,
    DROP CONSTRAINT buddy_meetings_link_mode_check,
    DROP COLUMN calendar_sequence,
    DROP COLUMN place,
    DROP COLUMN link;
