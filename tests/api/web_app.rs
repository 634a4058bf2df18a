//! `/`: the web app, embedded in the binary, with its caching and its
//! Content-Security-Policy. `scripts/test` builds the app first and sets
//! `PEERLOG_EXPECT_WEB_APP=1`, so the built case is the one CI checks.

use actix_web::http::Method;

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
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
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
