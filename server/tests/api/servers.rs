//! The meeting-server registry and the tokens in join tickets, over HTTP.

use app::capabilities::CourseRole;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{ActivityForm, Client, TestApp, spawn_app};

const SECRET: &str = "a-long-shared-secret-for-prosody";
const PRIVATE_PEM: &str = include_str!("../../../app/src/servers/test_rsa_private.pem");
const PUBLIC_PEM: &str = include_str!("../../../app/src/servers/test_rsa_public.pem");
const APP: &str = "vpaas-magic-cookie-0123456789abcdef0123456789abcdef";

async fn save(admin: &Client, form: &[(&str, &str)]) -> (StatusCode, Value) {
    admin.call("admin/servers/save", form).await
}

async fn jwt_server(admin: &Client, rule: &str) -> String {
    let (s, id) = save(
        admin,
        &[
            ("name", "Campus Jitsi"),
            ("base_url", "https://meet.uni.example"),
            ("kind", "jwt"),
            ("app_id", "aula"),
            ("secret", SECRET),
            ("moderation_rule", rule),
            ("token_ttl_secs", "90"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{id}");
    id.to_string()
}

struct Scene {
    app: TestApp,
    admin: Client,
    teacher: Client,
    student: Client,
    course: String,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let admin = app.login_as("root@uni.test", true).await;
    let teacher = app.login_as("tom@uni.test", false).await;
    let student = app.login_as("sam@uni.test", false).await;
    let course = app
        .course_with(
            "C1",
            &[
                ("tom@uni.test", CourseRole::EditingTeacher),
                ("sam@uni.test", CourseRole::Student),
            ],
        )
        .await;
    Scene {
        app,
        admin,
        teacher,
        student,
        course: course.to_string(),
    }
}

impl Scene {
    async fn activity_on(&self, server_id: &str) -> String {
        let course: i32 = self.course.parse().expect("course id");
        let (s, id) = self
            .teacher
            .create_activity(
                course,
                ActivityForm {
                    server: server_id,
                    ..ActivityForm::open_now("Token Lecture")
                },
            )
            .await;
        assert_eq!(s, 200, "{id}");
        id.to_string()
    }
}

fn payload(jwt: &str) -> Value {
    let body = jwt.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).expect("base64")).expect("json")
}

fn verify_hs256(jwt: &str) -> Value {
    let mut v = Validation::new(Algorithm::HS256);
    v.set_audience(&["jitsi"]);
    v.set_issuer(&["aula"]);
    decode::<Value>(jwt, &DecodingKey::from_secret(SECRET.as_bytes()), &v)
        .expect("valid token")
        .claims
}

#[tokio::test]
async fn a_saved_secret_is_encrypted_at_rest_and_never_sent_back() {
    let sc = scene().await;
    let id = jwt_server(&sc.admin, "affiliation").await;
    let (s, list) = sc.admin.call("admin/servers", &[]).await;
    assert_eq!(s, 200);
    let text = list.to_string();
    assert!(!text.contains(SECRET), "the secret never leaves the server");
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_i64() == id.parse::<i64>().ok())
        .unwrap();
    assert_eq!(row["has_secret"], json!(true));
    assert_eq!(row["kind"], json!("Jwt"));
    let stored = app::entities::jitsi_server::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&sc.app.db)
        .await
        .unwrap()
        .unwrap();
    let enc = stored.secret_enc.expect("stored");
    assert!(!enc.contains(SECRET));
    // Saving again with a blank secret keeps it.
    let (s, _) = save(
        &sc.admin,
        &[
            ("id", id.as_str()),
            ("name", "Campus Jitsi (renamed)"),
            ("base_url", "https://meet.uni.example"),
            ("kind", "jwt"),
            ("app_id", "aula"),
            ("secret", ""),
            ("moderation_rule", "affiliation"),
        ],
    )
    .await;
    assert_eq!(s, 200);
    let again = app::entities::jitsi_server::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&sc.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.secret_enc.as_deref(), Some(enc.as_str()));
}

#[tokio::test]
async fn bad_keys_and_bad_forms_are_refused_with_field_errors() {
    let sc = scene().await;
    let key_id = format!("{APP}/4f4910");
    let (s, body) = save(
        &sc.admin,
        &[
            ("name", "JaaS"),
            ("base_url", "https://8x8.vc"),
            ("kind", "jaas"),
            ("app_id", APP),
            ("key_id", &key_id),
            ("private_key", PUBLIC_PEM),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body,
        json!({"Invalid": [{"field": "private_key", "code": "InvalidKey"}]})
    );
    let (s, body) = save(
        &sc.admin,
        &[("name", ""), ("base_url", "ftp://x"), ("kind", "jwt")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["name", "base_url", "moderation_rule", "app_id", "secret"]
    );
}

#[tokio::test]
async fn only_site_admins_manage_servers() {
    let sc = scene().await;
    for endpoint in [
        "admin/servers",
        "admin/servers/test",
        "admin/servers/delete",
    ] {
        let (s, _) = sc.teacher.call(endpoint, &[("id", "1")]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let (s, _) = save(
        &sc.teacher,
        &[
            ("name", "x"),
            ("base_url", "https://x.example"),
            ("kind", "public"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn join_tokens_make_teachers_owners_and_students_members_of_their_room_only() {
    let sc = scene().await;
    let server = jwt_server(&sc.admin, "affiliation").await;
    let activity = sc.activity_on(&server).await;
    let (s, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    let room = ticket["room_name"].as_str().unwrap().to_owned();
    let student = verify_hs256(ticket["jwt"].as_str().expect("a token"));
    assert_eq!(student["room"], json!(room.to_lowercase()));
    assert_eq!(student["sub"], json!("meet.uni.example"));
    assert_eq!(student["context"]["user"]["affiliation"], json!("member"));
    assert!(student["context"]["user"]["moderator"].is_null());
    assert_eq!(student["context"]["user"]["name"], json!("sam"));
    assert_eq!(student["context"]["user"]["email"], json!("sam@uni.test"));
    let exp = student["exp"].as_i64().unwrap();
    let nbf = student["nbf"].as_i64().unwrap();
    assert_eq!(
        exp - nbf,
        90 + 30,
        "ttl from the server settings, nbf 30 s back"
    );

    let (_, ticket) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    let teacher = verify_hs256(ticket["jwt"].as_str().unwrap());
    assert_eq!(teacher["context"]["user"]["affiliation"], json!("owner"));
    assert_eq!(teacher["context"]["user"]["moderator"], json!("true"));
}

#[tokio::test]
async fn no_parameters_let_a_student_mint_a_moderator_token() {
    let sc = scene().await;
    let server = jwt_server(&sc.admin, "moderator").await;
    let activity = sc.activity_on(&server).await;
    let attempts: [&[(&str, &str)]; 5] = [
        &[("moderator", "true")],
        &[("role", "owner"), ("affiliation", "owner")],
        &[("room", "*"), ("room_name", "*")],
        &[("user_id", "1"), ("is_moderator", "1")],
        &[("capability", "moderation"), ("moderator", "1")],
    ];
    for extra in attempts {
        let mut form = vec![("activity_id", activity.as_str())];
        form.extend_from_slice(extra);
        let (s, ticket) = sc.student.call("activities/join", &form).await;
        if s != StatusCode::OK {
            // Refusing the request outright is as good as ignoring the extra fields.
            assert!(s.is_client_error(), "{s} {ticket}");
            continue;
        }
        let claims = verify_hs256(ticket["jwt"].as_str().unwrap());
        assert_eq!(
            claims["context"]["user"]["affiliation"],
            json!("member"),
            "{extra:?}"
        );
        assert!(claims["moderator"].is_null(), "{extra:?}");
        assert_ne!(claims["room"], json!("*"));
        assert_eq!(ticket["moderator"], json!(false));
    }
    // And a token's body cannot be swapped: re-signing needs the secret.
    let (_, ticket) = sc
        .student
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    let jwt = ticket["jwt"].as_str().unwrap();
    let mut forged = payload(jwt);
    forged["moderator"] = json!(true);
    let parts: Vec<&str> = jwt.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged.to_string()),
        parts[2]
    );
    let mut v = Validation::new(Algorithm::HS256);
    v.set_audience(&["jitsi"]);
    assert!(decode::<Value>(&tampered, &DecodingKey::from_secret(SECRET.as_bytes()), &v).is_err());
}

#[tokio::test]
async fn jaas_tickets_use_the_app_id_tenant_and_an_rs256_token_with_the_key_id() {
    let sc = scene().await;
    let key_id = format!("{APP}/4f4910");
    let (s, server) = save(
        &sc.admin,
        &[
            ("name", "8x8"),
            ("base_url", "https://8x8.vc"),
            ("kind", "jaas"),
            ("app_id", APP),
            ("key_id", &key_id),
            ("private_key", PRIVATE_PEM),
        ],
    )
    .await;
    assert_eq!(s, 200, "{server}");
    let activity = sc.activity_on(&server.to_string()).await;
    let (s, ticket) = sc
        .teacher
        .call("activities/join", &[("activity_id", &activity)])
        .await;
    assert_eq!(s, 200, "{ticket}");
    assert_eq!(
        ticket["script_url"],
        json!(format!("https://8x8.vc/{APP}/external_api.js"))
    );
    let room = ticket["room_name"].as_str().unwrap();
    assert!(room.starts_with(&format!("{APP}/")), "{room}");
    let jwt = ticket["jwt"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.kid.as_deref(), Some(key_id.as_str()));
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&["jitsi"]);
    v.set_issuer(&["chat"]);
    let claims = decode::<Value>(
        jwt,
        &DecodingKey::from_rsa_pem(PUBLIC_PEM.as_bytes()).unwrap(),
        &v,
    )
    .unwrap()
    .claims;
    assert_eq!(claims["sub"], json!(APP));
    assert_eq!(claims["context"]["user"]["moderator"], json!("true"));
    assert_eq!(claims["context"]["features"]["recording"], json!("true"));
    assert_eq!(
        format!("{APP}/{}", claims["room"].as_str().unwrap()),
        room.to_lowercase()
    );
}

#[tokio::test]
async fn the_test_action_says_whether_the_iframe_api_script_loads() {
    use axum::{Router, routing::get};
    let sc = scene().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let app = Router::new().route(
            "/external_api.js",
            get(|| async { "window.JitsiMeetExternalAPI = function () {};" }),
        );
        axum::serve(listener, app).await.unwrap();
    });
    let good = format!("http://{addr}");
    let (s, id) = save(
        &sc.admin,
        &[("name", "Local"), ("base_url", &good), ("kind", "public")],
    )
    .await;
    assert_eq!(s, 200, "{id}");
    let (s, r) = sc
        .admin
        .call("admin/servers/test", &[("id", &id.to_string())])
        .await;
    assert_eq!(s, 200);
    assert_eq!(r["ok"], json!(true), "{r}");

    let (_, id) = save(
        &sc.admin,
        &[
            ("name", "Nobody"),
            ("base_url", "http://127.0.0.1:9"),
            ("kind", "public"),
        ],
    )
    .await;
    let (_, r) = sc
        .admin
        .call("admin/servers/test", &[("id", &id.to_string())])
        .await;
    assert_eq!(r["ok"], json!(false));
    assert_eq!(r["detail"], json!("unreachable"));

    // A server in use cannot be deleted; an unused one can.
    let (s, _) = sc.admin.call("admin/servers/delete", &[("id", "1")]).await;
    assert_eq!(s, StatusCode::CONFLICT, "the default server stays");
    let (s, _) = sc
        .admin
        .call("admin/servers/delete", &[("id", &id.to_string())])
        .await;
    assert_eq!(s, 200);
}
