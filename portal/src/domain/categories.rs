//! 分野 (categories) of 市からのお知らせ: staff name them, citizens pick the ones they want.

use super::validation::{self, FieldErrors};

/// How many categories a city may keep (a typo guard, and a page a citizen can read).
pub const MAX_CATEGORIES: usize = 50;

/// A category as typed into the staff form.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    /// The id (a–z, 0–9, '-'); fixed once made (feeds and links use it).
    pub category_id: String,
    /// 分野名, e.g. 子育て・教育.
    pub name: String,
}

/// A category that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCategory {
    /// Its id.
    pub category_id: String,
    /// Its name.
    pub name: String,
}

fn valid_id(id: &str) -> bool {
    (1..=36).contains(&id.len())
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks a category.
pub fn category(input: &CategoryInput) -> Result<ValidCategory, FieldErrors> {
    let mut errors = FieldErrors::default();
    let category_id = input.category_id.trim().to_owned();
    if !valid_id(&category_id) {
        errors.add("category_id", "error.id_malformed");
    }
    let name = validation::name(&mut errors, "name", &input.name);
    if errors.is_empty() {
        Ok(ValidCategory { category_id, name })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: &str, name: &str) -> CategoryInput {
        CategoryInput {
            category_id: id.into(),
            name: name.into(),
        }
    }

    #[test]
    fn ids_are_short_lowercase_names_and_names_are_required() {
        let ok = category(&input(" kosodate ", "子育て・教育")).unwrap();
        assert_eq!(ok.category_id, "kosodate");
        assert!(
            category(&input("Kosodate", "子育て"))
                .unwrap_err()
                .get("category_id")
                .is_some()
        );
        assert!(
            category(&input("-x", "子育て"))
                .unwrap_err()
                .get("category_id")
                .is_some()
        );
        assert!(
            category(&input("kosodate", " "))
                .unwrap_err()
                .get("name")
                .is_some()
        );
    }
}
