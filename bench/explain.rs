//! Prints the SQL of a report for the benchmark to EXPLAIN, so that what
//! is measured is exactly what the service runs.
//!
//! `cargo run -q --example report_sql -- activity-summary ward,month`

use peerlog::models::report::{self, Dimension};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sql = match args.first().map(String::as_str) {
        Some("escorted-leave") => report::escorted_leave_sql(),
        Some("de-escalation") => report::de_escalation_sql(),
        Some("groups") => report::groups_sql(),
        _ => {
            let dims: Vec<Dimension> = args
                .get(1)
                .map(|g| g.split(',').filter_map(Dimension::parse).collect())
                .unwrap_or_default();
            report::activity_summary_sql(&dims)
        }
    };
    println!("{sql}");
}
