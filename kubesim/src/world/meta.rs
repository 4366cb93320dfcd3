//! Small helpers over JSON objects shared by the controllers.

use serde_json::{Map, Value, json};

/// `metadata.name`.
pub fn name(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or_default()
}

/// `metadata.namespace`.
pub fn namespace(obj: &Value) -> &str {
    obj["metadata"]["namespace"].as_str().unwrap_or_default()
}

/// `metadata.uid`.
pub fn uid(obj: &Value) -> &str {
    obj["metadata"]["uid"].as_str().unwrap_or_default()
}

/// A label value.
pub fn label<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj["metadata"]["labels"][key].as_str()
}

/// True once `metadata.deletionTimestamp` is set.
pub fn terminating(obj: &Value) -> bool {
    !obj["metadata"]["deletionTimestamp"].is_null()
}

/// The controlling owner reference: (kind, name, uid).
pub fn controller_of(obj: &Value) -> Option<(&str, &str, &str)> {
    obj["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"].as_bool() == Some(true))
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or_default(),
                r["name"].as_str().unwrap_or_default(),
                r["uid"].as_str().unwrap_or_default(),
            )
        })
}

/// True when `obj` is controlled by the object with `owner_uid`.
pub fn controlled_by(obj: &Value, owner_uid: &str) -> bool {
    controller_of(obj).is_some_and(|(_, _, u)| u == owner_uid)
}

/// A controller owner reference to `owner`.
pub fn owner_ref(api_version: &str, kind: &str, owner: &Value) -> Value {
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// `spec.replicas` with the API default of 1.
pub fn replicas(obj: &Value) -> i64 {
    obj["spec"]["replicas"].as_i64().unwrap_or(1).max(0)
}

/// Sets a condition of `status.conditions` (by type), keeping `lastTransitionTime` when the status
/// does not change. `probe_times` adds `lastProbeTime` (pods), `update_times` adds
/// `lastUpdateTime` (deployments) and refreshes it when anything changes.
pub fn set_condition(
    status: &mut Value,
    cond_type: &str,
    value: &str,
    reason: &str,
    message: &str,
    now: &str,
    flavour: CondTimes,
) {
    if !status.is_object() {
        *status = json!({});
    }
    if !status["conditions"].is_array() {
        status["conditions"] = json!([]);
    }
    let conds = status["conditions"]
        .as_array_mut()
        .expect("conditions is an array");
    let old = conds.iter().position(|c| c["type"] == cond_type);
    let mut cond = Map::new();
    cond.insert("type".into(), json!(cond_type));
    cond.insert("status".into(), json!(value));
    let same_status = old.is_some_and(|i| conds[i]["status"] == value);
    let transition = match old {
        Some(i) if same_status => conds[i]["lastTransitionTime"].clone(),
        _ => json!(now),
    };
    match flavour {
        CondTimes::Pod => {
            cond.insert("lastProbeTime".into(), Value::Null);
        }
        CondTimes::Deployment => {
            let unchanged = old.is_some_and(|i| {
                same_status && conds[i]["reason"] == reason && conds[i]["message"] == message
            });
            let update = match old {
                Some(i) if unchanged => conds[i]["lastUpdateTime"].clone(),
                _ => json!(now),
            };
            cond.insert("lastUpdateTime".into(), update);
        }
        CondTimes::Plain => {}
    }
    cond.insert("lastTransitionTime".into(), transition);
    if !reason.is_empty() {
        cond.insert("reason".into(), json!(reason));
    }
    if !message.is_empty() {
        cond.insert("message".into(), json!(message));
    }
    match old {
        Some(i) => conds[i] = Value::Object(cond),
        None => conds.push(Value::Object(cond)),
    }
}

/// Which timestamps a condition carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CondTimes {
    /// `lastProbeTime: null` + `lastTransitionTime` (Pod).
    Pod,
    /// `lastUpdateTime` + `lastTransitionTime` (Deployment).
    Deployment,
    /// `lastTransitionTime` only (Job, others).
    Plain,
}

/// The condition of a type, if present.
pub fn condition<'a>(obj: &'a Value, cond_type: &str) -> Option<&'a Value> {
    obj["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == cond_type)
}

/// Sorts object keys recursively, so that hashing does not depend on key order.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// FNV-1a 32-bit.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Encodes like Kubernetes' `rand.SafeEncodeString` (no vowels, no look-alikes).
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// The `pod-template-hash` / `controller-revision-hash` of a pod template.
pub fn template_hash(template: &Value) -> String {
    let mut t = canonical(template);
    // The hash label itself never takes part.
    if let Some(labels) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove("pod-template-hash");
        labels.remove("controller-revision-hash");
    }
    let text = serde_json::to_string(&t).unwrap_or_default();
    safe_encode(&fnv32a(text.as_bytes()).to_string())
}

/// Resolves an IntOrString such as `25%` or `1` against `total`.
pub fn int_or_percent(v: &Value, default: &str, total: i64, round_up: bool) -> i64 {
    let v = if v.is_null() {
        json!(default)
    } else {
        v.clone()
    };
    if let Some(n) = v.as_i64() {
        return n.max(0);
    }
    let s = v.as_str().unwrap_or(default);
    match s
        .strip_suffix('%')
        .and_then(|p| p.trim().parse::<i64>().ok())
    {
        Some(p) => {
            let x = p * total;
            (if round_up { (x + 99) / 100 } else { x / 100 }).max(0)
        }
        None => s.trim().parse::<i64>().unwrap_or(0).max(0),
    }
}

/// Pod phase.
pub fn pod_phase(pod: &Value) -> &str {
    pod["status"]["phase"].as_str().unwrap_or("Pending")
}

/// True for a pod that counts towards its controller (not finished, not terminating).
pub fn pod_active(pod: &Value) -> bool {
    !terminating(pod) && !matches!(pod_phase(pod), "Succeeded" | "Failed")
}

/// True when the pod's Ready condition is True.
pub fn pod_ready(pod: &Value) -> bool {
    condition(pod, "Ready").is_some_and(|c| c["status"] == "True")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_keep_transition_time_when_status_is_unchanged() {
        let mut st = json!({});
        set_condition(&mut st, "Ready", "False", "R", "", "t1", CondTimes::Pod);
        set_condition(&mut st, "Ready", "False", "R", "", "t2", CondTimes::Pod);
        assert_eq!(st["conditions"][0]["lastTransitionTime"], "t1");
        set_condition(&mut st, "Ready", "True", "", "", "t3", CondTimes::Pod);
        assert_eq!(st["conditions"][0]["lastTransitionTime"], "t3");
        assert!(st["conditions"][0]["lastProbeTime"].is_null());
        assert!(st["conditions"][0].get("reason").is_none());
        let mut d = json!({});
        set_condition(
            &mut d,
            "Progressing",
            "True",
            "A",
            "m",
            "t1",
            CondTimes::Deployment,
        );
        set_condition(
            &mut d,
            "Progressing",
            "True",
            "B",
            "m",
            "t2",
            CondTimes::Deployment,
        );
        assert_eq!(d["conditions"][0]["lastTransitionTime"], "t1");
        assert_eq!(d["conditions"][0]["lastUpdateTime"], "t2");
    }

    #[test]
    fn template_hash_ignores_key_order_and_hash_labels() {
        let a = json!({"metadata": {"labels": {"app": "x", "v": "1"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}});
        let b = json!({"spec": {"containers": [{"image": "i", "name": "c"}]}, "metadata": {"labels": {"pod-template-hash": "zz", "v": "1", "app": "x"}}});
        assert_eq!(template_hash(&a), template_hash(&b));
        let c = json!({"metadata": {"labels": {"app": "x", "v": "2"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}});
        assert_ne!(template_hash(&a), template_hash(&c));
        assert!(
            template_hash(&a)
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric())
        );
    }

    #[test]
    fn int_or_percent_rounds_like_kubernetes() {
        assert_eq!(int_or_percent(&Value::Null, "25%", 3, true), 1);
        assert_eq!(int_or_percent(&Value::Null, "25%", 3, false), 0);
        assert_eq!(int_or_percent(&json!(2), "25%", 3, false), 2);
        assert_eq!(int_or_percent(&json!("50%"), "25%", 4, false), 2);
        assert_eq!(int_or_percent(&json!("3"), "25%", 4, false), 3);
    }

    #[test]
    fn finds_the_controller() {
        let owner = json!({"metadata": {"name": "web", "uid": "u1"}});
        let pod =
            json!({"metadata": {"ownerReferences": [owner_ref("apps/v1", "ReplicaSet", &owner)]}});
        assert_eq!(controller_of(&pod), Some(("ReplicaSet", "web", "u1")));
        assert!(controlled_by(&pod, "u1"));
        assert!(!controlled_by(&pod, "u2"));
    }
}
