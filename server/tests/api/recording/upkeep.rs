//! After the recording: renaming, hiding and deleting it, the retention job, and removing the
//! account that owns it.

use app::{entities::recording, recording::ssr::retention};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

use super::scene::{Job, Scene, accounts, lines, save_settings, scene};
use crate::{fake_google::Call, helpers::now};

#[tokio::test]
async fn renaming_sends_the_whole_snippet_hiding_is_aula_only_and_deleting_makes_the_video_private()
{
    let sc = scene().await;
    let (rid, vid) = sc.record_once().await;
    let snippet = sc.fake.video_part(&vid, "snippet").unwrap();
    let renamed = [
        ("recording_id", rid.as_str()),
        ("title", "  Week 3: waves "),
    ];
    let (s, body) = sc.act(&sc.teacher, "recording/rename", &renamed).await;
    assert_eq!(s, 200, "{body}");
    let calls = sc.fake.take_calls();
    assert_eq!(lines(&calls), ["GET /videos", "PUT /videos"]);
    assert_eq!(
        (calls[0].q("part"), calls[0].q("id")),
        ("snippet", vid.as_str())
    );
    assert_eq!(calls[1].q("part"), "snippet");
    let mut expected = snippet.clone();
    expected["title"] = json!("Week 3: waves");
    assert_eq!(calls[1].body, json!({"id": vid, "snippet": expected}));
    assert_eq!(calls[1].status, 200, "{}", calls[1].answer);
    assert_eq!(sc.rows(&sc.student).await[0]["title"], "Week 3: waves");

    let hide = [("recording_id", rid.as_str()), ("visible", "false")];
    let (s, body) = sc.act(&sc.teacher, "recording/visibility", &hide).await;
    assert_eq!(s, 200, "{body}");
    assert!(sc.fake.take_calls().is_empty(), "hiding stays in Aula");
    assert!(sc.rows(&sc.student).await.is_empty());
    let rows = sc.rows(&sc.teacher).await;
    assert_eq!((rows.len(), rows[0]["visible"].clone()), (1, json!(false)));

    let status = sc.fake.video_part(&vid, "status").unwrap();
    let (s, body) = sc
        .act(
            &sc.teacher,
            "recording/delete",
            &[("recording_id", rid.as_str())],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let calls = sc.fake.take_calls();
    assert_eq!(lines(&calls), ["GET /videos", "PUT /videos"]);
    assert_eq!(
        (calls[0].q("part"), calls[1].q("part")),
        ("status", "status")
    );
    let mut expected = status.clone();
    expected["privacyStatus"] = json!("private");
    assert_eq!(calls[1].body, json!({"id": vid, "status": expected}));
    assert!(sc.rows(&sc.teacher).await.is_empty());
    let queue = &sc.admin_page().await["queue"];
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue[0]["id"].to_string(), rid);
    assert_eq!(queue[0]["title"], "Week 3: waves");
    assert_eq!(queue[0]["overdue"], false);
}

async fn insert_marked(sc: &Scene, account: i32, video: &str, marked_days_ago: Option<i64>) -> i32 {
    sc.fake.add_video(video, video);
    let t = now();
    recording::ActiveModel {
        activity_id: Set(None),
        account_id: Set(account),
        author_id: Set(None),
        broadcast_id: Set(Some(video.to_owned())),
        stream_id: Set(None),
        title: Set(video.to_owned()),
        status: Set("ended".into()),
        embeddable: Set(1),
        visible: Set(true),
        created_at: Set(t - 90 * 86_400),
        ended_at: Set(Some(t - 90 * 86_400)),
        delete_marked_at: Set(marked_days_ago.map(|d| t - d * 86_400)),
        purged_at: Set(None),
        ..Default::default()
    }
    .insert(&sc.app.db)
    .await
    .expect("recording")
    .id
}

fn deleted_videos(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.line() == "DELETE /videos")
        .map(|c| c.q("id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_retention_job_deletes_due_videos_oldest_mark_first_in_batches_and_never_twice() {
    let sc = scene().await;
    save_settings(&sc.admin, "2").await;
    let account = accounts(&sc.app.db).await[0].id;
    // Inserted out of order: the job follows the deletion mark, not the id.
    let mid = insert_marked(&sc, account, "vid-mid", Some(35)).await;
    let old = insert_marked(&sc, account, "vid-old", Some(40)).await;
    let late = insert_marked(&sc, account, "vid-late", Some(29)).await;
    insert_marked(&sc, account, "vid-recent", Some(27)).await;
    insert_marked(&sc, account, "vid-kept", None).await;
    let job = Job::new(&sc);
    let ctx = job.ctx(&sc);

    let r = retention::run(&ctx, "holder-a").await.unwrap();
    assert!(r.ran);
    assert_eq!(r.deleted, [old, mid], "oldest mark first, two per run");
    assert_eq!(
        deleted_videos(&sc.fake.take_calls()),
        ["vid-old", "vid-mid"]
    );

    sc.fake.fail_next("/videos", 1, 503, "backendError");
    let r = retention::run(&ctx, "holder-a").await.unwrap();
    assert_eq!((r.deleted.len(), r.failed.clone()), (0, vec![late]));
    sc.fake.take_calls();
    let r = retention::run(&ctx, "holder-a").await.unwrap();
    assert_eq!(
        r.deleted,
        [late],
        "a failed deletion is retried on the next run"
    );
    assert_eq!(deleted_videos(&sc.fake.take_calls()), ["vid-late"]);
    let r = retention::run(&ctx, "holder-a").await.unwrap();
    assert!(r.ran && r.deleted.is_empty() && r.failed.is_empty());
    assert!(sc.fake.take_calls().is_empty());
    assert!(sc.fake.has_video("vid-recent") && sc.fake.has_video("vid-kept"));
    let rows = recording::Entity::find().all(&sc.app.db).await.unwrap();
    let purged: Vec<_> = rows
        .iter()
        .filter(|r| r.purged_at.is_some())
        .map(|r| r.id)
        .collect();
    assert_eq!(purged.len(), 3, "{purged:?}");
    assert!([old, mid, late].iter().all(|id| purged.contains(id)));

    // Concurrent runners: other holders meet the lease; the same holder twice meets the claims.
    save_settings(&sc.admin, "10").await;
    let mut due = Vec::new();
    let mut reported = Vec::new();
    for (round, (a, b)) in [("holder-a", "holder-b"), ("holder-c", "holder-c")]
        .into_iter()
        .enumerate()
    {
        for i in 0..4 {
            let video = format!("vid-race-{round}-{i}");
            due.push(insert_marked(&sc, account, &video, Some(30 + i)).await);
        }
        let (ra, rb) = tokio::join!(retention::run(&ctx, a), retention::run(&ctx, b));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        if a == b {
            assert!(
                ra.ran && rb.ran,
                "one holder renews its own lease: both run"
            );
        } else {
            assert!(
                ra.ran != rb.ran,
                "the lease lets one of them run: {ra:?} {rb:?}"
            );
        }
        reported.extend(ra.deleted);
        reported.extend(rb.deleted);
    }
    let deleted = deleted_videos(&sc.fake.take_calls());
    for round in 0..2 {
        for i in 0..4 {
            let id = format!("vid-race-{round}-{i}");
            let n = deleted.iter().filter(|v| **v == id).count();
            assert_eq!(n, 1, "{id} deleted {n} times");
            assert!(!sc.fake.has_video(&id));
        }
    }
    reported.sort_unstable();
    assert_eq!(reported, due, "each reported deleted exactly once");
}

#[tokio::test]
async fn an_account_owning_recordings_cannot_be_removed_until_they_are_purged_then_its_token_is_revoked()
 {
    let sc = scene().await;
    let (rid, vid) = sc.record_once().await;
    let account = accounts(&sc.app.db).await[0].id.to_string();
    let remove = [("action", "remove"), ("id", account.as_str())];
    let (s, body) = sc.admin.call("admin/recording/act", &remove).await;
    assert_eq!(
        (s, body),
        (StatusCode::CONFLICT, json!({"Conflict": "InUse"}))
    );
    assert!(sc.fake.take_calls().is_empty());

    let (s, body) = sc
        .act(
            &sc.teacher,
            "recording/delete",
            &[("recording_id", rid.as_str())],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    sc.fake.take_calls();
    let purge = [("action", "purge"), ("id", rid.as_str())];
    let (s, body) = sc.admin.call("admin/recording/act", &purge).await;
    assert_eq!(s, 200, "{body}");
    let calls = sc.fake.take_calls();
    assert_eq!(lines(&calls), ["DELETE /videos"]);
    assert_eq!((calls[0].q("id"), calls[0].status), (vid.as_str(), 204));

    let (s, body) = sc.admin.call("admin/recording/act", &remove).await;
    assert_eq!(s, 200, "{body}");
    let calls = sc.fake.take_calls();
    assert_eq!(lines(&calls), ["POST /revoke"]);
    let refresh = sc.fake.refresh_tokens()[0].clone();
    assert_eq!(calls[0].form("token"), refresh);
    assert_eq!(calls[0].status, 200);
    assert_eq!(sc.fake.revoked(), [refresh]);
    assert!(accounts(&sc.app.db).await.is_empty());
    assert_eq!(sc.admin_page().await["accounts"], json!([]));
}

#[tokio::test]
async fn a_video_youtube_would_not_make_embeddable_at_stop_is_retried_by_the_job() {
    let sc = scene().await;
    let (s, started) = sc.act(&sc.teacher, "recording/start", &[]).await;
    assert_eq!(s, 200, "{started}");
    let vid = started["broadcast_id"].as_str().unwrap().to_owned();
    sc.fake.fail_next("/videos", 1, 503, "backendError");
    let (s, body) = sc.act(&sc.teacher, "recording/stop", &[]).await;
    assert_eq!(s, 200, "stopping never fails on YouTube's account: {body}");
    assert_eq!(
        sc.fake.video_part(&vid, "status").unwrap()["embeddable"],
        false
    );
    let rec = recording::Entity::find()
        .one(&sc.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rec.embeddable, -1);

    let job = Job::new(&sc);
    let ctx = job.ctx(&sc);
    let r = retention::run(&ctx, "holder-a").await.unwrap();
    assert_eq!(r.embedded, [rec.id]);
    assert_eq!(
        sc.fake.video_part(&vid, "status").unwrap()["embeddable"],
        true
    );
    let again = retention::run(&ctx, "holder-a").await.unwrap();
    assert!(again.embedded.is_empty(), "done once");
}
