//! The delivery engine end to end, against the real `portal` binary, a real SMTP server
//! (aiosmtpd) and the fake LINE platform that checks every request against LINE's OpenAPI
//! files: LINE account linking as the city's guide describes it (rich menu → webhook → link
//! token → the portal's login → nonce → `accountLink`), an announcement reaching the citizen
//! by email and LINE, redelivered and badly signed webhooks, unlinking on unfollow.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use shimin_e2e::line_fake::{LineFake, LineFakeConfig};
use shimin_e2e::{FormClient, Portal, SmtpServer};

const CITIZEN: &str = "citizen@demo.invalid";
const CITY_STAFF: &str = "city@demo.invalid";
const PASSWORD: &str = "shimin-demo-2026";
const LINE_USER: &str = "U4af4980629a1b2c3d4e5f60718293a4b";
const WAIT: Duration = Duration::from_secs(30);

async fn portal_with_line(line: &LineFake, smtp: &SmtpServer) -> Result<Portal> {
    Portal::builder()
        .arg("--demo")
        .smtp(smtp)
        .env("PORTAL_LINE_API_BASE", line.base_url())
        .env("PORTAL_LINE_CHANNEL_SECRET", &line.config().channel_secret)
        .env("PORTAL_LINE_CHANNEL_TOKEN", &line.config().channel_token)
        .start()
        .await
}

fn text_of(message: &Value) -> &str {
    message["text"].as_str().unwrap_or_default()
}

/// The query parameter `name` of `url`.
fn param(url: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[tokio::test]
async fn a_citizen_links_line_and_gets_an_announcement_by_email_and_line() -> Result<()> {
    let line = LineFake::start(LineFakeConfig::default()).await?;
    let smtp = SmtpServer::start().await?;
    let portal = portal_with_line(&line, &smtp).await?;
    portal.explain(link_and_deliver(&portal, &line, &smtp).await)?;
    line.assert_clean()
}

async fn link_and_deliver(portal: &Portal, line: &LineFake, smtp: &SmtpServer) -> Result<()> {
    let webhook = portal.url("/webhooks/line");

    // 1. The rich menu's 「市民ポータルサイト LINE連携」 (a postback) reaches the webhook; the
    //    portal asks LINE for a link token and replies with the portal's link page.
    let tap = line.postback_event(LINE_USER, "action=link");
    let answer = line.post_webhook(&webhook, vec![tap.clone()]).await?;
    ensure!(
        answer.status() == 200,
        "webhook answered {}",
        answer.status()
    );
    let replies = line.wait_for_received(LINE_USER, 1, WAIT).await?;
    let reply = text_of(&replies[0]);
    let link_url = reply
        .split_whitespace()
        .find(|word| word.contains("/line/link?linkToken="))
        .with_context(|| format!("no link in the reply {reply:?}"))?
        .to_owned();
    let tokens = line.link_tokens();
    ensure!(
        tokens.len() == 1 && tokens[0].user_id == LINE_USER,
        "{tokens:?}"
    );
    ensure!(param(&link_url, "linkToken").as_deref() == Some(tokens[0].link_token.as_str()));

    // LINE redelivers the same event: it is handled once (no second link token or reply).
    line.post_webhook(&webhook, vec![tap]).await?;

    // 2. The link asks for the portal's login first, then comes back.
    let citizen = FormClient::new(portal.base_url())?;
    let path = link_url.trim_start_matches(portal.base_url()).to_owned();
    let first = citizen.get(&path).await?;
    let to_login = first.location.clone().unwrap_or_default();
    ensure!(to_login.starts_with("/login?next="), "{first:?}");
    let logged_in = citizen.login(CITIZEN, PASSWORD, Some(&path)).await?;
    ensure!(
        logged_in.location.as_deref() == Some(path.as_str()),
        "{logged_in:?}"
    );

    // 3. The citizen confirms; the portal sends the browser to LINE's dialog with a nonce.
    let confirmed = citizen.submit(&path, "/line/link", &[]).await?;
    let dialog = confirmed.location.clone().unwrap_or_default();
    ensure!(
        dialog.starts_with("https://access.line.me/dialog/bot/accountLink?"),
        "{confirmed:?}"
    );
    ensure!(param(&dialog, "linkToken") == param(&link_url, "linkToken"));
    let nonce = param(&dialog, "nonce").context("no nonce")?;

    // 4. LINE sends accountLink with the nonce: linked, and LINE says so.
    let linked = line.account_link_event(LINE_USER, &nonce, true);
    line.post_webhook(&webhook, vec![linked]).await?;
    let replies = line.wait_for_received(LINE_USER, 2, WAIT).await?;
    ensure!(
        text_of(&replies[1]).contains("連携が完了しました"),
        "{replies:?}"
    );
    ensure!(
        line.link_tokens().len() == 1,
        "the redelivered tap was handled twice"
    );
    let settings = citizen.get("/account/notifications").await?;
    ensure!(
        settings.body.contains("LINEと連携しています"),
        "{}",
        settings.body
    );
    // The nonce is single-use.
    let again = line.account_link_event(LINE_USER, &nonce, true);
    line.post_webhook(&webhook, vec![again]).await?;
    let replies = line.wait_for_received(LINE_USER, 3, WAIT).await?;
    ensure!(text_of(&replies[2]).contains("有効期限"), "{replies:?}");

    // 5. The citizen wants 防災・安全; the announcements office publishes in it.
    let saved = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("c", "bousai"), ("op", "save")],
        )
        .await?;
    ensure!(saved.status == 303, "{saved:?}");
    let staff = FormClient::new(portal.base_url())?;
    staff.login(CITY_STAFF, PASSWORD, None).await?;
    let title = "避難所開設訓練のお知らせ";
    let published = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", title),
                ("body", "12月6日に市内の避難所で開設訓練を行います。"),
                ("link", ""),
                ("publish_at", ""),
            ],
        )
        .await?;
    ensure!(published.status == 303, "{published:?}");

    let mail = smtp.wait_for_mail(CITIZEN, title, WAIT).await?;
    ensure!(mail.subject.contains("防災・安全"), "{}", mail.subject);
    ensure!(mail.text.contains("開設訓練を行います"), "{}", mail.text);
    ensure!(mail.text.contains("/oshirase/"), "{}", mail.text);
    ensure!(mail.html.is_some(), "no HTML part");
    let replies = line.wait_for_received(LINE_USER, 4, WAIT).await?;
    ensure!(text_of(&replies[3]).contains(title), "{replies:?}");
    let pushed = line.deliveries();
    let via = &pushed.last().context("no delivery")?.via;
    ensure!(
        via == "pushMessage",
        "one recipient goes by push, not {via}"
    );
    ensure!(
        pushed.last().and_then(|d| d.retry_key.clone()).is_some(),
        "no X-Line-Retry-Key"
    );

    // The staff's 配信状況 shows it handed over on both channels.
    let list = staff.get("/admin/deliveries").await?;
    ensure!(list.body.contains(title), "{}", list.body);

    // 6. A webhook with a bad signature is refused and changes nothing.
    let forged = line.signed_webhook(vec![line.unfollow_event(LINE_USER)])?;
    let refused = reqwest::Client::new()
        .post(&webhook)
        .header("x-line-signature", "AAAA".repeat(11))
        .body(forged.body)
        .send()
        .await?;
    ensure!(
        refused.status() == 401,
        "bad signature answered {}",
        refused.status()
    );
    let settings = citizen.get("/account/notifications").await?;
    ensure!(settings.body.contains("LINEと連携しています"));

    // 7. Blocking the official account unlinks.
    line.post_webhook(&webhook, vec![line.unfollow_event(LINE_USER)])
        .await?;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let settings = citizen.get("/account/notifications").await?;
        if settings.body.contains("LINEとは連携していません") {
            break;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "not unlinked after unfollow"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

#[tokio::test]
async fn a_citizen_unlinks_from_the_portal_and_can_turn_a_channel_off() -> Result<()> {
    let line = LineFake::start(LineFakeConfig::default()).await?;
    let smtp = SmtpServer::start().await?;
    let portal = portal_with_line(&line, &smtp).await?;
    portal.explain(unlink_from_portal(&portal, &line, &smtp).await)?;
    line.assert_clean()
}

async fn unlink_from_portal(portal: &Portal, line: &LineFake, smtp: &SmtpServer) -> Result<()> {
    // Typing the words works as the rich menu does.
    let citizen = shimin_e2e::demo::link_line(portal, line, CITIZEN, LINE_USER).await?;

    // 市からのお知らせ by LINE only.
    let saved = citizen
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[
                ("email", "school"),
                ("email", "bousai"),
                ("email", "gomi"),
                ("line", "oshirase"),
            ],
        )
        .await?;
    ensure!(saved.status == 303, "{saved:?}");
    let page = citizen.get("/account/notifications").await?;
    ensure!(
        !page
            .body
            .contains(r#"name="email" value="oshirase" id="email-oshirase" checked"#)
    );
    citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("c", "kenko"), ("op", "save")],
        )
        .await?;
    let staff = FormClient::new(portal.base_url())?;
    staff.login(CITY_STAFF, PASSWORD, None).await?;
    let publish = |title: &'static str| {
        let staff = staff.clone();
        async move {
            staff
                .submit(
                    "/admin/announcements",
                    "/admin/announcements",
                    &[
                        ("category_id", "kenko"),
                        ("title", title),
                        ("body", "健康診断の日程をお知らせします。"),
                        ("link", "https://www.city.example.jp/kenshin"),
                        ("publish_at", ""),
                    ],
                )
                .await
        }
    };
    publish("特定健診のお知らせ").await?;
    let replies = line.wait_for_received(LINE_USER, 3, WAIT).await?;
    ensure!(
        text_of(&replies[2]).contains("特定健診のお知らせ"),
        "{replies:?}"
    );
    ensure!(text_of(&replies[2]).contains("https://www.city.example.jp/kenshin"));

    // 連携を解除 from the portal: the next one reaches nobody (email is off for it).
    let unlinked = citizen
        .submit("/account/notifications", "/account/line/unlink", &[])
        .await?;
    ensure!(unlinked.status == 303, "{unlinked:?}");
    publish("がん検診のお知らせ").await?;
    // Give the workers time to (wrongly) send it, then check nothing came.
    tokio::time::sleep(Duration::from_secs(2)).await;
    ensure!(
        line.received(LINE_USER).len() == 3,
        "{:?}",
        line.received(LINE_USER)
    );
    let mails = smtp.messages()?;
    ensure!(
        !mails.iter().any(|m| m.subject.contains("検診")),
        "email was off for 市からのお知らせ"
    );
    Ok(())
}
