//! Waiting on the cluster through watches (never sleep loops), and explaining what is not ready when a
//! wait runs out of time: pod phase, container waiting reasons such as ImagePullBackOff, and events.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Event, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, watcher};

use super::{Connection, KubeResultExt};
use crate::error::UserError;
use crate::progress::Progress;

/// Where a rollout stands, computed the way `kubectl rollout status` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    pub done: bool,
    pub message: String,
}

/// A workload whose rollout can be awaited.
pub trait Workload:
    kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
    + Clone
    + std::fmt::Debug
    + serde::de::DeserializeOwned
    + Send
    + Sync
    + 'static
{
    /// Lower-case kind for messages ("deployment").
    const NOUN: &'static str;
    fn rollout(&self) -> Rollout;
    fn selector(&self) -> Option<&LabelSelector>;
}

impl Workload for Deployment {
    const NOUN: &'static str = "deployment";
    fn rollout(&self) -> Rollout {
        let generation = self.metadata.generation.unwrap_or(0);
        let wanted = self.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let Some(status) = &self.status else {
            return waiting("waiting for the deployment controller");
        };
        if status.observed_generation.unwrap_or(0) < generation {
            return waiting("waiting for the deployment spec update to be observed");
        }
        let updated = status.updated_replicas.unwrap_or(0);
        let replicas = status.replicas.unwrap_or(0);
        let available = status.available_replicas.unwrap_or(0);
        if updated < wanted {
            return waiting(&format!(
                "{updated} of {wanted} new replicas have been updated"
            ));
        }
        if replicas > updated {
            return waiting(&format!(
                "{} old replicas are pending termination",
                replicas - updated
            ));
        }
        if available < updated {
            return waiting(&format!(
                "{available} of {updated} updated replicas are available"
            ));
        }
        Rollout {
            done: true,
            message: format!("{available}/{wanted} replicas available"),
        }
    }
    fn selector(&self) -> Option<&LabelSelector> {
        self.spec.as_ref().map(|s| &s.selector)
    }
}

impl Workload for StatefulSet {
    const NOUN: &'static str = "statefulset";
    fn rollout(&self) -> Rollout {
        let generation = self.metadata.generation.unwrap_or(0);
        let wanted = self.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let Some(status) = &self.status else {
            return waiting("waiting for the statefulset controller");
        };
        if status.observed_generation.unwrap_or(0) < generation {
            return waiting("waiting for the statefulset spec update to be observed");
        }
        let ready = status.ready_replicas.unwrap_or(0);
        if ready < wanted {
            return waiting(&format!("{ready} of {wanted} pods are ready"));
        }
        if status.update_revision.is_some() && status.update_revision != status.current_revision {
            let updated = status.updated_replicas.unwrap_or(0);
            return waiting(&format!(
                "{updated} of {wanted} pods are on the new revision"
            ));
        }
        Rollout {
            done: true,
            message: format!("{ready}/{wanted} pods ready"),
        }
    }
    fn selector(&self) -> Option<&LabelSelector> {
        self.spec.as_ref().map(|s| &s.selector)
    }
}

impl Workload for DaemonSet {
    const NOUN: &'static str = "daemonset";
    fn rollout(&self) -> Rollout {
        let generation = self.metadata.generation.unwrap_or(0);
        let Some(status) = &self.status else {
            return waiting("waiting for the daemonset controller");
        };
        if status.observed_generation.unwrap_or(0) < generation {
            return waiting("waiting for the daemonset spec update to be observed");
        }
        let wanted = status.desired_number_scheduled;
        let updated = status.updated_number_scheduled.unwrap_or(0);
        let available = status.number_available.unwrap_or(0);
        if updated < wanted {
            return waiting(&format!("{updated} of {wanted} pods have been updated"));
        }
        if available < wanted {
            return waiting(&format!(
                "{available} of {wanted} updated pods are available"
            ));
        }
        Rollout {
            done: true,
            message: format!("{available}/{wanted} pods available"),
        }
    }
    fn selector(&self) -> Option<&LabelSelector> {
        self.spec.as_ref().map(|s| &s.selector)
    }
}

fn waiting(message: &str) -> Rollout {
    Rollout {
        done: false,
        message: message.to_string(),
    }
}

/// Waits (through a watch on the one object) until the workload has rolled out. Reports each change as
/// a progress detail. On timeout the error says what is not ready and why.
pub async fn wait_for_rollout<W: Workload>(
    conn: &Connection,
    namespace: &str,
    name: &str,
    timeout: Duration,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let api: Api<W> = Api::namespaced(conn.client.clone(), namespace);
    let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let mut last: Option<W> = None;
    let watch = async {
        let mut stream = watcher(api, config)
            .default_backoff()
            .applied_objects()
            .boxed();
        while let Some(object) = stream.try_next().await? {
            let rollout = object.rollout();
            progress.detail(&format!(
                "{} {namespace}/{name}: {}",
                W::NOUN,
                rollout.message
            ));
            last = Some(object);
            if rollout.done {
                return Ok(());
            }
        }
        Ok::<(), watcher::Error>(())
    };
    match tokio::time::timeout(timeout, watch).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(watch_error(e, conn))
            .map_err(|e| e.context(format!("watching {} {namespace}/{name}", W::NOUN))),
        Err(_) => {
            let Some(object) = last else {
                return Err(UserError::failure(format!(
                    "{} {namespace}/{name} did not appear within {}",
                    W::NOUN,
                    crate::duration::human(timeout)
                ))
                .into());
            };
            let mut reasons = vec![object.rollout().message];
            if let Some(selector) = object.selector() {
                reasons.extend(
                    explain_pods(conn, namespace, &label_selector(selector))
                        .await
                        .unwrap_or_default(),
                );
            }
            Err(UserError::failure(format!(
                "{} {namespace}/{name} is not ready after {}: {}",
                W::NOUN,
                crate::duration::human(timeout),
                reasons.join("; ")
            ))
            .with_hint("fix the cause above (image name, registry access, resources), or allow more time with --timeout")
            .into())
        }
    }
}

fn watch_error(error: watcher::Error, conn: &Connection) -> anyhow::Error {
    match error {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => super::explain(e, &conn.server),
        other => anyhow::anyhow!("{other}"),
    }
}

/// `matchLabels` (and simple `matchExpressions`) as a label selector string.
pub fn label_selector(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for expr in selector.match_expressions.iter().flatten() {
        let values = expr.values.clone().unwrap_or_default().join(",");
        parts.push(match expr.operator.as_str() {
            "In" => format!("{} in ({values})", expr.key),
            "NotIn" => format!("{} notin ({values})", expr.key),
            "Exists" => expr.key.clone(),
            "DoesNotExist" => format!("!{}", expr.key),
            _ => continue,
        });
    }
    parts.join(",")
}

/// One sentence per pod that is not ready: phase, waiting/terminated reasons, scheduling problems and
/// the latest warning event.
pub async fn explain_pods(
    conn: &Connection,
    namespace: &str,
    selector: &str,
) -> anyhow::Result<Vec<String>> {
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), namespace);
    let list = pods
        .list(&ListParams::default().labels(selector))
        .await
        .explain_while(&conn.server, || format!("listing pods in {namespace}"))?;
    let events: Api<Event> = Api::namespaced(conn.client.clone(), namespace);
    let warnings = events
        .list(&ListParams::default().fields("type=Warning"))
        .await
        .map(|l| l.items)
        .unwrap_or_default();
    let mut latest_warning: BTreeMap<String, String> = BTreeMap::new();
    for event in warnings {
        let name = event.involved_object.name.clone().unwrap_or_default();
        let text = format!(
            "{}: {}",
            event.reason.unwrap_or_default(),
            event.message.unwrap_or_default()
        );
        latest_warning.insert(name, text);
    }
    let mut out = Vec::new();
    for pod in list.items {
        if let Some(problem) = pod_problem(&pod) {
            let name = pod.metadata.name.clone().unwrap_or_default();
            let mut line = format!("pod {name}: {problem}");
            if let Some(warning) = latest_warning.get(&name)
                && !problem.contains(warning.as_str())
            {
                line.push_str(&format!(" (event {warning})"));
            }
            out.push(line);
        }
    }
    Ok(out)
}

/// Why a pod is not ready, or None when it is.
pub fn pod_problem(pod: &Pod) -> Option<String> {
    let status = pod.status.as_ref()?;
    let ready = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    if ready {
        return None;
    }
    let phase = status.phase.clone().unwrap_or_else(|| "Pending".into());
    let containers = status
        .init_container_statuses
        .iter()
        .flatten()
        .chain(status.container_statuses.iter().flatten());
    for cs in containers {
        if let Some(state) = &cs.state {
            if let Some(w) = &state.waiting {
                let reason = w.reason.clone().unwrap_or_else(|| "Waiting".into());
                let message = w
                    .message
                    .clone()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                return Some(format!(
                    "container {} is waiting: {reason}{message}",
                    cs.name
                ));
            }
            if let Some(t) = &state.terminated
                && t.exit_code != 0
            {
                let reason = t.reason.clone().unwrap_or_else(|| "Error".into());
                return Some(format!(
                    "container {} terminated: {reason} (exit code {})",
                    cs.name, t.exit_code
                ));
            }
        }
    }
    if let Some(cond) = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
    {
        let message = cond.message.clone().unwrap_or_default();
        return Some(format!("{phase}, not scheduled: {message}"));
    }
    Some(format!("{phase}, not ready"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(value: serde_json::Value) -> Deployment {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn deployment_rollout_follows_kubectl() {
        let mut d = deployment(json!({
            "metadata": {"name": "web", "generation": 2},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {}},
            "status": {"observedGeneration": 1}
        }));
        assert!(d.rollout().message.contains("observed"));
        d.status.as_mut().unwrap().observed_generation = Some(2);
        d.status.as_mut().unwrap().updated_replicas = Some(2);
        d.status.as_mut().unwrap().replicas = Some(3);
        assert_eq!(
            d.rollout().message,
            "1 old replicas are pending termination"
        );
        d.status.as_mut().unwrap().replicas = Some(2);
        d.status.as_mut().unwrap().available_replicas = Some(1);
        assert_eq!(d.rollout().message, "1 of 2 updated replicas are available");
        d.status.as_mut().unwrap().available_replicas = Some(2);
        assert!(d.rollout().done);
    }

    #[test]
    fn selectors_render_like_kubectl() {
        let selector: LabelSelector = serde_json::from_value(json!({
            "matchLabels": {"app": "web", "version": "v1"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(
            label_selector(&selector),
            "app=web,version=v1,tier in (a,b),!x"
        );
    }

    #[test]
    fn pod_problems_name_the_reason() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "op-1"},
            "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}],
                "containerStatuses": [{"name": "istio-operator", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"x\""}}}]}
        }))
        .unwrap();
        assert_eq!(
            pod_problem(&pod).unwrap(),
            "container istio-operator is waiting: ImagePullBackOff: Back-off pulling image \"x\""
        );
        let ready: Pod = serde_json::from_value(
            json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
        )
        .unwrap();
        assert!(pod_problem(&ready).is_none());
    }
}
