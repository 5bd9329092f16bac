//! A plain HTTP client that uses the portal's HTML forms as a browser would: it keeps the
//! cookies, reads the hidden fields (the CSRF token, `next`) of the page a form is on, and
//! does not follow redirects, so a test sees each `Location`.

use super::*;

/// A cookie-keeping form client of one portal.
#[derive(Debug, Clone)]
pub struct FormClient {
    http: reqwest::Client,
    base: String,
}

/// An answer: status, `Location` and body.
#[derive(Debug, Clone)]
pub struct Page {
    /// The HTTP status.
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The body.
    pub body: String,
}

/// The part of `html` that is the form posting to `action` (the whole page if none does).
pub fn form_html<'a>(html: &'a str, action: &str) -> &'a str {
    let marker = format!("action=\"{action}\"");
    html.match_indices("<form")
        .map(|(start, _)| &html[start..])
        .find(|rest| {
            rest.split('>')
                .next()
                .is_some_and(|tag| tag.contains(&marker))
        })
        .map(|rest| rest.split("</form>").next().unwrap_or(rest))
        .unwrap_or(html)
}

/// The `name` → `value` of every hidden input in `html`.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let input = regex::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)""#)
        .unwrap_or_else(|_| unreachable!("a fixed, valid pattern"));
    input
        .captures_iter(html)
        .map(|c| (unescape(&c[1]), unescape(&c[2])))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x3d;", "=")
        .replace("&#x3f;", "?")
        .replace("&#x25;", "%")
        .replace("&#x26;", "&")
        .replace("&#38;", "&")
        .replace("&#61;", "=")
        .replace("&#63;", "?")
        .replace("&#37;", "%")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl FormClient {
    /// A client of the portal at `base` (`http://127.0.0.1:PORT`).
    pub fn new(base: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    async fn page(response: reqwest::Response) -> Result<Page> {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Page {
            status,
            location,
            body: response.text().await?,
        })
    }

    /// `GET path` (a path of the portal, or a whole URL).
    pub async fn get(&self, path: &str) -> Result<Page> {
        let url = self.url(path);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        Self::page(response).await
    }

    /// Opens `page`, then POSTs its hidden fields with `fields` to `action`.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Result<Page> {
        let form_page = self.get(page).await?;
        ensure!(
            form_page.status == 200,
            "GET {page} answered {}: {}",
            form_page.status,
            form_page.body
        );
        let mut form = hidden_fields(form_html(&form_page.body, action));
        form.retain(|(name, _)| !fields.iter().any(|(n, _)| n == name));
        form.extend(
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        let url = self.url(action);
        let response = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .with_context(|| format!("POST {url}"))?;
        Self::page(response).await
    }

    /// Logs in through `/login` (with `next`, when given); fails unless the portal answers
    /// with a redirect.
    pub async fn login(&self, email: &str, password: &str, next: Option<&str>) -> Result<Page> {
        let page = match next {
            Some(next) => {
                let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
                format!("/login?next={next}")
            }
            None => "/login".to_owned(),
        };
        let answer = self
            .submit(&page, "/login", &[("email", email), ("password", password)])
            .await?;
        ensure!(
            answer.status == 303 || answer.status == 302,
            "logging in as {email} answered {}: {}",
            answer.status,
            answer.body
        );
        Ok(answer)
    }

    /// Opens `page`, then POSTs its hidden fields with `fields` and one file (`field`, file
    /// name, media type, bytes) to `action` as `multipart/form-data`.
    pub async fn submit_file(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &str, &[u8]),
    ) -> Result<Page> {
        const BOUNDARY: &str = "shimin-e2e-boundary-7d1f";
        let form_page = self.get(page).await?;
        ensure!(
            form_page.status == 200,
            "GET {page} answered {}",
            form_page.status
        );
        let mut form = hidden_fields(form_html(&form_page.body, action));
        form.retain(|(name, _)| !fields.iter().any(|(n, _)| n == name));
        form.extend(
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        let mut body = Vec::new();
        for (name, value) in &form {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        let (field, file_name, media_type, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let url = self.url(action);
        let response = self
            .http
            .post(&url)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .with_context(|| format!("POST {url}"))?;
        Self::page(response).await
    }
}
