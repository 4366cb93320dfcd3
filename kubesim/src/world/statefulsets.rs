//! StatefulSet controller: pods `NAME-0..N-1` with stable names, OrderedReady or Parallel
//! creation, rolling updates from the highest ordinal down (honouring `partition`), and the
//! status `kubectl rollout status statefulset` reads (currentRevision/updateRevision).

use serde_json::{Value, json};

use super::events::EventSpec;
use super::meta;
use super::replicasets::{PodName, pod_from_template};

/// What a StatefulSet needs.
#[derive(Debug, Clone, Default)]
pub struct StsPlan {
    /// Pods to create.
    pub create: Vec<Value>,
    /// Pods to delete (names).
    pub delete: Vec<String>,
    /// The new `status`.
    pub status: Value,
    /// Events (SuccessfulCreate, SuccessfulDelete).
    pub events: Vec<EventSpec>,
}

fn ordinal(sts: &str, pod: &Value) -> Option<usize> {
    meta::name(pod)
        .strip_prefix(sts)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

/// Plans a StatefulSet given the pods it controls.
pub fn plan(sts: &Value, owned: &[Value]) -> StsPlan {
    let name = meta::name(sts);
    let desired = meta::replicas(sts) as usize;
    let update_rev = format!("{name}-{}", meta::template_hash(&sts["spec"]["template"]));
    let parallel = sts["spec"]["podManagementPolicy"] == "Parallel";
    let rolling = sts["spec"]["updateStrategy"]["type"]
        .as_str()
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    let partition = sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"]
        .as_u64()
        .unwrap_or(0) as usize;
    let mut by_ord: Vec<Option<&Value>> = vec![None; desired];
    let mut plan = StsPlan::default();
    let mut extra: Vec<(usize, &Value)> = Vec::new();
    for p in owned.iter().filter(|p| !meta::terminating(p)) {
        match ordinal(name, p) {
            Some(i) if i < desired => by_ord[i] = Some(p),
            Some(i) => extra.push((i, p)),
            None => {}
        }
    }
    let healthy = |p: &Value| meta::pod_phase(p) == "Running" && meta::pod_ready(p);
    let mut blocked = false;
    for (i, slot) in by_ord.iter().enumerate() {
        match slot {
            None => {
                if !blocked || parallel {
                    let pod_name = format!("{name}-{i}");
                    let mut pod = pod_from_template(
                        &sts["spec"]["template"],
                        meta::owner_ref("apps/v1", "StatefulSet", sts),
                        PodName::Fixed(&pod_name),
                        &[
                            ("controller-revision-hash", &update_rev),
                            ("statefulset.kubernetes.io/pod-name", &pod_name),
                            ("apps.kubernetes.io/pod-index", &i.to_string()),
                        ],
                    );
                    pod["spec"]["hostname"] = json!(pod_name);
                    if let Some(svc) = sts["spec"]["serviceName"]
                        .as_str()
                        .filter(|s| !s.is_empty())
                    {
                        pod["spec"]["subdomain"] = json!(svc);
                    }
                    plan.events.push(EventSpec::normal(
                        "statefulset-controller",
                        "SuccessfulCreate",
                        format!("create Pod {pod_name} in StatefulSet {name} successful"),
                    ));
                    plan.create.push(pod);
                }
                blocked = true;
            }
            Some(p) => {
                if matches!(meta::pod_phase(p), "Failed" | "Succeeded") {
                    plan.delete.push(meta::name(p).to_string());
                    blocked = true;
                } else if !healthy(p) {
                    blocked = true;
                }
            }
        }
    }
    // Scale down: highest ordinal first, one at a time unless Parallel.
    extra.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
    let all_healthy = by_ord.iter().all(|p| p.is_some_and(healthy));
    for (_, p) in extra.iter().take(if parallel { usize::MAX } else { 1 }) {
        if parallel || all_healthy {
            plan.delete.push(meta::name(p).to_string());
        }
    }
    // Rolling update: replace the highest outdated ordinal once everything is healthy.
    if rolling && all_healthy && extra.is_empty() && plan.delete.is_empty() {
        let outdated = by_ord
            .iter()
            .enumerate()
            .rev()
            .filter(|(i, _)| *i >= partition)
            .find(|(_, p)| {
                p.is_some_and(|p| {
                    meta::label(p, "controller-revision-hash") != Some(update_rev.as_str())
                })
            });
        if let Some((_, Some(p))) = outdated {
            plan.delete.push(meta::name(p).to_string());
        }
    }
    for d in &plan.delete {
        plan.events.push(EventSpec::normal(
            "statefulset-controller",
            "SuccessfulDelete",
            format!("delete Pod {d} in StatefulSet {name} successful"),
        ));
    }

    let live: Vec<&Value> = owned
        .iter()
        .filter(|p| !meta::terminating(p) && ordinal(name, p).is_some())
        .collect();
    let ready = live.iter().filter(|p| meta::pod_ready(p)).count();
    let updated = live
        .iter()
        .filter(|p| meta::label(p, "controller-revision-hash") == Some(update_rev.as_str()))
        .count();
    let old_current = sts["status"]["currentRevision"]
        .as_str()
        .unwrap_or_default();
    let current_rev = if old_current.is_empty() || (updated == live.len() && live.len() == desired)
    {
        update_rev.clone()
    } else {
        old_current.to_string()
    };
    let current = live
        .iter()
        .filter(|p| meta::label(p, "controller-revision-hash") == Some(current_rev.as_str()))
        .count();
    let mut status = json!({
        "observedGeneration": sts["metadata"]["generation"].as_i64().unwrap_or(1),
        "replicas": live.len(),
        "readyReplicas": ready,
        "currentReplicas": current,
        "updatedReplicas": updated,
        "availableReplicas": ready,
        "currentRevision": current_rev,
        "updateRevision": update_rev,
        "collisionCount": 0,
    });
    for k in [
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
        "availableReplicas",
    ] {
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

    fn sts(replicas: i64, image: &str) -> Value {
        json!({"metadata": {"name": "db", "namespace": "demo", "uid": "s", "generation": 1},
            "spec": {"replicas": replicas, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn ready(mut p: Value) -> Value {
        p["status"] =
            json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]});
        p
    }

    /// Runs the controller with pods becoming ready at once until nothing changes.
    fn converge(s: &mut Value, pods: &mut Vec<Value>) -> Vec<String> {
        let mut created = Vec::new();
        for _ in 0..50 {
            let p = plan(s, pods);
            s["status"] = p.status.clone();
            if p.create.is_empty() && p.delete.is_empty() {
                return created;
            }
            pods.retain(|x| !p.delete.iter().any(|d| d == meta::name(x)));
            for c in p.create {
                created.push(meta::name(&c).to_string());
                pods.push(ready(c));
            }
        }
        panic!("no convergence");
    }

    #[test]
    fn creates_ordered_pods_one_at_a_time() {
        let s = sts(3, "db:1");
        let p = plan(&s, &[]);
        assert_eq!(p.create.len(), 1, "OrderedReady waits for pod 0");
        let pod = &p.create[0];
        assert_eq!(meta::name(pod), "db-0");
        assert_eq!(pod["spec"]["hostname"], "db-0");
        assert_eq!(pod["spec"]["subdomain"], "db");
        assert_eq!(
            pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"],
            "db-0"
        );
        let mut s = s;
        let mut pods = Vec::new();
        assert_eq!(converge(&mut s, &mut pods), vec!["db-0", "db-1", "db-2"]);
        assert_eq!(s["status"]["readyReplicas"], 3);
        assert_eq!(
            s["status"]["currentRevision"],
            s["status"]["updateRevision"]
        );
    }

    #[test]
    fn rolls_from_the_highest_ordinal() {
        let mut s = sts(3, "db:1");
        let mut pods = Vec::new();
        converge(&mut s, &mut pods);
        let old_rev = s["status"]["currentRevision"].clone();
        s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("db:2");
        let p = plan(&s, &pods);
        assert_eq!(p.delete, vec!["db-2"]);
        assert_eq!(p.status["currentRevision"], old_rev);
        assert_ne!(p.status["updateRevision"], old_rev);
        let recreated = converge(&mut s, &mut pods);
        assert_eq!(recreated, vec!["db-2", "db-1", "db-0"]);
        assert_eq!(s["status"]["updatedReplicas"], 3);
        assert_eq!(
            s["status"]["currentRevision"],
            s["status"]["updateRevision"]
        );
    }

    #[test]
    fn scales_down_from_the_top_and_parallel_creates_all() {
        let mut s = sts(3, "db:1");
        let mut pods = Vec::new();
        converge(&mut s, &mut pods);
        s["spec"]["replicas"] = json!(1);
        converge(&mut s, &mut pods);
        assert_eq!(
            pods.iter().map(meta::name).collect::<Vec<_>>(),
            vec!["db-0"]
        );
        let mut par = sts(3, "db:1");
        par["spec"]["podManagementPolicy"] = json!("Parallel");
        assert_eq!(plan(&par, &[]).create.len(), 3);
    }
}
