//! Tests of the harness itself (no portal needed).

use super::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[test]
fn find_link_takes_the_first_matching_url() {
    let text = "登録ありがとうございます。\n\
                規約: https://example.invalid/terms.\n\
                次のリンクを開いてください:\nhttp://127.0.0.1:8080/verify?token=abc-DEF_123&x=1。\n";
    assert_eq!(
        find_link(text, "/verify?token="),
        Some("http://127.0.0.1:8080/verify?token=abc-DEF_123&x=1".to_owned())
    );
    assert_eq!(
        find_link(text, "/terms"),
        Some("https://example.invalid/terms".to_owned())
    );
    assert_eq!(find_link(text, "/nothing"), None);
    assert_eq!(
        find_link(
            "<a href=\"http://h/verify?token=t&amp;a=b\">x</a>",
            "token="
        ),
        Some("http://h/verify?token=t&a=b".to_owned())
    );
}

#[test]
fn free_port_is_bindable() -> Result<()> {
    let port = free_port()?;
    assert_ne!(port, 0);
    TcpListener::bind(("127.0.0.1", port))?;
    Ok(())
}

/// Sends one mail with a raw SMTP conversation, as a client library would.
async fn send_raw(port: u16, from: &str, to: &str, data: &str) -> Result<()> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    // Reads one (possibly multi-line) reply and checks its code.
    async fn reply(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, code: &str) -> Result<()> {
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await?;
            if !line.starts_with(code) {
                bail!("expected {code}, got {line:?}");
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    }
    reply(&mut read, "220").await?;
    for (command, code) in [
        ("EHLO test.invalid".to_owned(), "250"),
        (format!("MAIL FROM:<{from}>"), "250"),
        (format!("RCPT TO:<{to}>"), "250"),
        ("DATA".to_owned(), "354"),
    ] {
        write.write_all(format!("{command}\r\n").as_bytes()).await?;
        reply(&mut read, code).await?;
    }
    write
        .write_all(data.replace('\n', "\r\n").as_bytes())
        .await?;
    write.write_all(b"\r\n.\r\n").await?;
    reply(&mut read, "250").await?;
    write.write_all(b"QUIT\r\n").await?;
    reply(&mut read, "221").await?;
    Ok(())
}

#[tokio::test]
async fn smtp_server_receives_a_raw_smtp_mail() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    assert!(smtp.messages()?.is_empty());
    // A Japanese subject (RFC 2047) and a quoted-printable UTF-8 body, as
    // a mail library sends them.
    let data = "From: =?UTF-8?B?5biC5b255omA?= <noreply@city.invalid>\n\
                To: taro@example.invalid\n\
                Subject: =?UTF-8?B?44CQ5biC5rCR44Od44O844K/44Or44CR5pys55m76Yyy56K66KqN?=\n\
                MIME-Version: 1.0\n\
                Content-Type: multipart/alternative; boundary=\"b\"\n\
                \n\
                --b\n\
                Content-Type: text/plain; charset=utf-8\n\
                Content-Transfer-Encoding: quoted-printable\n\
                \n\
                =E6=AC=A1=E3=81=AE=E3=83=AA=E3=83=B3=E3=82=AF:\n\
                http://127.0.0.1:1/verify?token=3D0123456789abcdef0123456789abcdef0123456=\n\
                789abcdef\n\
                --b\n\
                Content-Type: text/html; charset=utf-8\n\
                \n\
                <p><a href=\"http://127.0.0.1:1/verify?token=x\">open</a></p>\n\
                --b--";
    send_raw(
        smtp.port(),
        "noreply@city.invalid",
        "taro@example.invalid",
        data,
    )
    .await?;
    let mail = smtp
        .wait_for_mail(
            "Taro@Example.invalid",
            "本登録確認",
            Duration::from_secs(10),
        )
        .await?;
    assert_eq!(mail.subject, "【市民ポータル】本登録確認");
    assert_eq!(mail.to, vec!["taro@example.invalid".to_owned()]);
    assert_eq!(mail.rcpt_to, vec!["taro@example.invalid".to_owned()]);
    assert_eq!(mail.from, "noreply@city.invalid");
    assert!(
        mail.text.starts_with("次のリンク:"),
        "{:?} {:?}",
        mail.text,
        mail.html
    );
    assert_eq!(
        mail.link_containing("/verify?token=")?,
        "http://127.0.0.1:1/verify?token=0123456789abcdef0123456789abcdef0123456789abcdef",
        "{:?}",
        mail.text
    );
    assert!(mail.html.as_deref().is_some_and(|h| h.contains("<a href")));
    assert_eq!(smtp.messages()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn smtp_server_receives_a_mail_from_python_smtplib() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    let script = "import smtplib, sys\n\
                  from email.message import EmailMessage\n\
                  m = EmailMessage()\n\
                  m['From'] = 'a@city.invalid'\n\
                  m['To'] = 'hanako@example.invalid'\n\
                  m['Subject'] = 'ごみ収集のお知らせ'\n\
                  m.set_content('明日は燃えるごみの日です。')\n\
                  with smtplib.SMTP('127.0.0.1', int(sys.argv[1])) as s:\n    s.send_message(m)\n";
    let status = tokio::process::Command::new("python3")
        .args(["-c", script, &smtp.port().to_string()])
        .status()
        .await?;
    assert!(status.success());
    let mail = smtp
        .wait_for_mail("hanako@example.invalid", "ごみ", Duration::from_secs(10))
        .await?;
    assert_eq!(mail.subject, "ごみ収集のお知らせ");
    assert_eq!(mail.text.trim(), "明日は燃えるごみの日です。");
    assert_eq!(mail.html, None);
    // A mail to someone else does not match.
    assert!(
        smtp.wait_for_mail("other@example.invalid", "ごみ", Duration::from_millis(200))
            .await
            .is_err()
    );
    Ok(())
}

#[tokio::test]
async fn browser_reads_a_page_fills_a_form_and_takes_a_screenshot() -> Result<()> {
    let browser = Browser::start().await?;
    let html = "<!doctype html><meta charset=utf-8>\
                <meta name=viewport content=\"width=device-width,initial-scale=1\"><title>t</title>\
                <h1>市民ポータル</h1>\
                <form onsubmit=\"document.getElementById('out').textContent = \
                this.family_name.value + (this.accept_terms.checked ? ' 同意' : ''); return false\">\
                <input name=family_name><input type=checkbox name=accept_terms>\
                <button id=submit>送信</button></form><p id=out></p>";
    let url: String = format!(
        "data:text/html;charset=utf-8,{}",
        html.bytes()
            .map(|b| if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            })
            .collect::<String>()
    );
    browser.goto(&url).await?;
    assert!(browser.body_text().await?.contains("市民ポータル"));
    browser.fill("family_name", "山田").await?;
    browser.check("accept_terms").await?;
    browser.click_id("submit").await?;
    browser
        .wait_for_text("山田 同意", Duration::from_secs(10))
        .await?;
    // A phone's viewport: 390 CSS pixels wide.
    let width = browser.execute("return window.innerWidth", vec![]).await?;
    assert_eq!(width, 390);
    let dir = tempfile::tempdir()?;
    let png = dir.path().join("shot/page.png");
    browser.screenshot(&png).await?;
    let bytes = fs::read(&png)?;
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    browser.close().await?;
    Ok(())
}
