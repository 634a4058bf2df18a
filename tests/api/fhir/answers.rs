//! People's answers over FHIR: QuestionnaireResponse and Observation are
//! for the trust's systems (and `$everything`), never a person on the ward,
//! within the ward scope, audited.

use peerlog::auth::Role;

use super::{ids, outcome};
use crate::activities::Ward;
use crate::common::smart::{rs384, smart_app};
use crate::measures::{submit, your_say};

#[actix_web::test]
async fn answers_reach_the_trust_systems_as_questionnaire_responses_and_observations() {
    let w = Ward::on(smart_app().await).await;
    let mine = your_say(w.people[0], 5, 2);
    submit(&w, &w.worker, &mine).await.assert_status(201);
    let mut declined = your_say(w.people[1], 5, 2);
    declined["declined"] = serde_json::json!(true);
    declined["answers"] = serde_json::json!({});
    submit(&w, &w.worker, &declined).await.assert_status(201);
    let app = &w.app;
    let id = mine["id"].as_str().unwrap();

    // Nobody on the ward reads an individual answer, not even a manager.
    let manager = app.user(Role::Manager, &[]).await;
    for token in [&w.worker.token, &manager.token] {
        for path in [
            format!("/fhir/R4/QuestionnaireResponse/{id}"),
            format!("/fhir/R4/Observation?patient={}", w.people[0]),
        ] {
            outcome(&app.get(&path, token).await, 403, "forbidden");
        }
    }

    // The trust's integration account reads them, audited.
    let epr = app.user(Role::Integration, &[]).await;
    let qr = app
        .get(&format!("/fhir/R4/QuestionnaireResponse/{id}"), &epr.token)
        .await;
    qr.assert_status(200);
    let qr = qr.json();
    assert_eq!(qr["status"], "completed");
    assert_eq!(
        qr["subject"]["reference"],
        format!("Patient/{}", w.people[0])
    );
    let answered: Vec<(&str, i64)> = qr["item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["linkId"].as_str().unwrap(),
                i["answer"][0]["valueInteger"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(answered, vec![("experience", 5), ("listened", 2)]);
    assert_eq!(
        app.audit_count("fhir_read", "measure_response").await,
        1,
        "the read is audited"
    );
    let obs = app
        .get(
            &format!("/fhir/R4/Observation?patient={}", w.people[0]),
            &epr.token,
        )
        .await;
    obs.assert_status(200);
    let obs = obs.json();
    assert_eq!(ids(&obs, "Observation"), vec![id.to_string()]);
    let o = &obs["entry"][0]["resource"];
    assert_eq!(o["code"]["coding"][0]["code"], "your_say");
    assert_eq!(
        o["component"][0]["code"]["coding"][0]["code"],
        "your_say.experience"
    );
    assert_eq!(o["component"][0]["valueQuantity"]["value"], 5.0);

    // A declined answer is a stopped response with no Observation.
    let all = app
        .get("/fhir/R4/QuestionnaireResponse", &epr.token)
        .await
        .json();
    assert_eq!(ids(&all, "QuestionnaireResponse").len(), 2);
    let stopped = app
        .get(
            &format!(
                "/fhir/R4/QuestionnaireResponse?subject=Patient/{}",
                w.people[1]
            ),
            &epr.token,
        )
        .await
        .json();
    assert_eq!(stopped["entry"][0]["resource"]["status"], "stopped");
    let none = app
        .get(
            &format!("/fhir/R4/Observation?patient={}", w.people[1]),
            &epr.token,
        )
        .await
        .json();
    assert!(ids(&none, "Observation").is_empty());

    // A Backend Services client registered for the other ward sees none
    // of them, and one without a QuestionnaireResponse scope reads none.
    let admin = app.user(Role::Admin, &[]).await;
    let key = rs384("answers");
    app.register_client(
        &admin.token,
        "oak-epr",
        &[&key],
        &["system/QuestionnaireResponse.rs"],
        &[w.other_ward],
    )
    .await;
    let oak = app
        .system_token("oak-epr", &key, "system/QuestionnaireResponse.rs")
        .await;
    outcome(
        &app.get(&format!("/fhir/R4/QuestionnaireResponse/{id}"), &oak)
            .await,
        404,
        "not-found",
    );
    let theirs = app.get("/fhir/R4/QuestionnaireResponse", &oak).await.json();
    assert!(ids(&theirs, "QuestionnaireResponse").is_empty());
    let scores_key = rs384("scores");
    app.register_client(
        &admin.token,
        "ash-scores",
        &[&scores_key],
        &["system/Observation.rs"],
        &[w.ward],
    )
    .await;
    let scores_only = app
        .system_token("ash-scores", &scores_key, "system/Observation.rs")
        .await;
    app.get(&format!("/fhir/R4/Observation/{id}"), &scores_only)
        .await
        .assert_status(200);
    outcome(
        &app.get(
            &format!("/fhir/R4/QuestionnaireResponse/{id}"),
            &scores_only,
        )
        .await,
        403,
        "forbidden",
    );

    // $everything carries the person's answers.
    let everything = app
        .get(
            &format!("/fhir/R4/Patient/{}/$everything", w.people[0]),
            &epr.token,
        )
        .await
        .json();
    assert_eq!(
        ids(&everything, "QuestionnaireResponse"),
        vec![id.to_string()]
    );
    assert_eq!(ids(&everything, "Observation"), vec![id.to_string()]);

    // A search parameter the answers do not serve is refused by name.
    let bad = app
        .get("/fhir/R4/Observation?code=your_say", &epr.token)
        .await;
    let body = outcome(&bad, 400, "invalid");
    assert!(body.to_string().contains("code"), "{body}");
}
