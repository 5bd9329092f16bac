//! Email addresses: a deliberately practical check (what a citizen can type and a relay accepts),
//! and one normal form so the same address is never registered twice.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest address SMTP can carry (RFC 5321: 254 octets in a path).
const MAX_LEN: usize = 254;

/// A syntactically valid email address in normal form: trimmed, domain lower-cased.
/// The local part keeps its case (RFC 5321 lets a server treat it as case-sensitive), but
/// uniqueness in the store is case-insensitive, as every real provider behaves.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why an address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was entered.
    #[error("email is empty")]
    Empty,
    /// Not of the form local@domain.example.
    #[error("email is malformed")]
    Malformed,
    /// Longer than SMTP allows.
    #[error("email is too long")]
    TooLong,
}

impl Email {
    /// Checks and normalises an address typed by a person.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Malformed)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(EmailError::Malformed);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Dot-atom local part (RFC 5322) — quoted local parts are refused: no citizen needs one and
/// they confuse relays. Consecutive dots are allowed because Japanese carriers issued such
/// addresses for years (e.g. `taro..yamada@docomo.ne.jp`) and they still receive mail.
fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";
    !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
}

/// A host name with at least one dot, labels of letters, digits and inner hyphens.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_carrier_addresses() {
        for ok in [
            "taro@example.jp",
            "hanako.yamada+portal@mail.city.example.lg.jp",
            "taro..yamada@docomo.ne.jp",
            "a_b-c@ezweb.ne.jp",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_what_cannot_receive_mail() {
        assert_eq!(Email::parse("  "), Err(EmailError::Empty));
        for bad in [
            "taro",
            "taro@",
            "@example.jp",
            "taro@localhost",
            "taro@exa mple.jp",
            "た ろう@example.jp",
            "taro@-example.jp",
            "\"quoted\"@example.jp",
            "taro@example..jp",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@example.jp", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn normalises_domain_case_and_whitespace() {
        let email = Email::parse("  Taro@Example.JP ").unwrap();
        assert_eq!(email.as_str(), "Taro@example.jp");
    }
}
