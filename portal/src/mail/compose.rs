//! Composing the account mails: one shared layout (text and HTML, from the same content) and
//! per-kind wording from the message catalogue, in the recipient's language.

use askama::Template;
use jiff::Timestamp;

use crate::{
    i18n::{Lang, t, tf},
    store::OutgoingMail,
};

/// Which mail, with what it needs to say.
#[derive(Debug, Clone)]
pub enum MailKind {
    /// 本登録確認: the verification link of a new registration.
    Verify {
        /// Link that activates the account.
        link: String,
    },
    /// Someone tried to register an address that already has an account.
    AlreadyRegistered {
        /// The login page.
        login: String,
        /// The "forgot password" page.
        reset: String,
    },
    /// The link to set a new password.
    PasswordReset {
        /// Link to the reset form.
        link: String,
    },
    /// To a new address: confirm it.
    EmailChange {
        /// Link that switches the account to the new address.
        link: String,
    },
    /// To the old address: the address is about to change.
    EmailChangeNotice {
        /// The new address.
        new_email: String,
    },
    /// The password was changed (so an intruder's change does not go unnoticed).
    PasswordChanged,
    /// 退会: the account and its data are gone.
    Withdrawn,
    /// A staff invitation with the link to set a password.
    StaffInvite {
        /// Link to the set-password form.
        link: String,
    },
}

impl MailKind {
    fn key(&self) -> &'static str {
        match self {
            MailKind::Verify { .. } => "verify",
            MailKind::AlreadyRegistered { .. } => "already",
            MailKind::PasswordReset { .. } => "reset",
            MailKind::EmailChange { .. } => "email_change",
            MailKind::EmailChangeNotice { .. } => "email_notice",
            MailKind::PasswordChanged => "password_changed",
            MailKind::Withdrawn => "withdrawn",
            MailKind::StaffInvite { .. } => "invite",
        }
    }

    fn action(&self) -> Option<&str> {
        match self {
            MailKind::Verify { link }
            | MailKind::PasswordReset { link }
            | MailKind::EmailChange { link }
            | MailKind::StaffInvite { link } => Some(link),
            MailKind::AlreadyRegistered { login, .. } => Some(login),
            MailKind::EmailChangeNotice { .. }
            | MailKind::PasswordChanged
            | MailKind::Withdrawn => None,
        }
    }
}

/// What the layout shows.
struct Content {
    city: String,
    greeting: String,
    paragraphs: Vec<String>,
    action_label: String,
    action_url: Option<String>,
    note: String,
    footer: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    c: &'a Content,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    c: &'a Content,
    lang: &'a str,
}

/// Builds a mail of `kind` to `to`, addressed to `name`, in `lang`.
pub fn compose(
    kind: &MailKind,
    lang: Lang,
    city: &str,
    to: &str,
    name: &str,
    now: Timestamp,
) -> Result<OutgoingMail, askama::Error> {
    let key = kind.key();
    let vars: Vec<(&str, &str)> = {
        let mut vars = vec![("city", city), ("name", name)];
        if let MailKind::EmailChangeNotice { new_email } = kind {
            vars.push(("new_email", new_email.as_str()));
        }
        if let MailKind::AlreadyRegistered { reset, .. } = kind {
            vars.push(("reset", reset.as_str()));
        }
        vars
    };
    let body = tf(lang, &format!("mail.{key}.body"), &vars);
    let content = Content {
        city: city.to_owned(),
        greeting: tf(lang, "mail.greeting", &vars),
        paragraphs: body.split("\n\n").map(str::to_owned).collect(),
        action_label: t(lang, &format!("mail.{key}.action")).to_owned(),
        action_url: kind.action().map(str::to_owned),
        note: tf(lang, &format!("mail.{key}.note"), &vars),
        footer: tf(lang, "mail.footer", &vars),
    };
    Ok(OutgoingMail {
        mail_id: uuid::Uuid::now_v7(),
        to: to.to_owned(),
        subject: tf(lang, &format!("mail.{key}.subject"), &vars),
        text: TextMail { c: &content }.render()?,
        html: HtmlMail {
            c: &content,
            lang: lang.code(),
        }
        .render()?,
        created_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_verification_mail_uses_the_city_s_wording_and_carries_the_link() {
        let link = "http://127.0.0.1:8080/verify?token=abc";
        let mail = compose(
            &MailKind::Verify { link: link.into() },
            Lang::Ja,
            "東広島市",
            "hanako@example.jp",
            "山田 花子",
            now(),
        )
        .unwrap();
        assert_eq!(mail.subject, "東広島市市民ポータルサイトの本登録確認");
        assert!(mail.text.contains(link) && mail.html.contains(link));
        assert!(mail.text.contains("山田 花子"));
        assert!(mail.html.contains("<html lang=\"ja\">"));
    }

    #[test]
    fn names_are_escaped_in_html_but_not_in_text() {
        let mail = compose(
            &MailKind::PasswordChanged,
            Lang::En,
            "Higashihiroshima",
            "a@example.jp",
            "<b>Taro</b>",
            now(),
        )
        .unwrap();
        assert!(mail.text.contains("<b>Taro</b>"));
        assert!(mail.html.contains("&#60;b&#62;Taro") || mail.html.contains("&lt;b&gt;Taro"));
    }

    #[test]
    fn every_kind_has_its_wording_in_both_languages() {
        let kinds = [
            MailKind::Verify { link: "l".into() },
            MailKind::AlreadyRegistered {
                login: "l".into(),
                reset: "r".into(),
            },
            MailKind::PasswordReset { link: "l".into() },
            MailKind::EmailChange { link: "l".into() },
            MailKind::EmailChangeNotice {
                new_email: "n@example.jp".into(),
            },
            MailKind::PasswordChanged,
            MailKind::Withdrawn,
            MailKind::StaffInvite { link: "l".into() },
        ];
        for kind in &kinds {
            for lang in [Lang::Ja, Lang::En] {
                let mail = compose(kind, lang, "市", "a@example.jp", "名", now()).unwrap();
                assert!(!mail.subject.is_empty(), "{kind:?}");
                for part in [&mail.subject, &mail.text, &mail.html] {
                    assert!(
                        !part.contains(crate::i18n::MISSING),
                        "{kind:?} {lang:?}: {part}"
                    );
                }
            }
        }
    }
}
