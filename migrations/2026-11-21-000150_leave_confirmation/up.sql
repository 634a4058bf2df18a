-- Ward staff confirm an escorted leave's authorisation (e.g. that section 17
-- leave was granted): who confirmed it and when, on escorted leave only.
ALTER TABLE activities
    ADD COLUMN leave_confirmed_by uuid REFERENCES users (id),
    ADD COLUMN leave_confirmed_at timestamptz,
    ADD CONSTRAINT activities_leave_confirmation_check CHECK (
        (leave_confirmed_by IS NULL) = (leave_confirmed_at IS NULL)
        AND (leave_confirmed_by IS NULL OR kind = 'escorted_leave')
    );
