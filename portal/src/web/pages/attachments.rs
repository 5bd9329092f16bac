//! 添付ファイル of 市からのお知らせ: reading the multipart announcement form with its file, and
//! offering the file to whoever may read the announcement.

use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::header,
    response::{IntoResponse, Response},
};
use axum_extra::extract::Form;

use super::announcements::AnnouncementForm;
use crate::{
    domain::attachments,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The largest request `POST /admin/announcements` accepts: the largest attachment and room
/// for the text fields.
pub const PUBLISH_BODY_LIMIT: usize = attachments::MAX_BYTES + 256 * 1024;

/// The announcement form and its file (an empty file input is no file).
pub(super) async fn read_form(
    request: Request,
) -> Result<(AnnouncementForm, Option<(String, Vec<u8>)>), AppError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<AnnouncementForm>::from_request(request, &())
            .await
            .map_err(|_| AppError::BadRequest("error.malformed"))?;
        return Ok((form, None));
    }
    let malformed = |error: axum::extract::multipart::MultipartError| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BadRequest("error.attachment_too_large")
        } else {
            AppError::BadRequest("error.malformed")
        }
    };
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("error.malformed"))?;
    let mut form = AnnouncementForm::default();
    let mut attachment = None;
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachment" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(malformed)?;
            if !(file_name.is_empty() && bytes.is_empty()) {
                attachment = Some((file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(malformed)?;
        match name.as_str() {
            "csrf" => form.csrf = text,
            "category_id" => form.category_id = text,
            "title" => form.title = text,
            "body" => form.body = text,
            "link" => form.link = text,
            "publish_at" => form.publish_at = text,
            _ => {}
        }
    }
    Ok((form, attachment))
}

/// `GET /oshirase/{id}/attachment`: the announcement's file, for whoever may read it.
pub async fn attachment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let (announcement, bytes) = state
        .announcements
        .attachment(ctx.user.as_ref(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (name, kind, _) = announcement.attachment.ok_or(AppError::NotFound)?;
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    Ok((
        [
            (header::CONTENT_TYPE, kind.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{}", encoded.replace('+', "%20")),
            ),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            // Shown by the browser's own viewer, never as a page of the portal.
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
