//! Bad 5374 files: each refused with the file, the line and the reason.

use jiff::civil::date;

use super::tests::{AREA_DAYS, DESCRIPTION, TARGET, error_of, files};
use super::*;
use crate::garbage::rules::RuleErrorReason;
use crate::i18n::Lang;

/// Replaces a line of `area_days` (1 is the header) and returns the import's error.
fn area_days_error(line: usize, text: &str) -> GarbageImportError {
    let mut lines: Vec<&str> = AREA_DAYS.lines().collect();
    lines[line - 1] = text;
    error_of(Five374Files {
        area_days: lines.join("\n"),
        ..files()
    })
}

#[test]
fn bad_rule_cells_name_the_file_line_kind_and_token() {
    let error = area_days_error(3, "南町,,火 金曜,水4,");
    assert_eq!((error.file, error.line), (Five374File::AreaDays, 3));
    let ImportReason::BadRule { kind, error: rule } = &error.reason else {
        panic!("{error:?}")
    };
    assert_eq!((kind.as_str(), rule.token.as_str()), ("可燃ごみ", "金曜"));
    assert_eq!(rule.reason, RuleErrorReason::UnknownToken);
    assert!(
        error
            .to_string()
            .starts_with("area_days.csv の 3 行目: 可燃ごみ: 「金曜」"),
        "{error}"
    );
    assert!(
        error
            .message(Lang::En)
            .starts_with("area_days.csv line 3: 可燃ごみ: \"金曜\"")
    );
    assert_eq!(error.reason.code(), "bad_rule");

    let error = area_days_error(2, "北町,北センター,月 木,水6,");
    assert_eq!(error.line, 2);
    assert!(
        matches!(&error.reason, ImportReason::BadRule { kind, error }
        if kind == "プラ" && error.reason == RuleErrorReason::NthOutOfRange)
    );

    let error = area_days_error(2, "北町,北センター,月,,20270230");
    assert!(matches!(&error.reason, ImportReason::BadRule { error, .. }
        if error.token == "20270230" && error.reason == RuleErrorReason::NoSuchDate));
}

#[test]
fn bad_area_rows_are_refused_with_their_line() {
    let cases = [
        (
            3,
            "南町,,火 金,水4",
            3,
            ImportReason::ColumnCount {
                expected: 5,
                found: 4,
            },
        ),
        (
            3,
            "南町,,火,水4,,",
            3,
            ImportReason::ColumnCount {
                expected: 5,
                found: 6,
            },
        ),
        (
            3,
            "南町,東センター,火,,",
            3,
            ImportReason::UnknownCenter("東センター".into()),
        ),
        (
            3,
            "北町,,火,,",
            3,
            ImportReason::DuplicateArea("北町".into()),
        ),
        (3, ",,火,,", 3, ImportReason::EmptyName),
        (
            1,
            "地名,センター,可燃ごみ,プラ,可燃ごみ",
            1,
            ImportReason::DuplicateKind("可燃ごみ".into()),
        ),
        (
            1,
            "地名,センター,可燃ごみ,,粗大ごみ",
            1,
            ImportReason::EmptyKind,
        ),
    ];
    for (line, text, error_line, reason) in cases {
        let error = area_days_error(line, text);
        assert_eq!(
            (error.file, error.line, &error.reason),
            (Five374File::AreaDays, error_line, &reason)
        );
    }
    let error = error_of(Five374Files {
        area_days: "地名,センター\n北町,\n".into(),
        ..files()
    });
    assert_eq!((error.line, error.reason), (1, ImportReason::NoKinds));
    let error = error_of(Five374Files {
        area_days: "\u{feff}\r\n".into(),
        ..files()
    });
    assert_eq!((error.line, error.reason), (1, ImportReason::NoHeader));
}

#[test]
fn bad_centers_are_refused_with_their_line() {
    let header = "名称,休止開始日,休止終了日\n東センター,,\n";
    let cases = [
        (
            "北センター,2028/01/03,2027/12/29",
            ImportReason::PauseEndsBeforeStart {
                from: date(2028, 1, 3),
                to: date(2027, 12, 29),
            },
        ),
        ("北センター,2027/12/29,", ImportReason::PauseHalfGiven),
        (
            "北センター,2027/02/30,2027/03/01",
            ImportReason::BadDate("2027/02/30".into()),
        ),
        (
            "北センター,12/29,01/03",
            ImportReason::BadDate("12/29".into()),
        ),
        (
            "東センター,,",
            ImportReason::DuplicateCenter("東センター".into()),
        ),
        (
            "北センター,2027/12/29",
            ImportReason::ColumnCount {
                expected: 3,
                found: 2,
            },
        ),
    ];
    for (row, reason) in cases {
        let error = error_of(Five374Files {
            center: format!("{header}{row}\n"),
            ..files()
        });
        assert_eq!(
            (error.file, error.line, error.reason),
            (Five374File::Center, 3, reason),
            "{row}"
        );
    }
    let dashes = format!("{header}北センター,2027-12-29,2028-1-3\n");
    let data = import(&Five374Files {
        center: dashes,
        ..files()
    })
    .unwrap()
    .data;
    assert_eq!(data.center("東センター").unwrap().pause, None);
    assert_eq!(
        data.center("北センター").unwrap().pause,
        Some((date(2027, 12, 29), date(2028, 1, 3)))
    );
}

#[test]
fn descriptions_and_dictionary_must_name_known_kinds() {
    let error = error_of(Five374Files {
        description: format!("{DESCRIPTION}資源,,,,\n"),
        ..files()
    });
    assert_eq!((error.file, error.line), (Five374File::Description, 5));
    assert_eq!(error.reason, ImportReason::UnknownKind("資源".into()));
    let error = error_of(Five374Files {
        description: format!("{DESCRIPTION}プラ,,,,\n"),
        ..files()
    });
    assert_eq!(
        error.reason,
        ImportReason::DuplicateDescription("プラ".into())
    );

    let error = error_of(Five374Files {
        target: format!("{TARGET}燃やすごみ,紙,,か\n"),
        ..files()
    });
    assert_eq!((error.file, error.line), (Five374File::Target, 3));
    assert_eq!(error.reason, ImportReason::UnknownKind("燃やすごみ".into()));
    assert!(error.to_string().contains("target.csv の 3 行目"));
    let error = error_of(Five374Files {
        target: format!("{TARGET}プラ,,,\n"),
        ..files()
    });
    assert_eq!((error.line, error.reason), (3, ImportReason::EmptyName));
    let error = error_of(Five374Files {
        target: format!("{TARGET}プラ,ボトル\n"),
        ..files()
    });
    assert_eq!(
        error.reason,
        ImportReason::ColumnCount {
            expected: 4,
            found: 2
        }
    );
}

#[test]
fn line_numbers_count_the_lines_of_quoted_fields() {
    let target = format!("{TARGET}プラ,ボトル,\"一行目\n二行目\",ぼ\nプラ,,,\n");
    let error = error_of(Five374Files { target, ..files() });
    assert_eq!((error.line, error.reason), (5, ImportReason::EmptyName));
}
