//! Settings read from the environment: PORT, BIND_ADDRESS and REDIS_URL.

use std::net::IpAddr;

pub const DEFAULT_PORT: u16 = 3000;
pub const DEFAULT_BIND_ADDRESS: &str = "0.0.0.0";

/// Everything the service needs to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub bind_address: IpAddr,
    pub port: u16,
    /// `None` means the in-memory store.
    pub redis_url: Option<String>,
}

impl Config {
    /// Reads the real process environment; an empty variable counts as unset.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| {
            std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
        })
    }

    /// Builds the config from any variable lookup, so tests need not touch the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let get = |name: &str| lookup(name).filter(|value| !value.is_empty());

        let port = match get("PORT") {
            None => DEFAULT_PORT,
            Some(raw) => raw
                .trim()
                .parse::<u16>()
                .map_err(|_| format!("invalid PORT {raw:?}: expected a number from 0 to 65535"))?,
        };
        let bind_address = match get("BIND_ADDRESS") {
            None => DEFAULT_BIND_ADDRESS.parse().expect("default bind address is valid"),
            Some(raw) => raw.trim().parse::<IpAddr>().map_err(|_| {
                format!("invalid BIND_ADDRESS {raw:?}: expected an IP address such as 0.0.0.0, 127.0.0.1 or ::")
            })?,
        };
        Ok(Config {
            bind_address,
            port,
            redis_url: get("REDIS_URL"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let c = config(&[]).unwrap();
        assert_eq!(c.port, 3000);
        assert_eq!(c.bind_address.to_string(), "0.0.0.0");
        assert_eq!(c.redis_url, None);
    }

    #[test]
    fn empty_values_count_as_unset() {
        let c = config(&[("PORT", ""), ("BIND_ADDRESS", ""), ("REDIS_URL", "")]).unwrap();
        assert_eq!(c, config(&[]).unwrap());
    }

    #[test]
    fn reads_all_variables() {
        let c = config(&[
            ("PORT", "8080"),
            ("BIND_ADDRESS", "::1"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
        ])
        .unwrap();
        assert_eq!(c.port, 8080);
        assert_eq!(c.bind_address.to_string(), "::1");
        assert_eq!(c.redis_url.as_deref(), Some("redis://127.0.0.1:6379"));
        assert_eq!(config(&[("PORT", "0")]).unwrap().port, 0);
    }

    #[test]
    fn rejects_bad_values_with_one_line() {
        for (name, value) in [
            ("PORT", "abc"),
            ("PORT", "65536"),
            ("PORT", "-1"),
            ("BIND_ADDRESS", "localhost"),
            ("BIND_ADDRESS", "1.2.3"),
        ] {
            let err = config(&[(name, value)]).unwrap_err();
            assert!(err.starts_with(&format!("invalid {name} ")), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
