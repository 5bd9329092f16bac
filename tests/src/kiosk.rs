//! The `kiosk` binary run headless (`kiosk run --headless --frames DIR --config FILE`) as a
//! child process: the test shows it passes by writing QR code images into its frames folder,
//! and reads its answers, one JSON line each, from its stdout.

use super::*;

/// The `kiosk` binary ([`workspace_bin`]; `SHIMIN_KIOSK_BIN=/path/to/kiosk` runs the tests
/// against another binary).
pub fn kiosk_bin() -> Result<PathBuf> {
    workspace_bin(
        "kiosk",
        "SHIMIN_KIOSK_BIN",
        &[
            "kiosk/src",
            "kiosk/Cargo.toml",
            "sync/src",
            "sync/Cargo.toml",
        ],
    )
}

/// Renders `text` as a QR code (level M, 6 px modules, a 4-module quiet zone) in black on
/// white, as a phone shows a pass.
pub fn qr_png(text: &str) -> Result<image::GrayImage> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| anyhow!("cannot make a QR code: {e}"))?;
    let modules = code.width();
    let colors = code.to_colors();
    let (module_px, quiet) = (6u32, 4u32);
    let side = (u32::try_from(modules)? + 2 * quiet) * module_px;
    let mut image = image::GrayImage::from_pixel(side, side, image::Luma([255]));
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (u32::try_from(i % modules)?, u32::try_from(i / modules)?);
            for dy in 0..module_px {
                for dx in 0..module_px {
                    image.put_pixel(
                        (x + quiet) * module_px + dx,
                        (y + quiet) * module_px + dy,
                        image::Luma([0]),
                    );
                }
            }
        }
    }
    Ok(image)
}

/// A running headless kiosk. Killed (and its directory removed) on drop; its stderr is
/// printed if the test is panicking.
pub struct KioskProcess {
    child: Option<Child>,
    bin: PathBuf,
    dir: TempDir,
    cursor: usize,
    frame_no: u32,
    spawns: usize,
    /// The X display of a windowed kiosk (`None`: headless).
    display: Option<String>,
}

impl KioskProcess {
    /// Starts kiosk `kiosk_id` against `broker_url` with `password`, in a fresh directory
    /// holding its `kiosk.toml`, its data and its frames folder.
    /// Returns once the kiosk watches its frames folder.
    pub async fn start(broker_url: &str, kiosk_id: &str, password: &str) -> Result<Self> {
        Self::start_on(broker_url, kiosk_id, password, None).await
    }

    /// As [`Self::start`], with its touchscreen window (1024×600, not full screen) on the X
    /// `display` instead of headless; the staff PIN is 2468.
    pub async fn start_windowed(
        broker_url: &str,
        kiosk_id: &str,
        password: &str,
        display: &str,
    ) -> Result<Self> {
        Self::start_on(broker_url, kiosk_id, password, Some(display.to_owned())).await
    }

    async fn start_on(
        broker_url: &str,
        kiosk_id: &str,
        password: &str,
        display: Option<String>,
    ) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("shimin-kiosk-").tempdir()?;
        let mut toml = format!(
            "kiosk_id = \"{kiosk_id}\"\nbroker_url = \"{broker_url}\"\npassword = \"{password}\"\n\
             data_dir = \"{}\"\n",
            dir.path().join("data").display()
        );
        if display.is_some() {
            toml.push_str(
                "[ui]\nfullscreen = false\nwindow_size = [1024, 600]\nstaff_pin = \"2468\"\n",
            );
        }
        fs::write(dir.path().join("kiosk.toml"), toml)?;
        fs::create_dir_all(dir.path().join("frames"))?;
        let mut kiosk = Self {
            child: None,
            bin: kiosk_bin()?,
            dir,
            cursor: 0,
            frame_no: 0,
            spawns: 0,
            display,
        };
        kiosk.spawn().await?;
        Ok(kiosk)
    }

    async fn spawn(&mut self) -> Result<()> {
        use std::os::unix::process::CommandExt;
        let append = |name: &str| {
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.path().join(name))
        };
        let mut command = Command::new(&self.bin);
        command.arg("run");
        match &self.display {
            Some(display) => {
                command.env("DISPLAY", display);
            }
            None => {
                command.arg("--headless");
            }
        }
        command
            .arg("--frames")
            .arg(self.frames_dir())
            .arg("--config")
            .arg(self.dir.path().join("kiosk.toml"))
            .env("RUST_LOG", "info,kiosk=debug")
            .stdin(Stdio::null())
            .stdout(append("stdout.jsonl")?)
            .stderr(append("stderr.log")?)
            .process_group(0);
        self.child = Some(command.spawn().context("starting the kiosk")?);
        self.spawns += 1;
        // Frames written before the kiosk watches its folder would be taken for old ones.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let log = fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default();
            if log.matches("watching the frames folder").count() >= self.spawns {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!(
                    "the kiosk exited at start ({status}):\n{}",
                    self.log_tail(60)
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "the kiosk did not start within 30 s:\n{}",
                    self.log_tail(60)
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The folder the kiosk reads frames from.
    pub fn frames_dir(&self) -> PathBuf {
        self.dir.path().join("frames")
    }

    /// The kiosk's data directory (its SQLite store).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Shows `text` to the camera: writes its QR code as the next frame (write, then rename,
    /// as a camera writer would).
    pub fn show(&mut self, text: &str) -> Result<()> {
        self.frame_no += 1;
        let image = qr_png(text)?;
        let tmp = self
            .frames_dir()
            .join(format!("{:06}.png.tmp", self.frame_no));
        image.save_with_format(&tmp, image::ImageFormat::Png)?;
        fs::rename(
            &tmp,
            self.frames_dir().join(format!("{:06}.png", self.frame_no)),
        )?;
        Ok(())
    }

    /// The next answer line the kiosk printed (waiting up to `timeout`).
    pub async fn next_answer(&mut self, timeout: Duration) -> Result<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        let path = self.dir.path().join("stdout.jsonl");
        loop {
            let text = fs::read_to_string(&path).unwrap_or_default();
            if let Some(rest) = text.get(self.cursor..)
                && let Some(end) = rest.find('\n')
            {
                let line = &rest[..end];
                self.cursor += end + 1;
                return serde_json::from_str(line).with_context(|| {
                    format!("the kiosk printed a line that is not JSON: {line:?}")
                });
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!(
                    "the kiosk exited ({status}); its log:\n{}",
                    self.log_tail(60)
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "no answer from the kiosk within {timeout:?}; its log:\n{}",
                    self.log_tail(60)
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Shows `text` and returns the kiosk's answer.
    pub async fn scan(&mut self, text: &str) -> Result<serde_json::Value> {
        self.show(text)?;
        self.next_answer(Duration::from_secs(15)).await
    }

    /// Kills the kiosk with SIGKILL (no shutdown code runs).
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(&mut child);
        }
    }

    /// Stops the kiosk with SIGTERM and waits (up to `timeout`) for it to exit.
    pub async fn terminate(&mut self, timeout: Duration) -> Result<std::process::ExitStatus> {
        let mut child = self
            .child
            .take()
            .ok_or_else(|| anyhow!("the kiosk is not running"))?;
        let pid = rustix::process::Pid::from_child(&child);
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)?;
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                kill_group(&mut child);
                bail!("the kiosk did not stop within {timeout:?} of SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Starts the kiosk again with the same configuration, data and frames folder.
    pub async fn restart(&mut self) -> Result<()> {
        ensure!(self.child.is_none(), "the kiosk is still running");
        self.spawn().await
    }

    /// The process id of the running kiosk.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The last `lines` lines of the kiosk's stderr (its log).
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.dir.path().join("stderr.log"), lines)
    }
}

impl Drop for KioskProcess {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- kiosk log ---\n{}", self.log_tail(80));
        }
        self.kill9();
    }
}
