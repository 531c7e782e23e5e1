//! The attendance timeline: one row per person, a bar wherever they were in the meeting. Plain
//! SVG computed in Rust, so it renders on the server, prints, and needs no chart library.

use leptos::prelude::*;

use super::dto::{ParticipantRow, Tick};
use crate::i18n::{fill, use_texts};

const WIDTH: f32 = 1000.0;
const LABEL_W: f32 = 190.0;
const PLOT_W: f32 = WIDTH - LABEL_W - 20.0;
const ROW_H: f32 = 26.0;
const AXIS_H: f32 = 28.0;

fn short(name: &str) -> String {
    if name.chars().count() > 24 {
        format!("{}…", name.chars().take(23).collect::<String>())
    } else {
        name.to_owned()
    }
}

#[component]
pub fn Timeline(rows: Vec<ParticipantRow>, ticks: Vec<Tick>) -> impl IntoView {
    let t = use_texts();
    let rows: Vec<ParticipantRow> = rows.into_iter().filter(|r| !r.bars.is_empty()).collect();
    if rows.is_empty() {
        return view! { <p class="muted">{t.att_no_attendance}</p> }.into_any();
    }
    let height = rows.len() as f32 * ROW_H + AXIS_H;
    let grid_bottom = rows.len() as f32 * ROW_H;
    let summary = rows
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r.name,
                fill(t.att_minutes_n, &[&r.minutes.to_string()])
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="timeline" data-testid="timeline">
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-label=format!("{}. {}", t.att_timeline_desc, summary)
                preserveAspectRatio="xMinYMin meet"
            >
                {ticks
                    .into_iter()
                    .map(|tk| {
                        let x = LABEL_W + tk.x * PLOT_W;
                        view! {
                            <line class="grid" x1=x x2=x y1="0" y2=grid_bottom />
                            <text class="tick" x=x y=grid_bottom + 18.0 text-anchor="middle">{tk.label}</text>
                        }
                    })
                    .collect_view()}
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let y = i as f32 * ROW_H;
                        let title = format!("{} — {}", r.name, fill(t.att_minutes_n, &[&r.minutes.to_string()]));
                        view! {
                            <g class="row" data-user=r.user_id>
                                <text class="who" x=LABEL_W - 8.0 y=y + ROW_H * 0.65 text-anchor="end">{short(&r.name)}</text>
                                <line class="lane" x1=LABEL_W x2=LABEL_W + PLOT_W y1=y + ROW_H / 2.0 y2=y + ROW_H / 2.0 />
                                {r.bars
                                    .into_iter()
                                    .map(|b| view! {
                                        <rect
                                            class="bar"
                                            x=LABEL_W + b.x * PLOT_W
                                            y=y + 5.0
                                            width=(b.width * PLOT_W).max(2.0)
                                            height=ROW_H - 10.0
                                            rx="3"
                                        >
                                            <title>{title.clone()}</title>
                                        </rect>
                                    })
                                    .collect_view()}
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption class="muted">{t.att_timeline_desc}</figcaption>
        </figure>
    }
    .into_any()
}
