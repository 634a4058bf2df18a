//! Integration clients (SMART Backend Services) and their used assertion ids.

use super::users;

diesel::table! {
    integration_clients (id) {
        id -> Uuid,
        client_id -> Text,
        user_id -> Uuid,
        jwks -> Nullable<Jsonb>,
        jwks_url -> Nullable<Text>,
        scopes -> Array<Text>,
        trust_wide -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    client_assertion_jtis (client_id, jti) {
        client_id -> Uuid,
        jti -> Text,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(integration_clients -> users (user_id));
diesel::joinable!(client_assertion_jtis -> integration_clients (client_id));

diesel::allow_tables_to_appear_in_same_query!(integration_clients, users, client_assertion_jtis);
