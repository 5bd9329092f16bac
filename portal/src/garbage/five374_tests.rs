use jiff::civil::{Weekday, date};

use super::*;
use crate::garbage::rules::Rule;
use crate::i18n::Lang;

pub(super) const AREA_DAYS: &str = "地名,センター,可燃ごみ,プラ,粗大ごみ\n\
                         北町,北センター,月 木,水2,20270105 20270119\n\
                         南町,,火 金,水４,\n";
pub(super) const CENTER: &str = "名称,休止開始日,休止終了日\n北センター,2027/12/29,2028/01/03\n";
pub(super) const DESCRIPTION: &str = "label,sublabel,description,styles,bgcolor\n\
                           可燃ごみ,,,img/a.svg,#FF0000\n\
                           プラ,容器包装,,,\n\
                           粗大ごみ,,,,\n";
pub(super) const TARGET: &str = "type,name,notice,furigana\n可燃ごみ,紙くず,,かみくず\n";

pub(super) fn files() -> Five374Files {
    Five374Files {
        area_days: AREA_DAYS.to_owned(),
        center: CENTER.to_owned(),
        description: DESCRIPTION.to_owned(),
        target: TARGET.to_owned(),
        remarks: None,
    }
}

pub(super) fn error_of(files: Five374Files) -> GarbageImportError {
    import(&files).unwrap_err()
}

#[test]
fn another_citys_kinds_come_from_its_header() {
    let Imported { data, warnings } = import(&files()).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(data.kinds, ["可燃ごみ", "プラ", "粗大ごみ"]);
    let south = data.area("南町").unwrap();
    assert_eq!(south.center, None);
    assert_eq!(
        south.rules,
        [
            vec![
                Rule::Weekly(Weekday::Tuesday),
                Rule::Weekly(Weekday::Friday)
            ],
            vec![Rule::NthWeekday {
                weekday: Weekday::Wednesday,
                nth: 4
            }],
            vec![],
        ]
    );
    let north = data.schedule(data.area("北町").unwrap(), &[]).unwrap();
    assert_eq!(north.collects_on(date(2027, 1, 4)), ["可燃ごみ"]);
    assert_eq!(north.collects_on(date(2027, 1, 5)), ["粗大ごみ"]);
    assert!(north.collects_on(date(2027, 12, 30)).is_empty(), "paused");
    assert_eq!(data.description("可燃ごみ").unwrap().bgcolor, "#FF0000");
}

#[test]
fn bom_crlf_quotes_and_remarks_are_read_and_round_trip() {
    let mut files = files();
    files.area_days = format!("\u{feff}{}", AREA_DAYS.replace('\n', "\r\n"));
    files.target = "type,name,notice,furigana\r\n\
                    可燃ごみ,\"紙くず, 紙袋\",\"「汚れた」ものは\r\n\"\"可燃\"\"へ\",かみくず\r\n\
                    プラ,ﾍﾟｯﾄﾎﾞﾄﾙのキャップ,,ぺっとぼとる\r\n"
        .to_owned();
    files.remarks = Some("ID,注意事項\n1,\"祝日も収集します, 年末年始を除く\"\n".to_owned());
    files.description = DESCRIPTION.replace("bgcolor\n", "bgcolor\n,,,,\n");
    let first = import(&files).unwrap();
    let paper = first.data.targets.first().unwrap();
    assert_eq!(paper.name, "紙くず, 紙袋");
    assert_eq!(paper.notice, "「汚れた」ものは\r\n\"可燃\"へ");
    assert_eq!(first.data.remarks.as_ref().unwrap().len(), 1);
    assert_eq!(first.data.targets.len(), 2);

    let exported = export(&first.data);
    assert!(!exported.area_days.starts_with('\u{feff}'));
    assert_eq!(import(&exported).unwrap(), first);
    assert_eq!(export(&import(&exported).unwrap().data), exported);
}

#[test]
fn an_area_with_no_collection_is_a_warning_with_its_line() {
    let mut files = files();
    files.area_days.push_str("空町,北センター,,,\n");
    let Imported { data, warnings } = import(&files).unwrap();
    assert_eq!(data.areas.len(), 3);
    let [warning] = warnings.as_slice() else {
        panic!("{warnings:?}")
    };
    assert_eq!((warning.file, warning.line), (Five374File::AreaDays, 4));
    assert_eq!(
        warning.kind,
        WarningKind::AreaWithoutCollection("空町".into())
    );
    assert!(
        warning
            .message(Lang::Ja)
            .contains("area_days.csv の 4 行目")
    );
    assert!(warning.message(Lang::En).contains("no collection day"));

    let mut undescribed = self::files();
    undescribed.description = "label,sublabel,description,styles\n可燃ごみ,,,\n".into();
    let warnings = import(&undescribed).unwrap().warnings;
    assert_eq!(
        warnings.iter().map(|w| w.kind.clone()).collect::<Vec<_>>(),
        [
            WarningKind::KindWithoutDescription("プラ".into()),
            WarningKind::KindWithoutDescription("粗大ごみ".into()),
        ]
    );
}
