//! Live phase of an activity in the browser: starts from the server's answer and advances with
//! the browser's monotonic elapsed time, so a wrong clock on the student's computer cannot open
//! a session early or keep it open.

use leptos::prelude::*;

use crate::{
    activities::model::{Phase, format_countdown},
    i18n::{fill, use_texts},
};

pub fn use_phase(initial: Phase, window_len: i64) -> Signal<Phase> {
    let elapsed = RwSignal::new(0i64);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let start = js_sys::Date::now();
            let handle = set_interval_with_handle(
                move || elapsed.set(((js_sys::Date::now() - start) / 1000.0) as i64),
                std::time::Duration::from_millis(500),
            )
            .ok();
            on_cleanup(move || {
                if let Some(h) = handle {
                    h.clear();
                }
            });
        }
    });
    Signal::derive(move || initial.advance(window_len, elapsed.get()))
}

/// A badge: "Opens in 03:04", "Open now", "Closed".
#[component]
pub fn PhaseBadge(phase: Signal<Phase>) -> impl IntoView {
    let t = use_texts();
    move || match phase.get() {
        Phase::Upcoming { opens_in, .. } => view! {
            <span class="badge badge-upcoming" data-phase="upcoming">
                {fill(t.opens_in, &[&format_countdown(opens_in)])}
            </span>
        }
        .into_any(),
        Phase::Open { .. } => {
            view! { <span class="badge badge-open" data-phase="open">{t.open_now}</span> }
                .into_any()
        }
        Phase::Closed => {
            view! { <span class="badge badge-closed" data-phase="closed">{t.closed}</span> }
                .into_any()
        }
    }
}
