-- How long a Buddy Scheme meeting is planned to last, so calendars show its
-- end (DTEND). 15 minutes to 4 hours. Meetings planned before lengths were
-- asked get an hour, the length calendars already showed for them.
ALTER TABLE buddy_meetings
    ADD COLUMN length_minutes integer NOT NULL DEFAULT 60
        CHECK (length_minutes BETWEEN 15 AND 240);
