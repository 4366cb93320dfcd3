//! HTTPS server: TLS, bearer-token authentication, request log, body limits, routing, and
//! turning every failure into a Status response (never a panic, never a hung connection).

mod auth;
mod body;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::FutureExt;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

pub use auth::User;
pub(crate) use body::{bytes_response, chunked, json_response, text_response};

use crate::error::ApiError;
use crate::store::Store;

/// Most request records kept; the older half is dropped when full.
const MAX_RECORDS: usize = 200_000;

/// How much of an oversized body is read and discarded before answering 413.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Reads a request body of at most `max` bytes; a longer one is drained (up to
/// [`DRAIN_LIMIT`]) and refused with 413.
async fn read_body(mut body: Incoming, max: usize) -> Result<Bytes, ApiError> {
    let mut buf = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|e| ApiError::bad_request(format!("error reading the request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total > max {
                if total > DRAIN_LIMIT {
                    break;
                }
                continue;
            }
            buf.extend_from_slice(&data);
        }
    }
    if total > max {
        Err(ApiError::too_large(max))
    } else {
        Ok(Bytes::from(buf))
    }
}

/// Response body type of every handler.
pub type Body = BoxBody<Bytes, Infallible>;

/// One served request, for tests that count API calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string (may be empty).
    pub query: String,
    /// Request Content-Type (empty when absent).
    pub content_type: String,
    /// Response status code.
    pub status: u16,
    /// Authenticated user name (`system:anonymous` when no token was sent).
    pub user: String,
}

/// Shared server state.
pub(crate) struct Ctx {
    pub store: Store,
    pub admin_token: String,
    pub readonly_token: String,
    pub requests: Mutex<Vec<RequestRecord>>,
    pub addr: SocketAddr,
    pub max_body: usize,
    pub shutdown: watch::Receiver<bool>,
    /// Open connections, so tests can drop them all at once.
    pub conns: Mutex<HashMap<u64, tokio::task::AbortHandle>>,
    pub next_conn: AtomicU64,
    /// Injected faults (off by default).
    pub faults: crate::world::Faults,
}

impl Ctx {
    /// Aborts every open connection (clients see the connection drop mid-stream).
    pub fn drop_connections(&self) {
        let conns: Vec<_> = self
            .conns
            .lock()
            .map(|mut c| c.drain().map(|(_, h)| h).collect())
            .unwrap_or_default();
        for h in conns {
            h.abort();
        }
    }
}

/// A parsed request.
pub(crate) struct Req {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub accept: String,
    pub content_type: String,
    pub user_agent: String,
    pub user: User,
    pub body: Bytes,
}

impl Req {
    /// The last value of a query parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean query parameter (`true`/`1`).
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.param(key), Some("true" | "1" | "True"))
    }
}

fn decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// Parses a query string, tolerating empty pairs (`?&a=b`, trailing `?`).
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn serve(listener: TcpListener, tls: Arc<rustls::ServerConfig>, ctx: Arc<Ctx>) {
    let acceptor = TlsAcceptor::from(tls);
    let mut shutdown = ctx.shutdown.clone();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let Ok((tcp, _peer)) = accepted else {
            // Transient accept errors (too many open files ...): back off briefly.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if ctx.faults.is_down() {
            // Fault: the API has gone away; the connection is dropped unanswered.
            drop(tcp);
            continue;
        }
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let ctx = ctx.clone();
        let id = ctx.next_conn.fetch_add(1, Ordering::Relaxed);
        let conn_ctx = ctx.clone();
        let task = tokio::spawn(async move {
            let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await
            else {
                return;
            };
            let svc_ctx = ctx.clone();
            let service = service_fn(move |req: Request<Incoming>| {
                let ctx = svc_ctx.clone();
                async move { Ok::<_, Infallible>(handle(ctx, req).await) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let mut shutdown = ctx.shutdown.clone();
            let faults = ctx.faults.clone();
            let gone = async move {
                while !faults.is_down() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = gone => {}
                _ = shutdown.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                }
            }
            if let Ok(mut conns) = ctx.conns.lock() {
                conns.remove(&id);
            }
        });
        if let Ok(mut conns) = conn_ctx.conns.lock()
            && !task.is_finished()
        {
            conns.insert(id, task.abort_handle());
        }
    }
}

async fn handle(ctx: Arc<Ctx>, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().clone();
    let method_name = method.to_string();
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or_default().to_string();
    let header = |name: header::HeaderName| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header(header::CONTENT_TYPE);
    let accept = header(header::ACCEPT);
    let authz = header(header::AUTHORIZATION);
    let user_agent = header(header::USER_AGENT);
    let user = auth::authenticate(&ctx, &authz);
    let user_label = user_name(&user);
    let declared_len: Option<usize> = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());

    let body = req.into_body();
    let result: Result<Response<Body>, ApiError> = async {
        // The body is read (or drained) before anything is refused, so that clients still
        // writing it get the Status instead of a broken pipe.
        let body = if declared_len.is_some_and(|n| n > DRAIN_LIMIT) {
            Err(ApiError::too_large(ctx.max_body))
        } else {
            match tokio::time::timeout(Duration::from_secs(60), read_body(body, ctx.max_body)).await
            {
                Ok(r) => r,
                Err(_) => Err(ApiError::bad_request("timed out reading the request body")),
            }
        };
        let user = user?;
        let body = body?;
        if let Some(resp) = inject_fault(&ctx, &method, &path, &raw_query).await {
            return Ok(resp);
        }
        let r = Req {
            method,
            path: path.clone(),
            query: parse_query(&raw_query),
            accept,
            content_type: content_type.clone(),
            user_agent,
            user,
            body,
        };
        match AssertUnwindSafe(crate::api::route(&ctx, &r))
            .catch_unwind()
            .await
        {
            Ok(res) => res,
            Err(_) => Err(ApiError::internal(
                "the request handler failed unexpectedly",
            )),
        }
    }
    .await;
    let response = result.unwrap_or_else(|e| error_response(&e));
    let record = RequestRecord {
        method: method_name,
        path,
        query: raw_query,
        content_type,
        status: response.status().as_u16(),
        user: user_label,
    };
    if let Ok(mut log) = ctx.requests.lock() {
        if log.len() >= MAX_RECORDS {
            log.drain(..MAX_RECORDS / 2);
        }
        log.push(record);
    }
    response
}

/// Fault injection (see `world::faults`): added latency, then maybe an error instead of an answer.
/// Only API paths (`/api`, `/apis`) are affected, never `/version` or health checks.
async fn inject_fault(
    ctx: &Ctx,
    method: &Method,
    path: &str,
    query: &str,
) -> Option<Response<Body>> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let rest = match segments.first() {
        Some(&"api") => segments.get(2..),
        Some(&"apis") => segments.get(3..),
        _ => return None,
    }?;
    if rest.is_empty() {
        return None;
    }
    let rest = if rest[0] == "namespaces" && rest.len() >= 3 {
        &rest[2..]
    } else {
        rest
    };
    let watch = parse_query(query)
        .iter()
        .any(|(k, v)| k == "watch" && matches!(v.as_str(), "true" | "1"));
    let verb = crate::world::faults::verb_of(method.as_str(), watch, rest.len() >= 2);
    let decision = ctx.faults.on_request(verb);
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let err = decision.error?;
    let code = StatusCode::from_u16(err.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = json_response(code, &err.status());
    if let Some(secs) = err.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Some(resp)
}

fn user_name(user: &Result<User, ApiError>) -> String {
    match user {
        Ok(u) => u.name().to_string(),
        Err(_) => "unauthenticated".to_string(),
    }
}

/// A Status response for an error.
pub(crate) fn error_response(e: &ApiError) -> Response<Body> {
    let status = e.to_status();
    let mut resp = json_response(
        StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        &status,
    );
    if e.code == 401 {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"kubesim\""),
        );
    }
    resp
}

/// A JSON body.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// Serializes a value to JSON bytes.
pub(crate) fn to_json(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}
