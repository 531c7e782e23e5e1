//! The slides a meeting opens with (server only): recognised by their bytes, not their name,
//! stored as `<data_dir>/slides/<public_id>.<ext>`, and handed to BigBlueButton when an owner
//! starts the meeting.

use std::path::{Path, PathBuf};

use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};

use crate::{clock::now, entities::meeting, error::AppError, meetings::model::PUBLIC_ID_LEN};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
const EXTENSIONS: [&str; 6] = ["pdf", "pptx", "odp", "docx", "png", "jpg"];
/// BBB names the presentation after the file; long names only clutter its list.
const NAME_MAX: usize = 100;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The file's type from its content: PDF, PNG and JPEG by their signatures; the ZIP-based
/// office formats by what is inside (an OpenDocument's leading `mimetype` entry, or the part
/// names OOXML requires, which ZIP stores uncompressed).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    if bytes.get(30..38) == Some(b"mimetype")
        && bytes.get(38..).is_some_and(|rest| {
            rest.starts_with(b"application/vnd.oasis.opendocument.presentation")
        })
    {
        return Some("odp");
    }
    if contains(bytes, b"[Content_Types].xml") {
        if contains(bytes, b"ppt/presentation.xml") {
            return Some("pptx");
        }
        if contains(bytes, b"word/document.xml") {
            return Some("docx");
        }
    }
    None
}

/// The name shown in BBB: the uploaded file's own name, without folders or odd characters, ending
/// in the extension its content has (BBB converts by extension).
pub fn display_name(original: &str, ext: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((s, _)) => s,
        None => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*&".contains(*c))
        .take(NAME_MAX)
        .collect();
    let clean = clean.trim();
    let stem = if clean.is_empty() { "slides" } else { clean };
    format!("{stem}.{ext}")
}

/// The stored file's name, if it is one this module wrote (a tampered column reads nothing).
fn stored_file(path: &str) -> Option<&str> {
    let (stem, ext) = path.split_once('.')?;
    let ok = stem.len() == PUBLIC_ID_LEN
        && stem.bytes().all(|b| b.is_ascii_alphanumeric())
        && EXTENSIONS.contains(&ext);
    ok.then_some(path)
}

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("slides")
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Missing,
    TooLarge,
    Unsupported,
}

/// Stores the slides (replacing earlier ones) and records their name on the meeting.
pub async fn store(
    db: &DatabaseConnection,
    data_dir: &Path,
    m: meeting::Model,
    original_name: &str,
    bytes: &[u8],
) -> Result<Result<meeting::Model, Refused>, AppError> {
    if bytes.is_empty() {
        return Ok(Err(Refused::Missing));
    }
    if bytes.len() > MAX_BYTES {
        return Ok(Err(Refused::TooLarge));
    }
    let Some(ext) = sniff(bytes) else {
        return Ok(Err(Refused::Unsupported));
    };
    let file = format!("{}.{ext}", m.public_id);
    let folder = dir(data_dir);
    // Written aside and renamed, so a meeting starting meanwhile never reads half a file.
    let partial = folder.join(format!("{file}.part"));
    tokio::fs::create_dir_all(&folder)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::write(&partial, bytes)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::rename(&partial, folder.join(&file))
        .await
        .map_err(AppError::internal)?;
    let old = m.slides_path.clone();
    let mut am = m.into_active_model();
    am.slides_name = Set(Some(display_name(original_name, ext)));
    am.slides_path = Set(Some(file.clone()));
    am.updated_at = Set(now());
    let saved = am.update(db).await?;
    if old.as_deref() != Some(file.as_str()) {
        remove_file(data_dir, old.as_deref()).await;
    }
    Ok(Ok(saved))
}

/// Forgets the meeting's slides and deletes the file.
pub async fn clear(
    db: &DatabaseConnection,
    data_dir: &Path,
    m: meeting::Model,
) -> Result<(), AppError> {
    let old = m.slides_path.clone();
    let mut am = m.into_active_model();
    am.slides_name = Set(None);
    am.slides_path = Set(None);
    am.updated_at = Set(now());
    am.update(db).await?;
    remove_file(data_dir, old.as_deref()).await;
    Ok(())
}

pub async fn remove_file(data_dir: &Path, path: Option<&str>) {
    if let Some(file) = path.and_then(stored_file)
        && let Err(e) = tokio::fs::remove_file(dir(data_dir).join(file)).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!("removing slides {file}: {e}");
    }
}

/// The slides to send with `create`: (file name, bytes), or None (none set, or the file is gone:
/// the meeting then starts without them rather than not at all).
pub async fn read(data_dir: &Path, m: &meeting::Model) -> Option<(String, Vec<u8>)> {
    let file = m.slides_path.as_deref().and_then(stored_file)?;
    match tokio::fs::read(dir(data_dir).join(file)).await {
        Ok(bytes) => Some((
            m.slides_name.clone().unwrap_or_else(|| file.to_owned()),
            bytes,
        )),
        Err(e) => {
            tracing::warn!("slides {file} of meeting {} unreadable: {e}", m.id);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend_from_slice(&[0; 26]);
        for n in names {
            b.extend_from_slice(n.as_bytes());
        }
        b
    }

    #[test]
    fn slides_are_recognised_by_their_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "ppt/presentation.xml"])),
            Some("pptx")
        );
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Some("docx")
        );
        assert_eq!(
            sniff(&zip_with(&[
                "mimetype",
                "application/vnd.oasis.opendocument.presentation"
            ])),
            Some("odp")
        );
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(&zip_with(&["evil.exe"])), None);
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"])),
            None
        );
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn the_name_bbb_shows_keeps_the_uploaded_name_with_the_real_extension() {
        assert_eq!(display_name("Week 1.pdf", "pdf"), "Week 1.pdf");
        assert_eq!(
            display_name("C:\\Users\\me\\deck.PPTX", "pptx"),
            "deck.pptx"
        );
        assert_eq!(display_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(display_name("report.exe", "pdf"), "report.pdf");
        assert_eq!(display_name("", "png"), "slides.png");
        assert_eq!(display_name("a<b>.pdf", "pdf"), "ab.pdf");
    }

    #[test]
    fn only_files_this_module_wrote_are_read_or_deleted() {
        assert_eq!(
            stored_file("AbCdEfGh12345678.pdf"),
            Some("AbCdEfGh12345678.pdf")
        );
        assert_eq!(stored_file("../master.key"), None);
        assert_eq!(stored_file("AbCdEfGh12345678.exe"), None);
        assert_eq!(stored_file("short.pdf"), None);
    }
}
