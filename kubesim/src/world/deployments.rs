//! Deployment controller: one ReplicaSet per pod template (named by `pod-template-hash`),
//! rolling replacement honouring maxSurge/maxUnavailable (or Recreate), revision history and the
//! status that `kubectl rollout status`, `kubectl wait --for=condition=Available` and kube-rs
//! `is_deployment_completed` read.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::events::EventSpec;
use super::meta::{self, CondTimes};
use crate::util;

/// Annotation carrying a revision number (on the Deployment and its ReplicaSets).
pub const REVISION: &str = "deployment.kubernetes.io/revision";

/// What a Deployment needs.
#[derive(Debug, Clone, Default)]
pub struct DeployPlan {
    /// A new ReplicaSet to create.
    pub create: Option<Value>,
    /// ReplicaSets to scale: (name, replicas).
    pub scale: Vec<(String, i64)>,
    /// ReplicaSets whose revision annotation changes (rollback to an old template): (name, revision).
    pub revisions: Vec<(String, String)>,
    /// Old, empty ReplicaSets beyond `revisionHistoryLimit`.
    pub delete: Vec<String>,
    /// The Deployment's new `status`.
    pub status: Value,
    /// The Deployment's revision annotation.
    pub revision: String,
    /// Events (ScalingReplicaSet).
    pub events: Vec<EventSpec>,
}

fn revision_of(rs: &Value) -> i64 {
    rs["metadata"]["annotations"][REVISION]
        .as_str()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn spec_replicas(rs: &Value) -> i64 {
    rs["spec"]["replicas"].as_i64().unwrap_or(0)
}

fn st(rs: &Value, field: &str) -> i64 {
    rs["status"][field].as_i64().unwrap_or(0)
}

/// The ReplicaSet a Deployment's current template asks for.
pub fn new_replica_set(deploy: &Value, hash: &str, replicas: i64, revision: i64) -> Value {
    let name = format!("{}-{hash}", meta::name(deploy));
    let mut template = deploy["spec"]["template"].clone();
    if !template["metadata"]["labels"].is_object() {
        template["metadata"]["labels"] = json!({});
    }
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut selector = deploy["spec"]["selector"].clone();
    if !selector["matchLabels"].is_object() {
        selector["matchLabels"] = json!({});
    }
    selector["matchLabels"]["pod-template-hash"] = json!(hash);
    let desired = meta::replicas(deploy);
    let mut spec = json!({"replicas": replicas, "selector": selector, "template": template});
    if let Some(m) = deploy["spec"]["minReadySeconds"].as_i64() {
        spec["minReadySeconds"] = json!(m);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": meta::namespace(deploy),
            "labels": template["metadata"]["labels"].clone(),
            "annotations": {
                REVISION: revision.to_string(),
                "deployment.kubernetes.io/desired-replicas": desired.to_string(),
                "deployment.kubernetes.io/max-replicas": (desired + max_surge(deploy)).to_string(),
            },
            "ownerReferences": [meta::owner_ref("apps/v1", "Deployment", deploy)],
        },
        "spec": spec,
    })
}

fn rolling(deploy: &Value) -> bool {
    deploy["spec"]["strategy"]["type"]
        .as_str()
        .unwrap_or("RollingUpdate")
        != "Recreate"
}

fn max_surge(deploy: &Value) -> i64 {
    if !rolling(deploy) {
        return 0;
    }
    meta::int_or_percent(
        &deploy["spec"]["strategy"]["rollingUpdate"]["maxSurge"],
        "25%",
        meta::replicas(deploy),
        true,
    )
}

fn max_unavailable(deploy: &Value) -> i64 {
    let desired = meta::replicas(deploy);
    if !rolling(deploy) {
        return desired;
    }
    let mu = meta::int_or_percent(
        &deploy["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"],
        "25%",
        desired,
        false,
    );
    if mu == 0 && max_surge(deploy) == 0 {
        1.min(desired)
    } else {
        mu.min(desired)
    }
}

fn scale_event(name: &str, from: i64, to: i64) -> EventSpec {
    let dir = if to > from { "up" } else { "down" };
    EventSpec::normal(
        "deployment-controller",
        "ScalingReplicaSet",
        format!("Scaled {dir} replica set {name} from {from} to {to}"),
    )
}

/// Plans a Deployment given the ReplicaSets it controls.
pub fn plan(deploy: &Value, owned: &[Value], now: SystemTime) -> DeployPlan {
    let now_s = util::rfc3339(now);
    let desired = meta::replicas(deploy);
    let hash = meta::template_hash(&deploy["spec"]["template"]);
    let mut plan = DeployPlan::default();
    let mut rss: Vec<Value> = owned
        .iter()
        .filter(|r| !meta::terminating(r))
        .cloned()
        .collect();
    rss.sort_by_key(|r| {
        (
            revision_of(r),
            r["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    });
    let max_rev = rss.iter().map(revision_of).max().unwrap_or(0);
    let paused = deploy["spec"]["paused"].as_bool() == Some(true);
    let mut new_idx = rss
        .iter()
        .position(|r| meta::label(r, "pod-template-hash") == Some(hash.as_str()));
    let mut created = false;

    if !paused {
        match new_idx {
            Some(i) => {
                if revision_of(&rss[i]) < max_rev {
                    let rev = (max_rev + 1).to_string();
                    plan.revisions
                        .push((meta::name(&rss[i]).to_string(), rev.clone()));
                    rss[i]["metadata"]["annotations"][REVISION] = json!(rev);
                }
            }
            None => {
                let total: i64 = rss.iter().map(spec_replicas).sum();
                let initial = if rolling(deploy) {
                    (desired + max_surge(deploy) - total).clamp(0, desired)
                } else if total == 0 && rss.iter().all(|r| st(r, "replicas") == 0) {
                    desired
                } else {
                    0
                };
                let rs = new_replica_set(deploy, &hash, initial, max_rev + 1);
                if initial > 0 {
                    plan.events.push(scale_event(meta::name(&rs), 0, initial));
                }
                plan.create = Some(rs.clone());
                rss.push(rs);
                new_idx = Some(rss.len() - 1);
                created = true;
            }
        }
    }

    if let (false, Some(ni)) = (paused, new_idx) {
        let mut scaled_new = false;
        let new_spec = spec_replicas(&rss[ni]);
        let old_total: i64 = rss
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ni)
            .map(|(_, r)| spec_replicas(r))
            .sum();
        let target = if rolling(deploy) {
            if new_spec > desired {
                desired
            } else {
                let room = desired + max_surge(deploy) - (old_total + new_spec);
                new_spec + room.clamp(0, desired - new_spec)
            }
        } else if old_total == 0
            && rss
                .iter()
                .enumerate()
                .all(|(i, r)| i == ni || st(r, "replicas") == 0)
        {
            desired
        } else {
            new_spec.min(desired)
        };
        if target != new_spec && !created {
            plan.scale.push((meta::name(&rss[ni]).to_string(), target));
            plan.events
                .push(scale_event(meta::name(&rss[ni]), new_spec, target));
            rss[ni]["spec"]["replicas"] = json!(target);
            scaled_new = true;
        }
        if !scaled_new && old_total > 0 {
            let mut downs: Vec<(usize, i64)> = Vec::new();
            if rolling(deploy) {
                let min_available = desired - max_unavailable(deploy);
                let new_unavailable =
                    (spec_replicas(&rss[ni]) - st(&rss[ni], "availableReplicas")).max(0);
                let all: i64 = rss.iter().map(spec_replicas).sum();
                let mut budget = all - min_available - new_unavailable;
                let mut cleaned = 0;
                for (i, r) in rss.iter().enumerate() {
                    if i == ni || budget <= 0 {
                        continue;
                    }
                    let unhealthy = (spec_replicas(r) - st(r, "availableReplicas"))
                        .max(0)
                        .min(budget);
                    if unhealthy > 0 {
                        downs.push((i, spec_replicas(r) - unhealthy));
                        budget -= unhealthy;
                        cleaned += unhealthy;
                    }
                }
                let _ = cleaned;
                let available: i64 = rss.iter().map(|r| st(r, "availableReplicas")).sum();
                let mut total_down = available - min_available;
                for (i, r) in rss.iter().enumerate() {
                    if i == ni || total_down <= 0 {
                        continue;
                    }
                    let current = downs
                        .iter()
                        .find(|(j, _)| *j == i)
                        .map(|(_, v)| *v)
                        .unwrap_or(spec_replicas(r));
                    let down = current.min(total_down);
                    if down > 0 {
                        downs.retain(|(j, _)| *j != i);
                        downs.push((i, current - down));
                        total_down -= down;
                    }
                }
            } else {
                for (i, r) in rss.iter().enumerate() {
                    if i != ni && spec_replicas(r) > 0 {
                        downs.push((i, 0));
                    }
                }
            }
            for (i, to) in downs {
                let from = spec_replicas(&rss[i]);
                if from != to {
                    plan.scale.push((meta::name(&rss[i]).to_string(), to));
                    plan.events.push(scale_event(meta::name(&rss[i]), from, to));
                    rss[i]["spec"]["replicas"] = json!(to);
                }
            }
        }
        // History: old, empty ReplicaSets beyond the limit, oldest first.
        let limit = deploy["spec"]["revisionHistoryLimit"]
            .as_i64()
            .unwrap_or(10)
            .max(0) as usize;
        let empty: Vec<&Value> = rss
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != ni && spec_replicas(r) == 0 && st(r, "replicas") == 0)
            .map(|(_, r)| r)
            .collect();
        if empty.len() > limit {
            plan.delete = empty[..empty.len() - limit]
                .iter()
                .map(|r| meta::name(r).to_string())
                .collect();
        }
    }

    // Status.
    let new_rs = new_idx.map(|i| &rss[i]);
    let total_spec: i64 = rss.iter().map(spec_replicas).sum();
    let replicas: i64 = rss.iter().map(|r| st(r, "replicas")).sum();
    let updated = new_rs.map(|r| st(r, "replicas")).unwrap_or(0);
    let ready: i64 = rss.iter().map(|r| st(r, "readyReplicas")).sum();
    let available: i64 = rss.iter().map(|r| st(r, "availableReplicas")).sum();
    let generation = deploy["metadata"]["generation"].as_i64().unwrap_or(1);
    let old_status = &deploy["status"];
    let mut status = json!({
        "observedGeneration": generation,
        "replicas": replicas,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": available,
        "conditions": old_status["conditions"].clone(),
    });
    let unavailable = (total_spec.max(desired) - available).max(0);
    if unavailable > 0 {
        status["unavailableReplicas"] = json!(unavailable);
    }
    for k in [
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
    ] {
        if status[k] == 0 {
            status.as_object_mut().expect("object").remove(k);
        }
    }
    if !status["conditions"].is_array() {
        status["conditions"] = json!([]);
    }
    let min_available = desired - max_unavailable(deploy);
    if available >= min_available {
        meta::set_condition(
            &mut status,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            &now_s,
            CondTimes::Deployment,
        );
    } else {
        meta::set_condition(
            &mut status,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            &now_s,
            CondTimes::Deployment,
        );
    }
    let rs_name = new_rs.map(meta::name).unwrap_or_default().to_string();
    let complete = updated == desired && replicas == desired && available == desired;
    let progress_made = [
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
    ]
    .iter()
    .any(|k| status[k].as_i64().unwrap_or(0) != old_status[k].as_i64().unwrap_or(0))
        || !plan.scale.is_empty()
        || created;
    let prog = |status: &mut Value, v: &str, reason: &str, msg: String| {
        meta::set_condition(
            status,
            "Progressing",
            v,
            reason,
            &msg,
            &now_s,
            CondTimes::Deployment,
        )
    };
    let previous = meta::condition(deploy, "Progressing").cloned();
    let deadline = Duration::from_secs(
        deploy["spec"]["progressDeadlineSeconds"]
            .as_u64()
            .unwrap_or(600),
    );
    let stalled_since = previous
        .as_ref()
        .and_then(|c| c["lastUpdateTime"].as_str())
        .and_then(util::parse_rfc3339);
    if paused {
        prog(
            &mut status,
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".to_string(),
        );
    } else if complete {
        prog(
            &mut status,
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
        );
    } else if created {
        prog(
            &mut status,
            "True",
            "NewReplicaSetCreated",
            format!("Created new replica set \"{rs_name}\""),
        );
    } else if !progress_made
        && previous
            .as_ref()
            .is_some_and(|c| c["reason"] != "NewReplicaSetAvailable")
        && stalled_since.is_some_and(|t| now.duration_since(t).unwrap_or_default() > deadline)
    {
        prog(
            &mut status,
            "False",
            "ProgressDeadlineExceeded",
            format!("ReplicaSet \"{rs_name}\" has timed out progressing."),
        );
    } else if previous
        .as_ref()
        .is_some_and(|c| c["reason"] == "ProgressDeadlineExceeded")
        && !progress_made
    {
        // Stays exceeded until something changes.
    } else {
        prog(
            &mut status,
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{rs_name}\" is progressing."),
        );
        if progress_made
            && let Some(c) = status["conditions"]
                .as_array_mut()
                .and_then(|a| a.iter_mut().find(|c| c["type"] == "Progressing"))
        {
            c["lastUpdateTime"] = json!(now_s);
        }
    }
    plan.status = status;
    plan.revision = new_rs
        .map(|r| revision_of(r).to_string())
        .unwrap_or_default();
    plan
}

/// True when `deploy`'s status says the rollout is complete (the checks `kubectl rollout status` makes).
pub fn rollout_complete(deploy: &Value) -> bool {
    let desired = meta::replicas(deploy);
    let s = &deploy["status"];
    let g = |k: &str| s[k].as_i64().unwrap_or(0);
    deploy["metadata"]["generation"].as_i64().unwrap_or(1) <= g("observedGeneration")
        && g("updatedReplicas") >= desired
        && g("replicas") == g("updatedReplicas")
        && g("availableReplicas") >= g("updatedReplicas")
}

#[cfg(test)]
mod tests;
