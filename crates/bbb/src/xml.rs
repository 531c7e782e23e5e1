//! BigBlueButton's XML answers, as typed values. Every answer is `<response>` with a
//! `returncode`; a `FAILED` one carries a `messageKey` (the stable contract) and a `message`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::error::{BbbError, MessageKey};

/// `true`/`false` as BBB writes them (also inside text nodes with whitespace).
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = String::deserialize(d)?;
    Ok(s.trim().eq_ignore_ascii_case("true"))
}

fn num<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let s = String::deserialize(d)?;
    Ok(s.trim().parse().unwrap_or(0))
}

#[derive(Debug, Deserialize)]
struct Head {
    returncode: String,
    #[serde(rename = "messageKey", default)]
    message_key: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Parses an answer: `FAILED` becomes a typed error, `SUCCESS` the call's value.
pub fn parse<T: for<'de> Deserialize<'de>>(xml: &str) -> Result<T, BbbError> {
    let head: Head = quick_xml::de::from_str(xml).map_err(|_| BbbError::BadResponse)?;
    if !head.returncode.trim().eq_ignore_ascii_case("SUCCESS") {
        return Err(BbbError::Failed {
            key: MessageKey::parse(head.message_key.as_deref().unwrap_or("")),
            message: head.message.unwrap_or_default(),
        });
    }
    quick_xml::de::from_str(xml).map_err(|_| BbbError::BadResponse)
}

/// The `messageKey` of a successful answer (e.g. `duplicateWarning`, `noRecordings`).
pub fn success_key(xml: &str) -> Option<String> {
    quick_xml::de::from_str::<Head>(xml).ok()?.message_key
}

/// A success with nothing to read (e.g. `end`: `sentEndMeetingRequest`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Ack {}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Version {
    pub version: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Created {
    #[serde(rename = "meetingID")]
    pub meeting_id: String,
    #[serde(rename = "internalMeetingID", default)]
    pub internal_meeting_id: String,
    /// Milliseconds; `join` must repeat it (it stops replayed join links of an earlier run).
    #[serde(rename = "createTime", deserialize_with = "num")]
    pub create_time: i64,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Running {
    #[serde(deserialize_with = "flag")]
    pub running: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Attendee {
    #[serde(rename = "userID", default)]
    pub user_id: String,
    #[serde(rename = "fullName", default)]
    pub full_name: String,
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Attendees {
    #[serde(default)]
    pub attendee: Vec<Attendee>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct MeetingInfo {
    #[serde(rename = "meetingName", default)]
    pub meeting_name: String,
    #[serde(rename = "meetingID")]
    pub meeting_id: String,
    #[serde(rename = "createTime", deserialize_with = "num", default)]
    pub create_time: i64,
    #[serde(deserialize_with = "flag", default)]
    pub running: bool,
    #[serde(rename = "participantCount", deserialize_with = "num", default)]
    pub participant_count: i64,
    #[serde(rename = "moderatorCount", deserialize_with = "num", default)]
    pub moderator_count: i64,
    #[serde(default)]
    pub attendees: Attendees,
    /// Keys come back lower-cased (`endcallbackurl`, …).
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct MeetingList {
    #[serde(default)]
    pub meeting: Vec<MeetingInfo>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Meetings {
    #[serde(default)]
    pub meetings: MeetingList,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Image {
    #[serde(rename = "$text", default)]
    pub url: String,
    #[serde(rename = "@alt", default)]
    pub alt: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Images {
    #[serde(default)]
    pub image: Vec<Image>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Preview {
    #[serde(default)]
    pub images: Images,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Format {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: String,
    /// Minutes.
    #[serde(deserialize_with = "num", default)]
    pub length: i64,
    #[serde(default)]
    pub preview: Preview,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Playback {
    #[serde(default)]
    pub format: Vec<Format>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Recording {
    #[serde(rename = "recordID")]
    pub record_id: String,
    #[serde(rename = "meetingID", default)]
    pub meeting_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(deserialize_with = "flag", default)]
    pub published: bool,
    #[serde(default)]
    pub state: String,
    #[serde(rename = "startTime", deserialize_with = "num", default)]
    pub start_time: i64,
    #[serde(rename = "endTime", deserialize_with = "num", default)]
    pub end_time: i64,
    #[serde(deserialize_with = "num", default)]
    pub participants: i64,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub playback: Playback,
    /// Scalelite's one-time playback links (`updateRecordings&protect=true`); BBB omits it.
    #[serde(deserialize_with = "flag", default)]
    pub protected: bool,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RecordingList {
    #[serde(default)]
    pub recording: Vec<Recording>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Recordings {
    #[serde(default)]
    pub recordings: RecordingList,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Published {
    #[serde(deserialize_with = "flag")]
    pub published: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Deleted {
    #[serde(deserialize_with = "flag")]
    pub deleted: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Updated {
    #[serde(deserialize_with = "flag")]
    pub updated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_answer_gives_the_create_time_and_keeps_a_duplicate_warning_visible() {
        let xml = "<response><returncode>SUCCESS</returncode><meetingID>m-1</meetingID>\
            <internalMeetingID>abc-1</internalMeetingID><createTime>1531241258036</createTime>\
            <messageKey>duplicateWarning</messageKey><message>exists</message></response>";
        let c: Created = parse(xml).expect("created");
        assert_eq!(c.meeting_id, "m-1");
        assert_eq!(c.create_time, 1_531_241_258_036);
        assert_eq!(success_key(xml).as_deref(), Some("duplicateWarning"));
    }

    #[test]
    fn a_failed_answer_is_a_typed_error_with_its_message_key() {
        let xml = "<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>\
            <message>You did not pass the checksum security check</message></response>";
        match parse::<Running>(xml) {
            Err(BbbError::Failed { key, .. }) => assert_eq!(key, MessageKey::ChecksumError),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse::<Running>("<html>"),
            Err(BbbError::BadResponse)
        ));
    }

    #[test]
    fn meeting_info_lists_attendees_and_lower_cased_metadata() {
        let xml = "<response><returncode>SUCCESS</returncode><meetingName>Physics</meetingName>\
            <meetingID>m-1</meetingID><createTime>5</createTime><running>true</running>\
            <participantCount>2</participantCount><moderatorCount>1</moderatorCount>\
            <attendees><attendee><userID>u7</userID><fullName>Ann</fullName><role>MODERATOR</role></attendee>\
            <attendee><userID>u8</userID><fullName>Bob</fullName><role>VIEWER</role></attendee></attendees>\
            <metadata><endcallbackurl>https://aula/cb</endcallbackurl></metadata></response>";
        let m: MeetingInfo = parse(xml).expect("info");
        assert!(m.running);
        assert_eq!(m.attendees.attendee.len(), 2);
        assert_eq!(m.attendees.attendee[0].role, "MODERATOR");
        assert_eq!(m.metadata["endcallbackurl"], "https://aula/cb");
    }

    #[test]
    fn recordings_carry_playback_formats_and_previews_and_an_empty_list_is_fine() {
        let xml = "<response><returncode>SUCCESS</returncode><recordings><recording>\
            <recordID>r-1</recordID><meetingID>m-1</meetingID><name>Week 1</name>\
            <published>true</published><state>published</state><startTime>1000</startTime>\
            <endTime>61000</endTime><participants>3</participants>\
            <metadata><name>Week 1</name></metadata>\
            <playback><format><type>presentation</type><url>https://bbb/p/r-1</url><length>1</length>\
            <preview><images><image alt=\"slide\" width=\"176\" height=\"136\">https://bbb/t1.png</image>\
            </images></preview></format></playback></recording></recordings></response>";
        let r: Recordings = parse(xml).expect("recordings");
        let rec = &r.recordings.recording[0];
        assert!(rec.published);
        assert!(!rec.protected, "BBB itself does not say");
        assert_eq!(rec.playback.format[0].kind, "presentation");
        assert_eq!(
            rec.playback.format[0].preview.images.image[0].url,
            "https://bbb/t1.png"
        );
        let scalelite = xml.replace("<published>", "<protected>true</protected><published>");
        let r: Recordings = parse(&scalelite).expect("recordings");
        assert!(r.recordings.recording[0].protected);
        let none = "<response><returncode>SUCCESS</returncode><recordings></recordings>\
            <messageKey>noRecordings</messageKey></response>";
        let r: Recordings = parse(none).expect("empty");
        assert!(r.recordings.recording.is_empty());
    }
}
