//! The recording calls: getRecordings (filters, states, paging), publishRecordings,
//! deleteRecordings and updateRecordings (`meta_*` and Scalelite's `protect`).

use std::collections::BTreeMap;

use axum::response::Response;

use super::{
    MockState, PlaybackFormat, Recording,
    api::param,
    reply::{esc, failed, xml},
};

fn format_xml(f: &PlaybackFormat) -> String {
    let images: String = f
        .previews
        .iter()
        .map(|url| {
            format!(
                "<image alt=\"slide\" width=\"176\" height=\"136\">{}</image>",
                esc(url)
            )
        })
        .collect();
    format!(
        "<format><type>{}</type><url>{}</url><processingTime>1200</processingTime><length>{}</length>\
         <preview><images>{images}</images></preview></format>",
        esc(&f.kind),
        esc(&f.url),
        f.length_minutes
    )
}

/// A published or unpublished recording always has a format in BBB; one seeded without any gets
/// a presentation.
fn formats(r: &Recording) -> Vec<PlaybackFormat> {
    match r.state() {
        "processing" | "processed" => Vec::new(),
        _ if !r.playback.is_empty() => r.playback.clone(),
        _ => vec![PlaybackFormat {
            kind: "presentation".into(),
            url: format!("https://bbb.test/playback/presentation/2.3/{}", r.record_id),
            length_minutes: 60,
            previews: vec![format!("https://bbb.test/p/{}/1.png", r.record_id)],
        }],
    }
}

pub fn recording_xml(r: &Recording) -> String {
    let meta: String = r
        .meta
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", esc(v)))
        .collect();
    let playback: String = formats(r).iter().map(format_xml).collect();
    format!(
        "<recording><recordID>{0}</recordID><meetingID>{1}</meetingID><internalMeetingID>{0}</internalMeetingID>\
         <name>{2}</name><isBreakout>false</isBreakout><published>{3}</published><state>{4}</state>\
         <startTime>{5}</startTime><endTime>{6}</endTime><participants>{7}</participants>\
         <protected>{8}</protected><metadata>{meta}</metadata><playback>{playback}</playback></recording>",
        esc(&r.record_id),
        esc(&r.meeting_id),
        esc(&r.name),
        r.published,
        r.state(),
        r.start_time,
        r.end_time,
        r.participants,
        r.protected,
    )
}

fn list(p: Option<String>) -> Vec<String> {
    p.map(|s| s.split(',').map(|x| x.trim().to_owned()).collect())
        .unwrap_or_default()
}

fn get_recordings(st: &MockState, params: &BTreeMap<String, String>) -> Response {
    let meetings = list(param(params, "meetingID"));
    // recordID wins over meetingID and matches by prefix, as in BBB.
    let records = list(param(params, "recordID"));
    let states = list(param(params, "state"));
    let wanted_state = |r: &Recording| {
        if states.is_empty() {
            matches!(r.state(), "published" | "unpublished")
        } else {
            states
                .iter()
                .any(|s| s == r.state() || (s == "any" && r.state() != "deleted"))
        }
    };
    let offset: usize = param(params, "offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit: usize = param(params, "limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100)
        .clamp(1, 100);
    let found: String = st
        .recordings
        .iter()
        .filter(|r| {
            if records.is_empty() {
                meetings.is_empty() || meetings.contains(&r.meeting_id)
            } else {
                records
                    .iter()
                    .any(|id| r.record_id.starts_with(id.as_str()))
            }
        })
        .filter(|r| wanted_state(r))
        .skip(offset)
        .take(limit)
        .map(recording_xml)
        .collect();
    if found.is_empty() {
        xml("<recordings></recordings><messageKey>noRecordings</messageKey><message>There are no recordings for the meeting(s).</message>".into())
    } else {
        xml(format!("<recordings>{found}</recordings>"))
    }
}

fn change(st: &mut MockState, call: &str, params: &BTreeMap<String, String>) -> Response {
    let Some(ids) = param(params, "recordID") else {
        return failed("missingParamRecordID", "You must specify a recordID.");
    };
    let ids: Vec<&str> = ids.split(',').collect();
    let publish = param(params, "publish");
    if call == "publishRecordings" && publish.is_none() {
        return failed(
            "missingParamPublish",
            "You must specify a publish value true or false.",
        );
    }
    let protect = param(params, "protect");
    let mut hit = false;
    for r in st
        .recordings
        .iter_mut()
        .filter(|r| ids.contains(&r.record_id.as_str()) && !r.deleted)
    {
        hit = true;
        match call {
            "publishRecordings" => r.published = publish.as_deref() == Some("true"),
            "deleteRecordings" => r.deleted = true,
            _ => {
                for (k, v) in params {
                    if let Some(k) = k.strip_prefix("meta_") {
                        if v.is_empty() {
                            r.meta.remove(k);
                        } else {
                            r.meta.insert(k.to_owned(), v.clone());
                        }
                    }
                }
                if let Some(p) = &protect {
                    r.protected = p == "true";
                }
            }
        }
    }
    if !hit {
        return failed("notFound", "We could not find recordings");
    }
    let tag = match call {
        "publishRecordings" => "published",
        "deleteRecordings" => "deleted",
        _ => "updated",
    };
    xml(format!("<{tag}>true</{tag}>"))
}

/// The recording calls, and `unsupportedRequest` for anything else.
pub fn handle(st: &mut MockState, call: &str, params: &BTreeMap<String, String>) -> Response {
    match call {
        "getRecordings" => get_recordings(st, params),
        "publishRecordings" | "deleteRecordings" | "updateRecordings" => change(st, call, params),
        _ => failed("unsupportedRequest", "This request is not supported."),
    }
}
