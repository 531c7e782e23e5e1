//! BigBlueButton: the API client, its checksums and its XML answers, and the callbacks BBB sends
//! back (recording ready, analytics). One crate per outside integration: nothing else in Aula
//! speaks BBB's protocol. With the `fake` feature it also carries the mock BBB server the tests
//! and the browser journeys run against, so the client and its test peer change together.

pub mod callback;
pub mod checksum;
pub mod client;
pub mod create;
pub mod error;
#[cfg(feature = "fake")]
pub mod fake;
pub mod xml;
