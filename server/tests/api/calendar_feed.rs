//! Each user's secret calendar feed: readable without a session, listing the course activities
//! they may see and the meetings they own, co-own or were invited to; resettable; and nobody
//! else's.

use app::entities::{activity, user};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::{
    helpers::{ActivityForm, Client, now},
    meeting_invitations::{Scene, capture, expected_meeting, lines_of, scene, unfold},
};

/// The caller's feed URL, as the profile page shows it.
async fn feed_url(who: &Client) -> String {
    let (s, link) = who.call("profile/feed", &[]).await;
    assert_eq!(s, 200, "{link}");
    link["url"].as_str().expect("url").to_owned()
}

/// GETs a feed as a calendar app does: no cookies. Returns (status, content type, cache, body).
async fn fetch(url: &str) -> (StatusCode, String, String, String) {
    let res = reqwest::get(url).await.expect("request");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (ctype, cache) = (header("content-type"), header("cache-control"));
    (res.status(), ctype, cache, res.text().await.expect("body"))
}

/// Olive's course activity (tomorrow, for an hour) and her weekly seminar.
async fn olives_sessions(sc: &Scene) -> (activity::Model, String, String) {
    let opens = now() + 86_400;
    let (s, a) = sc
        .olive
        .create_activity(
            sc.course,
            ActivityForm {
                opens,
                closes: opens + 3600,
                ..ActivityForm::open_now("Optics lab")
            },
        )
        .await;
    assert_eq!(s, 200, "{a}");
    let a = activity::Entity::find_by_id(a.as_i64().expect("id") as i32)
        .one(&sc.app.db)
        .await
        .expect("db")
        .expect("activity");
    let (id, public_id) = sc.seminar(&[]).await;
    (a, id, public_id)
}

fn uids(ics: &str) -> Vec<String> {
    unfold(ics)
        .into_iter()
        .filter_map(|l| l.strip_prefix("UID:").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_feed_lists_course_activities_and_owned_meetings_without_a_session() {
    let sc = scene(false).await;
    let (a, id, public_id) = olives_sessions(&sc).await;
    let url = feed_url(&sc.olive).await;
    assert!(url.starts_with(&format!("{}/calendar/feed/", sc.app.base)) && url.ends_with(".ics"));
    assert_eq!(
        feed_url(&sc.olive).await,
        url,
        "the same URL until it is reset"
    );

    let (s, ctype, cache, ics) = fetch(&url).await;
    assert_eq!(s, 200, "{ics}");
    assert_eq!(ctype, "text/calendar; charset=utf-8");
    assert!(cache.starts_with("private"), "{cache}");
    lines_of(&ics);
    let lines = unfold(&ics);
    assert!(
        !lines.iter().any(|l| l.starts_with("METHOD:")),
        "a feed is published, not sent"
    );
    assert!(lines.iter().any(|l| l == "SUMMARY:Optics lab"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE"))
    );
    assert!(lines.iter().any(|l| l == "BEGIN:VTIMEZONE"));
    assert!(
        !ics.contains("owl-2231"),
        "a feed never holds the access code"
    );
    let host = sc.app.base.trim_start_matches("http://");
    let (activity_uid, meeting_uid) = (
        format!("activity-{}@{host}", a.id),
        format!("meeting-{public_id}@{host}"),
    );
    assert_eq!(uids(&ics), [activity_uid.clone(), meeting_uid.clone()]);

    // Without the `.ics` suffix too.
    let (s, _, _, same) = fetch(url.trim_end_matches(".ics")).await;
    assert_eq!(s, 200);
    assert_eq!(uids(&same), uids(&ics));

    let m = sc.row(&id).await;
    capture(
        "captured-feed",
        None,
        &ics,
        json!({
            activity_uid: {
                "occurrences": [a.opens_at],
                "duration": a.closes_at - a.opens_at,
                "summary": a.name,
                "tz": "UTC",
            },
            meeting_uid: expected_meeting(&m),
        }),
    );
}

#[tokio::test]
async fn resetting_the_feed_retires_the_old_url_at_once() {
    let sc = scene(false).await;
    olives_sessions(&sc).await;
    let old = feed_url(&sc.olive).await;
    assert_eq!(fetch(&old).await.0, 200);
    let (s, fresh) = sc.olive.call("profile/feed/reset", &[]).await;
    assert_eq!(s, 200, "{fresh}");
    let fresh = fresh["url"].as_str().expect("url").to_owned();
    assert_ne!(fresh, old);
    let (s, _, _, body) = fetch(&old).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body, "Not found");
    assert_eq!(fetch(&fresh).await.0, 200);
    assert_eq!(feed_url(&sc.olive).await, fresh);
}

#[tokio::test]
async fn another_users_feed_never_shows_this_users_sessions() {
    let mut sc = scene(true).await;
    let (a, id, public_id) = olives_sessions(&sc).await;
    let host = sc.app.base.trim_start_matches("http://").to_owned();
    let meeting_uid = format!("meeting-{public_id}@{host}");

    // Eve is in no course and invited to nothing: an empty calendar.
    let eve = feed_url(&sc.eve).await;
    assert_ne!(eve, feed_url(&sc.olive).await);
    let (s, _, _, ics) = fetch(&eve).await;
    assert_eq!(s, 200);
    assert_eq!(uids(&ics), Vec::<String>::new());

    // Uma, a student of the course, sees its activity but not Olive's meeting…
    let uma = sc.app.client();
    let (s, body) = uma
        .call(
            "auth/login",
            &[
                ("email", "uma@uni.test"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let uma_url = feed_url(&uma).await;
    assert_eq!(
        uids(&fetch(&uma_url).await.3),
        [format!("activity-{}@{host}", a.id)]
    );
    // … until Olive invites her address.
    let (s, report) = sc.invite(&sc.olive, &id, "Uma@Uni.test").await;
    assert_eq!(s, 200, "{report}");
    sc.mails(1).await;
    let uids_now = uids(&fetch(&uma_url).await.3);
    assert!(uids_now.contains(&meeting_uid), "{uids_now:?}");
    assert!(!uids(&fetch(&eve).await.3).contains(&meeting_uid));
}

#[tokio::test]
async fn unknown_tokens_and_disabled_accounts_answer_404_and_guessing_is_slowed_down() {
    let sc = scene(false).await;
    let url = feed_url(&sc.olive).await;
    user::Entity::update_many()
        .col_expr(
            user::Column::Disabled,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(user::Column::Email.eq("olive@uni.test"))
        .exec(&sc.app.db)
        .await
        .expect("disable");
    assert_eq!(fetch(&url).await.0, StatusCode::NOT_FOUND);

    let base = format!("{}/calendar/feed", sc.app.base);
    let made_up = "A".repeat(43);
    for path in ["nothing", "x.ics", made_up.as_str()] {
        let (s, _, _, body) = fetch(&format!("{base}/{path}")).await;
        assert_eq!(
            (s, body.as_str()),
            (StatusCode::NOT_FOUND, "Not found"),
            "{path}"
        );
    }
    let mut last = StatusCode::OK;
    for i in 0..70 {
        last = fetch(&format!("{base}/guess-{i}")).await.0;
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "misses from one address are limited"
    );
}

#[tokio::test]
async fn a_valid_feed_is_served_even_after_its_address_used_up_the_misses() {
    let sc = scene(false).await;
    let url = feed_url(&sc.olive).await;
    let base = format!("{}/calendar/feed", sc.app.base);
    let mut statuses = Vec::new();
    for i in 0..65 {
        statuses.push(fetch(&format!("{base}/guess-{i}")).await.0);
    }
    assert_eq!(statuses[0], StatusCode::NOT_FOUND);
    assert_eq!(
        statuses[64],
        StatusCode::TOO_MANY_REQUESTS,
        "misses are limited"
    );
    // The same address (a calendar service fetching for many people) keeps its valid feeds.
    for _ in 0..3 {
        assert_eq!(fetch(&url).await.0, StatusCode::OK);
    }
}
