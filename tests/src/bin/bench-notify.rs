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

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant, SystemTime},
};

use anyhow::{Context, Result, bail, ensure};
use shimin_e2e::line_fake::{LineFake, LineFakeConfig};
use shimin_e2e::{FormClient, Portal, free_port, portal_bin};

const SINK: &str = r#"
import asyncio, sys, time
from aiosmtpd.smtp import SMTP

class Sink:
    def __init__(self, expected):
        self.n = 0
        self.expected = expected

    async def handle_DATA(self, server, session, envelope):
        # Only the synthetic citizens count (the demo city's own mail does not).
        if not any(r.endswith("@load.invalid") for r in envelope.rcpt_tos):
            return "250 OK"
        self.n += 1
        if self.n == 1 or self.n == self.expected or self.n % 10000 == 0:
            print(f"{self.n} {time.time():.6f}", flush=True)
        return "250 OK"

async def main():
    sink = Sink(int(sys.argv[2]))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink), "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"#;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn since(start: SystemTime, at: SystemTime) -> f64 {
    at.duration_since(start).unwrap_or_default().as_secs_f64()
}

#[tokio::main]
async fn main() -> Result<()> {
    let citizens = env_number("BENCH_CITIZENS", 200_000);
    let line_percent = env_number("BENCH_LINE_PERCENT", 50);
    let garbage = std::env::var("BENCH_SOURCE").is_ok_and(|source| source == "garbage");
    // Who is reached: by the numbering of load-citizens (LINE when (n·37) mod 100 < percent)
    // and, for garbage, load-garbage's rule (n mod 20 ∉ {0, 1}: the evening reminder).
    let reached = |n: u64| !garbage || n % 20 > 1;
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

    match run {
        Some((deliveries, reminded, chose, _, total)) => {
            println!(
                "tomorrow's garbage reminders: {reminded} of {citizens} citizens in {deliveries} deliveries ({email_users} email, {line_users} LINE; {connections} SMTP connections)"
            );
            println!("  citizens chosen (71 areas' slots)        {chose:>9.1} ms");
            println!("  reminder run (chosen + deliveries made)  {total:>9.1} ms");
        }
        None => {
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
            "  publish answered                         {:>9.1} ms",
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

/// Publishes one announcement through the staff form; when it was sent.
async fn publish(portal: &Portal) -> Result<SystemTime> {
    let staff = FormClient::new(portal.base_url())?;
    staff
        .login("city@demo.invalid", "shimin-demo-2026", None)
        .await?;
    let form = staff.get("/admin/announcements").await?;
    ensure!(form.status == 200, "{form:?}");
    let published_at = SystemTime::now();
    let published = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", "【訓練】避難指示の発令について"),
                (
                    "body",
                    "これは配信の訓練です。西条地区に避難指示を発令しました（訓練）。",
                ),
                ("link", ""),
                ("publish_at", ""),
            ],
        )
        .await?;
    ensure!(published.status == 303, "{published:?}");
    Ok(published_at)
}

/// The portal's `garbage reminders made` line: deliveries, citizens, choose_ms, started (Unix
/// seconds), total_ms.
fn garbage_run(portal: &Portal) -> Option<(u64, u64, f64, f64, f64)> {
    let log = format!("{}\n{}", portal.stdout(), portal.stderr());
    log.lines()
        .filter(|l| l.contains("garbage reminders made"))
        .find_map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).ok()?;
            let fields = &value["fields"];
            Some((
                fields["deliveries"].as_u64()?,
                fields["citizens"].as_u64()?,
                fields["choose_ms"].as_f64()?,
                fields["started_unix"].as_f64()?,
                fields["total_ms"].as_f64()?,
            ))
        })
}
