//! The BBB API itself: `/bigbluebutton/api/<call>`, checked like bbb-web checks it.

use std::collections::BTreeMap;

use crate::checksum::verify_raw;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, Method, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::{
    Attendee, Call, Document, Meeting, MockBbb, MockState, now_ms, recordings,
    reply::{esc, failed, meeting_xml, xml},
    slides,
};

pub async fn version() -> Response {
    xml("<version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion>3.0.0</bbbVersion>".into())
}

pub async fn client_page(RawQuery(q): RawQuery) -> Html<String> {
    let p: BTreeMap<String, String> = form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    Html(format!(
        "<!doctype html><title>BigBlueButton (mock)</title><h1 data-testid=\"bbb-client\">BigBlueButton mock client</h1>\
         <p data-testid=\"bbb-user\">{}</p><p data-testid=\"bbb-role\">{}</p><p data-testid=\"bbb-meeting\">{}</p>",
        esc(p.get("name").map_or("", String::as_str)),
        esc(p.get("role").map_or("", String::as_str)),
        esc(p.get("meeting").map_or("", String::as_str)),
    ))
}

/// What a POST body adds to the call: form parameters (merged into the query's), or the
/// presentation module of `create`. An `Err` is the `messageKey` and message to fail with.
fn read_body(
    call: &str,
    headers: &HeaderMap,
    body: &[u8],
    params: &mut BTreeMap<String, String>,
) -> Result<Vec<Document>, (&'static str, String)> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match content_type.as_str() {
        "application/xml" | "text/xml" if call == "create" => {
            let text = std::str::from_utf8(body)
                .map_err(|_| ("invalidPresentation", "The body is not UTF-8.".to_owned()))?;
            slides::parse(text).map_err(|why| ("invalidPresentation", why))
        }
        "application/x-www-form-urlencoded" => {
            for (k, v) in form_urlencoded::parse(body).into_owned() {
                // bbb-web refuses a parameter given both in the URL and in the body.
                if params.insert(k, v).is_some() {
                    return Err((
                        "checksumError",
                        "A parameter was given in both the query and the body.".into(),
                    ));
                }
            }
            Ok(Vec::new())
        }
        _ => Err((
            "unsupportedContentType",
            "POST bodies must be application/xml or application/x-www-form-urlencoded.".into(),
        )),
    }
}

pub async fn api(
    State(m): State<MockBbb>,
    Path(call): Path<String>,
    method: Method,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let raw = raw.unwrap_or_default();
    let mut params: BTreeMap<String, String> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "checksum")
        .collect();
    let checksum_ok = verify_raw(&call, &raw, &m.secret, &m.allowed);
    let documents = read_body(&call, &headers, &body, &mut params);
    let mut st = m.lock();
    st.calls.push(Call {
        call: call.clone(),
        method: method.to_string(),
        params: params.clone(),
        checksum_ok,
    });
    if st.fail_next > 0 {
        st.fail_next -= 1;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if !checksum_ok {
        return failed(
            "checksumError",
            "You did not pass the checksum security check",
        );
    }
    let documents = match documents {
        Ok(d) => d,
        Err((key, message)) => return failed(key, &message),
    };
    match call.as_str() {
        "create" => create(&mut st, params, documents),
        "join" => join(&mut st, &params),
        "end" => match param(&params, "meetingID").and_then(|id| st.meetings.get_mut(&id)) {
            Some(meeting) if !meeting.ended => {
                meeting.end(now_ms());
                xml("<messageKey>sentEndMeetingRequest</messageKey><message>A request to end the meeting was sent.</message>".into())
            }
            _ => failed(
                "notFound",
                "We could not find a meeting with that meeting ID",
            ),
        },
        "isMeetingRunning" => {
            let Some(id) = param(&params, "meetingID") else {
                return failed("missingParamMeetingID", "You must specify a meeting ID.");
            };
            let running = st.meetings.get(&id).is_some_and(|m| m.running);
            xml(format!("<running>{running}</running>"))
        }
        "getMeetingInfo" => {
            let Some(id) = param(&params, "meetingID") else {
                return failed("missingParamMeetingID", "You must specify a meeting ID.");
            };
            match st.meetings.get(&id).filter(|m| !m.ended) {
                Some(meeting) => xml(meeting_xml(meeting)),
                None => failed(
                    "notFound",
                    "We could not find a meeting with that meeting ID",
                ),
            }
        }
        "getMeetings" => {
            let list: String = st
                .meetings
                .values()
                .filter(|m| !m.ended)
                .map(|m| format!("<meeting>{}</meeting>", meeting_xml(m)))
                .collect();
            if list.is_empty() {
                xml("<meetings/><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message>".into())
            } else {
                xml(format!("<meetings>{list}</meetings>"))
            }
        }
        _ => recordings::handle(&mut st, &call, &params),
    }
}

/// A parameter, absent when empty (BBB treats `meetingID=` as missing).
pub fn param(params: &BTreeMap<String, String>, key: &str) -> Option<String> {
    params.get(key).filter(|v| !v.is_empty()).cloned()
}

fn create(
    st: &mut MockState,
    params: BTreeMap<String, String>,
    documents: Vec<Document>,
) -> Response {
    let (Some(id), Some(name)) = (param(&params, "meetingID"), param(&params, "name")) else {
        return failed(
            "missingParamMeetingID",
            "You must specify a meeting ID and a name.",
        );
    };
    // Idempotent while the meeting lives; after `end`, the same ID starts a new run.
    if let Some(existing) = st.meetings.get(&id).filter(|m| !m.ended) {
        return xml(format!(
            "<meetingID>{}</meetingID><internalMeetingID>{}</internalMeetingID><createTime>{}</createTime>\
             <hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey>duplicateWarning</messageKey>\
             <message>This conference was already in existence and may currently be in progress.</message>",
            esc(&id),
            existing.internal_id,
            existing.create_time
        ));
    }
    st.counter += 1;
    let create_time = 1_700_000_000_000 + st.counter;
    let internal_id = format!("{:040x}-{create_time}", st.counter);
    let attendee_pw = param(&params, "attendeePW").unwrap_or_else(|| format!("ap-{}", st.counter));
    let moderator_pw =
        param(&params, "moderatorPW").unwrap_or_else(|| format!("mp-{}", st.counter));
    let body = format!(
        "<meetingID>{}</meetingID><internalMeetingID>{internal_id}</internalMeetingID>\
         <attendeePW>{}</attendeePW><moderatorPW>{}</moderatorPW>\
         <createTime>{create_time}</createTime><hasBeenForciblyEnded>false</hasBeenForciblyEnded>\
         <messageKey></messageKey><message></message>",
        esc(&id),
        esc(&attendee_pw),
        esc(&moderator_pw)
    );
    st.meetings.insert(
        id.clone(),
        Meeting {
            id,
            name,
            internal_id,
            create_time,
            attendee_pw,
            moderator_pw,
            params,
            presentation: documents,
            ..Meeting::default()
        },
    );
    xml(body)
}

fn join(st: &mut MockState, params: &BTreeMap<String, String>) -> Response {
    let (Some(id), Some(name)) = (param(params, "meetingID"), param(params, "fullName")) else {
        return failed(
            "missingParamFullName",
            "You must specify a name and a meeting ID.",
        );
    };
    let Some(meeting) = st.meetings.get_mut(&id).filter(|m| !m.ended) else {
        return failed("invalidMeetingIdentifier", "The meeting ID does not exist.");
    };
    // `role` (2.4+) wins over the deprecated `password`.
    let role = match (param(params, "role").as_deref(), param(params, "password")) {
        (Some("MODERATOR" | "moderator"), _) => "MODERATOR",
        (Some("VIEWER" | "viewer"), _) => "VIEWER",
        (None, Some(pw)) if pw == meeting.moderator_pw => "MODERATOR",
        (None, Some(pw)) if pw == meeting.attendee_pw => "VIEWER",
        (None, Some(_)) => {
            return failed(
                "invalidPassword",
                "The password you submitted is not valid.",
            );
        }
        _ => return failed("invalidRole", "Role must be MODERATOR or VIEWER."),
    };
    if let Some(t) = param(params, "createTime")
        && t != meeting.create_time.to_string()
    {
        return failed("mismatchCreateTimeParam", "createTime does not match.");
    }
    meeting.join(
        Attendee {
            user_id: param(params, "userID").unwrap_or_default(),
            full_name: name.clone(),
            role: role.to_owned(),
        },
        now_ms(),
    );
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("meeting", &id)
        .append_pair("name", &name)
        .append_pair("role", role)
        .finish();
    // BBB answers a join with a 302 into its HTML5 client.
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("/bigbluebutton/client?{q}"))],
    )
        .into_response()
}
