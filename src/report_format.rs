//! Reports come as JSON or as CSV for spreadsheets: which one the caller
//! asked for, and the CSV answer with its header row and file name. Shared
//! by the Buddy Scheme's report and the managers' activity reports.

use actix_web::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

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

/// A report row that can be written as a CSV record.
pub trait CsvRow {
    /// The header row.
    fn header() -> Vec<&'static str>;
    /// The row's fields, in header order.
    fn fields(&self) -> Vec<String>;
}

/// CSV text: a header row, then the records, quoted where a field needs
/// it (commas, quotes, line breaks).
pub fn to_csv<I>(header: &[&str], records: I) -> Result<String, String>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for record in records {
        writer.write_record(record).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A CSV answer with a header row, offered as a download named `filename`.
pub fn csv_records<I>(header: &[&str], records: I, filename: &str) -> ApiResult<HttpResponse>
where
    I: IntoIterator<Item = Vec<String>>,
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

/// Typed report rows as a CSV download.
pub fn csv_response<R: CsvRow>(rows: &[R], filename: &str) -> ApiResult<HttpResponse> {
    csv_records(&R::header(), rows.iter().map(CsvRow::fields), filename)
}

/// A field for an optional value: empty when absent.
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}
