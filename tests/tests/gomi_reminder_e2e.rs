//! The evening-before reminder end to end, against the real `portal` binary and a real SMTP
//! server (aiosmtpd): the waste office adds an extra collection day tomorrow for the demo
//! citizen's area, she chooses to be reminded at this hour, and the reminder reaches her by
//! email with the date and the kinds — once, also after the portal is killed (kill -9) and
//! started again.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use shimin_e2e::{FormClient, Portal, SmtpServer, demo::DEMO_PASSWORD};

const CITIZEN: &str = "citizen@demo.invalid";
const WAIT: Duration = Duration::from_secs(40);

#[tokio::test]
async fn the_reminder_reaches_the_citizen_by_email_once_across_a_kill() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    let mut portal = Portal::builder().arg("--demo").smtp(&smtp).start().await?;
    let result = async {
        let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo")?);
        let tomorrow = now.date().tomorrow()?;

        // The waste office: an extra collection of every kind tomorrow in 浅野 (the citizen's).
        let office = FormClient::new(portal.base_url())?;
        office
            .login("gomi@demo.invalid", DEMO_PASSWORD, None)
            .await?;
        let areas: serde_json::Value = reqwest::get(portal.url("/api/v1/garbage/areas"))
            .await?
            .json()
            .await?;
        let asano = areas
            .as_array()
            .and_then(|areas| areas.iter().find(|area| area["name"] == "浅野"))
            .and_then(|area| area["id"].as_i64())
            .context("浅野 in the public list of areas")?
            .to_string();
        let added = office
            .submit(
                "/admin/gomi",
                "/admin/gomi/exceptions",
                &[
                    ("area", &asano),
                    ("kind", "extra"),
                    ("from", &tomorrow.to_string()),
                    ("note", "臨時収集"),
                ],
            )
            .await?;
        ensure!(added.status == 303, "adding the extra day: {}", added.body);

        // The citizen: reminded the evening before, at this very hour.
        let citizen = FormClient::new(portal.base_url())?;
        citizen.login(CITIZEN, DEMO_PASSWORD, None).await?;
        let hour = now.hour().to_string();
        let saved = citizen
            .submit(
                "/gomi",
                "/gomi/remind",
                &[("remind", "evening"), ("hour", &hour)],
            )
            .await?;
        ensure!(saved.status == 303, "saving the reminder: {}", saved.body);

        let words = format!("{}月{}日", tomorrow.month(), tomorrow.day());
        let mail = smtp.wait_for_mail(CITIZEN, &words, WAIT).await?;
        ensure!(mail.subject.contains("燃やすごみ"), "{}", mail.subject);
        ensure!(mail.text.contains("浅野"), "{}", mail.text);

        // kill -9 and start again: the dispatcher runs again at once, and sends nothing more.
        portal.kill9_and_restart().await?;
        tokio::time::sleep(Duration::from_secs(12)).await;
        let reminders = smtp
            .messages()?
            .into_iter()
            .filter(|mail| mail.is_to(CITIZEN) && mail.subject.contains(&words))
            .count();
        ensure!(reminders == 1, "{reminders} reminders");
        Ok(())
    }
    .await;
    portal.explain(result)
}
