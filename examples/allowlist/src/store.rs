//! Where allowed addresses live: a process-local set, or the Redis set `allowlist`.

use std::collections::HashSet;
use std::fmt;
use std::sync::RwLock;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::address::Address;

/// Name of the Redis set that holds the allowed addresses.
pub const REDIS_KEY: &str = "allowlist";

/// Each single connection attempt and each command gives up after this long.
const REDIS_IO_TIMEOUT: Duration = Duration::from_secs(2);
/// Upper bound for the whole startup check (connect + PING), retries included.
const REDIS_STARTUP_TIMEOUT: Duration = Duration::from_secs(5);

/// The two storage backends; an enum keeps dispatch simple and async-trait free.
pub enum Store {
    Memory(RwLock<HashSet<String>>),
    Redis(ConnectionManager),
}

/// A storage operation that could not be carried out (e.g. Redis went away).
#[derive(Debug)]
pub struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(e: redis::RedisError) -> Self {
        StoreError(e.to_string())
    }
}

impl Store {
    /// Starts with an empty process-local set; used when REDIS_URL is not set.
    pub fn memory() -> Self {
        Store::Memory(RwLock::new(HashSet::new()))
    }

    /// Connects to Redis and insists on a PONG, so a bad REDIS_URL fails at startup, not per request.
    /// The error is the full one-line message to print before exiting.
    pub async fn connect_redis(url: &str) -> Result<Self, String> {
        let shown = redact_url(url);
        let client = redis::Client::open(url).map_err(|e| {
            format!("error: invalid REDIS_URL {shown}: {e} (expected redis://host:port)")
        })?;
        let unreachable = |cause: String| {
            format!("error: cannot reach Redis at {shown}: {cause} (start redis-server or unset REDIS_URL)")
        };
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_IO_TIMEOUT))
            .set_response_timeout(Some(REDIS_IO_TIMEOUT))
            .set_number_of_retries(1);
        let check = async {
            let manager = ConnectionManager::new_with_config(client, config).await?;
            let reply: String = redis::cmd("PING").query_async(&mut manager.clone()).await?;
            Ok::<_, redis::RedisError>((manager, reply))
        };
        match tokio::time::timeout(REDIS_STARTUP_TIMEOUT, check).await {
            Err(_) => Err(unreachable(format!(
                "no answer within {}s",
                REDIS_STARTUP_TIMEOUT.as_secs()
            ))),
            Ok(Err(e)) => Err(unreachable(e.to_string())),
            Ok(Ok((_, reply))) if reply != "PONG" => Err(unreachable(format!(
                "PING answered {reply:?} instead of PONG"
            ))),
            Ok(Ok((manager, _))) => Ok(Store::Redis(manager)),
        }
    }

    /// Names the backend for /healthz and the startup line.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Memory(_) => "memory",
            Store::Redis(_) => "redis",
        }
    }

    /// Checks the backend still answers, so /healthz tells the truth in Redis mode.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Redis(conn) => {
                let _: String = redis::cmd("PING").query_async(&mut conn.clone()).await?;
                Ok(())
            }
        }
    }

    /// Answers GET: is this canonical address in the allowlist (SISMEMBER in Redis)?
    pub async fn contains(&self, address: &Address) -> Result<bool, StoreError> {
        match self {
            Store::Memory(set) => {
                let set = set.read().unwrap_or_else(|poisoned| poisoned.into_inner());
                Ok(set.contains(address.as_str()))
            }
            Store::Redis(conn) => Ok(redis::cmd("SISMEMBER")
                .arg(REDIS_KEY)
                .arg(address.as_str())
                .query_async::<bool>(&mut conn.clone())
                .await?),
        }
    }

    /// Answers POST: adds the address and returns true only if it was not there yet (SADD's count).
    pub async fn insert(&self, address: &Address) -> Result<bool, StoreError> {
        match self {
            Store::Memory(set) => {
                let mut set = set.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                Ok(set.insert(address.as_str().to_owned()))
            }
            Store::Redis(conn) => {
                let added: i64 = redis::cmd("SADD")
                    .arg(REDIS_KEY)
                    .arg(address.as_str())
                    .query_async(&mut conn.clone())
                    .await?;
                Ok(added > 0)
            }
        }
    }
}

/// Hides a password in a Redis URL before it is printed (`redis://user:***@host`).
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &rest[..at];
    let user = match userinfo.find(':') {
        Some(colon) => format!("{}:***", &userinfo[..colon]),
        None => userinfo.to_owned(),
    };
    format!("{}{}{}", &url[..scheme_end], user, &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Address {
        Address::parse(s).unwrap()
    }

    #[tokio::test]
    async fn memory_store_adds_once() {
        let store = Store::memory();
        assert_eq!(store.kind(), "memory");
        assert!(store.ping().await.is_ok());
        assert!(!store.contains(&addr("0xab")).await.unwrap());
        assert!(store.insert(&addr("0xAB")).await.unwrap());
        assert!(!store.insert(&addr("0x00ab")).await.unwrap());
        assert!(store.contains(&addr("0xab")).await.unwrap());
        assert!(!store.contains(&addr("0xabc")).await.unwrap());
    }

    #[test]
    fn redacts_passwords_only() {
        let cases = [
            ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379"),
            ("redis://:secret@host:6379/0", "redis://:***@host:6379/0"),
            ("redis://user:secret@host", "redis://user:***@host"),
            ("redis://user@host", "redis://user@host"),
            ("redis://host/0?x=a@b", "redis://host/0?x=a@b"),
            ("not a url", "not a url"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact_url(input), expected);
        }
    }

    #[tokio::test]
    async fn unreachable_redis_fails_fast_with_one_line() {
        // Port 1 on loopback is closed on any sane machine: connection refused at once.
        let started = std::time::Instant::now();
        let Err(err) = Store::connect_redis("redis://127.0.0.1:1").await else {
            panic!("connecting to a closed port must fail");
        };
        assert!(started.elapsed() <= REDIS_STARTUP_TIMEOUT + Duration::from_secs(1));
        assert!(
            err.starts_with("error: cannot reach Redis at redis://127.0.0.1:1: "),
            "{err}"
        );
        assert!(
            err.ends_with("(start redis-server or unset REDIS_URL)"),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err}");
    }

    #[tokio::test]
    async fn malformed_redis_url_is_reported() {
        let Err(err) = Store::connect_redis("http://example").await else {
            panic!("a non-redis URL must be rejected");
        };
        assert!(
            err.starts_with("error: invalid REDIS_URL http://example: "),
            "{err}"
        );
    }

    /// Runs only when REDIS_URL points at a live server; it adds and removes one test key.
    #[tokio::test]
    async fn redis_store_against_live_server() {
        let Some(url) = std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty()) else {
            // Written to the real stderr (not eprintln!) so the test harness does not swallow it.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "*** SKIPPED store::tests::redis_store_against_live_server: REDIS_URL is not set ***"
            );
            return;
        };
        let store = Store::connect_redis(&url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.kind(), "redis");
        store.ping().await.unwrap();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let address = addr(&format!("0x{:x}{:x}", std::process::id(), nanos));
        assert!(!store.contains(&address).await.unwrap());
        assert!(store.insert(&address).await.unwrap());
        assert!(!store.insert(&address).await.unwrap());
        assert!(store.contains(&address).await.unwrap());
        if let Store::Redis(conn) = &store {
            let _: i64 = redis::cmd("SREM")
                .arg(REDIS_KEY)
                .arg(address.as_str())
                .query_async(&mut conn.clone())
                .await
                .unwrap();
        }
    }
}
