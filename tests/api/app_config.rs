//! `/api/v1/app-config`: what the web app and tablets need before sign-in.

use actix_web::http::Method;

use crate::common::TestApp;

#[actix_web::test]
async fn the_app_config_is_public_and_carries_the_idle_lock() {
    let app = TestApp::with_config(|c| c.idle_lock_secs = 120).await;
    let res = app
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["idle_lock_seconds"], 120);
    // By default, people who share initials are told apart by the end of
    // the trust's reference.
    assert_eq!(res.json()["person_disambiguator"], "reference");
}

#[actix_web::test]
async fn the_app_config_names_the_disambiguator_the_trust_chose() {
    let app = TestApp::with_config(|c| {
        c.person_disambiguator = peerlog::config::PersonDisambiguator::BedOrBay
    })
    .await;
    let res = app
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await;
    assert_eq!(res.json()["person_disambiguator"], "bed_or_bay");
}
