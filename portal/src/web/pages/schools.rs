//! 小中学校・幼稚園からの情報 for guardians: the notices their children's schools sent them,
//! reading one, and adding a registered child to a school with its 4-digit 学校コード (then
//! choosing the grade, class and other groups).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    accounts::AccountError,
    clock::tokyo_date_time,
    domain::{schools::GroupKind, validation::FieldErrors},
    schools::EnrollInput,
    store::{Enrollment, Group, School, SchoolNotice},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A notice as the lists show it.
pub(super) struct NoticeRow {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) school: String,
    pub(super) groups: String,
    pub(super) kind_key: &'static str,
    pub(super) urgent: bool,
    pub(super) date: String,
    pub(super) unread: bool,
}

impl NoticeRow {
    pub(super) fn of(notice: &SchoolNotice, read: bool) -> Self {
        Self {
            id: notice.notice_id.to_string(),
            title: notice.title.clone(),
            school: notice.school.name.clone(),
            groups: notice.groups.clone(),
            kind_key: notice.kind.label_key(),
            urgent: notice.urgent,
            date: tokyo_date_time(notice.posted_at),
            unread: !read,
        }
    }
}

#[derive(Template)]
#[template(path = "school.html")]
struct OverviewPage {
    b: Base,
    saved: bool,
    notices: Vec<NoticeRow>,
    enrollments: Vec<Enrollment>,
}

/// `GET /school`: 学校からのお知らせ and the children registered at schools.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let notices = state
        .schools
        .notices_for(user)
        .await?
        .iter()
        .map(|(notice, read_at)| NoticeRow::of(notice, read_at.is_some()))
        .collect();
    ok(&OverviewPage {
        b: Base::new(&ctx, state.accounts.city(), "page.school.title"),
        saved: saved.is_set(),
        notices,
        enrollments: state.schools.enrollments(user).await?,
    })
}

#[derive(Template)]
#[template(path = "school_notice.html")]
struct NoticePage {
    b: Base,
    notice: NoticeRow,
    paragraphs: Vec<String>,
    read_at: Option<String>,
}

/// `GET /school/notices/{id}`: one notice (opening it records that it was read).
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let opened = state
        .schools
        .open(user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut b = Base::new(&ctx, state.accounts.city(), "page.school.title");
    b.title = opened.notice.title.clone();
    ok(&NoticePage {
        b,
        paragraphs: opened
            .notice
            .body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        notice: NoticeRow::of(&opened.notice, true),
        read_at: opened.read_at.map(tokyo_date_time),
    })
}

/// A choice of grade (and class) in the form: `"3:"` or `"3:<class id>"`.
struct Place {
    value: String,
    label: String,
}

/// A group a guardian may join.
struct OtherGroup {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "school_join.html")]
struct JoinPage {
    b: Base,
    children: Vec<(String, String)>,
    form: JoinForm,
    errors: FieldErrors,
    school: Option<School>,
    places: Vec<Place>,
    others: Vec<OtherGroup>,
}

/// The form of both steps, as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct JoinForm {
    csrf: String,
    child_id: String,
    code: String,
    /// Empty on the first step (the code), set on the second.
    place: String,
    others: Vec<String>,
    step: String,
}

/// Every grade, with each of its classes where it has them.
fn places(school: &School, groups: &[Group]) -> Vec<Place> {
    let mut places = Vec::new();
    for grade in school.kind.grades() {
        let classes: Vec<&Group> = groups
            .iter()
            .filter(|g| matches!(&g.kind, GroupKind::Class(of, _) if *of == grade))
            .collect();
        if classes.is_empty() {
            places.push(Place {
                value: format!("{grade}:"),
                label: school.kind.grade_name(grade),
            });
        }
        for class in classes {
            places.push(Place {
                value: format!("{grade}:{}", class.group_id),
                label: class.kind.name(school.kind),
            });
        }
    }
    places
}

async fn join_page(
    state: &AppState,
    ctx: &Ctx,
    form: JoinForm,
    errors: FieldErrors,
    school: Option<School>,
) -> Result<JoinPage, AppError> {
    let user = ctx.require_user()?;
    let children = state
        .family
        .children(user)
        .await?
        .into_iter()
        .map(|c| {
            let name = format!("{} {}", c.details.family_name, c.details.given_name);
            (c.child_id.to_string(), name)
        })
        .collect();
    let (places, others) = match &school {
        Some(school) => {
            let groups = state.schools.groups_for_guardian(school).await?;
            let others = groups
                .iter()
                .filter_map(|g| match &g.kind {
                    GroupKind::Other(name) => Some(OtherGroup {
                        id: g.group_id.to_string(),
                        name: name.clone(),
                        checked: form.others.contains(&g.group_id.to_string()),
                    }),
                    _ => None,
                })
                .collect();
            (places(school, &groups), others)
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(JoinPage {
        b: Base::new(ctx, state.accounts.city(), "page.school_join.title"),
        children,
        form,
        errors,
        school,
        places,
        others,
    })
}

/// `GET /school/join`: the first step (child and 学校コード).
pub async fn join_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&join_page(
        &state,
        &ctx,
        JoinForm::default(),
        FieldErrors::default(),
        None,
    )
    .await?)
}

/// `POST /school/join`: checks the code (first step) or enrolls the child (second step).
pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    if form.step != "2" {
        let mut errors = FieldErrors::default();
        if form.child_id.is_empty() {
            errors.add("child_id", "error.required");
        }
        return match state.schools.find_by_code(user, &form.code).await {
            Ok(school) if errors.is_empty() => {
                let mut form = form;
                form.code = school.code.clone();
                ok(&join_page(&state, &ctx, form, errors, Some(school)).await?)
            }
            Ok(_) => invalid(&join_page(&state, &ctx, form, errors, None).await?),
            Err(AccountError::Invalid(more)) => {
                errors.0.extend(more.0);
                invalid(&join_page(&state, &ctx, form, errors, None).await?)
            }
            Err(other) => Err(other.into()),
        };
    }
    let (grade, class) = form.place.split_once(':').unwrap_or(("", ""));
    let input = EnrollInput {
        child_id: form.child_id.clone(),
        code: form.code.clone(),
        grade: grade.to_owned(),
        class: class.to_owned(),
        others: form.others.clone(),
    };
    let school = match state.schools.find_by_code(user, &form.code).await {
        Ok(school) => school,
        Err(AccountError::Invalid(errors)) => {
            return invalid(&join_page(&state, &ctx, form, errors, None).await?);
        }
        Err(other) => return Err(other.into()),
    };
    match state.schools.enroll_at(user, &school, &input).await {
        Ok(()) => Ok(Redirect::to("/school?saved=1").into_response()),
        Err(AccountError::Invalid(mut errors)) => {
            // A grade without a choice of class reads as one mistake, beside the one field.
            if errors.get("grade").is_some() || errors.get("class").is_some() {
                errors
                    .0
                    .retain(|(field, _)| *field != "grade" && *field != "class");
                errors.add("place", "error.place_required");
            }
            invalid(&join_page(&state, &ctx, form, errors, Some(school)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /school/enrollments/{id}/delete`: takes a child off a school's list.
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    if !state.schools.remove_enrollment(user, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/school?saved=1").into_response())
}
