//! The Kubernetes API surface: routing of paths to discovery, OpenAPI, resources and their
//! subresources.

mod crud;
mod discovery;
mod logs;
mod openapi;
mod proto;
mod reviews;
pub mod table;
mod watch;

use std::sync::Arc;

use http::{Response, StatusCode};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::resources::ResourceDef;
use crate::server::{Body, Ctx, Req, User, json_response, text_response};

/// Kubernetes version served by `/version`.
pub const MINOR: &str = "32";
/// gitVersion served by `/version`.
pub const GIT_VERSION: &str = "v1.32.0";

/// What a resource request addresses.
pub(crate) struct Target {
    pub def: Arc<ResourceDef>,
    /// Namespace from the path (None = not given).
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub sub: Option<String>,
}

impl Target {
    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or_default()
    }
}

fn version_doc() -> Value {
    json!({
        "major": "1",
        "minor": MINOR,
        "gitVersion": GIT_VERSION,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2024-12-11T00:00:00Z",
        "goVersion": "go1.23.4",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// Routes one request.
pub(crate) async fn route(ctx: &Arc<Ctx>, req: &Req) -> Result<Response<Body>, ApiError> {
    let segs: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["version"] => return Ok(json_response(StatusCode::OK, &version_doc())),
        ["healthz" | "livez" | "readyz", ..] => return Ok(text_response(StatusCode::OK, "ok")),
        _ => {}
    }
    if req.user == User::Anonymous {
        return Err(ApiError::unauthorized());
    }
    let is_get = req.method == http::Method::GET;
    match segs.as_slice() {
        ["api"] if is_get => Ok(discovery::api(ctx, req)),
        ["apis"] if is_get => Ok(discovery::apis(ctx, req)),
        ["api", "v1"] if is_get => discovery::resource_list(ctx, "", "v1"),
        ["apis", group] if is_get => discovery::group(ctx, group),
        ["apis", group, version] if is_get => discovery::resource_list(ctx, group, version),
        ["openapi", "v3"] if is_get => Ok(openapi::root(ctx)),
        ["openapi", "v3", rest @ ..] if is_get => openapi::group_version(ctx, rest),
        ["api", "v1", rest @ ..] => resource(ctx, req, "", "v1", rest).await,
        ["apis", group, version, rest @ ..] => resource(ctx, req, group, version, rest).await,
        ["api" | "apis" | "openapi", ..] => Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({} {})",
            req.method, req.path
        ))),
        _ => Err(ApiError::no_route()),
    }
}

/// Parses `[namespaces/{ns}/]{plural}[/{name}[/{sub}]]` (and a legacy `watch/` prefix).
fn parse_target(
    ctx: &Ctx,
    group: &str,
    version: &str,
    rest: &[&str],
) -> Result<(Target, bool), ApiError> {
    let (rest, legacy_watch) = match rest {
        ["watch", tail @ ..] => (tail, true),
        _ => (rest, false),
    };
    let lookup = |plural: &str| ctx.store.lookup(group, version, plural);
    let target = match rest {
        ["namespaces", ns, plural, tail @ ..] if lookup(plural).is_some_and(|d| d.namespaced) => {
            let def = lookup(plural).ok_or_else(ApiError::no_route)?;
            if tail.len() > 2 {
                return Err(ApiError::no_route());
            }
            Target {
                def,
                namespace: Some(ns.to_string()),
                name: tail.first().map(|s| s.to_string()),
                sub: tail.get(1).map(|s| s.to_string()),
            }
        }
        [plural, tail @ ..] => {
            let def = lookup(plural).ok_or_else(ApiError::no_route)?;
            if tail.len() > 2 || def.namespaced && !tail.is_empty() {
                return Err(ApiError::no_route());
            }
            Target {
                def,
                namespace: None,
                name: tail.first().map(|s| s.to_string()),
                sub: tail.get(1).map(|s| s.to_string()),
            }
        }
        [] => return Err(ApiError::no_route()),
    };
    Ok((target, legacy_watch))
}

fn verb_of(req: &Req, t: &Target, watch: bool) -> &'static str {
    match (&req.method, t.name.is_some()) {
        (&http::Method::GET, true) => "get",
        (&http::Method::GET, false) => {
            if watch {
                "watch"
            } else {
                "list"
            }
        }
        (&http::Method::POST, false) => "create",
        (&http::Method::POST, true) if t.sub.is_some() => "create",
        (&http::Method::PUT, true) => "update",
        (&http::Method::PATCH, true) => "patch",
        (&http::Method::DELETE, true) => "delete",
        (&http::Method::DELETE, false) => "deletecollection",
        _ => "unknown",
    }
}

async fn resource(
    ctx: &Arc<Ctx>,
    req: &Req,
    group: &str,
    version: &str,
    rest: &[&str],
) -> Result<Response<Body>, ApiError> {
    let (t, legacy_watch) = parse_target(ctx, group, version, rest)?;
    let watch = legacy_watch || req.flag("watch");
    let verb = verb_of(req, &t, watch);
    let resource_name = match &t.sub {
        Some(sub) => format!("{}/{sub}", t.def.plural),
        None => t.def.plural.clone(),
    };
    if !req.user.allowed(verb, &t.def.group, &resource_name) {
        return Err(ApiError::forbidden(
            req.user.name(),
            verb,
            &t.def.group,
            &resource_name,
            t.name.as_deref().unwrap_or_default(),
            t.ns(),
        ));
    }
    if t.def.virtual_create {
        return match (verb, &t.name) {
            ("create", None) => reviews::create(ctx, req, &t),
            _ => Err(ApiError::method_not_allowed(format!(
                "the server does not allow this method on the requested resource ({})",
                t.def.plural
            ))),
        };
    }
    match (t.sub.as_deref(), verb) {
        (None, "get") => crud::get(ctx, req, &t),
        (None, "list") => crud::list(ctx, req, &t),
        (None, "watch") => watch::watch(ctx, req, &t),
        (None, "create") if t.name.is_none() => crud::create(ctx, req, &t),
        (None, "update") => crud::update(ctx, req, &t),
        (None, "patch") => crud::patch(ctx, req, &t),
        (Some("status"), "get") if t.def.status => crud::get(ctx, req, &t),
        (Some("status"), "update") if t.def.status => crud::update(ctx, req, &t),
        (Some("status"), "patch") if t.def.status => crud::patch(ctx, req, &t),
        (None, "delete") => crud::delete(ctx, req, &t),
        (None, "deletecollection") => crud::delete_collection(ctx, req, &t),
        (Some("scale"), "get" | "update" | "patch") if t.def.scale.is_some() => {
            crud::scale(ctx, req, &t, verb)
        }
        (Some("log"), "get") if t.def.log => logs::logs(ctx, req, &t),
        (Some("eviction"), "create") if t.def.log => crud::evict(ctx, req, &t),
        (Some("status" | "scale" | "log" | "eviction"), _) | (None, _) if is_known_sub(&t) => {
            Err(ApiError::method_not_allowed(format!(
                "the server does not allow this method on the requested resource ({} {})",
                req.method, req.path
            )))
        }
        _ => Err(ApiError::no_route()),
    }
}

fn is_known_sub(t: &Target) -> bool {
    match t.sub.as_deref() {
        None => true,
        Some("status") => t.def.status,
        Some("scale") => t.def.scale.is_some(),
        Some("log" | "eviction") => t.def.log,
        Some(_) => false,
    }
}
