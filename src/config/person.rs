//! How the ward tablet tells apart two people with the same initials: the
//! trust chooses what it can send (`PEERLOG_PERSON_DISAMBIGUATOR`).

use serde::Serialize;
use utoipa::ToSchema;

use super::ConfigError;

/// What the tablet shows after a person's initials when two people on a
/// ward share them. Never a name, never an NHS number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonDisambiguator {
    /// The last 3 characters of the trust's reference (more where two
    /// references end alike): works with what every trust already sends.
    #[default]
    Reference,
    /// The bed or bay the trust sends with the person (`bed_or_bay`);
    /// the reference's last characters for anyone sent without one.
    BedOrBay,
}

impl PersonDisambiguator {
    /// Reads the variable's value; absent is `reference`.
    pub(super) fn parse(value: Option<&str>) -> Result<Self, ConfigError> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("reference") => Ok(PersonDisambiguator::Reference),
            Some("bed_or_bay") => Ok(PersonDisambiguator::BedOrBay),
            Some(other) => Err(ConfigError::Invalid {
                name: "PEERLOG_PERSON_DISAMBIGUATOR",
                reason: format!("{other:?} is not one of reference, bed_or_bay"),
            }),
        }
    }
}
