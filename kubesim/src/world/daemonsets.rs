//! DaemonSet controller: one pod per Ready node that matches the template's nodeSelector,
//! rolling updates limited by maxUnavailable, and the status `kubectl rollout status daemonset` reads.

use serde_json::{Value, json};

use super::events::EventSpec;
use super::meta;
use super::replicasets::{PodName, pod_from_template};

/// What a DaemonSet needs.
#[derive(Debug, Clone, Default)]
pub struct DsPlan {
    /// Pods to create (already bound to their node).
    pub create: Vec<Value>,
    /// Pods to delete (names).
    pub delete: Vec<String>,
    /// The new `status`.
    pub status: Value,
    /// Events.
    pub events: Vec<EventSpec>,
}

fn eligible(ds: &Value, node: &Value) -> bool {
    let ready = meta::condition(node, "Ready").is_some_and(|c| c["status"] == "True");
    let sel = ds["spec"]["template"]["spec"]["nodeSelector"].as_object();
    ready && sel.is_none_or(|s| s.iter().all(|(k, v)| node["metadata"]["labels"][k] == *v))
}

/// Plans a DaemonSet given the nodes and the pods it controls.
pub fn plan(ds: &Value, nodes: &[Value], owned: &[Value]) -> DsPlan {
    let name = meta::name(ds);
    let hash = meta::template_hash(&ds["spec"]["template"]);
    let generation = ds["metadata"]["generation"].as_i64().unwrap_or(1);
    let rolling = ds["spec"]["updateStrategy"]["type"]
        .as_str()
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    let live: Vec<&Value> = owned.iter().filter(|p| meta::pod_active(p)).collect();
    let targets: Vec<&Value> = nodes.iter().filter(|n| eligible(ds, n)).collect();
    let mut plan = DsPlan::default();
    let on = |node: &str| {
        live.iter()
            .filter(move |p| p["spec"]["nodeName"] == node)
            .copied()
            .collect::<Vec<&Value>>()
    };
    let current = |p: &Value| meta::label(p, "controller-revision-hash") == Some(hash.as_str());
    for node in &targets {
        let n = meta::name(node);
        let pods = on(n);
        if pods.is_empty() {
            let mut pod = pod_from_template(
                &ds["spec"]["template"],
                meta::owner_ref("apps/v1", "DaemonSet", ds),
                PodName::Generate(&format!("{name}-")),
                &[
                    ("controller-revision-hash", &hash),
                    ("pod-template-generation", &generation.to_string()),
                ],
            );
            pod["spec"]["nodeName"] = json!(n);
            plan.create.push(pod);
        } else {
            for extra in pods.iter().skip(1) {
                plan.delete.push(meta::name(extra).to_string());
            }
        }
    }
    // Pods on nodes that no longer qualify.
    for p in &live {
        let node = p["spec"]["nodeName"].as_str().unwrap_or_default();
        if !targets.iter().any(|n| meta::name(n) == node) {
            plan.delete.push(meta::name(p).to_string());
        }
    }
    if rolling {
        let desired = targets.len() as i64;
        let max_unavailable = meta::int_or_percent(
            &ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
            "1",
            desired,
            false,
        )
        .max(1);
        let unavailable = targets
            .iter()
            .filter(|n| !on(meta::name(n)).iter().any(|p| meta::pod_ready(p)))
            .count() as i64;
        let mut budget = max_unavailable - unavailable;
        for node in &targets {
            if budget <= 0 {
                break;
            }
            if let Some(old) = on(meta::name(node))
                .into_iter()
                .find(|p| !current(p) && meta::pod_ready(p))
            {
                plan.delete.push(meta::name(old).to_string());
                budget -= 1;
            }
        }
    }
    plan.events.extend(plan.delete.iter().map(|d| {
        EventSpec::normal(
            "daemonset-controller",
            "SuccessfulDelete",
            format!("Deleted pod: {d}"),
        )
    }));
    let scheduled = targets
        .iter()
        .filter(|n| !on(meta::name(n)).is_empty())
        .count();
    let ready = targets
        .iter()
        .filter(|n| on(meta::name(n)).iter().any(|p| meta::pod_ready(p)))
        .count();
    let updated = targets
        .iter()
        .filter(|n| on(meta::name(n)).iter().any(|p| current(p)))
        .count();
    let misscheduled = live
        .iter()
        .filter(|p| {
            !targets
                .iter()
                .any(|n| p["spec"]["nodeName"] == meta::name(n))
        })
        .count();
    let mut status = json!({
        "currentNumberScheduled": scheduled,
        "desiredNumberScheduled": targets.len(),
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
        "numberAvailable": ready,
        "updatedNumberScheduled": updated,
        "observedGeneration": generation,
    });
    let unavailable = targets.len() - ready;
    if unavailable > 0 {
        status["numberUnavailable"] = json!(unavailable);
    }
    for k in ["numberAvailable", "updatedNumberScheduled"] {
        if status[k] == 0 {
            status.as_object_mut().expect("object").remove(k);
        }
    }
    plan.status = status;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, pool: &str) -> Value {
        json!({"metadata": {"name": name, "labels": {"pool": pool}}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
    }

    fn ds(image: &str) -> Value {
        json!({"metadata": {"name": "agent", "namespace": "kube-system", "uid": "d", "generation": 1},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn converge(d: &mut Value, nodes: &[Value], pods: &mut Vec<Value>) {
        for i in 0..50 {
            let p = plan(d, nodes, pods);
            d["status"] = p.status.clone();
            if p.create.is_empty() && p.delete.is_empty() {
                return;
            }
            pods.retain(|x| !p.delete.iter().any(|n| n == meta::name(x)));
            for (j, mut c) in p.create.into_iter().enumerate() {
                c["metadata"]["name"] = json!(format!("agent-{i}-{j}"));
                c["status"] = json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]});
                pods.push(c);
            }
        }
        panic!("no convergence");
    }

    #[test]
    fn one_pod_per_node_and_rolling_updates() {
        let nodes = vec![node("a", "x"), node("b", "x"), node("c", "y")];
        let mut d = ds("agent:1");
        let mut pods = Vec::new();
        converge(&mut d, &nodes, &mut pods);
        assert_eq!(pods.len(), 3);
        let mut on: Vec<&str> = pods
            .iter()
            .map(|p| p["spec"]["nodeName"].as_str().unwrap())
            .collect();
        on.sort();
        assert_eq!(on, vec!["a", "b", "c"]);
        assert_eq!(d["status"]["desiredNumberScheduled"], 3);
        assert_eq!(d["status"]["numberAvailable"], 3);
        assert_eq!(d["status"]["updatedNumberScheduled"], 3);
        d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("agent:2");
        let p = plan(&d, &nodes, &pods);
        assert_eq!(p.delete.len(), 1, "maxUnavailable 1");
        converge(&mut d, &nodes, &mut pods);
        assert!(
            pods.iter()
                .all(|p| p["spec"]["containers"][0]["image"] == "agent:2")
        );
        assert_eq!(d["status"]["updatedNumberScheduled"], 3);
    }

    #[test]
    fn honours_node_selectors() {
        let nodes = vec![node("a", "x"), node("b", "y")];
        let mut d = ds("agent:1");
        d["spec"]["template"]["spec"]["nodeSelector"] = json!({"pool": "y"});
        let p = plan(&d, &nodes, &[]);
        assert_eq!(p.create.len(), 1);
        assert_eq!(p.create[0]["spec"]["nodeName"], "b");
        assert_eq!(p.status["desiredNumberScheduled"], 1);
    }
}
