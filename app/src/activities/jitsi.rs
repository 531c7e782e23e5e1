//! The browser side of the Jitsi IFrame API (hydrate only): load `external_api.js` from the
//! activity's server, create `JitsiMeetExternalAPI` with the server-issued ticket, listen for the
//! conference events, and dispose of it on leave.

use std::{cell::Cell, rc::Rc};

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue, closure::Closure, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;

use super::dto::JoinTicket;
use crate::moderation::model::Participant;

#[wasm_bindgen]
extern "C" {
    /// `JitsiMeetExternalAPI`, a global defined by the server's `external_api.js`.
    #[wasm_bindgen(js_name = JitsiMeetExternalAPI)]
    pub type ExternalApi;

    #[wasm_bindgen(constructor, js_class = "JitsiMeetExternalAPI", catch)]
    fn new(domain: &str, options: &JsValue) -> Result<ExternalApi, JsValue>;

    #[wasm_bindgen(method, js_name = executeCommand)]
    fn execute_command(this: &ExternalApi, name: &str, arg: &JsValue);

    #[wasm_bindgen(method, js_name = addListener)]
    fn add_listener(this: &ExternalApi, event: &str, listener: &Function);

    #[wasm_bindgen(method)]
    fn dispose(this: &ExternalApi);

    #[wasm_bindgen(method, js_name = getRoomsInfo, catch)]
    fn get_rooms_info(this: &ExternalApi) -> Result<Promise, JsValue>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingEvent {
    Joined,
    /// This tab's own participant id (from `videoConferenceJoined`).
    Me(String),
    Left,
    ParticipantJoined(Participant),
    ParticipantLeft(String),
    RoleChanged {
        id: String,
        role: String,
    },
    Knocking(Participant),
    KickedOut(String),
    /// `recordingStatusChanged`: a recording or stream went on or off, maybe with an error.
    Recording {
        on: bool,
        mode: String,
        error: Option<String>,
    },
}

/// Turns an IFrame API event payload into a meeting event.
type EventMap = fn(serde_json::Value) -> MeetingEvent;

/// An IFrame API event payload as JSON (`null` if it cannot be read).
fn payload(v: &JsValue) -> serde_json::Value {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| serde_json::from_str(&String::from(s)).ok())
        .unwrap_or_default()
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// A participant from an event or `getRoomsInfo`; `userContext.id` is the Aula user id that
/// Aula put in the token (`context.user.id`).
fn participant(v: &serde_json::Value) -> Participant {
    let user = &v["userContext"]["id"];
    Participant {
        id: text(&v["id"]),
        name: [&v["displayName"], &v["name"], &v["formattedDisplayName"]]
            .into_iter()
            .map(text)
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        role: Some(text(&v["role"]))
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "participant".into()),
        user_id: text(user).parse().ok(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// `external_api.js` did not load (server down, blocked, offline).
    Script,
    /// The script loaded but did not define a working `JitsiMeetExternalAPI`.
    Api,
}

/// A live meeting frame. Dropping it does not dispose; call `close`.
pub struct Meeting {
    api: ExternalApi,
    // Kept so the listeners live exactly as long as the meeting.
    _listeners: Vec<Closure<dyn FnMut(JsValue)>>,
    closed: Rc<Cell<bool>>,
}

impl Meeting {
    /// `executeCommand(name, ...args)`.
    pub fn command(&self, name: &str, args: &[serde_json::Value]) {
        let call = js_sys::Array::new();
        call.push(&JsValue::from_str(name));
        for a in args {
            call.push(&js_sys::JSON::parse(&a.to_string()).unwrap_or(JsValue::NULL));
        }
        if let Ok(f) = Reflect::get(&self.api, &"executeCommand".into()) {
            let _ = f.unchecked_ref::<Function>().apply(&self.api, &call);
        }
    }

    /// Everyone in the main room now, from `getRoomsInfo()`. The future owns what it needs, so
    /// it may outlive this borrow.
    pub fn participants(&self) -> impl std::future::Future<Output = Vec<Participant>> + use<> {
        let promise = self.api.get_rooms_info();
        async move { rooms_participants(promise).await }
    }

    pub fn close(&self) {
        if !self.closed.replace(true) {
            self.api.dispose();
        }
    }
}

async fn rooms_participants(promise: Result<Promise, JsValue>) -> Vec<Participant> {
    let Ok(p) = promise else {
        return Vec::new();
    };
    let info = JsFuture::from(p)
        .await
        .map(|v| payload(&v))
        .unwrap_or_default();
    info["rooms"]
        .as_array()
        .and_then(|rooms| {
            rooms
                .iter()
                .find(|r| r["isMainRoom"] == serde_json::json!(true))
        })
        .and_then(|r| r["participants"].as_array())
        .map(|ps| ps.iter().map(participant).collect())
        .unwrap_or_default()
}

fn script_loaded() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"JitsiMeetExternalAPI".into()).ok())
        .is_some_and(|v| v.is_function())
}

/// Appends the script once; a retry after a failure removes the failed tag and tries again.
async fn load_script(url: &str) -> Result<(), OpenError> {
    if script_loaded() {
        return Ok(());
    }
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(OpenError::Script)?;
    if let Some(old) = doc.get_element_by_id("jitsi-external-api") {
        old.remove();
    }
    let script: web_sys::HtmlScriptElement = doc
        .create_element("script")
        .map_err(|_| OpenError::Script)?
        .unchecked_into();
    script.set_id("jitsi-external-api");
    script.set_src(url);
    script.set_async(true);
    let promise = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    doc.head()
        .ok_or(OpenError::Script)?
        .append_child(&script)
        .map_err(|_| OpenError::Script)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| OpenError::Script)?;
    if script_loaded() {
        Ok(())
    } else {
        Err(OpenError::Api)
    }
}

fn options(ticket: &JoinTicket, parent: &web_sys::Element) -> Result<JsValue, OpenError> {
    let json = serde_json::json!({
        "roomName": ticket.room_name,
        "width": "100%",
        "height": "100%",
        "lang": ticket.lang,
        "noSSL": ticket.no_ssl,
        "userInfo": { "displayName": ticket.display_name, "email": ticket.email },
        "configOverwrite": {
            "prejoinPageEnabled": false,
            "prejoinConfig": { "enabled": false },
            "subject": ticket.subject,
            "disableDeepLinking": true,
            "disableInviteFunctions": true,
            "defaultLanguage": ticket.lang,
        },
        "interfaceConfigOverwrite": { "SHOW_JITSI_WATERMARK": false },
    });
    let mut json = json;
    if let Some(jwt) = &ticket.jwt {
        json["jwt"] = serde_json::Value::String(jwt.clone());
    }
    let opts = js_sys::JSON::parse(&json.to_string()).map_err(|_| OpenError::Api)?;
    Reflect::set(&opts, &"parentNode".into(), parent).map_err(|_| OpenError::Api)?;
    Ok(opts)
}

/// Loads the API and opens the meeting inside `parent`. `on_event` hears joins and leaves.
pub async fn open(
    ticket: &JoinTicket,
    parent: &web_sys::Element,
    on_event: impl Fn(MeetingEvent) + Clone + 'static,
) -> Result<Meeting, OpenError> {
    load_script(&ticket.script_url).await?;
    let api =
        ExternalApi::new(&ticket.domain, &options(ticket, parent)?).map_err(|_| OpenError::Api)?;
    let closed = Rc::new(Cell::new(false));
    let mut listeners = Vec::new();

    // Jitsi applies identity commands once the local user is in the conference (as mod_jitsi does).
    let api_ref: Object = api.clone().unchecked_into();
    let (name, avatar) = (ticket.display_name.clone(), ticket.avatar_url.clone());
    let joined = on_event.clone();
    let on_joined = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        let api: &ExternalApi = api_ref.unchecked_ref();
        api.execute_command("displayName", &JsValue::from_str(&name));
        if let Some(url) = &avatar {
            api.execute_command("avatarUrl", &JsValue::from_str(url));
        }
        joined(MeetingEvent::Me(text(&payload(&v)["id"])));
        joined(MeetingEvent::Joined);
    });
    api.add_listener("videoConferenceJoined", on_joined.as_ref().unchecked_ref());
    listeners.push(on_joined);

    for event in ["videoConferenceLeft", "readyToClose"] {
        let left = on_event.clone();
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |_| left(MeetingEvent::Left));
        api.add_listener(event, cb.as_ref().unchecked_ref());
        listeners.push(cb);
    }
    // The moderator dashboard follows who is in, their roles, and who knocks at the lobby.
    let mapped: [(&str, EventMap); 6] = [
        ("participantJoined", |v| {
            MeetingEvent::ParticipantJoined(participant(&v))
        }),
        ("participantLeft", |v| {
            MeetingEvent::ParticipantLeft(text(&v["id"]))
        }),
        ("participantRoleChanged", |v| MeetingEvent::RoleChanged {
            id: text(&v["id"]),
            role: text(&v["role"]),
        }),
        ("knockingParticipant", |v| {
            MeetingEvent::Knocking(participant(&v["participant"]))
        }),
        ("participantKickedOut", |v| {
            MeetingEvent::KickedOut(text(&v["kicked"]["id"]))
        }),
        ("recordingStatusChanged", |v| MeetingEvent::Recording {
            on: v["on"].as_bool().unwrap_or(false),
            mode: text(&v["mode"]),
            error: Some(text(&v["error"])).filter(|e| !e.is_empty()),
        }),
    ];
    for (event, map) in mapped {
        let f = on_event.clone();
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| f(map(payload(&v))));
        api.add_listener(event, cb.as_ref().unchecked_ref());
        listeners.push(cb);
    }
    Ok(Meeting {
        api,
        _listeners: listeners,
        closed,
    })
}

impl Clone for ExternalApi {
    fn clone(&self) -> Self {
        JsValue::from(self).unchecked_into()
    }
}
