//! Who may change a meeting: co-owners (existing users, added by e-mail, by the owner or an
//! admin), the courses a restricted meeting admits, and refusals for everyone else.

use reqwest::StatusCode;

use crate::meetings::{fields_of, scene};

#[tokio::test]
async fn only_owners_edit_and_only_the_owner_deletes_or_chooses_co_owners() {
    let sc = scene().await;
    let (id, _) = sc.meeting(&[]).await;
    // A stranger: nothing.
    let (s, _) = sc.update(&sc.eve, &id, sc.form("Mine now", &[])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc.eve.call("meetings/form", &[("meeting_id", &id)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc.eve.call("meetings/delete", &[("meeting_id", &id)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc
        .eve
        .call(
            "meetings/co-owners/add",
            &[("meeting_id", &id), ("email", "eve@uni.test")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A co-owner edits, but neither deletes nor picks co-owners.
    let (s, rows) = sc.add_co_owner(&id, "colin@uni.test").await;
    assert_eq!(s, 200, "{rows}");
    let (s, e) = sc
        .update(&sc.colin, &id, sc.form("Edited by Colin", &[]))
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, _) = sc
        .colin
        .call("meetings/delete", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = sc
        .colin
        .call(
            "meetings/co-owners/add",
            &[("meeting_id", &id), ("email", "uma@uni.test")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // An admin may do all of it.
    let (s, _) = sc
        .admin
        .call("meetings/delete", &[("meeting_id", &id)])
        .await;
    assert_eq!(s, 200);
    // Nobody can call any of it signed out.
    let (s, _) = sc.app.client().call("meetings/list", &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn co_owners_are_existing_users_added_by_email_and_see_the_meeting_in_their_list() {
    let sc = scene().await;
    let (id, public_id) = sc.meeting(&[]).await;
    let (s, e) = sc.add_co_owner(&id, "nobody@uni.test").await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("UnknownUser"), "{e}");
    let (s, e) = sc.add_co_owner(&id, "olive@uni.test").await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("AlreadyTaken"), "{e}");

    let (s, rows) = sc.add_co_owner(&id, "Colin@Uni.test").await;
    assert_eq!(s, 200, "{rows}");
    assert_eq!(rows[0]["email"], "colin@uni.test");
    let (_, list) = sc.colin.call("meetings/list", &[]).await;
    let row = list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["public_id"] == public_id.as_str())
        .cloned()
        .expect("co-owned meeting listed");
    assert_eq!(row["is_owner"], false);
    assert_eq!(row["owner_name"], "olive");

    let user = rows[0]["user_id"].to_string();
    let (s, rows) = sc
        .olive
        .call(
            "meetings/co-owners/remove",
            &[("meeting_id", &id), ("user_id", &user)],
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(rows.as_array().map(Vec::len), Some(0));
    let (s, _) = sc.update(&sc.colin, &id, sc.form("Too late", &[])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_meeting_is_restricted_only_to_courses_its_owner_belongs_to() {
    let sc = scene().await;
    let other = sc.app.course_with("M2", &[]).await;
    let (s, e) = sc
        .create(
            &sc.olive,
            sc.form(
                "Outsiders",
                &[("access", "courses"), ("course_ids[]", &other.to_string())],
            ),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields_of(&e), ["course_ids"]);
    let course = sc.course.to_string();
    let (s, id) = sc
        .create(
            &sc.olive,
            sc.form(
                "Insiders",
                &[("access", "courses"), ("course_ids[]", &course)],
            ),
        )
        .await;
    assert_eq!(s, 200, "{id}");
    let (_, form) = sc
        .olive
        .call("meetings/form", &[("meeting_id", &id.to_string())])
        .await;
    assert_eq!(form["course_ids"], serde_json::json!([sc.course]));
    assert!(
        form["courses"]
            .as_array()
            .expect("choices")
            .iter()
            .all(|c| c["id"] != other),
        "{form}"
    );
}
