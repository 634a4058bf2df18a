//! Reading one variable's value: booleans and bounded numbers, refused
//! with the variable's name.

use std::fmt;

use super::ConfigError;

pub(super) fn parse_bool(value: Option<&str>, name: &'static str) -> Result<bool, ConfigError> {
    match value.map(str::to_ascii_lowercase).as_deref() {
        None | Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some("1") | Some("true") | Some("yes") | Some("on") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            name,
            reason: format!("{other:?} is not a boolean (use 1 or 0)"),
        }),
    }
}

pub(super) fn parse_num<T>(
    value: Option<&str>,
    name: &'static str,
    default: T,
    min: T,
    max: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    let Some(raw) = value else { return Ok(default) };
    let n: T = raw.parse().map_err(|_| ConfigError::Invalid {
        name,
        reason: format!("{raw:?} is not a number"),
    })?;
    if n < min || n > max {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("{n} is outside {min}..={max}"),
        });
    }
    Ok(n)
}
