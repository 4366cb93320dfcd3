//! What istioctl does to a chart's output before it prints it: the component's
//! `k8s` settings (resources, env, hpaSpec, service, ...) become Kubernetes strategic-merge
//! patches of the component's workload, autoscaler, disruption budget and Service, and
//! `k8s.overlays` write values at paths (`spec.template.spec.containers.[name:discovery].env`).

use serde_json::{Map, Value, json};

use super::components::ComponentSpec;
use crate::istio::inject::gotypes::{Decl, Field, Merge, POD_TY, StructDef, Ty};
use crate::istio::inject::smp;

static OPAQUE: Ty = Ty::Opaque;
static OPAQUE_LIST: Ty = Ty::List(&OPAQUE);

static WORKLOAD_SPEC: StructDef = StructDef {
    fields: &[Field {
        name: "template",
        ty: &POD_TY,
        decl: Decl::OmitEmpty,
        merge: Merge::Replace,
    }],
};
static WORKLOAD_SPEC_TY: Ty = Ty::Struct(&WORKLOAD_SPEC);
static WORKLOAD: StructDef = StructDef {
    fields: &[Field {
        name: "spec",
        ty: &WORKLOAD_SPEC_TY,
        decl: Decl::Always,
        merge: Merge::Replace,
    }],
};
/// Deployments, DaemonSets, StatefulSets: the pod template merges like a Pod.
pub static WORKLOAD_TY: Ty = Ty::Struct(&WORKLOAD);

static SERVICE_SPEC: StructDef = StructDef {
    fields: &[Field {
        name: "ports",
        ty: &OPAQUE_LIST,
        decl: Decl::OmitEmpty,
        merge: Merge::ByKey("port"),
    }],
};
static SERVICE_SPEC_TY: Ty = Ty::Struct(&SERVICE_SPEC);
static SERVICE: StructDef = StructDef {
    fields: &[Field {
        name: "spec",
        ty: &SERVICE_SPEC_TY,
        decl: Decl::Always,
        merge: Merge::Replace,
    }],
};
/// Services: ports merge by port number.
pub static SERVICE_TY: Ty = Ty::Struct(&SERVICE);

/// The strategic-merge type of a kind.
pub fn type_of(kind: &str) -> &'static Ty {
    match kind {
        "Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet" | "Job" => &WORKLOAD_TY,
        "Service" => &SERVICE_TY,
        _ => &OPAQUE,
    }
}

/// Where a `k8s` field goes: which object and in what patch.
enum Target {
    Workload,
    Kind(&'static str),
}

fn container_patch(container: &str, field: &str, v: Value) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), Value::String(container.to_string()));
    c.insert(field.into(), v);
    json!({"spec": {"template": {"spec": {"containers": [Value::Object(c)]}}}})
}

/// The patch for one `k8s` field, or `None` for fields that are not patches.
fn patch_for(field: &str, v: Value, container: &str) -> Option<(Target, Value)> {
    let pod_spec = |k: &str, v: Value| json!({"spec": {"template": {"spec": {k: v}}}});
    Some(match field {
        "affinity" | "nodeSelector" | "priorityClassName" | "tolerations" | "securityContext" => {
            (Target::Workload, pod_spec(field, v))
        }
        "env" | "imagePullPolicy" | "readinessProbe" | "resources" => {
            (Target::Workload, container_patch(container, field, v))
        }
        "podAnnotations" => (
            Target::Workload,
            json!({"spec": {"template": {"metadata": {"annotations": v}}}}),
        ),
        "replicaCount" => (Target::Workload, json!({"spec": {"replicas": v}})),
        "strategy" => (Target::Workload, json!({"spec": {"strategy": v}})),
        "hpaSpec" => (Target::Kind("HorizontalPodAutoscaler"), json!({"spec": v})),
        "podDisruptionBudget" => (Target::Kind("PodDisruptionBudget"), json!({"spec": v})),
        "serviceAnnotations" => (
            Target::Kind("Service"),
            json!({"metadata": {"annotations": v}}),
        ),
        "service" => (Target::Kind("Service"), json!({"spec": v})),
        _ => return None,
    })
}

/// Fields in the order they are applied.
const FIELDS: &[&str] = &[
    "affinity",
    "env",
    "hpaSpec",
    "imagePullPolicy",
    "nodeSelector",
    "podDisruptionBudget",
    "podAnnotations",
    "priorityClassName",
    "readinessProbe",
    "replicaCount",
    "resources",
    "strategy",
    "tolerations",
    "serviceAnnotations",
    "service",
    "securityContext",
];

/// Applies the component's `k8s` settings and overlays to its rendered objects.
pub fn apply(
    spec: &ComponentSpec,
    merged: &Value,
    mut objects: Vec<Value>,
) -> Result<Vec<Value>, String> {
    let Some(k8s) = spec.k8s() else {
        return Ok(objects);
    };
    let def = spec.def;
    let name = spec.resource_name(merged);
    for field in FIELDS {
        let Some(v) = k8s.get(*field).filter(|v| !v.is_null()) else {
            continue;
        };
        let mut v = v.clone();
        if *field == "service"
            && def.is_gateway()
            && let Some(obj) = v.as_object_mut()
        {
            // Gateway ports already went in through the values; a strategic merge of Service
            // ports by port number would garble them.
            obj.insert("ports".into(), Value::Array(Vec::new()));
        }
        let Some((target, patch)) = patch_for(field, v, def.container) else {
            continue;
        };
        let kind = match target {
            Target::Workload => def.resource_type,
            Target::Kind(k) => k,
        };
        for obj in objects.iter_mut() {
            let matches = obj.get("kind").and_then(Value::as_str) == Some(kind)
                && obj.pointer("/metadata/name").and_then(Value::as_str) == Some(name.as_str());
            if !matches {
                continue;
            }
            let merged_obj = smp::merge(std::mem::take(obj), &patch, type_of(kind));
            *obj = merged_obj;
            if *field == "podDisruptionBudget"
                && let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut)
                && spec.contains_key("maxUnavailable")
                && spec.contains_key("minAvailable")
            {
                spec.remove("minAvailable");
            }
        }
    }
    if let Some(Value::Array(overlays)) = k8s.get("overlays") {
        for overlay in overlays {
            let kind = overlay.get("kind").and_then(Value::as_str).unwrap_or("");
            let oname = overlay.get("name").and_then(Value::as_str).unwrap_or("");
            for obj in objects.iter_mut() {
                if obj.get("kind").and_then(Value::as_str) != Some(kind)
                    || obj.pointer("/metadata/name").and_then(Value::as_str) != Some(oname)
                {
                    continue;
                }
                let patches = overlay.get("patches").and_then(Value::as_array);
                for p in patches.into_iter().flatten() {
                    let path = p.get("path").and_then(Value::as_str).unwrap_or("");
                    let value = p.get("value").cloned().unwrap_or(Value::Null);
                    write_overlay(obj, path, value)
                        .map_err(|e| format!("overlay on {kind} {oname}, path {path:?}: {e}"))?;
                }
            }
        }
    }
    Ok(objects)
}

/// One element of an overlay path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    /// `[key:value]`: the list item whose `key` is `value`.
    Select(String, String),
    /// `[value]`: the scalar list item equal to `value`.
    Value(String),
}

/// Splits an overlay path at unescaped dots outside brackets; `\.` is a literal dot.
fn parse_overlay_path(path: &str) -> Result<Vec<Step>, String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                cur.push('.');
                chars.next();
            }
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                cur.push(c);
            }
            '.' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            let Some(inner) = p.strip_prefix('[').and_then(|p| p.strip_suffix(']')) else {
                return Ok(Step::Key(p));
            };
            if let Ok(i) = inner.parse::<usize>() {
                return Ok(Step::Index(i));
            }
            Ok(match inner.split_once(':') {
                Some((k, v)) if !k.is_empty() => Step::Select(k.to_string(), v.to_string()),
                Some((_, v)) => Step::Value(v.to_string()),
                None => Step::Value(inner.to_string()),
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .and_then(|steps| {
            if steps.is_empty() {
                Err("the path is empty".to_string())
            } else {
                Ok(steps)
            }
        })
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The operator's overlay path language: keys, `[N]`, `[key:value]`, `[value]`; a null value
/// deletes; a string value holding a YAML mapping is written as that mapping.
pub fn write_overlay(obj: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let steps = parse_overlay_path(path)?;
    let (last, parents) = steps.split_last().expect("paths are not empty");
    let mut cur = obj;
    for (i, step) in parents.iter().enumerate() {
        let list_next = !matches!(steps.get(i + 1), Some(Step::Key(_)));
        cur = descend(cur, step, list_next)?;
    }
    if value.is_null() {
        match (last, cur) {
            (Step::Key(k), Value::Object(m)) => {
                m.remove(k);
            }
            (step, Value::Array(items)) => {
                if let Some(i) = find(items, step) {
                    items.remove(i);
                }
            }
            _ => return Err("nothing to delete there".into()),
        }
        return Ok(());
    }
    let value = match value {
        Value::String(s) if s.contains(':') && s.contains('\n') => {
            match crate::yaml::parse_document(&s, "overlay value") {
                Ok(parsed @ Value::Object(_)) => parsed,
                _ => Value::String(s),
            }
        }
        other => other,
    };
    let slot = descend(cur, last, false)?;
    *slot = value;
    Ok(())
}

fn find(items: &[Value], step: &Step) -> Option<usize> {
    match step {
        Step::Index(i) if *i < items.len() => Some(*i),
        Step::Select(key, value) => items
            .iter()
            .position(|item| item.get(key).is_some_and(|v| scalar_text(v) == *value)),
        Step::Value(value) => items
            .iter()
            .position(|item| !item.is_object() && !item.is_array() && scalar_text(item) == *value),
        _ => None,
    }
}

fn descend<'a>(cur: &'a mut Value, step: &Step, list_next: bool) -> Result<&'a mut Value, String> {
    match step {
        Step::Key(k) => {
            if cur.is_null() {
                *cur = Value::Object(Map::new());
            }
            let Value::Object(m) = cur else {
                return Err(format!("cannot go into {k}: not a mapping"));
            };
            Ok(m.entry(k.clone()).or_insert_with(|| {
                if list_next {
                    Value::Array(Vec::new())
                } else {
                    Value::Null
                }
            }))
        }
        step => {
            let Value::Array(items) = cur else {
                return Err("a list selector on something that is not a list".into());
            };
            let i = find(items, step).ok_or_else(|| match step {
                Step::Select(key, value) => format!("no list item has {key}={value}"),
                Step::Value(value) => format!("no list item is {value}"),
                Step::Index(i) => format!("index {i} is out of range"),
                Step::Key(_) => unreachable!("keys are handled above"),
            })?;
            Ok(&mut items[i])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istio::render::components::ALL;

    fn pilot(k8s: Value) -> ComponentSpec {
        ComponentSpec {
            def: ALL.iter().find(|d| d.spec_name == "pilot").unwrap(),
            name: String::new(),
            namespace: "istio-system".into(),
            raw: json!({"k8s": k8s}),
        }
    }

    #[test]
    fn k8s_settings_patch_the_workload_and_hpa() {
        let objects = vec![
            json!({"kind": "Deployment", "metadata": {"name": "istiod"}, "spec": {"template": {"spec": {"containers": [
                {"name": "discovery", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "resources": {"requests": {"cpu": "1"}}}]}}}}),
            json!({"kind": "HorizontalPodAutoscaler", "metadata": {"name": "istiod"}, "spec": {"maxReplicas": 5, "metrics": [1, 2]}}),
            json!({"kind": "PodDisruptionBudget", "metadata": {"name": "istiod"}, "spec": {"minAvailable": 1}}),
            json!({"kind": "Deployment", "metadata": {"name": "other"}}),
        ];
        let spec = pilot(
            json!({"env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}],
            "resources": {"requests": {"memory": "1Gi"}}, "hpaSpec": {"metrics": [3]},
            "podDisruptionBudget": {"maxUnavailable": 1}, "replicaCount": 2}),
        );
        let out = apply(&spec, &json!({}), objects).unwrap();
        let c = &out[0]["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            c["env"],
            json!([{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}])
        );
        assert_eq!(
            c["resources"],
            json!({"requests": {"cpu": "1", "memory": "1Gi"}})
        );
        assert_eq!(out[0]["spec"]["replicas"], 2);
        assert_eq!(out[1]["spec"], json!({"maxReplicas": 5, "metrics": [3]}));
        assert_eq!(out[2]["spec"], json!({"maxUnavailable": 1}));
        assert_eq!(
            out[3],
            json!({"kind": "Deployment", "metadata": {"name": "other"}})
        );
    }

    #[test]
    fn revisioned_istiod_and_overlays() {
        let objects = vec![
            json!({"kind": "Deployment", "metadata": {"name": "istiod-canary"},
            "spec": {"template": {"spec": {"containers": [{"name": "discovery", "args": ["a"]}]}}}}),
        ];
        let spec = pilot(
            json!({"replicaCount": 3, "overlays": [{"kind": "Deployment", "name": "istiod-canary",
            "patches": [{"path": "spec.template.spec.containers.[name:discovery].args.[0]", "value": "b"},
                        {"path": "metadata.labels.x", "value": "y"}]}]}),
        );
        let merged = json!({"spec": {"values": {"revision": "canary"}}});
        let out = apply(&spec, &merged, objects).unwrap();
        assert_eq!(out[0]["spec"]["replicas"], 3);
        assert_eq!(
            out[0]["spec"]["template"]["spec"]["containers"][0]["args"],
            json!(["b"])
        );
        assert_eq!(out[0]["metadata"]["labels"]["x"], "y");
        let mut o = json!({"a": [{"name": "x"}, {"name": "y"}]});
        write_overlay(&mut o, "a.[name:x]", Value::Null).unwrap();
        assert_eq!(o, json!({"a": [{"name": "y"}]}));
        assert!(write_overlay(&mut o, "a.[name:z].b", json!(1)).is_err());
        let mut o = json!({"args": ["a", "30m"], "l": [{"name": "x.y", "v": {"k": 1}}]});
        write_overlay(&mut o, "args.[30m]", json!("60m")).unwrap();
        write_overlay(&mut o, "l.[name:x\\.y].v", json!("fieldRef:\n  a: b\n")).unwrap();
        assert_eq!(
            o,
            json!({"args": ["a", "60m"], "l": [{"name": "x.y", "v": {"fieldRef": {"a": "b"}}}]})
        );
    }
}
