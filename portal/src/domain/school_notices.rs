//! A notice from a school (休校連絡 and others) as its staff write it: kind, urgent or not,
//! title, body, and the groups it goes to.

use super::validation::{self, FieldErrors};

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 休校連絡 (休園 too): the school is closed.
    Closure,
    /// 学級閉鎖・学年閉鎖
    ClassClosure,
    /// 登下校・安全 (late start, early dismissal, a suspicious person …)
    Safety,
    /// 行事のお知らせ
    Event,
    /// 持ち物・提出物
    Belongings,
    /// その他のお知らせ
    Other,
}

impl NoticeKind {
    /// Every kind, in the order the form lists them.
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::Closure,
        NoticeKind::ClassClosure,
        NoticeKind::Safety,
        NoticeKind::Event,
        NoticeKind::Belongings,
        NoticeKind::Other,
    ];

    /// The stable name stored and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Closure => "closure",
            NoticeKind::ClassClosure => "class_closure",
            NoticeKind::Safety => "safety",
            NoticeKind::Event => "event",
            NoticeKind::Belongings => "belongings",
            NoticeKind::Other => "other",
        }
    }

    /// The kind with this stable name.
    pub fn parse(name: &str) -> Option<NoticeKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            NoticeKind::Closure => "school.notice_kind.closure",
            NoticeKind::ClassClosure => "school.notice_kind.class_closure",
            NoticeKind::Safety => "school.notice_kind.safety",
            NoticeKind::Event => "school.notice_kind.event",
            NoticeKind::Belongings => "school.notice_kind.belongings",
            NoticeKind::Other => "school.notice_kind.other",
        }
    }
}

/// The longest title.
pub const MAX_TITLE: usize = 100;
/// The longest body.
pub const MAX_BODY: usize = 5000;

/// A notice as typed into the staff form.
#[derive(Debug, Clone, Default)]
pub struct NoticeInput {
    /// [`NoticeKind::as_str`]
    pub kind: String,
    /// Whether it is 緊急 (marked in the subject and at the top).
    pub urgent: bool,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// The ids of the groups it goes to (of the school posting it).
    pub groups: Vec<String>,
}

/// A notice that passed every check (its groups are still the caller's to check against the
/// school's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNotice {
    /// What it is about.
    pub kind: NoticeKind,
    /// 緊急
    pub urgent: bool,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// Its groups' ids, each once.
    pub groups: Vec<uuid::Uuid>,
}

/// Checks a notice.
pub fn notice(input: &NoticeInput) -> Result<ValidNotice, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = NoticeKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.add("kind", "error.required");
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
    let mut groups = Vec::new();
    for raw in &input.groups {
        match raw.parse::<uuid::Uuid>() {
            Ok(id) if !groups.contains(&id) => groups.push(id),
            Ok(_) => {}
            Err(_) => {
                errors.add("groups", "error.group_unknown");
                break;
            }
        }
    }
    if input.groups.is_empty() {
        errors.add("groups", "error.group_required");
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidNotice {
            kind,
            urgent: input.urgent,
            title,
            body,
            groups,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NoticeInput {
        NoticeInput {
            kind: "closure".into(),
            urgent: true,
            title: " 臨時休校のお知らせ ".into(),
            body: "大雪のため、明日は休校とします。".into(),
            groups: vec![uuid::Uuid::now_v7().to_string()],
        }
    }

    #[test]
    fn a_whole_notice_passes() {
        let valid = notice(&input()).unwrap();
        assert_eq!(valid.kind, NoticeKind::Closure);
        assert!(valid.urgent);
        assert_eq!(valid.title, "臨時休校のお知らせ");
        assert_eq!(valid.groups.len(), 1);
    }

    #[test]
    fn every_field_is_checked() {
        let group = uuid::Uuid::now_v7().to_string();
        let errors = notice(&NoticeInput {
            kind: "party".into(),
            title: "長".repeat(MAX_TITLE + 1),
            body: "  ".into(),
            groups: vec![],
            ..input()
        })
        .unwrap_err();
        assert_eq!(errors.get("kind"), Some("error.required"));
        assert_eq!(errors.get("title"), Some("error.title_too_long"));
        assert_eq!(errors.get("body"), Some("error.required"));
        assert_eq!(errors.get("groups"), Some("error.group_required"));
        let errors = notice(&NoticeInput {
            groups: vec!["nope".into()],
            ..input()
        })
        .unwrap_err();
        assert_eq!(errors.get("groups"), Some("error.group_unknown"));
        let twice = notice(&NoticeInput {
            groups: vec![group.clone(), group],
            ..input()
        })
        .unwrap();
        assert_eq!(twice.groups.len(), 1);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NoticeKind::parse("x"), None);
    }
}
