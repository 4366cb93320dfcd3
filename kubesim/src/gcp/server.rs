//! HTTP plumbing: accept loop, request parsing, routing to compute/auth, replies.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::Value;

use super::auth;
use super::compute::{self, Call, Outcome};
use super::errors::{self, ApiError};
use super::state::{RecordedRequest, State};

type Shared = Arc<Mutex<State>>;

pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=UTF-8",
            body: serde_json::to_vec_pretty(value).unwrap_or_default(),
        }
    }

    pub fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "application/text",
            body: text.as_bytes().to_vec(),
        }
    }

    fn error(e: &ApiError) -> Reply {
        Reply::json(e.status, &e.body)
    }
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Shared,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(shared, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, State> {
    let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
    state.advance(Instant::now());
    state
}

async fn handle(shared: Shared, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = parse_form(req.uri().query().unwrap_or_default());
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let bearer =
        header("authorization").and_then(|a| a.strip_prefix("Bearer ").map(str::to_string));
    let flavor = header("metadata-flavor");
    let content_type = header("content-type").unwrap_or_default();
    let raw = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let is_metadata = path == "/" || path.starts_with("/computeMetadata");

    let reply = if let Some(rest) = path.strip_prefix("/compute/v1/") {
        compute_request(&shared, &method, rest, &query, bearer.as_deref(), &raw).await
    } else if path == "/token" && method == "POST" {
        let form = if content_type.starts_with("application/json") {
            serde_json::from_slice::<BTreeMap<String, String>>(&raw).unwrap_or_default()
        } else {
            parse_form(&String::from_utf8_lossy(&raw))
        };
        let mut state = lock(&shared);
        match auth::token(&mut state, &form) {
            Ok(v) => Reply::json(200, &v),
            Err(e) => Reply::error(&e),
        }
    } else if is_metadata && method == "GET" {
        let mut state = lock(&shared);
        auth::metadata(&mut state, &path, flavor.as_deref(), &query)
    } else {
        Reply::error(&errors::not_found(path.trim_start_matches('/')))
    };

    {
        let mut state = lock(&shared);
        let body = serde_json::from_slice::<Value>(&raw).ok();
        let recorded_body = if path == "/token" { None } else { body };
        state.requests.push(RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query,
            body: recorded_body,
            authorized: bearer.is_some(),
            status: reply.status,
        });
    }

    let mut builder = Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type);
    if is_metadata {
        builder = builder.header("metadata-flavor", "Google");
    }
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn compute_request(
    shared: &Shared,
    method: &str,
    rest: &str,
    query: &BTreeMap<String, String>,
    bearer: Option<&str>,
    raw: &Bytes,
) -> Reply {
    let wait_for = {
        let mut state = lock(shared);
        let principal = match bearer {
            Some(token) => match state.tokens.get(token) {
                Some(p) => p.clone(),
                None => {
                    let mut e = errors::unauthenticated();
                    e.body["error"]["message"] = Value::String(
                        "Request had invalid authentication credentials. Expected OAuth 2 access token, \
                         login cookie or other valid authentication credential."
                            .into(),
                    );
                    return Reply::error(&e);
                }
            },
            None if state.allow_anonymous => "anonymous@example.com".to_string(),
            None => return Reply::error(&errors::unauthenticated()),
        };
        let body = if raw.is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(raw) {
                Ok(v) => Some(v),
                Err(e) => {
                    return Reply::error(&errors::bad_request(&format!(
                        "Invalid JSON payload received. {e}"
                    )));
                }
            }
        };
        let call = Call {
            method,
            segments: rest.trim_end_matches('/').split('/').collect(),
            query,
            body,
            principal,
        };
        match compute::handle(&mut state, call) {
            Ok(Outcome::Json(v)) => return Reply::json(200, &v),
            Err(e) => return Reply::error(&e),
            Ok(Outcome::Wait(i)) => {
                let elapsed = state.operations[i].started.elapsed();
                (i, state.operation_duration.saturating_sub(elapsed))
            }
        }
    };
    let (index, remaining) = wait_for;
    tokio::time::sleep(remaining.min(Duration::from_secs(120)) + Duration::from_millis(1)).await;
    let state = lock(shared);
    Reply::json(200, &state.render_operation(index, Instant::now()))
}

/// `a=b&c=d` with percent-decoding and `+` as space. Empty pairs are skipped.
pub fn parse_form(s: &str) -> BTreeMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}
