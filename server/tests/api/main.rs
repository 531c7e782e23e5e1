//! One integration-test binary: each test starts the real server on port 0 with its own database.
//! SQLite by default; PostgreSQL when `AULA_TEST_POSTGRES_URL` is set; MariaDB/MySQL when
//! `AULA_TEST_MYSQL_URL` is set (each test then gets a database of its own on that server).

mod activities;
mod attendance;
mod attendance_limits;
mod attendance_totals;
mod auth;
mod bad_requests;
mod bbb;
mod bbb_activities;
mod bbb_attendance;
mod bbb_callbacks;
mod bbb_recordings;
mod bbb_scene;
mod calendar_feed;
mod courses;
mod email_change;
mod exports;
mod fake_google;
mod fake_youtube;
mod guests;
mod health;
mod helpers;
mod login_limits;
mod meeting_invitations;
mod meetings;
mod meetings_join;
mod meetings_owners;
mod metrics;
mod pages;
mod payload_sweep;
mod recording;
mod request_ids;
mod servers;
mod shared;
mod unique_races;
