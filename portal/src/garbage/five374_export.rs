//! Writing [`GarbageData`] back as the 5374 files, so that a city can take its calendar out of
//! the portal again (into the 5374 app, or to edit it in a spreadsheet).
//!
//! What is written reads back to the same data: rule cells in their canonical form
//! ([`format_rules`]), pause dates as `YYYY/MM/DD` like Kanazawa's files, UTF-8 without a BOM
//! (the 5374 app reads the header by name), LF line ends, fields quoted only where needed.

use csv::{Terminator, WriterBuilder};
use jiff::civil::Date;

use super::data::GarbageData;
use super::five374::Five374Files;
use super::rules::format_rules;

/// Writes the five files (`remarks` only if the data has remarks).
pub fn export(data: &GarbageData) -> Five374Files {
    let area_header = ["地名", "センター"]
        .into_iter()
        .map(str::to_owned)
        .chain(data.kinds.iter().cloned());
    let area_rows = data.areas.iter().map(|area| {
        let cells = data.kinds.iter().enumerate().map(|(index, _)| {
            area.rules
                .get(index)
                .map_or_else(String::new, |rules| format_rules(rules))
        });
        [area.name.clone(), area.center.clone().unwrap_or_default()]
            .into_iter()
            .chain(cells)
            .collect()
    });
    let centers = data.centers.iter().map(|center| {
        let (from, to) = center
            .pause
            .map_or((String::new(), String::new()), |(from, to)| {
                (slash_date(from), slash_date(to))
            });
        vec![center.name.clone(), from, to]
    });
    let descriptions = data.descriptions.iter().map(|d| {
        vec![
            d.label.clone(),
            d.sublabel.clone(),
            d.description.clone(),
            d.styles.clone(),
            d.bgcolor.clone(),
        ]
    });
    let targets = data.targets.iter().map(|t| {
        vec![
            t.kind.clone(),
            t.name.clone(),
            t.notice.clone(),
            t.furigana.clone(),
        ]
    });
    Five374Files {
        area_days: write(area_header.collect(), area_rows),
        center: write(strings(&["名称", "休止開始日", "休止終了日"]), centers),
        description: write(
            strings(&["label", "sublabel", "description", "styles", "bgcolor"]),
            descriptions,
        ),
        // Kanazawa's header says `type` for the label column; the 5374 app reads it by position.
        target: write(strings(&["type", "name", "notice", "furigana"]), targets),
        remarks: data.remarks.as_ref().map(|remarks| {
            let rows = remarks.iter().map(|r| vec![r.id.clone(), r.text.clone()]);
            write(strings(&["ID", "注意事項"]), rows)
        }),
    }
}

fn strings(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| (*f).to_owned()).collect()
}

/// `2013/12/29`.
fn slash_date(date: Date) -> String {
    format!("{:04}/{:02}/{:02}", date.year(), date.month(), date.day())
}

/// One CSV file. Writing to a `Vec` cannot fail, and the fields are `String`s, so the output
/// is UTF-8; should the csv crate still refuse a row, that row is left out rather than losing
/// the whole file (and the round-trip tests would show it).
fn write(header: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = WriterBuilder::new()
        .flexible(true)
        .terminator(Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for record in std::iter::once(header).chain(rows) {
        if let Err(error) = writer.write_record(&record) {
            tracing::error!(%error, "a 5374 row could not be written");
        }
    }
    let bytes = writer
        .into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone());
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
