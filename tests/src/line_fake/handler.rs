//! The fake's HTTP shell: finds the operation in `messaging-api.yml`, checks the
//! request, answers as LINE does, and validates its own answer before sending it.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::schema::{self, Spec};
use super::{Delivery, InvalidRequest, IssuedLinkToken, Outage, Records, Shared};

/// The router: one fallback that dispatches on LINE's own path table.
pub(super) fn app(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// An answer before validation: status, JSON body, `x-line-accepted-request-id`.
type Answer = (u16, Value, Option<String>);

fn error(message: &str) -> Value {
    json!({ "message": message })
}

/// The templated path (`/v2/bot/profile/{userId}`) and operation matching a request.
fn find_operation<'a>(spec: &'a Spec, path: &str, method: &str) -> Option<(&'a str, &'a Value)> {
    let paths = spec.doc.get("paths")?.as_object()?;
    let wanted: Vec<&str> = path.split('/').collect();
    paths.iter().find_map(|(template, item)| {
        let parts: Vec<&str> = template.split('/').collect();
        let same = parts.len() == wanted.len()
            && parts
                .iter()
                .zip(&wanted)
                .all(|(t, w)| t == w || (t.starts_with('{') && t.ends_with('}') && !w.is_empty()));
        let operation = item.get(method).filter(|_| same)?;
        Some((template.as_str(), operation))
    })
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let spec = match schema::messaging_api() {
        Ok(spec) => spec,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")).into_response(),
    };
    let request = format!("{method} {}", uri.path());
    let method = method.as_str().to_ascii_lowercase();
    let found = find_operation(spec, uri.path(), &method);
    let mut records = shared.lock();
    records.next_id += 1;
    let request_id = format!("fake-{:016x}", records.next_id);
    let (status, answer, accepted) = match found {
        None => (404, error("Not found"), None),
        Some((_, operation)) => answer(
            &shared,
            &mut records,
            spec,
            operation,
            uri.path(),
            &headers,
            &body,
            &request_id,
        ),
    };
    if status == 404 && found.is_none() || status == 400 || status == 401 {
        let errors = answer["details"].as_array().map_or_else(
            || {
                vec![(
                    String::new(),
                    answer["message"].as_str().unwrap_or_default().to_owned(),
                )]
            },
            |details| {
                let field = |d: &Value, k: &str| d[k].as_str().unwrap_or_default().to_owned();
                details
                    .iter()
                    .map(|d| (field(d, "property"), field(d, "message")))
                    .collect()
            },
        );
        records.invalid.push(InvalidRequest {
            request: request.clone(),
            status,
            errors,
        });
    }
    // The fake's own answer must match LINE's description of that status.
    let documented = found
        .and_then(|(_, op)| op.get("responses")?.get(status.to_string()))
        .and_then(|r| r.pointer("/content/application~1json/schema"));
    let response_schema = documented
        .cloned()
        .unwrap_or_else(|| json!({ "$ref": "#/components/schemas/ErrorResponse" }));
    for (at, message) in spec.validate(&response_schema, &answer) {
        records
            .response_errors
            .push(format!("{request} → {status}: {at}: {message}"));
    }
    drop(records);
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (code, axum::Json(answer)).into_response();
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        out.insert("x-line-request-id", value);
    }
    if let Some(value) = accepted.and_then(|a| HeaderValue::from_str(&a).ok()) {
        out.insert("x-line-accepted-request-id", value);
    }
    response
}

/// Checks one request to a known operation and performs it.
#[allow(clippy::too_many_arguments)]
fn answer(
    shared: &Shared,
    records: &mut Records,
    spec: &Spec,
    operation: &Value,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Answer {
    let config = &shared.config;
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    if bearer != Some(format!("Bearer {}", config.channel_token).as_str()) {
        let message = "Authentication failed. Confirm that the access token in the authorization header is valid.";
        return (401, error(message), None);
    }
    let request: Value = match spec.request_schema(operation) {
        None => Value::Null,
        Some(request_schema) => {
            let Ok(request) = serde_json::from_slice::<Value>(body) else {
                return (
                    400,
                    error("The request body could not be parsed as JSON"),
                    None,
                );
            };
            let errors = spec.validate(request_schema, &request);
            if !errors.is_empty() {
                let details: Vec<Value> = errors
                    .iter()
                    .map(|(property, message)| json!({ "message": message, "property": property }))
                    .collect();
                let message = format!("The request body has {} error(s)", details.len());
                return (400, json!({ "message": message, "details": details }), None);
            }
            request
        }
    };
    // Checked after the body, so a fault test still catches a malformed request.
    match records.outage {
        Some(Outage::InternalError) => return (500, error("Internal server error"), None),
        Some(Outage::Unavailable) => return (503, error("Service unavailable"), None),
        Some(Outage::None) | None => {}
    }
    let operation_id = operation["operationId"].as_str().unwrap_or_default();
    let retry_key = headers
        .get("x-line-retry-key")
        .and_then(|v| v.to_str().ok());
    if let Some(key) = retry_key {
        let takes_key = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "X-Line-Retry-Key");
        if !takes_key || uuid::Uuid::try_parse(key).is_err() {
            return (
                400,
                error("The value of the X-Line-Retry-Key header is invalid"),
                None,
            );
        }
    }
    let limit = match operation_id {
        "pushMessage" => Some(config.push_per_second),
        "multicast" => Some(config.multicast_per_second),
        _ => None,
    };
    if let Some(limit) = limit {
        let now = Instant::now();
        let window = records
            .rate_windows
            .entry(operation_id.to_owned())
            .or_insert((now, 0));
        if now.duration_since(window.0).as_secs() >= 1 {
            *window = (now, 0);
        }
        if window.1 >= limit {
            return (
                429,
                error("The API rate limit has been exceeded. Try again later."),
                None,
            );
        }
        window.1 += 1;
    }
    if let Some(key) = retry_key {
        records
            .retry_keys
            .retain(|_, (_, at, _)| at.elapsed() < config.retry_key_window);
        if let Some((accepted_id, _, accepted)) = records.retry_keys.get(key) {
            let mut conflict = error("The retry key is already accepted");
            if let Some(sent) = accepted.get("sentMessages") {
                conflict["sentMessages"] = sent.clone();
            }
            return (409, conflict, Some(accepted_id.clone()));
        }
    }
    let result = perform(records, operation_id, path, &request, retry_key);
    if let (Some(key), (200, body, _)) = (retry_key, &result) {
        let entry = (request_id.to_owned(), Instant::now(), body.clone());
        records.retry_keys.insert(key.to_owned(), entry);
    }
    result
}

/// The effect of a valid request: deliveries, tokens, profiles.
fn perform(
    records: &mut Records,
    operation_id: &str,
    path: &str,
    request: &Value,
    retry_key: Option<&str>,
) -> Answer {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let deliver = |records: &mut Records, user_id: &str| {
        for message in &messages {
            records.deliveries.push(Delivery {
                user_id: user_id.to_owned(),
                message: message.clone(),
                via: operation_id.to_owned(),
                retry_key: retry_key.map(str::to_owned),
                received_at: std::time::SystemTime::now(),
            });
        }
    };
    let user_in_path = path.split('/').nth(4).unwrap_or_default().to_owned();
    match operation_id {
        "pushMessage" | "replyMessage" => {
            let user_id = if operation_id == "pushMessage" {
                request["to"].as_str().unwrap_or_default().to_owned()
            } else {
                let token = request["replyToken"].as_str().unwrap_or_default();
                match records.reply_tokens.remove(token) {
                    Some(user_id) => user_id,
                    None => return (400, error("Invalid reply token"), None),
                }
            };
            deliver(records, &user_id);
            let sent: Vec<Value> = (0..messages.len())
                .map(|i| json!({ "id": format!("{}{i}", records.next_id) }))
                .collect();
            (200, json!({ "sentMessages": sent }), None)
        }
        "multicast" => {
            for user_id in request["to"].as_array().into_iter().flatten() {
                deliver(records, user_id.as_str().unwrap_or_default());
            }
            (200, json!({}), None)
        }
        "getProfile" => match records.profiles.get(&user_in_path) {
            Some(profile) => (200, profile.clone(), None),
            None => (404, error("Not found"), None),
        },
        "issueLinkToken" => {
            let link_token = uuid::Uuid::now_v7().simple().to_string();
            let user_id = user_in_path;
            records.link_tokens.push(IssuedLinkToken {
                user_id,
                link_token: link_token.clone(),
            });
            (200, json!({ "linkToken": link_token }), None)
        }
        other => (
            500,
            error(&format!("the LINE fake does not implement {other}")),
            None,
        ),
    }
}
