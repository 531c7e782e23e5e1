//! How one BigBlueButton recording is shown (pure): its name, date, length, previews and one link
//! per playback format, and whether a recording announced by the end callback is still being
//! processed.

use super::model::{BbbRecordingRow, PlaybackLink, PreviewImage};
use bbb::xml::Recording;

use crate::tz;

/// How long "being processed" is shown without a recording-ready callback: BBB processes a long
/// meeting in hours, not days, and a server without the callback script would otherwise leave the
/// notice up for good.
const PENDING_FOR_SECS: i64 = 48 * 3600;

/// A recording ending this long before the end callback still counts as the one it announced.
const SAME_RUN_SLACK_MS: i64 = 15 * 60 * 1000;

/// The name shown and e-mailed: Aula's (`meta_name`) if set, else BBB's.
pub fn display_name(r: &Recording) -> String {
    r.metadata
        .get("name")
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| r.name.trim())
        .to_owned()
}

/// Only http(s) addresses from BBB reach a page (a `javascript:` URL would run in Aula's origin).
fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned())
}

/// One recording as the list shows it, times in `tz`.
pub fn row_of(r: &Recording, tz: &str) -> BbbRecordingRow {
    let formats = &r.playback.format;
    let length = formats.iter().map(|f| f.length).max().unwrap_or(0);
    let minutes = if length > 0 {
        length
    } else {
        (r.end_time - r.start_time).max(0) / 60_000
    };
    let mut previews: Vec<PreviewImage> = Vec::new();
    for img in formats.iter().flat_map(|f| f.preview.images.image.iter()) {
        if let Some(url) = web_url(&img.url)
            && !previews.iter().any(|p| p.url == url)
        {
            previews.push(PreviewImage {
                url,
                alt: img.alt.trim().to_owned(),
            });
        }
    }
    BbbRecordingRow {
        record_id: r.record_id.clone(),
        name: display_name(r),
        date: tz::format_local_ms(r.start_time, tz),
        minutes,
        published: r.published,
        protected: r.protected,
        previews,
        links: formats
            .iter()
            .filter_map(|f| {
                Some(PlaybackLink {
                    kind: f.kind.trim().to_owned(),
                    url: web_url(&f.url)?,
                })
            })
            .collect(),
    }
}

/// Whether to say a recording is being processed: BBB's end callback reported recording marks
/// (`pending_at`, Unix s), no recording of that run is listed yet, and it is not too old.
pub fn still_processing(pending_at: Option<i64>, listed: &[Recording], now_s: i64) -> bool {
    let Some(at) = pending_at else {
        return false;
    };
    let announced = listed
        .iter()
        .any(|r| r.end_time >= at * 1000 - SAME_RUN_SLACK_MS);
    !announced && now_s - at < PENDING_FOR_SECS
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use bbb::xml::{Format, Image, Images, Playback, Preview};

    fn recording(start_ms: i64) -> Recording {
        Recording {
            record_id: "r1".into(),
            meeting_id: "m1".into(),
            name: "Optics Lab".into(),
            published: true,
            state: "published".into(),
            start_time: start_ms,
            end_time: start_ms + 3_600_000,
            participants: 3,
            metadata: BTreeMap::new(),
            playback: Playback::default(),
            protected: false,
        }
    }

    fn format(kind: &str, url: &str, length: i64, images: &[(&str, &str)]) -> Format {
        Format {
            kind: kind.into(),
            url: url.into(),
            length,
            preview: Preview {
                images: Images {
                    image: images
                        .iter()
                        .map(|(url, alt)| Image {
                            url: (*url).into(),
                            alt: (*alt).into(),
                        })
                        .collect(),
                },
            },
        }
    }

    #[test]
    fn the_name_set_in_aula_wins_over_bbbs_own() {
        let mut r = recording(0);
        assert_eq!(display_name(&r), "Optics Lab");
        r.metadata.insert("name".into(), "  Week 1: lenses ".into());
        assert_eq!(display_name(&r), "Week 1: lenses");
        r.metadata.insert("name".into(), " ".into());
        assert_eq!(display_name(&r), "Optics Lab");
    }

    #[test]
    fn a_row_has_one_link_per_format_the_longest_length_and_each_preview_once() {
        let mut r = recording(1_780_000_000_000);
        r.playback.format = vec![
            format(
                "presentation",
                "https://bbb.test/p/1",
                42,
                &[
                    ("https://bbb.test/1.png", "Welcome"),
                    ("https://bbb.test/2.png", ""),
                ],
            ),
            format(
                "video",
                "https://bbb.test/v/1.mp4",
                41,
                &[("https://bbb.test/1.png", "Welcome")],
            ),
        ];
        let row = row_of(&r, "UTC");
        assert_eq!(row.minutes, 42);
        assert_eq!(row.date, "2026-05-28 20:26");
        assert_eq!(
            row.links
                .iter()
                .map(|l| l.kind.as_str())
                .collect::<Vec<_>>(),
            ["presentation", "video"]
        );
        assert_eq!(row.previews.len(), 2);
        assert_eq!(row.previews[0].alt, "Welcome");
    }

    #[test]
    fn only_web_addresses_from_bbb_reach_the_page() {
        let mut r = recording(0);
        r.playback.format = vec![format(
            "presentation",
            "javascript:alert(1)",
            5,
            &[("data:image/png;base64,AAAA", "x")],
        )];
        let row = row_of(&r, "UTC");
        assert!(row.links.is_empty() && row.previews.is_empty());
    }

    #[test]
    fn without_a_playback_length_the_duration_comes_from_start_and_end() {
        let row = row_of(&recording(0), "UTC");
        assert_eq!(row.minutes, 60);
    }

    #[test]
    fn processing_shows_until_the_announced_recording_is_listed_or_two_days_pass() {
        let at = 1_780_000_000;
        assert!(!still_processing(None, &[], at));
        assert!(still_processing(Some(at), &[], at + 60));
        let older = recording(at * 1000 - 5 * 3_600_000);
        assert!(still_processing(Some(at), &[older], at + 60));
        let this_run = recording(at * 1000 - 3_600_000);
        assert!(!still_processing(Some(at), &[this_run], at + 60));
        assert!(!still_processing(Some(at), &[], at + PENDING_FOR_SECS));
    }
}
