//! `tianping backup` and `tianping restore` for the embedded SQLite database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tianping_store::{DatabaseUrl, SqliteLocation};

use super::{BadInput, open_store};
use crate::cli::{BackupArgs, RestoreArgs};

/// The SQLite database file `--db` names.
fn sqlite_path(db: &str) -> Result<PathBuf, BadInput> {
    match DatabaseUrl::parse(db) {
        DatabaseUrl::Sqlite(SqliteLocation::File(path)) => Ok(path),
        DatabaseUrl::Sqlite(SqliteLocation::Memory) => Err(BadInput(
            "--db: a database in memory has no file to back up or restore".to_owned(),
        )),
        DatabaseUrl::Postgres(_) => Err(BadInput(
            "--db: backup and restore are for the SQLite database; on PostgreSQL use pg_dump and \
             pg_restore (docs/postgres.md)"
                .to_owned(),
        )),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let source = sqlite_path(&args.db.db)?;
    if !source.exists() {
        return Err(BadInput(format!("--db: {} does not exist", source.display())).into());
    }
    if args.output.exists() {
        return Err(BadInput(format!("{} already exists", args.output.display())).into());
    }
    let store = open_store(&args.db.db).await?;
    let (courts, cases, events) = store.counts().await?;
    store
        .backup(&args.output)
        .await
        .context("writing the backup")?;
    store.close().await;
    println!(
        "已备份到 {}：法院 {courts} 个，案件 {cases} 件，事件 {events} 条。",
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let target = sqlite_path(&args.db.db)?;
    if !args.backup.exists() {
        return Err(BadInput(format!("{} does not exist", args.backup.display())).into());
    }
    // Check the backup on a copy: it must open as a Tianping database (migrations apply).
    let staged = with_suffix(&target, ".restore");
    std::fs::copy(&args.backup, &staged)
        .with_context(|| format!("copying {}", args.backup.display()))?;
    // Opened as the file it is (its name is not read as a URL again).
    let opened = DatabaseUrl::Sqlite(SqliteLocation::File(staged.clone()))
        .open(false)
        .await
        .with_context(|| format!("opening database {}", staged.display()));
    let checked = match opened {
        Ok(store) => {
            let counts = store.counts().await;
            store.close().await;
            counts.map_err(anyhow::Error::from)
        }
        Err(e) => Err(e),
    };
    let (courts, cases, events) = match checked {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(BadInput(format!(
                "{} is not a Tianping database: {e:#}",
                args.backup.display()
            ))
            .into());
        }
    };
    // Replace the database file; its write-ahead log and snapshot cache belong to the old one.
    for stale in [
        with_suffix(&target, "-wal"),
        with_suffix(&target, "-shm"),
        with_suffix(&target, ".snapshot"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::rename(&staged, &target).with_context(|| format!("replacing {}", target.display()))?;
    println!(
        "已从 {} 恢复 {}：法院 {courts} 个，案件 {cases} 件，事件 {events} 条。",
        args.backup.display(),
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}
