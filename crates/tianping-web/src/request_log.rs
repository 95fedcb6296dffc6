//! The server's log (服务器日志): `tracing` events, one plain line each on standard error, and one
//! line per request.
//!
//! A request's line carries its method, the route it matched (the pattern, `/cases/{number}`,
//! never the path itself: case numbers, parties' names in a query, are personal data and stay out
//! of the log), the status, the time to the response's headers in milliseconds, and the
//! signed-in user when there is one:
//!
//! ```text
//! 2024-03-31T10:00:00+08:00  INFO request: method=GET route=/api/v1/deadlines status=200 ms=3.2 user=clerk0202
//! ```
//!
//! `RUST_LOG` filters as usual (`RUST_LOG=warn` keeps only warnings and errors; the request lines
//! have the target `request`); without it, `info`.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

/// The target of the request lines.
pub const TARGET: &str = "request";

/// The log's time: China Standard Time, as the audit log writes it, with milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct CstTime;

impl FormatTime for CstTime {
    fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let text = tianping_domain::clock::time_text(now.as_secs() as i64);
        // `2024-03-31T10:00:00` + `.123` + `+08:00`.
        let (clock, zone) = text.split_at(text.len() - 6);
        write!(w, "{clock}.{:03}{zone}", now.subsec_millis())
    }
}

/// The filter: `RUST_LOG` when set and valid, `info` otherwise.
pub fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// The subscriber of the server's log, writing plain lines (no colours) to `writer`.
pub fn subscriber<W>(writer: W, filter: EnvFilter) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_timer(CstTime)
        .with_env_filter(filter)
        .finish()
}

/// Log to standard error for the rest of the process (`tianping serve`). Does nothing when a
/// subscriber is already installed.
pub fn init_stderr() {
    let _ = tracing::subscriber::set_global_default(subscriber(std::io::stderr, filter()));
}

/// The request's signed-in user, filled in by [`crate::auth::CurrentUser`] when it resolves one.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(Arc<OnceLock<String>>);

impl RequestUser {
    pub fn set(&self, username: &str) {
        let _ = self.0.set(username.to_owned());
    }
}

/// The middleware: one line per request (outermost, so the status is the one sent).
pub async fn log_request(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "-".to_owned(), |path| path.as_str().to_owned());
    let user = RequestUser::default();
    req.extensions_mut().insert(user.clone());
    let response = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    let user = user.0.get().map_or("-", String::as_str);
    let ms = format!("{ms:.1}");
    if status >= 500 {
        tracing::warn!(target: TARGET, %method, %route, status, %ms, %user);
    } else {
        tracing::info!(target: TARGET, %method, %route, status, %ms, %user);
    }
    response
}
