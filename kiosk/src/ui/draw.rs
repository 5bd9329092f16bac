//! Drawing the screens from the [`Model`] with egui: made for a 7–10 inch touchscreen and for
//! people in a hurry — few words, large type, touch targets of at least 9 mm (64 px), the
//! occupancy readable from a metre away. Drawing changes nothing itself: taps become model
//! calls or [`Command`]s for the loop.

use eframe::egui::{self, Align, Color32, Layout, RichText, Ui, vec2};
use jiff::{Timestamp, tz::TimeZone};
use shimin_sync::messages::{CongestionLevel, EventKind};

use super::{
    model::{Lang, Model, Screen},
    preview::PreviewTexture,
};
use crate::snapshot::Command;

/// The smallest touch target: 9 mm on a 7-inch 1024×600 panel is about 64 px.
pub const TOUCH: f32 = 64.0;

pub(super) const BLUE: Color32 = Color32::from_rgb(0, 90, 156);
pub(super) const GREEN: Color32 = Color32::from_rgb(27, 110, 58);
pub(super) const RED: Color32 = Color32::from_rgb(179, 38, 30);
pub(super) const AMBER: Color32 = Color32::from_rgb(122, 82, 0);

pub(super) fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

pub(super) fn big_button(ui: &mut Ui, text: &str, fill: Color32) -> egui::Response {
    ui.add(
        egui::Button::new(RichText::new(text).size(26.0).color(Color32::WHITE))
            .fill(fill)
            .min_size(vec2(TOUCH * 2.0, TOUCH)),
    )
}

/// The whole screen; returns what the loop should do.
pub fn screen(
    ui: &mut Ui,
    model: &mut Model,
    camera: &PreviewTexture,
    now: Timestamp,
    zone: &TimeZone,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Panel::top("status").show(ui, |ui| status_bar(ui, model, now, zone));
    egui::CentralPanel::default().show(ui, |ui| match model.screen.clone() {
        Screen::Center => {
            ui.columns(2, |columns| {
                center(&mut columns[0], model);
                let width = columns[1].available_width();
                camera.show(&mut columns[1], width);
            });
        }
        Screen::Pin {
            entered,
            locked_until,
            failures,
        } => pin_pad(ui, model, &entered, failures, locked_until, now),
        Screen::Staff => staff(ui, model, now, zone, &mut commands),
    });
    commands
}

fn status_bar(ui: &mut Ui, model: &mut Model, now: Timestamp, zone: &TimeZone) {
    let lang = model.lang;
    ui.horizontal(|ui| {
        let name = model
            .snapshot
            .as_ref()
            .and_then(|s| s.center_name.clone())
            .unwrap_or_else(|| tr(lang, "準備中", "Getting ready").to_owned());
        ui.label(RichText::new(name).size(24.0).strong());
        let (online, pending) = model
            .snapshot
            .as_ref()
            .map_or((false, 0), |s| (s.online, s.pending));
        let (word, color) = if online {
            (tr(lang, "オンライン", "Online"), GREEN)
        } else {
            (tr(lang, "オフライン", "Offline"), RED)
        };
        ui.label(RichText::new(format!("● {word}")).size(22.0).color(color));
        if pending > 0 {
            let waiting = match lang {
                Lang::Ja => format!("送信待ち {pending}件"),
                Lang::En => format!("{pending} waiting to sync"),
            };
            ui.label(RichText::new(waiting).size(22.0).color(AMBER));
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if model.has_staff() && model.screen == Screen::Center {
                if big_button(ui, tr(lang, "職員", "Staff"), BLUE).clicked() {
                    model.open_staff(now);
                }
            } else if model.screen != Screen::Center
                && big_button(ui, tr(lang, "戻る", "Back"), BLUE).clicked()
            {
                model.close_staff();
            }
            let other = tr(lang, "English", "日本語");
            if big_button(ui, other, BLUE).clicked() {
                model.toggle_lang();
            }
            let clock = now.to_zoned(zone.clone()).strftime("%H:%M").to_string();
            ui.label(RichText::new(clock).size(30.0).strong());
        });
    });
}

fn level_word(lang: Lang, level: CongestionLevel) -> (&'static str, Color32) {
    match level {
        CongestionLevel::Vacant => (tr(lang, "空いています", "Not crowded"), GREEN),
        CongestionLevel::SomewhatCrowded => (tr(lang, "やや混雑", "Somewhat crowded"), AMBER),
        CongestionLevel::Crowded => (tr(lang, "混雑", "Crowded"), RED),
        CongestionLevel::Full => (tr(lang, "満員", "Full"), RED),
        CongestionLevel::Closed => (tr(lang, "利用時間外", "Closed now"), Color32::GRAY),
    }
}

/// The children's given names as the screen says them (はるとさん・ゆいさん), if known.
pub(super) fn names_line(lang: Lang, names: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    Some(match lang {
        Lang::Ja => names
            .iter()
            .map(|name| format!("{name}さん"))
            .collect::<Vec<_>>()
            .join("・"),
        Lang::En => names.join(", "),
    })
}

fn center(ui: &mut Ui, model: &mut Model) {
    let lang = model.lang;
    if let Some((answer, _)) = &model.answer {
        let accepted = answer.screen == "accepted";
        let fill = if accepted { GREEN } else { RED };
        egui::Frame::new()
            .fill(fill)
            .inner_margin(24.0)
            .corner_radius(16.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                let headline = match (answer.kind, lang) {
                    (Some(EventKind::CheckIn), Lang::Ja) => "おかえりなさい",
                    (Some(EventKind::CheckIn), Lang::En) => "Welcome!",
                    (Some(EventKind::CheckOut), Lang::Ja) => "いってらっしゃい",
                    (Some(EventKind::CheckOut), Lang::En) => "See you again!",
                    (None, _) => tr(lang, "ご確認ください", "Please check"),
                };
                ui.label(
                    RichText::new(headline)
                        .size(64.0)
                        .strong()
                        .color(Color32::WHITE),
                );
                if let Some(names) = names_line(lang, &answer.names) {
                    ui.label(
                        RichText::new(names)
                            .size(48.0)
                            .strong()
                            .color(Color32::WHITE),
                    );
                }
                let words = match lang {
                    Lang::Ja => &answer.message_ja,
                    Lang::En => &answer.message_en,
                };
                ui.label(
                    RichText::new(words.as_str())
                        .size(30.0)
                        .color(Color32::WHITE),
                );
            });
        ui.add_space(16.0);
    } else {
        ui.label(
            RichText::new(tr(
                lang,
                "QRコードをカメラにかざしてください",
                "Hold your QR code to the camera",
            ))
            .size(40.0)
            .strong(),
        );
        ui.add_space(16.0);
    }
    occupancy(ui, model);
}

fn occupancy(ui: &mut Ui, model: &Model) {
    let lang = model.lang;
    let Some(snapshot) = model.snapshot.as_ref().filter(|s| s.center_name.is_some()) else {
        ui.label(
            RichText::new(tr(
                lang,
                "準備中です（センターの設定を受け取るまでお待ちください）",
                "Getting ready (waiting for the center's settings)",
            ))
            .size(30.0),
        );
        return;
    };
    let (word, color) = level_word(lang, snapshot.occupancy.level);
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr(lang, "利用中", "In now")).size(32.0));
        ui.label(
            RichText::new(snapshot.occupancy.families_in.to_string())
                .size(120.0)
                .strong(),
        );
        let unit = match lang {
            Lang::Ja => format!("組 / 定員 {}組", snapshot.capacity),
            Lang::En => format!("families / capacity {}", snapshot.capacity),
        };
        ui.label(RichText::new(unit).size(32.0));
    });
    ui.label(RichText::new(word).size(40.0).strong().color(color));
    let children = match lang {
        Lang::Ja => format!("お子さま {}人", snapshot.occupancy.children_in),
        Lang::En => format!("{} children", snapshot.occupancy.children_in),
    };
    ui.label(RichText::new(children).size(28.0));
}

#[path = "draw_staff.rs"]
mod staff_screens;
use staff_screens::{pin_pad, staff};
