//! Meetings outside courses: the personal room, and the form with its field errors. Co-owners and
//! who may change what are in `meetings_owners.rs`, joining in `meetings_join.rs`; they share the
//! scene built here.

use app::{capabilities::CourseRole, entities::meeting};
use bbb::checksum::ChecksumAlgo;
use bbb::fake::MockBbb;
use chrono::Datelike;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::{Client, TestApp, local, now, spawn_app};

const SECRET: &str = "meetings-bbb-secret";

pub struct Scene {
    pub app: TestApp,
    pub mock: MockBbb,
    pub api: String,
    pub admin: Client,
    /// Owns the meetings.
    pub olive: Client,
    /// Made co-owner in some tests.
    pub colin: Client,
    /// Another signed-in user, a member of the course.
    pub uma: Client,
    /// Signed in, in no course.
    pub eve: Client,
    pub course: i32,
    pub server: String,
}

pub async fn scene() -> Scene {
    let sc = bare_scene().await;
    let server = sc
        .admin
        .register_bbb("Campus BBB", &sc.api, SECRET, "sha256")
        .await;
    Scene { server, ..sc }
}

/// Everyone, but no BigBlueButton server registered yet.
pub async fn bare_scene() -> Scene {
    let (mock, api) = crate::helpers::spawn_mock_bbb(SECRET, &ChecksumAlgo::ALL).await;
    let app = spawn_app().await;
    let admin = app.login_as("root@uni.test", true).await;
    let olive = app.login_as("olive@uni.test", false).await;
    let colin = app.login_as("colin@uni.test", false).await;
    let uma = app.login_as("uma@uni.test", false).await;
    let eve = app.login_as("eve@uni.test", false).await;
    let course = app
        .course_with(
            "M1",
            &[
                ("olive@uni.test", CourseRole::EditingTeacher),
                ("uma@uni.test", CourseRole::Student),
            ],
        )
        .await;
    Scene {
        app,
        mock,
        api,
        admin,
        olive,
        colin,
        uma,
        eve,
        course,
        server: String::new(),
    }
}

impl Scene {
    /// The create form as an owner fills it in: in an hour, for an hour, anyone with the link.
    pub fn form<'a>(
        &'a self,
        name: &'a str,
        extra: &[(&'a str, &'a str)],
    ) -> Vec<(&'a str, String)> {
        let mut f: Vec<(&str, String)> = vec![
            ("name", name.into()),
            ("welcome", "Welcome to the defence".into()),
            ("starts_at", local(now() + 3600)),
            ("duration_minutes", "60".into()),
            ("access", "link".into()),
            ("server_id", self.server.clone()),
            ("allow_start_stop_recording", "on".into()),
        ];
        // An extra field replaces the default of that name; repeated ones (`weekdays[]`) add up.
        f.retain(|(key, _)| !extra.iter().any(|(k, _)| k == key));
        f.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        f
    }

    pub async fn create(&self, who: &Client, form: Vec<(&str, String)>) -> (StatusCode, Value) {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        who.call("meetings/create", &pairs).await
    }

    /// A meeting owned by Olive; returns (id, public_id).
    pub async fn meeting(&self, extra: &[(&str, &str)]) -> (String, String) {
        let (s, id) = self
            .create(&self.olive, self.form("Thesis defence", extra))
            .await;
        assert_eq!(s, 200, "{id}");
        let id = id.to_string();
        let (s, form) = self
            .olive
            .call("meetings/form", &[("meeting_id", &id)])
            .await;
        assert_eq!(s, 200, "{form}");
        let public_id = form["public_id"].as_str().expect("public id").to_owned();
        (id, public_id)
    }

    pub async fn update(
        &self,
        who: &Client,
        id: &str,
        form: Vec<(&str, String)>,
    ) -> (StatusCode, Value) {
        let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.push(("meeting_id", id));
        who.call("meetings/update", &pairs).await
    }

    /// Olive invites the address to co-own the meeting.
    pub async fn invite_co_owner(&self, id: &str, email: &str) -> (StatusCode, Value) {
        self.olive
            .call(
                "meetings/co-owners/add",
                &[("meeting_id", id), ("email", email)],
            )
            .await
    }

    /// The invitations `who` has waiting on "My meetings".
    pub async fn offers(&self, who: &Client) -> Vec<Value> {
        let (s, list) = who.call("meetings/list", &[]).await;
        assert_eq!(s, 200, "{list}");
        list["offers"].as_array().cloned().unwrap_or_default()
    }

    /// Olive invites Colin, who accepts: he is then a co-owner.
    pub async fn make_colin_co_owner(&self, id: &str) {
        let (s, rows) = self.invite_co_owner(id, "colin@uni.test").await;
        assert_eq!(s, 200, "{rows}");
        let offers = self.offers(&self.colin).await;
        let invitation = offers[0]["invitation_id"].to_string();
        let (s, e) = self
            .colin
            .call(
                "meetings/co-owners/accept",
                &[("invitation_id", &invitation)],
            )
            .await;
        assert_eq!(s, 200, "{e}");
    }

    /// Sets up Olive's personal room (the button on "My meetings") and returns its id.
    pub async fn personal_room(&self) -> String {
        let (s, e) = self.olive.call("meetings/personal/create", &[]).await;
        assert_eq!(s, 200, "{e}");
        let (_, list) = self.olive.call("meetings/list", &[]).await;
        list["rows"][0]["id"].to_string()
    }
}

pub fn fields_of(e: &Value) -> Vec<String> {
    e["Invalid"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn listing_meetings_writes_nothing_and_the_personal_room_is_made_when_asked_and_only_once() {
    let sc = scene().await;
    let (s, before) = sc.olive.call("meetings/list", &[]).await;
    assert_eq!(s, 200, "{before}");
    assert_eq!(before["bbb_ready"], true);
    assert_eq!(before["rows"].as_array().map(Vec::len), Some(0), "{before}");
    let (s, page) = sc.olive.get("/meetings").await;
    assert_eq!(s, 200);
    assert!(
        page.contains("personal-room-setup"),
        "the page offers the button"
    );
    let count = || {
        meeting::Entity::find()
            .filter(meeting::Column::IsPersonal.eq(true))
            .count(&sc.app.db)
    };
    assert_eq!(count().await.expect("count"), 0, "a GET made nothing");

    for _ in 0..2 {
        let (s, e) = sc.olive.call("meetings/personal/create", &[]).await;
        assert_eq!(s, 200, "{e}");
    }
    let (_, first) = sc.olive.call("meetings/list", &[]).await;
    let rows = first["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{first}");
    assert_eq!(rows[0]["is_personal"], true);
    let url = rows[0]["url"].as_str().expect("url");
    let public_id = rows[0]["public_id"].as_str().expect("public id");
    assert_eq!(public_id.len(), 16);
    assert!(url.ends_with(&format!("/m/{public_id}")), "{url}");

    let (_, again) = sc.olive.call("meetings/list", &[]).await;
    assert_eq!(again["rows"][0]["public_id"], public_id);
    assert_eq!(count().await.expect("count"), 1);
}

#[tokio::test]
async fn the_personal_room_cannot_be_deleted_or_renamed() {
    let sc = scene().await;
    let id = sc.personal_room().await;
    let (s, e) = sc
        .olive
        .call("meetings/delete", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");

    let (s, e) = sc
        .update(&sc.olive, &id, sc.form("Renamed", &[("access", "users")]))
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, form) = sc.olive.call("meetings/form", &[("meeting_id", &id)]).await;
    assert_eq!(form["is_personal"], true);
    assert_eq!(form["name"], "Personal room");
    assert_eq!(form["access"], "Users");
}

#[tokio::test]
async fn without_a_bbb_server_there_are_no_meetings_to_make() {
    let sc = bare_scene().await;
    let (s, list) = sc.olive.call("meetings/list", &[]).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["bbb_ready"], false);
    assert_eq!(list["rows"].as_array().map(Vec::len), Some(0));
    let (s, e) = sc
        .create(&sc.olive, sc.form("Defence", &[("server_id", "1")]))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e.to_string().contains("NotConfigured"), "{e}");
}

#[tokio::test]
async fn a_meeting_is_created_edited_and_deleted() {
    let sc = scene().await;
    let (id, public_id) = sc
        .meeting(&[("access_code", "4711"), ("guest_policy", "ASK_MODERATOR")])
        .await;
    let (_, form) = sc.olive.call("meetings/form", &[("meeting_id", &id)]).await;
    assert_eq!(form["name"], "Thesis defence");
    assert_eq!(form["access_code"], "4711");
    assert_eq!(form["guest_policy"], "AskModerator");
    assert_eq!(form["time_zone"], "UTC");

    let (s, e) = sc
        .update(&sc.olive, &id, sc.form("Thesis defence (room 2)", &[]))
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, list) = sc.olive.call("meetings/list", &[]).await;
    let row = list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["public_id"] == public_id.as_str())
        .cloned()
        .expect("listed");
    assert_eq!(row["name"], "Thesis defence (room 2)");
    assert!(row["next_session"].is_string(), "{row}");

    let (s, _) = sc
        .olive
        .call("meetings/delete", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, 200);
    let (s, _) = sc.olive.call("meetings/form", &[("meeting_id", &id)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = sc
        .app
        .client()
        .call("meetings/page", &[("public_id", &public_id)])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_meeting_forms_are_refused_field_by_field() {
    let sc = scene().await;
    let (s, e) = sc
        .create(
            &sc.olive,
            sc.form(
                "A",
                &[
                    ("starts_at", "next tuesday"),
                    ("duration_minutes", "721"),
                    ("max_duration_minutes", "2000"),
                    ("access_code", "12"),
                    ("auto_start_recording", "on"),
                    ("frequency", "weekly"),
                    ("ends", "count"),
                    ("count", "0"),
                ],
            ),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let fields = fields_of(&e);
    for f in [
        "name",
        "starts_at",
        "duration_minutes",
        "max_duration_minutes",
        "access_code",
        "auto_start_recording",
        "weekdays",
        "count",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing in {e}");
    }
    let (s, e) = sc
        .create(
            &sc.olive,
            sc.form("Course meeting", &[("access", "courses")]),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields_of(&e), ["course_ids"]);
    let (s, e) = sc
        .create(&sc.olive, sc.form("Wrong server", &[("server_id", "1")]))
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields_of(&e), ["server_id"]);
}

#[tokio::test]
async fn a_weekly_series_keeps_its_rule_and_lists_its_next_session() {
    let sc = scene().await;
    // Next Monday 09:00 UTC, then Mondays and Wednesdays, ten sessions.
    let today = chrono::Utc::now().date_naive();
    let monday = today + chrono::Days::new(u64::from(7 - today.weekday().num_days_from_monday()));
    let start = format!("{monday}T09:00");
    let (s, id) = sc
        .create(
            &sc.olive,
            sc.form(
                "Seminar",
                &[
                    ("starts_at", &start),
                    ("frequency", "weekly"),
                    ("interval", "1"),
                    ("weekdays[]", "1"),
                    ("weekdays[]", "3"),
                    ("ends", "count"),
                    ("count", "10"),
                ],
            ),
        )
        .await;
    assert_eq!(s, 200, "{id}");
    let (_, form) = sc
        .olive
        .call("meetings/form", &[("meeting_id", &id.to_string())])
        .await;
    assert_eq!(form["recurrence"]["frequency"], "weekly");
    assert_eq!(form["recurrence"]["weekdays"], serde_json::json!([1, 3]));
    assert_eq!(form["recurrence"]["count"], "10");
    let (_, list) = sc.olive.call("meetings/list", &[]).await;
    let row = &list["rows"][0];
    assert_eq!(row["recurring"], true);
    assert_eq!(row["next_session"], format!("{monday} 09:00"));
}
