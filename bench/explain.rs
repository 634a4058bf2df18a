//! Prints the SQL of a report, or of one ward's page of activities, for the
//! benchmarks to EXPLAIN, so that what is measured is exactly what the
//! service runs.
//!
//! `cargo run -q --example report_sql -- activity-summary ward,month`
//!
//! `cargo run -q --example report_sql -- activity-page WARD_ID [STARTED_AT ID]`
//! prints the statement of a worker's page of that ward (after the cursor
//! `(STARTED_AT, ID)` when given) on its first line, with `$1`, `$2`, … for
//! its parameters, and the parameters as SQL literals, comma-separated, on
//! the second: `PREPARE page AS <line 1>; EXPLAIN EXECUTE page(<line 2>)`.

use peerlog::auth::WardScope;
use peerlog::models::activity::page::PageQuery;
use peerlog::models::activity::ActivityFilter;
use peerlog::models::report::{self, Dimension, KindReport};
use peerlog::pagination::DEFAULT_LIMIT;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sql = match args.first().map(String::as_str) {
        Some("activity-page") => activity_page(&args[1..]),
        Some("escorted-leave") => report::EscortedLeaveRow::sql(),
        Some("de-escalation") => report::DeEscalationRow::sql(),
        Some("groups") => report::GroupRow::sql(),
        _ => {
            let dims: Vec<Dimension> = args
                .get(1)
                .map(|g| g.split(',').filter_map(Dimension::parse).collect())
                .unwrap_or_default();
            report::activity_summary_sql(&dims, true)
        }
    };
    println!("{sql}");
}

/// The statement and parameters of a page of 50 of one ward's activities
/// for a worker assigned to it, as `GET /api/v1/activities?ward_id=…`
/// sends it.
fn activity_page(args: &[String]) -> String {
    let ward = args
        .first()
        .and_then(|w| w.parse().ok())
        .expect("activity-page WARD_ID [STARTED_AT ID]");
    let after = match (args.get(1), args.get(2)) {
        (Some(at), Some(id)) => Some((
            at.parse().expect("STARTED_AT as RFC 3339"),
            id.parse().expect("ID as a UUID"),
        )),
        _ => None,
    };
    let scope = WardScope::Only(vec![ward]);
    let filter = ActivityFilter {
        ward_id: Some(ward),
        ..Default::default()
    };
    let query = PageQuery::new(&scope, &filter, after, DEFAULT_LIMIT).expect("ward in scope");
    let (sql, params) = query.sql();
    format!("{sql}\n{}", params.join(", "))
}
