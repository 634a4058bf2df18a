//! SMART on FHIR scopes for systems (`system/Encounter.rs`,
//! `system/*.read`), as plain values: parsed once, compared by what they
//! permit. peerlog's FHIR surface is read-only, so a scope grants reading
//! (`r`) and searching (`s`) and nothing else; a scope asking to create,
//! update or delete is refused at registration rather than stored and
//! silently ignored.
//!
//! Both syntaxes of SMART App Launch are read: v1 (`.read`) and v2 (`.rs`,
//! `.r`, `.s`; `.cruds` letters in that order).

use std::fmt;

/// What a FHIR request does to a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interaction {
    /// `read`, `vread`, `history`, and Bulk Data export.
    Read,
    /// `search-type`, `_include`.
    Search,
}

/// One `system/` scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartScope {
    /// The resource type, `None` for `*`.
    pub resource_type: Option<String>,
    pub read: bool,
    pub search: bool,
    /// The scope as written, kept so a token grants back what was asked.
    text: String,
}

/// Why a scope was not understood or cannot be granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadScope(pub String);

impl fmt::Display for BadScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl SmartScope {
    /// Reads one scope; only `system/` scopes that read or search.
    pub fn parse(text: &str) -> Result<Self, BadScope> {
        let bad = |why: &str| BadScope(format!("{text:?}: {why}"));
        let rest = text
            .strip_prefix("system/")
            .ok_or_else(|| bad("only system/ scopes are granted to a backend service"))?;
        let (resource, permissions) = rest
            .split_once('.')
            .ok_or_else(|| bad("expected system/<resource type or *>.<permissions>"))?;
        let resource_type = match resource {
            "*" => None,
            r if is_resource_type_name(r) => Some(r.to_string()),
            _ => return Err(bad("not a resource type name")),
        };
        let (read, search) = match permissions {
            "read" => (true, true),
            "write" | "*" => return Err(bad("peerlog's FHIR API is read-only")),
            letters => {
                if letters.is_empty() || !is_in_cruds_order(letters) {
                    return Err(bad(
                        "permissions are v1 `read` or v2 letters of `cruds`, in order",
                    ));
                }
                if letters.contains(['c', 'u', 'd']) {
                    return Err(bad("peerlog's FHIR API is read-only"));
                }
                (letters.contains('r'), letters.contains('s'))
            }
        };
        Ok(SmartScope {
            resource_type,
            read,
            search,
            text: text.to_string(),
        })
    }

    /// Whether this scope allows an interaction on a resource type.
    pub fn permits(&self, resource_type: &str, interaction: Interaction) -> bool {
        let type_fits = self
            .resource_type
            .as_deref()
            .is_none_or(|t| t == resource_type);
        type_fits
            && match interaction {
                Interaction::Read => self.read,
                Interaction::Search => self.search,
            }
    }

    /// Whether everything `other` allows, this allows too.
    pub fn covers(&self, other: &SmartScope) -> bool {
        let type_fits = match (&self.resource_type, &other.resource_type) {
            (None, _) => true,
            (Some(a), Some(b)) => a == b,
            (Some(_), None) => false,
        };
        type_fits && (self.read || !other.read) && (self.search || !other.search)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Letters of `cruds`, each at most once, in that order.
fn is_in_cruds_order(letters: &str) -> bool {
    let mut from = 0;
    for c in letters.chars() {
        match "cruds"[from..].find(c) {
            Some(i) => from += i + 1,
            None => return false,
        }
    }
    true
}

/// A FHIR resource type name: an upper-case letter then letters.
fn is_resource_type_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphabetic())
}

/// The scopes a caller holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmartScopes(pub Vec<SmartScope>);

impl SmartScopes {
    /// Reads a space-separated list (the OAuth `scope` parameter).
    pub fn parse_list(text: &str) -> Result<Self, BadScope> {
        text.split(' ')
            .filter(|s| !s.is_empty())
            .map(SmartScope::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(SmartScopes)
    }

    /// Whether any scope allows the interaction on the resource type.
    pub fn permits(&self, resource_type: &str, interaction: Interaction) -> bool {
        self.0.iter().any(|s| s.permits(resource_type, interaction))
    }

    /// Whether one of these scopes covers `scope`.
    pub fn covers(&self, scope: &SmartScope) -> bool {
        self.0.iter().any(|s| s.covers(scope))
    }

    /// The scopes as the OAuth `scope` parameter writes them.
    pub fn to_param(&self) -> String {
        self.0
            .iter()
            .map(SmartScope::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a Backend Services token carries besides the integration role:
/// which client, which scopes, and whether it is limited to its account's
/// wards or may see the whole trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemGrant {
    pub client_id: String,
    pub scopes: SmartScopes,
    pub trust_wide: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v2_read_scopes_parse() {
        let s = SmartScope::parse("system/Encounter.rs").unwrap();
        assert!(s.permits("Encounter", Interaction::Read));
        assert!(s.permits("Encounter", Interaction::Search));
        assert!(!s.permits("Patient", Interaction::Read));
        let s = SmartScope::parse("system/*.read").unwrap();
        assert!(s.permits("Patient", Interaction::Search));
        let s = SmartScope::parse("system/Patient.r").unwrap();
        assert!(!s.permits("Patient", Interaction::Search));
    }

    #[test]
    fn writes_other_contexts_and_nonsense_are_refused() {
        for bad in [
            "system/*.write",
            "system/*.*",
            "system/Encounter.cruds",
            "system/Encounter.sr",
            "patient/Encounter.rs",
            "user/*.read",
            "system/encounter.rs",
            "system/Encounter",
            "system/Encounter.",
            "openid",
        ] {
            assert!(SmartScope::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_wildcard_covers_each_type_but_not_the_reverse() {
        let all = SmartScope::parse("system/*.rs").unwrap();
        let enc = SmartScope::parse("system/Encounter.read").unwrap();
        let enc_r = SmartScope::parse("system/Encounter.r").unwrap();
        assert!(all.covers(&enc));
        assert!(!enc.covers(&all));
        assert!(enc.covers(&enc_r));
        assert!(!enc_r.covers(&enc));
    }
}
