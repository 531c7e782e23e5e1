//! The XML BBB answers with: `<response><returncode>…</returncode>…</response>`.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

use super::Meeting;

pub fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!("<response><returncode>SUCCESS</returncode>{body}</response>"),
    )
        .into_response()
}

/// BBB answers errors with HTTP 200 and `FAILED`; the `messageKey` is the contract.
pub fn failed(key: &str, message: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!(
            "<response><returncode>FAILED</returncode><messageKey>{key}</messageKey><message>{}</message></response>",
            esc(message)
        ),
    )
        .into_response()
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A meeting as getMeetingInfo and getMeetings describe it (metadata keys lower-cased).
pub fn meeting_xml(m: &Meeting) -> String {
    let attendees: String = m
        .attendees
        .iter()
        .map(|a| {
            format!(
                "<attendee><userID>{}</userID><fullName>{}</fullName><role>{}</role>\
                 <isPresenter>false</isPresenter><isListeningOnly>false</isListeningOnly>\
                 <hasJoinedVoice>false</hasJoinedVoice><hasVideo>false</hasVideo>\
                 <clientType>HTML5</clientType></attendee>",
                esc(&a.user_id),
                esc(&a.full_name),
                esc(&a.role)
            )
        })
        .collect();
    let moderators = m.attendees.iter().filter(|a| a.role == "MODERATOR").count();
    let meta: String = m
        .params
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("meta_")
                .map(|k| format!("<{0}>{1}</{0}>", k.to_lowercase(), esc(v)))
        })
        .collect();
    format!(
        "<meetingName>{}</meetingName><meetingID>{}</meetingID><internalMeetingID>{}</internalMeetingID>\
         <createTime>{}</createTime><attendeePW>{}</attendeePW><moderatorPW>{}</moderatorPW>\
         <running>{}</running><hasUserJoined>{}</hasUserJoined><hasBeenForciblyEnded>false</hasBeenForciblyEnded>\
         <participantCount>{}</participantCount><moderatorCount>{moderators}</moderatorCount>\
         <maxUsers>{}</maxUsers><attendees>{attendees}</attendees><metadata>{meta}</metadata>\
         <isBreakout>false</isBreakout>",
        esc(&m.name),
        esc(&m.id),
        m.internal_id,
        m.create_time,
        esc(&m.attendee_pw),
        esc(&m.moderator_pw),
        m.running,
        !m.presence.is_empty(),
        m.attendees.len(),
        m.params
            .get("maxParticipants")
            .map_or("0", String::as_str)
            .parse::<u32>()
            .unwrap_or(0),
    )
}
