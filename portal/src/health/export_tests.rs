use jiff::civil::date;

use super::*;
use crate::health::answers::{RawAnswers, check_answers};
use crate::health::fixtures::{at, booked, booking, citizen, slot};
use crate::health::service::Service;

fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes.strip_prefix(BOM).unwrap()).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn one_row_per_booking_with_answers_under_their_questions() {
    let q = Questionnaire::embedded(Service::AkachanHoumon).unwrap();
    let visit = slot(
        1,
        Service::AkachanHoumon,
        "2026-06-10T13:00",
        "2026-06-10T15:00",
        2,
    );
    let answered = booked(&booking(1, &visit, citizen(1), "2026-06-01T10:00"), &visit);
    let mut cancelled = booked(&booking(2, &visit, citizen(2), "2026-06-01T11:00"), &visit);
    cancelled.booking.cancelled_at = Some(at("2026-06-02T09:00"));
    let mut raw = RawAnswers::new();
    for (id, value) in [
        ("birth_date", "2026-05-20"),
        ("birth_weight", "3120"),
        ("feeding", "mixed"),
        ("mother_health", "good"),
        ("low_mood", "no"),
        ("no_interest", "no"),
        ("helper", "yes"),
        ("worries", "crying"),
        ("worries", "sleep"),
        (
            "worries_detail",
            "夜、泣きやまないことがあります。\n\"抱っこ\"で落ち着きます",
        ),
        ("directions", "=HYPERLINK(\"http://example.com\")"),
    ] {
        raw.entry(id.to_owned()).or_default().push(value.to_owned());
    }
    let answers = check_answers(&q, &raw, date(2026, 6, 1)).unwrap();
    let rows = [
        ExportRow {
            booked: &answered,
            citizen_name: "東広島 花子",
            contact: "hanako@example.jp",
            answers: Some(&answers),
        },
        ExportRow {
            booked: &cancelled,
            citizen_name: "西条 一郎",
            contact: "090-0000-0000",
            answers: None,
        },
    ];
    let bytes = export_csv(&q, &rows, Lang::Ja).unwrap();
    assert!(bytes.starts_with(BOM));
    let table = read(&bytes);
    assert_eq!(table.len(), 3);
    let header = &table[0];
    assert_eq!(header[..4], ["予約番号", "日付", "開始", "終了"]);
    assert_eq!(header.len(), 10 + q.questions.len());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = &table[1];
    assert_eq!(first[column("日付")], "2026-06-10");
    assert_eq!(first[column("開始")], "13:00");
    assert_eq!(first[column("場所")], "東広島市保健センター");
    assert_eq!(first[column("状態")], "予約中");
    assert_eq!(first[column("問診")], "回答済");
    assert_eq!(first[column("出生体重")], "3120g");
    assert_eq!(first[column("授乳の状況")], "母乳とミルク");
    assert_eq!(first[column("心配なこと")], "泣きやまない、睡眠");
    // Quotes and line breaks survive the round trip; a formula does not run.
    assert_eq!(
        first[column("心配なこと・聞きたいこと")],
        "夜、泣きやまないことがあります。\n\"抱っこ\"で落ち着きます"
    );
    assert_eq!(
        first[column("訪問のときの目印・駐車場など")],
        "'=HYPERLINK(\"http://example.com\")"
    );
    let second = &table[2];
    assert_eq!(
        (
            second[column("状態")].as_str(),
            second[column("問診")].as_str()
        ),
        ("取消", "未回答")
    );
    assert_eq!(second[column("連絡先")], "090-0000-0000");
    assert_eq!(second[column("出生体重")], "");
    let english = read(&export_csv(&q, &rows, Lang::En).unwrap());
    assert_eq!(english[0][column("出生体重")], "Birth weight");
    assert_eq!(english[1][column("出生体重")], "3120 g");
}
