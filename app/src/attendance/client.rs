//! The browser side of attendance (hydrate only). Opened when Jitsi reports the conference
//! joined; beats every `heartbeat_ms` while joined; closes with `sendBeacon` on leave, dispose or
//! `pagehide`. Beats not yet acknowledged live in memory and in `localStorage`, so a dropped
//! network (or a closed tab) loses nothing: they are sent when the network returns, or the next
//! time a join page loads. The server ignores beats it has already applied, so resending is safe.

use std::{cell::RefCell, rc::Rc};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

use super::{
    beat::Beat,
    dto::{BeatReply, BeatRequest, TrackerStatus as Status},
};

pub const BEAT_URL: &str = "/attendance/beat";
const STORAGE_PREFIX: &str = "aula.attendance.";

/// What survives in `localStorage` until the server has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    t: String,
    b: Vec<Beat>,
    close: bool,
    /// When the owning page last wrote this entry; a live page rewrites it every heartbeat.
    at: i64,
}

/// An entry untouched for this long belongs to a page that is gone.
const ABANDONED_MS: i64 = 3 * 60_000;

/// Window event listeners, kept so they can be removed when the session ends.
type Listeners = Vec<(&'static str, Closure<dyn FnMut(web_sys::Event)>)>;

struct Inner {
    key: String,
    token: String,
    seq: i64,
    pending: Vec<Beat>,
    in_flight: bool,
    closed: bool,
    timer: Option<IntervalHandle>,
    listeners: Listeners,
    status: RwSignal<Option<Status>>,
}

#[derive(Clone)]
pub struct Tracker(Rc<RefCell<Inner>>);

fn now() -> i64 {
    js_sys::Date::now() as i64
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Tracker {
    /// Opens a session for `activity_id` and starts beating.
    pub async fn start(activity_id: i32, status: RwSignal<Option<Status>>) -> Option<Tracker> {
        status.set(Some(Status::Starting));
        let Ok(opened) = super::open_attendance(activity_id, now()).await else {
            status.set(Some(Status::Failed));
            return None;
        };
        let key = format!("{STORAGE_PREFIX}{activity_id}.{}", now());
        let tracker = Tracker(Rc::new(RefCell::new(Inner {
            key,
            token: opened.token,
            seq: 0,
            pending: Vec::new(),
            in_flight: false,
            closed: false,
            timer: None,
            listeners: Vec::new(),
            status,
        })));
        status.set(Some(Status::Counting { acked: 0 }));
        tracker.save();
        let t = tracker.clone();
        let timer = set_interval_with_handle(
            move || t.tick(),
            std::time::Duration::from_millis(opened.heartbeat_ms.max(1000) as u64),
        )
        .ok();
        tracker.0.borrow_mut().timer = timer;
        for event in ["online", "pagehide"] {
            let t = tracker.clone();
            let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if event == "online" {
                    t.flush();
                } else {
                    t.stop();
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
            }
            tracker.0.borrow_mut().listeners.push((event, cb));
        }
        Some(tracker)
    }

    fn tick(&self) {
        {
            let mut i = self.0.borrow_mut();
            if i.closed {
                return;
            }
            i.seq += 1;
            let beat = Beat {
                seq: i.seq,
                at: now(),
            };
            i.pending.push(beat);
        }
        self.save();
        self.flush();
    }

    fn save(&self) {
        let i = self.0.borrow();
        let saved = Saved {
            t: i.token.clone(),
            b: i.pending.clone(),
            close: i.closed,
            at: now(),
        };
        if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&saved)) {
            let _ = s.set_item(&i.key, &json);
        }
    }

    fn forget(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&self.0.borrow().key);
        }
    }

    /// Sends every pending beat, unless a send is already under way.
    fn flush(&self) {
        let body = {
            let mut i = self.0.borrow_mut();
            if i.in_flight || i.closed || i.pending.is_empty() {
                return;
            }
            i.in_flight = true;
            BeatRequest {
                t: i.token.clone(),
                b: i.pending.clone(),
                close: false,
            }
        };
        let me = self.clone();
        leptos::task::spawn_local(async move {
            let sent_up_to = body.b.last().map_or(0, |b| b.seq);
            let outcome = post(&body).await;
            let status = me.0.borrow().status;
            let mut i = me.0.borrow_mut();
            i.in_flight = false;
            match outcome {
                Sent::Ok(reply) => {
                    i.pending.retain(|b| b.seq > sent_up_to);
                    if !i.closed {
                        status.set(Some(if i.pending.is_empty() {
                            Status::Counting { acked: sent_up_to }
                        } else {
                            Status::Offline {
                                pending: i.pending.len(),
                            }
                        }));
                    }
                    drop(i);
                    me.save();
                    if !reply.open {
                        me.halt();
                    }
                }
                Sent::Refused => {
                    drop(i);
                    me.halt();
                    status.set(Some(Status::Stopped));
                }
                Sent::Unreachable => {
                    let pending = i.pending.len();
                    status.set(Some(Status::Offline { pending }));
                }
                Sent::Later(secs) => {
                    let pending = i.pending.len();
                    status.set(Some(Status::Offline { pending }));
                    drop(i);
                    me.retry_after(secs);
                }
            }
        });
    }

    /// Sends the kept beats again once the server's wait has passed, spread over up to twice
    /// that so a whole class shed at once does not come back at once (the next heartbeat would
    /// send them anyway).
    fn retry_after(&self, secs: u32) {
        let jitter = js_sys::Math::random() * f64::from(secs.max(1)) * 1000.0;
        let delay = std::time::Duration::from_millis(u64::from(secs) * 1000 + jitter as u64);
        let me = self.clone();
        leptos::prelude::set_timeout(move || me.flush(), delay);
    }

    /// Stops beating without telling the server (it refused the session).
    fn halt(&self) {
        let mut i = self.0.borrow_mut();
        i.closed = true;
        if let Some(t) = i.timer.take() {
            t.clear();
        }
        let listeners = std::mem::take(&mut i.listeners);
        drop(i);
        remove_listeners(listeners);
        self.forget();
    }

    /// Leaves: one last beat, then `sendBeacon` closes the session even if the page is going
    /// away. The beacon's delivery is not confirmed, so the closing request stays saved until a
    /// later page load sees it acknowledged.
    pub fn stop(&self) {
        let req = {
            let mut i = self.0.borrow_mut();
            if i.closed {
                return;
            }
            i.closed = true;
            if let Some(t) = i.timer.take() {
                t.clear();
            }
            i.seq += 1;
            let beat = Beat {
                seq: i.seq,
                at: now(),
            };
            i.pending.push(beat);
            BeatRequest {
                t: i.token.clone(),
                b: i.pending.clone(),
                close: true,
            }
        };
        self.save();
        let listeners = std::mem::take(&mut self.0.borrow_mut().listeners);
        remove_listeners(listeners);
        let json = serde_json::to_string(&req).unwrap_or_default();
        let queued = web_sys::window()
            .map(|w| w.navigator())
            .and_then(|n| n.send_beacon_with_opt_str(BEAT_URL, Some(&json)).ok())
            .unwrap_or(false);
        if queued {
            // Most beacons arrive; if this one did not, the saved copy is resent later.
            let me = self.clone();
            leptos::task::spawn_local(async move {
                if matches!(post(&req).await, Sent::Ok(_) | Sent::Refused) {
                    me.forget();
                }
            });
        }
    }
}

fn remove_listeners(listeners: Listeners) {
    if let Some(w) = web_sys::window() {
        for (event, cb) in &listeners {
            let _ = w.remove_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        }
    }
}

enum Sent {
    Ok(BeatReply),
    /// The server answered and will never accept these beats (4xx).
    Refused,
    /// No answer or a 5xx: keep the beats and try again.
    Unreachable,
    /// The server is busy (503 or 429): keep the beats and try again after this many seconds.
    Later(u32),
}

async fn post(body: &BeatRequest) -> Sent {
    let Some(window) = web_sys::window() else {
        return Sent::Unreachable;
    };
    let Ok(json) = serde_json::to_string(body) else {
        return Sent::Refused;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&json));
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        let _ = h.set("content-type", "application/json");
        init.set_headers(h);
    }
    let Ok(resp) = JsFuture::from(window.fetch_with_str_and_init(BEAT_URL, &init)).await else {
        return Sent::Unreachable;
    };
    let resp: web_sys::Response = resp.unchecked_into();
    let status = resp.status();
    if (200..300).contains(&status) {
        let reply = match resp.json() {
            Ok(p) => JsFuture::from(p).await.ok(),
            Err(_) => None,
        }
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| serde_json::from_str::<BeatReply>(&String::from(s)).ok());
        match reply {
            Some(r) => Sent::Ok(r),
            None => Sent::Unreachable,
        }
    } else if status == 503 || status == 429 {
        let secs = resp
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(5);
        Sent::Later(secs)
    } else if (400..500).contains(&status) && status != 408 {
        Sent::Refused
    } else {
        Sent::Unreachable
    }
}

/// Sends what earlier pages left in `localStorage` (beats that never got through, closing
/// requests whose beacon may have been lost), then forgets each one the server answered.
pub fn resend_saved() {
    let Some(s) = storage() else { return };
    let len = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(STORAGE_PREFIX))
        .collect();
    for key in keys {
        let Some(saved) = s
            .get_item(&key)
            .ok()
            .flatten()
            .and_then(|j| serde_json::from_str::<Saved>(&j).ok())
        else {
            let _ = s.remove_item(&key);
            continue;
        };
        // A page still open in another tab keeps its entry fresh and sends it itself.
        if !saved.close && now() - saved.at < ABANDONED_MS {
            continue;
        }
        leptos::task::spawn_local(async move {
            let req = BeatRequest {
                t: saved.t,
                b: saved.b,
                close: true,
            };
            if matches!(post(&req).await, Sent::Ok(_) | Sent::Refused)
                && let Some(s) = storage()
            {
                let _ = s.remove_item(&key);
            }
        });
    }
}
