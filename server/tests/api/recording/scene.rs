//! The recording tests' setting: an app wired to the fake Google, people, an activity, and
//! the steps of connecting an account.

use std::time::Duration;

use app::{
    capabilities::CourseRole,
    crypto::SecretBox,
    entities::youtube_account,
    recording::google::{Google, GoogleConfig},
};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::Value;
use server::config::Config;

use crate::{
    fake_google::{CLIENT_ID, CLIENT_SECRET, Call, FakeGoogle},
    helpers::{ActivityForm, Client, TestApp, spawn_app_with},
};

pub struct Scene {
    pub app: TestApp,
    pub fake: FakeGoogle,
    /// The master key the app encrypts tokens with.
    pub key: String,
    pub admin: Client,
    pub teacher: Client,
    pub other_teacher: Client,
    pub student: Client,
    pub activity: String,
}

/// An app wired to a fresh fake, an admin who saved the OAuth client, a course with two teachers
/// and a student, and an open activity. No account is connected yet.
pub async fn bare_scene(adjust: impl FnOnce(&mut Config)) -> Scene {
    let fake = FakeGoogle::start().await;
    let key = SecretBox::generate_key();
    let app = spawn_app_with(|c| {
        fake.configure(c);
        c.master_key = Some(key.clone());
        adjust(c);
    })
    .await;
    let admin = app.login_as("ada@uni.test", true).await;
    save_settings(&admin, "10").await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let other_teacher = app.login_as("nora@uni.test", false).await;
    let student = app.login_as("sam@uni.test", false).await;
    let course = app
        .course_with(
            "R1",
            &[
                ("tom@uni.test", CourseRole::EditingTeacher),
                ("nora@uni.test", CourseRole::NonEditingTeacher),
                ("sam@uni.test", CourseRole::Student),
            ],
        )
        .await;
    let (s, id) = teacher
        .create_activity(course, ActivityForm::open_now("Open day"))
        .await;
    assert_eq!(s, 200, "{id}");
    Scene {
        app,
        fake,
        key,
        admin,
        teacher,
        other_teacher,
        student,
        activity: id.to_string(),
    }
}

/// `bare_scene` with one account connected; the fake's log starts empty.
pub async fn scene_with(adjust: impl FnOnce(&mut Config)) -> Scene {
    let sc = bare_scene(adjust).await;
    let outcome = connect(&sc, &sc.admin, "Main channel").await;
    assert_eq!(outcome, "/admin/recording?oauth=added");
    sc.fake.take_calls();
    sc
}

pub async fn scene() -> Scene {
    scene_with(|_| {}).await
}

pub async fn save_settings(admin: &Client, purge_batch: &str) {
    let (s, body) = admin
        .call(
            "admin/recording/settings",
            &[
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("latency", "normal"),
                ("retention_days", "28"),
                ("purge_batch", purge_batch),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
}

/// Asks Aula for the consent URL and "agrees" on the fake: Google's redirect back to Aula.
pub async fn consent(sc: &Scene, admin: &Client, name: &str) -> String {
    let (s, url) = admin
        .call("admin/recording/connect", &[("name", name)])
        .await;
    assert_eq!(s, 200, "{url}");
    let url = url.as_str().expect("consent URL");
    assert!(url.starts_with(&format!("{}/auth?", sc.fake.base)), "{url}");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = browser.get(url).send().await.expect("consent");
    assert_eq!(
        res.status(),
        StatusCode::FOUND,
        "{}",
        res.text().await.unwrap()
    );
    location(&res)
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .expect("location")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// Follows Google's redirect into Aula's callback; returns where Aula sends the admin.
pub async fn callback(admin: &Client, google_location: &str) -> String {
    let res = admin.http.get(google_location).send().await.expect("cb");
    assert!(res.status().is_redirection(), "{}", res.status());
    location(&res)
}

pub async fn connect(sc: &Scene, admin: &Client, name: &str) -> String {
    let back = consent(sc, admin, name).await;
    callback(admin, &back).await
}

pub fn lines(calls: &[Call]) -> Vec<String> {
    calls.iter().map(Call::line).collect()
}

pub async fn accounts(db: &sea_orm::DatabaseConnection) -> Vec<youtube_account::Model> {
    youtube_account::Entity::find()
        .all(db)
        .await
        .expect("accounts")
}

impl Scene {
    pub async fn act(
        &self,
        who: &Client,
        endpoint: &str,
        extra: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut form = vec![("activity_id", self.activity.as_str())];
        form.extend_from_slice(extra);
        who.call(endpoint, &form).await
    }

    /// Starts and stops a recording as the teacher; returns (recording id, video id).
    pub async fn record_once(&self) -> (String, String) {
        let (s, started) = self.act(&self.teacher, "recording/start", &[]).await;
        assert_eq!(s, 200, "{started}");
        let (s, body) = self.act(&self.teacher, "recording/stop", &[]).await;
        assert_eq!(s, 200, "{body}");
        self.fake.take_calls();
        (
            started["id"].to_string(),
            started["broadcast_id"].as_str().expect("id").to_owned(),
        )
    }

    pub async fn rows(&self, who: &Client) -> Vec<Value> {
        let (s, page) = self.act(who, "recording/list", &[]).await;
        assert_eq!(s, 200, "{page}");
        page["rows"].as_array().expect("rows").clone()
    }

    pub async fn admin_page(&self) -> Value {
        let (s, page) = self.admin.call("admin/recording", &[]).await;
        assert_eq!(s, 200, "{page}");
        page
    }

    pub fn google(&self, timeout: Duration) -> Google {
        let base = &self.fake.base;
        Google::new(GoogleConfig {
            auth_url: format!("{base}/auth"),
            token_url: format!("{base}/token"),
            revoke_url: format!("{base}/revoke"),
            youtube_api_url: format!("{base}{}", crate::fake_google::YT),
            timeout,
            ..GoogleConfig::default()
        })
    }
}

/// What a background-job runner needs, owned, so a test can lend it out as a `Ctx`.
pub struct Job {
    secrets: SecretBox,
    google: Google,
}

impl Job {
    pub fn new(sc: &Scene) -> Self {
        Self {
            secrets: SecretBox::from_base64_key(&sc.key).expect("the scene's key"),
            google: sc.google(Duration::from_secs(5)),
        }
    }

    pub fn ctx<'a>(&'a self, sc: &'a Scene) -> app::recording::ssr::Ctx<'a> {
        app::recording::ssr::Ctx {
            db: &sc.app.db,
            secrets: &self.secrets,
            google: &self.google,
            public_url: &sc.app.base,
            smtp: None,
        }
    }
}
