//! HTTP surface: /healthz, GET /{address} and POST /{address}, all answering JSON.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::address::Address;
use crate::store::{Store, StoreError};

/// Body of every successful GET/POST on an address.
#[derive(Debug, Serialize)]
pub struct Verdict {
    pub request_address: String,
    pub parsed_address: String,
    pub is_allowed: bool,
    pub message: &'static str,
}

/// Body of every error: one sentence, plus the address when the request had one.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_address: Option<String>,
}

/// Builds the whole service; tests drive this same Router without a socket.
pub fn router(store: Arc<Store>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/{address}", get(lookup).post(add))
        .fallback(not_found)
        .with_state(store)
}

async fn healthz(State(store): State<Arc<Store>>) -> Response {
    match store.ping().await {
        Ok(()) => {
            Json(serde_json::json!({ "status": "ok", "storage": store.kind() })).into_response()
        }
        Err(e) => {
            eprintln!("allowlist: health check failed: {e}");
            let body = serde_json::json!({
                "status": "unavailable",
                "storage": store.kind(),
                "error": "The storage backend is not answering.",
            });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn lookup(
    State(store): State<Arc<Store>>,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let (request_address, address) = match parse(uri, path) {
        Ok(parsed) => parsed,
        Err(body) => return (StatusCode::BAD_REQUEST, Json(body)).into_response(),
    };
    match store.contains(&address).await {
        Ok(found) => Json(Verdict {
            request_address,
            parsed_address: address.to_string(),
            is_allowed: found,
            message: if found {
                "Found in allowlist"
            } else {
                "Not found in allowlist"
            },
        })
        .into_response(),
        Err(e) => storage_failure(e),
    }
}

async fn add(
    State(store): State<Arc<Store>>,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let (request_address, address) = match parse(uri, path) {
        Ok(parsed) => parsed,
        Err(body) => return (StatusCode::BAD_REQUEST, Json(body)).into_response(),
    };
    match store.insert(&address).await {
        Ok(added) => {
            let status = if added {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let verdict = Verdict {
                request_address,
                parsed_address: address.to_string(),
                is_allowed: true,
                message: if added {
                    "Added to allowlist"
                } else {
                    "Already allowed"
                },
            };
            (status, Json(verdict)).into_response()
        }
        Err(e) => storage_failure(e),
    }
}

async fn not_found() -> Response {
    let body = ErrorBody {
        error: "No such route; use GET /healthz, GET /{address} or POST /{address}.".into(),
        request_address: None,
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// Turns the path segment into a canonical address, or into the body of the 400 to send.
fn parse(
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
) -> Result<(String, Address), ErrorBody> {
    let request_address = match path {
        Ok(Path(raw)) => raw,
        Err(_) => {
            let raw = uri.path().trim_start_matches('/').to_owned();
            return Err(bad_request("Address is not valid UTF-8 text.".into(), raw));
        }
    };
    match Address::parse(&request_address) {
        Ok(address) => Ok((request_address, address)),
        Err(e) => Err(bad_request(e.to_string(), request_address)),
    }
}

fn bad_request(error: String, request_address: String) -> ErrorBody {
    ErrorBody {
        error,
        request_address: Some(request_address),
    }
}

fn storage_failure(e: StoreError) -> Response {
    eprintln!("allowlist: storage error: {e}");
    let body = ErrorBody {
        error: "The storage backend is unavailable; try again later.".into(),
        request_address: None,
    };
    (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Method, Request};
    use serde_json::{json, Value};
    use tower::ServiceExt;

    async fn call(app: &Router, method: Method, path: &str) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method.clone())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response.headers().get("content-type").cloned();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
            .await
            .unwrap();
        assert_eq!(
            content_type.as_ref().and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{method} {path}"
        );
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    fn app() -> Router {
        router(Arc::new(Store::memory()))
    }

    #[tokio::test]
    async fn healthz_reports_memory_storage() {
        let (status, body) = call(&app(), Method::GET, "/healthz").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({ "status": "ok", "storage": "memory" }));
    }

    #[tokio::test]
    async fn unknown_address_is_not_allowed() {
        let (status, body) = call(&app(), Method::GET, "/0x000AB").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            json!({
                "request_address": "0x000AB",
                "parsed_address": "0xab",
                "is_allowed": false,
                "message": "Not found in allowlist",
            })
        );
    }

    #[tokio::test]
    async fn add_then_already_allowed_then_found() {
        let app = app();
        let (status, body) = call(&app, Method::POST, "/0xABC").await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            body,
            json!({
                "request_address": "0xABC",
                "parsed_address": "0xabc",
                "is_allowed": true,
                "message": "Added to allowlist",
            })
        );

        // A different spelling of the same address is the same entry.
        let (status, body) = call(&app, Method::POST, "/0X0abc").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            json!({
                "request_address": "0X0abc",
                "parsed_address": "0xabc",
                "is_allowed": true,
                "message": "Already allowed",
            })
        );

        let (status, body) = call(&app, Method::GET, "/0x00abc").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["parsed_address"], "0xabc");
        assert_eq!(body["is_allowed"], true);
        assert_eq!(body["message"], "Found in allowlist");

        let (_, body) = call(&app, Method::GET, "/0xabd").await;
        assert_eq!(body["is_allowed"], false);
    }

    #[tokio::test]
    async fn invalid_addresses_get_400_on_get_and_post() {
        let app = app();
        let too_long = format!("/0x{}", "1".repeat(65));
        let cases = [
            (
                "/hello",
                "hello",
                "Address must start with 0x followed by 1 to 64 hex digits.",
            ),
            ("/0x", "0x", "Address has no hex digits after 0x."),
            (
                "/0xzz",
                "0xzz",
                "Address contains 'z', which is not a hex digit (0-9, a-f, A-F).",
            ),
            (
                "/0x1%20",
                "0x1 ",
                "Address contains ' ', which is not a hex digit (0-9, a-f, A-F).",
            ),
            (
                too_long.as_str(),
                &too_long[1..],
                "Address has 65 hex digits, but at most 64 are allowed.",
            ),
            ("/0x%FF", "0x%FF", "Address is not valid UTF-8 text."),
        ];
        for method in [Method::GET, Method::POST] {
            for (path, request_address, error) in &cases {
                let (status, body) = call(&app, method.clone(), path).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}");
                assert_eq!(
                    body,
                    json!({ "error": error, "request_address": request_address })
                );
            }
        }
        // Nothing invalid was stored.
        let (_, body) = call(&app, Method::GET, "/0x1").await;
        assert_eq!(body["is_allowed"], false);
    }

    #[tokio::test]
    async fn unknown_routes_get_json_404() {
        for path in ["/", "/0x1/extra"] {
            let (status, body) = call(&app(), Method::GET, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(body["error"].as_str().unwrap().starts_with("No such route"));
        }
    }
}
