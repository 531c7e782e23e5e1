//! Uploaded slides and avatars are typed by their bytes, never by their names: whatever is
//! uploaded, a recognised type always has that type's signature at its start.

fn target(bytes: &[u8]) {
    if let Some(kind) = app::meetings::ssr::slides::sniff(bytes) {
        let signed = match kind {
            "pdf" => bytes.starts_with(b"%PDF-"),
            "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "jpg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            _ => bytes.starts_with(b"PK\x03\x04"),
        };
        assert!(signed, "slides typed {kind} without its signature");
    }
    if let Some((ext, mime)) = server::routes::avatar::sniff(bytes) {
        assert!(mime.starts_with("image/"));
        let signed = match ext {
            "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "jpg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            "gif" => bytes.starts_with(b"GIF8"),
            _ => bytes.get(..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"),
        };
        assert!(signed, "avatar typed {ext} without its signature");
    }
}

#[test]
fn slides_and_avatars_are_typed_only_by_their_signatures() {
    super::corpus::run("sniffing", target);
}
