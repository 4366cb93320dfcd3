//! get, list, create, update, patch, delete, deletecollection and scale over HTTP.

use http::{Response, StatusCode};
use serde_json::{Value, json};

use super::{Target, table};
use crate::error::ApiError;
use crate::selector::{FieldSelector, LabelSelector};
use crate::server::{Body, Ctx, Req, json_response};
use crate::store::{
    DeleteOptions, ListOptions, Patch, Propagation, Subresource, WriteOptions, present,
};

const BODY_TYPES: &str = "application/json, application/yaml, application/vnd.kubernetes.protobuf";
const PATCH_TYPES: &str = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json";

/// The media type of a Content-Type header (lowercase, parameters dropped).
fn media_type(ct: &str) -> String {
    ct.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("couldn't get version/kind; json parse error: {e}"))
    })
}

fn parse_yaml(body: &[u8]) -> Result<Value, ApiError> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return Ok(v);
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("the YAML body is not valid UTF-8"))?;
    serde_saphyr::from_str::<Value>(text)
        .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: {e}")))
}

/// Decodes a create/update body by Content-Type (JSON or YAML; protobuf and others are 415).
pub(crate) fn decode_body(req: &Req) -> Result<Value, ApiError> {
    let mt = media_type(&req.content_type);
    let v = match mt.as_str() {
        "application/json" | "" => parse_json(&req.body)?,
        "application/yaml" | "application/x-yaml" | "text/yaml" => parse_yaml(&req.body)?,
        _ => {
            return Err(ApiError::unsupported_media_type(format!(
                "the body of the request was in an unknown format - accepted media types include: {BODY_TYPES}"
            )));
        }
    };
    if !v.is_object() {
        return Err(ApiError::bad_request(
            "the body of the request must be a JSON object",
        ));
    }
    Ok(v)
}

fn check_kind(t: &Target, obj: &Value) -> Result<(), ApiError> {
    if let Some(av) = obj.get("apiVersion").and_then(Value::as_str)
        && av != t.def.api_version()
        && !(t.def.custom && crate::resources::split_api_version(av).0 == t.def.group)
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({av}) does not match the expected API version ({})",
            t.def.api_version()
        )));
    }
    if let Some(kind) = obj.get("kind").and_then(Value::as_str)
        && kind != t.def.kind
    {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({kind}) does not match the expected kind ({})",
            t.def.kind
        )));
    }
    Ok(())
}

fn dry_run(req: &Req) -> Result<bool, ApiError> {
    match req.param("dryRun") {
        None | Some("") => Ok(false),
        Some("All") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "Invalid dry run value: {other}; supported values: All"
        ))),
    }
}

/// Field manager: the query parameter, else the User-Agent's program name.
fn field_manager(req: &Req) -> String {
    if let Some(m) = req.param("fieldManager") {
        return m.to_string();
    }
    let ua = req.user_agent.split('/').next().unwrap_or_default().trim();
    if ua.is_empty() {
        "unknown".to_string()
    } else {
        ua.chars().take(128).collect()
    }
}

fn write_options(req: &Req) -> Result<WriteOptions, ApiError> {
    Ok(WriteOptions {
        dry_run: dry_run(req)?,
        field_manager: field_manager(req),
    })
}

fn wants_table(req: &Req) -> bool {
    req.accept.contains("as=Table")
}

/// True when the client asked for metadata only (`as=PartialObjectMetadata[List]`).
pub(crate) fn wants_metadata(req: &Req) -> bool {
    req.accept.contains("as=PartialObjectMetadata")
}

/// The metadata-only form of an object.
pub(crate) fn partial(obj: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"]})
}

fn respond(status: StatusCode, obj: &Value, t: &Target) -> Response<Body> {
    if obj["apiVersion"] == t.def.api_version().as_str() && obj["kind"] == t.def.kind.as_str() {
        return json_response(status, obj);
    }
    json_response(status, &present(obj, &t.def))
}

pub(crate) fn get(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let name = t.name.as_deref().unwrap_or_default();
    let obj = ctx.store.get_in(&t.def, t.ns(), name)?;
    if wants_table(req) && t.sub.is_none() {
        let rv = obj["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let tbl = table::table(&t.def, &[obj], &rv, None, req.param("includeObject"));
        return Ok(json_response(StatusCode::OK, &tbl));
    }
    if wants_metadata(req) {
        return Ok(json_response(StatusCode::OK, &partial(&obj)));
    }
    Ok(respond(StatusCode::OK, &obj, t))
}

pub(crate) fn list_options(req: &Req, t: &Target) -> Result<ListOptions, ApiError> {
    let limit = match req.param("limit") {
        None | Some("") => None,
        Some(l) => Some(
            l.parse::<usize>()
                .map_err(|_| ApiError::bad_request(format!("invalid limit: {l}")))?,
        ),
    };
    Ok(ListOptions {
        labels: LabelSelector::parse(req.param("labelSelector").unwrap_or_default())?,
        fields: FieldSelector::parse(req.param("fieldSelector").unwrap_or_default(), &t.def.kind)?,
        limit,
        continue_token: req
            .param("continue")
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    })
}

pub(crate) fn list(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let opts = list_options(req, t)?;
    let page = ctx.store.list_in(&t.def, t.namespace.as_deref(), &opts)?;
    let rv = page.resource_version.to_string();
    if wants_table(req) {
        let tbl = table::table(
            &t.def,
            &page.items,
            &rv,
            page.continue_token.as_deref(),
            req.param("includeObject"),
        );
        return Ok(json_response(StatusCode::OK, &tbl));
    }
    let mut meta = json!({"resourceVersion": rv});
    if let Some(c) = &page.continue_token {
        meta["continue"] = json!(c);
    }
    if let Some(n) = page.remaining {
        meta["remainingItemCount"] = json!(n);
    }
    let metadata_only = wants_metadata(req);
    let (kind, api_version) = if metadata_only {
        (
            "PartialObjectMetadataList".to_string(),
            "meta.k8s.io/v1".to_string(),
        )
    } else {
        (format!("{}List", t.def.kind), t.def.api_version())
    };
    // Serialized item by item: stored objects are written as they are, never cloned, unless
    // they need another apiVersion.
    let mut out = Vec::with_capacity(256 + page.items.len() * 2048);
    let head = json!({"kind": kind, "apiVersion": api_version, "metadata": meta});
    let head = serde_json::to_vec(&head).unwrap_or_default();
    out.extend_from_slice(&head[..head.len().saturating_sub(1)]);
    out.extend_from_slice(b",\"items\":[");
    let api_version = t.def.api_version();
    for (i, o) in page.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let written = if metadata_only {
            serde_json::to_writer(&mut out, &partial(o))
        } else if o["apiVersion"] == api_version.as_str() && o["kind"] == t.def.kind.as_str() {
            serde_json::to_writer(&mut out, &**o)
        } else {
            serde_json::to_writer(&mut out, &present(o, &t.def))
        };
        written.map_err(|e| ApiError::internal(format!("encoding the list: {e}")))?;
    }
    out.extend_from_slice(b"]}");
    Ok(crate::server::bytes_response(StatusCode::OK, out))
}

pub(crate) fn create(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let obj = decode_body(req)?;
    check_kind(t, &obj)?;
    if t.def.namespaced && t.namespace.is_none() {
        return Err(ApiError::no_route());
    }
    let opts = write_options(req)?;
    let out = ctx.store.create_in(&t.def, t.ns(), obj, &opts)?;
    Ok(respond(StatusCode::CREATED, &out, t))
}

fn sub_of(t: &Target) -> Subresource {
    if t.sub.as_deref() == Some("status") {
        Subresource::Status
    } else {
        Subresource::Main
    }
}

pub(crate) fn update(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let obj = decode_body(req)?;
    check_kind(t, &obj)?;
    let opts = write_options(req)?;
    let name = t.name.as_deref().unwrap_or_default();
    let out = ctx
        .store
        .update_in(&t.def, t.ns(), name, obj, sub_of(t), &opts)?;
    Ok(respond(StatusCode::OK, &out, t))
}

fn parse_patch(req: &Req) -> Result<Patch, ApiError> {
    let mt = media_type(&req.content_type);
    let unsupported = || {
        ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format - accepted media types include: {PATCH_TYPES}"
        ))
    };
    Ok(match mt.as_str() {
        "application/json-patch+json" => Patch::Json(parse_json(&req.body)?),
        "application/merge-patch+json" => Patch::Merge(parse_json(&req.body)?),
        "application/strategic-merge-patch+json" => Patch::Strategic(parse_json(&req.body)?),
        "application/apply-patch+yaml" => {
            let force = match req.param("force") {
                None | Some("" | "false") => false,
                Some("true") => true,
                Some(other) => {
                    return Err(ApiError::bad_request(format!(
                        "invalid force value: {other}"
                    )));
                }
            };
            Patch::Apply {
                body: parse_yaml(&req.body)?,
                force,
            }
        }
        _ => return Err(unsupported()),
    })
}

pub(crate) fn patch(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let patch = parse_patch(req)?;
    let mut opts = write_options(req)?;
    if matches!(patch, Patch::Apply { .. }) {
        opts.field_manager = req.param("fieldManager").unwrap_or_default().to_string();
    } else if req.flag("force") {
        return Err(ApiError::bad_request(
            "force is only allowed for apply patches",
        ));
    }
    let name = t.name.as_deref().unwrap_or_default();
    let (out, created) = ctx
        .store
        .patch_in(&t.def, t.ns(), name, patch, sub_of(t), &opts)?;
    Ok(respond(
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        &out,
        t,
    ))
}

fn delete_options(req: &Req) -> Result<DeleteOptions, ApiError> {
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        parse_json(&req.body)?
    };
    let policy = req
        .param("propagationPolicy")
        .map(str::to_string)
        .or_else(|| body["propagationPolicy"].as_str().map(str::to_string));
    let orphan = req
        .param("orphanDependents")
        .map(|v| v == "true")
        .or_else(|| body["orphanDependents"].as_bool());
    let propagation = match (policy.as_deref(), orphan) {
        (Some("Foreground"), _) => Propagation::Foreground,
        (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
        (Some("Background") | None, _) => Propagation::Background,
        (Some(other), _) => {
            return Err(ApiError::invalid(
                "",
                "DeleteOptions",
                "",
                vec![crate::error::Cause::new(
                    "FieldValueNotSupported",
                    "propagationPolicy",
                    format!(
                        "Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
                    ),
                )],
            ));
        }
    };
    let body_dry = body["dryRun"]
        .as_array()
        .is_some_and(|a| a.iter().any(|v| v == "All"));
    Ok(DeleteOptions {
        propagation,
        uid: body["preconditions"]["uid"].as_str().map(str::to_string),
        resource_version: body["preconditions"]["resourceVersion"]
            .as_str()
            .map(str::to_string),
        dry_run: dry_run(req)? || body_dry,
    })
}

pub(crate) fn delete(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let opts = delete_options(req)?;
    let name = t.name.as_deref().unwrap_or_default();
    let out = ctx.store.delete_in(&t.def, t.ns(), name, &opts)?;
    let pending = !opts.dry_run && ctx.store.get_in(&t.def, t.ns(), name).is_ok();
    Ok(respond(
        if pending {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        },
        &out,
        t,
    ))
}

pub(crate) fn delete_collection(
    ctx: &Ctx,
    req: &Req,
    t: &Target,
) -> Result<Response<Body>, ApiError> {
    let opts = delete_options(req)?;
    let list = list_options(req, t)?;
    let items = ctx
        .store
        .delete_collection_in(&t.def, t.namespace.as_deref(), &list, &opts)?;
    let items: Vec<Value> = items.iter().map(|o| present(o, &t.def)).collect();
    let out = json!({"kind": format!("{}List", t.def.kind), "apiVersion": t.def.api_version(),
        "metadata": {"resourceVersion": ctx.store.resource_version().to_string()}, "items": items});
    Ok(json_response(StatusCode::OK, &out))
}

pub(crate) fn scale(
    ctx: &Ctx,
    req: &Req,
    t: &Target,
    verb: &str,
) -> Result<Response<Body>, ApiError> {
    let name = t.name.as_deref().unwrap_or_default();
    let current = ctx.store.get_scale(&t.def, t.ns(), name)?;
    let desired = match verb {
        "get" => return Ok(json_response(StatusCode::OK, &current)),
        "update" => decode_body(req)?,
        _ => {
            let mut s = current.clone();
            match parse_patch(req)? {
                Patch::Json(p) => crate::patch::json_patch(&mut s, &p)
                    .map_err(|e| ApiError::new(422, "Invalid", e.0))?,
                Patch::Merge(p) | Patch::Strategic(p) => crate::patch::merge_patch(&mut s, &p),
                Patch::Apply { body, .. } => crate::patch::merge_patch(&mut s, &body),
            }
            s
        }
    };
    if !desired["spec"]["replicas"].is_i64() && !desired["spec"]["replicas"].is_u64() {
        return Err(ApiError::invalid(
            "autoscaling",
            "Scale",
            name,
            vec![crate::error::Cause::new(
                "FieldValueRequired",
                "spec.replicas",
                "Required value",
            )],
        ));
    }
    let out = ctx
        .store
        .update_scale(&t.def, t.ns(), name, &desired, &write_options(req)?)?;
    Ok(json_response(StatusCode::OK, &out))
}

/// `POST pods/{name}/eviction`: deletes the pod (no disruption budgets are simulated).
pub(crate) fn evict(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let body = decode_body(req)?;
    let name = t.name.as_deref().unwrap_or_default();
    let body_name = body["metadata"]["name"].as_str().unwrap_or(name);
    if body_name != name {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let mut opts = DeleteOptions {
        dry_run: dry_run(req)?,
        ..DeleteOptions::default()
    };
    opts.uid = body["deleteOptions"]["preconditions"]["uid"]
        .as_str()
        .map(str::to_string);
    ctx.store.delete_in(&t.def, t.ns(), name, &opts)?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
    ))
}
