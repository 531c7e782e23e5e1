//! An in-process fake of Google: the OAuth 2.0 endpoints (`/auth`, `/token`, `/revoke`) here, and
//! the YouTube Data API v3 calls Aula makes under `/youtube/v3` in `fake_youtube`. It records every
//! request, so tests assert the exact documented sequence, and can be told to fail or hang.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::Url;
use serde_json::{Map, Value, json};
use server::config::Config;
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "aula-test.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "fake-client-secret";
pub const SCOPE: &str = "https://www.googleapis.com/auth/youtube";
/// Where the YouTube API lives on the fake. Recorded paths leave it out.
pub const YT: &str = "/youtube/v3";
/// The lifetime of tokens from a code, and of refreshed ones (different, so a refresh shows in
/// `expires_at`).
pub const CODE_EXPIRES_IN: i64 = 3599;
pub const REFRESH_EXPIRES_IN: i64 = 1800;

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    /// `/auth`, `/token`, `/revoke`, or a YouTube path without `/youtube/v3` (`/liveBroadcasts`).
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub bearer: Option<String>,
    /// The JSON body, a form body as an object of strings, or `Null` when empty.
    pub body: Value,
    /// The fake's answer: status (0 while it hangs) and JSON body (`Null` when empty).
    pub status: u16,
    pub answer: Value,
    n: u32,
}

impl Call {
    pub fn q(&self, key: &str) -> &str {
        self.query.get(key).map_or("", String::as_str)
    }

    pub fn form(&self, key: &str) -> &str {
        self.body.get(key).and_then(Value::as_str).unwrap_or("")
    }

    /// `"POST /liveBroadcasts"`, for comparing sequences.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    Status(u16, &'static str),
    Hang,
}

struct Failure {
    path: String,
    remaining: u32,
    fault: Fault,
}

/// An authorization code waiting for its exchange.
struct Grant {
    challenge: String,
    redirect_uri: String,
}

#[derive(Default)]
pub(crate) struct Inner {
    calls: Vec<Call>,
    failures: Vec<Failure>,
    codes: HashMap<String, Grant>,
    /// Access tokens YouTube accepts now.
    pub(crate) valid_access: HashSet<String>,
    refresh: HashSet<String>,
    issued_access: Vec<String>,
    issued_refresh: Vec<String>,
    revoked: Vec<String>,
    pub(crate) broadcasts: BTreeMap<String, Value>,
    pub(crate) streams: BTreeMap<String, Value>,
    /// Video id → its parts (`status`, `snippet`) exactly as last stored.
    pub(crate) videos: BTreeMap<String, Map<String, Value>>,
    seq: u32,
}

impl Inner {
    pub(crate) fn next(&mut self) -> u32 {
        self.seq += 1;
        self.seq
    }
}

type Shared = Arc<Mutex<Inner>>;

#[derive(Clone)]
pub struct FakeGoogle {
    pub base: String,
    inner: Shared,
}

impl FakeGoogle {
    pub async fn start() -> Self {
        let inner = Shared::default();
        let app = Router::new().fallback(handle).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake google");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, inner }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().expect("fake state")
    }

    /// Points Aula's Google endpoints at the fake.
    pub fn configure(&self, c: &mut Config) {
        c.google_auth_url = format!("{}/auth", self.base);
        c.google_token_url = format!("{}/token", self.base);
        c.google_revoke_url = format!("{}/revoke", self.base);
        c.youtube_api_url = format!("{}{YT}", self.base);
    }

    /// The calls so far, forgetting them (so a test looks at one step at a time).
    pub fn take_calls(&self) -> Vec<Call> {
        std::mem::take(&mut self.lock().calls)
    }

    /// The next `n` calls whose path contains `path` answer `status` with Google's error JSON.
    pub fn fail_next(&self, path: &str, n: u32, status: u16, reason: &'static str) {
        self.push_failure(path, n, Fault::Status(status, reason));
    }

    /// The next `n` calls whose path contains `path` never answer in time.
    pub fn hang_next(&self, path: &str, n: u32) {
        self.push_failure(path, n, Fault::Hang);
    }

    fn push_failure(&self, path: &str, remaining: u32, fault: Fault) {
        self.lock().failures.push(Failure {
            path: path.to_owned(),
            remaining,
            fault,
        });
    }

    /// Every access token issued so far stops working (refresh tokens still do).
    pub fn expire_access_tokens(&self) {
        self.lock().valid_access.clear();
    }

    pub fn access_tokens(&self) -> Vec<String> {
        self.lock().issued_access.clone()
    }

    pub fn refresh_tokens(&self) -> Vec<String> {
        self.lock().issued_refresh.clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        self.lock().revoked.clone()
    }

    /// A video's part as last stored, if the video exists.
    pub fn video_part(&self, id: &str, part: &str) -> Option<Value> {
        self.lock()
            .videos
            .get(id)
            .and_then(|v| v.get(part))
            .cloned()
    }

    pub fn has_video(&self, id: &str) -> bool {
        self.lock().videos.contains_key(id)
    }

    pub fn has_broadcast(&self, id: &str) -> bool {
        self.lock().broadcasts.contains_key(id)
    }

    pub fn has_stream(&self, id: &str) -> bool {
        self.lock().streams.contains_key(id)
    }

    /// A video recorded earlier (for the retention job's rows).
    pub fn add_video(&self, id: &str, title: &str) {
        let parts = crate::fake_youtube::new_video_parts(title, "unlisted", false);
        self.lock().videos.insert(id.to_owned(), parts);
    }
}

fn pairs(s: &str) -> BTreeMap<String, String> {
    Url::parse(&format!("http://x/?{s}"))
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// Google's error body: `{"error":{"code","message","errors":[{"reason"}]}}`.
pub fn google_error(status: u16, reason: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({"error": {
        "code": status,
        "message": format!("fake Google says {reason}"),
        "errors": [{"message": format!("fake Google says {reason}"), "domain": "youtube", "reason": reason}],
    }});
    (code, Json(body)).into_response()
}

/// An OAuth error answer (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": error})),
    )
        .into_response()
}

async fn handle(
    State(inner): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let youtube = uri.path().starts_with(YT);
    let path = uri.path().strip_prefix(YT).unwrap_or(uri.path()).to_owned();
    let text = String::from_utf8_lossy(&body).into_owned();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body = if text.is_empty() {
        Value::Null
    } else if content_type.starts_with("application/json") {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        Value::Object(
            pairs(&text)
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
        )
    } else {
        Value::String(text)
    };
    let mut call = Call {
        method,
        path,
        query: pairs(uri.query().unwrap_or("")),
        bearer: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned),
        body,
        status: 0,
        answer: Value::Null,
        n: 0,
    };
    let fault = {
        let mut st = inner.lock().expect("fake state");
        call.n = st.next();
        st.calls.push(call.clone());
        st.failures
            .iter_mut()
            .find(|f| f.remaining > 0 && call.path.contains(&f.path))
            .map(|f| {
                f.remaining -= 1;
                f.fault
            })
    };
    let response = match fault {
        Some(Fault::Status(status, reason)) => google_error(status, reason),
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            google_error(503, "backendError")
        }
        None => {
            let mut st = inner.lock().expect("fake state");
            serve(&mut st, youtube, &call)
        }
    };
    // Note the answer on the recorded call, then send it on.
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let answer = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if let Some(c) = inner
        .lock()
        .expect("fake state")
        .calls
        .iter_mut()
        .find(|c| c.n == call.n)
    {
        c.status = parts.status.as_u16();
        c.answer = answer;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

fn serve(st: &mut Inner, youtube: bool, call: &Call) -> Response {
    if youtube {
        if !call
            .bearer
            .as_ref()
            .is_some_and(|t| st.valid_access.contains(t))
        {
            return google_error(401, "authError");
        }
        return crate::fake_youtube::answer(st, call);
    }
    match (call.method.as_str(), call.path.as_str()) {
        ("GET", "/auth") => authorize(st, call),
        ("POST", "/token") => token(st, call),
        ("POST", "/revoke") => revoke(st, call),
        _ => (StatusCode::NOT_FOUND, "no such fake endpoint").into_response(),
    }
}

/// The consent screen, already agreed to: back to `redirect_uri` with a code and the state.
fn authorize(st: &mut Inner, c: &Call) -> Response {
    let expected = [
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("scope", SCOPE),
        ("access_type", "offline"),
        ("prompt", "consent"),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in expected {
        if c.q(k) != v {
            return (StatusCode::BAD_REQUEST, format!("bad {k}: {:?}", c.q(k))).into_response();
        }
    }
    for k in ["code_challenge", "redirect_uri", "state"] {
        if c.q(k).is_empty() {
            return (StatusCode::BAD_REQUEST, format!("missing {k}")).into_response();
        }
    }
    let Ok(mut back) = Url::parse(c.q("redirect_uri")) else {
        return (StatusCode::BAD_REQUEST, "bad redirect_uri").into_response();
    };
    let code = format!("4/fake-code-{}", st.next());
    st.codes.insert(
        code.clone(),
        Grant {
            challenge: c.q("code_challenge").to_owned(),
            redirect_uri: c.q("redirect_uri").to_owned(),
        },
    );
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", c.q("state"));
    (StatusCode::FOUND, [(header::LOCATION, back.to_string())]).into_response()
}

fn issue_access(st: &mut Inner) -> String {
    let t = format!("ya29.fake-access-{}", st.next());
    st.valid_access.insert(t.clone());
    st.issued_access.push(t.clone());
    t
}

fn token(st: &mut Inner, c: &Call) -> Response {
    if c.form("client_id") != CLIENT_ID || c.form("client_secret") != CLIENT_SECRET {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match c.form("grant_type") {
        "authorization_code" => {
            let Some(grant) = st.codes.remove(c.form("code")) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
            };
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(c.form("code_verifier")));
            if grant.redirect_uri != c.form("redirect_uri") || challenge != grant.challenge {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
            }
            let access = issue_access(st);
            let refresh = format!("1//fake-refresh-{}", st.next());
            st.refresh.insert(refresh.clone());
            st.issued_refresh.push(refresh.clone());
            Json(json!({
                "access_token": access,
                "expires_in": CODE_EXPIRES_IN,
                "refresh_token": refresh,
                "scope": SCOPE,
                "token_type": "Bearer",
            }))
            .into_response()
        }
        "refresh_token" => {
            if !st.refresh.contains(c.form("refresh_token")) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
            }
            let access = issue_access(st);
            Json(json!({
                "access_token": access,
                "expires_in": REFRESH_EXPIRES_IN,
                "scope": SCOPE,
                "token_type": "Bearer",
            }))
            .into_response()
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
    }
}

fn revoke(st: &mut Inner, c: &Call) -> Response {
    let token = c.form("token").to_owned();
    if st.refresh.remove(&token) {
        st.revoked.push(token);
        StatusCode::OK.into_response()
    } else {
        oauth_error(StatusCode::BAD_REQUEST, "invalid_token")
    }
}
