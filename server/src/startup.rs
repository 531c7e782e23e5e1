//! Building the application: state, router and listener. The listener is bound before serving,
//! so callers (tests included) know the port at once and need no readiness polling.

use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
};

use anyhow::Context;
use app::{
    App,
    attendance::hub::{AttendanceHub, AttendanceSettings},
    shell,
    state::{AppState, Clock, SiteSettings},
};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, header},
    middleware::{from_fn, from_fn_with_state},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

use crate::{
    config::Config,
    db,
    middleware::{content_security_policy, csrf_guard, server_fn_guard, user_memo},
    routes, telemetry,
};

pub async fn build_state(config: &Config, db: DatabaseConnection) -> anyhow::Result<AppState> {
    let secrets = db::master_key(config)?;
    let mut leptos_options = get_configuration(None)
        .context("reading Leptos options")?
        .leptos_options;
    leptos_options.site_addr = config.bind;
    let public_url = config.public_url();
    let attendance = AttendanceHub::start(
        db.clone(),
        AttendanceSettings {
            heartbeat_ms: i64::from(config.heartbeat_secs) * 1000,
            grace_ms: i64::from(config.grace_secs()) * 1000,
            backfill_ms: i64::from(config.attendance_backfill_secs) * 1000,
        },
        secrets.derive_key("attendance-token-v1"),
        config.attendance_queue,
    );
    Ok(AppState {
        leptos_options,
        db,
        settings: Arc::new(SiteSettings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            data_dir: config.data_dir.clone(),
            session_days: config.session_days,
            jwt_include_email: config.jwt_include_email,
            smtp: config.smtp(),
            trusted_proxies: config.trusted_proxies(),
            login_free_failures: config.login_attempts,
            login_window_ms: config.login_window_secs * 1000,
        }),
        secrets: Arc::new(secrets),
        clock: if config.clock_control {
            tracing::warn!("clock_control is on: POST /__test/clock can move time (tests only)");
            Clock::adjustable()
        } else {
            Clock::system()
        },
        attendance: Arc::new(attendance),
        google: Arc::new(app::recording::google::Google::new(config.google())),
        bbb: Arc::new(bbb::client::BbbClient::new(std::time::Duration::from_secs(
            config.bbb_timeout_secs.max(1),
        ))),
        meeting_origins: Arc::new(app::csp::RegistryOrigins::default()),
    })
}

/// Runs pending migrations and makes sure the configured default Jitsi server exists.
pub async fn prepare_database(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")?;
    app::servers::ssr::ensure_default_server(db, &config.jitsi_default_url)
        .await
        .map_err(|e| anyhow::anyhow!("registering the default Jitsi server: {e}"))?;
    Ok(())
}

/// The app's route list, made once per process.
///
/// Why once: making it renders the app with Leptos's process-wide `SuppressResourceLoad` flag set
/// (leptos_server 0.8.8), and a resource first polled anywhere in the process meanwhile waits
/// forever, so that page's response never ends (leptos-rs/leptos#4773). A second `Application`
/// in the same process (a replica in a test, or the many servers of the integration suite) would
/// otherwise set the flag while the first one is answering requests.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface. `metrics_token` guards `GET /metrics` (none: no such route).
pub fn router(state: AppState, metrics_token: Option<String>) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let shell_options = options.clone();
    let mut base = Router::new();
    if state.clock.is_adjustable() {
        base = base.route("/__test/clock", post(routes::attendance::advance_clock));
    }
    let db = state.db.clone();
    let router = base
        .route("/healthz", get(routes::health::healthz))
        .route(
            "/metrics",
            get(move |headers: axum::http::HeaderMap| {
                crate::metrics::scrape(headers, metrics_token.clone(), db.clone())
            }),
        )
        .route(
            "/attendance/beat",
            post(routes::attendance::beat)
                .layer(DefaultBodyLimit::max(routes::attendance::MAX_BEAT_BODY)),
        )
        .route(
            "/activities/{id}/attendance.csv",
            get(routes::attendance::export_csv),
        )
        .route(
            "/activities/{id}/attendance.xlsx",
            get(routes::attendance::export_xlsx),
        )
        .route(
            "/courses/{id}/calendar.ics",
            get(routes::calendar::course_calendar),
        )
        // Each user's secret calendar feed (`{token}` or `{token}.ics`), read without a session.
        .route("/calendar/feed/{token}", get(routes::feed::calendar_feed))
        // The 2 MB picture limit plus multipart overhead; larger bodies are cut off by axum.
        .route(
            "/profile/avatar",
            post(routes::avatar::upload)
                .layer(DefaultBodyLimit::max(routes::avatar::MAX_BYTES + 64 * 1024)),
        )
        .route("/avatars/{file}", get(routes::avatar::serve))
        .route(
            "/meetings/{id}/slides",
            post(routes::slides::upload).layer(DefaultBodyLimit::max(routes::slides::MAX_BODY)),
        )
        .route(
            "/admin/recording/oauth/callback",
            get(routes::recording::oauth_callback),
        )
        // BigBlueButton's callbacks (URLs given on `create`, see `rooms::ssr::callback_meta`).
        .route("/bbb/recording-ready", post(routes::bbb::recording_ready))
        .route(
            "/bbb/analytics",
            post(routes::bbb::analytics)
                .layer(DefaultBodyLimit::max(routes::bbb::MAX_ANALYTICS_BODY)),
        )
        .route("/bbb/ended/{meeting_id}", get(routes::bbb::ended))
        .leptos_routes_with_context(&state, routes, app::csp::provide_nonce, move || {
            shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let state = state.clone();
                move || {
                    provide_context(state.clone());
                    app::csp::provide_nonce();
                }
            },
            shell,
        ))
        .layer(from_fn(user_memo))
        .layer(from_fn(server_fn_guard))
        .layer(from_fn(csrf_guard))
        .layer(from_fn_with_state(state.clone(), content_security_policy))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(from_fn(crate::metrics::track));
    // Outermost: the request id and its span cover everything above, errors included.
    telemetry::traced(router).with_state(state)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    idle: std::time::Duration,
}

impl Application {
    /// Connects, migrates, binds. `bind` overrides the configured address.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        crate::metrics::init();
        let db = db::connect(config).await?;
        prepare_database(config, &db).await?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("binding {}", config.bind))?;
        let mut config = config.clone();
        config.bind = listener.local_addr()?;
        let state = build_state(&config, db).await?;
        if config.jobs_interval_secs > 0 {
            crate::jobs::spawn(
                state.clone(),
                std::time::Duration::from_secs(config.jobs_interval_secs),
            );
        }
        Ok(Self {
            listener,
            router: router(state, config.metrics_token.clone()),
            idle: std::time::Duration::from_secs(config.http_idle_secs),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| ([127, 0, 0, 1], 0).into())
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        crate::serve::serve(self.listener, self.router, self.idle, shutdown_signal()).await;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
