//! The YouTube Data API v3 side of the fake (`fake_google` checks the bearer token first):
//! liveBroadcasts insert/bind/delete, liveStreams insert/delete, and videos list/update/delete.
//! A broadcast's video has the broadcast's id, as on YouTube.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use crate::fake_google::{Call, Inner, google_error};

/// A new video's parts, with the read-only and defaulted fields YouTube returns, so a test can
/// tell whether Aula sent the whole part back or only the field it changed.
pub fn new_video_parts(title: &str, privacy: &str, kids: bool) -> Map<String, Value> {
    let mut parts = Map::new();
    parts.insert(
        "status".into(),
        json!({
            "uploadStatus": "uploaded",
            "privacyStatus": privacy,
            "license": "creativeCommon",
            "embeddable": false,
            "publicStatsViewable": false,
            "madeForKids": kids,
            "selfDeclaredMadeForKids": kids,
        }),
    );
    parts.insert(
        "snippet".into(),
        json!({
            "channelId": "UCfakechannel",
            "title": title,
            "description": "Kept by the fake: Aula must send it back",
            "tags": ["aula", "lecture"],
            "categoryId": "27",
            "defaultLanguage": "en",
            "liveBroadcastContent": "upcoming",
        }),
    );
    parts
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub fn answer(st: &mut Inner, c: &Call) -> Response {
    match (c.method.as_str(), c.path.as_str()) {
        ("POST", "/liveBroadcasts") => insert_broadcast(st, c),
        ("POST", "/liveStreams") => insert_stream(st, c),
        ("POST", "/liveBroadcasts/bind") => bind(st, c),
        ("DELETE", "/liveBroadcasts") => {
            if st.broadcasts.remove(c.q("id")).is_none() {
                return google_error(404, "liveBroadcastNotFound");
            }
            st.videos.remove(c.q("id"));
            StatusCode::NO_CONTENT.into_response()
        }
        ("DELETE", "/liveStreams") => {
            if st.streams.remove(c.q("id")).is_none() {
                return google_error(404, "liveStreamNotFound");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        ("GET", "/videos") => list_videos(st, c),
        ("PUT", "/videos") => update_video(st, c),
        ("DELETE", "/videos") => {
            if st.videos.remove(c.q("id")).is_none() {
                return google_error(404, "videoNotFound");
            }
            st.broadcasts.remove(c.q("id"));
            StatusCode::NO_CONTENT.into_response()
        }
        _ => google_error(404, "notFound"),
    }
}

fn insert_broadcast(st: &mut Inner, c: &Call) -> Response {
    let b = &c.body;
    let title = str_at(b, "/snippet/title");
    let privacy = str_at(b, "/status/privacyStatus");
    if c.q("part").is_empty() {
        return google_error(400, "partRequired");
    }
    if title.is_empty() || str_at(b, "/snippet/scheduledStartTime").is_empty() {
        return google_error(400, "invalidValue");
    }
    if !["private", "unlisted", "public"].contains(&privacy) {
        return google_error(400, "invalidPrivacyStatus");
    }
    let id = format!("bcast{:06}", st.next());
    let kids = b
        .pointer("/status/selfDeclaredMadeForKids")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    st.videos
        .insert(id.clone(), new_video_parts(title, privacy, kids));
    let resource = json!({
        "kind": "youtube#liveBroadcast",
        "id": id,
        "snippet": b["snippet"],
        "status": {"lifeCycleStatus": "created", "privacyStatus": privacy},
        "contentDetails": b["contentDetails"],
    });
    st.broadcasts.insert(id, resource.clone());
    Json(resource).into_response()
}

fn insert_stream(st: &mut Inner, c: &Call) -> Response {
    let b = &c.body;
    if c.q("part").is_empty() {
        return google_error(400, "partRequired");
    }
    if str_at(b, "/snippet/title").is_empty() || str_at(b, "/cdn/ingestionType").is_empty() {
        return google_error(400, "invalidValue");
    }
    let n = st.next();
    let id = format!("strm{n:06}");
    let mut cdn = b["cdn"].clone();
    cdn["ingestionInfo"] = json!({
        "streamName": format!("key-{n}-abcd-efgh"),
        "ingestionAddress": "rtmp://a.rtmp.youtube.com/live2",
        "backupIngestionAddress": "rtmp://b.rtmp.youtube.com/live2?backup=1",
    });
    let resource = json!({
        "kind": "youtube#liveStream",
        "id": id,
        "snippet": b["snippet"],
        "cdn": cdn,
    });
    st.streams.insert(id, resource.clone());
    Json(resource).into_response()
}

fn bind(st: &mut Inner, c: &Call) -> Response {
    if c.q("part").is_empty() {
        return google_error(400, "partRequired");
    }
    if !st.streams.contains_key(c.q("streamId")) {
        return google_error(404, "liveStreamNotFound");
    }
    let Some(b) = st.broadcasts.get_mut(c.q("id")) else {
        return google_error(404, "liveBroadcastNotFound");
    };
    b["contentDetails"]["boundStreamId"] = c.q("streamId").into();
    Json(b.clone()).into_response()
}

fn list_videos(st: &Inner, c: &Call) -> Response {
    let parts: Vec<&str> = c.q("part").split(',').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return google_error(400, "partRequired");
    }
    let items: Vec<Value> = st
        .videos
        .get(c.q("id"))
        .map(|v| {
            let mut item = json!({"kind": "youtube#video", "id": c.q("id")});
            for p in &parts {
                if let Some(value) = v.get(*p) {
                    item[*p] = value.clone();
                }
            }
            item
        })
        .into_iter()
        .collect();
    Json(json!({"kind": "youtube#videoListResponse", "items": items})).into_response()
}

/// `videos.update` replaces the part it is sent with exactly what was sent.
fn update_video(st: &mut Inner, c: &Call) -> Response {
    let part = c.q("part");
    if !matches!(part, "status" | "snippet") {
        return google_error(400, "invalidPart");
    }
    let id = str_at(&c.body, "/id").to_owned();
    let Some(value) = c.body.get(part).filter(|v| v.is_object()).cloned() else {
        return google_error(400, "invalidValue");
    };
    if part == "snippet" {
        if str_at(&value, "/title").is_empty() {
            return google_error(400, "invalidTitle");
        }
        if str_at(&value, "/categoryId").is_empty() {
            return google_error(400, "invalidCategoryId");
        }
    }
    let Some(video) = st.videos.get_mut(&id) else {
        return google_error(404, "videoNotFound");
    };
    video.insert(part.to_owned(), value.clone());
    Json(json!({"kind": "youtube#video", "id": id, part: value})).into_response()
}
