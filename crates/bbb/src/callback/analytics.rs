//! The analytics callback's body, as `post_events_analytics_callback.rb` builds it from the
//! `bbbevents` gem (keys snake-cased): `{version, meeting_id, internal_meeting_id, data: {metadata,
//! duration, start, finish, attendees: [{ext_user_id, name, moderator, joins, leaves, duration,
//! recent_talking_time, engagement: {chats, talks, raisehand, emojis, poll_votes, talk_time}}],
//! files, polls}}`. Durations are seconds; `joins`/`leaves` are instants (see `stamp`).
//!
//! Strict where Aula cannot do without a value (which meeting, which run, when it started and
//! finished, who each attendee is), tolerant of everything else.

use serde::{Deserialize, Serialize};

use super::{
    CallbackError,
    stamp::{de_count, de_flag, de_id, de_instant, de_instants, de_secs},
};

/// One run of a meeting as BBB saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsReport {
    /// The external meetingID Aula gave on `create`.
    pub meeting_id: String,
    /// BBB's id of this run (`<sha1>-<createTime>`): two runs of one room differ here.
    pub internal_meeting_id: String,
    pub start_ms: i64,
    pub finish_ms: i64,
    pub duration_secs: i64,
    pub attendees: Vec<AnalyticsAttendee>,
}

/// One person (one external userID, however many tabs) in that run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsAttendee {
    /// The `userID` Aula passed on `join`.
    pub ext_user_id: String,
    pub name: String,
    pub moderator: bool,
    pub joins_ms: Vec<i64>,
    pub leaves_ms: Vec<i64>,
    /// BBB's own sum of the presence, seconds.
    pub duration_secs: i64,
    pub talk_time_secs: i64,
    pub chats: u32,
    pub talks: u32,
    pub raisehand: u32,
    pub poll_votes: u32,
    pub emojis: u32,
}

#[derive(Deserialize)]
struct RawBody {
    #[serde(deserialize_with = "de_id")]
    meeting_id: String,
    #[serde(deserialize_with = "de_id")]
    internal_meeting_id: String,
    data: RawData,
}

#[derive(Deserialize)]
struct RawData {
    #[serde(default, deserialize_with = "de_optional_secs")]
    duration: Option<i64>,
    #[serde(deserialize_with = "de_instant")]
    start: i64,
    #[serde(deserialize_with = "de_instant")]
    finish: i64,
    attendees: Vec<RawAttendee>,
}

fn de_optional_secs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    de_secs(d).map(Some)
}

#[derive(Deserialize)]
struct RawAttendee {
    #[serde(deserialize_with = "de_id")]
    ext_user_id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, deserialize_with = "de_flag")]
    moderator: bool,
    #[serde(default, deserialize_with = "de_instants")]
    joins: Vec<i64>,
    #[serde(default, deserialize_with = "de_instants")]
    leaves: Vec<i64>,
    #[serde(default, deserialize_with = "de_secs")]
    duration: i64,
    #[serde(default)]
    engagement: Option<RawEngagement>,
}

#[derive(Default, Deserialize)]
struct RawEngagement {
    #[serde(default, deserialize_with = "de_count")]
    chats: u32,
    #[serde(default, deserialize_with = "de_count")]
    talks: u32,
    #[serde(default, deserialize_with = "de_count")]
    raisehand: u32,
    #[serde(default, deserialize_with = "de_count")]
    emojis: u32,
    #[serde(default, deserialize_with = "de_count")]
    poll_votes: u32,
    #[serde(default, deserialize_with = "de_secs")]
    talk_time: i64,
}

/// serde_json quotes offending values in its messages; the body holds people's names, which do
/// not belong in logs.
fn without_quoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match (c, quoted) {
            ('"', false) => {
                quoted = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                quoted = false;
                out.push('"');
            }
            (_, false) => out.push(c),
            (_, true) => {}
        }
    }
    out
}

/// Reads an analytics body. Refuses it if the meeting, the run, the start or finish, or an
/// attendee's `ext_user_id` is missing or unreadable.
pub fn parse_analytics(body: &[u8]) -> Result<AnalyticsReport, CallbackError> {
    let raw: RawBody = serde_json::from_slice(body).map_err(|e| {
        CallbackError::Malformed(format!(
            "analytics body: {}",
            without_quoted_values(&e.to_string())
        ))
    })?;
    let data = raw.data;
    Ok(AnalyticsReport {
        meeting_id: raw.meeting_id,
        internal_meeting_id: raw.internal_meeting_id,
        start_ms: data.start,
        finish_ms: data.finish,
        duration_secs: data
            .duration
            .unwrap_or(data.finish.saturating_sub(data.start).max(0) / 1000),
        attendees: data
            .attendees
            .into_iter()
            .map(|a| {
                let e = a.engagement.unwrap_or_default();
                AnalyticsAttendee {
                    ext_user_id: a.ext_user_id,
                    name: a.name.unwrap_or_default(),
                    moderator: a.moderator,
                    joins_ms: a.joins,
                    leaves_ms: a.leaves,
                    duration_secs: a.duration.max(0),
                    talk_time_secs: e.talk_time.max(0),
                    chats: e.chats,
                    talks: e.talks,
                    raisehand: e.raisehand,
                    poll_votes: e.poll_votes,
                    emojis: e.emojis,
                }
            })
            .collect(),
    })
}

/// The attendee's presence as `(join, leave)` pairs in ms, sorted by join: each join takes the
/// earliest unused leave at or after it; a join left without one ends at `finish_ms` (bbbevents
/// does the same); leaves matching no join are ignored, and so are empty or backwards pairs.
/// Overlapping pairs (two tabs) are kept as they are: the attendance code unions them.
pub fn presence_intervals(a: &AnalyticsAttendee, finish_ms: i64) -> Vec<(i64, i64)> {
    let mut joins = a.joins_ms.clone();
    joins.sort_unstable();
    let mut leaves = a.leaves_ms.clone();
    leaves.sort_unstable();
    let mut used = vec![false; leaves.len()];
    let mut out = Vec::with_capacity(joins.len());
    for join in joins {
        let leave = leaves
            .iter()
            .zip(used.iter_mut())
            .find(|(leave, used)| !**used && **leave >= join)
            .map_or(finish_ms, |(leave, used)| {
                *used = true;
                *leave
            });
        if leave > join {
            out.push((join, leave));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Shaped like a real callback from BBB 2.7 (bbbevents 1.x, times in the server's zone).
    fn sample() -> serde_json::Value {
        json!({
            "version": "1.0",
            "meeting_id": "aula-m-7",
            "internal_meeting_id": "183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1780000000000",
            "data": {
                "metadata": {"analytics_callback_url": "https://aula.test/bbb/analytics",
                             "is_breakout": "false", "meeting_name": "Physics 101"},
                "duration": 3600,
                "start": "2026-05-28T22:26:40.000+02:00",
                "finish": "2026-05-28T23:26:40.000+02:00",
                "attendees": [
                    {"ext_user_id": "aula-3", "name": "Tomás Teacher", "moderator": true,
                     "joins": ["2026-05-28T22:26:45.000+02:00"],
                     "leaves": ["2026-05-28T23:26:40.000+02:00"],
                     "duration": 3595, "recent_talking_time": "",
                     "engagement": {"chats": 4, "talks": 12, "raisehand": 0, "emojis": 1,
                                    "poll_votes": 0, "talk_time": 941},
                     "sessions": [{"joins": [], "lefts": []}]},
                    {"ext_user_id": "aula-9", "name": "Zoë Student", "moderator": false,
                     "joins": ["2026-05-28T22:30:00.000+02:00", "2026-05-28T22:50:00.000+02:00"],
                     "leaves": ["2026-05-28T22:40:00.000+02:00", "2026-05-28T23:26:40.000+02:00"],
                     "duration": 2800, "recent_talking_time": "2026-05-28T22:35:00.000+02:00",
                     "engagement": {"chats": 1, "talks": 2, "raisehand": 3, "emojis": 0,
                                    "poll_votes": 1, "talk_time": 30}}
                ],
                "files": ["default.pdf", "week1.pdf"],
                "polls": []
            }
        })
    }

    const START: i64 = 1_780_000_000_000; // 2026-05-28T20:26:40Z

    #[test]
    fn a_realistic_body_reads_into_the_report() {
        let r = parse_analytics(sample().to_string().as_bytes()).expect("report");
        assert_eq!(r.meeting_id, "aula-m-7");
        assert!(r.internal_meeting_id.ends_with("-1780000000000"));
        assert_eq!(r.start_ms, START);
        assert_eq!(r.finish_ms, START + 3_600_000);
        assert_eq!(r.duration_secs, 3600);
        let [teacher, student] = r.attendees.as_slice() else {
            panic!("two attendees")
        };
        assert!(teacher.moderator && !student.moderator);
        assert_eq!(teacher.name, "Tomás Teacher");
        assert_eq!(teacher.talk_time_secs, 941);
        assert_eq!((teacher.chats, teacher.talks, teacher.emojis), (4, 12, 1));
        assert_eq!(student.joins_ms, vec![START + 200_000, START + 1_400_000]);
        assert_eq!(
            (student.raisehand, student.poll_votes, student.duration_secs),
            (3, 1, 2800)
        );
    }

    #[test]
    fn optional_fields_may_be_missing_and_numbers_may_be_epochs_or_strings() {
        let body = json!({
            "meeting_id": "m", "internal_meeting_id": 42,
            "data": {"start": 1_780_000_000, "finish": "1780000600000",
                     "attendees": [{"ext_user_id": "u1", "duration": "59.6", "joins": null}]}
        });
        let r = parse_analytics(body.to_string().as_bytes()).expect("report");
        assert_eq!(r.internal_meeting_id, "42");
        assert_eq!(r.duration_secs, 600, "computed from start and finish");
        let a = &r.attendees[0];
        assert_eq!((a.name.as_str(), a.moderator, a.chats), ("", false, 0));
        assert!(a.joins_ms.is_empty() && a.leaves_ms.is_empty());
        assert_eq!(a.duration_secs, 60);
    }

    #[test]
    fn a_body_missing_what_aula_needs_is_malformed() {
        let mut no_user = sample();
        no_user["data"]["attendees"][0]
            .as_object_mut()
            .expect("attendee")
            .remove("ext_user_id");
        let mut bad_time = sample();
        bad_time["data"]["attendees"][1]["joins"][0] = json!("last Tuesday");
        let mut no_finish = sample();
        no_finish["data"]
            .as_object_mut()
            .expect("data")
            .remove("finish");
        for (case, body) in [
            ("no ext_user_id", no_user.to_string()),
            ("bad join", bad_time.to_string()),
            ("no finish", no_finish.to_string()),
            ("not JSON", "{\"meeting_id\": ".into()),
            (
                "no data",
                json!({"meeting_id": "m", "internal_meeting_id": "i"}).to_string(),
            ),
        ] {
            assert!(
                matches!(
                    parse_analytics(body.as_bytes()),
                    Err(CallbackError::Malformed(_))
                ),
                "{case}"
            );
        }
    }

    #[test]
    fn error_messages_leave_out_the_values_from_the_body() {
        let mut body = sample();
        body["data"] = json!("Zoë Private");
        let Err(CallbackError::Malformed(message)) = parse_analytics(body.to_string().as_bytes())
        else {
            panic!("malformed")
        };
        assert!(!message.contains("Zoë"), "{message}");
    }

    fn attendee(joins: &[i64], leaves: &[i64]) -> AnalyticsAttendee {
        AnalyticsAttendee {
            ext_user_id: "u".into(),
            name: String::new(),
            moderator: false,
            joins_ms: joins.to_vec(),
            leaves_ms: leaves.to_vec(),
            duration_secs: 0,
            talk_time_secs: 0,
            chats: 0,
            talks: 0,
            raisehand: 0,
            poll_votes: 0,
            emojis: 0,
        }
    }

    #[test]
    fn joins_pair_with_the_next_leave_in_time_order() {
        let a = attendee(&[50, 10], &[90, 40]);
        assert_eq!(presence_intervals(&a, 1000), vec![(10, 40), (50, 90)]);
    }

    #[test]
    fn a_join_without_a_leave_ends_at_the_finish() {
        let a = attendee(&[10, 50], &[40]);
        assert_eq!(presence_intervals(&a, 100), vec![(10, 40), (50, 100)]);
        assert_eq!(
            presence_intervals(&attendee(&[10], &[]), 70),
            vec![(10, 70)]
        );
    }

    #[test]
    fn a_leave_before_any_join_is_ignored_and_empty_pairs_are_dropped() {
        let a = attendee(&[10], &[5, 30]);
        assert_eq!(presence_intervals(&a, 100), vec![(10, 30)]);
        assert!(presence_intervals(&attendee(&[10], &[10]), 100).is_empty());
        assert!(
            presence_intervals(&attendee(&[200], &[]), 100).is_empty(),
            "a join after the finish"
        );
    }

    #[test]
    fn two_tabs_give_overlapping_pairs_kept_as_they_are() {
        let a = attendee(&[10, 20], &[30, 40]);
        assert_eq!(presence_intervals(&a, 100), vec![(10, 30), (20, 40)]);
    }
}
