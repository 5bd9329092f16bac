//! Reading the library system's answers: the command, its fixed fields, the variable fields,
//! and the checksum when there is one.

use super::checksum;

/// Why an answer could not be read. A kiosk treats each as "the library system answered
/// garbage": it says so in plain words and keeps the transaction for a later try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// Shorter than its command's fixed fields.
    #[error("a SIP2 answer {0:?} is too short")]
    TooShort(String),
    /// A command the kiosk does not expect.
    #[error("a SIP2 answer with the unknown command {0:?}")]
    UnknownCommand(String),
    /// The checksum does not match (the ACS should be asked to resend, with 97).
    #[error("a SIP2 answer whose checksum does not match")]
    Checksum,
    /// 96: the ACS asks for the last message again.
    #[error("the library system asks for the message again")]
    Resend,
}

/// The length of the fixed fields after each answer's command.
fn fixed_len(command: &str) -> Option<usize> {
    Some(match command {
        // ok
        "94" => 1,
        // online … checkin/checkout/renewal/status/offline flags, timeout, retries, date,
        // protocol version
        "98" => 6 + 3 + 3 + 18 + 4,
        // patron status, language, date
        "24" => 14 + 3 + 18,
        // … and six item counts
        "64" => 14 + 3 + 18 + 6 * 4,
        // ok, renewal ok / resensitize, magnetic media, desensitize / alert, date
        "12" | "10" | "30" => 4 + 18,
        "96" => 0,
        _ => return None,
    })
}

/// Where the error-detection trailer `AYnAZxxxx` of `line` starts, if it has one.
fn trailer(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let at = bytes.len().checked_sub(9)?;
    let t = &bytes[at..];
    (t.starts_with(b"AY") && t[2].is_ascii_digit() && &t[3..5] == b"AZ").then_some(at)
}

/// Whether the checksum of `line` (without its `\r`) holds; `true` when it has none.
pub fn verify_checksum(line: &str) -> bool {
    match trailer(line) {
        Some(at) => {
            let bytes = line.as_bytes();
            checksum(&bytes[..at + 5]).as_bytes() == bytes[at + 5..].to_ascii_uppercase()
        }
        None => true,
    }
}

/// An answer from the library system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The two-digit command (`94`, `98`, `24`, `64`, `12`, `10`, `30`).
    pub command: String,
    /// The fixed fields, as they came.
    pub fixed: String,
    /// The variable fields in order, code and value.
    pub fields: Vec<(String, String)>,
    /// The sequence number, when error detection is on.
    pub sequence: Option<u8>,
}

impl Response {
    /// Reads one answer (with or without its trailing `\r`).
    pub fn parse(line: &str) -> Result<Self, ResponseError> {
        let line = line.trim_end_matches(['\r', '\n']);
        let command = line
            .get(..2)
            .ok_or_else(|| ResponseError::TooShort(line.to_owned()))?;
        let fixed =
            fixed_len(command).ok_or_else(|| ResponseError::UnknownCommand(command.to_owned()))?;
        if !verify_checksum(line) {
            return Err(ResponseError::Checksum);
        }
        if command == "96" {
            return Err(ResponseError::Resend);
        }
        let rest_at = 2 + fixed;
        let fixed_part = line
            .get(2..rest_at)
            .ok_or_else(|| ResponseError::TooShort(line.to_owned()))?;
        let (body, sequence) = match trailer(line) {
            Some(at) if at >= rest_at => (&line[rest_at..at], Some(line.as_bytes()[at + 2] - b'0')),
            _ => (&line[rest_at..], None),
        };
        let fields = body
            .split('|')
            .filter(|f| f.len() >= 2)
            .filter_map(|f| Some((f.get(..2)?.to_owned(), f.get(2..)?.to_owned())))
            .collect();
        Ok(Self {
            command: command.to_owned(),
            fixed: fixed_part.to_owned(),
            fields,
            sequence,
        })
    }

    /// The first value of field `code`.
    pub fn field(&self, code: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of field `code`, in order (e.g. `AU`, the items charged).
    pub fn all(&self, code: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first fixed field: `1` for ok (login, checkout, checkin, renew).
    pub fn ok(&self) -> bool {
        self.fixed.starts_with('1')
    }

    /// Whether the patron may borrow: a patron status (24, 64) with no `Y` in its first
    /// four positions (charge, renewal, recall, hold privileges denied), a valid patron
    /// (`BL` `Y`) where given.
    pub fn patron_may_borrow(&self) -> bool {
        self.fixed
            .get(..4)
            .is_some_and(|flags| !flags.contains('Y'))
            && self.field("BL").is_none_or(|valid| valid == "Y")
    }
}
