//! `pods/log`: container, tailLines, sinceSeconds, timestamps, limitBytes, previous, follow.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Response, StatusCode};
use serde_json::Value;

use super::Target;
use crate::error::ApiError;
use crate::server::{Body, Ctx, Req, chunked, text_response};
use crate::store::LogLine;
use crate::util;

struct Params {
    container: String,
    tail: Option<usize>,
    since: Option<SystemTime>,
    timestamps: bool,
    limit_bytes: Option<usize>,
    follow: bool,
}

fn number<T: std::str::FromStr>(req: &Req, key: &str) -> Result<Option<T>, ApiError> {
    match req.param(key) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<T>()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("invalid {key}: {v}"))),
    }
}

fn container_names(pod: &Value) -> (Vec<String>, Vec<String>) {
    let names = |list: &str| -> Vec<String> {
        pod["spec"][list]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    (
        names("containers"),
        [names("initContainers"), names("ephemeralContainers")].concat(),
    )
}

fn params(req: &Req, pod: &Value, name: &str) -> Result<Params, ApiError> {
    let (main, others) = container_names(pod);
    let container = match req.param("container").filter(|c| !c.is_empty()) {
        Some(c) => {
            if !main.iter().chain(others.iter()).any(|n| n == c) {
                return Err(ApiError::bad_request(format!(
                    "container {c} is not valid for pod {name}"
                )));
            }
            c.to_string()
        }
        None => match main.as_slice() {
            [only] => only.clone(),
            [] => {
                return Err(ApiError::bad_request(format!(
                    "pod {name} has no containers"
                )));
            }
            many => {
                let mut msg = format!(
                    "a container name must be specified for pod {name}, choose one of: [{}]",
                    many.join(" ")
                );
                if !others.is_empty() {
                    msg.push_str(&format!(
                        " or one of the init containers: [{}]",
                        others.join(" ")
                    ));
                }
                return Err(ApiError::bad_request(msg));
            }
        },
    };
    if req.flag("previous") {
        return Err(ApiError::bad_request(format!(
            "previous terminated container \"{container}\" in pod \"{name}\" not found"
        )));
    }
    let since = match (number::<u64>(req, "sinceSeconds")?, req.param("sinceTime")) {
        (Some(s), _) => Some(SystemTime::now() - Duration::from_secs(s)),
        (None, Some(t)) if !t.is_empty() => Some(
            util::parse_rfc3339(t)
                .ok_or_else(|| ApiError::bad_request(format!("invalid sinceTime: {t}")))?,
        ),
        _ => None,
    };
    Ok(Params {
        container,
        tail: number::<i64>(req, "tailLines")?.and_then(|n| usize::try_from(n).ok()),
        since,
        timestamps: req.flag("timestamps"),
        limit_bytes: number::<usize>(req, "limitBytes")?,
        follow: req.flag("follow"),
    })
}

fn render(lines: &[LogLine], p: &Params) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        if p.since.is_some_and(|s| l.time < s) {
            continue;
        }
        if p.timestamps {
            out.extend_from_slice(util::rfc3339_nanos(l.time).as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(l.text.as_bytes());
        out.push(b'\n');
    }
    out
}

/// `GET .../pods/{name}/log`.
pub(crate) fn logs(ctx: &Arc<Ctx>, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let name = t.name.as_deref().unwrap_or_default().to_string();
    let ns = t.ns().to_string();
    let pod = ctx.store.get_in(&t.def, &ns, &name)?;
    let p = params(req, &pod, &name)?;
    let read = ctx.store.read_log(&ns, &name, &p.container, 0);
    let mut lines = read.lines;
    if let Some(tail) = p.tail {
        let skip = lines.len().saturating_sub(tail);
        lines.drain(..skip);
    }
    let mut first = render(&lines, &p);
    let mut budget = p.limit_bytes;
    if let Some(limit) = budget {
        first.truncate(limit);
        budget = Some(limit - first.len());
    }
    if !p.follow {
        return Ok(text_response(StatusCode::OK, first));
    }
    let (resp, tx) = chunked("text/plain");
    let store = ctx.store.clone();
    let mut shutdown = ctx.shutdown.clone();
    let mut changes = store.log_changes();
    let uid = pod["metadata"]["uid"].clone();
    let def = t.def.clone();
    tokio::spawn(async move {
        if !first.is_empty() && tx.send(Bytes::from(first)).await.is_err() {
            return;
        }
        let mut next = read.next;
        let mut closed = read.closed;
        loop {
            if closed || budget == Some(0) {
                return;
            }
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { return },
                _ = tx.closed() => return,
                _ = shutdown.changed() => return,
            }
            // The pod going away (or being replaced) ends the stream.
            match store.get_in(&def, &ns, &name) {
                Ok(p) if p["metadata"]["uid"] == uid => {}
                _ => return,
            }
            let read = store.read_log(&ns, &name, &p.container, next);
            next = read.next;
            closed = read.closed;
            let mut chunk = render(&read.lines, &p);
            if let Some(limit) = budget {
                chunk.truncate(limit);
                budget = Some(limit - chunk.len());
            }
            if !chunk.is_empty() && tx.send(Bytes::from(chunk)).await.is_err() {
                return;
            }
        }
    });
    Ok(resp)
}
