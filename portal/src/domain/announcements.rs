//! An announcement (市からのお知らせ) as staff write it: title, body, 分野, an optional link,
//! and when to publish it (now, or a time in Asia/Tokyo that is not past).

use jiff::{SignedDuration, Timestamp, civil::DateTime};

use super::{
    attachments::{self, ValidAttachment},
    validation::{self, FieldErrors},
};
use crate::clock::tokyo;

/// The longest title.
pub const MAX_TITLE: usize = 100;
/// The longest body.
pub const MAX_BODY: usize = 5000;

/// An announcement as typed into the staff form.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementInput {
    /// The 分野 (its id).
    pub category_id: String,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// 関連リンク (optional, http or https)
    pub link: String,
    /// 公開日時 (`YYYY-MM-DDTHH:MM` as a datetime-local input sends it, Asia/Tokyo); empty =
    /// now.
    pub publish_at: String,
    /// 添付ファイル (optional): the uploaded file's name and content.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// An announcement that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAnnouncement {
    /// The 分野.
    pub category_id: String,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// 関連リンク
    pub link: Option<String>,
    /// When it is published.
    pub publish_at: Timestamp,
    /// 添付ファイル
    pub attachment: Option<ValidAttachment>,
}

/// Checks an announcement; `now` decides what "not past" means (a minute's grace for the
/// time it takes to fill the form in).
pub fn announcement(
    input: &AnnouncementInput,
    now: Timestamp,
) -> Result<ValidAnnouncement, FieldErrors> {
    let mut errors = FieldErrors::default();
    if input.category_id.trim().is_empty() {
        errors.add("category_id", "error.required");
    }
    let title = validation::required_text(
        &mut errors,
        "title",
        &input.title,
        MAX_TITLE,
        "error.title_too_long",
    );
    let body = validation::required_text(
        &mut errors,
        "body",
        &input.body,
        MAX_BODY,
        "error.body_too_long",
    );
    let link = input.link.trim();
    let link = if link.is_empty() {
        None
    } else {
        match url::Url::parse(link) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && link.len() <= 500 => {
                Some(link.to_owned())
            }
            _ => {
                errors.add("link", "error.link_malformed");
                None
            }
        }
    };
    let publish_at = match input.publish_at.trim() {
        "" => now,
        raw => match raw
            .parse::<DateTime>()
            .ok()
            .and_then(|local| local.to_zoned(tokyo()).ok())
        {
            Some(at) if at.timestamp() >= now - SignedDuration::from_mins(1) => at.timestamp(),
            Some(_) => {
                errors.add("publish_at", "error.publish_in_past");
                now
            }
            None => {
                errors.add("publish_at", "error.datetime_malformed");
                now
            }
        },
    };
    let attachment = match &input.attachment {
        Some((name, bytes)) => match attachments::check(name, bytes.clone()) {
            Ok(valid) => Some(valid),
            Err(key) => {
                errors.add("attachment", key);
                None
            }
        },
        None => None,
    };
    if errors.is_empty() {
        Ok(ValidAnnouncement {
            category_id: input.category_id.trim().to_owned(),
            title,
            body,
            link,
            publish_at,
            attachment,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AnnouncementInput {
        AnnouncementInput {
            category_id: "bousai".into(),
            title: "防災訓練のお知らせ".into(),
            body: "11月29日に市内一斉の防災訓練を行います。".into(),
            link: "https://www.city.example.jp/bousai".into(),
            publish_at: String::new(),
            attachment: None,
        }
    }

    #[test]
    fn an_announcement_is_published_now_or_at_a_future_time_in_tokyo() {
        let now: Timestamp = "2026-11-25T01:00:00Z".parse().unwrap();
        assert_eq!(announcement(&input(), now).unwrap().publish_at, now);
        let later = AnnouncementInput {
            publish_at: "2026-11-25T18:30".into(),
            ..input()
        };
        let at = announcement(&later, now).unwrap().publish_at;
        assert_eq!(at, "2026-11-25T09:30:00Z".parse::<Timestamp>().unwrap());
        let past = AnnouncementInput {
            publish_at: "2026-11-25T09:00".into(),
            ..input()
        };
        assert_eq!(
            announcement(&past, now).unwrap_err().get("publish_at"),
            Some("error.publish_in_past")
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let now = Timestamp::UNIX_EPOCH;
        let bad = AnnouncementInput {
            category_id: String::new(),
            title: " ".into(),
            body: "あ".repeat(MAX_BODY + 1),
            link: "javascript:alert(1)".into(),
            publish_at: "tomorrow".into(),
            attachment: Some(("leaflet.pdf".into(), b"MZ\x90\x00".to_vec())),
        };
        let errors = announcement(&bad, now).unwrap_err();
        for field in [
            "category_id",
            "title",
            "body",
            "link",
            "publish_at",
            "attachment",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
