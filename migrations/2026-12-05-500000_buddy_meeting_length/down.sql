ALTER TABLE buddy_meetings DROP COLUMN length_minutes;
