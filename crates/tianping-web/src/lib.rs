//! Tianping's web application (天平网页端): server-rendered pages in Chinese, the JSON API of
//! `interfaces.md`, sign-in with court-scoped roles, and the append-only audit log.
//!
//! The way a request goes: [`auth::CurrentUser`] (401 without a session) → [`scope::authorize`]
//! turns the court asked for into a [`scope::CourtScope`] after the role check (403 outside the
//! user's court) → [`data::Data`] answers only questions that carry a `CourtScope`. So a handler
//! that forgets the check does not compile. Errors become HTTP statuses in one place
//! ([`error::WebError`]).
//!
//! The case data lives in memory ([`data::Data`]: the metrics snapshot plus the case records) and
//! follows the store incrementally: when `CaseStore::data_version` moves, the changed rows are
//! applied to a copy that is then swapped in.
#![forbid(unsafe_code)]

pub mod api;
mod assets;
pub mod auth;
pub mod data;
pub mod error;
pub mod limits;
pub mod mediation;
pub mod openapi;
mod pages;
pub mod petitions;
pub mod refunds;
pub mod request_limits;
pub mod request_log;
pub mod scope;
pub mod suggestions;
mod workflow;

/// The indicators the overview shows as cards (each links to its line of 《指标说明》).
pub const KEY_INDICATOR_IDS: [&str; 8] = pages::KEY_INDICATORS;
mod server;
pub mod session_store;
mod templates;
mod throttle;
pub mod users;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use tianping_domain::HolidayCalendar;
use tianping_domain::clock::{Clock, SystemClock};
use tianping_domain::time_limit::LimitSettings;
use tianping_store::{AuditEntry, Store, StoreError};
use tokio::sync::{Mutex, RwLock};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use auth::{hash_password, verify_password};
pub use data::Data;
pub use error::WebError;

/// Deployment settings of the web application.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark the session cookie `Secure` (only behind HTTPS). Off by default: court intranets
    /// often serve plain HTTP.
    pub secure_cookies: bool,
    /// A session ends this long after sign-in (the stored session is rewritten only when it
    /// changes, so activity does not extend it): a working day.
    pub session_lifetime: Duration,
    /// Sign-in throttling: growing delays per address and account, and per address.
    pub throttle: auth::ThrottlePolicy,
    /// How long the server waits on a client (headers, body, whole request).
    pub timeouts: request_limits::Timeouts,
    /// How often the in-memory data looks for changes in the store.
    pub refresh_interval: Duration,
    /// The largest upload the import page accepts.
    pub max_upload_bytes: usize,
    /// The courts' calendar day and the audit log's times (a fixed clock in tests).
    pub clock: Arc<dyn Clock>,
    /// The warning window of 临近审限 in days on the deadline pages (`window=` overrides it
    /// per page): 15, the time an extension must be asked for before the deadline.
    pub due_soon_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            session_lifetime: Duration::from_secs(8 * 3600),
            throttle: auth::ThrottlePolicy::default(),
            timeouts: request_limits::Timeouts::default(),
            refresh_interval: Duration::from_secs(2),
            max_upload_bytes: 64 * 1024 * 1024,
            clock: Arc::new(SystemClock),
            due_soon_days: 15,
        }
    }
}

/// Everything a request handler may use. Cheap to clone (an `Arc`).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub calendar: Arc<HolidayCalendar>,
    pub settings: Settings,
    data: RwLock<Arc<Data>>,
    /// Held while a refresh runs, so that only one request refreshes.
    refreshing: Mutex<()>,
    /// Unix milliseconds of the last look at the store's data version.
    last_check_ms: AtomicI64,
    pub(crate) sign_ins: auth::SignIns,
    pub(crate) templates: templates::Templates,
    /// Where the store lives: the case book's cache sits beside a SQLite file.
    database: tianping_store::DatabaseUrl,
    /// The records of each workflow module, read again when the store's workflow version moved
    /// (looked at at most once per refresh interval) and after an action of this server.
    mediation_book: BookSlot<mediation::Book>,
    petition_book: BookSlot<petitions::Book>,
    suggestion_book: BookSlot<suggestions::Book>,
    refund_book: BookSlot<refunds::Book>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store.backend())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The records of a workflow module a server holds: when it last looked at the store's
/// workflow version, the version it read, and the records.
struct HeldBook<T> {
    checked_at: i64,
    version: i64,
    book: Arc<T>,
}

/// One module's held records (see [`AppState::mediation_book`]).
struct BookSlot<T>(Mutex<Option<HeldBook<T>>>);

impl<T> BookSlot<T> {
    fn new() -> BookSlot<T> {
        BookSlot(Mutex::new(None))
    }

    /// The records as of now: at most once per refresh interval, the store's workflow version
    /// is looked at, and the records are read again (by `load`) only when it moved.
    async fn get<F>(&self, state: &AppState, load: F) -> Result<Arc<T>, WebError>
    where
        F: AsyncFnOnce(&AppState) -> Result<T, WebError>,
    {
        let interval = state.settings.refresh_interval.as_millis() as i64;
        let mut slot = self.0.lock().await;
        if let Some(held) = slot.as_mut() {
            if now_ms() - held.checked_at < interval {
                return Ok(held.book.clone());
            }
            if state.store.workflow_version().await? == held.version {
                held.checked_at = now_ms();
                return Ok(held.book.clone());
            }
        }
        // The version before the read: a change committed during the read is read next time.
        let version = state.store.workflow_version().await?;
        let book = Arc::new(load(state).await?);
        *slot = Some(HeldBook {
            checked_at: now_ms(),
            version,
            book: book.clone(),
        });
        Ok(book)
    }

    async fn forget(&self) {
        *self.0.lock().await = None;
    }
}

impl AppState {
    /// Load every case of the store into memory and get ready to serve (no case-book cache:
    /// tests, and stores without a file).
    pub async fn new(
        store: Arc<dyn Store>,
        calendar: HolidayCalendar,
        settings: Settings,
    ) -> Result<AppState, StoreError> {
        let memory = tianping_store::DatabaseUrl::Sqlite(tianping_store::SqliteLocation::Memory);
        AppState::open(store, memory, calendar, settings).await
    }

    /// Load the case book of the store at `database` (from its cache when current, as the
    /// command line does) and get ready to serve. The cache is rewritten after each refresh
    /// that changed the data, so that a restart reads it.
    pub async fn open(
        store: Arc<dyn Store>,
        database: tianping_store::DatabaseUrl,
        calendar: HolidayCalendar,
        settings: Settings,
    ) -> Result<AppState, StoreError> {
        let calendar = Arc::new(calendar);
        let data = Data::load(
            store.as_ref(),
            &database,
            calendar.clone(),
            LimitSettings::default(),
        )
        .await?;
        let sign_ins = auth::SignIns::new(settings.throttle.clone());
        Ok(AppState(Arc::new(Inner {
            store,
            calendar,
            settings,
            data: RwLock::new(Arc::new(data)),
            refreshing: Mutex::new(()),
            last_check_ms: AtomicI64::new(now_ms()),
            sign_ins,
            templates: templates::Templates::new(),
            database,
            mediation_book: BookSlot::new(),
            petition_book: BookSlot::new(),
            suggestion_book: BookSlot::new(),
            refund_book: BookSlot::new(),
        })))
    }

    /// The data as of now: looks at the store's data version at most once per refresh interval,
    /// and applies what changed when it moved.
    pub async fn data(&self) -> Result<Arc<Data>, WebError> {
        let interval = self.settings.refresh_interval.as_millis() as i64;
        let now = now_ms();
        if now - self.last_check_ms.load(Ordering::Relaxed) >= interval {
            self.refresh().await?;
        }
        Ok(self.data.read().await.clone())
    }

    /// The mediation records as of now: at most once per refresh interval, the store's workflow
    /// version is looked at, and the records are read again only when it moved.
    pub async fn mediation_book(&self) -> Result<Arc<mediation::Book>, WebError> {
        self.mediation_book
            .get(self, async |s: &AppState| mediation::Book::load(s).await)
            .await
    }

    /// The petition records as of now (like [`AppState::mediation_book`]).
    pub async fn petition_book(&self) -> Result<Arc<petitions::Book>, WebError> {
        self.petition_book
            .get(self, async |s: &AppState| petitions::Book::load(s).await)
            .await
    }

    /// The judicial suggestions as of now (like [`AppState::mediation_book`]).
    pub async fn suggestion_book(&self) -> Result<Arc<suggestions::Book>, WebError> {
        self.suggestion_book
            .get(self, async |s: &AppState| suggestions::Book::load(s).await)
            .await
    }

    /// The court-fee refunds as of now (like [`AppState::mediation_book`]).
    pub async fn refund_book(&self) -> Result<Arc<refunds::Book>, WebError> {
        self.refund_book
            .get(self, async |s: &AppState| refunds::Book::load(s).await)
            .await
    }

    /// Forget the workflow records read (after an action or a change of settings: the next
    /// request reads them again).
    pub async fn forget_workflow_books(&self) {
        self.mediation_book.forget().await;
        self.petition_book.forget().await;
        self.suggestion_book.forget().await;
        self.refund_book.forget().await;
    }

    /// Apply the store's changes since the data's version, if any; returns whether it changed.
    /// Concurrent callers do not wait: one refreshes, the others go on with the current data.
    pub async fn refresh(&self) -> Result<bool, WebError> {
        let Ok(_guard) = self.refreshing.try_lock() else {
            return Ok(false);
        };
        self.refresh_locked().await
    }

    /// Refresh now, after waiting for a refresh another request may have started (an import
    /// must see its own rows).
    pub async fn refresh_now(&self) -> Result<(), WebError> {
        let _guard = self.refreshing.lock().await;
        self.refresh_locked().await.map(|_| ())
    }

    async fn refresh_locked(&self) -> Result<bool, WebError> {
        self.last_check_ms.store(now_ms(), Ordering::Relaxed);
        let current = self.data.read().await.clone();
        let version = self.store.data_version().await?;
        if version == current.version() {
            return Ok(false);
        }
        let changes = self.store.changes_since(current.version()).await?;
        let updated = tokio::task::spawn_blocking(move || current.with_changes(changes))
            .await
            .map_err(|e| WebError::Internal(format!("refreshing the data: {e}")))?;
        let updated = Arc::new(updated);
        *self.data.write().await = updated.clone();
        // The cache for the next start, off the request (best effort, replaced atomically).
        if tianping_store::case_book::cache_path(&self.database).is_some() {
            let database = self.database.clone();
            tokio::task::spawn_blocking(move || {
                tianping_store::case_book::write_cache(
                    &database,
                    updated.snapshot(),
                    updated.version(),
                );
            });
        }
        Ok(true)
    }

    /// Today in China Standard Time, the courts' calendar day, on the settings' clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.settings.clock.today()
    }

    /// The time for the audit log and records, `2024-03-31T10:00:00+08:00`, on the settings'
    /// clock.
    pub fn now_text(&self) -> String {
        self.settings.clock.now_text()
    }

    /// Append to the audit log (审计日志). A failure to write it fails the request: an action
    /// that cannot be recorded is not done silently.
    pub async fn audit(
        &self,
        username: &str,
        action: &str,
        detail: String,
    ) -> Result<(), WebError> {
        self.store
            .append_audit(&AuditEntry {
                at: self.now_text(),
                username: username.to_owned(),
                action: action.to_owned(),
                detail,
            })
            .await?;
        Ok(())
    }
}

tokio::task_local! {
    /// The clock of the request being served: the settings' clock, set around every request by
    /// [`router`], so that page code far from the state reads the same day as the API.
    static REQUEST_CLOCK: Arc<dyn Clock>;
}

/// Today in China Standard Time, the courts' calendar day: the serving request's clock (the
/// settings' clock), the system clock outside a request.
pub(crate) fn today() -> chrono::NaiveDate {
    REQUEST_CLOCK
        .try_with(|clock| clock.today())
        .unwrap_or_else(|_| tianping_domain::clock::today())
}

/// Run each request with the settings' clock as [`today`]'s.
async fn with_clock(
    axum::extract::State(clock): axum::extract::State<Arc<dyn Clock>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    REQUEST_CLOCK.scope(clock, next.run(req)).await
}

/// Every route: the pages, the JSON API under `/api/v1`, static assets; sessions around them.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(session_store::StoreSessions::new(state.store.clone()))
        .with_name("tianping_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::seconds(
                state.settings.session_lifetime.as_secs() as i64,
            ),
        ));
    Router::new()
        .merge(pages::routes(state.clone()))
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state.settings.clock.clone(),
            with_clock,
        ))
        // What one request may take (request_limits.rs): a small body unless its route allows
        // more (sign-in less, the upload more), pauses within a body, and time.
        .layer(axum::extract::DefaultBodyLimit::max(
            request_limits::FORM_BODY_BYTES,
        ))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state.settings.timeouts.body_idle,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.settings.timeouts.clone(),
            request_limits::time_limit,
        ))
        // What the server reveals: bounded request targets, errors in the pages' and the API's
        // shapes (the framework's own rejections too), and nothing dynamic kept in a cache (the
        // static assets say otherwise for themselves).
        .layer(axum::middleware::from_fn(limits::bound_target))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::error_shapes,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // One log line per request, with the status as sent (request_log.rs).
        .layer(axum::middleware::from_fn(request_log::log_request))
        .with_state(state)
}

/// Serve on `listener` until the process ends. Tests bind port 0 and pass the listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with_shutdown(listener, state, std::future::pending()).await
}

/// Serve until `shutdown` completes (Ctrl+C in the binary), then finish the open requests.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Keep the data current even when nobody asks, and clear expired sessions now and then.
    let background = state.clone();
    let refresher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(background.settings.refresh_interval);
        let mut until_cleanup: u32 = 0;
        loop {
            tick.tick().await;
            let _ = background.refresh().await;
            if until_cleanup == 0 {
                let _ = background
                    .store
                    .sessions_delete_expired(now_ms() / 1000)
                    .await;
                until_cleanup = 1800;
            }
            until_cleanup -= 1;
        }
    });
    let header_read_timeout = state.settings.timeouts.header_read;
    let app = router(state);
    let result = server::run(listener, app, header_read_timeout, shutdown).await;
    refresher.abort();
    result
}
