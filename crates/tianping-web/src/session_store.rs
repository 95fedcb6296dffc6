//! Web sessions kept in Tianping's own store (`UserStore::session_*`), so that they survive a
//! restart and work the same on SQLite and PostgreSQL.

use std::sync::Arc;

use async_trait::async_trait;
use tianping_store::{SessionRecord, UserStore};
use tower_sessions::SessionStore;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;

#[derive(Clone)]
pub struct StoreSessions {
    store: Arc<dyn UserStore>,
}

impl std::fmt::Debug for StoreSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreSessions")
    }
}

impl StoreSessions {
    pub fn new(store: Arc<dyn UserStore>) -> StoreSessions {
        StoreSessions { store }
    }
}

fn backend(e: tianping_store::StoreError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for StoreSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        while self
            .store
            .session_load(&record.id.to_string())
            .await
            .map_err(backend)?
            .is_some()
        {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_vec(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        self.store
            .session_save(&SessionRecord {
                id: record.id.to_string(),
                data,
                expiry: record.expiry_date.unix_timestamp(),
            })
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(stored) = self
            .store
            .session_load(&id.to_string())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let expiry_date = OffsetDateTime::from_unix_timestamp(stored.expiry)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if expiry_date <= OffsetDateTime::now_utc() {
            return Ok(None);
        }
        let data = serde_json::from_slice(&stored.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
