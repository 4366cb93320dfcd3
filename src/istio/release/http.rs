//! The HTTP side: one reqwest client, retries with backoff for transient failures, and turning
//! reqwest errors and statuses into [`DownloadError`]s a person can act on.

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};

use super::error::DownloadError;
use crate::progress::Progress;

/// How often and how patiently transient failures are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after the first one.
    pub retries: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// Longest single delay (also caps a server's `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Delay before retry number `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Who a request goes to: the GitHub API gets the token, downloads never do (a mirror must not
/// see it, and GitHub's release assets do not need it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Api,
    Download,
}

/// Settings for [`HttpClient::new`].
#[derive(Clone, Debug, Default)]
pub struct HttpOptions {
    pub retry: RetryPolicy,
    /// Longest wait for a connection or for the next bytes of a response.
    pub timeout: Option<Duration>,
    /// A GitHub token (from `GITHUB_TOKEN`); sent to the API only, never shown.
    pub token: Option<String>,
}

/// A reqwest client with rigger's retry policy.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    retry: RetryPolicy,
    token: Option<HeaderValue>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("retry", &self.retry)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Installs ring as rustls' process-wide crypto provider unless one is installed already.
pub fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another installer is fine: a provider is installed either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The host of `url`, or the URL itself when it has none.
pub fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| {
                u.port()
                    .map_or_else(|| h.to_string(), |p| format!("{h}:{p}"))
            })
        })
        .unwrap_or_else(|| url.to_string())
}

fn chain_has_tls_error(err: &reqwest::Error) -> bool {
    let mut source = err.source();
    while let Some(e) = source {
        // hyper-rustls reports a peer that hangs up mid-handshake as a plain I/O error.
        if e.to_string().contains("tls handshake") {
            return true;
        }
        if e.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// Turns a reqwest error into a sentence about what failed.
pub fn classify(url: &str, err: reqwest::Error) -> DownloadError {
    let host = host_of(url);
    let url = url.to_string();
    if chain_has_tls_error(&err) {
        DownloadError::Tls { host, source: err }
    } else if err.is_dns() {
        DownloadError::Dns { host, source: err }
    } else if err.is_timeout() {
        DownloadError::Timeout { url, source: err }
    } else if err.is_connect() {
        DownloadError::Connect { host, source: err }
    } else {
        DownloadError::Request { url, source: err }
    }
}

/// Whether trying again may help: connection refused or reset, timeouts, broken bodies.
pub fn is_transient(err: &DownloadError) -> bool {
    match err {
        DownloadError::Connect { .. } | DownloadError::Timeout { .. } => true,
        DownloadError::Request { source, .. } => {
            source.is_body() || source.is_request() || source.is_decode()
        }
        _ => false,
    }
}

fn is_transient_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Maps an unsuccessful response to an error: GitHub's rate limit (403/429 with
/// `x-ratelimit-remaining: 0` or a "rate limit" message) is told apart from other statuses.
pub async fn status_error(url: &str, response: Response, authenticated: bool) -> DownloadError {
    let status = response.status();
    let headers = response.headers().clone();
    let remaining_zero = headers
        .get("x-ratelimit-remaining")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "0");
    if status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS {
        let body = response.text().await.unwrap_or_default();
        if remaining_zero || body.to_ascii_lowercase().contains("rate limit") {
            return DownloadError::RateLimited {
                url: url.to_string(),
                reset_epoch: headers
                    .get("x-ratelimit-reset")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok()),
                authenticated,
            };
        }
    }
    DownloadError::Http {
        url: url.to_string(),
        status: status.as_u16(),
    }
}

impl HttpClient {
    pub fn new(options: &HttpOptions) -> Result<Self, DownloadError> {
        ensure_crypto_provider();
        let timeout = options.timeout.unwrap_or(Duration::from_secs(30));
        let client = reqwest::Client::builder()
            .user_agent(concat!("rigger/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout)
            .read_timeout(timeout)
            .build()
            .map_err(|e| DownloadError::Request {
                url: String::new(),
                source: e,
            })?;
        let token = match options.token.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => {
                let mut value = HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| {
                    DownloadError::BadApiResponse {
                        url: "GITHUB_TOKEN".to_string(),
                        detail: "the token contains characters that cannot be sent".to_string(),
                    }
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            _ => None,
        };
        Ok(Self {
            client,
            retry: options.retry,
            token,
        })
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Whether requests to the API carry a token.
    pub fn authenticated(&self) -> bool {
        self.token.is_some()
    }

    async fn send_once(
        &self,
        url: &str,
        audience: Audience,
        range_from: Option<u64>,
    ) -> Result<Response, DownloadError> {
        let mut request = self.client.get(url);
        if audience == Audience::Api {
            request = request
                .header(header::ACCEPT, "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
            if let Some(token) = &self.token {
                request = request.header(header::AUTHORIZATION, token.clone());
            }
        }
        if let Some(from) = range_from.filter(|from| *from > 0) {
            request = request.header(header::RANGE, format!("bytes={from}-"));
        }
        request.send().await.map_err(|e| classify(url, e))
    }

    /// GET `url`, retrying connection failures, timeouts, 5xx and 429 with backoff. Returns the
    /// final response whatever its status; the caller decides what a 404 means.
    pub async fn get(
        &self,
        url: &str,
        audience: Audience,
        range_from: Option<u64>,
        progress: &dyn Progress,
    ) -> Result<Response, DownloadError> {
        let mut attempt = 0;
        loop {
            let outcome = self.send_once(url, audience, range_from).await;
            let (reason, hinted) = match &outcome {
                Ok(resp) if is_transient_status(resp.status()) => (
                    format!("{} answered HTTP {}", host_of(url), resp.status().as_u16()),
                    retry_after(resp.headers()),
                ),
                Ok(_) => return outcome,
                Err(err) if is_transient(err) => (format!("{err} ({})", root_cause(err)), None),
                Err(_) => return outcome,
            };
            if attempt >= self.retry.retries {
                return outcome;
            }
            attempt += 1;
            let delay = hinted
                .unwrap_or_else(|| self.retry.delay(attempt))
                .min(self.retry.max_delay);
            progress.warn(&retry_note(&reason, attempt, self.retry.retries, delay));
            tokio::time::sleep(delay).await;
        }
    }
}

/// `<reason>; retrying in 0.5s (2 of 4)`.
pub fn retry_note(reason: &str, attempt: u32, retries: u32, delay: Duration) -> String {
    format!(
        "{reason}; retrying in {:.1}s ({attempt} of {retries})",
        delay.as_secs_f64()
    )
}

/// The innermost cause of an error (`end of file before message length reached`).
pub fn root_cause(err: &dyn std::error::Error) -> String {
    let mut last = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        last = e.to_string();
        source = e.source();
    }
    last
}

/// The error and its causes on one line, for retry notices.
pub fn error_line(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = e.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let delays: Vec<u128> = (1..=5).map(|a| policy.delay(a).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
    }

    #[test]
    fn hosts_are_shown_with_ports() {
        assert_eq!(host_of("https://github.com/istio/x"), "github.com");
        assert_eq!(host_of("http://127.0.0.1:8080/a"), "127.0.0.1:8080");
        assert_eq!(host_of("not a url"), "not a url");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let client = HttpClient::new(&HttpOptions {
            token: Some("ghp_secret123".to_string()),
            ..HttpOptions::default()
        })
        .unwrap();
        assert!(client.authenticated());
        assert!(!format!("{client:?}").contains("secret123"));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
