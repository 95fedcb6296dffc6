//! The SQLite schema: the files of `migrations/sqlite`, applied in order, and the number of
//! the last one applied kept in the database header (`PRAGMA user_version`).
//!
//! Databases made before the store moved to rusqlite were migrated by sqlx, which recorded
//! the same files in a table `_sqlx_migrations`. Such a database's history is adopted once:
//! the versions sqlx applied become the `user_version`, and the table stays as it was.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Result, StoreError};

/// The migrations, numbered from 1 in this order. A shipped migration is never edited: a
/// schema change is a new file (for PostgreSQL too).
const MIGRATIONS: [(i64, &str); 8] = [
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (
        2,
        include_str!("../../migrations/sqlite/0002_versions_users_audit.sql"),
    ),
    (3, include_str!("../../migrations/sqlite/0003_workflow.sql")),
    (
        4,
        include_str!("../../migrations/sqlite/0004_petitions.sql"),
    ),
    (
        5,
        include_str!("../../migrations/sqlite/0005_suggestions.sql"),
    ),
    (6, include_str!("../../migrations/sqlite/0006_refunds.sql")),
    (
        7,
        include_str!("../../migrations/sqlite/0007_enforcement.sql"),
    ),
    (
        8,
        include_str!("../../migrations/sqlite/0008_case_tags.sql"),
    ),
];

/// The schema version a database is brought to (the number of the last migration).
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

fn schema_error(message: String) -> StoreError {
    StoreError::Schema(message)
}

/// The last migration sqlx recorded in `_sqlx_migrations`, if the table exists.
fn sqlx_history(connection: &Connection) -> Result<Option<i64>> {
    let exists: bool = connection.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' \
         AND name = '_sqlx_migrations'",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    let mut statement =
        connection.prepare("SELECT version, success FROM _sqlx_migrations ORDER BY version")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, bool>(1)?))
    })?;
    let mut last = 0;
    for row in rows {
        let (version, success) = row?;
        if !success {
            return Err(schema_error(format!(
                "migration {version} failed earlier (sqlx recorded it as failed); repair the \
                 database by hand"
            )));
        }
        if version != last + 1 {
            return Err(schema_error(format!(
                "sqlx recorded migration {version} after {last}"
            )));
        }
        last = version;
    }
    Ok(Some(last))
}

/// Bring the schema up to date, in one transaction (a second process opening the same new
/// database waits for it, then finds nothing to do).
pub(crate) fn migrate(connection: &Connection) -> Result<()> {
    let latest = MIGRATIONS.len() as i64;
    let current: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current == latest {
        return Ok(());
    }
    let transaction =
        rusqlite::Transaction::new_unchecked(connection, TransactionBehavior::Immediate)?;
    let mut current: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current == 0
        && let Some(adopted) = sqlx_history(&transaction)?
    {
        current = adopted;
    }
    if current > latest {
        return Err(schema_error(format!(
            "the database has schema version {current}, this program knows versions up to \
             {latest}: use a newer Tianping"
        )));
    }
    for (version, sql) in &MIGRATIONS[current as usize..] {
        transaction
            .execute_batch(sql)
            .map_err(|e| schema_error(format!("migration {version}: {e}")))?;
    }
    // A PRAGMA takes no parameters; the number is this program's own.
    transaction.execute_batch(&format!("PRAGMA user_version = {latest}"))?;
    transaction.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one() {
        for (i, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
        }
    }
}
