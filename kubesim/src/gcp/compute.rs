//! The Compute API routes: firewalls, global operations, instances, networks, projects.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::errors::{self, ApiError};
use super::state::{Fault, Mutation, State};

/// What a Compute request turned into.
pub enum Outcome {
    Json(Value),
    /// `operations/{op}/wait`: the server waits (without the lock) until the operation is due.
    Wait(usize),
}

pub struct Call<'a> {
    pub method: &'a str,
    /// Path segments after `/compute/v1/`.
    pub segments: Vec<&'a str>,
    pub query: &'a BTreeMap<String, String>,
    pub body: Option<Value>,
    /// The caller (service account email, user account, `default` service account, or anonymous).
    pub principal: String,
}

pub fn handle(state: &mut State, call: Call<'_>) -> Result<Outcome, ApiError> {
    let segs = call.segments.as_slice();
    let Some((&"projects", rest)) = segs.split_first() else {
        return Err(errors::not_found(&segs.join("/")));
    };
    let Some((&project, rest)) = rest.split_first() else {
        return Err(errors::not_found("projects"));
    };
    let (permission, resource) = permission_for(call.method, project, rest);
    if !state.projects.contains_key(project) {
        return Err(errors::not_found(&format!("projects/{project}")));
    }
    match &state.fault {
        Some(Fault::ApiNotEnabled) => {
            return Err(errors::api_not_enabled(
                project,
                state.projects[project].number,
            ));
        }
        Some(Fault::InsufficientScopes) => return Err(errors::insufficient_scopes()),
        Some(Fault::MissingPermission(p)) if *p == permission => {
            return Err(errors::missing_permission(&permission, &resource));
        }
        _ => {}
    }
    let now = Instant::now();
    match (call.method, rest) {
        ("GET", []) => Ok(Outcome::Json(project_json(state, project))),
        ("GET", ["global", "firewalls"]) => {
            list_firewalls(state, project, call.query).map(Outcome::Json)
        }
        ("POST", ["global", "firewalls"]) => {
            insert_firewall(state, project, call.body, call.principal, call.query, now)
        }
        ("GET", ["global", "firewalls", name]) => state
            .firewall(project, name)
            .map(Outcome::Json)
            .ok_or_else(|| errors::not_found(&resource)),
        ("PATCH" | "PUT", ["global", "firewalls", name]) => {
            change_firewall(state, project, name, call, now)
        }
        ("DELETE", ["global", "firewalls", name]) => {
            let existing = state
                .firewall(project, name)
                .ok_or_else(|| errors::not_found(&resource))?;
            let target_id = existing["id"].as_str().unwrap_or_default().to_string();
            let request_id = call.query.get("requestId").cloned();
            let i = state.new_operation(
                project,
                "delete",
                call.principal,
                request_id,
                Mutation::Delete(name.to_string(), target_id),
            );
            Ok(Outcome::Json(state.render_operation(i, now)))
        }
        ("GET", ["global", "operations", op]) => state
            .find_operation(project, op)
            .map(|i| Outcome::Json(state.render_operation(i, now)))
            .ok_or_else(|| errors::not_found(&resource)),
        ("POST", ["global", "operations", op, "wait"]) => state
            .find_operation(project, op)
            .map(Outcome::Wait)
            .ok_or_else(|| {
                errors::not_found(&format!("projects/{project}/global/operations/{op}"))
            }),
        ("GET", ["zones", zone, "instances", name]) => state.projects[project]
            .instances
            .get(&(zone.to_string(), name.to_string()))
            .cloned()
            .map(Outcome::Json)
            .ok_or_else(|| errors::not_found(&resource)),
        ("GET", ["global", "networks", name]) => state.projects[project]
            .networks
            .get(*name)
            .cloned()
            .map(Outcome::Json)
            .ok_or_else(|| errors::not_found(&resource)),
        (_, ["global", "firewalls", ..]) | (_, ["global", "operations", ..]) => {
            Err(errors::method_not_allowed())
        }
        _ => Err(errors::not_found(&format!(
            "projects/{project}/{}",
            rest.join("/")
        ))),
    }
}

/// The IAM permission a call needs and the resource named in a 403.
fn permission_for(method: &str, project: &str, rest: &[&str]) -> (String, String) {
    let resource = if rest.is_empty() {
        format!("projects/{project}")
    } else {
        format!("projects/{project}/{}", rest.join("/"))
    };
    let permission = match (method, rest) {
        ("GET", ["global", "firewalls"]) => "compute.firewalls.list",
        ("POST", ["global", "firewalls"]) => "compute.firewalls.create",
        ("GET", ["global", "firewalls", _]) => "compute.firewalls.get",
        ("PATCH" | "PUT", ["global", "firewalls", _]) => "compute.firewalls.update",
        ("DELETE", ["global", "firewalls", _]) => "compute.firewalls.delete",
        (_, ["global", "operations", ..]) => "compute.globalOperations.get",
        (_, ["zones", _, "instances", _]) => "compute.instances.get",
        (_, ["global", "networks", _]) => "compute.networks.get",
        _ => "compute.projects.get",
    };
    (permission.to_string(), resource)
}

fn project_json(state: &State, project: &str) -> Value {
    let p = &state.projects[project];
    json!({
        "kind": "compute#project",
        "id": p.number.to_string(),
        "name": project,
        "selfLink": state.project_url(project),
        "defaultNetworkTier": "PREMIUM",
        "xpnProjectStatus": "UNSPECIFIED_XPN_PROJECT_STATUS",
    })
}

fn list_firewalls(
    state: &State,
    project: &str,
    query: &BTreeMap<String, String>,
) -> Result<Value, ApiError> {
    let max = match query.get("maxResults") {
        None => 500,
        Some(m) => match m.parse::<usize>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                return Err(errors::invalid_field(
                    "maxResults",
                    m,
                    "Must be between 0 and 500.",
                ));
            }
        },
    };
    let start = match query.get("pageToken").filter(|t| !t.is_empty()) {
        None => 0,
        Some(token) => decode_page_token(token)
            .ok_or_else(|| errors::invalid_field("pageToken", token, "Invalid page token."))?,
    };
    let filter = query.get("filter").filter(|f| !f.trim().is_empty());
    let all: Vec<Value> = state
        .firewalls(project)
        .into_iter()
        .filter(|rule| filter.is_none_or(|f| matches_filter(rule, f)))
        .collect();
    let url = state.project_url(project);
    let mut list = json!({
        "kind": "compute#firewallList",
        "id": format!("projects/{project}/global/firewalls"),
        "selfLink": format!("{url}/global/firewalls"),
    });
    let page: Vec<Value> = all.iter().skip(start).take(max).cloned().collect();
    if !page.is_empty() {
        list["items"] = Value::Array(page);
    }
    if start + max < all.len() {
        list["nextPageToken"] = json!(encode_page_token(start + max));
    }
    Ok(list)
}

/// The list filter subset clients send: `name = "x"`, `name eq x`, `name != x`, `name ne x`
/// (regular expressions are matched literally, which covers plain names).
fn matches_filter(rule: &Value, filter: &str) -> bool {
    let parts: Vec<&str> = filter.split_whitespace().collect();
    let [field, op, value] = parts.as_slice() else {
        return true;
    };
    let actual = rule.get(*field).and_then(Value::as_str).unwrap_or_default();
    let value = value.trim_matches('"');
    match *op {
        "=" | "eq" => actual == value,
        "!=" | "ne" => actual != value,
        _ => true,
    }
}

fn encode_page_token(offset: usize) -> String {
    format!("CkY{offset:08x}")
}

fn decode_page_token(token: &str) -> Option<usize> {
    usize::from_str_radix(token.strip_prefix("CkY")?, 16).ok()
}

fn insert_firewall(
    state: &mut State,
    project: &str,
    body: Option<Value>,
    principal: String,
    query: &BTreeMap<String, String>,
    now: Instant,
) -> Result<Outcome, ApiError> {
    let body =
        body.ok_or_else(|| errors::bad_request("Required field 'resource' not specified"))?;
    let request_id = query.get("requestId").cloned();
    if let Some(rid) = &request_id {
        validate_request_id(rid)?;
        if let Some(i) = state.find_by_request_id(project, rid) {
            return Ok(Outcome::Json(state.render_operation(i, now)));
        }
    }
    let rule = state.complete_firewall(project, body, None)?;
    let name = rule["name"].as_str().unwrap_or_default().to_string();
    if state.firewall(project, &name).is_some() || state.pending_insert(project, &name) {
        return Err(errors::already_exists(&format!(
            "projects/{project}/global/firewalls/{name}"
        )));
    }
    let i = state.new_operation(
        project,
        "insert",
        principal,
        request_id,
        Mutation::Insert(rule),
    );
    Ok(Outcome::Json(state.render_operation(i, now)))
}

fn change_firewall(
    state: &mut State,
    project: &str,
    name: &str,
    call: Call<'_>,
    now: Instant,
) -> Result<Outcome, ApiError> {
    let resource = format!("projects/{project}/global/firewalls/{name}");
    let existing = state
        .firewall(project, name)
        .ok_or_else(|| errors::not_found(&resource))?;
    let body = call
        .body
        .ok_or_else(|| errors::bad_request("Required field 'resource' not specified"))?;
    let Some(fields) = body.as_object() else {
        return Err(errors::bad_request("Invalid JSON payload received."));
    };
    if let Some(given) = fields.get("name").and_then(Value::as_str)
        && given != name
    {
        return Err(errors::invalid_field(
            "resource.name",
            given,
            "The name of a firewall rule cannot be changed.",
        ));
    }
    let (op_type, merged) = if call.method == "PATCH" {
        let mut merged = server_free(&existing);
        for (k, v) in fields {
            merged.insert(k.clone(), v.clone());
        }
        ("patch", merged)
    } else {
        let mut replaced = fields.clone();
        replaced.insert("name".into(), json!(name));
        ("update", replaced)
    };
    let rule = state.complete_firewall(project, Value::Object(merged), Some(&existing))?;
    let request_id = call.query.get("requestId").cloned();
    if let Some(rid) = &request_id {
        validate_request_id(rid)?;
        if let Some(i) = state.find_by_request_id(project, rid) {
            return Ok(Outcome::Json(state.render_operation(i, now)));
        }
    }
    let i = state.new_operation(
        project,
        op_type,
        call.principal,
        request_id,
        Mutation::Replace(rule),
    );
    Ok(Outcome::Json(state.render_operation(i, now)))
}

/// The client-settable fields of a stored rule (what a PATCH merges into).
fn server_free(rule: &Value) -> Map<String, Value> {
    let mut m = rule.as_object().cloned().unwrap_or_default();
    for k in ["kind", "id", "creationTimestamp", "selfLink"] {
        m.remove(k);
    }
    m
}

fn validate_request_id(rid: &str) -> Result<(), ApiError> {
    let hex: String = rid.chars().filter(|c| *c != '-').collect();
    if hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && hex != "0".repeat(32) {
        Ok(())
    } else {
        Err(errors::invalid_field(
            "requestId",
            rid,
            "Must be a valid UUID (and not the zero UUID).",
        ))
    }
}

const FIREWALL_FIELDS: &[&str] = &[
    "kind",
    "id",
    "creationTimestamp",
    "selfLink",
    "name",
    "description",
    "network",
    "priority",
    "sourceRanges",
    "destinationRanges",
    "sourceTags",
    "targetTags",
    "sourceServiceAccounts",
    "targetServiceAccounts",
    "allowed",
    "denied",
    "direction",
    "logConfig",
    "disabled",
    "params",
];

const NAME_RULE: &str = "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'";

/// Server-side validation of a firewall body, with the API's wording.
pub fn validate_firewall(rule: &Value) -> Result<(), ApiError> {
    let Some(obj) = rule.as_object() else {
        return Err(errors::bad_request("Invalid JSON payload received."));
    };
    for key in obj.keys() {
        if !FIREWALL_FIELDS.contains(&key.as_str()) {
            return Err(errors::bad_request(&format!(
                "Invalid JSON payload received. Unknown name \"{key}\" at 'resource': Cannot find field."
            )));
        }
    }
    let name = match obj.get("name") {
        Some(Value::String(n)) => n,
        _ => {
            return Err(errors::invalid(
                "Invalid value for field 'resource.name': ''. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
            ));
        }
    };
    if !is_gce_name(name) {
        return Err(errors::invalid_field("resource.name", name, NAME_RULE));
    }
    if let Some(p) = obj.get("priority") {
        let ok = p.as_i64().is_some_and(|p| (0..=65535).contains(&p));
        if !ok {
            return Err(errors::invalid_field(
                "resource.priority",
                &display(p),
                "Must be greater than or equal to 0 and less than or equal to 65535.",
            ));
        }
    }
    if let Some(d) = obj.get("direction")
        && !matches!(d.as_str(), Some("INGRESS" | "EGRESS"))
    {
        return Err(errors::invalid_field(
            "resource.direction",
            &display(d),
            "Must be one of [INGRESS, EGRESS].",
        ));
    }
    let allowed = list(obj, "allowed");
    let denied = list(obj, "denied");
    if allowed.is_empty() == denied.is_empty() {
        return Err(errors::invalid(
            "Invalid value for field 'resource': ''. Exactly one of 'allowed' or 'denied' must be specified.",
        ));
    }
    for (field, entries) in [("allowed", &allowed), ("denied", &denied)] {
        for (i, entry) in entries.iter().enumerate() {
            validate_protocol_entry(&format!("resource.{field}[{i}]"), entry)?;
        }
    }
    for field in ["sourceRanges", "destinationRanges"] {
        for (i, r) in list(obj, field).iter().enumerate() {
            let text = r.as_str().unwrap_or_default();
            if !is_cidr(text) {
                return Err(errors::invalid_field(
                    &format!("resource.{field}[{i}]"),
                    text,
                    "Must be a CIDR address range that is contained in the address ranges of the network.",
                ));
            }
        }
    }
    for field in ["sourceTags", "targetTags"] {
        for (i, t) in list(obj, field).iter().enumerate() {
            let text = t.as_str().unwrap_or_default();
            if !is_gce_name(text) {
                return Err(errors::invalid_field(
                    &format!("resource.{field}[{i}]"),
                    text,
                    NAME_RULE,
                ));
            }
        }
    }
    Ok(())
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list<'a>(obj: &'a Map<String, Value>, field: &str) -> Vec<&'a Value> {
    obj.get(field)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn validate_protocol_entry(field: &str, entry: &Value) -> Result<(), ApiError> {
    let proto = entry
        .get("IPProtocol")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let named = ["tcp", "udp", "icmp", "esp", "ah", "sctp", "ipip", "all"];
    let numbered = proto.parse::<u8>().is_ok();
    if !named.contains(&proto) && !numbered {
        return Err(errors::invalid_field(
            &format!("{field}.IPProtocol"),
            proto,
            "Must be one of [tcp, udp, icmp, esp, ah, sctp, ipip, all] or an IP protocol number between 0 and 255.",
        ));
    }
    let ports = entry.get("ports").and_then(Value::as_array);
    if let Some(ports) = ports.filter(|p| !p.is_empty()) {
        if !matches!(proto, "tcp" | "udp" | "sctp" | "6" | "17" | "132" | "all") {
            return Err(errors::invalid_field(
                &format!("{field}.ports"),
                &display(&ports[0]),
                "Ports may only be specified for TCP, UDP, SCTP and ALL protocols.",
            ));
        }
        for (i, p) in ports.iter().enumerate() {
            let text = p.as_str().unwrap_or_default();
            if !is_port_or_range(text) {
                return Err(errors::invalid_field(
                    &format!("{field}.ports[{i}]"),
                    text,
                    "Must be a port number or a range of port numbers in [0, 65535].",
                ));
            }
        }
    }
    Ok(())
}

fn is_port_or_range(s: &str) -> bool {
    let port = |p: &str| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    match s.split_once('-') {
        None => port(s),
        Some((lo, hi)) => port(lo) && port(hi) && lo.parse::<u32>().ok() <= hi.parse::<u32>().ok(),
    }
}

/// `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`
pub fn is_gce_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

fn is_cidr(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max) && !p.starts_with('+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_gce_pattern() {
        assert!(is_gce_name("allow-gateway-http"));
        assert!(is_gce_name("a"));
        assert!(!is_gce_name("Allow"));
        assert!(!is_gce_name("1abc"));
        assert!(!is_gce_name("abc-"));
        assert!(!is_gce_name(&"a".repeat(64)));
    }

    #[test]
    fn validation_speaks_like_the_api() {
        let ok = json!({"name":"r","allowed":[{"IPProtocol":"tcp","ports":["80","8000-8080"]}],"sourceRanges":["10.0.0.0/8"]});
        assert!(validate_firewall(&ok).is_ok());
        let bad = json!({"name":"r","allowed":[{"IPProtocol":"tcp","ports":["80-70"]}]});
        let e = validate_firewall(&bad).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.to_string().contains("resource.allowed[0].ports[0]"),
            "{e}"
        );
        let unknown = json!({"name":"r","allowed":[{"IPProtocol":"tcp"}],"targetTag":["x"]});
        assert!(
            validate_firewall(&unknown)
                .unwrap_err()
                .to_string()
                .contains("Unknown name \"targetTag\"")
        );
        let cidr =
            json!({"name":"r","allowed":[{"IPProtocol":"tcp"}],"sourceRanges":["10.0.0.0/33"]});
        assert!(validate_firewall(&cidr).is_err());
    }

    #[test]
    fn page_tokens_round_trip() {
        assert_eq!(decode_page_token(&encode_page_token(1234)), Some(1234));
        assert_eq!(decode_page_token("nonsense"), None);
    }
}
