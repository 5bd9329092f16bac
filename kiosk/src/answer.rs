//! What the kiosk answers on screen after a scan: accepted (checked in or out) or refused, with
//! a stable code and words a parent understands, in Japanese first and in English.
//!
//! `kiosk run --headless` prints each [`Answer`] as one JSON line on stdout; the window shows
//! the same fields. The codes are stable (tests and the end-to-end harness match on them); the
//! words may be improved.

use serde::Serialize;
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{CongestionLevel, EventKind},
    pass::PassError,
};

/// Why a scan was refused. [`Self::code`] is the stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The code is not a Shimin pass (some other QR code).
    NotAPass,
    /// A pass of a format this kiosk does not know (`SP2:` …).
    UnsupportedVersion,
    /// Looks like a pass but cannot be read.
    Malformed,
    /// Signed with a key the kiosk does not have (revoked, or not yet received).
    UnknownKey,
    /// The signature does not match: forged or altered.
    BadSignature,
    /// The key was not valid when the pass says it was issued.
    KeyNotValidAtIssue,
    /// The pass claims to live longer than allowed.
    LifetimeTooLong,
    /// Issued in the future: the kiosk's clock is probably wrong.
    NotYetValid,
    /// Expired: an old screenshot, or a phone that did not refresh the code.
    Expired,
    /// Bound to another center.
    WrongCenter,
    /// Already used here earlier (a screenshot shown again).
    Reused,
    /// The kiosk has not yet received its configuration or the keys from the portal.
    NotReady,
    /// The camera frame or image could not be read.
    Unreadable,
    /// The event could not be written to the local store: nothing was recorded.
    NotRecorded,
}

impl Refusal {
    /// The stable code, e.g. `"expired"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAPass => "not_a_pass",
            Self::UnsupportedVersion => "unsupported_version",
            Self::Malformed => "malformed",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::KeyNotValidAtIssue => "key_not_valid_at_issue",
            Self::LifetimeTooLong => "lifetime_too_long",
            Self::NotYetValid => "not_yet_valid",
            Self::Expired => "expired",
            Self::WrongCenter => "wrong_center",
            Self::Reused => "reused",
            Self::NotReady => "not_ready",
            Self::Unreadable => "unreadable",
            Self::NotRecorded => "not_recorded",
        }
    }

    /// The words shown to the guardian: (Japanese, English).
    pub fn messages(self) -> (&'static str, &'static str) {
        const FRESH_JA: &str = "このコードは使えません。スマートフォンで新しいコードを表示して、もう一度かざしてください。";
        const FRESH_EN: &str =
            "This code cannot be used. Please show a new code on your phone and scan again.";
        match self {
            Self::NotAPass => (
                "市民ポータルの入館コードではありません。市民ポータルで表示したコードをかざしてください。",
                "This is not a Shimin Portal check-in code. Please show the code from the Shimin Portal.",
            ),
            Self::Expired => (
                "このコードは有効期限が切れています。スマートフォンで新しいコードを表示してください。",
                "This code has expired. Please show a new code on your phone.",
            ),
            Self::BadSignature => (
                "このコードは正しいものと確認できませんでした。市民ポータルで表示したコードをかざしてください。",
                "This code could not be verified as genuine. Please show the code from the Shimin Portal.",
            ),
            Self::UnknownKey => (
                "このコードを確認できませんでした。新しいコードを表示してください。続く場合は職員にお声がけください。",
                "This code could not be checked. Please show a new code; if this happens again, please ask the staff.",
            ),
            Self::WrongCenter => (
                "このコードは別のセンター用です。このセンターを選んでコードを表示してください。",
                "This code is for another center. Please choose this center on your phone and show the new code.",
            ),
            Self::Reused => (
                "このコードはすでに使われています。スマートフォンで新しいコードを表示してください。",
                "This code has already been used. Please show a new code on your phone.",
            ),
            Self::NotYetValid => (
                "このコードはまだ使えません。お手数ですが職員にお声がけください。",
                "This code is not valid yet. Please ask the staff (the kiosk's clock may be wrong).",
            ),
            Self::NotReady => (
                "ただいま準備中です。しばらくお待ちいただくか、職員にお声がけください。",
                "The kiosk is getting ready. Please wait a moment or ask the staff.",
            ),
            Self::Unreadable => (
                "読み取れませんでした。もう一度ゆっくりかざしてください。",
                "The code could not be read. Please hold it to the camera again.",
            ),
            Self::NotRecorded => (
                "記録できませんでした。お手数ですが職員にお声がけください。",
                "This could not be recorded. Please ask the staff.",
            ),
            Self::UnsupportedVersion
            | Self::Malformed
            | Self::KeyNotValidAtIssue
            | Self::LifetimeTooLong => (FRESH_JA, FRESH_EN),
        }
    }
}

impl From<&PassError> for Refusal {
    fn from(error: &PassError) -> Self {
        match error {
            PassError::NotAPass => Self::NotAPass,
            PassError::UnsupportedVersion(_) => Self::UnsupportedVersion,
            PassError::Malformed(_) => Self::Malformed,
            PassError::UnknownKey(_) => Self::UnknownKey,
            PassError::BadSignature => Self::BadSignature,
            PassError::KeyNotValidAtIssue { .. } => Self::KeyNotValidAtIssue,
            PassError::LifetimeTooLong(_) => Self::LifetimeTooLong,
            PassError::NotYetValid(_) => Self::NotYetValid,
            PassError::Expired(_) => Self::Expired,
            PassError::WrongCenter(_) => Self::WrongCenter,
        }
    }
}

/// The center's occupancy as this kiosk sees it (its view of who is in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LocalOccupancy {
    /// Families with at least one child in.
    pub families_in: u32,
    /// Children in.
    pub children_in: u32,
    /// The congestion level (`closed` outside opening hours).
    pub level: CongestionLevel,
}

/// One answer on the screen, as printed by `kiosk run --headless` (one JSON line each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// `"accepted"` or `"refused"`.
    pub screen: &'static str,
    /// `check_in` / `check_out` for an accepted scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<EventKind>,
    /// The children checked in or out (empty when refused).
    pub children: Vec<ChildNo>,
    /// Stable code: `checked_in`, `checked_out`, or a [`Refusal::code`].
    pub code: &'static str,
    /// What the screen says, in Japanese.
    pub message_ja: String,
    /// What the screen says, in English.
    pub message_en: String,
    /// The event recorded (accepted only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// True when this repeats the answer to the same pass still held to the camera (nothing
    /// new was recorded).
    pub repeat: bool,
    /// Families in after this scan (this kiosk's view).
    pub families_in: u32,
    /// Children in after this scan (this kiosk's view).
    pub children_in: u32,
    /// The congestion level after this scan.
    pub level: CongestionLevel,
    /// The children's given names, in the order of `children`, when the pass carried them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// The family of a newly recorded event (for the staff screen's corrections; not printed).
    #[serde(skip)]
    pub guardian: Option<GuardianId>,
    /// When the camera frame this answers arrived (the screen logs how long it took to show).
    #[serde(skip)]
    pub frame_arrived: Option<std::time::Instant>,
}

impl Answer {
    /// A refusal with its words.
    pub fn refused(why: Refusal, occupancy: LocalOccupancy) -> Self {
        let (ja, en) = why.messages();
        Self {
            screen: "refused",
            kind: None,
            children: Vec::new(),
            code: why.code(),
            message_ja: ja.to_owned(),
            message_en: en.to_owned(),
            event_id: None,
            repeat: false,
            families_in: occupancy.families_in,
            children_in: occupancy.children_in,
            level: occupancy.level,
            names: Vec::new(),
            guardian: None,
            frame_arrived: None,
        }
    }

    /// A check-in or check-out of `children`, recorded as `event_id`.
    pub fn accepted(
        kind: EventKind,
        children: Vec<ChildNo>,
        event_id: EventId,
        occupancy: LocalOccupancy,
    ) -> Self {
        let n = children.len();
        let (code, ja, en) = match kind {
            EventKind::CheckIn => (
                "checked_in",
                format!("チェックインしました（お子さま{n}人）。ようこそ！"),
                format!("Checked in ({n} {}). Welcome!", children_word(n)),
            ),
            EventKind::CheckOut => (
                "checked_out",
                format!("チェックアウトしました（お子さま{n}人）。またお越しください。"),
                format!("Checked out ({n} {}). See you again!", children_word(n)),
            ),
        };
        Self {
            screen: "accepted",
            kind: Some(kind),
            children,
            code,
            message_ja: ja,
            message_en: en,
            event_id: Some(event_id),
            repeat: false,
            families_in: occupancy.families_in,
            children_in: occupancy.children_in,
            level: occupancy.level,
            names: Vec::new(),
            guardian: None,
            frame_arrived: None,
        }
    }

    /// The answer as one JSON line (no newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn children_word(n: usize) -> &'static str {
    if n == 1 { "child" } else { "children" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_words_in_both_languages_and_a_distinct_code() {
        use Refusal::*;
        let all = [
            NotAPass,
            UnsupportedVersion,
            Malformed,
            UnknownKey,
            BadSignature,
            KeyNotValidAtIssue,
            LifetimeTooLong,
            NotYetValid,
            Expired,
            WrongCenter,
            Reused,
            NotReady,
            Unreadable,
            NotRecorded,
        ];
        let mut codes: Vec<&str> = all.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for r in all {
            let (ja, en) = r.messages();
            assert!(ja.chars().any(|c| c > '\u{3000}'), "{ja}");
            assert!(en.is_ascii() && !en.is_empty(), "{en}");
        }
    }

    #[test]
    fn an_answer_is_one_json_line_with_the_fixed_fields() {
        let occupancy = LocalOccupancy {
            families_in: 1,
            children_in: 2,
            level: CongestionLevel::Vacant,
        };
        let answer = Answer::refused(Refusal::Expired, occupancy);
        let json: serde_json::Value = serde_json::from_str(&answer.to_json_line()).unwrap();
        assert_eq!(json["screen"], "refused");
        assert_eq!(json["code"], "expired");
        assert_eq!(json["children_in"], 2);
        assert_eq!(json["level"], "vacant");
        assert!(json["message_ja"].as_str().unwrap().contains("有効期限"));
        assert!(!answer.to_json_line().contains('\n'));
    }
}
