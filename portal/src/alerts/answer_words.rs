//! The words around the one-tap answers on an alert's page, in the alert's language: a citizen
//! reading an alert in Tiếng Việt answers in Tiếng Việt, whatever language the portal's menus
//! are in.

use super::languages::Language;

/// The phrases of the answer section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerWords {
    /// The section's heading.
    pub heading: &'static str,
    /// The area field's label.
    pub area: &'static str,
    /// The area choice meaning "my registered area".
    pub my_area: &'static str,
    /// After an answer was kept.
    pub saved: &'static str,
    /// Before the citizen's current answer.
    pub yours: &'static str,
    /// When the alert takes no answers (cancelled, or not one to answer).
    pub closed: &'static str,
}

/// The answer section's words in `language`.
pub fn answer_words(language: Language) -> AnswerWords {
    let w = |heading, area, my_area, saved, yours, closed| AnswerWords {
        heading,
        area,
        my_area,
        saved,
        yours,
        closed,
    };
    match language {
        Language::Ja => w(
            "あなたの状況を教えてください",
            "地域",
            "登録している地域",
            "回答を受け付けました。状況が変わったら、もう一度押してください。",
            "あなたの回答: ",
            "この避難情報への回答は受け付けていません。",
        ),
        Language::JaEasy => w(
            "いま どう して いますか",
            "ちいき",
            "とうろく した ちいき",
            "こたえを うけとりました。かわったら、また おして ください。",
            "あなたの こたえ: ",
            "この じょうほうには こたえられません。",
        ),
        Language::En => w(
            "Tell us how you are",
            "Area",
            "My registered area",
            "Your answer was received. If things change, tap again.",
            "Your answer: ",
            "This alert no longer takes answers.",
        ),
        Language::ZhHans => w(
            "请告诉我们您的情况",
            "地区",
            "已登记的地区",
            "已收到您的回答。情况有变化时，请再按一次。",
            "您的回答：",
            "此避难信息已不再接受回答。",
        ),
        Language::Ko => w(
            "현재 상황을 알려 주세요",
            "지역",
            "등록한 지역",
            "응답을 받았습니다. 상황이 바뀌면 다시 눌러 주세요.",
            "나의 응답: ",
            "이 피난 정보에는 더 이상 응답할 수 없습니다.",
        ),
        Language::Vi => w(
            "Hãy cho chúng tôi biết tình trạng của bạn",
            "Khu vực",
            "Khu vực đã đăng ký",
            "Đã nhận câu trả lời. Nếu tình hình thay đổi, hãy bấm lại.",
            "Câu trả lời của bạn: ",
            "Thông báo này không còn nhận câu trả lời.",
        ),
        Language::Pt => w(
            "Diga-nos como você está",
            "Área",
            "Minha área registrada",
            "Sua resposta foi recebida. Se algo mudar, toque de novo.",
            "Sua resposta: ",
            "Este alerta não recebe mais respostas.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_phrase_and_its_own_heading() {
        let mut headings = Vec::new();
        for language in Language::ALL {
            let words = answer_words(language);
            for phrase in [
                words.heading,
                words.area,
                words.my_area,
                words.closed,
                words.saved,
                words.yours,
            ] {
                assert!(!phrase.trim().is_empty(), "{language:?}");
            }
            headings.push(words.heading);
        }
        headings.sort_unstable();
        headings.dedup();
        assert_eq!(headings.len(), Language::ALL.len());
    }
}
