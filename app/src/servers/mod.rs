//! Meeting servers: the admin registry (public Jitsi, self-hosted Jitsi with JWT, 8x8 JaaS) and
//! the tokens Aula mints for them.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod token;
pub mod view;

pub use api::*;
