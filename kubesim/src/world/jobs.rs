//! Job controller: runs pods until `completions` succeed (or `backoffLimit` failures), with the
//! status and conditions `kubectl wait --for=condition=complete` reads.

use serde_json::{Value, json};

use super::events::EventSpec;
use super::meta::{self, CondTimes};
use super::replicasets::{PodName, pod_from_template};

/// What a Job needs.
#[derive(Debug, Clone, Default)]
pub struct JobPlan {
    /// The selector and template labels the API server would have set (when missing).
    pub selector: Option<(Value, Value)>,
    /// Pods to create.
    pub create: Vec<Value>,
    /// Pods to delete (names).
    pub delete: Vec<String>,
    /// The new `status`.
    pub status: Value,
    /// Events.
    pub events: Vec<EventSpec>,
}

/// The labels the API server gives a Job's pods.
pub fn job_labels(job: &Value) -> Vec<(&'static str, String)> {
    let (uid, name) = (meta::uid(job).to_string(), meta::name(job).to_string());
    vec![
        ("batch.kubernetes.io/controller-uid", uid.clone()),
        ("batch.kubernetes.io/job-name", name.clone()),
        ("controller-uid", uid),
        ("job-name", name),
    ]
}

/// Plans a Job given the pods it controls.
pub fn plan(job: &Value, owned: &[Value], now: &str) -> JobPlan {
    let mut plan = JobPlan::default();
    let name = meta::name(job);
    let spec = &job["spec"];
    let labels = job_labels(job);
    if spec["selector"].is_null() && spec["manualSelector"].as_bool() != Some(true) {
        let selector =
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": meta::uid(job)}});
        let mut tl = spec["template"]["metadata"]["labels"].clone();
        if !tl.is_object() {
            tl = json!({});
        }
        for (k, v) in &labels {
            tl[*k] = json!(v);
        }
        plan.selector = Some((selector, tl));
    }
    let completions = spec["completions"].as_i64().unwrap_or(1).max(0);
    let parallelism = spec["parallelism"].as_i64().unwrap_or(1).max(0);
    let backoff_limit = spec["backoffLimit"].as_i64().unwrap_or(6);
    let suspended = spec["suspend"].as_bool() == Some(true);
    let old = &job["status"];
    let finished = meta::condition(job, "Complete")
        .or_else(|| meta::condition(job, "Failed"))
        .is_some_and(|c| c["status"] == "True");
    let live: Vec<&Value> = owned.iter().filter(|p| !meta::terminating(p)).collect();
    let active: Vec<&Value> = live
        .iter()
        .filter(|p| meta::pod_active(p))
        .copied()
        .collect();
    let succeeded = live
        .iter()
        .filter(|p| meta::pod_phase(p) == "Succeeded")
        .count() as i64;
    let failed = live
        .iter()
        .filter(|p| meta::pod_phase(p) == "Failed")
        .count() as i64;
    let ready = active.iter().filter(|p| meta::pod_ready(p)).count() as i64;
    let mut status = old.clone();
    if !status.is_object() {
        status = json!({});
    }
    let complete = succeeded >= completions;
    let over_limit = failed > backoff_limit;
    if !finished && !suspended {
        if status["startTime"].is_null() {
            status["startTime"] = json!(now);
        }
        if complete {
            meta::set_condition(
                &mut status,
                "SuccessCriteriaMet",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
                now,
                CondTimes::Plain,
            );
            meta::set_condition(
                &mut status,
                "Complete",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
                now,
                CondTimes::Plain,
            );
            status["completionTime"] = json!(now);
            plan.events.push(EventSpec::normal(
                "job-controller",
                "Completed",
                "Job completed",
            ));
        } else if over_limit {
            meta::set_condition(
                &mut status,
                "FailureTarget",
                "True",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                now,
                CondTimes::Plain,
            );
            meta::set_condition(
                &mut status,
                "Failed",
                "True",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                now,
                CondTimes::Plain,
            );
            plan.events.push(EventSpec::warning(
                "job-controller",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
            ));
            plan.delete
                .extend(active.iter().map(|p| meta::name(p).to_string()));
        } else {
            let want = parallelism.min(completions - succeeded).max(0) as usize;
            let mut template = spec["template"].clone();
            if let Some((_, tl)) = &plan.selector {
                template["metadata"]["labels"] = tl.clone();
            }
            let extra: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
            for _ in active.len()..want {
                let pod = pod_from_template(
                    &template,
                    meta::owner_ref("batch/v1", "Job", job),
                    PodName::Generate(&format!("{name}-")),
                    &extra,
                );
                plan.create.push(pod);
            }
        }
    } else if suspended && !finished {
        meta::set_condition(
            &mut status,
            "Suspended",
            "True",
            "JobSuspended",
            "Job suspended",
            now,
            CondTimes::Plain,
        );
        plan.delete
            .extend(active.iter().map(|p| meta::name(p).to_string()));
    }
    let still_active = if plan.delete.is_empty() {
        active.len()
    } else {
        0
    };
    let set = |status: &mut Value, k: &str, v: i64| {
        if v > 0 {
            status[k] = json!(v);
        } else if let Some(m) = status.as_object_mut() {
            m.remove(k);
        }
    };
    set(&mut status, "active", still_active as i64);
    set(&mut status, "succeeded", succeeded);
    set(&mut status, "failed", failed);
    status["ready"] = json!(ready);
    status["terminating"] = json!(0);
    status["uncountedTerminatedPods"] = json!({});
    plan.status = status;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(completions: i64, parallelism: i64) -> Value {
        json!({"metadata": {"name": "pi", "namespace": "demo", "uid": "j-uid", "generation": 1},
            "spec": {"completions": completions, "parallelism": parallelism,
                "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}}}})
    }

    fn pod(phase: &str) -> Value {
        json!({"metadata": {"name": format!("pi-{phase}")}, "status": {"phase": phase}})
    }

    #[test]
    fn creates_pods_up_to_parallelism_and_completes() {
        let j = job(3, 2);
        let p = plan(&j, &[], "t");
        let (sel, labels) = p.selector.clone().expect("selector defaulted");
        assert_eq!(
            sel["matchLabels"]["batch.kubernetes.io/controller-uid"],
            "j-uid"
        );
        assert_eq!(labels["job-name"], "pi");
        assert_eq!(p.create.len(), 2);
        assert_eq!(
            p.create[0]["metadata"]["labels"]["batch.kubernetes.io/job-name"],
            "pi"
        );
        assert_eq!(p.create[0]["metadata"]["ownerReferences"][0]["kind"], "Job");
        assert_eq!(p.status["startTime"], "t");
        let p = plan(&j, &[pod("Succeeded"), pod("Running")], "t");
        assert_eq!(p.create.len(), 1);
        assert_eq!(p.status["active"], 1);
        let mut j2 = j.clone();
        j2["status"] = p.status;
        let done = plan(
            &j2,
            &[pod("Succeeded"), pod("Succeeded"), pod("Succeeded")],
            "t2",
        );
        assert!(done.create.is_empty());
        assert_eq!(done.status["succeeded"], 3);
        assert!(done.status.get("active").is_none());
        assert_eq!(done.status["completionTime"], "t2");
        let mut j3 = j.clone();
        j3["status"] = done.status;
        assert_eq!(meta::condition(&j3, "Complete").unwrap()["status"], "True");
        let again = plan(
            &j3,
            &[pod("Succeeded"), pod("Succeeded"), pod("Succeeded")],
            "t3",
        );
        assert!(again.events.is_empty());
        assert_eq!(again.status["completionTime"], "t2");
    }

    #[test]
    fn fails_past_the_backoff_limit() {
        let mut j = job(1, 1);
        j["spec"]["backoffLimit"] = json!(1);
        let p = plan(&j, &[pod("Failed"), pod("Failed")], "t");
        let mut j2 = j.clone();
        j2["status"] = p.status;
        assert_eq!(
            meta::condition(&j2, "Failed").unwrap()["reason"],
            "BackoffLimitExceeded"
        );
        assert!(p.create.is_empty());
    }
}
