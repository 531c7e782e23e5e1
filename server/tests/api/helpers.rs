use std::sync::Once;

use app::{
    admin::ssr::{NewUser, create_user},
    auth::model::Email,
    capabilities::CourseRole,
    courses::ssr::{create_course, enrol},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use server::{config::Config, startup::Application};

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub data_dir: tempfile::TempDir,
    /// The configuration it runs with (a replica starts from the same).
    pub config: Config,
}

/// A second server on the same database and data directory (so the same master key): what a
/// load balancer would send some requests to.
pub struct Replica {
    pub base: String,
}

/// A browser-like client with its own cookie jar.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

fn init_tracing() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            server::telemetry::init();
        }
    });
}

/// A fresh database URL for one test on the selected engine. A configured server that cannot be
/// reached fails the test: a suite that silently fell back to SQLite would prove nothing.
async fn fresh_database(dir: &std::path::Path) -> String {
    let name = format!("aula_t_{}", uuid::Uuid::new_v4().simple());
    if let Ok(admin_url) = std::env::var("AULA_TEST_POSTGRES_URL") {
        let admin = server::db::connect_url(&admin_url, 1)
            .await
            .unwrap_or_else(|e| panic!("AULA_TEST_POSTGRES_URL is set but unreachable: {e:#}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        return replace_db_name(&admin_url, &name);
    }
    if let Ok(admin_url) = std::env::var("AULA_TEST_MYSQL_URL") {
        let admin = server::db::connect_url(&admin_url, 1)
            .await
            .unwrap_or_else(|e| panic!("AULA_TEST_MYSQL_URL is set but unreachable: {e:#}"));
        admin
            .execute_unprepared(&format!(
                "CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            ))
            .await
            .expect("create database");
        return replace_db_name(&admin_url, &name);
    }
    format!("sqlite://{}/aula.db?mode=rwc", dir.display())
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base
        .rfind('/')
        .filter(|&i| i > base.find("://").map_or(0, |s| s + 2))
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    init_tracing();
    let data_dir = tempfile::tempdir().expect("tempdir");
    let mut config = Config {
        bind: "127.0.0.1:0".parse().expect("addr"),
        data_dir: data_dir.path().to_owned(),
        database_url: Some(fresh_database(data_dir.path()).await),
        db_max_connections: 5,
        clock_control: true,
        google_timeout_secs: 5,
        bbb_timeout_secs: 5,
        jobs_interval_secs: 0,
        http_idle_secs: 5,
        ..Config::defaults().expect("default configuration")
    };
    adjust(&mut config);
    let app = Application::build(&config)
        .await
        .expect("build application");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let db = server::db::connect_url(&config.database_url(), 2)
        .await
        .expect("test db connection");
    TestApp {
        base,
        db,
        data_dir,
        config,
    }
}

impl TestApp {
    /// Starts another replica of this server (its own port, memory and caches).
    pub async fn replica(&self) -> Replica {
        let app = Application::build(&self.config)
            .await
            .expect("build replica");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());
        Replica { base }
    }

    /// Signs in with a client that keeps no cookies and returns the session cookie's value, for
    /// tests that must send an old cookie after the browser would have dropped it.
    pub async fn session_cookie(&self, email: &str) -> String {
        let res = reqwest::Client::new()
            .post(format!("{}/api/auth/login", self.base))
            .header("sec-fetch-site", "same-origin")
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200);
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("aula_session="))
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_owned()
    }

    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            // A request the server never answers fails the test (reqwest names the URL) instead
            // of hanging the whole run.
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(120))
                .build()
                .expect("client"),
        }
    }

    pub async fn create_user(&self, email: &str, name: &str, is_admin: bool) -> i32 {
        create_user(
            &self.db,
            NewUser {
                email,
                display_name: name,
                password: PASSWORD,
                is_admin,
                language: "en",
            },
        )
        .await
        .expect("create user")
        .id
    }

    /// Creates the user and returns a client logged in as them.
    pub async fn login_as(&self, email: &str, is_admin: bool) -> Client {
        self.create_user(email, email.split('@').next().unwrap_or(email), is_admin)
            .await;
        let c = self.client();
        let (status, body) = c
            .call("auth/login", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::OK, "login failed: {body}");
        c
    }

    pub async fn course_with(&self, short: &str, members: &[(&str, CourseRole)]) -> i32 {
        let course = create_course(&self.db, &format!("Course {short}"), short, "")
            .await
            .expect("course");
        for (email, role) in members {
            let e = Email::parse(email).expect("email");
            enrol(&self.db, course.id, &e, *role).await.expect("enrol");
        }
        course.id
    }
}

/// A Unix time as an `<input type="datetime-local">` value (test users have no zone: UTC).
pub fn local(ts: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(ts, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The activity form's fields, as a teacher fills them in.
pub struct ActivityForm<'a> {
    pub name: &'a str,
    pub opens: i64,
    pub closes: i64,
    pub early_entry: &'a str,
    pub completion: &'a str,
    pub server: &'a str,
}

impl<'a> ActivityForm<'a> {
    /// Open since a minute ago for the next hour, on the default server.
    pub fn open_now(name: &'a str) -> Self {
        Self {
            name,
            opens: now() - 60,
            closes: now() + 3600,
            early_entry: "0",
            completion: "",
            server: "1",
        }
    }
}

impl Client {
    /// Creates an activity through the form's server function.
    pub async fn create_activity(
        &self,
        course_id: i32,
        f: ActivityForm<'_>,
    ) -> (StatusCode, Value) {
        let course_id = course_id.to_string();
        self.call(
            "activities/create",
            &[
                ("course_id", &course_id),
                ("name", f.name),
                ("description", ""),
                ("opens_at", &local(f.opens)),
                ("closes_at", &local(f.closes)),
                ("early_entry_minutes", f.early_entry),
                ("completion_minutes", f.completion),
                ("server_id", f.server),
            ],
        )
        .await
    }

    /// Calls a server function the way a browser form does (URL-encoded POST).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        (res.status(), res.text().await.expect("body"))
    }
}

#[test]
fn database_names_are_replaced_in_admin_urls() {
    assert_eq!(
        replace_db_name("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        replace_db_name("mysql://root@127.0.0.1:3306/test?ssl-mode=disabled", "x"),
        "mysql://root@127.0.0.1:3306/x?ssl-mode=disabled"
    );
    assert_eq!(
        replace_db_name("mysql://root@127.0.0.1:3306", "x"),
        "mysql://root@127.0.0.1:3306/x"
    );
}

/// The mock BigBlueButton server on a free loopback port, and its API URL.
pub async fn spawn_mock_bbb(
    secret: &str,
    allowed: &[bbb::checksum::ChecksumAlgo],
) -> (bbb::fake::MockBbb, String) {
    let mock = bbb::fake::MockBbb::new(secret, allowed);
    let addr = mock
        .clone()
        .spawn("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("mock");
    (mock, format!("http://{addr}/bigbluebutton/api"))
}

impl Client {
    /// Registers a BigBlueButton server through the admin form (the caller must be an admin);
    /// returns its id.
    pub async fn register_bbb(&self, name: &str, api: &str, secret: &str, algo: &str) -> String {
        let (s, id) = self
            .call(
                "admin/servers/save",
                &[
                    ("name", name),
                    ("base_url", api),
                    ("kind", "bbb"),
                    ("secret", secret),
                    ("checksum_algo", algo),
                ],
            )
            .await;
        assert_eq!(s, 200, "{id}");
        id.to_string()
    }
}
