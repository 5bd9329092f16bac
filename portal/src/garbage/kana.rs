//! Folding Japanese text for search, so that what a citizen types finds what the city wrote:
//! katakana and hiragana are one (`ペットボトル` = `ぺっとぼとる`), full-width and half-width
//! forms are one (`ＩＣ` = `IC`, `ﾍﾟｯﾄ` = `ペット`), and Latin letters ignore case.
//!
//! This is the part of Unicode NFKC that matters for 分別 names, written out so the portal
//! needs no normalisation tables; characters it does not know pass through unchanged.

/// Half-width katakana U+FF61–U+FF9D, in code point order, as their full-width forms.
const HALF_WIDTH: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// The half-width voiced (゛) and semi-voiced (゜) sound marks.
const HALF_VOICED: char = '\u{FF9E}';
const HALF_SEMI_VOICED: char = '\u{FF9F}';

/// The folded form of `text`: hiragana for katakana, ASCII for full-width Latin letters,
/// digits and signs, full-width katakana for half-width, lowercase, one ASCII space for any
/// run of white space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        let c = match c {
            HALF_VOICED | HALF_SEMI_VOICED => {
                let (step, alone) = if c == HALF_VOICED {
                    (1, '゛')
                } else {
                    (2, '゜')
                };
                let marked = out.chars().next_back().and_then(|p| shift_mark(p, step));
                if let Some(marked) = marked {
                    out.pop();
                    out.push(marked);
                    continue;
                }
                alone
            }
            other => fold_char(other),
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One character folded (the sound marks are handled by [`fold`], which sees the previous one).
fn fold_char(c: char) -> char {
    let code = u32::from(c);
    let folded = match code {
        // Full-width ASCII signs, digits and letters.
        0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0),
        0x3000 => Some(' '),
        0xFF61..=0xFF9D => HALF_WIDTH
            .chars()
            .nth((code - 0xFF61) as usize)
            .map(katakana_to_hiragana),
        _ => Some(katakana_to_hiragana(c)),
    };
    folded.unwrap_or(c).to_ascii_lowercase()
}

/// Katakana (ァ–ヶ) as hiragana; any other character unchanged.
fn katakana_to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
        other => other,
    }
}

/// A hiragana with a sound mark added, as folded half-width text writes it: `step` 1 for ゛
/// (か → が, う → ゔ), 2 for ゜ (は → ぱ); `None` when the kana takes no such mark.
fn shift_mark(kana: char, step: u32) -> Option<char> {
    let voiced = "かきくけこさしすせそたちつてとはひふへほ";
    let semi_voiced = "はひふへほ";
    match (kana, step) {
        ('う', 1) => Some('ゔ'),
        (k, 1) if voiced.contains(k) => char::from_u32(u32::from(k) + 1),
        (k, 2) if semi_voiced.contains(k) => char::from_u32(u32::from(k) + 2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_hiragana_and_widths_fold_to_one_form() {
        assert_eq!(fold("ペットボトル"), "ぺっとぼとる");
        assert_eq!(fold("ﾍﾟｯﾄﾎﾞﾄﾙ"), "ぺっとぼとる");
        assert_eq!(fold("ｳﾞｧｲｵﾘﾝ"), "ゔぁいおりん");
        assert_eq!(fold("ＩＣレコーダー"), "icれこーだー");
        assert_eq!(fold("アイロン台（７０㎝超）"), "あいろん台(70㎝超)");
        assert_eq!(fold("  紙　 くず "), "紙 くず");
        assert_eq!(fold("ﾞ"), "゛", "a mark with nothing before it stays");
        assert_eq!(fold("ｱﾞ"), "あ゛", "ア takes no voiced mark");
        assert_eq!(fold("ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"), "がぎぐげご ぱぴぷぺぽ");
        assert_eq!(fold("ｦｰ｡｢｣､･"), "をー。「」、・");
    }
}
