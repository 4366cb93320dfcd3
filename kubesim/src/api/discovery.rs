//! Legacy and aggregated discovery, chosen by the Accept header.

use http::{HeaderValue, Response, StatusCode, header};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::resources::{Registry, ResourceDef, api_version};
use crate::server::{Body, Ctx, Req, json_response};

const SUB_VERBS: &[&str] = &["get", "patch", "update"];

/// Which aggregated discovery version the client asked for, if any.
fn aggregated_version(accept: &str) -> Option<&'static str> {
    if !accept.contains("as=APIGroupDiscoveryList") {
        return None;
    }
    // Honour the client's first preference.
    for part in accept.split(',') {
        if part.contains("as=APIGroupDiscoveryList") {
            if part.contains("v=v2beta1") {
                return Some("v2beta1");
            }
            if part.contains("v=v2") {
                return Some("v2");
            }
        }
    }
    Some("v2")
}

fn aggregated_response(version: &str, groups: Vec<Value>) -> Response<Body> {
    let doc = json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": format!("apidiscovery.k8s.io/{version}"),
        "metadata": {},
        "items": groups,
    });
    let mut resp = json_response(StatusCode::OK, &doc);
    let ct = format!("application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
    if let Ok(v) = HeaderValue::from_str(&ct) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

fn aggregated_resource(d: &ResourceDef) -> Value {
    let mut r = json!({
        "resource": d.plural,
        "responseKind": {"group": d.group, "version": d.version, "kind": d.kind},
        "scope": if d.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": d.singular,
        "verbs": d.verbs,
    });
    if !d.short_names.is_empty() {
        r["shortNames"] = json!(d.short_names);
    }
    if !d.categories.is_empty() {
        r["categories"] = json!(d.categories);
    }
    let mut subs = Vec::new();
    if d.status {
        subs.push(json!({"subresource": "status", "responseKind": {"group": d.group, "version": d.version, "kind": d.kind}, "verbs": SUB_VERBS}));
    }
    if d.scale.is_some() {
        subs.push(json!({"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"}, "verbs": SUB_VERBS}));
    }
    if d.log {
        subs.push(json!({"subresource": "log", "responseKind": {"group": "", "version": "v1", "kind": "Pod"}, "verbs": ["get"]}));
        subs.push(json!({"subresource": "eviction", "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"}, "verbs": ["create"]}));
    }
    if !subs.is_empty() {
        r["subresources"] = Value::Array(subs);
    }
    r
}

fn aggregated_groups(reg: &Registry, core: bool) -> Vec<Value> {
    reg.groups()
        .into_iter()
        .filter(|g| g.name.is_empty() == core)
        .map(|g| {
            let versions: Vec<Value> = g
                .versions
                .iter()
                .map(|v| {
                    let resources: Vec<Value> = reg
                        .resources_in(&g.name, v)
                        .iter()
                        .map(|d| aggregated_resource(d))
                        .collect();
                    json!({"version": v, "resources": resources, "freshness": "Current"})
                })
                .collect();
            json!({"metadata": {"name": g.name, "creationTimestamp": null}, "versions": versions})
        })
        .collect()
}

/// `GET /api`.
pub(crate) fn api(ctx: &Ctx, req: &Req) -> Response<Body> {
    if let Some(v) = aggregated_version(&req.accept) {
        return aggregated_response(v, aggregated_groups(&ctx.store.registry(), true));
    }
    json_response(
        StatusCode::OK,
        &json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": ctx.addr.to_string()}],
        }),
    )
}

fn group_doc(name: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": api_version(name, v), "version": v}))
        .collect();
    json!({"name": name, "versions": vs, "preferredVersion": vs.first().cloned().unwrap_or(Value::Null)})
}

/// `GET /apis`.
pub(crate) fn apis(ctx: &Ctx, req: &Req) -> Response<Body> {
    let reg = ctx.store.registry();
    if let Some(v) = aggregated_version(&req.accept) {
        return aggregated_response(v, aggregated_groups(&reg, false));
    }
    let groups: Vec<Value> = reg
        .groups()
        .iter()
        .filter(|g| !g.name.is_empty())
        .map(|g| group_doc(&g.name, &g.versions))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
    )
}

/// `GET /apis/{group}`.
pub(crate) fn group(ctx: &Ctx, name: &str) -> Result<Response<Body>, ApiError> {
    let reg = ctx.store.registry();
    let g = reg
        .groups()
        .into_iter()
        .find(|g| g.name == name && !name.is_empty())
        .ok_or_else(ApiError::no_route)?;
    let mut doc = group_doc(&g.name, &g.versions);
    doc["kind"] = json!("APIGroup");
    doc["apiVersion"] = json!("v1");
    Ok(json_response(StatusCode::OK, &doc))
}

/// `GET /api/v1` and `GET /apis/{group}/{version}`.
pub(crate) fn resource_list(
    ctx: &Ctx,
    group: &str,
    version: &str,
) -> Result<Response<Body>, ApiError> {
    let defs = ctx.store.registry().resources_in(group, version);
    if defs.is_empty() {
        return Err(ApiError::no_route());
    }
    let mut resources = Vec::new();
    for d in &defs {
        let mut r = json!({
            "name": d.plural,
            "singularName": d.singular,
            "namespaced": d.namespaced,
            "kind": d.kind,
            "verbs": d.verbs,
        });
        if !d.short_names.is_empty() {
            r["shortNames"] = json!(d.short_names);
        }
        if !d.categories.is_empty() {
            r["categories"] = json!(d.categories);
        }
        resources.push(r);
        if d.status {
            resources.push(json!({"name": format!("{}/status", d.plural), "singularName": "", "namespaced": d.namespaced, "kind": d.kind, "verbs": SUB_VERBS}));
        }
        if d.scale.is_some() {
            resources.push(json!({"name": format!("{}/scale", d.plural), "singularName": "", "namespaced": d.namespaced,
                "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": SUB_VERBS}));
        }
        if d.log {
            resources.push(json!({"name": format!("{}/log", d.plural), "singularName": "", "namespaced": d.namespaced, "kind": "Pod", "verbs": ["get"]}));
            resources.push(json!({"name": format!("{}/eviction", d.plural), "singularName": "", "namespaced": d.namespaced,
                "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]}));
        }
    }
    Ok(json_response(
        StatusCode::OK,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": api_version(group, version), "resources": resources}),
    ))
}
