//! A kill -9 of the portal at awkward moments loses no acknowledged registration and no
//! verification mail, and sends no mail twice: the real `portal` binary, a real SMTP server.

use std::{collections::HashMap, time::Duration};

use anyhow::{Context, Result, ensure};
use serde_json::json;
use shimin_e2e::{Portal, SmtpServer, free_port};

const PASSWORD: &str = "momiji-manju-42";

async fn register(
    http: &reqwest::Client,
    portal: &Portal,
    email: &str,
) -> Result<reqwest::StatusCode> {
    let response = http
        .post(portal.url("/api/v1/account/register"))
        .json(&json!({
            "email": email,
            "family_name": "山田",
            "given_name": "花子",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_terms": true,
        }))
        .send()
        .await?;
    Ok(response.status())
}

async fn wait_for_log(portal: &Portal, needle: &str, timeout: Duration) -> Result<()> {
    let deadline = std::time::Instant::now() + timeout;
    while !portal.stderr().contains(needle) {
        ensure!(
            std::time::Instant::now() < deadline,
            "the portal never logged {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The relay is down when the citizen registers; the portal is killed while the mail waits
/// for its retry; it comes back, the relay comes back, and the mail arrives once and works.
#[tokio::test]
async fn a_mail_waiting_for_a_retry_survives_kill_9() -> Result<()> {
    let smtp_port = free_port()?;
    let mut portal = Portal::builder()
        .env("PORTAL_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .start()
        .await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let result = async {
        let status = register(&http, &portal, "crash@example.jp").await?;
        ensure!(
            status == reqwest::StatusCode::ACCEPTED,
            "registration answered {status}"
        );
        wait_for_log(&portal, "will retry", Duration::from_secs(20)).await?;

        portal.kill9_and_restart().await?;
        let smtp = SmtpServer::start_on(smtp_port).await?;
        // The failed attempt scheduled a retry 30 s later; allow for it.
        let mail = smtp
            .wait_for_mail("crash@example.jp", "本登録確認", Duration::from_secs(90))
            .await?;
        let link = mail.link_containing("/verify?token=")?;
        let page = http.get(&link).send().await?.text().await?;
        ensure!(
            page.contains("本登録が完了しました"),
            "the link from before the crash failed:\n{page}"
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
        let copies = smtp
            .messages()?
            .iter()
            .filter(|m| m.is_to("crash@example.jp"))
            .count();
        ensure!(
            copies == 1,
            "{copies} copies of the verification mail arrived"
        );
        Ok(())
    }
    .await;
    portal.explain(result)
}

/// Registrations arrive while the portal is killed: every one the portal acknowledged gets
/// its verification mail after the restart, and every mail that arrives is one message (a
/// resend after a crash between hand-over and bookkeeping would carry the same Message-ID).
#[tokio::test]
async fn registrations_acknowledged_before_a_kill_9_all_get_their_mail() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    let mut portal = Portal::builder().smtp(&smtp).start().await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let result = async {
        // One after another, as a steady stream of citizens would; kill the portal once three
        // have been acknowledged, while the next ones are being hashed, stored and mailed.
        let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sender = {
            let (http, url, acked) = (
                http.clone(),
                portal.url("/api/v1/account/register"),
                acked.clone(),
            );
            tokio::spawn(async move {
                for i in 0..8 {
                    let email = format!("burst{i}@example.jp");
                    let body = json!({
                        "email": email, "family_name": "山田", "given_name": "太郎",
                        "password": PASSWORD, "password_confirm": PASSWORD, "accept_terms": true,
                    });
                    match http.post(&url).json(&body).send().await {
                        Ok(response) if response.status() == reqwest::StatusCode::ACCEPTED => {
                            acked.lock().unwrap_or_else(|p| p.into_inner()).push(email);
                        }
                        _ => {}
                    }
                }
            })
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while acked.lock().unwrap_or_else(|p| p.into_inner()).len() < 3 {
            ensure!(
                std::time::Instant::now() < deadline,
                "no registrations were acknowledged"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        portal.kill9_and_restart().await?;
        sender.await.context("sender")?;
        let acknowledged = acked.lock().unwrap_or_else(|p| p.into_inner()).clone();
        ensure!(
            acknowledged.len() >= 3,
            "only {} acknowledged",
            acknowledged.len()
        );
        for email in &acknowledged {
            smtp.wait_for_mail(email, "本登録確認", Duration::from_secs(60))
                .await?;
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let mut by_recipient: HashMap<String, Vec<String>> = HashMap::new();
        for mail in smtp.messages()? {
            for to in &mail.to {
                by_recipient
                    .entry(to.clone())
                    .or_default()
                    .push(mail.message_id.clone());
            }
        }
        for (to, ids) in &by_recipient {
            let mut distinct = ids.clone();
            distinct.sort();
            distinct.dedup();
            ensure!(
                distinct.len() == 1,
                "{to} got {} different verification mails",
                distinct.len()
            );
        }
        eprintln!(
            "{} of 8 registrations acknowledged before the kill; {} addresses got mail",
            acknowledged.len(),
            by_recipient.len()
        );
        Ok(())
    }
    .await;
    portal.explain(result)
}
