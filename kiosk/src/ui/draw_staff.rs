//! The staff screens: the PIN pad, and who is in with by-hand check-out, the recent records
//! with 取り消す (undo by the opposite event), today's visits, and what happens at closing time.

use eframe::egui::{self, Color32, RichText, Ui, vec2};
use jiff::{Timestamp, tz::TimeZone};
use shimin_sync::messages::EventKind;

use super::{BLUE, RED, TOUCH, big_button, names_line, tr};
use crate::{
    snapshot::Command,
    ui::model::{Lang, Model},
};

pub(super) fn pin_pad(
    ui: &mut Ui,
    model: &mut Model,
    entered: &str,
    failures: u32,
    locked_until: Option<Timestamp>,
    now: Timestamp,
) {
    let lang = model.lang;
    ui.label(RichText::new(tr(lang, "職員用暗証番号", "Staff PIN")).size(36.0));
    ui.label(RichText::new("●".repeat(entered.len()) + " ").size(40.0));
    if locked_until.is_some_and(|until| now < until) {
        ui.label(
            RichText::new(tr(
                lang,
                "続けて間違えたため、1分間入力できません。",
                "Too many wrong PINs: wait a minute.",
            ))
            .size(26.0)
            .color(RED),
        );
    } else if failures > 0 {
        ui.label(
            RichText::new(tr(lang, "暗証番号が違います。", "Wrong PIN."))
                .size(26.0)
                .color(RED),
        );
    }
    let keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "←", "0", "OK"];
    egui::Grid::new("pin")
        .spacing(vec2(12.0, 12.0))
        .show(ui, |ui| {
            for (i, key) in keys.iter().enumerate() {
                let button = egui::Button::new(RichText::new(*key).size(36.0))
                    .min_size(vec2(TOUCH * 1.5, TOUCH * 1.2));
                if ui.add(button).clicked() {
                    match *key {
                        "OK" => model.pin_submit(now),
                        "←" => model.pin_key(None, now),
                        digit => model.pin_key(digit.chars().next(), now),
                    }
                }
                if i % 3 == 2 {
                    ui.end_row();
                }
            }
        });
}

fn children_words(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Ja => format!("お子さま{count}人"),
        Lang::En => format!("{count} children"),
    }
}

/// Who a row is about: the children's names when known, else how many they are.
fn family_words(lang: Lang, names: &[String], count: usize) -> String {
    names_line(lang, names).unwrap_or_else(|| children_words(lang, count))
}

/// One row of a list staff act on: the button first, so it is never pushed off its column,
/// then the words, wrapped. Whether the button was tapped.
fn action_row(ui: &mut Ui, words: String, button: &str, fill: Color32) -> bool {
    ui.horizontal(|ui| {
        let tapped = big_button(ui, button, fill).clicked();
        ui.add(egui::Label::new(RichText::new(words).size(24.0)).wrap());
        tapped
    })
    .inner
}

pub(super) fn staff(
    ui: &mut Ui,
    model: &mut Model,
    now: Timestamp,
    zone: &TimeZone,
    commands: &mut Vec<Command>,
) {
    let lang = model.lang;
    let time = |at: Timestamp| at.to_zoned(zone.clone()).strftime("%H:%M").to_string();
    // Two columns on the wide screen: what staff act on at the left, the day's record at the
    // right, each scrolling on its own.
    ui.columns(2, |columns| {
        let [left, right] = columns else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("staff-actions")
            .show(left, |ui| {
                ui.heading(
                    RichText::new(tr(lang, "いま利用中のご家族", "Families in now")).size(30.0),
                );
                let present = model
                    .snapshot
                    .as_ref()
                    .map(|s| s.present.clone())
                    .unwrap_or_default();
                if present.is_empty() {
                    ui.label(RichText::new(tr(lang, "いません", "Nobody")).size(24.0));
                }
                for (i, family) in present.iter().enumerate() {
                    {
                        let since = match lang {
                            Lang::Ja => format!("{}から", time(family.at)),
                            Lang::En => format!("since {}", time(family.at)),
                        };
                        let who = family_words(lang, &family.names, family.children.len());
                        let line = format!("{who} ・ {since}");
                        if action_row(ui, line, tr(lang, "退室にする", "Check out"), BLUE)
                            && let Some(command) = model.check_out(i, now)
                        {
                            commands.push(command);
                        }
                    }
                }
                let left = model
                    .snapshot
                    .as_ref()
                    .map(|s| s.left.clone())
                    .unwrap_or_default();
                if !left.is_empty() {
                    ui.add_space(16.0);
                    ui.heading(
                        RichText::new(tr(lang, "本日退室したご家族", "Left earlier today"))
                            .size(30.0),
                    );
                }
                for (i, family) in left.iter().enumerate() {
                    {
                        let who = family_words(lang, &family.names, family.children.len());
                        let last = match lang {
                            Lang::Ja => format!("{}まで", time(family.at)),
                            Lang::En => format!("until {}", time(family.at)),
                        };
                        let line = format!("{who} ・ {last}");
                        if action_row(ui, line, tr(lang, "入室にする", "Check in"), BLUE)
                            && let Some(command) = model.check_in(i, now)
                        {
                            commands.push(command);
                        }
                    }
                }
                ui.add_space(16.0);
                ui.heading(RichText::new(tr(lang, "最近の記録", "Recent records")).size(30.0));
                let recent = model.recent.clone();
                if recent.is_empty() {
                    ui.label(RichText::new(tr(lang, "ありません", "None")).size(24.0));
                }
                for (i, (answer, at)) in recent.iter().enumerate() {
                    {
                        let what = match answer.kind {
                            Some(EventKind::CheckIn) => tr(lang, "入室", "In"),
                            _ => tr(lang, "退室", "Out"),
                        };
                        let who = family_words(lang, &answer.names, answer.children.len());
                        let line = format!("{} {what} ・ {who}", time(*at));
                        if action_row(ui, line, tr(lang, "取り消す", "Undo"), RED)
                            && let Some(command) = model.undo(i, now)
                        {
                            commands.push(command);
                        }
                    }
                }
            });
        egui::ScrollArea::vertical()
            .id_salt("staff-day")
            .show(right, |ui| {
                today(ui, model, &time);
                ui.add_space(16.0);
                ui.label(
                    RichText::new(tr(
                        lang,
                        "閉館時刻になると、利用中の方はすべて自動で退室になります。",
                        "At closing time everyone still in is checked out automatically.",
                    ))
                    .size(22.0)
                    .color(Color32::DARK_GRAY),
                );
            });
    });
}

/// Today's visits at this kiosk: how many check-ins, and each record, newest first.
fn today(ui: &mut Ui, model: &Model, time: &dyn Fn(Timestamp) -> String) {
    let lang = model.lang;
    let Some(snapshot) = model.snapshot.as_ref() else {
        return;
    };
    let heading = match lang {
        Lang::Ja => format!("本日の記録（この端末・入室{}件）", snapshot.today_check_ins),
        Lang::En => format!(
            "Today at this kiosk (check-ins: {})",
            snapshot.today_check_ins
        ),
    };
    ui.heading(RichText::new(heading).size(30.0));
    if snapshot.today.is_empty() {
        ui.label(RichText::new(tr(lang, "ありません", "None")).size(24.0));
    }
    for visit in &snapshot.today {
        let what = match visit.kind {
            EventKind::CheckIn => tr(lang, "入室", "In"),
            EventKind::CheckOut => tr(lang, "退室", "Out"),
        };
        let who = family_words(lang, &visit.names, visit.children.len());
        let by_hand = if visit.manual {
            tr(lang, "（職員が入力）", " (by staff)")
        } else {
            ""
        };
        let line = format!("{} {what} ・ {who}{by_hand}", time(visit.at));
        ui.label(RichText::new(line).size(22.0));
    }
}
