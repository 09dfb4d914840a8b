//! allowlist: a small HTTP service that records and answers whether an address is allowed.

mod address;
mod config;
mod routes;
mod store;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use config::Config;
use store::Store;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code for any startup problem (bad env, Redis unreachable, port taken).
const EXIT_STARTUP: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(EXIT_STARTUP)
        }
    }
}

/// Starts the service and serves until SIGTERM/Ctrl-C; an Err is the one line to print.
async fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| format!("error: {e}"))?;
    let store = match &config.redis_url {
        Some(url) => Store::connect_redis(url).await?,
        None => Store::memory(),
    };
    let storage = store.kind();
    let shutdown = shutdown_signal()?;

    let wanted = SocketAddr::new(config.bind_address, config.port);
    let listener = tokio::net::TcpListener::bind(wanted)
        .await
        .map_err(|e| format!("error: cannot listen on {wanted}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("error: cannot read the bound address: {e}"))?;
    say(&format!(
        "allowlist listening on {bound} (storage: {storage})"
    ));

    axum::serve(listener, routes::router(Arc::new(store)))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("error: server failed: {e}"))?;
    Ok(())
}

/// Prints one line to stdout and flushes at once, because tests wait for these lines.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Registers SIGTERM (what container runtimes send) and Ctrl-C handlers now, before the
/// listening line is printed, so a signal sent right after that line is never missed.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let register = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|e| format!("error: cannot listen for {name}: {e}"))
        };
        let mut terminate = register(SignalKind::terminate(), "SIGTERM")?;
        let mut interrupt = register(SignalKind::interrupt(), "SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => {},
                _ = interrupt.recv() => {},
            }
            say("allowlist shutting down");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            say("allowlist shutting down");
        })
    }
}
