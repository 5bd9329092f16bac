//! Checking what a person typed into a form, field by field. Errors are message-catalogue keys,
//! so the web layer shows each beside its field in the user's language.

use super::{
    email::{Email, EmailError},
    password::{self, PasswordPolicyError},
};

/// The errors of one form: `(field name, message key)`, in the order of the form's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, &'static str)>);

impl FieldErrors {
    /// Records an error for a field.
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.0.push((field, key));
    }

    /// Whether no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message key of a field's first error, if any.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, key)| *key)
    }

    /// `Ok(value)` when there are no errors, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Checks a required text field of at most `max` characters (`too_long` is its message
/// key); returns it trimmed.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    max: usize,
    too_long: &'static str,
) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        errors.add(field, "error.required");
    } else if trimmed.chars().count() > max {
        errors.add(field, too_long);
    }
    trimmed.to_owned()
}

/// Longest 姓 or 名, in characters.
pub const MAX_NAME_CHARS: usize = 50;

/// Checks an email field, returning the normal form.
pub fn email(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<Email> {
    match Email::parse(raw) {
        Ok(email) => Some(email),
        Err(EmailError::Empty) => {
            errors.add(field, "error.email_required");
            None
        }
        Err(EmailError::Malformed | EmailError::TooLong) => {
            errors.add(field, "error.email_malformed");
            None
        }
    }
}

/// Checks a 姓 or 名 field: required, at most [`MAX_NAME_CHARS`], no control characters.
/// Returns the trimmed name.
pub fn name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        errors.add(field, "error.name_required");
    } else if trimmed.chars().count() > MAX_NAME_CHARS {
        errors.add(field, "error.name_too_long");
    } else if trimmed.chars().any(char::is_control) {
        errors.add(field, "error.name_invalid");
    }
    trimmed.to_owned()
}

/// Checks a new password and its confirmation; the error goes beside the field it concerns.
pub fn new_password(
    errors: &mut FieldErrors,
    field: &'static str,
    confirm_field: &'static str,
    password: &str,
    confirm: &str,
) {
    match password::check_new(password, confirm) {
        Ok(()) => {}
        Err(PasswordPolicyError::TooShort) => errors.add(field, "error.password_too_short"),
        Err(PasswordPolicyError::TooLong) => errors.add(field, "error.password_too_long"),
        Err(PasswordPolicyError::TooCommon) => errors.add(field, "error.password_too_common"),
        Err(PasswordPolicyError::Mismatch) => errors.add(confirm_field, "error.password_mismatch"),
    }
}

/// A registration as typed.
#[derive(Debug, Clone, Default)]
pub struct RegistrationInput {
    /// メールアドレス
    pub email: String,
    /// 姓
    pub family_name: String,
    /// 名
    pub given_name: String,
    /// パスワード
    pub password: String,
    /// パスワード（確認）
    pub password_confirm: String,
    /// 個人情報保護方針・利用規約に同意
    pub accept_terms: bool,
}

/// A registration that passed every check.
#[derive(Debug, Clone)]
pub struct ValidRegistration {
    /// Normalised address.
    pub email: Email,
    /// Trimmed 姓.
    pub family_name: String,
    /// Trimmed 名.
    pub given_name: String,
    /// The password, to be hashed.
    pub password: String,
}

/// Checks a registration, reporting every field's problem at once.
pub fn registration(input: &RegistrationInput) -> Result<ValidRegistration, FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = email(&mut errors, "email", &input.email);
    let family_name = name(&mut errors, "family_name", &input.family_name);
    let given_name = name(&mut errors, "given_name", &input.given_name);
    new_password(
        &mut errors,
        "password",
        "password_confirm",
        &input.password,
        &input.password_confirm,
    );
    if !input.accept_terms {
        errors.add("accept_terms", "error.terms_required");
    }
    match email {
        Some(email) if errors.is_empty() => Ok(ValidRegistration {
            email,
            family_name,
            given_name,
            password: input.password.clone(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RegistrationInput {
        RegistrationInput {
            email: "hanako@example.jp".into(),
            family_name: "山田".into(),
            given_name: "花子".into(),
            password: "momiji-manju-42".into(),
            password_confirm: "momiji-manju-42".into(),
            accept_terms: true,
        }
    }

    #[test]
    fn a_complete_registration_passes() {
        let valid = registration(&good()).unwrap();
        assert_eq!(valid.email.as_str(), "hanako@example.jp");
        assert_eq!(valid.family_name, "山田");
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let input = RegistrationInput {
            email: "hanako".into(),
            family_name: " ".into(),
            given_name: "花".repeat(51),
            password: "momiji-manju-42".into(),
            password_confirm: "momiji-manju-43".into(),
            accept_terms: false,
        };
        let errors = registration(&input).unwrap_err();
        assert_eq!(errors.get("email"), Some("error.email_malformed"));
        assert_eq!(errors.get("family_name"), Some("error.name_required"));
        assert_eq!(errors.get("given_name"), Some("error.name_too_long"));
        assert_eq!(
            errors.get("password_confirm"),
            Some("error.password_mismatch")
        );
        assert_eq!(errors.get("accept_terms"), Some("error.terms_required"));
        assert_eq!(errors.get("password"), None);
    }

    #[test]
    fn missing_consent_alone_refuses() {
        let input = RegistrationInput {
            accept_terms: false,
            ..good()
        };
        assert_eq!(
            registration(&input).unwrap_err().0,
            vec![("accept_terms", "error.terms_required")]
        );
    }

    #[test]
    fn control_characters_in_names_are_refused() {
        let input = RegistrationInput {
            family_name: "山\u{0}田".into(),
            ..good()
        };
        assert_eq!(
            registration(&input).unwrap_err().get("family_name"),
            Some("error.name_invalid")
        );
    }
}
