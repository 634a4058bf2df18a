ALTER TABLE activities
    DROP CONSTRAINT activities_leave_confirmation_check,
    DROP COLUMN leave_confirmed_at,
    DROP COLUMN leave_confirmed_by;
