//! Fuzz targets for every parser that reads what someone outside Aula sends: BigBlueButton's XML
//! answers, its callback tokens and bodies, the heartbeat body, the enrolment CSV, uploaded
//! slides and avatars by their bytes, and the ICS writer round-tripped through a reader.
//!
//! Each target is a `bolero` check. Under `cargo test` it replays the committed corpus
//! (`corpus/<target>/`, real inputs and every crash found so far) and then random inputs for
//! `BOLERO_RANDOM_TEST_TIME_MS` (1 s by default; `.ci/run` gives each 15 s). The goal: no input
//! makes any of them panic, and each keeps the property written beside it. An input that fails
//! goes into its corpus folder once fixed, so it is replayed on every run after.

mod bbb;
mod callbacks;
mod corpus;
mod heartbeat;
mod ics;
mod sniffing;
mod uploads_csv;
