//! What keeps the records when a disk, a host or a migration fails: the
//! standby the reports read from, and the pgBackRest repository whose
//! backup age `/metrics` shows (`PEERLOG_DATABASE_READ_URL`,
//! `PEERLOG_PGBACKREST_*`).

use std::collections::HashMap;

use super::Secret;

/// Settings for the read-only pool and the backup gauges.
#[derive(Debug, Clone, Default)]
pub struct Continuity {
    /// Where reports and exports read: a streaming standby, listed before
    /// the primary so that a standby down or promoted falls back to it
    /// (`postgres://u@standby:5432,primary:5432/peerlog`). None: the
    /// primary's pool serves them.
    pub read_url: Option<Secret>,
    /// The pgBackRest stanza whose newest backup `/metrics` reports; none:
    /// no backup gauge (WAL archive age comes from PostgreSQL itself).
    pub pgbackrest_stanza: Option<String>,
    /// The pgBackRest configuration file to read the stanza from.
    pub pgbackrest_config: Option<String>,
}

impl Continuity {
    pub(super) fn from_vars(vars: &HashMap<String, String>) -> Self {
        let get = |name: &str| {
            vars.get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Continuity {
            read_url: get("PEERLOG_DATABASE_READ_URL").map(Secret::new),
            pgbackrest_stanza: get("PEERLOG_PGBACKREST_STANZA"),
            pgbackrest_config: get("PEERLOG_PGBACKREST_CONFIG"),
        }
    }
}
