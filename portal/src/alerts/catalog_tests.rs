use super::*;
use crate::i18n::Lang;

const MINIMAL: &str = r#"
[[zone]]
id = 1
names = { ja = "土砂災害警戒区域" }

[[kind]]
id = "level4"
level = 4
cap = { category = "Safety", urgency = "Immediate", severity = "Severe", certainty = "Likely" }
names = { ja = "警戒レベル4 避難指示" }
[kind.templates.ja]
title = "【{kind}】"
body = "{areas}"
"#;

fn refused(text: &str) -> CatalogError {
    Catalog::from_toml(text).unwrap_err()
}

#[test]
fn the_embedded_catalog_has_the_official_levels_in_every_language() {
    let catalog = Catalog::embedded().unwrap();
    let level4 = catalog.kind("level4").unwrap();
    assert_eq!(level4.level, Some(4));
    assert_eq!(level4.name(Language::Ja), "警戒レベル4 避難指示");
    assert_eq!(
        catalog.kind("level3").unwrap().name(Language::Ja),
        "警戒レベル3 高齢者等避難"
    );
    assert_eq!(
        catalog.kind("level5").unwrap().name(Language::Ja),
        "警戒レベル5 緊急安全確保"
    );
    assert!(catalog.kind("lifted").unwrap().level.is_none());
    assert!(catalog.kind("info").unwrap().free_form);
    for kind in catalog.kinds().iter().filter(|kind| !kind.free_form) {
        for language in Language::ALL {
            assert!(
                kind.templates.get(language).is_some(),
                "{} {language}",
                kind.id
            );
            assert!(kind.names.get(language).is_some(), "{} {language}", kind.id);
        }
    }
    let zone_names: Vec<&str> = catalog
        .zones()
        .all()
        .iter()
        .map(|z| z.name(Language::Ja))
        .collect();
    assert_eq!(
        zone_names,
        [
            "土砂災害警戒区域",
            "土砂災害特別警戒区域",
            "洪水浸水想定区域",
            "家屋倒壊等氾濫想定区域",
            "ため池浸水想定区域",
            "津波浸水想定区域"
        ]
    );
}

#[test]
fn a_renamed_level_is_only_a_data_change() {
    let renamed = MINIMAL.replace("警戒レベル4 避難指示", "レベル4 避難指示(新)");
    let catalog = Catalog::from_toml(&renamed).unwrap();
    assert_eq!(
        catalog.kind("level4").unwrap().name(Language::En),
        "レベル4 避難指示(新)"
    );
}

#[test]
fn unknown_keys_and_bad_toml_are_refused() {
    assert_eq!(refused("[[kind]\n").code(), "catalog_toml");
    let extra = MINIMAL.replace("level = 4", "level = 4\ncolour = \"red\"");
    let error = refused(&extra);
    assert_eq!(error.code(), "catalog_toml");
    assert!(error.message(Lang::En).contains("colour"), "{error}");
    assert_eq!(refused("").code(), "catalog_no_kinds");
}

#[test]
fn language_codes_must_be_the_exact_ones() {
    let zh = MINIMAL.replace("names = { ja = \"警戒", "names = { zh = \"x\", ja = \"警戒");
    assert_eq!(
        refused(&zh),
        CatalogError::UnknownLanguage {
            owner: "level4".into(),
            code: "zh".into()
        }
    );
    let template = MINIMAL.replace("[kind.templates.ja]", "[kind.templates.fr]");
    assert_eq!(refused(&template).code(), "catalog_unknown_language");
}

#[test]
fn duplicate_ids_and_zones_are_refused() {
    let twice = format!(
        "{MINIMAL}\n{}",
        MINIMAL
            .split("[[kind]]")
            .nth(1)
            .map(|k| format!("[[kind]]{k}"))
            .unwrap()
    );
    assert_eq!(
        refused(&twice),
        CatalogError::DuplicateKind("level4".into())
    );
    let zones = MINIMAL.replace(
        "[[kind]]",
        "[[zone]]\nid = 1\nnames = { ja = \"x\" }\n[[kind]]",
    );
    assert_eq!(refused(&zones), CatalogError::DuplicateZone(1));
    assert_eq!(
        refused(&MINIMAL.replace("id = 1", "id = 64")),
        CatalogError::ZoneOutOfRange(64)
    );
    assert_eq!(
        refused(&MINIMAL.replace("\"level4\"", "\" \"")),
        CatalogError::EmptyKindId
    );
}

#[test]
fn a_standard_kind_needs_a_japanese_template_and_name() {
    let english_only = MINIMAL.replace("[kind.templates.ja]", "[kind.templates.en]");
    let error = refused(&english_only);
    assert_eq!(error, CatalogError::NoJapaneseTemplate("level4".into()));
    assert_eq!(
        error.to_string(),
        "種類「level4」に日本語(ja)の文面がありません"
    );
    let nameless = MINIMAL.replace(
        "names = { ja = \"警戒レベル4 避難指示\" }",
        "names = { en = \"Order\" }",
    );
    assert_eq!(
        refused(&nameless),
        CatalogError::NoJapaneseName("level4".into())
    );
}

#[test]
fn free_form_kinds_have_no_templates() {
    let free = MINIMAL.replace("level = 4", "free_form = true");
    assert_eq!(refused(&free).code(), "catalog_free_form_with_templates");
    let without = free.split("[kind.templates.ja]").next().unwrap().to_owned();
    assert!(
        Catalog::from_toml(&without)
            .unwrap()
            .kind("level4")
            .unwrap()
            .free_form
    );
}

#[test]
fn templates_levels_and_cap_values_are_checked() {
    let bad = MINIMAL.replace("{areas}", "{area}");
    let error = refused(&bad);
    assert_eq!(error.code(), "catalog_bad_template");
    assert_eq!(
        error.message(Lang::En),
        "kind \"level4\", template ja: there is no field {area}"
    );
    assert_eq!(
        refused(&MINIMAL.replace("level = 4", "level = 6")),
        CatalogError::BadLevel {
            kind: "level4".into(),
            level: 6
        }
    );
    let cap = refused(&MINIMAL.replace("\"Severe\"", "\"severe\""));
    assert_eq!(cap.code(), "catalog_bad_cap_value");
    assert_eq!(
        cap.message(Lang::En),
        "kind \"level4\": cap.severity \"severe\" is not a CAP 1.2 value"
    );
}
