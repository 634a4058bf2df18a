//! Reports come as JSON or as CSV for spreadsheets: which one the caller
//! asked for, and the CSV answer with its header row and file name. Shared
//! by the Buddy Scheme's report and the managers' activity reports.
//!
//! A CSV answer is written from the same `Serialize` types as the JSON
//! one: each column is a JSON field of the row, named as in JSON, so the
//! two cannot drift apart. A cell is the field's JSON value as text, with
//! two exceptions kept from the CSV the downloads have always had: an
//! absent or null field is an empty cell, and a decimal prints as Rust
//! prints it (`3`, not `3.0`; `0.5`).

use actix_web::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::error::{ApiError, ApiResult};

/// The media types a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Json,
    Csv,
}

/// Which format the caller asked for: `format` wins, then `Accept`.
pub fn wanted_format(req: &HttpRequest, asked: Option<ReportFormat>) -> ReportFormat {
    asked.unwrap_or_else(|| {
        let accept = req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains("text/csv") {
            ReportFormat::Csv
        } else {
            ReportFormat::Json
        }
    })
}

/// The JSON field names of a row type, in declaration order, as its schema
/// lists them (the header row even of a report with no rows).
pub fn field_names<T: PartialSchema>() -> Vec<String> {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The cells of one row under `columns`: each the row's JSON field of
/// that name, as text (see the module documentation).
pub fn cells<T: Serialize, C: AsRef<str>>(
    row: &T,
    columns: &[C],
) -> serde_json::Result<Vec<String>> {
    let value = serde_json::to_value(row)?;
    Ok(columns
        .iter()
        .map(|c| cell(value.get(c.as_ref())))
        .collect())
}

/// One JSON value as a CSV cell.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if n.is_f64() => f.to_string(),
            _ => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// CSV text: a header row, then the records, quoted where a field needs
/// it (commas, quotes, line breaks).
fn to_csv<H, I, R>(header: &[H], records: I) -> Result<String, String>
where
    H: AsRef<[u8]>,
    I: IntoIterator<Item = R>,
    R: Serialize,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for record in records {
        writer.serialize(record).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A CSV answer with a header row, offered as a download named `filename`.
pub fn csv_records<H, I, R>(header: &[H], records: I, filename: &str) -> ApiResult<HttpResponse>
where
    H: AsRef<[u8]>,
    I: IntoIterator<Item = R>,
    R: Serialize,
{
    let body = to_csv(header, records).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body))
}

/// Rows as a CSV download with the given columns (JSON field names).
pub fn csv_columns<T: Serialize, C: AsRef<str>>(
    columns: &[C],
    rows: &[T],
    filename: &str,
) -> ApiResult<HttpResponse> {
    let records = rows
        .iter()
        .map(|row| cells(row, columns))
        .collect::<serde_json::Result<Vec<_>>>()
        .map_err(ApiError::internal)?;
    let header: Vec<&str> = columns.iter().map(AsRef::as_ref).collect();
    csv_records(&header, records, filename)
}

/// Rows as a CSV download, one column per JSON field.
pub fn csv_response<T: Serialize + PartialSchema>(
    rows: &[T],
    filename: &str,
) -> ApiResult<HttpResponse> {
    csv_columns(&field_names::<T>(), rows, filename)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, ToSchema)]
    struct Row {
        name: String,
        count: i64,
        share: f64,
        rating: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        grouped: Option<String>,
    }

    #[test]
    fn columns_are_the_json_fields_and_cells_keep_the_old_text() {
        assert_eq!(
            field_names::<Row>(),
            ["name", "count", "share", "rating", "grouped"]
        );
        let row = Row {
            name: "Ash, \"Quiet\"".into(),
            count: 3,
            share: 1.0,
            rating: None,
            grouped: None,
        };
        let names = field_names::<Row>();
        assert_eq!(
            cells(&row, &names).unwrap(),
            ["Ash, \"Quiet\"", "3", "1", "", ""]
        );
        let body = to_csv(&names, [cells(&row, &names).unwrap()]).unwrap();
        assert_eq!(
            body,
            "name,count,share,rating,grouped\n\"Ash, \"\"Quiet\"\"\",3,1,,\n"
        );
        let halves = Row {
            share: 0.5,
            rating: Some(4.25),
            ..row
        };
        assert_eq!(
            cells(&halves, &["share", "rating"]).unwrap(),
            ["0.5", "4.25"]
        );
        let empty: Vec<Vec<String>> = Vec::new();
        assert_eq!(
            to_csv(&names, empty).unwrap(),
            "name,count,share,rating,grouped\n"
        );
    }
}
