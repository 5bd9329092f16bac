//! 図書館利用カードの照会 for librarians: who registered a card number on the portal, the
//! photo of their card (to compare with the card or the person at the counter), and what is on
//! loan. Only staff with the librarian role see it.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;

use super::{Base, invalid, library::jpeg, ok};
use crate::{
    domain::{Role, validation::FieldErrors},
    library::LibraryError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The lookup as asked (`?number=`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Lookup {
    number: String,
}

/// A holder as shown.
struct HolderView {
    account_id: String,
    name: String,
    number: String,
    registered: String,
    has_photo: bool,
    loans: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "library_admin.html")]
struct LookupPage {
    b: Base,
    number: String,
    holder: Option<HolderView>,
    not_found: bool,
    errors: FieldErrors,
}

/// `GET /admin/library?number=…`.
pub async fn lookup(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(lookup): Query<Lookup>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    if !user.has_role(Role::Librarian) {
        return Err(AppError::Forbidden);
    }
    let mut page = LookupPage {
        b: Base::new(&ctx, state.accounts.city(), "page.library_admin.title"),
        number: lookup.number.clone(),
        holder: None,
        not_found: false,
        errors: FieldErrors::default(),
    };
    if lookup.number.trim().is_empty() {
        return ok(&page);
    }
    match state.library.holder(user, &lookup.number).await {
        Ok((holder, loans)) => {
            page.holder = Some(HolderView {
                account_id: holder.account_id.to_string(),
                name: holder.name,
                number: holder.card.number,
                registered: holder
                    .card
                    .registered_at
                    .to_zoned(crate::clock::tokyo())
                    .date()
                    .to_string(),
                has_photo: holder.card.photo.is_some(),
                loans: loans
                    .into_iter()
                    .map(|loan| {
                        let title = if loan.title.is_empty() {
                            loan.item_id
                        } else {
                            loan.title
                        };
                        (title, loan.due_date.to_string())
                    })
                    .collect(),
            });
            ok(&page)
        }
        Err(LibraryError::NotFound) => {
            page.not_found = true;
            ok(&page)
        }
        Err(LibraryError::Invalid(errors)) => {
            page.errors = errors;
            invalid(&page)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/library/photo/{account_id}`: a holder's card photo, for librarians.
pub async fn photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(account_id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let holder = account_id.parse().map_err(|_| AppError::NotFound)?;
    Ok(jpeg(state.library.holder_photo(user, holder).await?))
}
