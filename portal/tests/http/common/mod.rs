//! Shared helpers of the HTTP-level tests: a portal built in a temporary data directory with a
//! fixed clock, driven in-process with `tower::ServiceExt::oneshot`, a tiny cookie-keeping
//! "browser" for the HTML forms (CSRF cookie + token), JSON API requests, and access to the
//! queued mail.
//!
//! Requests carry no `ConnectInfo`, so every request of one test has the client address
//! `unknown` and shares its rate-limit keys. Each [`TestApp`] has its own limiters.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeMap,
    sync::{Arc, OnceLock},
};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use metrics_exporter_prometheus::PrometheusHandle;
use portal::{
    clock::FixedClock,
    config::Settings,
    domain::validation::RegistrationInput,
    i18n::{Lang, MISSING, t},
    server::{self, Parts},
    store::{AccountStore, MailOutbox, OutgoingMail},
};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// A password that passes the policy (long enough, not on the common list).
pub const PASSWORD: &str = "Kusunoki-Saijo-2025";
/// Another good password.
pub const OTHER_PASSWORD: &str = "Momiji-Miyajima-7781";
/// The city of the default settings.
pub const CITY: &str = "東広島市";

/// The Prometheus handle of this test process. The recorder is installed globally once per
/// test binary (as `portal serve` does), so the `metrics::` macros of the request middleware
/// really record into it.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| server::install_metrics().expect("installing the metrics recorder"))
        .clone()
}

/// One portal, in its own temporary data directory.
pub struct TestApp {
    /// The whole web application.
    pub router: Router,
    /// What `server::build` made (state, mail worker, store).
    pub parts: Parts,
    /// The clock every rule about time reads.
    pub clock: FixedClock,
    /// The settings it was built from.
    pub settings: Settings,
    _dir: TempDir,
}

/// A response, with its body read.
pub struct Resp {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl TestApp {
    /// A portal with the default settings.
    pub fn new() -> Self {
        Self::with_settings(|settings| settings)
    }

    /// A portal with adjusted settings (`data_dir` is always a fresh temporary directory).
    pub fn with_settings(adjust: impl FnOnce(Settings) -> Settings) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let settings = adjust(Settings {
            data_dir: dir.path().join("data"),
            ..Settings::default()
        });
        let clock = FixedClock::new("2025-04-01T00:00:00Z".parse().expect("timestamp"));
        let parts = server::build(&settings, Arc::new(clock.clone()), metrics_handle())
            .expect("building the portal");
        let router = portal::web::app(parts.state.clone());
        Self {
            router,
            parts,
            clock,
            settings,
            _dir: dir,
        }
    }

    /// Sends one request through the whole application.
    pub async fn send(&self, request: Request<Body>) -> Resp {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("reading the body");
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// `GET path` with the given extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut builder = Request::builder().method(Method::GET).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::empty()).expect("request"))
            .await
    }

    /// `GET path`, nothing else.
    pub async fn get(&self, path: &str) -> Resp {
        self.get_with(path, &[]).await
    }

    /// A new browser (no cookies yet).
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: BTreeMap::new(),
            headers: Vec::new(),
        }
    }

    /// A JSON API request: `body` is sent as `application/json`, `token` as a bearer token.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Resp {
        self.api_with(method, path, body, token, &[]).await
    }

    /// [`Self::api`] with extra headers.
    pub async fn api_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    /// A raw request with a body of the given content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: impl Into<Body>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(body.into()).expect("request")).await
    }

    /// How many mail the portal has put in its outbox (queued, sent or dead), to any address.
    pub async fn mail_count(&self) -> u64 {
        // No store method lists all mail without claiming it, so count the rows.
        self.parts
            .state
            .db
            .read(|conn| {
                Ok(
                    conn.query_row("SELECT count(*) FROM mail_outbox", [], |row| {
                        row.get::<_, u64>(0)
                    })?,
                )
            })
            .await
            .expect("counting mail")
    }

    /// The mail to one address (queued, sent or dead), oldest first.
    pub async fn mail_to(&self, to: &str) -> Vec<OutgoingMail> {
        self.parts
            .store
            .mail_to(to)
            .await
            .expect("reading the outbox")
            .into_iter()
            .map(|queued| queued.mail)
            .collect()
    }

    /// The token of the newest mail to `to` whose text links to `path`.
    pub async fn token_for(&self, to: &str, path: &str) -> String {
        self.mail_to(to)
            .await
            .iter()
            .rev()
            .find_map(|mail| token_in(&mail.text, path))
            .unwrap_or_else(|| panic!("no mail to {to} with a {path} link"))
    }

    /// How many accounts exist (any status).
    pub async fn account_count(&self) -> u64 {
        self.parts
            .store
            .count_accounts()
            .await
            .expect("counting accounts")
            .into_iter()
            .map(|(_, count)| count)
            .sum()
    }

    /// Registers an account through the service (not over HTTP), leaving it pending.
    pub async fn pending_citizen(&self, email: &str, family: &str, given: &str) {
        let input = RegistrationInput {
            email: email.to_owned(),
            family_name: family.to_owned(),
            given_name: given.to_owned(),
            password: PASSWORD.to_owned(),
            password_confirm: PASSWORD.to_owned(),
            accept_terms: true,
        };
        self.parts
            .state
            .accounts
            .register(&input, Lang::Ja)
            .await
            .expect("registering");
    }

    /// Registers and verifies an account through the service: it can log in with [`PASSWORD`].
    pub async fn citizen(&self, email: &str, family: &str, given: &str) {
        self.pending_citizen(email, family, given).await;
        let token = self.token_for(email, "/verify").await;
        self.parts
            .state
            .accounts
            .verify(&token)
            .await
            .expect("verifying");
    }

    /// An active admin account with [`PASSWORD`].
    pub async fn admin(&self, email: &str) {
        self.parts
            .state
            .accounts
            .create_admin(email, "市役所", "管理者", PASSWORD)
            .await
            .expect("creating the admin");
    }

    /// An active staff account with [`PASSWORD`] holding exactly `roles`.
    pub async fn staff(&self, email: &str, roles: &[portal::domain::Role]) {
        self.admin(email).await;
        let account = self
            .parts
            .store
            .find_by_email(&portal::domain::Email::parse(email).expect("email"))
            .await
            .expect("finding the staff member")
            .expect("the staff member exists")
            .account;
        self.parts
            .store
            .set_roles(account.account_id, roles, None, jiff::Timestamp::now())
            .await
            .expect("setting roles");
    }

    /// Logs in over the JSON API and returns the bearer token.
    pub async fn api_token(&self, email: &str, password: &str) -> String {
        let resp = self
            .api(
                Method::POST,
                "/api/v1/session",
                Some(serde_json::json!({ "email": email, "password": password })),
                None,
            )
            .await;
        assert_eq!(
            resp.status,
            StatusCode::OK,
            "API login failed: {}",
            resp.body
        );
        resp.json()["token"].as_str().expect("token").to_owned()
    }
}

/// The token after `PATH?token=` in a text.
pub fn token_in(text: &str, path: &str) -> Option<String> {
    let marker = format!("{path}?token=");
    let start = text.find(&marker)? + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

/// A message of the catalogue (and a check that it exists).
pub fn msg(lang: Lang, key: &str) -> &'static str {
    let text = t(lang, key);
    assert_ne!(text, MISSING, "message {key} missing");
    assert!(!text.is_empty(), "message {key} empty");
    text
}

/// The body with HTML character references of the escaper undone, for comparing with
/// catalogue text.
pub fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

impl Resp {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// The `Content-Type`, or "".
    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    /// Every `Set-Cookie` line.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect()
    }

    /// The `Set-Cookie` line of one cookie.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.set_cookies()
            .into_iter()
            .find(|line| line.starts_with(&prefix))
    }

    /// The value a `Set-Cookie` line gives one cookie.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        self.set_cookie(name)
            .map(|line| cookie_pair(line).1.to_owned())
    }

    /// The CSRF token of the page's first form.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no csrf field in the page:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').expect("end of the csrf value");
        self.body[start..start + end].to_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    /// The body with the HTML escaping undone.
    pub fn text(&self) -> String {
        unescape(&self.body)
    }

    /// Whether the page shows a catalogue message.
    pub fn says(&self, lang: Lang, key: &str) -> bool {
        self.text().contains(msg(lang, key))
    }

    /// Asserts that the page shows a catalogue message.
    #[track_caller]
    pub fn assert_says(&self, lang: Lang, key: &str) {
        assert!(
            self.says(lang, key),
            "page ({}) lacks {key} = {:?}:\n{}",
            self.status,
            msg(lang, key),
            self.body
        );
    }

    /// Asserts a JSON API error: status, `error.code`, and `error.message` = the catalogue's.
    #[track_caller]
    pub fn assert_api_error(&self, status: StatusCode, code: &str, lang: Lang, key: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert!(
            self.content_type().starts_with("application/json"),
            "content type {:?}, body {}",
            self.content_type(),
            self.body
        );
        let json = self.json();
        assert_eq!(json["error"]["code"], code, "body: {}", self.body);
        assert_eq!(
            json["error"]["message"],
            msg(lang, key),
            "body: {}",
            self.body
        );
    }
}

/// `name=value` of a `Set-Cookie` line.
fn cookie_pair(line: &str) -> (&str, &str) {
    let pair = line.split(';').next().unwrap_or("");
    pair.split_once('=').unwrap_or((pair, ""))
}

/// A browser: keeps the cookies the portal sets and sends them back.
pub struct Browser<'a> {
    app: &'a TestApp,
    /// The cookies it holds.
    pub cookies: BTreeMap<String, String>,
    /// Headers sent with every request (e.g. `Accept-Language`).
    pub headers: Vec<(String, String)>,
}

impl Browser<'_> {
    /// Sends `Accept-Language` with every request.
    pub fn accept_language(mut self, value: &str) -> Self {
        self.headers
            .push(("accept-language".to_owned(), value.to_owned()));
        self
    }

    /// The `Cookie` header it would send.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, resp: &Resp) {
        for line in resp.set_cookies() {
            let (name, value) = cookie_pair(line);
            let removed = value.is_empty() || line.to_ascii_lowercase().contains("max-age=0");
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn request(&mut self, method: Method, path: &str, body: Option<String>) -> Resp {
        let mut builder = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            builder = builder.header(header::COOKIE, self.cookie_header());
        }
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match body {
            Some(form) => {
                builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form)
            }
            None => Body::empty(),
        };
        let resp = self.app.send(builder.body(body).expect("request")).await;
        self.absorb(&resp);
        resp
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Resp {
        self.request(Method::GET, path, None).await
    }

    /// `POST path` with exactly these form fields (no CSRF token added).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.request(Method::POST, path, Some(form_body(fields)))
            .await
    }

    /// Opens `page`, then posts its form to `action` with these fields and the page's CSRF
    /// token, as a person filling the form in does.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
        let form = self.get(page).await;
        assert_eq!(form.status, StatusCode::OK, "GET {page}: {}", form.body);
        let csrf = form.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    /// Logs in with the login form.
    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// The session cookie it holds, if any.
    pub fn session(&self) -> Option<&str> {
        self.cookies.get("sp_session").map(String::as_str)
    }
}

/// `application/x-www-form-urlencoded` of the fields (keys may repeat).
pub fn form_body(fields: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// The boundary of [`multipart`] bodies.
pub const BOUNDARY: &str = "----shimin-test-boundary";

/// A `multipart/form-data` body of text fields and at most one file, given as
/// (field name, file name, media type, bytes).
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((field, file_name, media_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}
