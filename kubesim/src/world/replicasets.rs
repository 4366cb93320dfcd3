//! ReplicaSet controller: keeps `spec.replicas` pods from the template, reports counts.

use serde_json::{Value, json};

use super::meta;

/// What a ReplicaSet needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RsPlan {
    /// Pods to create.
    pub create: usize,
    /// Pods to delete (names).
    pub delete: Vec<String>,
    /// The new `status`.
    pub status: Value,
}

/// A pod from a controller's template: labels and annotations from the template, a controller
/// owner reference, `generateName` or a fixed name.
pub fn pod_from_template(
    template: &Value,
    owner: Value,
    name: PodName<'_>,
    extra_labels: &[(&str, &str)],
) -> Value {
    let mut metadata = json!({
        "labels": template["metadata"]["labels"].clone(),
        "ownerReferences": [owner],
    });
    if !metadata["labels"].is_object() {
        metadata["labels"] = json!({});
    }
    for (k, v) in extra_labels {
        metadata["labels"][*k] = json!(v);
    }
    if let Some(a) = template["metadata"]["annotations"]
        .as_object()
        .filter(|a| !a.is_empty())
    {
        metadata["annotations"] = json!(a);
    }
    match name {
        PodName::Generate(prefix) => metadata["generateName"] = json!(prefix),
        PodName::Fixed(n) => metadata["name"] = json!(n),
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"].clone()})
}

/// How a controller names its pods.
#[derive(Debug, Clone, Copy)]
pub enum PodName<'a> {
    /// `generateName` prefix (`web-5d4b8f6c9b-`).
    Generate(&'a str),
    /// A fixed name (`db-0`).
    Fixed(&'a str),
}

/// Order of deletion: unscheduled, pending, not ready, ready; newer before older.
fn deletion_rank(pod: &Value) -> (u8, std::cmp::Reverse<String>, std::cmp::Reverse<String>) {
    let rank = if pod["spec"]["nodeName"]
        .as_str()
        .unwrap_or_default()
        .is_empty()
    {
        0
    } else if meta::pod_phase(pod) == "Pending" {
        1
    } else if !meta::pod_ready(pod) {
        2
    } else {
        3
    };
    let created = pod["metadata"]["creationTimestamp"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (
        rank,
        std::cmp::Reverse(created),
        std::cmp::Reverse(meta::name(pod).to_string()),
    )
}

/// Pods to delete to go from `pods` down to `keep` (the least useful first).
pub fn surplus(pods: &[&Value], keep: usize) -> Vec<String> {
    if pods.len() <= keep {
        return Vec::new();
    }
    let mut sorted: Vec<&&Value> = pods.iter().collect();
    sorted.sort_by_key(|p| deletion_rank(p));
    sorted
        .iter()
        .take(pods.len() - keep)
        .map(|p| meta::name(p).to_string())
        .collect()
}

/// Plans a ReplicaSet given the pods it controls.
pub fn plan(rs: &Value, owned: &[Value]) -> RsPlan {
    let desired = meta::replicas(rs) as usize;
    let active: Vec<&Value> = owned.iter().filter(|p| meta::pod_active(p)).collect();
    let ready = active.iter().filter(|p| meta::pod_ready(p)).count();
    let (create, delete) = if active.len() < desired {
        (desired - active.len(), Vec::new())
    } else {
        (0, surplus(&active, desired))
    };
    let mut status = json!({
        "replicas": active.len(),
        "fullyLabeledReplicas": active.len(),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "observedGeneration": rs["metadata"]["generation"].as_i64().unwrap_or(1),
    });
    for k in ["readyReplicas", "availableReplicas"] {
        if status[k] == 0 {
            status.as_object_mut().expect("object").remove(k);
        }
    }
    if let Some(conds) = rs["status"]["conditions"]
        .as_array()
        .filter(|c| !c.is_empty())
    {
        status["conditions"] = json!(conds);
    }
    RsPlan {
        create,
        delete,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, node: &str, ready: bool) -> Value {
        json!({"metadata": {"name": name, "creationTimestamp": "2024-01-01T00:00:00Z"}, "spec": {"nodeName": node},
            "status": {"phase": if ready { "Running" } else { "Pending" }, "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}})
    }

    #[test]
    fn creates_missing_and_reports_counts() {
        let rs = json!({"metadata": {"name": "web-abc", "generation": 2}, "spec": {"replicas": 3}});
        let p = plan(&rs, &[pod("a", "n0", true)]);
        assert_eq!(p.create, 2);
        assert!(p.delete.is_empty());
        assert_eq!(p.status["replicas"], 1);
        assert_eq!(p.status["readyReplicas"], 1);
        assert_eq!(p.status["availableReplicas"], 1);
        assert_eq!(p.status["observedGeneration"], 2);
    }

    #[test]
    fn deletes_unready_pods_first() {
        let rs = json!({"metadata": {"name": "web-abc"}, "spec": {"replicas": 1}});
        let p = plan(
            &rs,
            &[
                pod("ready", "n0", true),
                pod("pending", "n0", false),
                pod("unscheduled", "", false),
            ],
        );
        assert_eq!(p.create, 0);
        assert_eq!(p.delete, vec!["unscheduled", "pending"]);
        assert!(p.status.get("readyReplicas").is_some());
    }

    #[test]
    fn ignores_finished_and_terminating_pods() {
        let rs = json!({"metadata": {"name": "x"}, "spec": {"replicas": 1}});
        let mut gone = pod("gone", "n0", true);
        gone["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
        let mut done = pod("done", "n0", false);
        done["status"]["phase"] = json!("Succeeded");
        let p = plan(&rs, &[gone, done]);
        assert_eq!(p.create, 1);
        assert_eq!(p.status["replicas"], 0);
        assert!(p.status.get("readyReplicas").is_none());
    }

    #[test]
    fn pods_from_templates_carry_labels_and_owner() {
        let t = json!({"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}});
        let owner = json!({"kind": "ReplicaSet", "uid": "u"});
        let pod = pod_from_template(
            &t,
            owner.clone(),
            PodName::Generate("web-abc-"),
            &[("pod-template-hash", "abc")],
        );
        assert_eq!(pod["metadata"]["generateName"], "web-abc-");
        assert_eq!(pod["metadata"]["labels"]["pod-template-hash"], "abc");
        assert_eq!(pod["metadata"]["labels"]["app"], "web");
        assert_eq!(pod["metadata"]["annotations"]["a"], "b");
        assert_eq!(pod["metadata"]["ownerReferences"][0], owner);
        assert_eq!(pod["spec"]["containers"][0]["image"], "i");
    }
}
