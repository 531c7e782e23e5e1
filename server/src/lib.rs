//! Aula's server: configuration, startup (database, migrations, router), the non-server-function
//! HTTP endpoints, and the command line. The pages and server functions live in the `app` crate.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod routes;
pub mod serve;
pub mod startup;
pub mod telemetry;
