//! The library counter's kiosk as it runs: `kiosk library` with its window under Xvfb, frames
//! from a folder, and an independent SIP2 server (pysip2, `kiosk/tests/sip2/acs.py`) as the
//! library's system. The patron shows the card's NW-7 barcode on a phone, then two books'
//! labels (Code 128 and EAN-13 3000000000021, turned 40° and 130°): the library system lends both. Then it
//! is stopped, a third book is scanned — kept offline — and when the library system is back the
//! kiosk sends it by itself, once. All along, the kiosk reports each loan to the portal
//! (`--demo`, its library kiosk's credentials, cards of the library's 13 digits): the citizen's
//! card page shows the books with their titles and due dates, the offline one too.

use std::{
    fs,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};
use shimin_e2e::{
    FormClient, Portal,
    barcodes::{codabar_image, code128_image, ean13_image},
    camera::{CameraParams, book_label, show_frame},
    demo::DEMO_PASSWORD,
    kiosk::kiosk_bin,
    screenshot_dir,
    xvfb::Xvfb,
};

const WAIT: Duration = Duration::from_secs(30);
const HANAKO: &str = "2100000000016";

/// The library system, its stdout lines collected.
struct Ils {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Ils {
    fn start(port: u16) -> Result<Self> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kiosk/tests/sip2/acs.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .context("python3 with pysip2 (scripts/test installs it)")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(mut lines) = sink.lock() {
                    lines.push(line);
                }
            }
        });
        Ok(Self { child, lines })
    }

    fn checkouts(&self) -> Vec<String> {
        self.lines
            .lock()
            .map(|lines| {
                lines
                    .iter()
                    .filter(|l| l.starts_with("CHECKOUT"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn wait_for_checkouts(&self, count: usize, log: &Path) -> Result<Vec<String>> {
        let deadline = Instant::now() + WAIT;
        loop {
            let seen = self.checkouts();
            if seen.len() >= count {
                return Ok(seen);
            }
            if Instant::now() > deadline {
                bail!(
                    "the library system lent {seen:?}, not {count} books; kiosk log:\n{}",
                    fs::read_to_string(log).unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Ils {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A demo portal whose library's cards have 13 digits and no check digit, with the demo
/// citizen's card registered; the `[portal]` section for its demo library kiosk.
async fn portal_with_card(dir: &Path) -> Result<(Portal, FormClient, String)> {
    let config = dir.join("portal.toml");
    fs::write(
        &config,
        "[library.card]\nmin_len = 13\nmax_len = 13\ncheck = \"none\"\n",
    )?;
    let portal = Portal::builder()
        .arg("--demo")
        .arg("--config")
        .arg(&config)
        .start()
        .await?;
    let citizen = FormClient::new(portal.base_url())?;
    citizen
        .login("citizen@demo.invalid", DEMO_PASSWORD, None)
        .await?;
    let mut photo = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(48, 32, image::Rgb([40, 90, 200]))
        .write_to(&mut photo, image::ImageFormat::Jpeg)?;
    let saved = citizen
        .submit_file(
            "/library/settings",
            "/library/settings",
            &[("number", HANAKO), ("number_again", HANAKO)],
            ("photo", "card.jpg", "image/jpeg", photo.get_ref()),
        )
        .await?;
    ensure!(saved.status == 303, "saving the card: {}", saved.body);
    let demo = fs::read_to_string(portal.data_dir().join("demo-kiosks/library1.toml"))?;
    let section = demo
        .split("[portal]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .context("the demo library kiosk's [portal] section")?;
    Ok((portal, citizen, format!("[portal]{section}\n")))
}

/// Waits until the citizen's card page shows every one of `needles`.
async fn wait_for_card_page(citizen: &FormClient, needles: &[&str]) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let page = citizen.get("/library").await?;
        if needles.iter().all(|needle| page.body.contains(needle)) {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "the card page never showed {needles:?}:\n{}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

#[tokio::test]
async fn the_counter_lends_books_to_a_card_on_a_phone_and_sends_offline_loans_later() -> Result<()>
{
    let port = free_port()?;
    let mut ils = Some(Ils::start(port)?);
    let dir = tempfile::tempdir()?;
    let frames = dir.path().join("frames");
    fs::create_dir_all(&frames)?;
    let (portal, citizen, portal_section) = portal_with_card(dir.path()).await?;
    let config = dir.path().join("library-kiosk.toml");
    fs::write(
        &config,
        format!(
            "data_dir = \"{}\"\n[card]\nmin_len = 13\nmax_len = 13\ncheck = \"none\"\n\
             [sip2]\naddress = \"127.0.0.1:{port}\"\nuser = \"kiosk\"\npassword = \"kiosk-pass\"\n\
             institution = \"SHIMINLIB\"\nlocation = \"counter-1\"\ntimeout = 2\n\
             {portal_section}\
             [ui]\nfullscreen = false\nwindow_size = [1024, 600]\n",
            dir.path().join("data").display()
        ),
    )?;
    let screen = Xvfb::start(1024, 600)?;
    let log = dir.path().join("kiosk.log");
    let mut kiosk = Command::new(kiosk_bin()?)
        .args(["library", "--config"])
        .arg(&config)
        .arg("--frames")
        .arg(&frames)
        .env("DISPLAY", screen.display())
        .env("RUST_LOG", "info,kiosk=debug")
        .stdout(Stdio::null())
        .stderr(fs::File::create(&log)?)
        .spawn()?;
    let result = async {
        let deadline = Instant::now() + WAIT;
        while !fs::read_to_string(&log)?.contains("watching the frames folder") {
            ensure!(
                Instant::now() < deadline,
                "the kiosk did not start:\n{}",
                fs::read_to_string(&log)?
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The card on the phone, then two book labels at awkward angles.
        show_frame(
            &frames,
            1,
            &codabar_image(&format!("A{HANAKO}A"), 3, 40)?,
            &CameraParams::default(),
        )?;
        tokio::time::sleep(Duration::from_millis(700)).await;
        show_frame(
            &frames,
            2,
            &code128_image("3000000000019", 3, 40)?,
            &book_label(40.0),
        )?;
        tokio::time::sleep(Duration::from_millis(700)).await;
        show_frame(
            &frames,
            3,
            &ean13_image("300000000002", 3, 40)?,
            &book_label(130.0),
        )?;
        let lent = ils
            .as_ref()
            .context("the ILS")?
            .wait_for_checkouts(2, &log)
            .await?;
        ensure!(
            lent[0].starts_with(&format!("CHECKOUT 3000000000019 {HANAKO} no_block=N")),
            "{lent:?}"
        );
        ensure!(
            lent[1].starts_with(&format!("CHECKOUT 3000000000021 {HANAKO} no_block=N")),
            "{lent:?}"
        );
        // The portal heard of both, with the ILS's titles and due date.
        wait_for_card_page(&citizen, &["ぐりとぐら", "ねないこだれだ", "2027-01-10"]).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        screen.screenshot(&screenshot_dir()?.join("library-counter.png"))?;

        // The library system goes away: the next book is kept offline, and sent once it is
        // back (with no block), by the kiosk itself.
        drop(ils.take());
        show_frame(
            &frames,
            4,
            &code128_image("3000000000035", 3, 40)?,
            &book_label(-60.0),
        )?;
        let deadline = Instant::now() + WAIT;
        while !fs::read_to_string(&log)?.contains("recorded offline") {
            ensure!(
                Instant::now() < deadline,
                "not kept offline:\n{}",
                fs::read_to_string(&log)?
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The screen reads the queue's counts once a second.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        screen.screenshot(&screenshot_dir()?.join("library-counter-offline.png"))?;
        let back = Ils::start(port)?;
        let replayed = back.wait_for_checkouts(1, &log).await?;
        wait_for_card_page(&citizen, &["しろくまちゃんのほっとけーき"]).await?;
        Ok::<_, anyhow::Error>(replayed)
    }
    .await;
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let replayed = portal.explain(result)?;
    ensure!(
        replayed == [format!("CHECKOUT 3000000000035 {HANAKO} no_block=Y")],
        "{replayed:?}"
    );
    Ok(())
}
