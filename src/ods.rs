//! The NHS Organisation Data Service's codes, as peerlog uses them: the
//! trust a deployment serves, and the shape an ODS code must have. Plain
//! values, so configuration and the FHIR mapping both take them.

/// The trust the deployment serves: its ODS organisation code (validated
/// in shape by the configuration) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub ods_code: String,
    pub name: String,
}

impl Trust {
    /// The FHIR reference to the trust's Organization.
    pub fn reference(&self) -> serde_json::Value {
        serde_json::json!({ "reference": format!("Organization/{}", self.ods_code), "display": self.name })
    }
}

/// Whether a value has the shape of an ODS code: 3 to 10 upper-case
/// letters and digits (trusts have 3, their sites 5).
pub fn is_ods_code(value: &str) -> bool {
    (3..=10).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_codes_are_checked_in_shape() {
        for ok in ["RX4", "RX4E4", "TAJ", "R1A12"] {
            assert!(is_ods_code(ok), "{ok}");
        }
        for bad in ["", "RX", "rx4", "RX-4", "RX4 ", "ABCDEFGHIJK"] {
            assert!(!is_ods_code(bad), "{bad}");
        }
    }
}
