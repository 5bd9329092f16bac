//! Headless Chromium driven through `chromedriver` with `fantoccini`.

use super::*;

/// Headless Chromium driven through `chromedriver` (both from Debian), with a
/// phone-sized window (390×844) and a fresh profile.
///
/// Derefs to [`fantoccini::Client`] for everything not wrapped here.
/// `chromedriver` and every browser process are killed on drop; call
/// [`Browser::close`] to end the session politely first.
pub struct Browser {
    client: Client,
    driver: Child,
    log: PathBuf,
    _dir: TempDir,
}

impl Browser {
    /// Starts `chromedriver` on a free port and opens a browser session.
    ///
    /// Fails (it never skips) when Chromium or chromedriver is missing.
    pub async fn start() -> Result<Self> {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            if !Path::new(path).is_file() {
                bail!(
                    "{path} is missing: the browser tests need Debian's `{package}` package. \
                     Run scripts/test, which installs it."
                );
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("shimin-browser-")
            .tempdir()?;
        let profile = dir.path().join("profile");
        fs::create_dir_all(&profile)?;
        let log = dir.path().join("chromedriver.log");
        let port = free_port()?;
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .current_dir(dir.path());
        let mut driver = spawn_logged(command, &log)?;
        let client = match Self::connect(&mut driver, port, &profile, &log).await {
            Ok(client) => client,
            Err(e) => {
                kill_group(&mut driver);
                return Err(e);
            }
        };
        Ok(Self {
            client,
            driver,
            log,
            _dir: dir,
        })
    }

    async fn connect(driver: &mut Child, port: u16, profile: &Path, log: &Path) -> Result<Client> {
        wait_for_port(driver, port, Duration::from_secs(20), log)
            .await
            .context("chromedriver did not start")?;
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=390,844".to_owned(),
            // A Japanese citizen's phone: the portal answers in Japanese by default
            // anyway, but a browser that asks for English gets English.
            "--lang=ja-JP".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": args,
                "prefs": { "intl.accept_languages": "ja,en" },
                // Headless Chromium will not make a window narrower than 500
                // px, so emulate the phone's viewport too.
                "mobileEmulation": {
                    "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0 },
                },
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| {
                anyhow!(
                    "opening a Chromium session through chromedriver failed: {e}\n\
                     chromedriver output:\n{}",
                    log_tail(log, 60)
                )
            })
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the WebDriver session (closing Chromium), then stops chromedriver.
    pub async fn close(self) -> Result<()> {
        self.client
            .clone()
            .close()
            .await
            .context("closing the browser session")?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport to `path` (parent dirs created).
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self
            .client
            .screenshot()
            .await
            .context("taking a screenshot")?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// The visible text of the current page (`document.body.innerText`).
    pub async fn body_text(&self) -> Result<String> {
        let body = self.client.find(Locator::Css("body")).await?;
        Ok(body.text().await?)
    }

    /// Polls until the page's text contains `needle`, and returns that text.
    pub async fn wait_for_text(&self, needle: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            // The page may be between two documents: retry on errors too.
            let text = self.body_text().await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                bail!(
                    "the page {url} does not contain {needle:?} after {timeout:?}; its text:\n{text}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls until the browser's URL is no longer `from` (e.g. after a form
    /// posted and redirected), and returns the new URL.
    pub async fn wait_for_url_change(&self, from: &str, timeout: Duration) -> Result<url::Url> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(url) = self.client.current_url().await
                && url.as_str() != from
            {
                return Ok(url);
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                bail!("the browser is still at {from} after {timeout:?}; the page's text:\n{text}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls until an element matches the CSS `selector`, and returns it.
    pub async fn wait_for_css(
        &self,
        selector: &str,
        timeout: Duration,
    ) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(selector)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                bail!(
                    "no element matches {selector:?} after {timeout:?}; the page's text:\n{text}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clears the form field whose `name` attribute is `name` and types `value`.
    pub async fn fill(&self, name: &str, value: &str) -> Result<()> {
        let field = self
            .client
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .with_context(|| format!("no form field named {name:?}"))?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    /// Ticks the checkbox whose `name` attribute is `name` (if not ticked yet).
    pub async fn check(&self, name: &str) -> Result<()> {
        let checkbox = self
            .client
            .find(Locator::Css(&format!("input[name=\"{name}\"]")))
            .await
            .with_context(|| format!("no checkbox named {name:?}"))?;
        if !checkbox.is_selected().await? {
            checkbox.click().await?;
        }
        Ok(())
    }

    /// Clicks the element whose `id` is `id`.
    pub async fn click_id(&self, id: &str) -> Result<()> {
        self.client
            .find(Locator::Id(id))
            .await
            .with_context(|| format!("no element with id {id:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// chromedriver's own output so far.
    pub fn driver_log(&self) -> String {
        log_tail(&self.log, 200)
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}
