//! BigBlueButton (server only): the API client, its checksums and its XML answers, and the
//! callbacks BBB sends back (recording ready, analytics). One module per outside integration:
//! nothing else in Aula speaks BBB's protocol.

pub mod callback;
pub mod checksum;
pub mod client;
pub mod create;
pub mod error;
pub mod xml;
