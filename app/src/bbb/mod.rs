//! BigBlueButton (server only): the API client, its checksums and its XML answers. One module
//! per outside integration: nothing else in Aula speaks BBB's protocol.

pub mod checksum;
pub mod client;
pub mod error;
pub mod xml;
