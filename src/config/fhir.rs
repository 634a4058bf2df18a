//! The FHIR API's configuration: the trust the deployment serves (its ODS
//! organisation code, validated in shape, and name) and which roles the
//! trust's administrators have approved for `Patient/$everything`.

use super::ConfigError;
use crate::access::Role;
use crate::ods::{is_ods_code, Trust};

/// The ODS code development uses when none is set: not a real code, so a
/// development record can never pass for a trust's.
pub const DEV_TRUST_ODS_CODE: &str = "ZZZ99";

/// The FHIR API's settings.
#[derive(Debug, Clone)]
pub struct FhirSettings {
    /// `PEERLOG_TRUST_ODS_CODE` and `PEERLOG_TRUST_NAME`.
    pub trust: Trust,
    /// `PEERLOG_FHIR_EVERYTHING_ROLES`: the roles approved to call
    /// `Patient/{id}/$everything` (default `integration`).
    pub everything_roles: Vec<Role>,
}

impl FhirSettings {
    /// Reads the settings; production requires the trust's ODS code.
    pub(super) fn from_vars(
        get: impl Fn(&str) -> Option<String>,
        production: bool,
    ) -> Result<Self, ConfigError> {
        let ods_code = match (get("PEERLOG_TRUST_ODS_CODE"), production) {
            (Some(code), _) if is_ods_code(&code) => code,
            (Some(code), _) => {
                return Err(ConfigError::Invalid {
                    name: "PEERLOG_TRUST_ODS_CODE",
                    reason: format!(
                        "{code:?} is not an ODS code (3 to 10 upper-case letters and digits)"
                    ),
                })
            }
            (None, true) => {
                return Err(ConfigError::Refused(
                    "PEERLOG_TRUST_ODS_CODE is required in production".into(),
                ))
            }
            (None, false) => DEV_TRUST_ODS_CODE.to_string(),
        };
        let name = get("PEERLOG_TRUST_NAME").unwrap_or_else(|| "peerlog development trust".into());
        let roles = get("PEERLOG_FHIR_EVERYTHING_ROLES").unwrap_or_else(|| "integration".into());
        let everything_roles = roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                Role::parse(r).ok_or_else(|| ConfigError::Invalid {
                    name: "PEERLOG_FHIR_EVERYTHING_ROLES",
                    reason: format!("{r:?} is not a role"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(FhirSettings {
            trust: Trust { ods_code, name },
            everything_roles,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)], production: bool) -> Result<FhirSettings, ConfigError> {
        let get = |n: &str| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        };
        FhirSettings::from_vars(get, production)
    }

    #[test]
    fn the_trust_ods_code_is_checked_in_shape_and_required_in_production() {
        let s = read(&[("PEERLOG_TRUST_ODS_CODE", "RX4")], true).unwrap();
        assert_eq!(s.trust.ods_code, "RX4");
        assert_eq!(s.everything_roles, vec![Role::Integration]);
        assert!(read(&[("PEERLOG_TRUST_ODS_CODE", "rx-4")], false).is_err());
        assert!(matches!(read(&[], true), Err(ConfigError::Refused(_))));
        assert_eq!(read(&[], false).unwrap().trust.ods_code, DEV_TRUST_ODS_CODE);
    }

    #[test]
    fn everything_roles_are_roles() {
        let s = read(
            &[("PEERLOG_FHIR_EVERYTHING_ROLES", "integration, manager")],
            false,
        )
        .unwrap();
        assert_eq!(s.everything_roles, vec![Role::Integration, Role::Manager]);
        assert!(read(&[("PEERLOG_FHIR_EVERYTHING_ROLES", "root")], false).is_err());
    }
}
