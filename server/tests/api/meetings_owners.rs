//! Who may change a meeting: co-owners (invited by e-mail by the owner or an admin, co-owners once
//! they accept), the courses a restricted meeting admits, and refusals for everyone else.

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
    sc.make_colin_co_owner(&id).await;
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
async fn an_invitation_answers_the_same_for_any_address_and_tells_nothing_of_who_has_an_account() {
    let sc = scene().await;
    let (id, _) = sc.meeting(&[]).await;
    // A stranger's address and a member's address: the same answer, and only the address shows.
    let (s1, a) = sc.invite_co_owner(&id, "nobody@uni.test").await;
    let (s2, b) = sc.invite_co_owner(&id, "Colin@Uni.test").await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{a} {b}");
    assert_eq!(
        b["owners"],
        serde_json::json!([]),
        "nobody is a co-owner yet"
    );
    let pending: Vec<&str> = b["pending"]
        .as_array()
        .expect("pending")
        .iter()
        .map(|p| p["email"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(pending, ["colin@uni.test", "nobody@uni.test"]);
    assert!(
        !b.to_string().contains("\"colin\""),
        "no display name leaks: {b}"
    );
    // Colin sees the invitation and nothing else changed for him yet.
    let (_, list) = sc.colin.call("meetings/list", &[]).await;
    assert_eq!(list["rows"], serde_json::json!([]), "{list}");
    assert_eq!(list["offers"][0]["meeting_name"], "Thesis defence");
    assert_eq!(list["offers"][0]["owner_name"], "olive");
    let (s, _) = sc.update(&sc.colin, &id, sc.form("Not yet", &[])).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not a co-owner before accepting");
    // The owner's own address and an address already invited are refused as taken.
    let (s, e) = sc.invite_co_owner(&id, "olive@uni.test").await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("AlreadyTaken"), "{e}");
    let (s, _) = sc.invite_co_owner(&id, "colin@uni.test").await;
    assert_eq!(s, 422);
}

#[tokio::test]
async fn only_the_invitee_answers_and_accepting_makes_a_co_owner_who_sees_the_meeting() {
    let sc = scene().await;
    let (id, public_id) = sc.meeting(&[]).await;
    sc.invite_co_owner(&id, "colin@uni.test").await;
    let offer = sc.offers(&sc.colin).await[0]["invitation_id"].to_string();
    // Eve cannot take Colin's invitation, nor decline it for him.
    for action in ["meetings/co-owners/accept", "meetings/co-owners/decline"] {
        let (s, _) = sc.eve.call(action, &[("invitation_id", &offer)]).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{action}");
    }
    let (s, e) = sc
        .colin
        .call("meetings/co-owners/accept", &[("invitation_id", &offer)])
        .await;
    assert_eq!(s, 200, "{e}");
    assert!(sc.offers(&sc.colin).await.is_empty());
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
    let (_, form) = sc.olive.call("meetings/form", &[("meeting_id", &id)]).await;
    let owners = &form["co_owners"]["owners"];
    assert_eq!(owners[0]["email"], "colin@uni.test");
    assert_eq!(form["co_owners"]["pending"], serde_json::json!([]));

    let user = owners[0]["user_id"].to_string();
    let (s, rows) = sc
        .olive
        .call(
            "meetings/co-owners/remove",
            &[("meeting_id", &id), ("user_id", &user)],
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(rows["owners"], serde_json::json!([]));
    let (s, _) = sc.update(&sc.colin, &id, sc.form("Too late", &[])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn declined_and_withdrawn_invitations_leave_no_co_owner() {
    let sc = scene().await;
    let (id, _) = sc.meeting(&[]).await;
    sc.invite_co_owner(&id, "colin@uni.test").await;
    let (_, b) = sc.invite_co_owner(&id, "uma@uni.test").await;
    let offer = sc.offers(&sc.colin).await[0]["invitation_id"].to_string();
    let (s, _) = sc
        .colin
        .call("meetings/co-owners/decline", &[("invitation_id", &offer)])
        .await;
    assert_eq!(s, 200);
    let uma = b["pending"]
        .as_array()
        .expect("pending")
        .iter()
        .find(|p| p["email"] == "uma@uni.test")
        .expect("uma invited")["invitation_id"]
        .to_string();
    let (s, _) = sc
        .colin
        .call(
            "meetings/co-owners/withdraw",
            &[("meeting_id", &id), ("invitation_id", &uma)],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only owners withdraw");
    let (s, rows) = sc
        .olive
        .call(
            "meetings/co-owners/withdraw",
            &[("meeting_id", &id), ("invitation_id", &uma)],
        )
        .await;
    assert_eq!(s, 200, "{rows}");
    assert_eq!(rows, serde_json::json!({"owners": [], "pending": []}));
    assert!(sc.offers(&sc.uma).await.is_empty());
}

#[tokio::test]
async fn co_owner_invitations_are_rate_limited_per_inviter() {
    let sc = scene().await;
    let (id, _) = sc.meeting(&[]).await;
    for i in 0..20 {
        let (s, e) = sc.invite_co_owner(&id, &format!("p{i}@uni.test")).await;
        assert_eq!(s, 200, "{i}: {e}");
    }
    let (s, _) = sc.invite_co_owner(&id, "p20@uni.test").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
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
