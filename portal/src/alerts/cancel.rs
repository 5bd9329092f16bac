//! The 取消 notice: what citizens who got an alert read when the disaster office cancels it,
//! in each language, naming the alert by its title.

use super::compose::AlertText;
use super::languages::Language;

/// The cancel notice of an alert whose title (in `language`) was `title`.
pub fn cancel_text(language: Language, title: &str) -> AlertText {
    let (title, body) = match language {
        Language::Ja => (
            format!("【取消】{title}"),
            format!("先ほどお送りした「{title}」を取り消します。"),
        ),
        Language::JaEasy => (
            format!("【とりけし】{title}"),
            format!("さっき おくった「{title}」は とりけします。"),
        ),
        Language::En => (
            format!("[Cancelled] {title}"),
            format!("The message “{title}” sent earlier is cancelled."),
        ),
        Language::ZhHans => (
            format!("【取消】{title}"),
            format!("此前发送的“{title}”已取消。"),
        ),
        Language::Ko => (
            format!("[취소] {title}"),
            format!("앞서 보낸 “{title}”을(를) 취소합니다."),
        ),
        Language::Vi => (
            format!("[Hủy] {title}"),
            format!("Thông báo “{title}” đã gửi trước đó bị hủy."),
        ),
        Language::Pt => (
            format!("[Cancelado] {title}"),
            format!("A mensagem “{title}” enviada antes foi cancelada."),
        ),
    };
    AlertText { title, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_the_cancelled_alert_in_title_and_body() {
        for language in Language::ALL {
            let text = cancel_text(language, "【警戒レベル4 避難指示】");
            assert!(
                text.title.ends_with("【警戒レベル4 避難指示】"),
                "{language:?}"
            );
            assert!(
                text.body.contains("「【警戒レベル4 避難指示】」")
                    || text.body.contains("“【警戒レベル4 避難指示】”"),
                "{language:?}"
            );
            assert_ne!(text.title, "【警戒レベル4 避難指示】");
        }
        assert_eq!(cancel_text(Language::Ja, "X").title, "【取消】X");
    }
}
