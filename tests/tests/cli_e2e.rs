//! The `portal` command line: `portal admin create` makes the first admin, who can then log in
//! and open the staff page; bad input is refused with a clear message and creates nothing.

use std::{
    io::Write,
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use shimin_e2e::{Portal, portal_bin};

fn admin_create(
    data_dir: &std::path::Path,
    email: &str,
    password: &str,
) -> Result<std::process::Output> {
    let mut child = Command::new(portal_bin()?)
        .args(["admin", "create", "--data-dir"])
        .arg(data_dir)
        .args([
            "--email",
            email,
            "--family-name",
            "情報",
            "--given-name",
            "太郎",
            "--password-stdin",
        ])
        .env_remove("PORTAL_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting portal admin create")?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(format!("{password}\n").as_bytes())?;
    Ok(child.wait_with_output()?)
}

#[tokio::test]
async fn the_first_admin_is_made_from_the_command_line() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");

    // A common password is refused, with the reason in Japanese, and nothing is created.
    let weak = admin_create(&data, "it@city.example.jp", "password")?;
    ensure!(!weak.status.success(), "a common password was accepted");
    let said = String::from_utf8_lossy(&weak.stderr);
    ensure!(
        said.contains("推測されやすい"),
        "no clear reason given: {said}"
    );

    let made = admin_create(&data, "it@city.example.jp", "kanri-sha-2026!")?;
    ensure!(
        made.status.success(),
        "admin create failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );

    let portal = Portal::builder().data_dir(&data).start().await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let result = async {
        let weak_login = http
            .post(portal.url("/api/v1/session"))
            .json(&json!({"email": "it@city.example.jp", "password": "password"}))
            .send()
            .await?;
        ensure!(
            weak_login.status() == reqwest::StatusCode::UNAUTHORIZED,
            "the refused password works"
        );
        let session: Value = http
            .post(portal.url("/api/v1/session"))
            .json(&json!({"email": "it@city.example.jp", "password": "kanri-sha-2026!"}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = session["token"].as_str().context("no token")?;
        let me: Value = http
            .get(portal.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ensure!(me["roles"] == json!(["admin"]), "roles: {}", me["roles"]);
        ensure!(me["family_name"] == "情報", "{me}");
        Ok(())
    }
    .await;
    portal.explain(result)
}

/// SIGTERM (systemd's stop) lets the portal finish and exit cleanly, and the data it
/// acknowledged is there when it starts again.
#[tokio::test]
async fn sigterm_shuts_down_cleanly_and_keeps_the_data() -> Result<()> {
    let mut portal = Portal::builder().arg("--demo").start().await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let login = json!({"email": "citizen@demo.invalid", "password": "shimin-demo-2026"});
    let result = async {
        let token: Value = http
            .post(portal.url("/api/v1/session"))
            .json(&login)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let status = portal.terminate(Duration::from_secs(15)).await?;
        ensure!(status.success(), "exit status after SIGTERM: {status}");
        ensure!(portal.stderr().contains("stopped"), "no clean stop logged");
        portal.kill9_and_restart().await?;
        let me = http
            .get(portal.url("/api/v1/me"))
            .bearer_auth(token["token"].as_str().context("token")?)
            .send()
            .await?;
        ensure!(
            me.status() == reqwest::StatusCode::OK,
            "the session did not survive the restart: {}",
            me.status()
        );
        Ok(())
    }
    .await;
    portal.explain(result)
}

#[test]
fn a_procedures_file_is_checked_before_use_and_a_bad_one_is_refused_at_its_line() -> Result<()> {
    let shipped = shimin_e2e::workspace_root().join("portal/data/procedures.toml");
    let good = Command::new(portal_bin()?)
        .arg("check-procedures")
        .arg(&shipped)
        .output()?;
    anyhow::ensure!(good.status.success(), "{good:?}");
    let said = String::from_utf8_lossy(&good.stdout);
    anyhow::ensure!(said.contains("procedures"), "{said}");

    // A condition naming a question that does not exist, on the file's 3rd line.
    let dir = tempfile::tempdir()?;
    let bad = dir.path().join("procedures.toml");
    std::fs::write(
        &bad,
        "[[question]]\nid = \"event\"\ntext = \"何がありましたか\"\nkind = \"yes_no\"\n\n\
         [[procedure]]\nid = \"x\"\ntitle = \"出生届\"\nwhere = \"市民課\"\nneeded_when = [\"nosuch = yes\"]\n",
    )?;
    let refused = Command::new(portal_bin()?)
        .arg("check-procedures")
        .arg(&bad)
        .output()?;
    anyhow::ensure!(!refused.status.success(), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    anyhow::ensure!(said.contains("行目"), "{said}");
    Ok(())
}
