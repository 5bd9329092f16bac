//! The rows of one 5374 file: the CSV reading that every file shares, with each row's line
//! number kept for the error messages.
//!
//! A UTF-8 BOM, CRLF line ends and quoted fields (commas and line breaks inside quotes) are
//! all read, since cities save these files from spreadsheet programs. Fields are trimmed, and
//! rows whose fields are all empty (the trailing `,,,` a spreadsheet leaves) are skipped.

use csv::{ReaderBuilder, Trim};

use super::import_error::{Five374File, GarbageImportError, ImportReason};

/// One data row: its line and its fields.
pub(super) struct Row {
    pub(super) line: u64,
    pub(super) fields: Vec<String>,
}

/// The header and the data rows of a file, each row's field count checked against the
/// `accepted` widths, or the header's width when `None`.
pub(super) fn rows(
    file: Five374File,
    text: &str,
    accepted: Option<&[usize]>,
) -> Result<(Vec<String>, Vec<Row>), GarbageImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(text.as_bytes());
    let mut header = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| GarbageImportError {
            file,
            line: e.position().map_or(0, csv::Position::line),
            reason: ImportReason::Csv(e.to_string()),
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        let Some(header_fields) = &header else {
            header = Some(fields);
            continue;
        };
        let expected = header_fields.len();
        let fits = accepted.map_or(fields.len() == expected, |widths| {
            widths.contains(&fields.len())
        });
        if !fits {
            let reason = ImportReason::ColumnCount {
                expected: accepted.and_then(|w| w.last().copied()).unwrap_or(expected),
                found: fields.len(),
            };
            return Err(GarbageImportError { file, line, reason });
        }
        rows.push(Row { line, fields });
    }
    let header = header.ok_or(GarbageImportError {
        file,
        line: 1,
        reason: ImportReason::NoHeader,
    })?;
    Ok((header, rows))
}

/// The field at `index` of a row whose width is already checked.
pub(super) fn field(row: &Row, index: usize) -> &str {
    row.fields.get(index).map_or("", String::as_str)
}
