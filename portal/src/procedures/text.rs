//! The result as plain text, to print or to send (mail, LINE, a note on the phone): the
//! answers given, then each procedure with its 窓口, 持ち物 and 期限.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::guide::Guide;
use super::model::Answers;

/// The guide's result for `answers`, in Japanese. With `event_day` (the day of the birth,
/// the move…), deadlines given in days also say the date.
pub fn render_text(guide: &Guide, answers: &Answers, event_day: Option<Date>) -> String {
    let kept = guide.effective(answers);
    let mut out = String::from("ライフイベントの手続き\n");
    for question in guide.shown(&kept) {
        let Some(choice) = kept
            .get(&question.id)
            .and_then(|value| question.choice(value))
        else {
            continue;
        };
        let _ = writeln!(out, "・{} {}", question.text, choice.label);
    }
    let procedures = guide.find(&kept);
    if procedures.is_empty() {
        out.push_str("\n必要な手続きは見つかりませんでした。\n");
        return out;
    }
    let _ = writeln!(out, "\n必要な手続き({}件)", procedures.len());
    for (number, procedure) in procedures.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {}", number + 1, procedure.title);
        let _ = writeln!(out, "   窓口: {}", procedure.counter);
        if !procedure.bring.is_empty() {
            out.push_str("   持ち物:\n");
            for item in &procedure.bring {
                let _ = writeln!(out, "     ・{item}");
            }
        }
        let due = event_day.and_then(|day| procedure.due_date(day));
        match (&procedure.deadline, due) {
            (Some(text), Some(due)) => {
                let _ = writeln!(out, "   期限: {text}({}まで)", japanese_date(due));
            }
            (Some(text), None) => {
                let _ = writeln!(out, "   期限: {text}");
            }
            (None, Some(due)) => {
                let _ = writeln!(out, "   期限: {}まで", japanese_date(due));
            }
            (None, None) => {}
        }
        if let Some(note) = &procedure.note {
            let _ = writeln!(out, "   備考: {note}");
        }
        if let Some(url) = &procedure.url {
            let _ = writeln!(out, "   詳しく: {url}");
        }
    }
    out
}

/// 2027年1月14日(木).
pub fn japanese_date(day: Date) -> String {
    const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let index = usize::from(day.weekday().to_monday_zero_offset().unsigned_abs());
    let weekday = WEEKDAYS.get(index).copied().unwrap_or("");
    format!(
        "{}年{}月{}日({weekday})",
        day.year(),
        day.month(),
        day.day()
    )
}
