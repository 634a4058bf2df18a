//! The trust's enrolled ward tablets.

diesel::table! {
    tablets (id) {
        id -> Uuid,
        name -> Text,
        ward_id -> Nullable<Uuid>,
        code_hash -> Nullable<Bytea>,
        code_expires_at -> Nullable<Timestamptz>,
        secret_hash -> Nullable<Bytea>,
        enrolled_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        last_sign_in_at -> Nullable<Timestamptz>,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
