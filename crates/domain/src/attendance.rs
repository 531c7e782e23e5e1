//! Attendance arithmetic (pure, shared by browser and server): the union of a person's intervals,
//! clamping to a date filter, completion, per-day splits and the timeline's layout.
//!
//! Every instant is Unix milliseconds on the server's clock. Spans are half-open `[start, end)`.

use serde::{Deserialize, Serialize};

pub type Ms = i64;
pub const MINUTE_MS: Ms = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: Ms,
    pub end: Ms,
}

impl Span {
    pub fn new(start: Ms, end: Ms) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> Ms {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// The union of `spans`: sorted, disjoint, no empty spans. Touching spans merge, so two tabs
/// that hand over at the same millisecond count as one stretch.
pub fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Total length of already-united spans.
pub fn total(united: &[Span]) -> Ms {
    united.iter().map(Span::len).sum()
}

/// The spans cut to `window` (a date filter); spans outside it vanish.
pub fn clamp(spans: &[Span], window: Span) -> Vec<Span> {
    spans
        .iter()
        .map(|s| Span::new(s.start.max(window.start), s.end.min(window.end)))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The instant the united time first reaches `threshold`, if it does.
pub fn completion_instant(united: &[Span], threshold: Ms) -> Option<Ms> {
    if threshold <= 0 {
        return united.first().map(|s| s.start);
    }
    let mut acc = 0;
    for s in united {
        if acc + s.len() >= threshold {
            return Some(s.start + (threshold - acc));
        }
        acc += s.len();
    }
    None
}

/// Time in each bucket between consecutive `cuts` (sorted; e.g. local midnights). The result has
/// `cuts.len() - 1` entries; time outside `[cuts[0], cuts[last])` is not counted.
pub fn split_by_cuts(united: &[Span], cuts: &[Ms]) -> Vec<Ms> {
    cuts.windows(2)
        .map(|w| total(&clamp(united, Span::new(w[0], w[1]))))
        .collect()
}

/// Minutes as people read them: rounded to the nearest whole minute.
pub fn whole_minutes(ms: Ms) -> i64 {
    (ms + MINUTE_MS / 2).div_euclid(MINUTE_MS)
}

/// A segment of the timeline chart, as fractions of the chart's width (0.0 ..= 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub x: f32,
    pub width: f32,
}

/// Places united spans on an axis from `axis.start` to `axis.end`. Very short stretches keep a
/// minimum visible width so a one-minute visit still shows.
pub fn layout_bars(united: &[Span], axis: Span) -> Vec<Bar> {
    let len = axis.len().max(1) as f64;
    clamp(united, axis)
        .into_iter()
        .map(|s| {
            let x = (s.start - axis.start) as f64 / len;
            let width = (s.len() as f64 / len).max(0.003).min(1.0 - x);
            Bar {
                x: x as f32,
                width: width as f32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn s(a: Ms, b: Ms) -> Span {
        Span::new(a, b)
    }

    #[test]
    fn overlapping_tabs_count_once() {
        let u = union(vec![s(0, 10), s(5, 15), s(20, 30)]);
        assert_eq!(u, vec![s(0, 15), s(20, 30)]);
        assert_eq!(total(&u), 25);
    }

    #[test]
    fn touching_spans_merge_and_empty_spans_vanish() {
        assert_eq!(union(vec![s(10, 20), s(0, 10), s(5, 5)]), vec![s(0, 20)]);
    }

    #[test]
    fn a_span_inside_another_adds_nothing() {
        assert_eq!(total(&union(vec![s(0, 100), s(10, 20)])), 100);
    }

    #[test]
    fn clamping_cuts_spans_to_the_filter() {
        assert_eq!(
            clamp(&[s(0, 10), s(20, 30), s(40, 50)], s(5, 25)),
            vec![s(5, 10), s(20, 25)]
        );
    }

    #[test]
    fn completion_is_the_instant_the_threshold_is_reached() {
        let u = union(vec![
            s(0, 10 * MINUTE_MS),
            s(20 * MINUTE_MS, 40 * MINUTE_MS),
        ]);
        assert_eq!(completion_instant(&u, 15 * MINUTE_MS), Some(25 * MINUTE_MS));
        assert_eq!(completion_instant(&u, 30 * MINUTE_MS), Some(40 * MINUTE_MS));
        assert_eq!(completion_instant(&u, 31 * MINUTE_MS), None);
    }

    #[test]
    fn time_is_split_between_days() {
        let u = vec![s(90, 130)];
        assert_eq!(split_by_cuts(&u, &[0, 100, 200]), vec![10, 30]);
    }

    #[test]
    fn minutes_round_to_the_nearest_whole_minute() {
        assert_eq!(whole_minutes(0), 0);
        assert_eq!(whole_minutes(29_999), 0);
        assert_eq!(whole_minutes(30_000), 1);
        assert_eq!(whole_minutes(5 * MINUTE_MS - 200), 5);
    }

    #[test]
    fn bars_are_placed_as_fractions_of_the_axis() {
        let bars = layout_bars(&[s(250, 500)], s(0, 1000));
        assert_eq!(
            bars,
            vec![Bar {
                x: 0.25,
                width: 0.25
            }]
        );
        assert!(layout_bars(&[s(2000, 3000)], s(0, 1000)).is_empty());
    }

    fn spans() -> impl Strategy<Value = Vec<Span>> {
        prop::collection::vec((0i64..10_000, 0i64..2_000), 0..40)
            .prop_map(|v| v.into_iter().map(|(a, l)| s(a, a + l)).collect())
    }

    /// Brute force: the set of covered milliseconds (the values are small enough).
    fn covered(spans: &[Span]) -> std::collections::BTreeSet<Ms> {
        spans.iter().flat_map(|s| s.start..s.end).collect()
    }

    proptest! {
        #[test]
        fn the_union_covers_exactly_the_same_instants(v in spans()) {
            let u = union(v.clone());
            prop_assert_eq!(covered(&u), covered(&v));
            prop_assert_eq!(total(&u) as usize, covered(&v).len());
        }

        #[test]
        fn the_union_is_sorted_disjoint_and_idempotent(v in spans()) {
            let u = union(v);
            for w in u.windows(2) {
                prop_assert!(w[0].end < w[1].start);
            }
            prop_assert!(u.iter().all(|s| !s.is_empty()));
            prop_assert_eq!(union(u.clone()), u);
        }

        #[test]
        fn the_union_never_exceeds_the_sum_nor_the_hull(v in spans()) {
            let u = union(v.clone());
            let sum: Ms = v.iter().map(Span::len).sum();
            prop_assert!(total(&u) <= sum);
            if let (Some(lo), Some(hi)) = (u.first(), u.last()) {
                prop_assert!(total(&u) <= hi.end - lo.start);
            }
        }

        #[test]
        fn clamping_keeps_only_instants_inside_the_window(v in spans(), a in 0i64..12_000, l in 0i64..12_000) {
            let w = s(a, a + l);
            let c = clamp(&union(v.clone()), w);
            let expected: std::collections::BTreeSet<Ms> =
                covered(&v).into_iter().filter(|t| *t >= w.start && *t < w.end).collect();
            prop_assert_eq!(covered(&c), expected);
        }

        #[test]
        fn day_splits_add_up_to_the_clamped_total(v in spans(), mut cuts in prop::collection::vec(0i64..12_000, 2..8)) {
            cuts.sort_unstable();
            let u = union(v);
            let parts: Ms = split_by_cuts(&u, &cuts).iter().sum();
            let window = s(cuts[0], *cuts.last().unwrap_or(&0));
            prop_assert_eq!(parts, total(&clamp(&u, window)));
        }

        #[test]
        fn completion_happens_exactly_when_the_total_reaches_the_threshold(v in spans(), th in 1i64..20_000) {
            let u = union(v);
            match completion_instant(&u, th) {
                Some(t) => prop_assert_eq!(total(&clamp(&u, s(Ms::MIN, t))), th),
                None => prop_assert!(total(&u) < th),
            }
        }
    }
}
