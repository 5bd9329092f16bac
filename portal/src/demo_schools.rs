//! The demo city's schools: an elementary school, a junior high school and a kindergarten
//! with their classes, the demo school staff at each, the demo citizen's older child at the
//! kindergarten, and one notice it sent. The codes are chosen at random and printed.

use anyhow::Context;

use crate::{
    demo_centers::account,
    domain::{school_notices::NoticeInput, schools::SchoolInput},
    schools::EnrollInput,
    store::sqlite::SqliteStore,
    web::AppState,
};

/// (name, kind, class names of every grade)
const SCHOOLS: &[(&str, &str, &[&str])] = &[
    ("西条小学校", "elementary", &["1組", "2組"]),
    ("西条中学校", "junior_high", &["1組", "2組", "3組"]),
    ("みどり幼稚園", "kindergarten", &["ひまわり組", "ばら組"]),
];

/// Adds the schools; returns (name, code) of each. `admin`, `staff` and `citizen` are the
/// demo logins' emails.
pub async fn seed(
    state: &AppState,
    store: &SqliteStore,
    admin: &str,
    staff: &str,
    citizen: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let schools = &state.schools;
    let admin = account(store, admin).await?;
    let teacher = account(store, staff).await?;
    let mut codes = Vec::new();
    for (name, kind, classes) in SCHOOLS {
        let input = SchoolInput {
            code: String::new(),
            name: (*name).to_owned(),
            kind: (*kind).to_owned(),
        };
        let code = schools.create(&admin, &input).await?;
        schools.assign(&admin, &code, staff).await?;
        let school = schools.managed(&admin, &code).await?;
        for grade in school.kind.grades() {
            for class in *classes {
                schools
                    .add_group(&teacher, &code, &grade.to_string(), class)
                    .await?;
            }
        }
        codes.push(((*name).to_owned(), code));
    }
    let kindergarten = &codes[2].1;
    schools
        .add_group(&teacher, kindergarten, "", "預かり保育")
        .await?;
    let groups = schools.groups(&teacher, kindergarten).await?;
    let group = |name: &str| {
        groups
            .iter()
            .find(|g| {
                g.kind
                    .name(crate::domain::schools::SchoolKind::Kindergarten)
                    == name
            })
            .map(|g| g.group_id.to_string())
            .with_context(|| format!("demo group {name}"))
    };
    let parent = account(store, citizen).await?;
    let child = state
        .family
        .children(&parent)
        .await?
        .into_iter()
        .next()
        .context("the demo citizen's child")?;
    let enroll = EnrollInput {
        child_id: child.child_id.to_string(),
        code: kindergarten.clone(),
        grade: "2".into(),
        class: group("年中ひまわり組")?,
        others: vec![group("預かり保育")?],
    };
    schools.enroll(&parent, &enroll).await?;
    let notice = NoticeInput {
        kind: "event".into(),
        urgent: false,
        title: "12月の園だより".into(),
        body: "12月20日（日）に生活発表会を行います。\n\n当日は9時30分までに登園してください。"
            .into(),
        groups: vec![group("全園")?],
    };
    schools.post(&teacher, kindergarten, &notice).await?;
    Ok(codes)
}
