//! Reading a city's 5374 (ゴミナシ) files into [`GarbageData`], checking every row first.
//!
//! The caller reads the files; this takes their text, as spreadsheet programs save it (a BOM,
//! CRLF line ends, quoted fields). Kinds are whatever the header of `area_days.csv` says —
//! never assumed to be Kanazawa's.

use std::collections::HashSet;

use jiff::civil::Date;

use super::data::{Area, Center, GarbageData, KindDescription, Remark, Target};
pub use super::five374_export::export;
use super::five374_rows::{field, rows};
use super::import_error::{
    Five374File, GarbageImportError, ImportReason, ImportWarning, WarningKind,
};
use super::kinds::MAX_KINDS;
use super::rules::parse_rules;

/// The text of the five files; `remarks` is `None` when the city has no `remarks.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Five374Files {
    /// `area_days.csv`.
    pub area_days: String,
    /// `center.csv`.
    pub center: String,
    /// `description.csv`.
    pub description: String,
    /// `target.csv`.
    pub target: String,
    /// `remarks.csv`, if any.
    pub remarks: Option<String>,
}

/// A successful import: the data, and what staff should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The city's data.
    pub data: GarbageData,
    /// Things noticed that did not refuse the import, in file order.
    pub warnings: Vec<ImportWarning>,
}

/// Reads and checks the five files; the first bad row refuses the whole import.
pub fn import(files: &Five374Files) -> Result<Imported, GarbageImportError> {
    let mut warnings = Vec::new();
    let centers = read_centers(&files.center)?;
    let (kinds, areas) = read_areas(&files.area_days, &centers, &mut warnings)?;
    let descriptions = read_descriptions(&files.description, &kinds)?;
    for label in &kinds {
        if !descriptions.iter().any(|d| &d.label == label) {
            warnings.push(ImportWarning {
                file: Five374File::AreaDays,
                line: 1,
                kind: WarningKind::KindWithoutDescription(label.clone()),
            });
        }
    }
    let targets = read_targets(&files.target, &kinds)?;
    let remarks = files.remarks.as_deref().map(read_remarks).transpose()?;
    let data = GarbageData {
        kinds,
        descriptions,
        centers,
        areas,
        targets,
        remarks,
    };
    Ok(Imported { data, warnings })
}

fn read_centers(text: &str) -> Result<Vec<Center>, GarbageImportError> {
    let file = Five374File::Center;
    let (_, rows) = rows(file, text, Some(&[3]))?;
    let mut centers: Vec<Center> = Vec::with_capacity(rows.len());
    for row in &rows {
        let fail = |reason| GarbageImportError {
            file,
            line: row.line,
            reason,
        };
        let name = field(row, 0);
        if name.is_empty() {
            return Err(fail(ImportReason::EmptyName));
        }
        if centers.iter().any(|c| c.name == name) {
            return Err(fail(ImportReason::DuplicateCenter(name.to_owned())));
        }
        let pause = match (field(row, 1), field(row, 2)) {
            ("", "") => None,
            ("", _) | (_, "") => return Err(fail(ImportReason::PauseHalfGiven)),
            (from, to) => {
                let from = parse_pause_date(from).map_err(&fail)?;
                let to = parse_pause_date(to).map_err(&fail)?;
                if to < from {
                    return Err(fail(ImportReason::PauseEndsBeforeStart { from, to }));
                }
                Some((from, to))
            }
        };
        centers.push(Center {
            name: name.to_owned(),
            pause,
        });
    }
    Ok(centers)
}

/// `2013/12/29` (as Kanazawa writes it), `2013/1/3` or `2013-12-29`.
fn parse_pause_date(text: &str) -> Result<Date, ImportReason> {
    let mut parts = text.split(['/', '-']).map(|p| p.trim().parse::<i16>().ok());
    let parsed = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) if y >= 1000 => i8::try_from(m)
            .ok()
            .zip(i8::try_from(d).ok())
            .and_then(|(m, d)| Date::new(y, m, d).ok()),
        _ => None,
    };
    parsed.ok_or_else(|| ImportReason::BadDate(text.to_owned()))
}

fn read_areas(
    text: &str,
    centers: &[Center],
    warnings: &mut Vec<ImportWarning>,
) -> Result<(Vec<String>, Vec<Area>), GarbageImportError> {
    let file = Five374File::AreaDays;
    let (header, rows) = rows(file, text, None)?;
    let header_error = |reason| GarbageImportError {
        file,
        line: 1,
        reason,
    };
    let kinds: Vec<String> = header.iter().skip(2).cloned().collect();
    if kinds.is_empty() {
        return Err(header_error(ImportReason::NoKinds));
    }
    if kinds.len() > MAX_KINDS {
        return Err(header_error(ImportReason::TooManyKinds(kinds.len())));
    }
    let mut seen = HashSet::new();
    for label in &kinds {
        if label.is_empty() {
            return Err(header_error(ImportReason::EmptyKind));
        }
        if !seen.insert(label.as_str()) {
            return Err(header_error(ImportReason::DuplicateKind(label.clone())));
        }
    }
    let mut areas: Vec<Area> = Vec::with_capacity(rows.len());
    let mut names = HashSet::new();
    for row in &rows {
        let fail = |reason| GarbageImportError {
            file,
            line: row.line,
            reason,
        };
        let name = field(row, 0);
        if name.is_empty() {
            return Err(fail(ImportReason::EmptyName));
        }
        if !names.insert(name) {
            return Err(fail(ImportReason::DuplicateArea(name.to_owned())));
        }
        let center = match field(row, 1) {
            "" => None,
            known if centers.iter().any(|c| c.name == known) => Some(known.to_owned()),
            unknown => return Err(fail(ImportReason::UnknownCenter(unknown.to_owned()))),
        };
        let rules = kinds
            .iter()
            .zip(row.fields.iter().skip(2))
            .map(|(kind, cell)| {
                parse_rules(cell).map_err(|error| {
                    fail(ImportReason::BadRule {
                        kind: kind.clone(),
                        error,
                    })
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let area = Area {
            name: name.to_owned(),
            center,
            rules,
        };
        if area.has_no_rules() {
            warnings.push(ImportWarning {
                file,
                line: row.line,
                kind: WarningKind::AreaWithoutCollection(area.name.clone()),
            });
        }
        areas.push(area);
    }
    Ok((kinds, areas))
}

fn read_descriptions(
    text: &str,
    kinds: &[String],
) -> Result<Vec<KindDescription>, GarbageImportError> {
    let file = Five374File::Description;
    // Older files (Kanazawa's) have no bgcolor column.
    let (_, rows) = rows(file, text, Some(&[4, 5]))?;
    let mut descriptions: Vec<KindDescription> = Vec::with_capacity(rows.len());
    for row in &rows {
        let fail = |reason| GarbageImportError {
            file,
            line: row.line,
            reason,
        };
        let label = field(row, 0);
        if !kinds.iter().any(|k| k == label) {
            return Err(fail(ImportReason::UnknownKind(label.to_owned())));
        }
        if descriptions.iter().any(|d| d.label == label) {
            return Err(fail(ImportReason::DuplicateDescription(label.to_owned())));
        }
        descriptions.push(KindDescription {
            label: label.to_owned(),
            sublabel: field(row, 1).to_owned(),
            description: field(row, 2).to_owned(),
            styles: field(row, 3).to_owned(),
            bgcolor: field(row, 4).to_owned(),
        });
    }
    Ok(descriptions)
}

fn read_targets(text: &str, kinds: &[String]) -> Result<Vec<Target>, GarbageImportError> {
    let file = Five374File::Target;
    let (_, rows) = rows(file, text, Some(&[4]))?;
    let mut targets = Vec::with_capacity(rows.len());
    for row in &rows {
        let fail = |reason| GarbageImportError {
            file,
            line: row.line,
            reason,
        };
        let kind = field(row, 0);
        if !kinds.iter().any(|k| k == kind) {
            return Err(fail(ImportReason::UnknownKind(kind.to_owned())));
        }
        if field(row, 1).is_empty() {
            return Err(fail(ImportReason::EmptyName));
        }
        targets.push(Target {
            kind: kind.to_owned(),
            name: field(row, 1).to_owned(),
            notice: field(row, 2).to_owned(),
            furigana: field(row, 3).to_owned(),
        });
    }
    Ok(targets)
}

fn read_remarks(text: &str) -> Result<Vec<Remark>, GarbageImportError> {
    let (_, rows) = rows(Five374File::Remarks, text, Some(&[2]))?;
    Ok(rows
        .iter()
        .map(|row| Remark {
            id: field(row, 0).to_owned(),
            text: field(row, 1).to_owned(),
        })
        .collect())
}

#[cfg(test)]
#[path = "five374_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "five374_props.rs"]
mod props;

#[cfg(test)]
#[path = "five374_errors_tests.rs"]
mod errors_tests;

#[cfg(test)]
#[path = "kanazawa_tests.rs"]
mod kanazawa_tests;
