//! Rate limits on the doors attackers knock on: login, registration, password reset and
//! verification resend. Keyed by client address and, where there is one, by the email address,
//! so neither one address guessing many passwords nor many addresses guessing one pass.

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::AppError;

/// One of the limited actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Login attempts.
    Login,
    /// New registrations.
    Register,
    /// Mail-sending requests: password reset and verification resend.
    MailRequest,
}

/// The limiters.
pub struct Limits {
    login_by_client: DefaultKeyedRateLimiter<String>,
    login_by_email: DefaultKeyedRateLimiter<String>,
    register_by_client: DefaultKeyedRateLimiter<String>,
    mail_by_client: DefaultKeyedRateLimiter<String>,
    mail_by_email: DefaultKeyedRateLimiter<String>,
}

fn per_minute(count: u32, burst: u32) -> DefaultKeyedRateLimiter<String> {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(count).allow_burst(burst))
}

fn per_hour(count: u32, burst: u32) -> DefaultKeyedRateLimiter<String> {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_hour(count).allow_burst(burst))
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // A family behind one router may share an address: generous per client,
            // strict per account.
            login_by_client: per_minute(30, 30),
            login_by_email: per_minute(5, 10),
            register_by_client: per_hour(20, 10),
            mail_by_client: per_hour(20, 10),
            mail_by_email: per_hour(5, 3),
        }
    }
}

impl Limits {
    /// Counts one attempt; refuses with 429 when over the limit.
    pub fn check(&self, action: Action, client: &str, email: Option<&str>) -> Result<(), AppError> {
        let email = email.map(|e| e.trim().to_lowercase());
        let (by_client, by_email) = match action {
            Action::Login => (&self.login_by_client, Some(&self.login_by_email)),
            Action::Register => (&self.register_by_client, None),
            Action::MailRequest => (&self.mail_by_client, Some(&self.mail_by_email)),
        };
        let client_ok = by_client.check_key(&client.to_owned()).is_ok();
        let email_ok = match (by_email, email) {
            (Some(limiter), Some(email)) if !email.is_empty() => limiter.check_key(&email).is_ok(),
            _ => true,
        };
        if client_ok && email_ok {
            Ok(())
        } else {
            metrics::counter!("portal_rate_limited_total").increment(1);
            Err(AppError::RateLimited)
        }
    }

    /// Forgets keys that are back at full allowance (run now and then to bound memory).
    pub fn shrink(&self) {
        for limiter in [
            &self.login_by_client,
            &self.login_by_email,
            &self.register_by_client,
            &self.mail_by_client,
            &self.mail_by_email,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_gets_a_handful_of_login_attempts_then_429() {
        let limits = Limits::default();
        let allowed = (0..20)
            .filter(|i| {
                limits
                    .check(
                        Action::Login,
                        &format!("10.0.0.{i}"),
                        Some("taro@example.jp"),
                    )
                    .is_ok()
            })
            .count();
        assert_eq!(allowed, 10);
        // Another account from a fresh address is unaffected.
        assert!(
            limits
                .check(Action::Login, "10.1.0.1", Some("hanako@example.jp"))
                .is_ok()
        );
    }

    #[test]
    fn email_keys_ignore_case() {
        let limits = Limits::default();
        for _ in 0..3 {
            limits
                .check(Action::MailRequest, "a", Some("Taro@Example.jp"))
                .unwrap();
        }
        assert!(
            limits
                .check(Action::MailRequest, "b", Some("taro@example.jp"))
                .is_err()
        );
    }
}
