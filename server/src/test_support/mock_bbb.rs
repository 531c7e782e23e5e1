//! A mock BigBlueButton server on loopback. It checks every call the way bbb-web does: the
//! checksum over the raw query (the `checksum` parameter cut out of the bytes, never re-encoded),
//! with the algorithm read from the checksum's length and limited to the allowed ones; it requires
//! the documented parameters and answers with the documented XML shapes and `messageKey`s.
//! `join` redirects to a tiny client page that shows who joined as what.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use app::bbb::checksum::{ChecksumAlgo, verify_raw};
use axum::{
    Json, Router,
    extract::{Path, RawQuery, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Meeting {
    pub name: String,
    pub internal_id: String,
    pub create_time: i64,
    pub running: bool,
    pub ended: bool,
    /// Deprecated by BBB but still answered (older clients join and end with them).
    pub attendee_pw: String,
    pub moderator_pw: String,
    pub params: BTreeMap<String, String>,
    /// (userID, fullName, role)
    pub attendees: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Recording {
    pub record_id: String,
    pub meeting_id: String,
    pub name: String,
    pub published: bool,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
}

/// One call as the mock saw it: name, decoded parameters, and whether the checksum held.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Call {
    pub call: String,
    pub params: BTreeMap<String, String>,
    pub checksum_ok: bool,
}

#[derive(Default)]
pub struct MockState {
    pub meetings: BTreeMap<String, Meeting>,
    pub recordings: Vec<Recording>,
    pub calls: Vec<Call>,
    /// The next N calls answer HTTP 503 (to test retries).
    pub fail_next: u32,
    counter: i64,
}

#[derive(Clone)]
pub struct MockBbb {
    pub secret: String,
    pub allowed: Vec<ChecksumAlgo>,
    pub state: Arc<Mutex<MockState>>,
}

impl MockBbb {
    pub fn new(secret: &str, allowed: &[ChecksumAlgo]) -> Self {
        Self {
            secret: secret.to_owned(),
            allowed: allowed.to_vec(),
            state: Arc::default(),
        }
    }

    pub fn router(self) -> Router {
        Router::new()
            .route("/bigbluebutton/api", get(version))
            .route("/bigbluebutton/api/", get(version))
            .route("/bigbluebutton/api/{call}", get(api).post(api))
            .route("/bigbluebutton/client", get(client_page))
            .route("/__mock/recordings", post(add_recording))
            .route("/__mock/calls", get(calls))
            .route("/__mock/fail", post(fail_next))
            .with_state(self)
    }

    /// Serves on `addr` (port 0 for any) and returns the bound address.
    pub async fn spawn(self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let router = self.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(bound)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MockState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!("<response><returncode>SUCCESS</returncode>{body}</response>"),
    )
        .into_response()
}

fn failed(key: &str, message: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!(
            "<response><returncode>FAILED</returncode><messageKey>{key}</messageKey><message>{}</message></response>",
            esc(message)
        ),
    )
        .into_response()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn version() -> Response {
    xml("<version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion>3.0.0</bbbVersion>".into())
}

async fn calls(State(m): State<MockBbb>) -> Json<Vec<Call>> {
    Json(m.lock().calls.clone())
}

async fn fail_next(State(m): State<MockBbb>, Json(n): Json<u32>) -> StatusCode {
    m.lock().fail_next = n;
    StatusCode::NO_CONTENT
}

async fn add_recording(State(m): State<MockBbb>, Json(r): Json<Recording>) -> StatusCode {
    m.lock().recordings.push(r);
    StatusCode::NO_CONTENT
}

async fn client_page(RawQuery(q): RawQuery) -> Html<String> {
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

fn meeting_xml(id: &str, m: &Meeting) -> String {
    let attendees: String = m
        .attendees
        .iter()
        .map(|(u, n, r)| {
            format!(
                "<attendee><userID>{}</userID><fullName>{}</fullName><role>{r}</role></attendee>",
                esc(u),
                esc(n)
            )
        })
        .collect();
    let moderators = m.attendees.iter().filter(|a| a.2 == "MODERATOR").count();
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
         <createTime>{}</createTime><attendeePW>{}</attendeePW><moderatorPW>{}</moderatorPW><running>{}</running><participantCount>{}</participantCount>\
         <moderatorCount>{moderators}</moderatorCount><attendees>{attendees}</attendees><metadata>{meta}</metadata>",
        esc(&m.name),
        esc(id),
        m.internal_id,
        m.create_time,
        esc(&m.attendee_pw),
        esc(&m.moderator_pw),
        m.running,
        m.attendees.len()
    )
}

fn recording_xml(r: &Recording) -> String {
    let meta: String = r
        .meta
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", esc(v)))
        .collect();
    format!(
        "<recording><recordID>{0}</recordID><meetingID>{1}</meetingID><name>{2}</name>\
         <published>{3}</published><state>{4}</state><startTime>1700000000000</startTime>\
         <endTime>1700003600000</endTime><participants>2</participants><metadata>{meta}</metadata>\
         <playback><format><type>presentation</type><url>https://bbb.test/playback/presentation/2.3/{0}</url>\
         <length>60</length><preview><images><image alt=\"slide\" width=\"176\" height=\"136\">https://bbb.test/p/{0}/1.png</image></images></preview>\
         </format></playback></recording>",
        esc(&r.record_id),
        esc(&r.meeting_id),
        esc(&r.name),
        r.published,
        if r.published {
            "published"
        } else {
            "unpublished"
        }
    )
}

async fn api(
    State(m): State<MockBbb>,
    Path(call): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let params: BTreeMap<String, String> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "checksum")
        .collect();
    let checksum_ok = verify_raw(&call, &raw, &m.secret, &m.allowed);
    let mut st = m.lock();
    st.calls.push(Call {
        call: call.clone(),
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
    let p = |k: &str| params.get(k).filter(|v| !v.is_empty()).cloned();
    match call.as_str() {
        "create" => {
            let (Some(id), Some(name)) = (p("meetingID"), p("name")) else {
                return failed(
                    "missingParamMeetingID",
                    "You must specify a meeting ID and a name.",
                );
            };
            if let Some(existing) = st.meetings.get(&id) {
                let body = format!(
                    "<meetingID>{}</meetingID><internalMeetingID>{}</internalMeetingID><createTime>{}</createTime>\
                     <hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey>duplicateWarning</messageKey>\
                     <message>This conference was already in existence and may currently be in progress.</message>",
                    esc(&id),
                    existing.internal_id,
                    existing.create_time
                );
                return xml(body);
            }
            st.counter += 1;
            let create_time = 1_700_000_000_000 + st.counter;
            let internal_id = format!("{:040x}-{create_time}", st.counter);
            let attendee_pw = p("attendeePW").unwrap_or_else(|| format!("ap-{}", st.counter));
            let moderator_pw = p("moderatorPW").unwrap_or_else(|| format!("mp-{}", st.counter));
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
                id,
                Meeting {
                    name,
                    internal_id,
                    create_time,
                    attendee_pw,
                    moderator_pw,
                    params,
                    ..Meeting::default()
                },
            );
            xml(body)
        }
        "join" => {
            let (Some(id), Some(name)) = (p("meetingID"), p("fullName")) else {
                return failed(
                    "missingParamFullName",
                    "You must specify a name and a meeting ID.",
                );
            };
            let Some(meeting) = st.meetings.get_mut(&id).filter(|m| !m.ended) else {
                return failed("invalidMeetingIdentifier", "The meeting ID does not exist.");
            };
            // `role` (2.4+) wins over the deprecated `password`.
            let role = match (p("role").as_deref(), p("password")) {
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
            if let Some(t) = p("createTime")
                && t != meeting.create_time.to_string()
            {
                return failed("mismatchCreateTimeParam", "createTime does not match.");
            }
            meeting.running = true;
            let user = p("userID").unwrap_or_default();
            meeting
                .attendees
                .push((user, name.clone(), role.to_owned()));
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
        "end" => match p("meetingID").and_then(|id| st.meetings.get_mut(&id)) {
            Some(meeting) => {
                meeting.running = false;
                meeting.ended = true;
                xml("<messageKey>sentEndMeetingRequest</messageKey><message>A request to end the meeting was sent.</message>".into())
            }
            None => failed(
                "notFound",
                "We could not find a meeting with that meeting ID",
            ),
        },
        "isMeetingRunning" => {
            let Some(id) = p("meetingID") else {
                return failed("missingParamMeetingID", "You must specify a meeting ID.");
            };
            let running = st.meetings.get(&id).is_some_and(|m| m.running);
            xml(format!("<running>{running}</running>"))
        }
        "getMeetingInfo" => {
            let Some(id) = p("meetingID") else {
                return failed("missingParamMeetingID", "You must specify a meeting ID.");
            };
            match st.meetings.get(&id).filter(|m| !m.ended) {
                Some(meeting) => xml(meeting_xml(&id, meeting)),
                None => failed(
                    "notFound",
                    "We could not find a meeting with that meeting ID",
                ),
            }
        }
        "getMeetings" => {
            let list: String = st
                .meetings
                .iter()
                .filter(|(_, m)| !m.ended)
                .map(|(id, m)| format!("<meeting>{}</meeting>", meeting_xml(id, m)))
                .collect();
            if list.is_empty() {
                xml("<meetings/><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message>".into())
            } else {
                xml(format!("<meetings>{list}</meetings>"))
            }
        }
        "getRecordings" => {
            let ids: Vec<String> = p("meetingID")
                .map(|s| s.split(',').map(str::to_owned).collect())
                .unwrap_or_default();
            let offset: usize = p("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
            let limit: usize = p("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(100)
                .clamp(1, 100);
            let found: String = st
                .recordings
                .iter()
                .filter(|r| !r.deleted && (ids.is_empty() || ids.contains(&r.meeting_id)))
                .skip(offset)
                .take(limit)
                .map(recording_xml)
                .collect();
            if found.is_empty() {
                xml("<recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message>".into())
            } else {
                xml(format!("<recordings>{found}</recordings>"))
            }
        }
        "publishRecordings" | "deleteRecordings" | "updateRecordings" => {
            let Some(ids) = p("recordID") else {
                return failed("missingParamRecordID", "You must specify a recordID.");
            };
            let ids: Vec<&str> = ids.split(',').collect();
            let publish = p("publish");
            if call == "publishRecordings" && publish.is_none() {
                return failed(
                    "missingParamPublish",
                    "You must specify a publish value true or false.",
                );
            }
            let mut hit = false;
            for r in st
                .recordings
                .iter_mut()
                .filter(|r| ids.contains(&r.record_id.as_str()) && !r.deleted)
            {
                hit = true;
                match call.as_str() {
                    "publishRecordings" => r.published = publish.as_deref() == Some("true"),
                    "deleteRecordings" => r.deleted = true,
                    _ => {
                        for (k, v) in &params {
                            if let Some(k) = k.strip_prefix("meta_") {
                                if v.is_empty() {
                                    r.meta.remove(k);
                                } else {
                                    r.meta.insert(k.to_owned(), v.clone());
                                }
                            }
                        }
                    }
                }
            }
            if !hit {
                return failed("notFound", "We could not find recordings");
            }
            let tag = match call.as_str() {
                "publishRecordings" => "published",
                "deleteRecordings" => "deleted",
                _ => "updated",
            };
            xml(format!("<{tag}>true</{tag}>"))
        }
        _ => failed("unsupportedRequest", "This request is not supported."),
    }
}
