//! The delivery engine's rules, apart from any I/O: the services a citizen hears from, the
//! channels (email, LINE) and each citizen's choice of them, what to do after a failed
//! hand-over (retry when, or give up), and how LINE recipients are grouped into requests.

use jiff::{SignedDuration, Timestamp};

/// How one message reaches a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Email through the city's SMTP relay.
    Email,
    /// LINE, through the Messaging API to the citizen's linked LINE user.
    Line,
}

impl Channel {
    /// Both channels, in display order.
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Line];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Line => "line",
        }
    }

    /// The channel with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == name)
    }
}

/// A service that sends to citizens ("…がメールやLINEで届く"); channel choices are per service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// 小中学校・幼稚園からの情報配信
    School,
    /// 市からのお知らせ
    Oshirase,
    /// 避難情報・避難指示通知
    Bousai,
    /// ごみ収集日の通知
    Gomi,
    /// 子育て情報のお知らせ (妊娠期の情報, 乳幼児健診, 予防接種 … at the right time)
    Kosodate,
}

impl Service {
    /// Every service, in the order of the portal's service list.
    pub const ALL: [Service; 5] = [
        Service::School,
        Service::Oshirase,
        Service::Bousai,
        Service::Gomi,
        Service::Kosodate,
    ];

    /// The stable name stored in the database and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::School => "school",
            Service::Oshirase => "oshirase",
            Service::Bousai => "bousai",
            Service::Gomi => "gomi",
            Service::Kosodate => "kosodate",
        }
    }

    /// The service with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|service| service.as_str() == name)
    }

    /// The message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Service::School => "svc.notify_school",
            Service::Oshirase => "svc.notify_oshirase",
            Service::Bousai => "svc.notify_bousai",
            Service::Gomi => "svc.notify_gomi",
            Service::Kosodate => "svc.notify_kosodate",
        }
    }
}

/// Which channels a citizen wants for one service. With no choice stored, both: email at
/// once, LINE as soon as the account is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelChoice {
    /// By email.
    pub email: bool,
    /// By LINE (only reaches the citizen while the account is linked).
    pub line: bool,
}

impl Default for ChannelChoice {
    fn default() -> Self {
        Self {
            email: true,
            line: true,
        }
    }
}

impl ChannelChoice {
    /// Whether this choice sends on `channel`, given whether the account is linked to LINE.
    pub fn sends_on(self, channel: Channel, line_linked: bool) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Line => self.line && line_linked,
        }
    }
}

/// Why a hand-over failed, as the channel's client classified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Worth trying again later (connection refused, timeout, 5xx).
    Transient(String),
    /// The platform's rate limit answered (HTTP 429); try again after its `Retry-After` if it
    /// gave one. Not counted as an attempt: the message was not refused.
    RateLimited {
        /// What the platform said.
        message: String,
        /// Its `Retry-After`, if any.
        retry_after: Option<SignedDuration>,
    },
    /// Refused for good (an SMTP 5xx for the address, a LINE 400): retrying will not help.
    Permanent(String),
}

impl SendFailure {
    /// The text kept as the recipient's last error.
    pub fn message(&self) -> &str {
        match self {
            SendFailure::Transient(message)
            | SendFailure::Permanent(message)
            | SendFailure::RateLimited { message, .. } => message,
        }
    }
}

/// Failed attempts after which a recipient becomes a dead letter. With [`retry_delay`] the
/// last attempt comes about six hours after the first: well inside the 24 hours LINE keeps an
/// `X-Line-Retry-Key`, so every retry of a LINE request is recognised as the same request.
pub const MAX_ATTEMPTS: u32 = 12;

/// How long to wait after a rate-limit answer without `Retry-After`.
pub const RATE_LIMIT_PAUSE: SignedDuration = SignedDuration::from_secs(1);

/// The delay before the next try after `attempts` failed attempts: 30 s, doubling, at most
/// one hour; `None` once [`MAX_ATTEMPTS`] are spent.
pub fn retry_delay(attempts: u32) -> Option<SignedDuration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doubled = 30_i64.saturating_mul(1_i64 << attempts.clamp(1, 20).saturating_sub(1));
    Some(SignedDuration::from_secs(doubled.min(3600)))
}

/// What to do with a recipient after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    /// When to try again; `None` gives up (the recipient becomes a dead letter).
    pub retry_at: Option<Timestamp>,
    /// Whether the attempt counts towards [`MAX_ATTEMPTS`].
    pub counts: bool,
}

/// The decision after `failure` for a recipient that had failed `attempts` times before.
pub fn after_failure(failure: &SendFailure, attempts: u32, now: Timestamp) -> AfterFailure {
    match failure {
        SendFailure::Permanent(_) => AfterFailure {
            retry_at: None,
            counts: true,
        },
        SendFailure::RateLimited { retry_after, .. } => {
            // A platform asking for more than an hour is treated as one hour.
            let wait = retry_after
                .unwrap_or(RATE_LIMIT_PAUSE)
                .clamp(SignedDuration::ZERO, SignedDuration::from_hours(1));
            AfterFailure {
                retry_at: now.checked_add(wait).ok(),
                counts: false,
            }
        }
        SendFailure::Transient(_) => AfterFailure {
            retry_at: retry_delay(attempts.saturating_add(1))
                .and_then(|delay| now.checked_add(delay).ok()),
            counts: true,
        },
    }
}

/// Parses an HTTP `Retry-After` value: delay seconds, or an HTTP date (read relative to
/// `now`). A date in the past means "now"; anything else unreadable is `None`.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<SignedDuration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(SignedDuration::from_secs(i64::from(seconds)));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    Some(at.duration_since(now).max(SignedDuration::ZERO))
}

/// The most recipients one LINE multicast request takes.
pub const MULTICAST_MAX: usize = 500;

/// The most messages one LINE push, multicast or reply request takes.
pub const LINE_MESSAGES_MAX: usize = 5;

/// The longest text of one LINE text message, in UTF-16 code units as LINE counts them.
pub const LINE_TEXT_MAX: usize = 5000;

/// Cuts `text` to fit one LINE text message, ending in "…" when cut.
pub fn fit_line_text(text: &str) -> String {
    if text.encode_utf16().count() <= LINE_TEXT_MAX {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut units = 0;
    for ch in text.chars() {
        units += ch.len_utf16();
        if units > LINE_TEXT_MAX - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-02T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn names_round_trip() {
        for service in Service::ALL {
            assert_eq!(Service::parse(service.as_str()), Some(service));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        assert_eq!(Service::parse("weather"), None);
    }

    #[test]
    fn line_reaches_only_linked_citizens_who_want_it() {
        let both = ChannelChoice::default();
        assert!(both.sends_on(Channel::Email, false));
        assert!(!both.sends_on(Channel::Line, false));
        assert!(both.sends_on(Channel::Line, true));
        let email_only = ChannelChoice {
            email: true,
            line: false,
        };
        assert!(!email_only.sends_on(Channel::Line, true));
    }

    #[test]
    fn retries_back_off_and_stop_well_inside_lines_retry_key_window() {
        assert_eq!(retry_delay(1), Some(SignedDuration::from_secs(30)));
        assert_eq!(retry_delay(2), Some(SignedDuration::from_secs(60)));
        assert_eq!(retry_delay(8), Some(SignedDuration::from_secs(3600)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        let total: i64 = (1..MAX_ATTEMPTS)
            .filter_map(retry_delay)
            .map(|delay| delay.as_secs())
            .sum();
        assert!(total < 12 * 3600, "{total} s of retries");
    }

    #[test]
    fn a_rate_limit_waits_as_told_without_spending_an_attempt() {
        let failure = SendFailure::RateLimited {
            message: "429".into(),
            retry_after: Some(SignedDuration::from_secs(7)),
        };
        let decision = after_failure(&failure, MAX_ATTEMPTS + 3, now());
        assert_eq!(
            decision.retry_at,
            Some(now() + SignedDuration::from_secs(7))
        );
        assert!(!decision.counts);
        let bare = SendFailure::RateLimited {
            message: "429".into(),
            retry_after: None,
        };
        assert_eq!(
            after_failure(&bare, 0, now()).retry_at,
            Some(now() + RATE_LIMIT_PAUSE)
        );
    }

    #[test]
    fn permanent_failures_give_up_at_once_transient_ones_after_the_last_attempt() {
        let permanent = SendFailure::Permanent("550".into());
        assert_eq!(after_failure(&permanent, 0, now()).retry_at, None);
        let transient = SendFailure::Transient("timeout".into());
        assert_eq!(
            after_failure(&transient, 0, now()).retry_at,
            Some(now() + SignedDuration::from_secs(30))
        );
        assert_eq!(
            after_failure(&transient, MAX_ATTEMPTS - 1, now()).retry_at,
            None
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_an_http_date() {
        assert_eq!(
            parse_retry_after("120", now()),
            Some(SignedDuration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 02 Dec 2026 09:00:30 GMT", now()),
            Some(SignedDuration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 02 Dec 2026 08:00:00 GMT", now()),
            Some(SignedDuration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
    }

    #[test]
    fn long_texts_are_cut_to_what_line_takes() {
        assert_eq!(fit_line_text("お知らせ"), "お知らせ");
        let long = "あ".repeat(LINE_TEXT_MAX + 10);
        let cut = fit_line_text(&long);
        assert_eq!(cut.encode_utf16().count(), LINE_TEXT_MAX);
        assert!(cut.ends_with('…'));
        // A character outside the BMP counts twice and is never split.
        let emoji = "😀".repeat(LINE_TEXT_MAX);
        assert!(fit_line_text(&emoji).encode_utf16().count() <= LINE_TEXT_MAX);
    }
}
