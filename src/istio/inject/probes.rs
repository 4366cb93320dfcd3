//! Rewriting application probes and lifecycle hooks to the agent's `/app-health/...` and
//! `/app-lifecycle/...` endpoints on the status port, and the `ISTIO_KUBE_APP_PROBERS` value that
//! tells the agent where the originals were.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::gotypes::{self, GRPC_ACTION_TY, HTTP_GET_ACTION_TY, TCP_SOCKET_ACTION_TY};
use super::validate::parse_bool;

pub const KUBE_APP_PROBERS_ENV: &str = "ISTIO_KUBE_APP_PROBERS";
const INCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/includeInboundPorts";
const EXCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/excludeInboundPorts";

/// Istio's `ShouldRewriteAppHTTPProbers`: the `sidecar.istio.io/rewriteAppHTTPProbers` annotation
/// when it is a boolean, else the `sidecarInjectorWebhook.rewriteAppHTTPProbe` value.
pub fn should_rewrite(annotations: &Map<String, Value>, default: bool) -> bool {
    annotations
        .get("sidecar.istio.io/rewriteAppHTTPProbers")
        .and_then(Value::as_str)
        .and_then(parse_bool)
        .unwrap_or(default)
}

struct Urls {
    readyz: String,
    livez: String,
    startupz: String,
    prestopz: String,
    poststartz: String,
}

fn urls(container: &str) -> Urls {
    Urls {
        readyz: format!("/app-health/{container}/readyz"),
        livez: format!("/app-health/{container}/livez"),
        startupz: format!("/app-health/{container}/startupz"),
        prestopz: format!("/app-lifecycle/{container}/prestopz"),
        poststartz: format!("/app-lifecycle/{container}/poststartz"),
    }
}

fn all_containers(spec: &Value) -> Vec<&Value> {
    ["initContainers", "containers"]
        .iter()
        .flat_map(|k| spec.get(*k).and_then(Value::as_array).into_iter().flatten())
        .collect()
}

/// Ports explicitly included (`true`) or excluded (`false`) by the inbound-port annotations.
fn port_inclusion(annotations: &Map<String, Value>) -> BTreeMap<i64, bool> {
    let get = |k: &str| annotations.get(k).and_then(Value::as_str).unwrap_or("");
    let (include, exclude) = (get(INCLUDE_INBOUND), get(EXCLUDE_INBOUND));
    let parse = |list: &str, flag: bool, map: &mut BTreeMap<i64, bool>| {
        for p in list.split(',') {
            if let Ok(port) = p.trim().parse::<i64>()
                && port != 0
            {
                map.insert(port, flag);
            }
        }
    };
    let mut map = BTreeMap::new();
    if !include.is_empty() && include != "*" {
        parse(include, true, &mut map);
        return map;
    }
    if !exclude.is_empty() {
        parse(exclude, false, &mut map);
    }
    map
}

fn port_included(port: i64, ports: &BTreeMap<i64, bool>) -> bool {
    match ports.get(&port) {
        Some(included) => *included,
        None => !ports.values().any(|v| *v),
    }
}

/// The integer value of an `IntOrString` port as Go's `IntVal` sees it (0 for named ports).
fn int_val(port: Option<&Value>) -> i64 {
    port.and_then(Value::as_i64).unwrap_or(0)
}

fn lookup_named_port(spec: &Value, name: &str, container: &str) -> Option<i64> {
    for list in ["containers", "initContainers"] {
        for c in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if c.get("name").and_then(Value::as_str) == Some(container) {
                return c
                    .get("ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
                    .and_then(|p| p.get("containerPort"))
                    .and_then(Value::as_i64)
                    .filter(|p| *p > 0);
            }
        }
    }
    None
}

/// A probe or lifecycle handler as the agent's prober: (kind, action, timeoutSeconds).
fn prober_of(handler: Option<&Value>, with_timeout: bool) -> Option<(&'static str, Value, i64)> {
    let h = handler?;
    let timeout = if with_timeout {
        h.get("timeoutSeconds").and_then(Value::as_i64).unwrap_or(0)
    } else {
        0
    };
    for kind in ["httpGet", "tcpSocket", "grpc"] {
        if kind == "grpc" && !with_timeout {
            continue;
        }
        if let Some(action) = h.get(kind).filter(|a| !a.is_null()) {
            return Some((kind, action.clone(), timeout));
        }
    }
    None
}

/// Resolves named ports and applies the inclusion list; `None` drops the prober.
fn resolve_prober(
    spec: &Value,
    container: &str,
    ports: &BTreeMap<i64, bool>,
    prober: Option<(&'static str, Value, i64)>,
) -> Option<(&'static str, Value, i64)> {
    let (kind, mut action, timeout) = prober?;
    let port = action.get("port").cloned();
    let resolved = match (kind, port) {
        ("grpc", Some(p)) => {
            let p = p.as_i64()?;
            return port_included(p, ports).then_some((kind, action, timeout));
        }
        (_, Some(Value::String(name))) => {
            let p = match lookup_named_port(spec, &name, container) {
                Some(p) => p,
                None => name.parse::<i32>().ok()? as i64,
            };
            if !port_included(p, ports) {
                return None;
            }
            p
        }
        (_, Some(Value::Number(n))) => {
            let p = n.as_i64()?;
            if !port_included(p, ports) {
                return None;
            }
            p
        }
        _ => return None,
    };
    action["port"] = json!(resolved);
    Some((kind, action, timeout))
}

/// Go's JSON of Istio's `Prober` struct.
fn prober_json(kind: &str, action: &Value, timeout: i64) -> String {
    let ty = match kind {
        "httpGet" => &HTTP_GET_ACTION_TY,
        "tcpSocket" => &TCP_SOCKET_ACTION_TY,
        _ => &GRPC_ACTION_TY,
    };
    let mut a = action.clone();
    gotypes::normalize(&mut a, ty);
    let mut out = format!("{{\"{kind}\":{}", gotypes::go_json(&a, ty));
    if timeout != 0 {
        out.push_str(&format!(",\"timeoutSeconds\":{timeout}"));
    }
    out.push('}');
    out
}

fn probers_to_json(probers: &BTreeMap<String, String>) -> String {
    let body: Vec<String> = probers
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::String(k.clone())))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Istio's `DumpAppProbers`: the `ISTIO_KUBE_APP_PROBERS` JSON, or `None` when there is nothing.
pub fn dump_app_probers(pod: &Value) -> Option<String> {
    let spec = pod.get("spec")?;
    let annotations = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let ports = port_inclusion(&annotations);
    let mut out = BTreeMap::new();
    for c in all_containers(spec) {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        if name == "istio-proxy" {
            continue;
        }
        let u = urls(name);
        let mut add = |url: &str, p: Option<(&'static str, Value, i64)>| {
            if let Some((kind, action, timeout)) = resolve_prober(spec, name, &ports, p) {
                out.insert(url.to_string(), prober_json(kind, &action, timeout));
            }
        };
        add(&u.readyz, prober_of(c.get("readinessProbe"), true));
        add(&u.livez, prober_of(c.get("livenessProbe"), true));
        add(&u.startupz, prober_of(c.get("startupProbe"), true));
        if let Some(lc) = c.get("lifecycle") {
            add(&u.prestopz, prober_of(lc.get("preStop"), false));
            add(&u.poststartz, prober_of(lc.get("postStart"), false));
        }
    }
    (!out.is_empty()).then(|| probers_to_json(&out))
}

/// Istio's `mergeOrAppendProbers`: on re-injection the earlier probers win over new ones.
pub fn merge_or_append(previously_injected: bool, env: &mut Vec<Value>, probers: &str) {
    if previously_injected
        && let Some(existing) = env
            .iter_mut()
            .find(|e| e.get("name").and_then(Value::as_str) == Some(KUBE_APP_PROBERS_ENV))
    {
        let old: Option<Map<String, Value>> = existing
            .get("value")
            .and_then(Value::as_str)
            .and_then(|s| serde_json::from_str(s).ok());
        let new: Option<Map<String, Value>> = serde_json::from_str(probers).ok();
        if let (Some(old), Some(mut new)) = (old, new) {
            new.extend(old);
            let rendered: BTreeMap<String, String> = new
                .iter()
                .map(|(k, v)| {
                    let (kind, action) = ["httpGet", "tcpSocket", "grpc"]
                        .iter()
                        .find_map(|kind| v.get(*kind).map(|a| (*kind, a.clone())))
                        .unwrap_or(("httpGet", Value::Null));
                    let timeout = v.get("timeoutSeconds").and_then(Value::as_i64).unwrap_or(0);
                    (k.clone(), prober_json(kind, &action, timeout))
                })
                .collect();
            *existing = json!({"name": KUBE_APP_PROBERS_ENV, "value": probers_to_json(&rendered)});
        }
        return;
    }
    env.push(json!({"name": KUBE_APP_PROBERS_ENV, "value": probers}));
}

fn should_patch(handler: Option<&Value>, ports: &BTreeMap<i64, bool>) -> bool {
    let Some(h) = handler.filter(|h| !h.is_null()) else {
        return false;
    };
    if ports.is_empty() {
        return true;
    }
    let port = if let Some(a) = h.get("httpGet") {
        int_val(a.get("port"))
    } else if let Some(a) = h.get("tcpSocket") {
        int_val(a.get("port"))
    } else if let Some(a) = h.get("grpc") {
        int_val(a.get("port"))
    } else {
        0
    };
    port_included(port, ports)
}

/// Points an HTTP/TCP/gRPC probe (or lifecycle handler) at the agent.
fn convert(handler: &mut Value, url: &str, status_port: i64, allow_grpc: bool) {
    let Value::Object(h) = handler else { return };
    let mut action = if let Some(Value::Object(a)) = h.get("httpGet") {
        a.clone()
    } else if h.get("tcpSocket").is_some_and(|v| !v.is_null())
        || (allow_grpc && h.get("grpc").is_some_and(|v| !v.is_null()))
    {
        Map::new()
    } else {
        return;
    };
    h.remove("tcpSocket");
    if allow_grpc {
        h.remove("grpc");
    }
    action.insert("port".into(), json!(status_port));
    action.insert("path".into(), Value::String(url.to_string()));
    if action.get("scheme").and_then(Value::as_str) == Some("HTTPS") {
        action.insert("scheme".into(), Value::String("HTTP".into()));
    }
    h.insert("httpGet".into(), Value::Object(action));
}

/// Istio's `patchRewriteProbe`: rewrites the probes and lifecycle hooks of every container but
/// istio-proxy to go through the agent on the status port.
pub fn rewrite_probes(pod: &mut Value, default_status_port: i64) {
    let annotations = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let ports = port_inclusion(&annotations);
    let status_port = match annotations
        .get("status.sidecar.istio.io/port")
        .and_then(Value::as_str)
    {
        Some(v) => v.trim().parse::<i64>().unwrap_or(0),
        None => default_status_port,
    };
    for list in ["containers", "initContainers"] {
        let Some(Value::Array(containers)) = pod.pointer_mut(&format!("/spec/{list}")) else {
            continue;
        };
        for c in containers.iter_mut() {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if name == "istio-proxy" {
                continue;
            }
            let u = urls(&name);
            for (field, url) in [
                ("readinessProbe", &u.readyz),
                ("livenessProbe", &u.livez),
                ("startupProbe", &u.startupz),
            ] {
                if should_patch(c.get(field), &ports)
                    && let Some(p) = c.get_mut(field)
                {
                    convert(p, url, status_port, true);
                }
            }
            for (field, url) in [("preStop", &u.prestopz), ("postStart", &u.poststartz)] {
                if should_patch(c.pointer(&format!("/lifecycle/{field}")), &ports)
                    && let Some(h) = c.pointer_mut(&format!("/lifecycle/{field}"))
                {
                    convert(h, url, status_port, false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Value {
        json!({"metadata": {}, "spec": {"containers": [
            {"name": "hello", "ports": [{"name": "http", "containerPort": 80}],
             "livenessProbe": {"httpGet": {"port": "http"}},
             "readinessProbe": {"httpGet": {"port": 3333}},
             "lifecycle": {"preStop": {"httpGet": {"port": 91}}, "postStart": {"tcpSocket": {"port": 93}}}},
            {"name": "world", "ports": [{"name": "http", "containerPort": 90}],
             "livenessProbe": {"httpGet": {"port": "http"}},
             "readinessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}}},
            {"name": "istio-proxy", "readinessProbe": {"httpGet": {"port": 15021}}}]}})
    }

    #[test]
    fn probers_resolve_named_ports_per_container() {
        assert_eq!(
            dump_app_probers(&pod()).unwrap(),
            r#"{"/app-health/hello/livez":{"httpGet":{"port":80}},"/app-health/hello/readyz":{"httpGet":{"port":3333}},"/app-health/world/livez":{"httpGet":{"port":90}},"/app-lifecycle/hello/poststartz":{"tcpSocket":{"port":93}},"/app-lifecycle/hello/prestopz":{"httpGet":{"port":91}}}"#
        );
    }

    #[test]
    fn probes_point_at_the_agent() {
        let mut p = pod();
        rewrite_probes(&mut p, 15020);
        let hello = &p["spec"]["containers"][0];
        assert_eq!(
            hello["livenessProbe"],
            json!({"httpGet": {"path": "/app-health/hello/livez", "port": 15020}})
        );
        assert_eq!(
            hello["lifecycle"]["postStart"],
            json!({"httpGet": {"path": "/app-lifecycle/hello/poststartz", "port": 15020}})
        );
        assert_eq!(
            p["spec"]["containers"][1]["readinessProbe"]["exec"]["command"][0],
            "cat"
        );
        assert_eq!(
            p["spec"]["containers"][2]["readinessProbe"]["httpGet"]["port"],
            15021
        );
    }

    #[test]
    fn included_ports_limit_rewriting() {
        let mut p = pod();
        p["metadata"]["annotations"] = json!({INCLUDE_INBOUND: "80"});
        let dump = dump_app_probers(&p).unwrap();
        assert!(
            dump.contains("hello/livez") && !dump.contains("readyz"),
            "{dump}"
        );
        rewrite_probes(&mut p, 15020);
        assert_eq!(
            p["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"],
            3333
        );
    }

    #[test]
    fn reinjection_keeps_earlier_probers() {
        let mut env = vec![
            json!({"name": KUBE_APP_PROBERS_ENV, "value": r#"{"/a":{"httpGet":{"port":1}}}"#}),
        ];
        merge_or_append(
            true,
            &mut env,
            r#"{"/a":{"httpGet":{"port":2}},"/b":{"tcpSocket":{"port":3}}}"#,
        );
        assert_eq!(
            env[0]["value"],
            r#"{"/a":{"httpGet":{"port":1}},"/b":{"tcpSocket":{"port":3}}}"#
        );
    }
}
