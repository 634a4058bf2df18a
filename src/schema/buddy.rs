//! The Buddy Scheme: cohorts, students, buddies, pairings, meetings,
//! reflections and feedback.

use super::foundation::users;

diesel::table! {
    buddy_cohorts (id) {
        id -> Uuid,
        name -> Text,
        institution -> Text,
        discipline -> Text,
        starts_on -> Date,
        ends_on -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    buddy_students (id) {
        id -> Uuid,
        cohort_id -> Uuid,
        full_name -> Text,
        discipline -> Text,
        institution -> Text,
        email -> Text,
        user_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    buddies (id) {
        id -> Uuid,
        full_name -> Text,
        buddy_type -> Text,
        volunteer_status -> Text,
        volunteer_verified_on -> Nullable<Date>,
        capacity -> Integer,
        email -> Nullable<Text>,
        user_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    buddy_pairings (id) {
        id -> Uuid,
        student_id -> Uuid,
        cohort_id -> Uuid,
        buddy_id -> Uuid,
        coordinator_id -> Uuid,
        status -> Text,
        planned_meetings -> Integer,
        withdrawn_reason -> Nullable<Text>,
        activated_at -> Nullable<Timestamptz>,
        ended_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    buddy_meetings (id) {
        id -> Uuid,
        pairing_id -> Uuid,
        sequence -> Integer,
        planned_at -> Timestamptz,
        mode -> Text,
        topic -> Text,
        status -> Text,
        duration_minutes -> Nullable<Integer>,
        link -> Nullable<Text>,
        place -> Nullable<Text>,
        calendar_sequence -> Integer,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        length_minutes -> Integer,
    }
}

diesel::table! {
    buddy_reflections (id) {
        id -> Uuid,
        meeting_id -> Uuid,
        body -> Text,
        author_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    buddy_feedback (id) {
        id -> Uuid,
        pairing_id -> Uuid,
        respondent -> Text,
        overall_rating -> Integer,
        support_rating -> Integer,
        comments -> Nullable<Text>,
        author_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(buddy_students -> buddy_cohorts (cohort_id));
diesel::joinable!(buddy_pairings -> buddy_students (student_id));
diesel::joinable!(buddy_pairings -> buddies (buddy_id));
diesel::joinable!(buddy_pairings -> users (coordinator_id));
diesel::joinable!(buddy_meetings -> buddy_pairings (pairing_id));
diesel::joinable!(buddy_reflections -> buddy_meetings (meeting_id));
diesel::joinable!(buddy_feedback -> buddy_pairings (pairing_id));

diesel::allow_tables_to_appear_in_same_query!(
    buddy_cohorts,
    buddy_students,
    buddies,
    buddy_pairings,
    buddy_meetings,
    buddy_reflections,
    buddy_feedback,
    users,
);

diesel::table! {
    buddy_calendar_subscriptions (user_id) {
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(buddy_calendar_subscriptions, users);
