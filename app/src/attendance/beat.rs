//! The heartbeat rules (pure): how a heartbeat received by the server moves an attendance
//! interval. The server's clock is authoritative; the browser's clock is only ever compared with
//! itself, so a browser whose clock is hours off still counts correctly, and no browser can be
//! credited with time the server did not see pass.
//!
//! A browser sends `(seq, at)`: a counter and its own `Date.now()`. Between two accepted
//! heartbeats the browser claims `at - last_at` of presence; the server credits
//! `min(claim, what it saw elapse)`, never beyond `cap` (the activity's closing time, or now).
//! Heartbeats held back while the browser was offline arrive together later and are credited
//! then, each within that bound. A claim longer than `grace` (the browser itself went quiet: tab
//! frozen, laptop asleep, process killed) closes the interval and starts a new one.

use serde::{Deserialize, Serialize};

use super::model::Ms;

/// The latest browser clock reading Aula believes (2^50 ms, about the year 37,600). Browser
/// readings are checked against it where they arrive, so the clock arithmetic below can never
/// overflow, whatever a browser sends.
pub const MAX_CLIENT_MS: Ms = 1 << 50;

/// A browser's `Date.now()` that the rules can work with: not before 1970, not absurdly far ahead.
pub fn plausible_client_ms(ms: Ms) -> bool {
    (0..=MAX_CLIENT_MS).contains(&ms)
}

/// A beat the rules can work with: a plausible clock reading and a counter that never runs
/// backwards past zero.
pub fn plausible_beat(beat: Beat) -> bool {
    plausible_client_ms(beat.at) && beat.seq >= 0
}

/// One heartbeat as the browser sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beat {
    pub seq: i64,
    /// The browser's `Date.now()` when the beat was taken (not when it was sent).
    pub at: Ms,
}

/// Fixed at session open and carried (signed) in the session token: the server's and the
/// browser's clocks at the same moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub server_ms: Ms,
    pub client_ms: Ms,
}

/// The open interval's state, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub last_seen: Ms,
    pub last_seq: i64,
    pub last_at: Ms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// A browser silence longer than this closes the interval (default: two heartbeats).
    pub grace: Ms,
    /// How far ahead of the server's elapsed time a browser clock may run before its beats are
    /// treated as from the future (network delay, timer jitter). Also how late a beat may reach
    /// the server and still count as heard live.
    pub tolerance: Ms,
    /// How far back before its arrival a request may credit beats held back offline (default
    /// five minutes): a gap back-fills at most this much.
    pub backfill: Ms,
}

/// How the server came to credit a span: a heartbeat that reached it when it was taken, or one
/// held back by the browser (offline) and delivered later. Reports show the second apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Live,
    Buffered,
}

/// Where on the server's clock a beat stands: the moment it was taken, counted from the last
/// accepted beat (so the browser's clock is only compared with itself).
fn stands_for(cur: Cursor, beat: Beat) -> Ms {
    // Saturating: callers check readings with `plausible_beat`, but a rule must not panic.
    cur.last_seen
        .saturating_add(beat.at.saturating_sub(cur.last_at))
}

/// A beat is heard live when it reaches the server within `tolerance` of the moment it stands
/// for; later than that, the browser held it back.
pub fn source_of(cur: Cursor, beat: Beat, now: Ms, rules: Rules) -> Source {
    if now.saturating_sub(stands_for(cur, beat)) > rules.tolerance {
        Source::Buffered
    } else {
        Source::Live
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ignored {
    /// Already applied (a retried request, or an older beat arriving late).
    Replay,
    /// Claims more time than the server has seen since the session opened.
    Future,
    /// Older than the session itself.
    BeforeOpen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Ignore(Ignored),
    /// Same interval, credited up to `last_seen`.
    Extend(Cursor),
    /// The browser went quiet for longer than `grace`: close the current interval where it was
    /// last seen and open a new one at `start`.
    Restart {
        start: Ms,
        cursor: Cursor,
    },
    /// A held-back beat from before the back-fill window: the cursor moves on, nothing is
    /// credited, and the interval is broken there.
    Skip(Cursor),
}

/// The checks that need no stored state (done before touching the database).
pub fn screen(anchor: Anchor, beat: Beat, now: Ms, rules: Rules) -> Result<(), Ignored> {
    let claimed = beat.at.saturating_sub(anchor.client_ms);
    if claimed < 0 {
        return Err(Ignored::BeforeOpen);
    }
    if claimed
        > now
            .saturating_sub(anchor.server_ms)
            .saturating_add(rules.tolerance)
    {
        return Err(Ignored::Future);
    }
    Ok(())
}

/// Applies one beat to the open interval. `cap` is the latest instant that may be credited:
/// the server's receipt time, or the activity's closing time if earlier.
pub fn decide(anchor: Anchor, cur: Cursor, beat: Beat, now: Ms, cap: Ms, rules: Rules) -> Decision {
    if let Err(why) = screen(anchor, beat, now, rules) {
        return Decision::Ignore(why);
    }
    if beat.seq <= cur.last_seq || beat.at < cur.last_at {
        return Decision::Ignore(Ignored::Replay);
    }
    let claim = beat.at.saturating_sub(cur.last_at);
    // Where this beat falls on the server's clock, never past the cap and never backwards.
    let at_server = stands_for(cur, beat).min(cap).max(cur.last_seen);
    let cursor = Cursor {
        last_seen: at_server,
        last_seq: beat.seq,
        last_at: beat.at,
    };
    let window_start = now.saturating_sub(rules.backfill);
    if stands_for(cur, beat) < window_start {
        Decision::Skip(cursor)
    } else if claim > rules.grace {
        Decision::Restart {
            start: at_server,
            cursor,
        }
    } else if cur.last_seen < window_start {
        // The first beat inside the back-fill window credits only what lies inside it.
        Decision::Restart {
            start: window_start.min(at_server),
            cursor,
        }
    } else {
        Decision::Extend(cursor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const RULES: Rules = Rules {
        grace: 60_000,
        tolerance: 5_000,
        backfill: 300_000,
    };
    const S: Ms = 1_000;

    fn anchor(skew: Ms) -> Anchor {
        Anchor {
            server_ms: 1_000_000,
            client_ms: 1_000_000 + skew,
        }
    }

    fn start(a: Anchor) -> Cursor {
        Cursor {
            last_seen: a.server_ms,
            last_seq: 0,
            last_at: a.client_ms,
        }
    }

    /// Runs beats every `every` ms (server and browser in step), returning the credited time.
    fn run(skew: Ms, beats: i64, every: Ms) -> Ms {
        let a = anchor(skew);
        let mut c = start(a);
        for i in 1..=beats {
            let now = a.server_ms + i * every;
            let beat = Beat {
                seq: i,
                at: a.client_ms + i * every,
            };
            match decide(a, c, beat, now, now, RULES) {
                Decision::Extend(n) => c = n,
                other => panic!("unexpected {other:?}"),
            }
        }
        c.last_seen - a.server_ms
    }

    #[test]
    fn regular_heartbeats_credit_the_time_between_them() {
        assert_eq!(run(0, 10, 30 * S), 300 * S);
    }

    #[test]
    fn a_browser_clock_hours_off_counts_the_same() {
        assert_eq!(run(3 * 3600 * S, 10, 30 * S), 300 * S);
        assert_eq!(run(-5 * 3600 * S, 10, 30 * S), 300 * S);
    }

    #[test]
    fn a_replayed_beat_adds_nothing() {
        let a = anchor(0);
        let c = start(a);
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 30 * S,
        };
        let Decision::Extend(c) = decide(
            a,
            c,
            beat,
            a.server_ms + 30 * S,
            a.server_ms + 30 * S,
            RULES,
        ) else {
            panic!()
        };
        let again = decide(
            a,
            c,
            beat,
            a.server_ms + 40 * S,
            a.server_ms + 40 * S,
            RULES,
        );
        assert_eq!(again, Decision::Ignore(Ignored::Replay));
    }

    #[test]
    fn a_beat_from_the_future_is_ignored() {
        let a = anchor(0);
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 10 * 60 * S,
        };
        let now = a.server_ms + 30 * S;
        assert_eq!(
            decide(a, start(a), beat, now, now, RULES),
            Decision::Ignore(Ignored::Future)
        );
    }

    #[test]
    fn a_browser_claiming_more_than_the_server_saw_is_capped() {
        // The browser says 50 s passed; the server saw 20 s (it is within tolerance of nothing,
        // so screen it against a later server time): credit stops at the server's receipt.
        let a = anchor(0);
        let mut c = start(a);
        c.last_seen = a.server_ms + 40 * S;
        c.last_at = a.client_ms + 10 * S;
        let now = a.server_ms + 60 * S;
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 60 * S,
        };
        let Decision::Extend(n) = decide(a, c, beat, now, now, RULES) else {
            panic!()
        };
        assert_eq!(n.last_seen, now);
    }

    #[test]
    fn a_silence_longer_than_grace_starts_a_new_interval() {
        let a = anchor(0);
        let now = a.server_ms + 5 * 60 * S;
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 5 * 60 * S,
        };
        assert_eq!(
            decide(a, start(a), beat, now, now, RULES),
            Decision::Restart {
                start: now,
                cursor: Cursor {
                    last_seen: now,
                    last_seq: 1,
                    last_at: beat.at
                }
            }
        );
    }

    #[test]
    fn beats_held_back_offline_are_credited_when_they_arrive() {
        // Ten beats taken every 30 s while offline, all delivered 5 minutes later at once.
        let a = anchor(123);
        let mut c = start(a);
        let now = a.server_ms + 300 * S;
        for i in 1..=10 {
            let beat = Beat {
                seq: i,
                at: a.client_ms + i * 30 * S,
            };
            match decide(a, c, beat, now, now, RULES) {
                Decision::Extend(n) => c = n,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(c.last_seen - a.server_ms, 300 * S);
    }

    #[test]
    fn nothing_is_credited_past_the_closing_time() {
        let a = anchor(0);
        let now = a.server_ms + 30 * S;
        let cap = a.server_ms + 10 * S;
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 30 * S,
        };
        let Decision::Extend(n) = decide(a, start(a), beat, now, cap, RULES) else {
            panic!()
        };
        assert_eq!(n.last_seen, cap);
    }

    /// Beats every 30 s on the browser's clock from the session's start, all delivered at `now`;
    /// returns (credited, credited from held-back beats).
    fn deliver_late(beats: i64, now_after: Ms) -> (Ms, Ms) {
        let a = anchor(0);
        let mut c = start(a);
        let now = a.server_ms + now_after;
        let (mut credited, mut buffered) = (0, 0);
        for i in 1..=beats {
            let beat = Beat {
                seq: i,
                at: a.client_ms + i * 30 * S,
            };
            let source = source_of(c, beat, now, RULES);
            let gained = match decide(a, c, beat, now, now, RULES) {
                Decision::Extend(n) => {
                    let g = n.last_seen - c.last_seen;
                    c = n;
                    g
                }
                Decision::Restart { start, cursor } => {
                    c = cursor;
                    cursor.last_seen - start
                }
                Decision::Skip(n) => {
                    c = n;
                    0
                }
                Decision::Ignore(why) => panic!("{why:?}"),
            };
            credited += gained;
            if source == Source::Buffered {
                buffered += gained;
            }
        }
        (credited, buffered)
    }

    #[test]
    fn a_gap_back_fills_at_most_the_configured_span() {
        // Twenty minutes offline, then everything at once: only the last five are credited.
        let (credited, buffered) = deliver_late(40, 1_200 * S + 2 * S);
        assert_eq!(credited, 300 * S - 2 * S);
        assert_eq!(
            buffered,
            credited - 30 * S,
            "the newest beat was heard live"
        );
    }

    #[test]
    fn a_short_gap_is_back_filled_and_told_apart_from_live_time() {
        // Four beats held back and delivered together 5 s after the last: all are credited, and
        // all but the last (which arrived on time) as buffered.
        let (credited, buffered) = deliver_late(4, 125 * S);
        assert_eq!(credited, 120 * S);
        assert_eq!(
            buffered,
            90 * S,
            "the beats at 30, 60 and 90 s arrived late"
        );
    }

    #[test]
    fn beats_that_arrive_on_time_are_live() {
        let a = anchor(0);
        let beat = Beat {
            seq: 1,
            at: a.client_ms + 30 * S,
        };
        let c = start(a);
        assert_eq!(
            source_of(c, beat, a.server_ms + 31 * S, RULES),
            Source::Live
        );
        assert_eq!(
            source_of(c, beat, a.server_ms + 40 * S, RULES),
            Source::Buffered
        );
    }

    proptest! {
        /// However long a browser stays offline, one gap credits at most the back-fill window
        /// from beats it held back.
        #[test]
        fn held_back_beats_never_credit_more_than_the_window(beats in 1i64..400, late in 0i64..20_000_000) {
            let now_after = beats * 30 * S + late;
            let (_, buffered) = deliver_late(beats, now_after);
            prop_assert!(buffered <= RULES.backfill);
        }

        /// Whatever a browser sends, in any order, with any clock, the credited time never
        /// exceeds the time the server saw elapse since the session opened.
        #[test]
        fn no_browser_gains_time_the_server_did_not_see(
            skew in -10_000_000i64..10_000_000,
            steps in prop::collection::vec((0i64..90_000, -5i64..5, -120_000i64..120_000), 1..60),
        ) {
            let a = anchor(skew);
            let mut c = start(a);
            let mut credited = 0;
            let mut now = a.server_ms;
            for (i, (dt, dseq, dat)) in steps.into_iter().enumerate() {
                now += dt;
                let beat = Beat { seq: c.last_seq + dseq, at: c.last_at + dat + i as i64 };
                match decide(a, c, beat, now, now, RULES) {
                    Decision::Ignore(_) => {}
                    Decision::Extend(n) => { credited += n.last_seen - c.last_seen; c = n; }
                    Decision::Restart { start, cursor } => {
                        prop_assert!(start >= c.last_seen);
                        credited += cursor.last_seen - start;
                        c = cursor;
                    }
                    Decision::Skip(cursor) => c = cursor,
                }
                prop_assert!(c.last_seen <= now);
                prop_assert!(credited <= now - a.server_ms);
            }
        }

        /// Sending the same beat twice changes nothing the second time.
        #[test]
        fn applying_a_beat_twice_is_the_same_as_once(gap in 0i64..200_000, seq in 1i64..100) {
            let a = anchor(0);
            let c = start(a);
            let now = a.server_ms + gap;
            let beat = Beat { seq, at: a.client_ms + gap };
            let once = match decide(a, c, beat, now, now, RULES) {
                Decision::Extend(n) | Decision::Restart { cursor: n, .. } | Decision::Skip(n) => n,
                Decision::Ignore(_) => c,
            };
            prop_assert_eq!(decide(a, once, beat, now + 1, now + 1, RULES), Decision::Ignore(Ignored::Replay));
        }
    }
}
