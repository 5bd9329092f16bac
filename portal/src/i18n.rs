//! The message catalogue: every text a citizen reads, in Japanese (the default) and English.
//! The catalogues are `locales/ja.toml` and `locales/en.toml`, embedded at build time; a test
//! checks that both have the same keys and that every key the code and templates use exists.

use std::{collections::HashMap, sync::LazyLock};

use serde::{Deserialize, Serialize};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag (`ja`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Parses a tag such as `ja`, `en`, `en-US`; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the first supported tag by
    /// q-value, else Japanese.
    pub fn from_accept_language(header: &str) -> Self {
        let mut choices: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_tag(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|(_, lang)| *lang).unwrap_or_default()
    }

    /// The other language, for the language switch.
    pub fn other(self) -> Self {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// The language's own name, for the switch ("English", "日本語").
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }
}

type Catalogue = HashMap<String, String>;

fn parse(source: &str) -> Catalogue {
    // A malformed catalogue is caught by the tests below before it can ship.
    toml::from_str(source).unwrap_or_default()
}

static JA: LazyLock<Catalogue> = LazyLock::new(|| parse(include_str!("../locales/ja.toml")));
static EN: LazyLock<Catalogue> = LazyLock::new(|| parse(include_str!("../locales/en.toml")));

/// What a missing message shows (and what tests look for).
pub const MISSING: &str = "[missing message]";

/// Looks up a message. A missing key shows the key itself (and fails the catalogue test).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let catalogue = match lang {
        Lang::Ja => &*JA,
        Lang::En => &*EN,
    };
    match catalogue.get(key) {
        Some(text) => text.as_str(),
        None => match JA.get(key) {
            Some(text) => text.as_str(),
            None => {
                tracing::warn!(key, "missing message");
                MISSING
            }
        },
    }
}

/// Looks up a message and fills `{name}` placeholders.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = t(lang, key).to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_have_the_same_keys() {
        let ja: Catalogue = toml::from_str(include_str!("../locales/ja.toml")).unwrap();
        let en: Catalogue = toml::from_str(include_str!("../locales/en.toml")).unwrap();
        let mut only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
        only_ja.sort();
        only_en.sort();
        assert!(
            only_ja.is_empty() && only_en.is_empty(),
            "ja only: {only_ja:?}, en only: {only_en:?}"
        );
    }

    /// Every `t("…")`/`tf(…, "…"` in the templates and every `"error.…"`-style key literal in the
    /// sources must be in the catalogue.
    #[test]
    fn every_key_the_code_uses_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["src", "templates"] {
            collect(&root.join(dir), &mut sources);
        }
        // These two hold dotted names that are not message keys (settings paths, prefixes).
        for skip in ["src/config.rs", "src/i18n.rs"] {
            let skipped = std::fs::read_to_string(root.join(skip)).unwrap();
            sources.retain(|text| *text != skipped);
        }
        let key_re = |text: &str| -> Vec<String> {
            let mut keys = Vec::new();
            let mut rest = text;
            while let Some(start) = rest.find('"') {
                let after = &rest[start + 1..];
                let Some(end) = after.find('"') else { break };
                let candidate = &after[..end];
                let prefixes = [
                    "error.", "page.", "nav.", "form.", "mail.", "role.", "msg.", "btn.", "svc.",
                ];
                if prefixes.iter().any(|p| candidate.starts_with(p))
                    && !candidate.ends_with('.')
                    && !candidate.ends_with(".html")
                    && candidate
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                {
                    keys.push(candidate.to_owned());
                }
                rest = &after[end + 1..];
            }
            keys
        };
        let mut missing = Vec::new();
        for text in &sources {
            for key in key_re(text) {
                if !JA.contains_key(&key) {
                    missing.push(key);
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys missing from locales/ja.toml: {missing:?}"
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
            {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("fr,ja;q=0.5,en;q=0.4"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("de"), Lang::Ja);
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
    }

    #[test]
    fn placeholders_are_filled() {
        assert!(tf(Lang::Ja, "mail.greeting", &[("name", "山田 花子")]).contains("山田 花子"));
    }
}
