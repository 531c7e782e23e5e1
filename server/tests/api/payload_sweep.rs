//! Stored markup never runs: a set of XSS payloads goes into every free-text field of every form
//! (names, descriptions, labels, welcome messages, guest names, server and account names,
//! recording titles, moderation log entries), and every page that can show them is fetched as
//! every kind of visitor (signed out, student, teacher, admin, guest). Each page is parsed the way
//! a browser parses it (html5ever, through `scraper`) and must hold nothing a payload made: no
//! event-handler attribute, no script without the response's nonce (or with a payload inside),
//! no `javascript:` URL, no element carrying a payload's marker in an attribute, and a textarea
//! whose text is exactly what was stored. Pages are also never a server error.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::{
    helpers::{Client, local, now},
    recording::scene::{Scene, bare_scene, connect},
};

/// One payload per way of breaking out, each with its own marker.
const PAYLOADS: [&str; 9] = [
    "</textarea><img src=x onerror=alert('XSS1')>",
    "</title><script>alert('XSS2')</script>",
    "<script>alert('XSS3')</script>",
    "\" onmouseover=\"alert('XSS4')\" x=\"",
    "' onfocus='alert(`XSS5`)' autofocus x='",
    "javascript:alert('XSS6')",
    "<svg onload=alert('XSS7')>",
    "<ScRiPt>alert('XSS8')</sCrIpT>",
    "<IMG SRC=JaVaScRiPt:alert('XSS9')>",
];

fn marker(p: &str) -> &str {
    let i = p.find("XSS").expect("every payload has a marker");
    &p[i..i + 4]
}

/// Everything the scene made, to build page URLs.
struct Made {
    course: i32,
    activity: String,
    student_id: i32,
    meeting: String,
    public_id: String,
    guest_token: String,
}

async fn ok(r: (StatusCode, Value), what: &str) -> Value {
    assert!(r.0.is_success(), "{what}: {} {}", r.0, r.1);
    r.1
}

async fn rename(who: &Client, email: &str, name: &str) {
    ok(
        who.call(
            "profile/update",
            &[
                ("display_name", name),
                ("email", email),
                ("language", "en"),
                ("time_zone", ""),
                ("avatar_link", ""),
            ],
        )
        .await,
        "profile",
    )
    .await;
}

/// Stores `p` in every free-text field there is.
async fn store_everywhere(sc: &Scene, p: &str) -> (Made, Client) {
    let admin = &sc.admin;
    rename(admin, "ada@uni.test", p).await;
    rename(&sc.teacher, "tom@uni.test", p).await;
    rename(&sc.student, "sam@uni.test", p).await;
    ok(
        admin
            .call(
                "admin/users/create",
                &[
                    ("email", "new@uni.test"),
                    ("display_name", p),
                    ("password", "a long enough password"),
                ],
            )
            .await,
        "admin/users/create",
    )
    .await;
    let course = ok(
        admin
            .call(
                "courses/create",
                &[
                    ("name", p),
                    ("short_name", &p[..p.len().min(20)]),
                    ("description", p),
                ],
            )
            .await,
        "courses/create",
    )
    .await
    .as_i64()
    .expect("course id") as i32;
    for (email, role) in [
        ("tom@uni.test", "editingteacher"),
        ("sam@uni.test", "student"),
    ] {
        ok(
            admin
                .call(
                    "courses/enrol",
                    &[
                        ("course_id", &course.to_string()),
                        ("email", email),
                        ("role", role),
                    ],
                )
                .await,
            "courses/enrol",
        )
        .await;
    }
    let activity = ok(
        sc.teacher
            .call(
                "activities/create",
                &[
                    ("course_id", &course.to_string()),
                    ("name", p),
                    ("description", p),
                    ("opens_at", &local(now() - 60)),
                    ("closes_at", &local(now() + 3600)),
                    ("early_entry_minutes", "0"),
                    ("completion_minutes", ""),
                    ("server_id", "1"),
                ],
            )
            .await,
        "activities/create",
    )
    .await
    .to_string();
    // The moderator's browser reports a participant's name with each action.
    ok(
        sc.teacher
            .call(
                "moderation/log",
                &[
                    ("activity_id", &activity),
                    ("action", "mute"),
                    ("target_name", p),
                ],
            )
            .await,
        "moderation/log",
    )
    .await;
    ok(
        sc.teacher
            .call(
                "guests/create",
                &[
                    ("activity_id", &activity),
                    ("label", p),
                    ("expires_at", &local(now() + 3600)),
                    ("max_uses", ""),
                ],
            )
            .await,
        "guests/create",
    )
    .await;
    let links = ok(
        sc.teacher
            .call("guests/links", &[("activity_id", &activity)])
            .await,
        "links",
    )
    .await;
    let guest_token = links[0]["url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("token")
        .to_owned();
    let guest = sc.app.client();
    ok(
        guest
            .call("guests/join", &[("token", &guest_token), ("name", p)])
            .await,
        "guests/join",
    )
    .await;
    // Both the student and the guest attend, so their names reach reports and presence.
    for who in [&sc.student, &guest] {
        let opened = ok(
            who.call(
                "attendance/open",
                &[("activity_id", &activity), ("client_ms", "0")],
            )
            .await,
            "attendance/open",
        )
        .await;
        let t = opened["token"].as_str().expect("token");
        let res = who
            .http
            .post(format!("{}/attendance/beat", who.base))
            .header("sec-fetch-site", "same-origin")
            .body(json!({ "t": t, "b": [{ "seq": 1, "at": 1 }] }).to_string())
            .send()
            .await
            .expect("beat");
        assert_eq!(res.status(), 200);
    }
    // A meeting server and an account, both named by an admin.
    ok(
        admin
            .call(
                "admin/servers/save",
                &[
                    ("name", p),
                    ("base_url", "https://jitsi.example.org"),
                    ("kind", "public"),
                ],
            )
            .await,
        "admin/servers/save",
    )
    .await;
    let (mock, api) =
        crate::helpers::spawn_mock_bbb("sweep-secret", &bbb::checksum::ChecksumAlgo::ALL).await;
    let bbb = admin.register_bbb(p, &api, "sweep-secret", "sha256").await;
    std::mem::forget(mock);
    assert_eq!(connect(sc, admin, p).await, "/admin/recording?oauth=added");
    // A recording whose title the teacher types.
    let started = ok(
        sc.teacher
            .call("recording/start", &[("activity_id", &activity)])
            .await,
        "recording/start",
    )
    .await;
    ok(
        sc.teacher
            .call("recording/stop", &[("activity_id", &activity)])
            .await,
        "recording/stop",
    )
    .await;
    // YouTube refuses `<` and `>` in titles, and so does Aula, with a field error.
    let (s, e) = sc
        .teacher
        .call(
            "recording/rename",
            &[
                ("activity_id", &activity),
                ("recording_id", &started["id"].to_string()),
                ("title", p),
            ],
        )
        .await;
    assert!(
        s.is_success() || (s == StatusCode::UNPROCESSABLE_ENTITY && p.contains(['<', '>'])),
        "recording/rename: {s} {e}"
    );
    // A meeting outside courses, named and welcomed with the payload.
    let meeting = ok(
        sc.teacher
            .call(
                "meetings/create",
                &[
                    ("name", p),
                    ("welcome", p),
                    ("starts_at", &local(now() + 3600)),
                    ("duration_minutes", "60"),
                    ("access", "link"),
                    // Access codes take letters and digits only (a field error otherwise).
                    ("access_code", "Code2026"),
                    ("server_id", &bbb),
                ],
            )
            .await,
        "meetings/create",
    )
    .await
    .to_string();
    let form = ok(
        sc.teacher
            .call("meetings/form", &[("meeting_id", &meeting)])
            .await,
        "meetings/form",
    )
    .await;
    let public_id = form["public_id"].as_str().expect("public id").to_owned();
    let (_, users) = admin.call("admin/users", &[]).await;
    let student_id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == "sam@uni.test")
        .and_then(|u| u["id"].as_i64())
        .expect("sam") as i32;
    (
        Made {
            course,
            activity,
            student_id,
            meeting,
            public_id,
            guest_token,
        },
        guest,
    )
}

fn pages(m: &Made) -> Vec<String> {
    let (c, a, u, mt) = (m.course, &m.activity, m.student_id, &m.meeting);
    vec![
        "/".into(),
        "/login?next=/courses".into(),
        "/profile".into(),
        "/courses".into(),
        format!("/courses/{c}"),
        format!("/courses/{c}/activities/new"),
        format!("/courses/{c}/activities/{a}/edit"),
        format!("/courses/{c}/attendance"),
        format!("/activities/{a}"),
        format!("/activities/{a}/recordings"),
        format!("/activities/{a}/attendance"),
        format!("/activities/{a}/attendance/{u}"),
        "/admin/users".into(),
        "/admin/servers".into(),
        "/admin/live".into(),
        "/admin/recording".into(),
        format!("/guest/{}", m.guest_token),
        "/meetings".into(),
        "/meetings/new".into(),
        format!("/meetings/{mt}/edit"),
        format!("/meetings/{mt}/recordings"),
        format!("/m/{}", m.public_id),
        "/no-such-page".into(),
    ]
}

/// Everything wrong with one page, as findings (empty: the page is clean).
fn findings(html: &str, nonce: Option<&str>, stored: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    let mark = marker(stored);
    let mut out = Vec::new();
    for el in doc.select(&all) {
        let name = el.value().name();
        for (attr, value) in el.value().attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                out.push(format!("<{name} {attr}={value:?}>: an event handler"));
            }
            // Stored text may be a value, a title or a label, never where a page loads or
            // links from.
            let loads = matches!(
                attr.to_ascii_lowercase().as_str(),
                "src" | "href" | "srcdoc" | "data" | "action" | "formaction" | "xlink:href"
            );
            let v = value
                .trim_matches(|c: char| c.is_whitespace() || c.is_control())
                .to_ascii_lowercase();
            if loads && v.starts_with("javascript:") {
                out.push(format!("<{name} {attr}={value:?}>: a javascript: URL"));
            }
            if loads && value.contains(mark) {
                out.push(format!("<{name} {attr}={value:?}>: stored text as a URL"));
            }
        }
        match name {
            "script" => {
                // Aula's own inline scripts carry the nonce (stored text may sit in their JSON,
                // escaped); a script a payload made cannot know it.
                let text: String = el.text().collect();
                let own = nonce.is_some() && el.value().attr("nonce") == nonce;
                if el.value().attr("src").is_none() && !own {
                    out.push(format!(
                        "an inline script without the response's nonce: {text:.80}"
                    ));
                }
            }
            "textarea" => {
                let text: String = el.text().collect();
                if text.contains(mark) && text != stored {
                    out.push(format!(
                        "a textarea that does not hold the stored text: {text:?}"
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

fn nonce_of(res: &reqwest::Response) -> Option<String> {
    let csp = res
        .headers()
        .get("content-security-policy")?
        .to_str()
        .ok()?;
    let i = csp.find("'nonce-")? + 7;
    Some(csp[i..].split('\'').next()?.to_owned())
}

#[tokio::test]
async fn stored_payloads_never_come_out_as_markup_on_any_page_for_anyone() {
    for p in PAYLOADS {
        let sc = bare_scene(|_| {}).await;
        let (made, guest) = store_everywhere(&sc, p).await;
        let anonymous = sc.app.client();
        let visitors: [(&str, &Client); 5] = [
            ("signed out", &anonymous),
            ("student", &sc.student),
            ("teacher", &sc.teacher),
            ("admin", &sc.admin),
            ("guest", &guest),
        ];
        let mut shown = 0;
        for (who, client) in visitors {
            for page in pages(&made) {
                // A page that never answers fails here, naming itself, instead of hanging the run.
                let res = client
                    .http
                    .get(format!("{}{page}", sc.app.base))
                    .timeout(std::time::Duration::from_secs(60))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{page} as {who} with {p:?}: {e}"));
                let status = res.status();
                assert!(
                    !status.is_server_error(),
                    "{page} as {who} with {p:?}: {status}"
                );
                let nonce = nonce_of(&res);
                let html = res.text().await.unwrap_or_else(|e| {
                    panic!("{page} as {who} with {p:?}: {status}, body: {e:?}")
                });
                if html.contains(marker(p)) {
                    shown += 1;
                }
                let bad = findings(&html, nonce.as_deref(), p);
                assert!(
                    bad.is_empty(),
                    "{page} as {who} with {p:?}:\n  {}",
                    bad.join("\n  ")
                );
            }
        }
        assert!(
            shown >= 20,
            "{p:?} was shown on only {shown} page views: the sweep would prove little"
        );
    }
}

#[test]
fn the_checker_finds_each_kind_of_break_out() {
    let cases = [
        ("<img src=x onerror=alert('XSS1')>", 0, "an event handler"),
        (
            "<script>alert('XSS3')</script>",
            2,
            "without the response's nonce",
        ),
        (
            "<a href=\"javascript:alert('XSS6')\">x</a>",
            5,
            "a javascript: URL",
        ),
        (
            "<textarea></textarea><svg onload=alert('XSS7')>",
            6,
            "an event handler",
        ),
        (
            "<input value=\"\" onmouseover=\"alert('XSS4')\" x=\"\">",
            3,
            "an event handler",
        ),
        ("<textarea>x</textarea>XSS1", 0, ""),
    ];
    for (html, payload, want) in cases {
        let found = findings(
            &format!("<html><body>{html}</body></html>"),
            None,
            PAYLOADS[payload],
        );
        if want.is_empty() {
            assert!(found.is_empty(), "{html}: {found:?}");
        } else {
            assert!(found.iter().any(|f| f.contains(want)), "{html}: {found:?}");
        }
    }
    let escaped = "<textarea>&lt;/textarea&gt;&lt;img src=x onerror=alert('XSS1')&gt;</textarea>";
    assert!(findings(escaped, None, PAYLOADS[0]).is_empty());
}
