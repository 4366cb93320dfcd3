//! `meta.k8s.io/v1` Table responses with kubectl's usual columns per kind.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::resources::ResourceDef;
use crate::selector::LabelSelector;
use crate::util;

struct Col {
    name: &'static str,
    ty: &'static str,
    priority: i64,
}

const fn c(name: &'static str) -> Col {
    Col {
        name,
        ty: "string",
        priority: 0,
    }
}
const fn int(name: &'static str) -> Col {
    Col {
        name,
        ty: "integer",
        priority: 0,
    }
}
const fn wide(name: &'static str) -> Col {
    Col {
        name,
        ty: "string",
        priority: 1,
    }
}

fn columns(kind: &str) -> Vec<Col> {
    match kind {
        "Pod" => vec![
            c("Name"),
            c("Ready"),
            c("Status"),
            c("Restarts"),
            c("Age"),
            wide("IP"),
            wide("Node"),
            wide("Nominated Node"),
            wide("Readiness Gates"),
        ],
        "Deployment" => vec![
            c("Name"),
            c("Ready"),
            int("Up-to-date"),
            int("Available"),
            c("Age"),
            wide("Containers"),
            wide("Images"),
            wide("Selector"),
        ],
        "ReplicaSet" | "ReplicationController" => {
            vec![
                c("Name"),
                int("Desired"),
                int("Current"),
                int("Ready"),
                c("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ]
        }
        "StatefulSet" => vec![
            c("Name"),
            c("Ready"),
            c("Age"),
            wide("Containers"),
            wide("Images"),
        ],
        "DaemonSet" => vec![
            c("Name"),
            int("Desired"),
            int("Current"),
            int("Ready"),
            int("Up-to-date"),
            int("Available"),
            c("Node Selector"),
            c("Age"),
            wide("Containers"),
            wide("Images"),
            wide("Selector"),
        ],
        "Service" => vec![
            c("Name"),
            c("Type"),
            c("Cluster-IP"),
            c("External-IP"),
            c("Port(s)"),
            c("Age"),
            wide("Selector"),
        ],
        "Namespace" => vec![c("Name"), c("Status"), c("Age")],
        "Node" => vec![
            c("Name"),
            c("Status"),
            c("Roles"),
            c("Age"),
            c("Version"),
            wide("Internal-IP"),
            wide("External-IP"),
            wide("OS-Image"),
            wide("Kernel-Version"),
            wide("Container-Runtime"),
        ],
        "ConfigMap" => vec![c("Name"), int("Data"), c("Age")],
        "Secret" => vec![c("Name"), c("Type"), int("Data"), c("Age")],
        "ServiceAccount" => vec![c("Name"), int("Secrets"), c("Age")],
        "Endpoints" => vec![c("Name"), c("Endpoints"), c("Age")],
        "Event" => vec![
            c("Last Seen"),
            c("Type"),
            c("Reason"),
            c("Object"),
            c("Message"),
        ],
        "Job" => vec![
            c("Name"),
            c("Status"),
            c("Completions"),
            c("Duration"),
            c("Age"),
            wide("Containers"),
            wide("Images"),
            wide("Selector"),
        ],
        "CronJob" => vec![
            c("Name"),
            c("Schedule"),
            c("Timezone"),
            c("Suspend"),
            int("Active"),
            c("Last Schedule"),
            c("Age"),
        ],
        "CustomResourceDefinition" => vec![c("Name"), c("Created At")],
        "HorizontalPodAutoscaler" => vec![
            c("Name"),
            c("Reference"),
            c("Targets"),
            c("MinPods"),
            int("MaxPods"),
            int("Replicas"),
            c("Age"),
        ],
        "PodDisruptionBudget" => vec![
            c("Name"),
            c("Min Available"),
            c("Max Unavailable"),
            int("Allowed Disruptions"),
            c("Age"),
        ],
        "Ingress" => vec![
            c("Name"),
            c("Class"),
            c("Hosts"),
            c("Address"),
            c("Ports"),
            c("Age"),
        ],
        "Role" | "ClusterRole" => vec![c("Name"), c("Created At")],
        "RoleBinding" | "ClusterRoleBinding" => vec![
            c("Name"),
            c("Role"),
            c("Age"),
            wide("Users"),
            wide("Groups"),
            wide("ServiceAccounts"),
        ],
        "Lease" => vec![c("Name"), c("Holder"), c("Age")],
        "EndpointSlice" => vec![
            c("Name"),
            c("AddressType"),
            c("Ports"),
            c("Endpoints"),
            c("Age"),
        ],
        _ => vec![c("Name"), c("Age")],
    }
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn or_none(v: String) -> Value {
    json!(if v.is_empty() {
        "<none>".to_string()
    } else {
        v
    })
}

fn i(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn containers_images(spec: &Value) -> (String, String) {
    let cs = spec["containers"].as_array().cloned().unwrap_or_default();
    let names: Vec<String> = cs.iter().map(|c| s(&c["name"])).collect();
    let images: Vec<String> = cs.iter().map(|c| s(&c["image"])).collect();
    (names.join(","), images.join(","))
}

fn selector_of(obj: &Value) -> String {
    let sel = &obj["spec"]["selector"];
    if sel.is_object()
        && (sel.get("matchLabels").is_some() || sel.get("matchExpressions").is_some())
    {
        LabelSelector::from_object(sel).to_query()
    } else if let Some(m) = sel.as_object() {
        m.iter()
            .map(|(k, v)| format!("{k}={}", s(v)))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        String::new()
    }
}

fn pod_status(obj: &Value) -> String {
    if !obj["metadata"]["deletionTimestamp"].is_null() {
        return "Terminating".to_string();
    }
    let status = &obj["status"];
    let mut reason = status["reason"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| s(&status["phase"]));
    let init = status["initContainerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (n, cs) in init.iter().enumerate() {
        if let Some(r) = cs["state"]["waiting"]["reason"]
            .as_str()
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            return format!("Init:{r}");
        }
        if cs["state"]["terminated"].is_null() && cs["ready"] != true && cs["started"] != true {
            return format!("Init:{n}/{}", init.len());
        }
    }
    for cs in status["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .rev()
    {
        if let Some(r) = cs["state"]["waiting"]["reason"]
            .as_str()
            .filter(|r| !r.is_empty())
        {
            reason = r.to_string();
        } else if let Some(r) = cs["state"]["terminated"]["reason"]
            .as_str()
            .filter(|r| !r.is_empty())
        {
            reason = r.to_string();
        }
    }
    if reason.is_empty() {
        "Pending".to_string()
    } else {
        reason
    }
}

fn service_ports(obj: &Value) -> String {
    let ports = obj["spec"]["ports"].as_array().cloned().unwrap_or_default();
    let list: Vec<String> = ports
        .iter()
        .map(|p| {
            let proto = p["protocol"].as_str().unwrap_or("TCP");
            match p["nodePort"].as_i64() {
                Some(np) => format!("{}:{np}/{proto}", i(&p["port"])),
                None => format!("{}/{proto}", i(&p["port"])),
            }
        })
        .collect();
    list.join(",")
}

fn external_ip(obj: &Value) -> String {
    let spec = &obj["spec"];
    let mut ips: Vec<String> = spec["externalIPs"]
        .as_array()
        .map(|a| a.iter().map(s).collect())
        .unwrap_or_default();
    match spec["type"].as_str().unwrap_or("ClusterIP") {
        "ExternalName" => s(&spec["externalName"]),
        "LoadBalancer" => {
            let ingress = obj["status"]["loadBalancer"]["ingress"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for i in &ingress {
                let v = if i["ip"].is_string() {
                    s(&i["ip"])
                } else {
                    s(&i["hostname"])
                };
                if !v.is_empty() {
                    ips.push(v);
                }
            }
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        _ => {
            if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            }
        }
    }
}

fn node_status(obj: &Value) -> String {
    let conds = obj["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut status = match conds
        .iter()
        .find(|c| c["type"] == "Ready")
        .map(|c| s(&c["status"]))
    {
        Some(st) if st == "True" => "Ready".to_string(),
        Some(st) if st == "False" => "NotReady".to_string(),
        _ => "Unknown".to_string(),
    };
    if obj["spec"]["unschedulable"] == true {
        status.push_str(",SchedulingDisabled");
    }
    status
}

fn node_address(obj: &Value, ty: &str) -> String {
    obj["status"]["addresses"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["type"] == ty))
        .map(|x| s(&x["address"]))
        .unwrap_or_default()
}

fn cells(kind: &str, obj: &Value) -> Vec<Value> {
    let meta = &obj["metadata"];
    let name = json!(s(&meta["name"]));
    let age = json!(util::age(
        meta["creationTimestamp"].as_str().unwrap_or_default()
    ));
    let spec = &obj["spec"];
    let status = &obj["status"];
    let tmpl = &spec["template"]["spec"];
    match kind {
        "Pod" => {
            let statuses = status["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let total = spec["containers"].as_array().map_or(0, Vec::len);
            let ready = statuses.iter().filter(|c| c["ready"] == true).count();
            let restarts: i64 = statuses.iter().map(|c| i(&c["restartCount"])).sum();
            let gates = spec["readinessGates"].as_array().map_or(0, Vec::len);
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(pod_status(obj)),
                json!(restarts.to_string()),
                age,
                or_none(s(&status["podIP"])),
                or_none(s(&spec["nodeName"])),
                or_none(s(&status["nominatedNodeName"])),
                json!(if gates == 0 {
                    "<none>".to_string()
                } else {
                    format!("0/{gates}")
                }),
            ]
        }
        "Deployment" => {
            let (cs, imgs) = containers_images(tmpl);
            vec![
                name,
                json!(format!(
                    "{}/{}",
                    i(&status["readyReplicas"]),
                    i(&spec["replicas"])
                )),
                json!(i(&status["updatedReplicas"])),
                json!(i(&status["availableReplicas"])),
                age,
                json!(cs),
                json!(imgs),
                json!(selector_of(obj)),
            ]
        }
        "ReplicaSet" | "ReplicationController" => {
            let (cs, imgs) = containers_images(tmpl);
            vec![
                name,
                json!(i(&spec["replicas"])),
                json!(i(&status["replicas"])),
                json!(i(&status["readyReplicas"])),
                age,
                json!(cs),
                json!(imgs),
                json!(selector_of(obj)),
            ]
        }
        "StatefulSet" => {
            let (cs, imgs) = containers_images(tmpl);
            vec![
                name,
                json!(format!(
                    "{}/{}",
                    i(&status["readyReplicas"]),
                    i(&spec["replicas"])
                )),
                age,
                json!(cs),
                json!(imgs),
            ]
        }
        "DaemonSet" => {
            let (cs, imgs) = containers_images(tmpl);
            let ns = tmpl["nodeSelector"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", s(v)))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            vec![
                name,
                json!(i(&status["desiredNumberScheduled"])),
                json!(i(&status["currentNumberScheduled"])),
                json!(i(&status["numberReady"])),
                json!(i(&status["updatedNumberScheduled"])),
                json!(i(&status["numberAvailable"])),
                or_none(ns),
                age,
                json!(cs),
                json!(imgs),
                json!(selector_of(obj)),
            ]
        }
        "Service" => vec![
            name,
            json!(spec["type"].as_str().unwrap_or("ClusterIP")),
            or_none(s(&spec["clusterIP"])),
            json!(external_ip(obj)),
            or_none(service_ports(obj)),
            age,
            or_none(selector_of(obj)),
        ],
        "Namespace" => vec![name, json!(s(&status["phase"])), age],
        "Node" => {
            let roles: Vec<String> = meta["labels"]
                .as_object()
                .map(|m| {
                    m.keys()
                        .filter_map(|k| {
                            k.strip_prefix("node-role.kubernetes.io/")
                                .map(str::to_string)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let info = &status["nodeInfo"];
            vec![
                name,
                json!(node_status(obj)),
                or_none(roles.join(",")),
                age,
                json!(s(&info["kubeletVersion"])),
                or_none(node_address(obj, "InternalIP")),
                or_none(node_address(obj, "ExternalIP")),
                json!(s(&info["osImage"])),
                json!(s(&info["kernelVersion"])),
                json!(s(&info["containerRuntimeVersion"])),
            ]
        }
        "ConfigMap" => {
            let n = obj["data"].as_object().map_or(0, |m| m.len())
                + obj["binaryData"].as_object().map_or(0, |m| m.len());
            vec![name, json!(n), age]
        }
        "Secret" => vec![
            name,
            json!(s(&obj["type"])),
            json!(obj["data"].as_object().map_or(0, |m| m.len())),
            age,
        ],
        "ServiceAccount" => vec![
            name,
            json!(obj["secrets"].as_array().map_or(0, Vec::len)),
            age,
        ],
        "Endpoints" => {
            let mut eps = Vec::new();
            for sub in obj["subsets"].as_array().cloned().unwrap_or_default() {
                for a in sub["addresses"].as_array().cloned().unwrap_or_default() {
                    for p in sub["ports"].as_array().cloned().unwrap_or_default() {
                        eps.push(format!("{}:{}", s(&a["ip"]), i(&p["port"])));
                    }
                }
            }
            vec![name, or_none(eps.join(",")), age]
        }
        "Event" => {
            let last = obj["lastTimestamp"]
                .as_str()
                .or(obj["eventTime"].as_str())
                .or(meta["creationTimestamp"].as_str())
                .unwrap_or_default();
            let io = &obj["involvedObject"];
            vec![
                json!(util::age(last)),
                json!(s(&obj["type"])),
                json!(s(&obj["reason"])),
                json!(format!(
                    "{}/{}",
                    s(&io["kind"]).to_ascii_lowercase(),
                    s(&io["name"])
                )),
                json!(s(&obj["message"])),
            ]
        }
        "Job" => {
            let (cs, imgs) = containers_images(tmpl);
            let conds = status["conditions"].as_array().cloned().unwrap_or_default();
            let st = if conds
                .iter()
                .any(|c| c["type"] == "Complete" && c["status"] == "True")
            {
                "Complete"
            } else if conds
                .iter()
                .any(|c| c["type"] == "Failed" && c["status"] == "True")
            {
                "Failed"
            } else {
                "Running"
            };
            vec![
                name,
                json!(st),
                json!(format!(
                    "{}/{}",
                    i(&status["succeeded"]),
                    spec["completions"].as_i64().unwrap_or(1)
                )),
                json!(""),
                age,
                json!(cs),
                json!(imgs),
                json!(selector_of(obj)),
            ]
        }
        "CronJob" => vec![
            name,
            json!(s(&spec["schedule"])),
            or_none(s(&spec["timeZone"])),
            json!(spec["suspend"].as_bool().unwrap_or(false).to_string()),
            json!(status["active"].as_array().map_or(0, Vec::len)),
            json!(
                status["lastScheduleTime"]
                    .as_str()
                    .map(util::age)
                    .unwrap_or_else(|| "<none>".to_string())
            ),
            age,
        ],
        "CustomResourceDefinition" | "Role" | "ClusterRole" => {
            vec![name, json!(s(&meta["creationTimestamp"]))]
        }
        "HorizontalPodAutoscaler" => {
            let r = &spec["scaleTargetRef"];
            vec![
                name,
                json!(format!("{}/{}", s(&r["kind"]), s(&r["name"]))),
                json!("<unknown>"),
                json!(spec["minReplicas"].as_i64().unwrap_or(1).to_string()),
                json!(i(&spec["maxReplicas"])),
                json!(i(&status["currentReplicas"])),
                age,
            ]
        }
        "PodDisruptionBudget" => vec![
            name,
            json!(if spec["minAvailable"].is_null() {
                "N/A".to_string()
            } else {
                s(&spec["minAvailable"])
            }),
            json!(if spec["maxUnavailable"].is_null() {
                "N/A".to_string()
            } else {
                s(&spec["maxUnavailable"])
            }),
            json!(i(&status["disruptionsAllowed"])),
            age,
        ],
        "Ingress" => {
            let hosts: Vec<String> = spec["rules"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|x| s(&x["host"]))
                        .filter(|h| !h.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let addrs: Vec<String> = status["loadBalancer"]["ingress"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            if x["ip"].is_string() {
                                s(&x["ip"])
                            } else {
                                s(&x["hostname"])
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let ports = if spec["tls"].as_array().is_some_and(|t| !t.is_empty()) {
                "80, 443"
            } else {
                "80"
            };
            vec![
                name,
                or_none(s(&spec["ingressClassName"])),
                json!(if hosts.is_empty() {
                    "*".to_string()
                } else {
                    hosts.join(",")
                }),
                json!(addrs.join(",")),
                json!(ports),
                age,
            ]
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            let subjects = obj["subjects"].as_array().cloned().unwrap_or_default();
            let of = |k: &str| {
                subjects
                    .iter()
                    .filter(|x| x["kind"] == k)
                    .map(|x| {
                        if k == "ServiceAccount" {
                            format!("{}/{}", s(&x["namespace"]), s(&x["name"]))
                        } else {
                            s(&x["name"])
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            vec![
                name,
                json!(format!(
                    "{}/{}",
                    s(&obj["roleRef"]["kind"]),
                    s(&obj["roleRef"]["name"])
                )),
                age,
                json!(of("User")),
                json!(of("Group")),
                json!(of("ServiceAccount")),
            ]
        }
        "Lease" => vec![name, or_none(s(&spec["holderIdentity"])), age],
        "EndpointSlice" => {
            let ports: Vec<String> = obj["ports"]
                .as_array()
                .map(|a| a.iter().map(|p| i(&p["port"]).to_string()).collect())
                .unwrap_or_default();
            let eps: Vec<String> = obj["endpoints"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|e| e["addresses"].as_array().cloned().unwrap_or_default())
                        .map(|x| s(&x))
                        .collect()
                })
                .unwrap_or_default();
            vec![
                name,
                json!(s(&obj["addressType"])),
                or_none(ports.join(",")),
                or_none(eps.join(",")),
                age,
            ]
        }
        _ => vec![name, age],
    }
}

/// Evaluates a simple JSONPath (`.spec.replicas`, `.status.conditions[0].type`,
/// `.status.conditions[?(@.type=="Ready")].status`) as CRD printer columns use it.
fn json_path<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = obj;
    let mut rest = path
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('.');
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = &after[..end];
            rest = after[end + 1..].trim_start_matches('.');
            if let Ok(idx) = inner.parse::<usize>() {
                cur = cur.get(idx)?;
            } else if let Some(filter) =
                inner.strip_prefix("?(@.").and_then(|f| f.strip_suffix(')'))
            {
                let (field, want) = filter.split_once("==")?;
                let want = want.trim().trim_matches('"').trim_matches('\'');
                cur = cur
                    .as_array()?
                    .iter()
                    .find(|e| e[field.trim()].as_str() == Some(want))?;
            } else {
                return None;
            }
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        cur = cur.get(&rest[..end])?;
        rest = rest[end..].trim_start_matches('.');
    }
    Some(cur)
}

fn custom_cells(def: &ResourceDef, obj: &Value) -> Vec<Value> {
    let mut out = vec![json!(s(&obj["metadata"]["name"]))];
    for col in &def.columns {
        let v = json_path(obj, &col.json_path)
            .cloned()
            .unwrap_or(Value::Null);
        out.push(match (col.type_.as_str(), &v) {
            ("date", Value::String(t)) => json!(util::age(t)),
            (_, Value::Array(_) | Value::Object(_)) => json!(v.to_string()),
            _ => v,
        });
    }
    out
}

/// A Table for `objects` of `def`. `include_object`: `None`, `Metadata` (default) or `Object`.
pub fn table(
    def: &ResourceDef,
    objects: &[Arc<Value>],
    resource_version: &str,
    continue_token: Option<&str>,
    include_object: Option<&str>,
) -> Value {
    let custom = !def.columns.is_empty();
    let defs: Vec<Value> = if custom {
        std::iter::once(json!({"name": "Name", "type": "string", "format": "name", "description": "Name must be unique within a namespace.", "priority": 0}))
            .chain(def.columns.iter().map(|c| {
                json!({"name": c.name, "type": if c.type_ == "date" { "date" } else { c.type_.as_str() }, "format": c.format, "description": c.description, "priority": c.priority})
            }))
            .collect()
    } else {
        columns(&def.kind)
            .into_iter()
            .map(|c| {
                let format = if c.name == "Name" { "name" } else { "" };
                json!({"name": c.name, "type": c.ty, "format": format, "description": c.name, "priority": c.priority})
            })
            .collect()
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let cells = if custom { custom_cells(def, o) } else { cells(&def.kind, o) };
            let object = match include_object {
                Some("None") => Value::Null,
                Some("Object") => crate::store::present(o, def),
                _ => json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}),
            };
            let mut row = json!({"cells": cells});
            if !object.is_null() {
                row["object"] = object;
            }
            row
        })
        .collect();
    let mut meta = json!({"resourceVersion": resource_version});
    if let Some(c) = continue_token {
        meta["continue"] = json!(c);
    }
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": defs, "rows": rows})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_as_many_cells_as_columns() {
        let obj = json!({"metadata": {"name": "x", "creationTimestamp": "2020-01-01T00:00:00Z"}, "spec": {}, "status": {}});
        for kind in [
            "Pod",
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
            "DaemonSet",
            "Service",
            "Namespace",
            "Node",
            "ConfigMap",
            "Secret",
            "ServiceAccount",
            "Endpoints",
            "Event",
            "Job",
            "CronJob",
            "CustomResourceDefinition",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "Ingress",
            "Role",
            "RoleBinding",
            "Lease",
            "EndpointSlice",
            "Other",
        ] {
            assert_eq!(columns(kind).len(), cells(kind, &obj).len(), "{kind}");
        }
    }

    #[test]
    fn service_cells() {
        let svc = json!({"metadata": {"name": "web"}, "spec": {"type": "NodePort", "clusterIP": "10.96.0.5",
            "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}], "selector": {"app": "web"}}});
        let c = cells("Service", &svc);
        assert_eq!(c[2], "10.96.0.5");
        assert_eq!(c[3], "<none>");
        assert_eq!(c[4], "80:30080/TCP");
        assert_eq!(c[6], "app=web");
    }

    #[test]
    fn json_paths() {
        let o = json!({"spec": {"n": 3}, "status": {"conditions": [{"type": "A", "status": "x"}, {"type": "Ready", "status": "True"}]}});
        assert_eq!(json_path(&o, ".spec.n"), Some(&json!(3)));
        assert_eq!(
            json_path(&o, ".status.conditions[1].type"),
            Some(&json!("Ready"))
        );
        assert_eq!(
            json_path(&o, ".status.conditions[?(@.type==\"Ready\")].status"),
            Some(&json!("True"))
        );
        assert_eq!(json_path(&o, ".missing.x"), None);
    }
}
