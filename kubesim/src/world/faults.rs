//! Fault injection for resilience tests (all off by default): error responses per verb (500, 503,
//! 429 with Retry-After), added latency, watches dropped after N events or a duration, and an API
//! that goes away and comes back. The HTTP layer asks [`Faults`] on every request; tests change the
//! configuration at run time through the same handle.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// What to inject.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultConfig {
    /// Share of requests (0.0–1.0) that fail, per verb (`get`, `list`, `watch`, `create`, `update`,
    /// `patch`, `delete`, `deletecollection`) or `*` for every verb. Failures are spread evenly
    /// (a rate of 0.25 fails every 4th request), so tests are repeatable.
    pub error_rate: BTreeMap<String, f64>,
    /// Status codes failures cycle through (default 500, 503, 429).
    pub error_codes: Vec<u16>,
    /// `Retry-After` seconds on 429 and 503 (default 1).
    pub retry_after_secs: u64,
    /// Delay added before every request is answered.
    pub latency: Duration,
    /// Watches end after this many events.
    pub watch_max_events: Option<u64>,
    /// Watches end after this long.
    pub watch_max_duration: Option<Duration>,
}

impl FaultConfig {
    /// Parses `errors=0.2,codes=500/503/429,retry-after=1,latency=50ms,watch-events=5,watch-seconds=2,errors.list=0.5`
    /// (entries separated by `,` or `;`).
    pub fn parse(spec: &str) -> Result<FaultConfig, String> {
        let mut cfg = FaultConfig::default();
        for entry in spec
            .split([',', ';'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (k, v) = entry
                .split_once('=')
                .ok_or_else(|| format!("fault `{entry}` is not key=value"))?;
            let num = |v: &str| {
                v.parse::<f64>()
                    .map_err(|_| format!("fault `{entry}`: `{v}` is not a number"))
            };
            match k {
                "errors" => {
                    cfg.error_rate.insert("*".into(), num(v)?);
                }
                k if k.starts_with("errors.") => {
                    cfg.error_rate
                        .insert(k["errors.".len()..].to_string(), num(v)?);
                }
                "codes" => {
                    cfg.error_codes = v
                        .split('/')
                        .map(|c| {
                            c.parse::<u16>()
                                .map_err(|_| format!("fault `{entry}`: `{c}` is not a status code"))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "retry-after" => cfg.retry_after_secs = num(v)? as u64,
                "latency" => {
                    cfg.latency =
                        parse_duration(v).ok_or_else(|| format!("fault `{entry}`: bad duration"))?
                }
                "watch-events" => cfg.watch_max_events = Some(num(v)? as u64),
                "watch-seconds" => cfg.watch_max_duration = Some(Duration::from_secs_f64(num(v)?)),
                _ => {
                    return Err(format!(
                        "unknown fault `{k}` (errors, errors.VERB, codes, retry-after, latency, watch-events, watch-seconds)"
                    ));
                }
            }
        }
        if cfg.error_rate.values().any(|r| !(0.0..=1.0).contains(r)) {
            return Err("error rates must be between 0 and 1".into());
        }
        Ok(cfg)
    }
}

fn parse_duration(v: &str) -> Option<Duration> {
    if let Some(ms) = v.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    v.strip_suffix('s')
        .unwrap_or(v)
        .parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// An error to answer with instead of serving the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedError {
    /// HTTP status.
    pub code: u16,
    /// `Retry-After` seconds (429, 503).
    pub retry_after: Option<u64>,
}

impl InjectedError {
    /// The Status body.
    pub fn status(&self) -> Value {
        let (reason, message) = match self.code {
            429 => (
                "TooManyRequests",
                "the server has received too many requests and has asked us to try again later",
            ),
            503 => (
                "ServiceUnavailable",
                "the server is currently unable to handle the request",
            ),
            504 => (
                "Timeout",
                "the server was unable to return a response in the time allotted",
            ),
            _ => (
                "InternalError",
                "an error on the server (\"injected fault\") has prevented the request from succeeding",
            ),
        };
        let mut s = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": self.code});
        if let Some(r) = self.retry_after {
            s["details"] = json!({"retryAfterSeconds": r});
        }
        s
    }
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// Wait this long first.
    pub delay: Duration,
    /// Then answer with this error instead.
    pub error: Option<InjectedError>,
}

#[derive(Debug, Default)]
struct State {
    cfg: FaultConfig,
    counts: BTreeMap<String, u64>,
    injected: u64,
    down_until: Option<Option<Instant>>,
}

/// The fault switchboard of one instance (cheap to clone; clones share state).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<State>>,
}

/// The Kubernetes verb of a request.
pub fn verb_of(method: &str, watch: bool, named: bool) -> &'static str {
    match (method, watch, named) {
        (_, true, _) => "watch",
        ("GET", _, true) => "get",
        ("GET", _, false) => "list",
        ("POST", _, _) => "create",
        ("PUT", _, _) => "update",
        ("PATCH", _, _) => "patch",
        ("DELETE", _, true) => "delete",
        ("DELETE", _, false) => "deletecollection",
        _ => "other",
    }
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the configuration.
    pub fn set(&self, cfg: FaultConfig) {
        let mut st = self.lock();
        st.cfg = cfg;
        st.counts.clear();
    }

    /// The current configuration.
    pub fn config(&self) -> FaultConfig {
        self.lock().cfg.clone()
    }

    /// Turns every fault off and brings the API back.
    pub fn clear(&self) {
        let mut st = self.lock();
        *st = State::default();
    }

    /// Makes the API unreachable (connections refused or dropped) for `duration`, or until
    /// [`Faults::bring_back`] when None.
    pub fn take_down(&self, duration: Option<Duration>) {
        self.lock().down_until = Some(duration.map(|d| Instant::now() + d));
    }

    /// Makes the API reachable again.
    pub fn bring_back(&self) {
        self.lock().down_until = None;
    }

    /// True while the API is away.
    pub fn is_down(&self) -> bool {
        let mut st = self.lock();
        match st.down_until {
            Some(Some(t)) if Instant::now() >= t => {
                st.down_until = None;
                false
            }
            Some(_) => true,
            None => false,
        }
    }

    /// How many errors were injected so far.
    pub fn injected(&self) -> u64 {
        self.lock().injected
    }

    /// Decides about one request of `verb`.
    pub fn on_request(&self, verb: &str) -> Decision {
        let mut st = self.lock();
        let delay = st.cfg.latency;
        let rate = st
            .cfg
            .error_rate
            .get(verb)
            .or_else(|| st.cfg.error_rate.get("*"))
            .copied()
            .unwrap_or(0.0);
        if rate <= 0.0 {
            return Decision { delay, error: None };
        }
        let n = st.counts.entry(verb.to_string()).or_insert(0);
        *n += 1;
        let fail = ((*n as f64) * rate).floor() > (((*n - 1) as f64) * rate).floor();
        if !fail {
            return Decision { delay, error: None };
        }
        let codes = if st.cfg.error_codes.is_empty() {
            vec![500, 503, 429]
        } else {
            st.cfg.error_codes.clone()
        };
        let code = codes[(st.injected as usize) % codes.len()];
        st.injected += 1;
        let retry_after = matches!(code, 429 | 503).then_some(st.cfg.retry_after_secs.max(1));
        Decision {
            delay,
            error: Some(InjectedError { code, retry_after }),
        }
    }

    /// Limits for a new watch: (most events, longest duration).
    pub fn watch_limits(&self) -> (Option<u64>, Option<Duration>) {
        let st = self.lock();
        (st.cfg.watch_max_events, st.cfg.watch_max_duration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default() {
        let f = Faults::default();
        for _ in 0..100 {
            assert_eq!(f.on_request("get"), Decision::default());
        }
        assert!(!f.is_down());
        assert_eq!(f.watch_limits(), (None, None));
    }

    #[test]
    fn error_rates_are_spread_evenly_and_cycle_codes() {
        let f = Faults::default();
        f.set(FaultConfig::parse("errors.list=0.5,retry-after=2").unwrap());
        let got: Vec<Option<u16>> = (0..6)
            .map(|_| f.on_request("list").error.map(|e| e.code))
            .collect();
        assert_eq!(got, vec![None, Some(500), None, Some(503), None, Some(429)]);
        assert!(f.on_request("get").error.is_none(), "other verbs untouched");
        let e = InjectedError {
            code: 429,
            retry_after: Some(2),
        };
        assert_eq!(e.status()["reason"], "TooManyRequests");
        assert_eq!(e.status()["details"]["retryAfterSeconds"], 2);
        assert_eq!(f.injected(), 3);
    }

    #[test]
    fn parses_specs_and_rejects_nonsense() {
        let c = FaultConfig::parse(
            "errors=0.1; codes=503/429; latency=20ms; watch-events=3; watch-seconds=1.5",
        )
        .unwrap();
        assert_eq!(c.error_rate["*"], 0.1);
        assert_eq!(c.error_codes, vec![503, 429]);
        assert_eq!(c.latency, Duration::from_millis(20));
        assert_eq!(c.watch_max_events, Some(3));
        assert_eq!(c.watch_max_duration, Some(Duration::from_millis(1500)));
        assert!(FaultConfig::parse("errors=2").is_err());
        assert!(FaultConfig::parse("bogus=1").is_err());
        assert!(FaultConfig::parse("latency").is_err());
    }

    #[test]
    fn the_api_goes_away_and_comes_back() {
        let f = Faults::default();
        f.take_down(None);
        assert!(f.is_down());
        f.bring_back();
        assert!(!f.is_down());
        f.take_down(Some(Duration::from_millis(20)));
        assert!(f.is_down());
        std::thread::sleep(Duration::from_millis(30));
        assert!(!f.is_down());
        assert_eq!(verb_of("GET", false, true), "get");
        assert_eq!(verb_of("GET", true, false), "watch");
        assert_eq!(verb_of("DELETE", false, false), "deletecollection");
    }
}
