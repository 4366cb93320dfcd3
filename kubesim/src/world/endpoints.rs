//! Endpoints and EndpointSlices of a Service from the pods its selector matches.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::meta;
use crate::selector::LabelSelector;

/// The selector of a Service, or None when it has none (its endpoints are managed by hand).
pub fn service_selector(svc: &Value) -> Option<LabelSelector> {
    let sel = svc["spec"]["selector"]
        .as_object()
        .filter(|m| !m.is_empty())?;
    Some(LabelSelector::from_object(&json!({"matchLabels": sel})))
}

/// The pod port a service port's targetPort means for `pod` (named ports resolve through the
/// pod's container ports).
pub fn resolve_target_port(port: &Value, pod: &Value) -> Option<i64> {
    let target = &port["targetPort"];
    if let Some(n) = target.as_i64() {
        return Some(n);
    }
    match target.as_str() {
        None => port["port"].as_i64(),
        Some(s) => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => ["containers", "initContainers"].iter().find_map(|l| {
                pod["spec"][*l].as_array()?.iter().find_map(|c| {
                    c["ports"]
                        .as_array()?
                        .iter()
                        .find(|p| p["name"] == s)
                        .and_then(|p| p["containerPort"].as_i64())
                })
            }),
        },
    }
}

fn target_ref(pod: &Value) -> Value {
    json!({"kind": "Pod", "namespace": meta::namespace(pod), "name": meta::name(pod), "uid": meta::uid(pod)})
}

/// Pods that belong in a Service's endpoints: selected, with an IP, not finished or terminating.
pub fn endpoint_pods<'a>(svc: &Value, pods: &'a [Value]) -> Vec<&'a Value> {
    let Some(sel) = service_selector(svc) else {
        return Vec::new();
    };
    let mut out: Vec<&Value> = pods
        .iter()
        .filter(|p| sel.matches(p) && !meta::terminating(p) && meta::pod_active(p))
        .filter(|p| {
            p["status"]["podIP"]
                .as_str()
                .is_some_and(|ip| !ip.is_empty())
        })
        .collect();
    out.sort_by_key(|p| meta::name(p).to_string());
    out
}

fn ports_for(svc: &Value, pod: &Value) -> Vec<Value> {
    svc["spec"]["ports"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let port = resolve_target_port(p, pod)?;
            let mut e = json!({"port": port, "protocol": p["protocol"].as_str().unwrap_or("TCP")});
            if let Some(n) = p["name"].as_str().filter(|n| !n.is_empty()) {
                e["name"] = json!(n);
            }
            if let Some(a) = p["appProtocol"].as_str() {
                e["appProtocol"] = json!(a);
            }
            Some(e)
        })
        .collect()
}

fn address(pod: &Value) -> Value {
    let mut a = json!({"ip": pod["status"]["podIP"], "targetRef": target_ref(pod)});
    if let Some(n) = pod["spec"]["nodeName"].as_str() {
        a["nodeName"] = json!(n);
    }
    a
}

/// The Endpoints object of a Service (subsets grouped by resolved ports).
pub fn endpoints(svc: &Value, pods: &[Value]) -> Value {
    // Resolved ports (as JSON text) → (ready addresses, not-ready addresses, ports).
    type Subset = (Vec<Value>, Vec<Value>, Vec<Value>);
    let mut groups: BTreeMap<String, Subset> = BTreeMap::new();
    for pod in endpoint_pods(svc, pods) {
        let ports = ports_for(svc, pod);
        if ports.is_empty() {
            continue;
        }
        let key = serde_json::to_string(&ports).unwrap_or_default();
        let g = groups
            .entry(key)
            .or_insert_with(|| (Vec::new(), Vec::new(), ports));
        if meta::pod_ready(pod) {
            g.0.push(address(pod))
        } else {
            g.1.push(address(pod))
        }
    }
    let subsets: Vec<Value> = groups
        .into_values()
        .map(|(ready, not_ready, ports)| {
            let mut s = json!({"ports": ports});
            if !ready.is_empty() {
                s["addresses"] = json!(ready);
            }
            if !not_ready.is_empty() {
                s["notReadyAddresses"] = json!(not_ready);
            }
            s
        })
        .collect();
    let mut labels = svc["metadata"]["labels"].clone();
    if !labels.is_object() {
        labels = json!({});
    }
    let mut ep = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": meta::name(svc), "namespace": meta::namespace(svc), "labels": labels},
    });
    if !subsets.is_empty() {
        ep["subsets"] = json!(subsets);
    }
    ep
}

/// The EndpointSlice of a Service (one slice per Service).
pub fn endpoint_slice(
    svc: &Value,
    pods: &[Value],
    zone_of: &dyn Fn(&str) -> Option<String>,
) -> Value {
    let selected = endpoint_pods(svc, pods);
    let ports = selected.iter().map(|p| ports_for(svc, p)).find(|p| !p.is_empty()).unwrap_or_else(|| {
        svc["spec"]["ports"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        let mut e = json!({"port": p["targetPort"].as_i64().or(p["port"].as_i64()), "protocol": p["protocol"].as_str().unwrap_or("TCP")});
                        if let Some(n) = p["name"].as_str().filter(|n| !n.is_empty()) {
                            e["name"] = json!(n);
                        }
                        e
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let endpoints: Vec<Value> = selected
        .iter()
        .map(|pod| {
            let ready = meta::pod_ready(pod);
            let mut e = json!({
                "addresses": [pod["status"]["podIP"]],
                "conditions": {"ready": ready, "serving": ready, "terminating": false},
                "targetRef": target_ref(pod),
            });
            if let Some(n) = pod["spec"]["nodeName"].as_str() {
                e["nodeName"] = json!(n);
                if let Some(z) = zone_of(n) {
                    e["zone"] = json!(z);
                }
            }
            e
        })
        .collect();
    let mut labels = svc["metadata"]["labels"].clone();
    if !labels.is_object() {
        labels = json!({});
    }
    labels["kubernetes.io/service-name"] = json!(meta::name(svc));
    labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
    json!({
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": format!("{}-", meta::name(svc)),
            "namespace": meta::namespace(svc),
            "labels": labels,
            "ownerReferences": [meta::owner_ref("v1", "Service", svc)],
        },
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": ports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc() -> Value {
        json!({"metadata": {"name": "web", "namespace": "demo", "uid": "s", "labels": {"app": "web"}},
            "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}, {"name": "admin", "port": 9000}]}})
    }

    fn pod(name: &str, ready: bool, ip: Option<&str>) -> Value {
        let mut p = json!({"metadata": {"name": name, "namespace": "demo", "uid": name, "labels": {"app": "web"}},
            "spec": {"nodeName": "n0", "containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}});
        if let Some(ip) = ip {
            p["status"]["podIP"] = json!(ip);
        }
        p
    }

    #[test]
    fn endpoints_split_ready_and_not_ready_and_resolve_named_ports() {
        let mut other = pod("other", true, Some("10.0.0.9"));
        other["metadata"]["labels"]["app"] = json!("db");
        let pods = vec![
            pod("a", true, Some("10.0.0.1")),
            pod("b", false, Some("10.0.0.2")),
            pod("c", true, None),
            other,
        ];
        let ep = endpoints(&svc(), &pods);
        let s = &ep["subsets"][0];
        assert_eq!(s["addresses"][0]["ip"], "10.0.0.1");
        assert_eq!(s["addresses"][0]["targetRef"]["name"], "a");
        assert_eq!(s["notReadyAddresses"][0]["ip"], "10.0.0.2");
        assert_eq!(
            s["ports"],
            json!([{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "admin", "port": 9000, "protocol": "TCP"}])
        );
        let slice = endpoint_slice(&svc(), &pods, &|_| Some("z1".into()));
        assert_eq!(slice["endpoints"].as_array().unwrap().len(), 2);
        assert_eq!(slice["endpoints"][0]["conditions"]["ready"], true);
        assert_eq!(slice["endpoints"][1]["conditions"]["ready"], false);
        assert_eq!(slice["endpoints"][0]["zone"], "z1");
        assert_eq!(
            slice["metadata"]["labels"]["kubernetes.io/service-name"],
            "web"
        );
        assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");
    }

    #[test]
    fn no_pods_no_subsets_and_selectorless_services_are_left_alone() {
        assert!(endpoints(&svc(), &[]).get("subsets").is_none());
        let mut manual = svc();
        manual["spec"]["selector"] = json!({});
        assert!(service_selector(&manual).is_none());
    }
}
