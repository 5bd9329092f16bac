//! The staff's CSV export of a service's bookings with their 問診 answers: a header row, then
//! one row per booking, quoted as RFC 4180 says (by the `csv` crate).
//!
//! The file starts with a UTF-8 byte order mark, because Excel — what the health office opens
//! it with — reads a CSV without one as Shift_JIS and garbles the Japanese. Cells that begin
//! with `=`, `+`, `-`, `@` (text a citizen typed) get a leading `'`, so a spreadsheet shows
//! them instead of running them as formulas.

use super::answers::Answers;
use super::booking::BookedSlot;
use super::questionnaire::Questionnaire;
use crate::clock::{tokyo, tokyo_date_time};
use crate::i18n::Lang;

/// The UTF-8 byte order mark the file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One booking of the export, with what the store knows of the citizen.
#[derive(Debug, Clone, Copy)]
pub struct ExportRow<'a> {
    /// The booking and its slot.
    pub booked: &'a BookedSlot,
    /// The citizen's name (姓 名).
    pub citizen_name: &'a str,
    /// How to reach them (mail address, phone).
    pub contact: &'a str,
    /// Their answers, if they answered.
    pub answers: Option<&'a Answers>,
}

/// The CSV of `rows` for `questionnaire`'s service, headers and answers in `lang`: 予約番号,
/// 日付, 開始, 終了, 場所, 状態, 氏名, 連絡先, 予約日時, 問診, then one column per question.
pub fn export_csv(
    questionnaire: &Questionnaire,
    rows: &[ExportRow<'_>],
    lang: Lang,
) -> Result<Vec<u8>, csv::Error> {
    let ja = lang == Lang::Ja;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let fixed: [&str; 10] = if ja {
        [
            "予約番号",
            "日付",
            "開始",
            "終了",
            "場所",
            "状態",
            "氏名",
            "連絡先",
            "予約日時",
            "問診",
        ]
    } else {
        [
            "Booking",
            "Date",
            "Start",
            "End",
            "Place",
            "Status",
            "Name",
            "Contact",
            "Booked at",
            "Questionnaire",
        ]
    };
    let mut header: Vec<String> = fixed.iter().map(|&h| h.to_owned()).collect();
    header.extend(
        questionnaire
            .questions
            .iter()
            .map(|q| q.label.get(lang).to_owned()),
    );
    writer.write_record(&header)?;
    for row in rows {
        let booking = &row.booked.booking;
        let slot = &row.booked.slot;
        let time = |at: jiff::Timestamp| at.to_zoned(tokyo()).strftime("%H:%M").to_string();
        let status = match (booking.is_active(), ja) {
            (true, true) => "予約中",
            (true, false) => "booked",
            (false, true) => "取消",
            (false, false) => "cancelled",
        };
        let answered = match (row.answers.is_some(), ja) {
            (true, true) => "回答済",
            (true, false) => "answered",
            (false, true) => "未回答",
            (false, false) => "not answered",
        };
        let mut record = vec![
            booking.booking_id.to_string(),
            slot.date().to_string(),
            time(slot.starts_at),
            time(slot.ends_at),
            slot.place.label(lang).to_owned(),
            status.to_owned(),
            row.citizen_name.to_owned(),
            row.contact.to_owned(),
            tokyo_date_time(booking.booked_at),
            answered.to_owned(),
        ];
        for question in &questionnaire.questions {
            let answer = row.answers.and_then(|answers| answers.get(&question.id));
            record.push(answer.map_or_else(String::new, |a| a.display(question, lang)));
        }
        writer.write_record(record.iter().map(|cell| defused(cell)))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// `cell`, with a `'` before a leading formula character.
fn defused(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
