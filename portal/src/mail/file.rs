//! The embedded-default transport: each mail becomes `DATA/outbox/<mail_id>.eml`, which a
//! newcomer can open in any mail program (and click the verification link in).

use std::path::PathBuf;

use async_trait::async_trait;

use super::{MailError, MailTransport, build_message};
use crate::store::OutgoingMail;

/// Writes RFC 5322 `.eml` files into a folder.
#[derive(Debug, Clone)]
pub struct FileTransport {
    dir: PathBuf,
    from: String,
}

impl FileTransport {
    /// Writes into `dir` (created if missing) with `from` as the From address.
    pub fn new(dir: PathBuf, from: String) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir, from })
    }
}

#[async_trait]
impl MailTransport for FileTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let bytes = build_message(&self.from, mail)?.formatted();
        let final_path = self.dir.join(format!("{}.eml", mail.mail_id));
        let temp_path = self.dir.join(format!(".{}.eml.tmp", mail.mail_id));
        // Write, sync, then rename: a reader never sees half a file, and a crash before the
        // outbox row is marked sent rewrites the same file rather than adding a second one.
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = std::fs::File::create(&temp_path)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp_path, &final_path)
        })
        .await
        .map_err(|error| MailError::Transport(error.to_string()))?
        .map_err(|error| MailError::Transport(error.to_string()))
    }

    fn name(&self) -> &'static str {
        "file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_one_mime_file_per_mail_and_rewrites_it_on_retry() {
        let dir = tempfile::tempdir().unwrap();
        let transport = FileTransport::new(
            dir.path().join("outbox"),
            "市民ポータルサイト <noreply@city.example.jp>".into(),
        )
        .unwrap();
        let mail = OutgoingMail {
            mail_id: uuid::Uuid::now_v7(),
            to: "hanako@example.jp".into(),
            subject: "東広島市市民ポータルサイトの本登録確認".into(),
            text: "本登録を完了してください。".into(),
            html: "<p>本登録を完了してください。</p>".into(),
            created_at: "2026-11-25T09:00:00Z".parse().unwrap(),
        };
        transport.send(&mail).await.unwrap();
        transport.send(&mail).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        // The subject is RFC 2047-encoded, the parts are declared UTF-8.
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("charset=utf-8"));
        assert!(text.contains(&format!("Message-ID: <{}@city.example.jp>", mail.mail_id)));
    }
}
