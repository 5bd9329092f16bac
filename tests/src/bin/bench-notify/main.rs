//! `bench-notify`: one notice fanned out to many citizens (run by `scripts/bench-notify`).
//!
//! A release portal (`SHIMIN_PORTAL_BIN`) with the demo city and `BENCH_CITIZENS` (default
//! 200,000) synthetic citizens who want 防災・安全, `BENCH_LINE_PERCENT` (default 50) of them
//! by LINE only and the rest by email. Mail goes to a real SMTP server on loopback (aiosmtpd
//! with a handler that only counts), LINE to the fake LINE platform holding the portal to
//! LINE's published rate limits (2,000 push/s, 200 multicast/s; 429 beyond) and checking every
//! request against LINE's OpenAPI file. The announcements office publishes one announcement
//! through the staff form; the benchmark reports:
//!
//! - recipients chosen: the portal's own measure of the one transaction that writes the
//!   delivery and all its recipient rows (`choose_ms` in its log);
//! - first hand-over: publish → the first mail at the SMTP server or message at LINE;
//! - last hand-over per channel: publish → the last one;
//! - the portal's peak RSS while it fans out.
//!
//! `BENCH_MAIL_CONNECTIONS` (default 32) sets the portal's `PORTAL_MAIL_CONNECTIONS`.
//!
//! `BENCH_SOURCE=garbage` measures tomorrow's garbage reminders instead: the citizens get a
//! ごみ収集日 setting (`portal admin load-garbage`: the demo city's 71 areas in turn, 90 %
//! reminded the evening before at the current hour, 5 % in the morning, 5 % not at all) and
//! every area an extra collection day tomorrow, so all who want the evening reminder are due
//! at once; the times run from the start of the portal's reminder run (its log), and "chosen"
//! is the run's time choosing the citizens (`choose_ms`) out of its whole time (`total_ms`).
//!
//! `BENCH_SOURCE=alert` measures a disaster alert instead: the citizens get a 防災情報の通知設定
//! (`portal admin load-alerts`, by their number: 60 % never saved one (city-wide, Japanese),
//! 3 % opted out, 12 % city-wide in a language of their choice, 25 % 「特定の地域の情報だけ」
//! with 1–3 of the demo city's nine towns, weighted by population, each with 該当なし or one or
//! two hazard zones; see `portal/src/store/sqlite/loadtest_alerts.rs`), those linked to LINE by
//! LINE only. The disaster office sends a 警戒レベル4 避難指示 for 西条町 and 八本松町 × the two
//! 土砂災害 zones through its form, so targeting does real work; whom it reaches is counted
//! beforehand with the loader's own rule. The portal logs `alert sent` with the time to load
//! every setting and choose (`choose_ms`) and the whole send (`total_ms`, with the delivery's
//! transaction, whose own time is `choose_ms` of `delivery made`); times run from the posting
//! of the form.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant, SystemTime},
};

use anyhow::{Context, Result, bail, ensure};
use shimin_e2e::line_fake::{LineFake, LineFakeConfig};
use shimin_e2e::{Portal, free_port, portal_bin};

mod harness;
mod sources;
use harness::{SINK, env_number, rss_kib};
use sources::{alert_reaches, alert_sent, garbage_run, publish, send_alert};

fn since(start: SystemTime, at: SystemTime) -> f64 {
    at.duration_since(start).unwrap_or_default().as_secs_f64()
}

#[tokio::main]
async fn main() -> Result<()> {
    let citizens = env_number("BENCH_CITIZENS", 200_000);
    let line_percent = env_number("BENCH_LINE_PERCENT", 50);
    let source = std::env::var("BENCH_SOURCE").unwrap_or_default();
    let garbage = source == "garbage";
    let alert = source == "alert";
    // Who is reached: by the numbering of load-citizens (LINE when (n·37) mod 100 < percent);
    // for garbage, load-garbage's rule (n mod 20 ∉ {0, 1}: the evening reminder); for an
    // alert, load-alerts' settings and the targeting rules.
    let alert_rule = alert_reaches();
    let reached = |n: u64| {
        if garbage {
            n % 20 > 1
        } else {
            !alert || alert_rule(n)
        }
    };
    let line_users = (0..citizens)
        .filter(|n| reached(*n) && (n * 37) % 100 < line_percent)
        .count() as u64;
    let email_users = (0..citizens)
        .filter(|n| reached(*n) && (n * 37) % 100 >= line_percent)
        .count() as u64;

    let line = LineFake::start(LineFakeConfig::default()).await?;
    let smtp_port = free_port()?;
    let mut sink = Command::new("python3")
        .args(["-c", SINK, &smtp_port.to_string(), &email_users.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .context("python3 with aiosmtpd (scripts/test installs it)")?;
    let mut sink_lines = BufReader::new(sink.stdout.take().context("sink stdout")?).lines();
    ensure!(
        sink_lines.next().transpose()?.as_deref() == Some("ready"),
        "the SMTP sink did not start"
    );
    let (sink_tx, sink_rx) = std::sync::mpsc::channel::<(u64, f64)>();
    std::thread::spawn(move || {
        for line in sink_lines.map_while(Result::ok) {
            let mut parts = line.split_whitespace();
            if let (Some(n), Some(t)) = (parts.next(), parts.next()) {
                let _ = sink_tx.send((n.parse().unwrap_or(0), t.parse().unwrap_or(0.0)));
            }
        }
    });

    let connections = env_number("BENCH_MAIL_CONNECTIONS", 32);
    let portal = Portal::builder()
        .arg("--demo")
        .env("PORTAL_MAIL_CONNECTIONS", connections.to_string())
        .env("PORTAL_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("PORTAL_LINE_API_BASE", line.base_url())
        .env("PORTAL_LINE_CHANNEL_SECRET", &line.config().channel_secret)
        .env("PORTAL_LINE_CHANNEL_TOKEN", &line.config().channel_token)
        .env("PORTAL_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .start()
        .await?;
    let seeded = Instant::now();
    let added = Command::new(portal_bin()?)
        .args(["admin", "load-citizens", "--data-dir"])
        .arg(portal.data_dir())
        .args(["--count", &citizens.to_string(), "--category", "bousai"])
        .args([
            "--line-percent",
            &line_percent.to_string(),
            "--en-percent",
            "10",
        ])
        .output()?;
    ensure!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    eprintln!(
        "seeded {citizens} citizens ({line_users} LINE, {email_users} email) in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let idle_rss = rss_kib(portal.pid());

    let published_at = if garbage {
        let tokyo = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo")?);
        let set = Command::new(portal_bin()?)
            .args(["admin", "load-garbage", "--data-dir"])
            .arg(portal.data_dir())
            .args(["--hour", &tokyo.hour().to_string()])
            .args(["--extra-day", &tokyo.date().tomorrow()?.to_string()])
            .output()?;
        ensure!(
            set.status.success(),
            "{}",
            String::from_utf8_lossy(&set.stderr)
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(started) = garbage_run(&portal).map(|run| run.3) {
                break SystemTime::UNIX_EPOCH + Duration::from_secs_f64(started);
            }
            ensure!(
                Instant::now() < deadline,
                "no garbage reminder run within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    } else if alert {
        let set = Command::new(portal_bin()?)
            .args(["admin", "load-alerts", "--data-dir"])
            .arg(portal.data_dir())
            .output()?;
        ensure!(
            set.status.success(),
            "{}",
            String::from_utf8_lossy(&set.stderr)
        );
        eprint!("{}", String::from_utf8_lossy(&set.stdout));
        send_alert(&portal).await?
    } else {
        publish(&portal).await?
    };
    let answered = since(published_at, SystemTime::now());

    let deadline = Instant::now() + Duration::from_secs(600);
    let mut peak_rss = idle_rss;
    let mut mail_first = None;
    let mut mail_last = None;
    let mut mails = 0;
    loop {
        peak_rss = peak_rss.max(rss_kib(portal.pid()));
        while let Ok((n, t)) = sink_rx.try_recv() {
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(t);
            if n == 1 {
                mail_first = Some(at);
            }
            if n == email_users {
                mail_last = Some(at);
            }
            mails = mails.max(n);
        }
        let line_count = line.deliveries().len() as u64;
        if line_count >= line_users && (email_users == 0 || mail_last.is_some()) {
            break;
        }
        if Instant::now() > deadline {
            bail!("after 600 s: {mails}/{email_users} mails, {line_count}/{line_users} LINE");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    line.assert_clean()?;
    let deliveries = line.deliveries();
    let line_first = deliveries.iter().map(|d| d.received_at).min();
    let line_last = deliveries.iter().map(|d| d.received_at).max();
    let log = format!("{}\n{}", portal.stdout(), portal.stderr());
    let run = garbage_run(&portal);
    let choose_ms = log
        .lines()
        .filter(|l| l.contains("delivery made"))
        .find_map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).ok()?;
            // An alert's, not one the demo city made at start.
            let kind = value["fields"]["kind"].as_str();
            (!alert || kind == Some("alert")).then_some(())?;
            value["fields"]["choose_ms"].as_f64()
        })
        .with_context(|| {
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            format!("no `delivery made` line with choose_ms in the portal's log: {tail:?}")
        })?;
    let first = [mail_first, line_first].into_iter().flatten().min();
    if std::env::var_os("BENCH_DEBUG").is_some() {
        eprintln!("start {published_at:?} mail {mail_first:?} line {line_first:?}");
    }

    let sent = alert_sent(&portal);
    match (run, sent) {
        (_, Some((recipients, chose, total))) => {
            println!(
                "避難指示 (2 areas × 2 zones) to {recipients} of {citizens} citizens ({email_users} email, {line_users} LINE; {connections} SMTP connections)"
            );
            println!("  settings loaded + recipients chosen      {chose:>9.1} ms");
            println!(
                "  delivery made (one transaction)          {:>9.1} ms",
                choose_ms
            );
            println!("  whole send (the above + composing …)     {total:>9.1} ms");
        }
        (Some((deliveries, reminded, chose, _, total)), None) => {
            println!(
                "tomorrow's garbage reminders: {reminded} of {citizens} citizens in {deliveries} deliveries ({email_users} email, {line_users} LINE; {connections} SMTP connections)"
            );
            println!("  citizens chosen (71 areas' slots)        {chose:>9.1} ms");
            println!("  reminder run (chosen + deliveries made)  {total:>9.1} ms");
        }
        (None, None) => {
            println!(
                "fan-out of one announcement to {citizens} citizens ({email_users} email, {line_users} LINE; {connections} SMTP connections)"
            );
            println!(
                "  recipients chosen (one transaction)      {:>9.1} ms",
                choose_ms
            );
        }
    }
    if !garbage {
        println!(
            "  publish / send answered                  {:>9.1} ms",
            answered * 1000.0
        );
    }
    if let Some(first) = first {
        println!(
            "  first hand-over (from publish / run)     {:>9.1} ms",
            since(published_at, first) * 1000.0
        );
    }
    if let Some(last) = mail_last {
        let secs = since(published_at, last);
        println!(
            "  last email handed over                   {secs:>9.1} s  ({:.0} mails/s)",
            email_users as f64 / secs
        );
    }
    if let Some(last) = line_last {
        let secs = since(published_at, last);
        println!("  last LINE message handed over            {secs:>9.1} s  ({line_users} users)");
    }
    println!(
        "  portal RSS idle / peak                   {:>6} / {} MiB",
        idle_rss / 1024,
        peak_rss / 1024
    );
    let _ = sink.kill();
    Ok(())
}
