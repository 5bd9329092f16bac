//! Rendering a notice for every channel: the mail's subject, text and HTML parts (one layout,
//! `templates/mail/notice.*`) and the LINE text, in each recipient language. The notice's own
//! words (title, body) are as staff wrote them; the frame around them is in the recipient's
//! language, Japanese first.

use askama::Template;

use crate::{
    domain::notify::Service,
    i18n::{Lang, t, tf},
    store::Content,
};

/// A notice to deliver, as every kind of message has it.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Whose service it is (the mail's heading and the settings link).
    pub service: Service,
    /// Who sends it and about what, e.g. "防災・安全" or "西条小学校 3年1組".
    pub sender: String,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// 関連リンク
    pub link: Option<String>,
    /// 添付ファイル: its name and where to fetch it (absolute URL).
    pub attachment: Option<(String, String)>,
    /// Where the notice can be read on the portal (absolute URL).
    pub read_url: String,
    /// 緊急: marked in the subject and at the top.
    pub urgent: bool,
    /// The date line, as staff see it (e.g. "2026年12月2日 9:00").
    pub date: String,
}

/// What the mail layout shows.
struct Frame<'a> {
    heading: String,
    urgent: bool,
    urgent_label: &'static str,
    title: &'a str,
    meta: String,
    body: &'a str,
    link: Option<&'a str>,
    link_label: &'static str,
    attachment: Option<(&'a str, &'a str)>,
    attachment_label: &'static str,
    read_label: &'static str,
    read_url: &'a str,
    footer: String,
    settings_label: &'static str,
    settings_url: String,
}

impl Frame<'_> {
    fn paragraphs(&self) -> Vec<&str> {
        self.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct TextNotice<'a> {
    n: &'a Frame<'a>,
}

#[derive(Template)]
#[template(path = "mail/notice.html")]
struct HtmlNotice<'a> {
    n: &'a Frame<'a>,
    lang: &'a str,
}

/// Renders `notice` in `lang` for the city `city` whose portal is at `base_url`.
pub fn render(
    notice: &Notice,
    lang: Lang,
    city: &str,
    base_url: &str,
) -> Result<Content, askama::Error> {
    let service = t(lang, notice.service.label_key());
    let frame = Frame {
        heading: tf(
            lang,
            "mail.notice.heading",
            &[("city", city), ("service", service)],
        ),
        urgent: notice.urgent,
        urgent_label: t(lang, "mail.notice.urgent"),
        title: &notice.title,
        meta: format!("{} / {}", notice.sender, notice.date),
        body: &notice.body,
        link: notice.link.as_deref(),
        link_label: t(lang, "mail.notice.link"),
        attachment: notice
            .attachment
            .as_ref()
            .map(|(name, url)| (name.as_str(), url.as_str())),
        attachment_label: t(lang, "mail.notice.attachment"),
        read_label: t(lang, "mail.notice.read"),
        read_url: &notice.read_url,
        footer: tf(
            lang,
            "mail.notice.footer",
            &[("city", city), ("service", service)],
        ),
        settings_label: t(lang, "mail.notice.settings"),
        settings_url: format!("{}/account/notifications", base_url.trim_end_matches('/')),
    };
    let urgent = if notice.urgent {
        format!("{} ", t(lang, "mail.notice.urgent"))
    } else {
        String::new()
    };
    let subject = format!("{urgent}【{city}】{} {}", notice.sender, notice.title);
    let text = TextNotice { n: &frame }.render()?;
    let html = HtmlNotice {
        n: &frame,
        lang: lang.code(),
    }
    .render()?;
    let mut line_text = format!(
        "{urgent}【{service}】{}\n{}\n\n{}",
        notice.sender, notice.title, notice.body
    );
    if let Some(link) = &notice.link {
        line_text.push_str(&format!("\n\n{}: {link}", frame.link_label));
    }
    if let Some((name, url)) = &notice.attachment {
        line_text.push_str(&format!("\n\n{}: {name}\n{url}", frame.attachment_label));
    }
    line_text.push_str(&format!("\n\n{}: {}", frame.read_label, notice.read_url));
    Ok(Content {
        lang: lang.code().to_owned(),
        subject,
        text,
        html,
        line_text: crate::domain::notify::fit_line_text(&line_text),
        line_actions: Vec::new(),
    })
}

/// The notice rendered in every language the portal speaks, Japanese first.
pub fn render_all(
    notice: &Notice,
    city: &str,
    base_url: &str,
) -> Result<Vec<Content>, askama::Error> {
    [Lang::Ja, Lang::En]
        .into_iter()
        .map(|lang| render(notice, lang, city, base_url))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            service: Service::Oshirase,
            sender: "防災・安全".into(),
            title: "防災訓練のお知らせ <第2回>".into(),
            body: "11月29日に市内一斉の防災訓練を行います。\n\nご参加ください。".into(),
            link: Some("https://www.city.example.jp/bousai?a=1&b=2".into()),
            attachment: Some((
                "訓練の案内.pdf".into(),
                "https://portal.example.jp/oshirase/0190/attachment".into(),
            )),
            read_url: "https://portal.example.jp/oshirase/0190".into(),
            urgent: false,
            date: "2026年12月2日 9:00".into(),
        }
    }

    #[test]
    fn a_notice_is_rendered_for_mail_and_line_in_japanese() {
        let content = render(
            &notice(),
            Lang::Ja,
            "東広島市",
            "https://portal.example.jp/",
        )
        .unwrap();
        assert_eq!(content.lang, "ja");
        assert_eq!(
            content.subject,
            "【東広島市】防災・安全 防災訓練のお知らせ <第2回>"
        );
        assert!(content.text.contains("11月29日に市内一斉の防災訓練"));
        assert!(
            content
                .text
                .contains("https://portal.example.jp/account/notifications")
        );
        // The HTML part escapes what staff typed.
        assert!(!content.html.contains("<第2回>") && content.html.contains("第2回"));
        // The text part is not HTML: nothing is escaped there.
        assert!(content.text.contains("<第2回>") && content.text.contains("?a=1&b=2"));
        assert!(content.html.contains("<p>ご参加ください。</p>"));
        assert!(
            content
                .line_text
                .contains("https://portal.example.jp/oshirase/0190")
        );
        assert!(content.line_text.starts_with("【市からのお知らせ】"));
        // The attachment is named and linked in every part.
        let file = "https://portal.example.jp/oshirase/0190/attachment";
        assert!(
            content.text.contains("添付ファイル: 訓練の案内.pdf") && content.text.contains(file)
        );
        assert!(
            content
                .html
                .contains(&format!("<a href=\"{file}\">訓練の案内.pdf</a>"))
        );
        assert!(content.line_text.contains(file));
    }

    #[test]
    fn urgent_notices_say_so_first_and_english_frames_them_in_english() {
        let urgent = Notice {
            urgent: true,
            ..notice()
        };
        let all = render_all(&urgent, "東広島市", "https://portal.example.jp").unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].subject.starts_with("【緊急】"));
        assert!(all[1].subject.starts_with("[Urgent]"));
        assert!(all[1].text.contains("Read it on the portal"));
        // The staff's words stay as written.
        assert!(all[1].text.contains("防災訓練のお知らせ"));
    }
}
