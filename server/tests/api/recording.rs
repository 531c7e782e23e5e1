//! Record and stream against the fake Google: adding an account through OAuth, the exact YouTube
//! calls of start, stop, rename and delete, token refresh, failures, retention and removal.

mod failing;
pub mod scene;
mod upkeep;

use std::time::Duration;

use app::crypto::SecretBox;
use reqwest::{StatusCode, Url};
use serde_json::{Value, json};

use self::scene::{accounts, bare_scene, callback, consent, lines, scene, scene_with};
use crate::fake_google::{CLIENT_ID, CLIENT_SECRET, SCOPE};

#[tokio::test]
async fn an_admin_connects_a_youtube_account_through_google_consent_and_no_token_is_stored_in_clear()
 {
    let sc = bare_scene(|_| {}).await;
    let back = consent(&sc, &sc.admin, "Main channel").await;
    let auth = sc.fake.take_calls();
    assert_eq!(lines(&auth), ["GET /auth"]);
    assert_eq!(auth[0].q("scope"), SCOPE);
    assert_eq!(auth[0].q("code_challenge_method"), "S256");
    let redirect_uri = format!("{}/admin/recording/oauth/callback", sc.app.base);
    assert_eq!(auth[0].q("redirect_uri"), redirect_uri);
    let u = Url::parse(&back).expect("location");
    assert!(back.starts_with(&redirect_uri), "{back}");
    let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
    assert!(q["code"].starts_with("4/fake-code"));
    assert_eq!(q["state"], auth[0].q("state"));

    assert_eq!(
        callback(&sc.admin, &back).await,
        "/admin/recording?oauth=added"
    );
    let token = sc.fake.take_calls();
    assert_eq!(lines(&token), ["POST /token"]);
    let t = &token[0];
    assert_eq!(t.form("grant_type"), "authorization_code");
    assert_eq!(t.form("code"), q["code"]);
    assert_eq!(t.form("redirect_uri"), redirect_uri);
    assert_eq!(t.form("client_id"), CLIENT_ID);
    assert_eq!(t.form("client_secret"), CLIENT_SECRET);
    assert!(t.form("code_verifier").len() >= 43);
    assert_eq!(
        t.status, 200,
        "the fake accepted the PKCE verifier: {}",
        t.answer
    );

    let page = sc.admin_page().await;
    let s = &page["settings"];
    assert_eq!(s["client_id"], CLIENT_ID);
    assert_eq!(s["has_secret"], true);
    assert_eq!(s["latency"], "Normal");
    assert_eq!(
        (s["made_for_kids"].clone(), s["round_robin"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(
        (s["retention_days"].clone(), s["purge_batch"].clone()),
        (json!(28), json!(10))
    );
    assert_eq!(s["redirect_uri"], redirect_uri);
    let a = &page["accounts"][0];
    assert_eq!(page["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(a["name"], "Main channel");
    assert_eq!(
        (a["in_use"].clone(), a["connected"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(a["failing_reason"], Value::Null);

    let stored = format!("{:?}", accounts(&sc.app.db).await);
    let secrets = [sc.fake.access_tokens(), sc.fake.refresh_tokens()].concat();
    assert_eq!(secrets.len(), 2);
    for secret in &secrets {
        assert!(
            !stored.contains(secret.as_str()),
            "{secret} stored in clear"
        );
    }
    let box_ = SecretBox::from_base64_key(&sc.key).unwrap();
    let row = &accounts(&sc.app.db).await[0];
    let refresh = box_
        .decrypt(row.refresh_token_enc.as_ref().unwrap())
        .unwrap();
    assert_eq!(refresh, sc.fake.refresh_tokens()[0], "encrypted, not lost");
}

#[tokio::test]
async fn a_callback_carrying_another_admin_sessions_state_is_refused_and_the_flow_is_single_use() {
    let sc = bare_scene(|_| {}).await;
    let intruder = sc.app.login_as("bea@uni.test", true).await;
    let back = consent(&sc, &sc.admin, "Main channel").await;
    sc.fake.take_calls();
    assert_eq!(
        callback(&intruder, &back).await,
        "/admin/recording?oauth=state"
    );
    assert!(
        sc.fake.take_calls().is_empty(),
        "no code exchange for a foreign state"
    );
    assert!(accounts(&sc.app.db).await.is_empty());

    assert_eq!(
        callback(&sc.admin, &back).await,
        "/admin/recording?oauth=added"
    );
    assert_eq!(
        callback(&sc.admin, &back).await,
        "/admin/recording?oauth=state"
    );
    assert_eq!(accounts(&sc.app.db).await.len(), 1);
}

#[tokio::test]
async fn starting_makes_exactly_the_documented_youtube_calls_and_stopping_makes_the_video_embeddable()
 {
    let sc = scene().await;
    let token = sc.fake.access_tokens()[0].clone();
    let (s, started) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{started}");
    let calls = sc.fake.take_calls();
    assert_eq!(
        lines(&calls),
        [
            "POST /liveBroadcasts",
            "POST /liveStreams",
            "POST /liveBroadcasts/bind"
        ]
    );
    assert!(
        calls
            .iter()
            .all(|c| c.bearer.as_deref() == Some(token.as_str()))
    );
    let (b, st, bind) = (&calls[0], &calls[1], &calls[2]);
    assert_eq!(b.q("part"), "snippet,status,contentDetails");
    assert_eq!(b.body["status"]["privacyStatus"], "unlisted");
    assert_eq!(b.body["status"]["selfDeclaredMadeForKids"], false);
    let cd = &b.body["contentDetails"];
    assert_eq!(cd["enableAutoStart"], true);
    assert_eq!(cd["enableAutoStop"], true);
    assert_eq!(cd["latencyPreference"], "normal");
    assert!(
        b.body["snippet"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Open day · ")
    );
    assert_eq!(st.q("part"), "snippet,cdn");
    assert_eq!(
        st.body["cdn"],
        json!({"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"})
    );
    let (bid, sid) = (
        b.answer["id"].as_str().unwrap(),
        st.answer["id"].as_str().unwrap(),
    );
    assert_eq!(bind.q("id"), bid);
    assert_eq!(bind.q("part"), "id,contentDetails");
    assert_eq!(bind.q("streamId"), sid);
    assert_eq!(bind.status, 200);
    assert_eq!(started["broadcast_id"], bid);
    assert_eq!(
        started["stream_key"],
        st.answer["cdn"]["ingestionInfo"]["streamName"]
    );

    let (s, busy) = sc.act(&sc.other_teacher, "recording/start", &[]).await;
    assert_eq!(
        (s, busy),
        (StatusCode::CONFLICT, json!({"RecordingBusy": "tom"}))
    );
    let (s, _) = sc.act(&sc.student, "recording/start", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(sc.fake.take_calls().is_empty());

    let status_before = sc.fake.video_part(bid, "status").unwrap();
    let (s, body) = sc.act(&sc.teacher, "recording/stop", &[]).await;
    assert_eq!(s, 200, "{body}");
    let calls = sc.fake.take_calls();
    assert_eq!(lines(&calls), ["GET /videos", "PUT /videos"]);
    assert_eq!(calls[0].q("part"), "status");
    assert_eq!(calls[0].q("id"), bid);
    assert_eq!(calls[1].q("part"), "status");
    let mut expected = status_before.clone();
    expected["embeddable"] = json!(true);
    assert_eq!(calls[1].body, json!({"id": bid, "status": expected}));
    assert_eq!(
        calls[1].body["status"]["license"], "creativeCommon",
        "the whole part"
    );
    assert_eq!(sc.fake.video_part(bid, "status"), Some(expected));

    let rows = sc.rows(&sc.student).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["id"], started["id"]);
    assert_eq!(rows[0]["author"], "tom");
    assert_eq!(rows[0]["live"], false);
    assert_eq!(
        rows[0]["embed_url"],
        format!("https://www.youtube-nocookie.com/embed/{bid}")
    );
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_and_the_call_retried() {
    let sc = scene().await;
    let before = accounts(&sc.app.db).await.remove(0);
    let (old, refresh) = (
        sc.fake.access_tokens()[0].clone(),
        sc.fake.refresh_tokens()[0].clone(),
    );
    sc.fake.expire_access_tokens();
    let (s, started) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{started}");
    let calls = sc.fake.take_calls();
    assert_eq!(
        lines(&calls),
        [
            "POST /liveBroadcasts",
            "POST /token",
            "POST /liveBroadcasts",
            "POST /liveStreams",
            "POST /liveBroadcasts/bind"
        ]
    );
    assert_eq!(
        (calls[0].status, calls[0].bearer.as_deref()),
        (401, Some(old.as_str()))
    );
    let t = &calls[1];
    assert_eq!(t.form("grant_type"), "refresh_token");
    assert_eq!(t.form("refresh_token"), refresh);
    assert_eq!(
        (t.form("client_id"), t.form("client_secret")),
        (CLIENT_ID, CLIENT_SECRET)
    );
    let new = sc.fake.access_tokens()[1].clone();
    assert_eq!(t.answer["access_token"], new.as_str());
    for c in &calls[2..] {
        assert_eq!((c.status, c.bearer.as_deref()), (200, Some(new.as_str())));
    }
    assert_eq!(calls[2].body, calls[0].body, "the same request, retried");

    let after = accounts(&sc.app.db).await.remove(0);
    assert_ne!(after.access_token_enc, before.access_token_enc);
    assert_ne!(after.expires_at, before.expires_at);
    assert_eq!(after.refresh_token_enc, before.refresh_token_enc);
    let box_ = SecretBox::from_base64_key(&sc.key).unwrap();
    assert_eq!(
        box_.decrypt(after.access_token_enc.as_ref().unwrap())
            .unwrap(),
        new
    );
    assert_eq!(after.failing_reason, None);
}

#[tokio::test]
async fn a_quota_error_answers_502_deletes_the_half_made_broadcast_and_releases_the_lock() {
    let sc = scene().await;
    sc.fake.fail_next("/liveStreams", 1, 403, "quotaExceeded");
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(
        (s, body),
        (StatusCode::BAD_GATEWAY, json!({"External": "YoutubeQuota"}))
    );
    let calls = sc.fake.take_calls();
    assert_eq!(
        lines(&calls),
        [
            "POST /liveBroadcasts",
            "POST /liveStreams",
            "DELETE /liveBroadcasts"
        ]
    );
    let bid = calls[0].answer["id"].as_str().unwrap();
    assert_eq!((calls[1].status, calls[2].status), (403, 204));
    assert_eq!(calls[2].q("id"), bid);
    assert!(!sc.fake.has_broadcast(bid));
    assert!(sc.rows(&sc.teacher).await.is_empty());

    let (s, body) = sc.act(&sc.other_teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "the lock was released: {body}");
    assert_eq!(sc.rows(&sc.teacher).await.len(), 1);
}

#[tokio::test]
async fn a_youtube_server_error_while_binding_deletes_the_broadcast_and_the_stream() {
    let sc = scene().await;
    sc.fake
        .fail_next("/liveBroadcasts/bind", 1, 503, "backendError");
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(
        (s, body),
        (
            StatusCode::BAD_GATEWAY,
            json!({"External": "YoutubeUnavailable"})
        )
    );
    let calls = sc.fake.take_calls();
    assert_eq!(
        lines(&calls),
        [
            "POST /liveBroadcasts",
            "POST /liveStreams",
            "POST /liveBroadcasts/bind",
            "DELETE /liveBroadcasts",
            "DELETE /liveStreams"
        ]
    );
    let (bid, sid) = (
        calls[0].answer["id"].as_str().unwrap(),
        calls[1].answer["id"].as_str().unwrap(),
    );
    assert_eq!((calls[3].q("id"), calls[4].q("id")), (bid, sid));
    assert!(!sc.fake.has_broadcast(bid) && !sc.fake.has_stream(sid));
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{body}");
}

#[tokio::test]
async fn a_youtube_call_that_never_answers_times_out_cleans_up_and_frees_the_switch() {
    let sc = scene_with(|c| c.google_timeout_secs = 1).await;
    sc.fake.hang_next("/liveStreams", 1);
    let t0 = std::time::Instant::now();
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(
        (s, body),
        (
            StatusCode::BAD_GATEWAY,
            json!({"External": "YoutubeTimeout"})
        )
    );
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
    let calls = sc.fake.take_calls();
    assert_eq!(
        lines(&calls),
        [
            "POST /liveBroadcasts",
            "POST /liveStreams",
            "DELETE /liveBroadcasts"
        ]
    );
    assert_eq!(calls[2].q("id"), calls[0].answer["id"].as_str().unwrap());
    let (s, body) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{body}");
}
