//! `/`: the web app, embedded in the binary, with its caching and its
//! Content-Security-Policy. `scripts/test` builds the app first and sets
//! `PEERLOG_EXPECT_WEB_APP=1`, so the built case is the one CI checks.

use actix_web::http::Method;
use actix_web::{web, App, HttpResponse, HttpServer};
use peerlog::config::OidcSettings;
use peerlog::web_app::{Policy, CONTENT_SECURITY_POLICY};
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn the_app_is_served_at_the_root_with_a_strict_policy() {
    let app = TestApp::new().await;
    let expect_built = std::env::var("PEERLOG_EXPECT_WEB_APP").is_ok_and(|v| v == "1");
    assert!(
        !expect_built || peerlog::web_app::is_built(),
        "the web app was not embedded: build web/ before cargo"
    );
    let res = app.send(TestApp::req(Method::GET, "/", None)).await;
    res.assert_status(200);
    assert!(res
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    let csp = res.header("content-security-policy").unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self';",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    // No identity provider configured: the API is the only place to talk to.
    assert_eq!(csp, CONTENT_SECURITY_POLICY);
    assert_eq!(res.header("cache-control").as_deref(), Some("no-cache"));
    assert_eq!(
        res.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let html = res.text();
    if !peerlog::web_app::is_built() {
        assert!(html.contains("npm run build"), "{html}");
        return;
    }
    // No inline script: every script is a file of our own origin.
    assert!(!html.contains("<script>") && html.contains("<script type=\"module\""));
    assert!(html.contains("manifest.webmanifest"));

    // A hashed asset named by the page is cached for a year, and gzipped
    // for a browser that takes gzip.
    let asset = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page names its script")
        .to_string();
    assert!(asset.starts_with("/assets/"), "{asset}");
    let js = app.send(TestApp::req(Method::GET, &asset, None)).await;
    js.assert_status(200);
    assert_eq!(
        js.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert!(js.header("content-type").unwrap().contains("javascript"));
    let gz = app
        .send(TestApp::req(Method::GET, &asset, None).insert_header(("accept-encoding", "gzip")))
        .await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));

    // Revalidation of an unchanged page costs no body.
    let etag = res.header("etag").unwrap();
    let again = app
        .send(TestApp::req(Method::GET, "/", None).insert_header(("if-none-match", etag)))
        .await;
    again.assert_status(304);

    // The service worker and the manifest are always revalidated.
    for path in ["/sw.js", "/manifest.webmanifest"] {
        let res = app.send(TestApp::req(Method::GET, path, None)).await;
        res.assert_status(200);
        assert_eq!(
            res.header("cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn paths_that_are_neither_app_nor_api_are_still_problems() {
    let app = TestApp::new().await;
    let res = app
        .send(TestApp::req(Method::GET, "/no-such-page.html", None))
        .await;
    res.assert_problem(404, "not_found");
    let res = app.send(TestApp::req(Method::POST, "/", None)).await;
    res.assert_status(404);
}

/// A discovery document (and an empty JWKS) naming a token endpoint on
/// another origin than the issuer's, as some providers do.
async fn provider_with_token_endpoint(token_endpoint: &'static str) -> String {
    let issuer = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let cell = issuer.clone();
    let server = HttpServer::new(move || {
        let cell = cell.clone();
        App::new()
            .route(
                "/.well-known/openid-configuration",
                web::get().to(move || {
                    let issuer = cell.lock().unwrap().clone();
                    async move {
                        HttpResponse::Ok().json(json!({
                            "issuer": issuer,
                            "authorization_endpoint": format!("{issuer}/authorize"),
                            "token_endpoint": token_endpoint,
                            "jwks_uri": format!("{issuer}/jwks"),
                        }))
                    }
                }),
            )
            .route(
                "/jwks",
                web::get().to(|| async { HttpResponse::Ok().json(json!({ "keys": [] })) }),
            )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let url = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    *issuer.lock().unwrap() = url.clone();
    actix_web::rt::spawn(server.run());
    url
}

#[actix_web::test]
async fn with_an_identity_provider_the_app_may_reach_its_token_endpoint_and_nothing_more() {
    let token_endpoint = "https://token.idp.example:8443/oauth2/v2.0/token";
    let issuer = provider_with_token_endpoint(token_endpoint).await;
    let mut settings = OidcSettings::for_tests(&issuer, "peerlog-web");
    settings.client_id = Some("peerlog-web".into());
    // As at start (main.rs): discovery first, then the app and its policy.
    let app = TestApp::with_config(|c| c.oidc = Some(settings)).await;
    app.state.warm_up().await;
    let policy = Policy::for_state(&app.state);
    let csp = policy.value().to_str().unwrap();
    assert_eq!(
        csp,
        CONTENT_SECURITY_POLICY.replace(
            "connect-src 'self';",
            "connect-src 'self' https://token.idp.example:8443;"
        )
    );

    // This test app was built before discovery: the issuer's origin stands
    // in for the token endpoint's, on the page and at the callback path.
    for path in ["/", "/auth/callback?code=c&state=s"] {
        let res = app.send(TestApp::req(Method::GET, path, None)).await;
        res.assert_status(200);
        let csp = res.header("content-security-policy").unwrap();
        assert_eq!(
            csp,
            CONTENT_SECURITY_POLICY.replace(
                "connect-src 'self';",
                &format!("connect-src 'self' {issuer};")
            ),
            "{path}"
        );
        for directive in [
            "default-src 'self';",
            "script-src 'self';",
            "form-action 'self';",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
    }
    // The app tells the browser where that token endpoint is.
    let config = app
        .send(TestApp::req(Method::GET, "/api/v1/app-config", None))
        .await
        .json();
    assert_eq!(config["oidc"]["token_endpoint"], token_endpoint);
}

#[actix_web::test]
async fn the_provider_sends_people_back_to_a_path_that_serves_the_app() {
    let app = TestApp::new().await;
    let root = app.send(TestApp::req(Method::GET, "/", None)).await;
    let callback = app
        .send(TestApp::req(
            Method::GET,
            "/auth/callback?code=abc&state=def",
            None,
        ))
        .await;
    callback.assert_status(200);
    assert_eq!(
        callback.header("cache-control").as_deref(),
        Some("no-cache")
    );
    assert_eq!(
        callback.header("content-security-policy").as_deref(),
        Some(CONTENT_SECURITY_POLICY)
    );
    assert_eq!(callback.text(), root.text());
    // Only that path: nothing beneath it, and only GET/HEAD.
    app.send(TestApp::req(Method::GET, "/auth/callback/x", None))
        .await
        .assert_problem(404, "not_found");
    app.send(TestApp::req(Method::POST, "/auth/callback", None))
        .await
        .assert_status(404);
}
