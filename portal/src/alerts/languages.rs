//! The languages alerts are written in, and the choice of the one a citizen gets.
//!
//! The 防災情報の通知設定 page asks for 「配信を希望する言語」. Its choices are fixed here, not in the
//! catalog: targeting keeps them in a one-byte set, and a citizen's setting stores the code.
//! Whatever is missing falls back to Japanese, the one language every alert must have.

use serde::{Deserialize, Serialize};

/// A language an alert can be delivered in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub enum Language {
    /// 日本語, the default and the fallback.
    #[default]
    #[serde(rename = "ja")]
    Ja,
    /// やさしい日本語: short sentences, common words, furigana-free.
    #[serde(rename = "ja-easy")]
    JaEasy,
    /// English.
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// Korean.
    #[serde(rename = "ko")]
    Ko,
    /// Vietnamese.
    #[serde(rename = "vi")]
    Vi,
    /// Portuguese (the Brazilian community is among Japan's largest).
    #[serde(rename = "pt")]
    Pt,
}

impl Language {
    /// Every language, Japanese first, in the order the setting page lists them.
    pub const ALL: [Language; 7] = [
        Language::Ja,
        Language::JaEasy,
        Language::En,
        Language::ZhHans,
        Language::Ko,
        Language::Vi,
        Language::Pt,
    ];

    /// The code stored in settings and catalogs (`ja`, `ja-easy`, `en`, `zh-Hans`, `ko`, `vi`, `pt`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::JaEasy => "ja-easy",
            Self::En => "en",
            Self::ZhHans => "zh-Hans",
            Self::Ko => "ko",
            Self::Vi => "vi",
            Self::Pt => "pt",
        }
    }

    /// The BCP 47 tag for `lang` attributes and CAP's `<language>`. The same as [`Self::code`]
    /// except やさしい日本語, which has no registered subtag and so is a private use one.
    pub fn bcp47(self) -> &'static str {
        match self {
            Self::JaEasy => "ja-x-easy",
            other => other.code(),
        }
    }

    /// The language's name in itself, as the choice is shown to someone who reads only it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Ja => "日本語",
            Self::JaEasy => "やさしい日本語",
            Self::En => "English",
            Self::ZhHans => "中文(简体)",
            Self::Ko => "한국어",
            Self::Vi => "Tiếng Việt",
            Self::Pt => "Português",
        }
    }

    /// Reads a code or a BCP 47 tag, ignoring case and `_` for `-`: the codes themselves, and
    /// the tags browsers and CAP files use for them (`ja-JP`, `ja-x-easy`, `en-US`, `zh-CN`,
    /// `zh-Hans-CN`, `ko-KR`, `vi-VN`, `pt-BR`). Traditional Chinese is not Simplified, so
    /// `zh-Hant` and `zh-TW` are `None`.
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        let primary = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        match primary {
            "ja" if rest.contains(&"easy") => Some(Self::JaEasy),
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            "zh" if rest.iter().any(|p| ["hant", "tw", "hk", "mo"].contains(p)) => None,
            "zh" => Some(Self::ZhHans),
            "ko" => Some(Self::Ko),
            "vi" => Some(Self::Vi),
            "pt" => Some(Self::Pt),
            _ => None,
        }
    }

    /// Reads a stored code, and falls back to Japanese for one this version does not know
    /// (a language withdrawn from the list must not stop a citizen from being warned).
    pub fn parse_or_japanese(tag: &str) -> Language {
        Self::parse(tag).unwrap_or_default()
    }

    /// The position in [`Self::ALL`], for [`PerLanguage`] and [`LanguageSet`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The separator of a list in running text (「、」 in Japanese and Chinese, ", " otherwise).
    pub fn list_separator(self) -> &'static str {
        match self {
            Self::Ja | Self::JaEasy | Self::ZhHans => "、",
            _ => ", ",
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of languages in one byte: the languages an alert has text in, checked once per citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LanguageSet(u8);

impl LanguageSet {
    /// No language.
    pub const EMPTY: LanguageSet = LanguageSet(0);

    /// The set with `language` added.
    pub fn with(self, language: Language) -> LanguageSet {
        LanguageSet(self.0 | 1 << language.index())
    }

    /// Whether `language` is in the set.
    pub fn contains(self, language: Language) -> bool {
        self.0 & 1 << language.index() != 0
    }

    /// The languages in the set, in [`Language::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Language> {
        Language::ALL.into_iter().filter(move |l| self.contains(*l))
    }

    /// The language a citizen who wants `wanted` gets: `wanted` if the set has it, else
    /// Japanese (which an alert always has; see [`mod@super::compose`]).
    pub fn choose(self, wanted: Language) -> Language {
        if self.contains(wanted) {
            wanted
        } else {
            Language::Ja
        }
    }
}

impl FromIterator<Language> for LanguageSet {
    fn from_iter<I: IntoIterator<Item = Language>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

/// One optional value per language, without a map: a catalog's names, an alert's texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerLanguage<T>([Option<T>; 7]);

impl<T> Default for PerLanguage<T> {
    fn default() -> Self {
        Self(std::array::from_fn(|_| None))
    }
}

impl<T> PerLanguage<T> {
    /// The value for `language`, if there is one.
    pub fn get(&self, language: Language) -> Option<&T> {
        self.0.get(language.index()).and_then(Option::as_ref)
    }

    /// The value for `language`, or the Japanese one when it has none.
    pub fn get_or_japanese(&self, language: Language) -> Option<&T> {
        self.get(language).or_else(|| self.get(Language::Ja))
    }

    /// Sets the value for `language`, returning the one it replaces.
    pub fn insert(&mut self, language: Language, value: T) -> Option<T> {
        self.0
            .get_mut(language.index())
            .and_then(|slot| slot.replace(value))
    }

    /// The languages that have a value.
    pub fn languages(&self) -> LanguageSet {
        self.iter().map(|(language, _)| language).collect()
    }

    /// The languages and their values, in [`Language::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Language, &T)> {
        Language::ALL
            .into_iter()
            .filter_map(|language| Some((language, self.get(language)?)))
    }

    /// The values, each changed by `f`.
    pub fn map<U>(&self, mut f: impl FnMut(Language, &T) -> U) -> PerLanguage<U> {
        let mut out = PerLanguage::default();
        for (language, value) in self.iter() {
            out.insert(language, f(language, value));
        }
        out
    }
}

impl<T> FromIterator<(Language, T)> for PerLanguage<T> {
    fn from_iter<I: IntoIterator<Item = (Language, T)>>(iter: I) -> Self {
        let mut out = Self::default();
        for (language, value) in iter {
            out.insert(language, value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_tags_are_understood() {
        for language in Language::ALL {
            assert_eq!(Language::parse(language.code()), Some(language));
            assert_eq!(Language::parse(language.bcp47()), Some(language));
            assert_eq!(Language::ALL[language.index()], language);
        }
        assert_eq!(Language::parse("ZH_cn"), Some(Language::ZhHans));
        assert_eq!(Language::parse("pt-BR"), Some(Language::Pt));
        assert_eq!(Language::parse("zh-Hant-TW"), None);
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::parse_or_japanese("tl"), Language::Ja);
        assert_eq!(Language::ZhHans.native_name(), "中文(简体)");
    }

    #[test]
    fn a_missing_language_falls_back_to_japanese() {
        let set: LanguageSet = [Language::Ja, Language::En].into_iter().collect();
        assert_eq!(set.choose(Language::En), Language::En);
        assert_eq!(set.choose(Language::Vi), Language::Ja);
        assert_eq!(set.choose(Language::JaEasy), Language::Ja);
        let texts: PerLanguage<&str> = [(Language::Ja, "避難指示")].into_iter().collect();
        assert_eq!(texts.get_or_japanese(Language::Ko), Some(&"避難指示"));
        assert_eq!(texts.languages(), LanguageSet::EMPTY.with(Language::Ja));
    }

    #[test]
    fn serde_uses_the_codes() {
        let json = serde_json::to_string(&Language::ZhHans).unwrap();
        assert_eq!(json, "\"zh-Hans\"");
        let back: Language = serde_json::from_str("\"ja-easy\"").unwrap();
        assert_eq!(back, Language::JaEasy);
    }
}
