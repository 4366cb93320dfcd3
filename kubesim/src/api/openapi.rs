//! Minimal OpenAPI v3: enough for kubectl's default validation (`fieldValidation` support on the
//! patch operation of every kind). Hashes change when the served resources change.

use http::{Response, StatusCode};
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::resources::Registry;
use crate::server::{Body, Ctx, json_response};

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

fn query_param(name: &str, ty: &str) -> Value {
    json!({"name": name, "in": "query", "description": name, "schema": {"type": ty, "uniqueItems": true}})
}

fn gv_document(reg: &Registry, group: &str, version: &str) -> Option<Value> {
    let defs = reg.resources_in(group, version);
    if defs.is_empty() {
        return None;
    }
    let patch_ref = json!({"schema": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}});
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for d in defs.iter().filter(|d| !d.virtual_create) {
        let gvk = json!({"group": d.group, "version": d.version, "kind": d.kind});
        let scope = if d.namespaced {
            "namespaces/{namespace}/"
        } else {
            ""
        };
        let path = format!("/{}/{scope}{}/{{name}}", gv_path(group, version), d.plural);
        let params = vec![
            query_param("dryRun", "string"),
            query_param("fieldManager", "string"),
            query_param("fieldValidation", "string"),
            query_param("force", "boolean"),
        ];
        paths.insert(
            path,
            json!({"patch": {
                "description": format!("partially update the specified {}", d.kind),
                "operationId": format!("patch{}", d.kind),
                "parameters": params,
                "requestBody": {"content": {
                    "application/json-patch+json": patch_ref,
                    "application/merge-patch+json": patch_ref,
                    "application/apply-patch+yaml": patch_ref,
                }, "required": true},
                "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}, "401": {"description": "Unauthorized"}},
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": gvk,
            }}),
        );
    }
    schemas.insert(
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch".into(),
        json!({"type": "object"}),
    );
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": super::GIT_VERSION},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
}

fn hash(doc: &Value) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        &serde_json::to_vec(doc).unwrap_or_default(),
    );
    digest
        .as_ref()
        .iter()
        .take(32)
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// `GET /openapi/v3`.
pub(crate) fn root(ctx: &Ctx) -> Response<Body> {
    let reg = ctx.store.registry();
    let mut paths = Map::new();
    for g in reg.groups() {
        for v in &g.versions {
            if let Some(doc) = gv_document(&reg, &g.name, v) {
                let p = gv_path(&g.name, v);
                paths.insert(
                    p.clone(),
                    json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", hash(&doc))}),
                );
            }
        }
    }
    json_response(StatusCode::OK, &json!({"paths": paths}))
}

/// `GET /openapi/v3/api/v1`, `GET /openapi/v3/apis/{group}/{version}`.
pub(crate) fn group_version(ctx: &Ctx, rest: &[&str]) -> Result<Response<Body>, ApiError> {
    let (group, version) = match rest {
        ["api", v] => ("", *v),
        ["apis", g, v] => (*g, *v),
        _ => return Err(ApiError::no_route()),
    };
    let doc = gv_document(&ctx.store.registry(), group, version).ok_or_else(ApiError::no_route)?;
    Ok(json_response(StatusCode::OK, &doc))
}
