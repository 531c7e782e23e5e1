//! Test doubles for outside services, shared by the integration tests and the browser tests
//! (through `examples/mock_bbb.rs`). Compiled only with the `test-support` feature.

pub mod mock_bbb;
