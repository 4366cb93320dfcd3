//! Watch streams: one JSON event per line, flushed; replay, selectors, bookmarks, timeouts.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Response;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use super::{Target, crud, table};
use crate::error::ApiError;
use crate::resources::ResourceDef;
use crate::server::{Body, Ctx, Req, chunked};
use crate::store::{Event, EventType, ListOptions, present};

/// Longest watch when the client sets no timeout (Kubernetes picks 30–60 minutes).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1800);
/// How often a watch that allows bookmarks gets one.
const BOOKMARK_EVERY: Duration = Duration::from_secs(15);

struct Filter {
    def: Arc<ResourceDef>,
    namespace: Option<String>,
    opts: ListOptions,
    table: bool,
    metadata_only: bool,
}

impl Filter {
    fn matches(&self, obj: &Value) -> bool {
        self.opts.labels.matches(obj) && self.opts.fields.matches(obj)
    }

    fn concerns(&self, e: &Event) -> bool {
        e.group == self.def.group
            && e.resource == self.def.plural
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| ns.is_empty() || e.namespace == ns)
    }

    /// The event type this watcher sees for a change (selector transitions included).
    fn translate(&self, e: &Event) -> Option<EventType> {
        match e.kind {
            EventType::Added => self.matches(&e.object).then_some(EventType::Added),
            EventType::Deleted => {
                let old = e.old.as_deref().unwrap_or(&e.object);
                self.matches(old).then_some(EventType::Deleted)
            }
            EventType::Modified => {
                let before = e.old.as_deref().is_some_and(|o| self.matches(o));
                match (before, self.matches(&e.object)) {
                    (true, true) => Some(EventType::Modified),
                    (false, true) => Some(EventType::Added),
                    (true, false) => Some(EventType::Deleted),
                    (false, false) => None,
                }
            }
        }
    }

    fn line(&self, kind: &str, obj: &Value) -> Bytes {
        let object = if self.table && kind != "BOOKMARK" && kind != "ERROR" {
            let rv = obj["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            table::table(
                &self.def,
                &[Arc::new(obj.clone())],
                &rv,
                None,
                Some("Object"),
            )
        } else if kind == "ERROR" {
            obj.clone()
        } else if self.metadata_only {
            crud::partial(obj)
        } else {
            present(obj, &self.def)
        };
        let mut bytes =
            serde_json::to_vec(&json!({"type": kind, "object": object})).unwrap_or_default();
        bytes.push(b'\n');
        Bytes::from(bytes)
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        self.line(
            "BOOKMARK",
            &json!({"kind": self.def.kind, "apiVersion": self.def.api_version(), "metadata": meta}),
        )
    }
}

fn parse_rv(req: &Req) -> Result<Option<u64>, ApiError> {
    match req.param("resourceVersion") {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "resourceVersion: Invalid value: \"{v}\": must be a number"
            ))
        }),
    }
}

/// `GET ...?watch=true`.
pub(crate) fn watch(ctx: &Arc<Ctx>, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let opts = crud::list_options(req, t)?;
    let rv = parse_rv(req)?;
    let send_initial = req.flag("sendInitialEvents");
    let bookmarks = req.flag("allowWatchBookmarks");
    let timeout = match req.param("timeoutSeconds") {
        None | Some("") => DEFAULT_TIMEOUT,
        Some(s) => Duration::from_secs(
            s.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid timeoutSeconds: {s}")))?,
        ),
    };
    let filter = Filter {
        def: t.def.clone(),
        namespace: t.namespace.clone(),
        opts,
        table: req.accept.contains("as=Table"),
        metadata_only: crud::wants_metadata(req),
    };
    let start = ctx.store.watch_in(
        &t.def,
        t.namespace.as_deref(),
        if send_initial { None } else { rv },
    );
    // Faults: watches that end early (clients must re-watch from their last resourceVersion).
    let (max_events, max_duration) = ctx.faults.watch_limits();
    let timeout = max_duration.map_or(timeout, |d| d.min(timeout));
    let max_events = max_events.unwrap_or(u64::MAX);
    let faults = ctx.faults.clone();
    let (resp, tx) = chunked("application/json");
    let mut shutdown = ctx.shutdown.clone();
    tokio::spawn(async move {
        let mut sent = 0u64;
        let start = match start {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(filter.line("ERROR", &e.to_status())).await;
                return;
            }
        };
        let mut last_rv = start.resource_version;
        for e in &start.initial {
            if let Some(kind) = filter.translate(e) {
                if tx
                    .send(filter.line(kind.as_str(), &e.object))
                    .await
                    .is_err()
                {
                    return;
                }
                sent += 1;
            }
        }
        if send_initial && bookmarks && tx.send(filter.bookmark(last_rv, true)).await.is_err() {
            return;
        }
        let mut receiver = start.receiver;
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        let mut down_check = tokio::time::interval(Duration::from_millis(100));
        loop {
            if sent >= max_events {
                return;
            }
            tokio::select! {
                ev = receiver.recv() => match ev {
                    Ok(e) => {
                        if e.rv <= last_rv {
                            continue;
                        }
                        last_rv = e.rv;
                        if !filter.concerns(&e) {
                            continue;
                        }
                        if let Some(kind) = filter.translate(&e) {
                            if send(&tx, filter.line(kind.as_str(), &e.object)).await.is_err() {
                                return;
                            }
                            sent += 1;
                        }
                    }
                    Err(RecvError::Lagged(_)) => {
                        let err = ApiError::expired(format!("too old resource version: {last_rv}: the watcher fell behind"));
                        let _ = send(&tx, filter.line("ERROR", &err.to_status())).await;
                        return;
                    }
                    Err(RecvError::Closed) => return,
                },
                _ = tick.tick(), if bookmarks => {
                    if send(&tx, filter.bookmark(last_rv, false)).await.is_err() {
                        return;
                    }
                }
                _ = &mut deadline => return,
                _ = down_check.tick() => if faults.is_down() { return },
                _ = tx.closed() => return,
                _ = shutdown.changed() => return,
            }
        }
    });
    Ok(resp)
}

/// Sends a line unless the client has stopped reading for too long.
async fn send(tx: &mpsc::Sender<Bytes>, line: Bytes) -> Result<(), ()> {
    match tokio::time::timeout(Duration::from_secs(30), tx.send(line)).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}
