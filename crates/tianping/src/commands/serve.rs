//! `tianping serve`: the web UI and the JSON API on the database.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use tianping_domain::HolidayCalendar;
use tianping_store::Store;
use tianping_web::{AppState, Settings};

use super::{BadInput, open_store};
use crate::cli::ServeArgs;

pub async fn run(args: ServeArgs, calendar: HolidayCalendar) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.db.db).await?;
    let settings = Settings {
        secure_cookies: args.secure_cookies,
        due_soon_days: args.due_soon_days,
        ..Settings::default()
    };
    tianping_web::request_log::init_stderr();
    if store.users().await?.is_empty() {
        tracing::warn!(
            "提示：数据库中还没有用户。先添加管理员：echo 密码 | tianping user add --db {} --username admin --role admin",
            args.db.db
        );
    }
    serve_store(store, &args.db.db, calendar, &args.bind, settings, |addr| {
        println!("天平已启动：http://{addr}/   （按 Ctrl+C 停止）");
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Bind `bind`, load the data, call `ready` with the address, and serve until Ctrl+C; then close
/// the store (SQLite folds its write-ahead log into the file). The server logs through `tracing`
/// to standard error (`RUST_LOG`, default `info`); the address goes to standard output.
pub async fn serve_store(
    store: Arc<dyn Store>,
    database: &str,
    calendar: HolidayCalendar,
    bind: &str,
    settings: Settings,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    tianping_web::request_log::init_stderr();
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| BadInput(format!("--bind {bind}: {e}")))?;
    let addr = listener.local_addr()?;
    tracing::info!("正在载入案件数据…");
    let database = tianping_store::DatabaseUrl::parse(database);
    let state = AppState::open(store.clone(), database, calendar, settings)
        .await
        .context("loading the data into memory")?;
    ready(addr);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("正在停止…");
    };
    tianping_web::serve_with_shutdown(listener, state, shutdown)
        .await
        .context("serving")?;
    store.close().await;
    Ok(())
}
