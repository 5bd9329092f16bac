//! 小中学校・幼稚園: schools as the city keeps them (a 4-digit 学校コード, a name, a kind that
//! says which grades it has), their groups (全校, each 学年, each 学級, and others the school
//! makes), and the limit on wrong school codes. Notices are in [`super::school_notices`].

use jiff::{SignedDuration, Timestamp};

use super::validation::FieldErrors;

/// What kind of school it is: it decides the grades and what they are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolKind {
    /// 小学校: 1年–6年.
    Elementary,
    /// 中学校: 1年–3年.
    JuniorHigh,
    /// 幼稚園 (and こども園): 年少, 年中, 年長.
    Kindergarten,
}

impl SchoolKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [SchoolKind; 3] = [
        SchoolKind::Elementary,
        SchoolKind::JuniorHigh,
        SchoolKind::Kindergarten,
    ];

    /// The stable name stored and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolKind::Elementary => "elementary",
            SchoolKind::JuniorHigh => "junior_high",
            SchoolKind::Kindergarten => "kindergarten",
        }
    }

    /// The kind with this stable name.
    pub fn parse(name: &str) -> Option<SchoolKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The message key of its name (小学校 …).
    pub fn label_key(self) -> &'static str {
        match self {
            SchoolKind::Elementary => "school.kind.elementary",
            SchoolKind::JuniorHigh => "school.kind.junior_high",
            SchoolKind::Kindergarten => "school.kind.kindergarten",
        }
    }

    /// Its grades, 1 = the first.
    pub fn grades(self) -> std::ops::RangeInclusive<u8> {
        match self {
            SchoolKind::Elementary => 1..=6,
            SchoolKind::JuniorHigh | SchoolKind::Kindergarten => 1..=3,
        }
    }

    /// The name of the group of every child: 全校, or 全園 at a kindergarten.
    pub fn whole_name(self) -> &'static str {
        match self {
            SchoolKind::Kindergarten => "全園",
            _ => "全校",
        }
    }

    /// A grade's name as the school says it ("3年", "年長"); Japanese, as schools write it.
    pub fn grade_name(self, grade: u8) -> String {
        match self {
            SchoolKind::Kindergarten => match grade {
                1 => "年少".to_owned(),
                2 => "年中".to_owned(),
                _ => "年長".to_owned(),
            },
            _ => format!("{grade}年"),
        }
    }
}

/// A school as typed into the admin form.
#[derive(Debug, Clone, Default)]
pub struct SchoolInput {
    /// 学校コード: four digits, or empty to have one chosen at random.
    pub code: String,
    /// 学校名
    pub name: String,
    /// [`SchoolKind::as_str`]
    pub kind: String,
}

/// A school that passed every check (its code may still be chosen by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSchool {
    /// The code given, or `None` to choose one.
    pub code: Option<String>,
    /// 学校名
    pub name: String,
    /// Its kind.
    pub kind: SchoolKind,
}

/// The longest school or group name.
pub const MAX_NAME: usize = 50;

/// Whether `raw` is a well-formed school code: exactly four ASCII digits.
pub fn is_code(raw: &str) -> bool {
    raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit())
}

/// A school code from four random digits ([`rand`]'s thread generator, seeded by the OS).
pub fn random_code(random: u16) -> String {
    format!("{:04}", random % 10_000)
}

/// Checks a short name (school, class or group): required, not too long, no control
/// characters.
pub fn short_name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        errors.add(field, "error.required");
    } else if trimmed.chars().count() > MAX_NAME {
        errors.add(field, "error.name_too_long");
    } else if trimmed.chars().any(char::is_control) {
        errors.add(field, "error.name_invalid");
    }
    trimmed.to_owned()
}

/// Checks a school.
pub fn school(input: &SchoolInput) -> Result<ValidSchool, FieldErrors> {
    let mut errors = FieldErrors::default();
    let code = match input.code.trim() {
        "" => None,
        code if is_code(code) => Some(code.to_owned()),
        _ => {
            errors.add("code", "error.school_code_malformed");
            None
        }
    };
    let name = short_name(&mut errors, "name", &input.name);
    let kind = SchoolKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.add("kind", "error.required");
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidSchool { code, name, kind }),
        _ => Err(errors),
    }
}

/// What a group is: it decides who is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupKind {
    /// 全校 (全園): every enrolled child.
    Whole,
    /// One 学年: the children enrolled in that grade.
    Grade(u8),
    /// One 学級 of a grade: the children enrolled in it.
    Class(u8, String),
    /// Another group the school makes (部活動, 放課後児童クラブ …): the children whose
    /// guardian joined it.
    Other(String),
}

impl GroupKind {
    /// The group's name as pages show it ("全校", "3年", "3年1組", "吹奏楽部").
    pub fn name(&self, kind: SchoolKind) -> String {
        match self {
            GroupKind::Whole => kind.whole_name().to_owned(),
            GroupKind::Grade(grade) => kind.grade_name(*grade),
            GroupKind::Class(grade, class) => format!("{}{class}", kind.grade_name(*grade)),
            GroupKind::Other(name) => name.clone(),
        }
    }
}

/// How many wrong school codes an account may enter within [`CODE_WINDOW`].
pub const MAX_CODE_FAILURES: usize = 5;
/// The window wrong codes are counted in.
pub const CODE_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// Given the times of an account's recent wrong codes, whether it may try another code now;
/// if not, the time from which it may.
pub fn code_try_allowed(failures: &[Timestamp], now: Timestamp) -> Result<(), Timestamp> {
    let mut recent: Vec<Timestamp> = failures
        .iter()
        .copied()
        .filter(|at| *at > now - CODE_WINDOW)
        .collect();
    if recent.len() < MAX_CODE_FAILURES {
        return Ok(());
    }
    recent.sort();
    // Allowed again once enough of them have aged out of the window.
    let oldest_that_must_go = recent[recent.len() - MAX_CODE_FAILURES];
    Err(oldest_that_must_go + CODE_WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    #[test]
    fn codes_are_exactly_four_digits() {
        assert!(is_code("0420"));
        assert!(!is_code("420"));
        assert!(!is_code("04201"));
        assert!(
            !is_code("０４２０"),
            "full-width digits are not accepted as such"
        );
        assert!(!is_code("04a0"));
        assert_eq!(random_code(7), "0007");
        assert_eq!(random_code(65_535), "5535");
    }

    #[test]
    fn a_school_needs_a_name_a_kind_and_a_code_or_none() {
        let ok = school(&SchoolInput {
            code: " 1234 ".into(),
            name: " 西条小学校 ".into(),
            kind: "elementary".into(),
        })
        .unwrap();
        assert_eq!(ok.code.as_deref(), Some("1234"));
        assert_eq!(ok.name, "西条小学校");
        let chosen = school(&SchoolInput {
            code: String::new(),
            name: "みなみ幼稚園".into(),
            kind: "kindergarten".into(),
        })
        .unwrap();
        assert_eq!(chosen.code, None);
        let bad = school(&SchoolInput {
            code: "12".into(),
            name: String::new(),
            kind: "college".into(),
        })
        .unwrap_err();
        assert_eq!(bad.get("code"), Some("error.school_code_malformed"));
        assert_eq!(bad.get("name"), Some("error.required"));
        assert_eq!(bad.get("kind"), Some("error.required"));
    }

    #[test]
    fn grades_are_named_as_each_kind_of_school_says_them() {
        assert_eq!(SchoolKind::Elementary.grades().count(), 6);
        assert_eq!(SchoolKind::JuniorHigh.grades().count(), 3);
        assert_eq!(SchoolKind::Kindergarten.grade_name(3), "年長");
        assert_eq!(
            GroupKind::Class(3, "1組".into()).name(SchoolKind::Elementary),
            "3年1組"
        );
        assert_eq!(
            GroupKind::Class(1, "さくら組".into()).name(SchoolKind::Kindergarten),
            "年少さくら組"
        );
        assert_eq!(GroupKind::Whole.name(SchoolKind::JuniorHigh), "全校");
        assert_eq!(GroupKind::Whole.name(SchoolKind::Kindergarten), "全園");
    }

    #[test]
    fn wrong_codes_are_limited_per_hour() {
        let now = at(3600);
        let four: Vec<_> = (0..4).map(|i| at(100 + i)).collect();
        assert_eq!(code_try_allowed(&four, now), Ok(()));
        let five: Vec<_> = (0..5).map(|i| at(100 + i)).collect();
        // Allowed again an hour after the first of the five.
        assert_eq!(code_try_allowed(&five, now), Err(at(100 + 3600)));
        // Failures older than the window do not count.
        let old: Vec<_> = (0..5).map(|i| at(-10 - i)).collect();
        assert_eq!(code_try_allowed(&old, now), Ok(()));
        // Seven failures: the third-oldest has to age out.
        let seven: Vec<_> = (0..7).map(|i| at(1000 + i)).collect();
        assert_eq!(code_try_allowed(&seven, now), Err(at(1002 + 3600)));
    }
}
