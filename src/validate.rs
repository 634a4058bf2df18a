//! Collecting every field error of a request before answering, so a tablet
//! form can mark all its wrong fields at once.

use serde::Serialize;
use utoipa::ToSchema;

/// One failing field in a validation problem.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field at fault, e.g. `details.escalated_to`.
    #[schema(example = "details.escalated_to")]
    pub field: String,
    /// Stable machine code, e.g. `required`, `too_long`, `invalid`.
    #[schema(example = "required")]
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// The field errors of an input that breaks its rules (answered 422).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl From<FieldError> for Invalid {
    fn from(err: FieldError) -> Self {
        Invalid(vec![err])
    }
}

/// The field errors found so far.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Errors::default()
    }

    /// Adds one error.
    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Checks a text's length in characters, after trimming.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let n = value.trim().chars().count();
        if n < min {
            if min == 1 {
                self.add(field, "required", "must not be empty");
            } else {
                self.add(
                    field,
                    "too_short",
                    format!("must be at least {min} characters"),
                );
            }
        } else if n > max {
            self.add(
                field,
                "too_long",
                format!("must be at most {max} characters"),
            );
        }
    }

    /// Checks an optional text, when present.
    pub fn opt_text(&mut self, field: &str, value: Option<&str>, min: usize, max: usize) {
        if let Some(v) = value {
            self.text(field, v, min, max);
        }
    }

    /// Adds the errors of a nested object under a prefix.
    pub fn extend_prefixed(&mut self, prefix: &str, other: Errors) {
        for mut e in other.0 {
            e.field = format!("{prefix}.{}", e.field);
            self.0.push(e);
        }
    }

    /// The fields at fault, in the order found.
    pub fn fields(&self) -> Vec<String> {
        self.0.iter().map(|e| e.field.clone()).collect()
    }

    /// Whether some error already names this field.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// The errors found so far, in the order found.
    pub fn list(&self) -> &[FieldError] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was wrong, otherwise a 422 naming every field.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut e = Errors::new();
        e.text("name", "  ", 1, 10);
        e.text("code", "ABCDEFGHIJKL", 1, 10);
        e.text("ok", "fine", 1, 10);
        let Invalid(list) = e.finish().unwrap_err();
        let fields: Vec<_> = list
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(fields, vec![("name", "required"), ("code", "too_long")]);
    }
}
