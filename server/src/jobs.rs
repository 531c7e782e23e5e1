//! Background jobs. Every replica runs the loop; the lease in the database lets only one of them
//! do a given run, so videos are deleted once however many replicas there are.

use std::time::Duration;

use app::{
    recording::ssr::{Ctx, retention},
    state::AppState,
};

/// Runs the recording-retention job every `interval` until the process ends.
pub fn spawn(state: AppState, interval: Duration) {
    let holder = format!("replica-{}", uuid::Uuid::new_v4().simple());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let run = retention::run(&Ctx::of(&state), &holder).await;
            crate::metrics::job_run(
                "recording_retention",
                match &run {
                    Ok(r) if r.ran => "ran",
                    Ok(_) => "leased_elsewhere",
                    Err(_) => "failed",
                },
            );
            match run {
                Ok(r) if r.ran && (!r.deleted.is_empty() || !r.failed.is_empty()) => {
                    tracing::info!(
                        deleted = r.deleted.len(),
                        failed = r.failed.len(),
                        "recording retention"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("recording retention: {e}"),
            }
        }
    });
}
