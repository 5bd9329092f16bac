//! A file attached to an announcement (a PDF leaflet, a map as an image): what is accepted,
//! judged by the file's content and not its name or the browser's word for it.

/// The largest attachment accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The longest file name kept (in characters, before the extension).
const MAX_NAME: usize = 80;

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// PDF
    Pdf,
    /// PNG image
    Png,
    /// JPEG image
    Jpeg,
}

impl FileKind {
    /// Every kind, for the stored name's round trip.
    pub const ALL: [FileKind; 3] = [FileKind::Pdf, FileKind::Png, FileKind::Jpeg];

    /// What the file's first bytes say it is.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    /// The kind with this media type.
    pub fn from_media_type(media_type: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.media_type() == media_type)
    }

    /// The extension its file name gets.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
        }
    }

    /// How pages name it ("PDF").
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
        }
    }
}

/// An attachment that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAttachment {
    /// The name it is offered under: the uploaded name's stem, cleaned, with the extension
    /// of its real kind.
    pub file_name: String,
    /// What it is.
    pub kind: FileKind,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Why an upload was refused (a message key).
pub fn check(file_name: &str, bytes: Vec<u8>) -> Result<ValidAttachment, &'static str> {
    if bytes.is_empty() {
        return Err("error.attachment_empty");
    }
    if bytes.len() > MAX_BYTES {
        return Err("error.attachment_too_large");
    }
    let kind = FileKind::sniff(&bytes).ok_or("error.attachment_type")?;
    // Only the last path segment (browsers on Windows once sent C:\…), without controls or
    // characters that break a Content-Disposition header, and without the old extension.
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\' | '/'))
        .take(MAX_NAME)
        .collect();
    let clean = clean.trim();
    let stem = if clean.is_empty() {
        "attachment"
    } else {
        clean
    };
    Ok(ValidAttachment {
        file_name: format!("{stem}.{}", kind.extension()),
        kind,
        bytes,
    })
}

/// A size as pages show it ("120 KB", "2.4 MB").
pub fn size_label(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_content_and_names_the_file() {
        let pdf = check("お知らせ.PDF", b"%PDF-1.7\n...".to_vec()).unwrap();
        assert_eq!(pdf.kind, FileKind::Pdf);
        assert_eq!(pdf.file_name, "お知らせ.pdf");
        // A PNG uploaded under a PDF's name is offered as the PNG it is.
        let png = check("map.pdf", b"\x89PNG\r\n\x1a\n....".to_vec()).unwrap();
        assert_eq!(png.file_name, "map.png");
        assert_eq!(
            check("photo.jpeg", b"\xFF\xD8\xFF\xE0..".to_vec())
                .unwrap()
                .file_name,
            "photo.jpg"
        );
    }

    #[test]
    fn other_files_empty_ones_and_large_ones_are_refused() {
        assert_eq!(
            check("a.pdf", b"<html>".to_vec()),
            Err("error.attachment_type")
        );
        assert_eq!(check("a.pdf", Vec::new()), Err("error.attachment_empty"));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check("a.pdf", big), Err("error.attachment_too_large"));
    }

    #[test]
    fn names_lose_paths_and_header_breaking_characters() {
        let file = |name: &str| check(name, b"%PDF-1.4".to_vec()).unwrap().file_name;
        assert_eq!(file("C:\\Users\\市\\案内.pdf"), "案内.pdf");
        assert_eq!(file("../../etc/passwd"), "passwd.pdf");
        assert_eq!(file("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(file(""), "attachment.pdf");
        assert_eq!(file(".pdf"), "attachment.pdf");
        assert_eq!(file(&"長".repeat(200)).chars().count(), MAX_NAME + 4);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_label(1), "1 KB");
        assert_eq!(size_label(120 * 1024), "120 KB");
        assert_eq!(size_label(2_516_582), "2.4 MB");
    }
}
