//! A library without a system of its own, end to end: the demo portal (`--demo`, its loan
//! ledger and embedded broker) and the demo library counter (`kiosk library` with the ready
//! configuration the demo wrote) in a window under Xvfb. The demo citizen registers her
//! card; a QR code signed with another key is refused, then she shows the card page's signed
//! QR code on a phone (the kiosk checks it offline with the portal's keys), then a book's
//! label: the portal lends it and her card page shows it with its due date. The portal goes away, a
//! second book is lent on trust, and once the portal is back the kiosk sends it by itself.

use std::{
    fs,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, ensure};
use shimin_e2e::{
    FormClient, Portal,
    barcodes::{code128_image, qr_svg_image},
    camera::{CameraParams, book_label, qr_image, show_frame},
    demo::DEMO_PASSWORD,
    kiosk::kiosk_bin,
    screenshot_dir,
    xvfb::Xvfb,
};
use shimin_sync::{
    ids::KeyId,
    library::{
        card::{CheckScheme, check_digit},
        card_pass::issue_card_pass,
    },
    pass::PassSigner,
};

const WAIT: Duration = Duration::from_secs(30);
const CITIZEN: &str = "citizen@demo.invalid";

/// A small JPEG standing for the photo of the card.
fn photo() -> Result<Vec<u8>> {
    let image = image::RgbImage::from_fn(64, 40, |x, _| image::Rgb([(x * 3) as u8, 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}

async fn wait_for_log(log: &Path, needle: &str, after: usize) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = fs::read_to_string(log)?;
        if text.matches(needle).count() > after {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "the kiosk never logged {needle:?}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_page(citizen: &FormClient, needle: &str, portal: &Portal) -> Result<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let page = citizen.get("/library").await?;
        if page.body.contains(needle) {
            return Ok(page.body);
        }
        ensure!(
            Instant::now() < deadline,
            "the card page never showed {needle}:\n{}\n{}",
            page.body,
            portal.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_library_without_an_ils_lends_through_the_portal_and_offline() -> Result<()> {
    let mut portal = Portal::builder().arg("--demo").start().await?;
    let number = format!(
        "210000000{}",
        check_digit(CheckScheme::Mod10W21, "210000000").context("check digit")?
    );
    let citizen = FormClient::new(portal.base_url())?;
    citizen.login(CITIZEN, DEMO_PASSWORD, None).await?;
    let saved = citizen
        .submit_file(
            "/library/settings",
            "/library/settings",
            &[("number", &number), ("number_again", &number)],
            ("photo", "IMG_0001.JPG", "image/jpeg", &photo()?),
        )
        .await?;
    ensure!(saved.status == 303, "saving the card: {}", saved.body);

    // The demo's ready configuration, with the test's own data folder and window.
    let dir = tempfile::tempdir()?;
    let demo = fs::read_to_string(portal.data_dir().join("demo-kiosks/library1.toml"))?;
    let config = dir.path().join("library-kiosk.toml");
    let mut lines: Vec<String> = demo
        .lines()
        .filter(|line| !line.starts_with("data_dir"))
        .map(str::to_owned)
        .collect();
    lines.insert(
        0,
        format!("data_dir = \"{}\"", dir.path().join("data").display()),
    );
    lines.push("window_size = [1024, 600]".into());
    fs::write(&config, lines.join("\n"))?;
    let frames = dir.path().join("frames");
    fs::create_dir_all(&frames)?;
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
        wait_for_log(&log, "lending through the portal's loan ledger", 0).await?;
        wait_for_log(&log, "connected to the portal", 0).await?;
        wait_for_log(&log, "watching the frames folder", 0).await?;
        wait_for_log(&log, "key set received", 0).await?;
        // A card QR code made with a key that is not the portal's: refused, not lent to.
        let forger = PassSigner::from_seed(KeyId::new("k1")?, &[9; 32]);
        let now = jiff::Timestamp::now();
        let until = now.checked_add(jiff::SignedDuration::from_hours(24))?;
        let forged = issue_card_pass(&forger, &number, now, until)?;
        let forged = qr_image(&forged, qrcode::EcLevel::M, 6).context("forged QR")?;
        show_frame(&frames, 1, &forged, &CameraParams::default())?;
        wait_for_log(&log, "a card QR code was refused", 0).await?;
        // The card page's own QR code, as the portal drew it, on a phone.
        let page = citizen.get("/library").await?;
        let svg = page
            .body
            .split("class=\"card-qr-code\"")
            .nth(1)
            .and_then(|rest| rest.split("</svg>").next())
            .context("no QR code on the card page")?;
        show_frame(&frames, 2, &qr_svg_image(svg, 2)?, &CameraParams::default())?;
        wait_for_log(&log, "Some(Patron(", 0).await?;
        tokio::time::sleep(Duration::from_millis(700)).await;
        show_frame(
            &frames,
            3,
            &code128_image("3000000000019", 3, 40)?,
            &book_label(35.0),
        )?;
        let page = wait_for_page(&citizen, "3000000000019", &portal).await?;
        let today = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo")?)
            .date();
        let due = today.checked_add(jiff::Span::new().days(14))?;
        ensure!(
            page.contains(&due.to_string()),
            "no due date {due}:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        screen.screenshot(&screenshot_dir()?.join("library-counter-ledger.png"))?;

        // The portal goes away: the next book is lent on trust and kept; once the portal is
        // back, the kiosk sends it, with no block.
        portal.terminate(Duration::from_secs(10)).await?;
        show_frame(
            &frames,
            4,
            &code128_image("3000000000035", 3, 40)?,
            &book_label(-50.0),
        )?;
        wait_for_log(&log, "recorded offline", 0).await?;
        portal.kill9_and_restart().await?;
        wait_for_page(&citizen, "3000000000035", &portal).await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let log_text = fs::read_to_string(&log).unwrap_or_default();
    portal.explain(result.with_context(|| format!("kiosk log:\n{log_text}")))
}
