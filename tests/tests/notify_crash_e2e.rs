//! The notification outbox survives kill -9 in the middle of a fan-out: one announcement to
//! 3,000 citizens (half by LINE, half by email), the portal killed twice while it hands them
//! over, against aiosmtpd and a LINE fake held to 2 multicasts a second (so the kills land
//! mid-way and the portal meets 429s). Afterwards every LINE user has the message exactly
//! once (the retry after a crash carries the same `X-Line-Retry-Key`), and every email
//! recipient has it, with one Message-ID each: only mail in flight at a kill is sent again,
//! and it is the same message.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use shimin_e2e::line_fake::{LineFake, LineFakeConfig};
use shimin_e2e::{FormClient, Portal, SmtpServer, portal_bin};

const CITIZENS: usize = 3_000;
const TITLE: &str = "断水のお知らせ";
/// The portal hands over at most this many emails at once: the most that can be in flight
/// (and so sent again) at a kill.
const EMAIL_CONCURRENCY: usize = 32;

#[tokio::test]
async fn a_fan_out_killed_twice_mid_way_loses_nothing_and_doubles_nothing() -> Result<()> {
    let line = LineFake::start(LineFakeConfig {
        multicast_per_second: 2,
        push_per_second: 2,
        ..LineFakeConfig::default()
    })
    .await?;
    let smtp = SmtpServer::start().await?;
    let mut portal = Portal::builder()
        .arg("--demo")
        .smtp(&smtp)
        .env("PORTAL_LINE_API_BASE", line.base_url())
        .env("PORTAL_LINE_CHANNEL_SECRET", &line.config().channel_secret)
        .env("PORTAL_LINE_CHANNEL_TOKEN", &line.config().channel_token)
        .start()
        .await?;
    let result = fan_out_with_kills(&mut portal, &line, &smtp).await;
    portal.explain(result)?;
    line.assert_clean()
}

async fn fan_out_with_kills(portal: &mut Portal, line: &LineFake, smtp: &SmtpServer) -> Result<()> {
    let added = Command::new(portal_bin()?)
        .args(["admin", "load-citizens", "--data-dir"])
        .arg(portal.data_dir())
        .args(["--count", &CITIZENS.to_string(), "--category", "bousai"])
        .args(["--line-percent", "50", "--en-percent", "10"])
        .output()
        .context("running portal admin load-citizens")?;
    ensure!(
        added.status.success(),
        "load-citizens: {}",
        String::from_utf8_lossy(&added.stderr)
    );

    let staff = FormClient::new(portal.base_url())?;
    staff
        .login("city@demo.invalid", "shimin-demo-2026", None)
        .await?;
    let published = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", TITLE),
                ("body", "12月3日 9時から12時まで、西条地区で断水します。"),
                ("link", ""),
                ("publish_at", ""),
            ],
        )
        .await?;
    ensure!(published.status == 303, "{published:?}");

    // Kill once the first LINE batch and some mail are out, and again a moment later.
    wait_until(Duration::from_secs(60), || {
        Ok(!line.deliveries().is_empty() && mail_files(smtp)? >= 50)
    })
    .await
    .context("the fan-out did not start")?;
    let line_users = CITIZENS / 2;
    let email_users = CITIZENS - line_users;
    let (line_before, mail_before) = (line.deliveries().len(), mail_files(smtp)?);
    eprintln!("first kill after {line_before} LINE messages and {mail_before} mails");
    ensure!(
        line_before < line_users && mail_before < email_users,
        "the fan-out was over before the kill"
    );
    portal.kill9_and_restart().await?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    eprintln!(
        "second kill after {} LINE messages and {} mails",
        line.deliveries().len(),
        mail_files(smtp)?
    );
    portal.kill9_and_restart().await?;
    wait_until(Duration::from_secs(120), || {
        let users: std::collections::HashSet<String> =
            line.deliveries().into_iter().map(|d| d.user_id).collect();
        // Counting files is cheap; who got what is read once, below.
        Ok(users.len() >= line_users && mail_files(smtp)? >= email_users)
    })
    .await
    .context("not every citizen was reached after the kills")?;
    // Let anything doubled arrive before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let mut per_user: HashMap<String, usize> = HashMap::new();
    for delivery in line.deliveries() {
        *per_user.entry(delivery.user_id).or_default() += 1;
    }
    ensure!(
        per_user.len() == line_users,
        "{} LINE users reached",
        per_user.len()
    );
    let doubled: Vec<_> = per_user.iter().filter(|(_, n)| **n > 1).collect();
    ensure!(
        doubled.is_empty(),
        "LINE users with the message twice: {doubled:?}"
    );

    let mut mails: HashMap<String, Vec<String>> = HashMap::new();
    for mail in smtp.messages()? {
        for to in mail.to.iter().filter(|to| to.ends_with("@load.invalid")) {
            mails
                .entry(to.clone())
                .or_default()
                .push(mail.message_id.clone());
        }
    }
    ensure!(
        mails.len() == email_users,
        "{} email recipients reached",
        mails.len()
    );
    let mut resent = 0;
    for (to, ids) in &mails {
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        ensure!(distinct.len() == 1, "{to} got different messages: {ids:?}");
        resent += ids.len() - 1;
    }
    ensure!(
        resent <= 2 * EMAIL_CONCURRENCY,
        "{resent} mails sent again: more than were in flight at two kills"
    );
    Ok(())
}

/// How many mails the SMTP server has stored so far.
fn mail_files(smtp: &SmtpServer) -> Result<usize> {
    let mut count = 0;
    for sub in ["new", "cur"] {
        if let Ok(entries) = std::fs::read_dir(smtp.maildir().join(sub)) {
            count += entries.count();
        }
    }
    Ok(count)
}

async fn wait_until(timeout: Duration, mut done: impl FnMut() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if done()? {
            return Ok(());
        }
        ensure!(Instant::now() < deadline, "timed out after {timeout:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
