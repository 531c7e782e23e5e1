//! The heartbeat body as the browser (or anyone) posts it: parsed, checked at the boundary, then
//! applied by the pure rules. Whatever it holds, nothing panics, and no sequence of beats credits
//! more time than the server saw pass or anything past the cap.

use app::attendance::{
    beat::{Anchor, Cursor, Decision, Rules, decide, plausible_client_ms},
    dto::BeatRequest,
    hub::check_request,
};

const OPENED: i64 = 1_780_000_000_000;
const RULES: Rules = Rules {
    grace: 60_000,
    tolerance: 5_000,
    backfill: 300_000,
};

fn target(bytes: &[u8]) {
    let Ok(req) = serde_json::from_slice::<BeatRequest>(bytes) else {
        return;
    };
    if check_request(&req).is_err() {
        return;
    }
    // The browser's clock at open: a little before its first beat, as a real page would be, and
    // only if `attendance/open` would take it.
    let client = req.b.first().map_or(0, |b| b.at.saturating_sub(1_000));
    if !plausible_client_ms(client) {
        return;
    }
    let anchor = Anchor {
        server_ms: OPENED,
        client_ms: client,
    };
    let now = OPENED + 600_000;
    let cap = now - 60_000;
    let mut cur = Cursor {
        last_seen: OPENED,
        last_seq: 0,
        last_at: client,
    };
    let mut credited = 0i64;
    for beat in req.b {
        match decide(anchor, cur, beat, now, cap, RULES) {
            Decision::Ignore(_) => {}
            Decision::Extend(next) => {
                assert!(next.last_seen >= cur.last_seen, "time ran backwards");
                credited += next.last_seen - cur.last_seen;
                cur = next;
            }
            Decision::Restart { start, cursor } => {
                assert!(
                    start <= cursor.last_seen,
                    "an interval ends before it starts"
                );
                credited += cursor.last_seen - start;
                cur = cursor;
            }
            Decision::Skip(next) => cur = next,
        }
        assert!(cur.last_seen <= cap, "credited past the cap");
    }
    assert!(
        credited <= cap - OPENED,
        "credited {credited} ms of {}",
        cap - OPENED
    );
}

#[test]
fn heartbeat_bodies_never_panic_nor_credit_more_than_the_server_saw() {
    super::corpus::run("heartbeat", target);
}

#[test]
fn any_sequence_of_plausible_beats_keeps_within_what_the_server_saw() {
    // Random bytes are rarely a heartbeat body, so beats are also generated as values: counters
    // anywhere, clock readings within ±25 days of the session's opening.
    bolero::check!()
        .with_type::<Vec<(i64, i32)>>()
        .for_each(|beats| {
            let b: Vec<serde_json::Value> = beats
                .iter()
                .map(|(seq, offset)| {
                    serde_json::json!({ "seq": seq, "at": 1_780_000_000_000 + i64::from(*offset) })
                })
                .collect();
            let body = serde_json::json!({ "t": "x", "b": b }).to_string();
            target(body.as_bytes());
        });
}
