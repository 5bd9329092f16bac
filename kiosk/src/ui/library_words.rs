//! The library counter screen's words: a patron's block, a book's line, a notice about a scan.

use eframe::egui::Color32;

use super::{
    draw::{AMBER, GREEN, RED, tr},
    model::Lang,
};
use crate::circulation::{
    Block, Lent,
    counter::{ItemLine, ItemState, Notice},
};

/// The title, or the barcode when the library system gave none.
fn title_or(title: &str, item: &str) -> String {
    if title.is_empty() {
        item.to_owned()
    } else {
        title.to_owned()
    }
}

/// A block in words a patron understands.
pub(super) fn block_words(lang: Lang, block: Block) -> &'static str {
    match block {
        Block::NotAPatron => tr(
            lang,
            "このカードは使えません（登録がないか、有効期限が切れています）。",
            "This card cannot be used (not registered, or expired).",
        ),
        Block::Stopped => tr(
            lang,
            "貸出が停止されています。",
            "Lending is stopped on this card.",
        ),
        Block::CardLost => tr(
            lang,
            "紛失の届けが出ているカードです。",
            "This card was reported lost.",
        ),
        Block::TooMany => tr(
            lang,
            "借りられる冊数の上限です。",
            "You have borrowed as many items as allowed.",
        ),
        Block::Overdue => tr(
            lang,
            "返却期限を過ぎた本があります。",
            "Some items are overdue.",
        ),
        Block::Fines => tr(lang, "未納の料金があります。", "There are unpaid fees."),
    }
}

/// A book's title (or barcode), what became of it, and the colour to say it in.
pub(super) fn item_words(lang: Lang, line: &ItemLine) -> (String, String, Color32) {
    match &line.state {
        ItemState::Waiting => (
            line.item.clone(),
            tr(lang, "処理しています…", "Working…").to_owned(),
            Color32::GRAY,
        ),
        ItemState::Lent(lent) => done_until(lang, line, lent, ("貸出しました。", "Lent.")),
        ItemState::Renewed(renewed) => {
            done_until(lang, line, renewed, ("延長しました。", "Renewed."))
        }
        ItemState::Returned(back) => (
            title_or(&back.title, &line.item),
            tr(lang, "返却しました。", "Returned.").to_owned(),
            GREEN,
        ),
        ItemState::Queued => (
            line.item.clone(),
            tr(
                lang,
                "記録しました（図書館システムにはあとで送ります）。",
                "Recorded (sent to the library system later).",
            )
            .to_owned(),
            AMBER,
        ),
        ItemState::Refused(message) => (
            line.item.clone(),
            format!(
                "{} {message}",
                tr(
                    lang,
                    "できませんでした。窓口の職員にご相談ください。",
                    "Not done. Please ask the staff."
                )
            ),
            RED,
        ),
    }
}

/// A lent or renewed book's line: `done` (Japanese, English), then its due date when known.
fn done_until(
    lang: Lang,
    line: &ItemLine,
    lent: &Lent,
    done: (&'static str, &'static str),
) -> (String, String, Color32) {
    let done = tr(lang, done.0, done.1);
    let state = match lent.due {
        // 貸出しました。返却期限 2026-12-17 / Lent. Due 2026-12-17
        Some(due) => format!("{done}{} {due}", tr(lang, "返却期限", " Due")),
        None => done.to_owned(),
    };
    (title_or(&lent.title, &line.item), state, GREEN)
}

/// A notice about the last scan.
pub(super) fn notice_words(lang: Lang, notice: Notice) -> &'static str {
    match notice {
        Notice::CardFirst => tr(
            lang,
            "先に図書館利用カードをかざしてください。",
            "Show the library card first.",
        ),
        Notice::Blocked => tr(
            lang,
            "このかたには貸出できません。窓口の職員にご相談ください。",
            "No lending to this patron. Please ask the staff.",
        ),
        Notice::BadCardPass => tr(
            lang,
            "このQRコードは使えません。ポータルの図書館利用カードの画面を開き直すか、バーコードをかざしてください。",
            "This QR code cannot be used. Reopen the card page on the portal, or show the barcode.",
        ),
        Notice::NotInReturn => tr(
            lang,
            "返却ではカードは不要です。本のバーコードをかざしてください。",
            "Returns need no card: show the books.",
        ),
    }
}
