//! The library counter screen's words: a patron's block, a book's title.

use super::{draw::tr, model::Lang};
use crate::circulation::Block;

/// The title, or the barcode when the library system gave none.
pub(super) fn title_or(title: &str, item: &str) -> String {
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
