//! What BigBlueButton posts back (recording-ready tokens, analytics bearers and bodies) and the
//! attendance session token every heartbeat carries: refused or typed, never a panic.

use app::attendance::token::TokenKey;
use bbb::callback::{
    parse_analytics, peek_meeting_id, presence_intervals, verify_analytics_bearer,
    verify_recording_ready,
};

/// The secret the committed tokens were signed with (see `corpus/callbacks/README`).
const SECRET: &str = "fuzz-secret";

fn target(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = peek_meeting_id(text);
        if let Ok(ready) = verify_recording_ready(text, SECRET) {
            assert!(!ready.meeting_id.is_empty() && !ready.record_id.is_empty());
        }
        let _ = verify_analytics_bearer(text, SECRET, 1_780_000_000);
        let _ = TokenKey::new([7; 32]).verify(text);
    }
    if let Ok(report) = parse_analytics(bytes) {
        for a in &report.attendees {
            for (join, leave) in presence_intervals(a, report.finish_ms) {
                assert!(join < leave, "an empty or backwards presence pair");
            }
        }
    }
}

#[test]
fn callback_tokens_and_bodies_never_panic_and_pairs_run_forwards() {
    super::corpus::run("callbacks", target);
}
