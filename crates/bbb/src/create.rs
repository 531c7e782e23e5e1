//! What `create` sends: the query parameters, and the presentation module BBB pre-loads.
//!
//! Slides travel inline (base64) in an XML body; the request is then a POST, and the checksum
//! still covers only the URL's query (BBB never hashes the body).

use base64::{Engine, engine::general_purpose::STANDARD};

/// Slides BBB shows when the meeting opens, sent inline.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Slides {
    /// e.g. `week-1.pdf`; BBB names the presentation after it.
    pub filename: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Slides {
    // A presentation is megabytes: logs get its name and size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slides")
            .field("filename", &self.filename)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What `create` sends; `meta` becomes `meta_<key>` parameters (callbacks, analytics).
#[derive(Debug, Clone, Default)]
pub struct CreateMeeting {
    pub meeting_id: String,
    pub name: String,
    pub welcome: Option<String>,
    /// Shown only to moderators when they join (e.g. the guest link).
    pub moderator_only_message: Option<String>,
    pub record: bool,
    pub auto_start_recording: bool,
    pub allow_start_stop_recording: bool,
    /// Minutes; 0 means no limit.
    pub duration: u32,
    /// 0 means no limit.
    pub max_participants: u32,
    /// Keep the meeting's events even without recording, so BBB can send the analytics callback.
    pub meeting_keep_events: bool,
    /// `ALWAYS_ACCEPT`, `ALWAYS_DENY` or `ASK_MODERATOR`.
    pub guest_policy: Option<String>,
    pub logout_url: Option<String>,
    pub meta: Vec<(String, String)>,
    /// Pre-uploaded presentation; `Some` turns the call into a POST with an XML body.
    pub slides: Option<Slides>,
}

/// The query parameters of `create`, in the order they are sent (and signed).
pub fn create_params(m: &CreateMeeting) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = vec![
        ("name".into(), m.name.clone()),
        ("meetingID".into(), m.meeting_id.clone()),
        ("record".into(), m.record.to_string()),
        (
            "autoStartRecording".into(),
            m.auto_start_recording.to_string(),
        ),
        (
            "allowStartStopRecording".into(),
            m.allow_start_stop_recording.to_string(),
        ),
        ("duration".into(), m.duration.to_string()),
    ];
    let optional = [
        ("welcome", m.welcome.clone()),
        ("moderatorOnlyMessage", m.moderator_only_message.clone()),
        (
            "maxParticipants",
            (m.max_participants > 0).then(|| m.max_participants.to_string()),
        ),
        (
            "meetingKeepEvents",
            m.meeting_keep_events.then(|| "true".into()),
        ),
        ("guestPolicy", m.guest_policy.clone()),
        ("logoutURL", m.logout_url.clone()),
    ];
    p.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))),
    );
    p.extend(m.meta.iter().map(|(k, v)| (format!("meta_{k}"), v.clone())));
    p
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The XML body carrying the slides (BBB's `<modules><module name="presentation">` form).
pub fn presentation_xml(slides: &Slides) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><modules><module name=\"presentation\">\
         <document filename=\"{}\">{}</document></module></modules>",
        attr(&slides.filename),
        STANDARD.encode(&slides.bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(m: &CreateMeeting) -> Vec<(String, String)> {
        create_params(m)
    }

    fn get<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
        p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_new_create_options_become_bbb_parameters() {
        let m = CreateMeeting {
            meeting_id: "aula-m-7".into(),
            name: "Physics".into(),
            max_participants: 40,
            meeting_keep_events: true,
            moderator_only_message: Some("Guests: https://aula.test/g/x".into()),
            meta: vec![(
                "analytics-callback-url".into(),
                "https://aula.test/bbb/analytics".into(),
            )],
            ..CreateMeeting::default()
        };
        let p = params(&m);
        assert_eq!(get(&p, "maxParticipants"), Some("40"));
        assert_eq!(get(&p, "meetingKeepEvents"), Some("true"));
        assert_eq!(
            get(&p, "moderatorOnlyMessage"),
            Some("Guests: https://aula.test/g/x")
        );
        assert_eq!(
            get(&p, "meta_analytics-callback-url"),
            Some("https://aula.test/bbb/analytics")
        );
        assert_eq!(p[0].0, "name");
        assert_eq!(p[1].0, "meetingID");
    }

    #[test]
    fn defaults_send_no_limit_and_no_kept_events() {
        let p = params(&CreateMeeting::default());
        for key in [
            "maxParticipants",
            "meetingKeepEvents",
            "moderatorOnlyMessage",
            "welcome",
        ] {
            assert_eq!(get(&p, key), None, "{key}");
        }
        assert_eq!(get(&p, "duration"), Some("0"));
    }

    #[test]
    fn the_presentation_body_carries_the_file_in_base64_with_an_escaped_name() {
        let slides = Slides {
            filename: "Week 1 \"intro\" & <more>.pdf".into(),
            bytes: b"%PDF-1.4 \x00\xff".to_vec(),
        };
        let xml = presentation_xml(&slides);
        assert!(xml.contains("<module name=\"presentation\">"), "{xml}");
        assert!(
            xml.contains("filename=\"Week 1 &quot;intro&quot; &amp; &lt;more&gt;.pdf\""),
            "{xml}"
        );
        let open = xml.find("<document").expect("document");
        let start = open + xml[open..].find('>').expect("tag end") + 1;
        let end = xml.find("</document>").expect("closing tag");
        let b64 = &xml[start..end];
        assert_eq!(STANDARD.decode(b64).expect("base64"), slides.bytes);
        assert!(
            !format!("{slides:?}").contains("PDF"),
            "Debug shows the size only"
        );
    }
}
