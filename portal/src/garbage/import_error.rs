//! What can be wrong with a city's 5374 files, said so that staff can fix the row: the file,
//! the line and the reason, in Japanese (the default, as [`std::fmt::Display`]) or English.
//!
//! One bad row refuses the whole import — a half-imported calendar would tell citizens wrong
//! days — so the error is the first bad row found. Things worth a look that do not make the
//! data wrong (an area with no collection at all) are [`ImportWarning`]s instead.

use std::fmt;

use jiff::civil::Date;

use super::kinds::MAX_KINDS;
use super::rules::RuleError;
use crate::i18n::Lang;

/// One of the 5374 files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Five374File {
    /// `area_days.csv`: areas and their rules per kind.
    AreaDays,
    /// `center.csv`: centers and their pauses.
    Center,
    /// `description.csv`: how kinds are shown.
    Description,
    /// `target.csv`: the 分別 dictionary.
    Target,
    /// `remarks.csv`: free-text notes.
    Remarks,
}

impl Five374File {
    /// The file's name, as the 5374 app expects it.
    pub fn name(self) -> &'static str {
        match self {
            Self::AreaDays => "area_days.csv",
            Self::Center => "center.csv",
            Self::Description => "description.csv",
            Self::Target => "target.csv",
            Self::Remarks => "remarks.csv",
        }
    }
}

impl fmt::Display for Five374File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A row that refused the import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub struct GarbageImportError {
    /// The file.
    pub file: Five374File,
    /// The line the row starts on, 1 for the header.
    pub line: u64,
    /// What is wrong.
    pub reason: ImportReason,
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportReason {
    /// The CSV itself cannot be read (the detail is the csv crate's).
    Csv(String),
    /// The file has no header row.
    NoHeader,
    /// `area_days.csv` has no kind column after 地名 and センター.
    NoKinds,
    /// More kind columns than a calendar can hold.
    TooManyKinds(usize),
    /// A kind column with an empty label.
    EmptyKind,
    /// Two kind columns with the same label.
    DuplicateKind(String),
    /// The row has a different number of fields from the header.
    ColumnCount {
        /// Fields the file's rows have.
        expected: usize,
        /// Fields this row has.
        found: usize,
    },
    /// The name field (地名, 名称, name) is empty.
    EmptyName,
    /// A second area of the same name.
    DuplicateArea(String),
    /// A second center of the same name.
    DuplicateCenter(String),
    /// An area names a center that `center.csv` does not have.
    UnknownCenter(String),
    /// A rule cell cannot be read.
    BadRule {
        /// The kind's label (the column).
        kind: String,
        /// The token at fault and why.
        error: RuleError,
    },
    /// A date that is not `YYYY/MM/DD` (or `YYYY-MM-DD`) of the calendar.
    BadDate(String),
    /// Only one of 休止開始日 and 休止終了日 is given.
    PauseHalfGiven,
    /// The pause ends before it starts.
    PauseEndsBeforeStart {
        /// 休止開始日.
        from: Date,
        /// 休止終了日.
        to: Date,
    },
    /// A kind label that is not a column of `area_days.csv`.
    UnknownKind(String),
    /// A second description of the same kind.
    DuplicateDescription(String),
}

impl ImportReason {
    /// A stable name of the reason, for programs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Csv(_) => "csv_unreadable",
            Self::NoHeader => "no_header",
            Self::NoKinds => "no_kinds",
            Self::TooManyKinds(_) => "too_many_kinds",
            Self::EmptyKind => "empty_kind",
            Self::DuplicateKind(_) => "duplicate_kind",
            Self::ColumnCount { .. } => "column_count",
            Self::EmptyName => "empty_name",
            Self::DuplicateArea(_) => "duplicate_area",
            Self::DuplicateCenter(_) => "duplicate_center",
            Self::UnknownCenter(_) => "unknown_center",
            Self::BadRule { .. } => "bad_rule",
            Self::BadDate(_) => "bad_date",
            Self::PauseHalfGiven => "pause_half_given",
            Self::PauseEndsBeforeStart { .. } => "pause_ends_before_start",
            Self::UnknownKind(_) => "unknown_kind",
            Self::DuplicateDescription(_) => "duplicate_description",
        }
    }

    /// The reason for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::Csv(detail) if ja => format!("CSVとして読めません({detail})"),
            Self::Csv(detail) => format!("not readable as CSV ({detail})"),
            Self::NoHeader if ja => "見出し行がありません".into(),
            Self::NoHeader => "no header row".into(),
            Self::NoKinds if ja => "地名・センターの後にごみの種別の列がありません".into(),
            Self::NoKinds => "no garbage kind column after 地名 and センター".into(),
            Self::TooManyKinds(n) if ja => format!("ごみの種別が{n}列あります(最大{MAX_KINDS})"),
            Self::TooManyKinds(n) => format!("{n} garbage kind columns (at most {MAX_KINDS})"),
            Self::EmptyKind if ja => "見出しが空のごみの種別の列があります".into(),
            Self::EmptyKind => "a garbage kind column has an empty header".into(),
            Self::DuplicateKind(k) if ja => format!("ごみの種別「{k}」の列が二つあります"),
            Self::DuplicateKind(k) => format!("two columns for the garbage kind \"{k}\""),
            Self::ColumnCount { expected, found } if ja => {
                format!("列の数が{found}です({expected}列のはずです)")
            }
            Self::ColumnCount { expected, found } => {
                format!("{found} columns where the header has {expected}")
            }
            Self::EmptyName if ja => "名前が空です".into(),
            Self::EmptyName => "the name is empty".into(),
            Self::DuplicateArea(a) if ja => format!("地名「{a}」が二度出てきます"),
            Self::DuplicateArea(a) => format!("the area \"{a}\" appears twice"),
            Self::DuplicateCenter(c) if ja => format!("センター「{c}」が二度出てきます"),
            Self::DuplicateCenter(c) => format!("the center \"{c}\" appears twice"),
            Self::UnknownCenter(c) if ja => format!("センター「{c}」は center.csv にありません"),
            Self::UnknownCenter(c) => format!("the center \"{c}\" is not in center.csv"),
            Self::BadRule { kind, error } => format!("{kind}: {}", error.message(lang)),
            Self::BadDate(d) if ja => format!("「{d}」は日付として読めません(例: 2027/12/29)"),
            Self::BadDate(d) => format!("\"{d}\" is not a date (like 2027/12/29)"),
            Self::PauseHalfGiven if ja => "休止開始日と休止終了日は両方書いてください".into(),
            Self::PauseHalfGiven => "give both the first and the last day of the pause".into(),
            Self::PauseEndsBeforeStart { from, to } if ja => {
                format!("休止終了日 {to} が休止開始日 {from} より前です")
            }
            Self::PauseEndsBeforeStart { from, to } => {
                format!("the pause ends ({to}) before it starts ({from})")
            }
            Self::UnknownKind(k) if ja => {
                format!("ごみの種別「{k}」は area_days.csv の列にありません")
            }
            Self::UnknownKind(k) => {
                format!("the garbage kind \"{k}\" is not a column of area_days.csv")
            }
            Self::DuplicateDescription(k) if ja => format!("ごみの種別「{k}」の説明が二つあります"),
            Self::DuplicateDescription(k) => {
                format!("two descriptions of the garbage kind \"{k}\"")
            }
        }
    }
}

impl GarbageImportError {
    /// The whole message for a person: file, line and reason.
    pub fn message(&self, lang: Lang) -> String {
        let (file, line, reason) = (self.file, self.line, self.reason.message(lang));
        match lang {
            Lang::Ja => format!("{file} の {line} 行目: {reason}"),
            Lang::En => format!("{file} line {line}: {reason}"),
        }
    }
}

/// Something staff should look at that does not refuse the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// The file.
    pub file: Five374File,
    /// The line.
    pub line: u64,
    /// What was noticed.
    pub kind: WarningKind,
}

/// What was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// An area where no kind is ever collected (every cell empty).
    AreaWithoutCollection(String),
    /// A kind that `description.csv` does not describe.
    KindWithoutDescription(String),
}

impl ImportWarning {
    /// The warning for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let (file, line) = (self.file, self.line);
        match (&self.kind, lang) {
            (WarningKind::AreaWithoutCollection(a), Lang::Ja) => {
                format!("{file} の {line} 行目: 地名「{a}」には収集日が一つもありません")
            }
            (WarningKind::AreaWithoutCollection(a), Lang::En) => {
                format!("{file} line {line}: the area \"{a}\" has no collection day at all")
            }
            (WarningKind::KindWithoutDescription(k), Lang::Ja) => {
                format!("{file} の {line} 行目: ごみの種別「{k}」は description.csv にありません")
            }
            (WarningKind::KindWithoutDescription(k), Lang::En) => {
                format!("{file} line {line}: the garbage kind \"{k}\" is not in description.csv")
            }
        }
    }
}
