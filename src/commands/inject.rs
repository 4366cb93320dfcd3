//! `rigger inject enable|disable NAMESPACE...`: label namespaces for sidecar injection (or remove the
//! labels) and restart what needs it, so running pods actually change. Re-running does nothing new.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Namespace, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::{InjectArgs, InjectCommand, InjectToggleArgs, OutputFormat, RestartStrategy};
use crate::cluster::wait::{self, Workload};
use crate::cluster::{Connection, KubeResultExt};
use crate::commands::verify_sidecars::{self, Scope};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::sidecar::{self, INJECTION_LABEL, REVISION_LABEL};
use crate::output::{Show, Style};
use crate::progress::Progress;

pub async fn run(args: &InjectArgs, ctx: &Context) -> anyhow::Result<Exit> {
    match &args.command {
        InjectCommand::Enable(a) => toggle(a, true, ctx).await,
        InjectCommand::Disable(a) => toggle(a, false, ctx).await,
    }
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceResult {
    pub namespace: String,
    /// The labels as they are (or would be) afterwards.
    pub labels: BTreeMap<String, String>,
    pub labels_changed: bool,
    /// Workloads restarted (`deployment/web`).
    pub restarted: Vec<String>,
    pub deleted_pods: Vec<String>,
    /// Pods without an owner that were left alone.
    pub bare_pods_left: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InjectReport {
    pub enabled: bool,
    pub dry_run: bool,
    pub namespaces: Vec<NamespaceResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<verify_sidecars::Report>,
}

impl Show for InjectReport {
    fn human(&self, style: &Style) -> String {
        let mut out = String::new();
        let would = if self.dry_run { "would be " } else { "" };
        for ns in &self.namespaces {
            let labels: Vec<String> = ns
                .labels
                .iter()
                .filter(|(k, _)| *k == INJECTION_LABEL || *k == REVISION_LABEL)
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let state = if labels.is_empty() {
                "no injection labels".to_string()
            } else {
                labels.join(", ")
            };
            let changed = if ns.labels_changed {
                format!("labels {would}updated")
            } else {
                "labels unchanged".into()
            };
            out.push_str(&format!(
                "{} namespace {}: {state} ({changed})\n",
                style.ok("✔"),
                ns.namespace
            ));
            for w in &ns.restarted {
                out.push_str(&format!("  {w} {would}restarted\n"));
            }
            for p in &ns.deleted_pods {
                out.push_str(&format!("  pod/{p} {would}deleted\n"));
            }
            for p in &ns.bare_pods_left {
                out.push_str(&format!("  pod/{p} has no owner and was left alone (`--restart delete-pods --include-bare-pods` deletes it)\n"));
            }
        }
        if let Some(report) = &self.sidecars {
            out.push_str(&report.human(style));
        }
        out
    }
}

async fn toggle(args: &InjectToggleArgs, enable: bool, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let reporter = ctx.printer.reporter();
    let report = toggle_namespaces(conn, args, enable, &reporter).await?;
    reporter.finish();
    let ok = report.sidecars.as_ref().is_none_or(|r| r.ok);
    match format {
        Text => ctx
            .printer
            .data(&report.human(&ctx.printer.stdout_style()))?,
        other => ctx.printer.show(&report, other)?,
    }
    Ok(if ok {
        Exit::Success
    } else {
        Exit::ChecksFailed
    })
}

/// Labels (or unlabels) the namespaces and restarts what needs it; with `wait`, also waits for every
/// pod to carry a sidecar. Checks every namespace and the injector before changing anything.
pub async fn toggle_namespaces(
    conn: &Connection,
    args: &InjectToggleArgs,
    enable: bool,
    progress: &dyn Progress,
) -> anyhow::Result<InjectReport> {
    let revision = args
        .revision
        .clone()
        .filter(|r| !r.is_empty() && r != "default");
    let namespaces_api: Api<Namespace> = Api::all(conn.client.clone());
    let mut namespaces = Vec::new();
    for name in &args.namespaces {
        let ns = namespaces_api
            .get_opt(name)
            .await
            .explain_while(&conn.server, || format!("reading namespace {name}"))?
            .ok_or_else(|| UserError::input(format!("namespace \"{name}\" does not exist")))?;
        namespaces.push(ns);
    }
    if enable {
        require_injector(conn, revision.as_deref()).await?;
    }
    let mut results = Vec::new();
    for ns in &namespaces {
        results
            .push(toggle_namespace(conn, ns, enable, revision.as_deref(), args, progress).await?);
    }
    let mut sidecars = None;
    if args.wait && enable && !args.dry_run {
        let scope = Scope::Namespaces(args.namespaces.clone());
        // Bare pods left alone never get a sidecar: do not wait the whole timeout for them.
        let left_alone: BTreeSet<(String, String)> = results
            .iter()
            .flat_map(|r| {
                r.bare_pods_left
                    .iter()
                    .map(|p| (r.namespace.clone(), p.clone()))
            })
            .collect();
        let report = verify_sidecars::check(conn, &scope, "").await?;
        let report = verify_sidecars::wait_until_settled(
            conn,
            &scope,
            "",
            args.timeout,
            progress,
            report,
            &left_alone,
        )
        .await?;
        sidecars = Some(report);
    }
    Ok(InjectReport {
        enabled: enable,
        dry_run: args.dry_run,
        namespaces: results,
        sidecars,
    })
}

/// Refuses when nothing would inject: no injector webhook (for the revision) or no istiod.
async fn require_injector(conn: &Connection, revision: Option<&str>) -> anyhow::Result<()> {
    let injectors = verify_sidecars::list_injectors(conn).await?;
    let wanted = revision.unwrap_or("default");
    if !injectors.any() {
        return Err(UserError::failure(
            "no sidecar injector is installed in this cluster, so labelling would change nothing",
        )
        .with_hint("install Istio first (`rigger install`), then run this again")
        .into());
    }
    if !injectors.revisions.contains_key(wanted) {
        let known: Vec<&str> = injectors.revisions.keys().map(String::as_str).collect();
        return Err(UserError::input(format!(
            "no sidecar injector for revision \"{wanted}\"; installed: {}",
            known.join(", ")
        ))
        .with_hint("pass --revision with one of the installed revisions")
        .into());
    }
    let istiod: Api<Deployment> = Api::all(conn.client.clone());
    let found = istiod
        .list_metadata(&ListParams::default().labels("app=istiod").limit(1))
        .await
        .explain_while(&conn.server, || "looking for istiod".into())?;
    if found.items.is_empty() {
        return Err(UserError::failure(
            "the sidecar injector webhook exists but no istiod Deployment serves it",
        )
        .with_hint("reinstall the control plane (`rigger install`)")
        .into());
    }
    Ok(())
}

/// The label changes that make a namespace ask for (or stop asking for) injection.
pub fn label_patch(
    labels: &BTreeMap<String, String>,
    enable: bool,
    revision: Option<&str>,
) -> BTreeMap<String, Value> {
    let mut patch = BTreeMap::new();
    let mut set = |key: &str, value: Option<&str>| {
        let current = labels.get(key).map(String::as_str);
        if current != value {
            patch.insert(
                key.to_string(),
                value.map_or(Value::Null, |v| Value::String(v.into())),
            );
        }
    };
    match (enable, revision) {
        (true, None) => {
            set(INJECTION_LABEL, Some("enabled"));
            set(REVISION_LABEL, None);
        }
        (true, Some(rev)) => {
            set(INJECTION_LABEL, None);
            set(REVISION_LABEL, Some(rev));
        }
        (false, _) => {
            set(INJECTION_LABEL, None);
            set(REVISION_LABEL, None);
        }
    }
    patch
}

async fn toggle_namespace(
    conn: &Connection,
    ns: &Namespace,
    enable: bool,
    revision: Option<&str>,
    args: &InjectToggleArgs,
    progress: &dyn Progress,
) -> anyhow::Result<NamespaceResult> {
    let name = ns.metadata.name.clone().unwrap_or_default();
    let mut labels = ns.metadata.labels.clone().unwrap_or_default();
    let patch = label_patch(&labels, enable, revision);
    for (k, v) in &patch {
        match v.as_str() {
            Some(v) => labels.insert(k.clone(), v.to_string()),
            None => labels.remove(k),
        };
    }
    let mut result = NamespaceResult {
        namespace: name.clone(),
        labels,
        labels_changed: !patch.is_empty(),
        ..Default::default()
    };
    if !patch.is_empty() && !args.dry_run {
        progress.step(&format!("labelling namespace {name}"));
        let api: Api<Namespace> = Api::all(conn.client.clone());
        api.patch(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": patch}})),
        )
        .await
        .explain_while(&conn.server, || format!("labelling namespace {name}"))?;
    }
    if args.restart == RestartStrategy::None {
        return Ok(result);
    }
    // Pods whose sidecar state disagrees with what the namespace now asks for.
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), &name);
    let pod_list = pods
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || format!("listing pods in {name}"))?
        .items;
    let stale: Vec<&Pod> = pod_list
        .iter()
        .filter(|p| needs_restart(p, enable))
        .collect();
    if stale.is_empty() {
        return Ok(result);
    }
    match args.restart {
        RestartStrategy::Rollout => {
            // Restart every workload first, then follow all the rollouts at once: the cluster rolls
            // them in parallel, so the wait is the slowest rollout, not their sum.
            let deployments =
                restart_workloads::<Deployment>(conn, &name, &stale, args, progress).await?;
            let statefulsets =
                restart_workloads::<StatefulSet>(conn, &name, &stale, args, progress).await?;
            let daemonsets =
                restart_workloads::<DaemonSet>(conn, &name, &stale, args, progress).await?;
            if !args.dry_run {
                futures::future::try_join3(
                    wait_for_rollouts::<Deployment>(conn, &name, &deployments, args, progress),
                    wait_for_rollouts::<StatefulSet>(conn, &name, &statefulsets, args, progress),
                    wait_for_rollouts::<DaemonSet>(conn, &name, &daemonsets, args, progress),
                )
                .await?;
            }
            for (noun, names) in [
                (<Deployment as Workload>::NOUN, deployments),
                (<StatefulSet as Workload>::NOUN, statefulsets),
                (<DaemonSet as Workload>::NOUN, daemonsets),
            ] {
                result
                    .restarted
                    .extend(names.into_iter().map(|n| format!("{noun}/{n}")));
            }
            result.bare_pods_left = stale
                .iter()
                .filter(|p| {
                    p.metadata
                        .owner_references
                        .as_ref()
                        .is_none_or(|o| o.is_empty())
                })
                .filter_map(|p| p.metadata.name.clone())
                .collect();
        }
        RestartStrategy::DeletePods => {
            for pod in stale {
                let pod_name = pod.metadata.name.clone().unwrap_or_default();
                let owned = pod
                    .metadata
                    .owner_references
                    .as_ref()
                    .is_some_and(|o| !o.is_empty());
                if !owned && !args.include_bare_pods {
                    result.bare_pods_left.push(pod_name);
                    continue;
                }
                if !args.dry_run {
                    progress.detail(&format!("deleting pod {name}/{pod_name}"));
                    pods.delete(&pod_name, &DeleteParams::default())
                        .await
                        .explain_while(&conn.server, || {
                            format!("deleting pod {name}/{pod_name}")
                        })?;
                }
                result.deleted_pods.push(pod_name);
            }
        }
        RestartStrategy::None => {}
    }
    Ok(result)
}

/// A running pod needs a restart when its sidecar does not match the wish, unless it opted out.
fn needs_restart(pod: &Pod, enable: bool) -> bool {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    if matches!(phase, "Succeeded" | "Failed") || pod.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let has_proxy = sidecar::find_proxy(pod).is_some();
    if enable {
        !has_proxy && sidecar::opt_out_reason(pod).is_none()
    } else {
        has_proxy
    }
}

fn selects(selector: &LabelSelector, pod: &Pod) -> bool {
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    let match_labels_ok = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let has_rules = selector
        .match_labels
        .as_ref()
        .is_some_and(|m| !m.is_empty())
        || selector
            .match_expressions
            .as_ref()
            .is_some_and(|e| !e.is_empty());
    let expressions_ok = selector.match_expressions.iter().flatten().all(|e| {
        let value = labels.get(&e.key);
        let values = e.values.clone().unwrap_or_default();
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    has_rules && match_labels_ok && expressions_ok
}

/// Restarts (like `kubectl rollout restart`) every workload of kind W that selects a stale pod; returns
/// their names.
async fn restart_workloads<W>(
    conn: &Connection,
    namespace: &str,
    stale: &[&Pod],
    args: &InjectToggleArgs,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<String>>
where
    W: Workload + serde::Serialize,
{
    let api: Api<W> = Api::namespaced(conn.client.clone(), namespace);
    let workloads = api
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || {
            format!("listing {}s in {namespace}", W::NOUN)
        })?;
    let mut restarted = Vec::new();
    let now = jiff_like_now();
    for workload in workloads.items {
        let Some(selector) = workload.selector() else {
            continue;
        };
        if !stale.iter().any(|p| selects(selector, p)) {
            continue;
        }
        let name = workload.meta().name.clone().unwrap_or_default();
        restarted.push(name.clone());
        if args.dry_run {
            continue;
        }
        progress.step(&format!("restarting {} {namespace}/{name}", W::NOUN));
        let patch = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": now}}}}});
        api.patch(&name, &PatchParams::default(), &Patch::Strategic(patch))
            .await
            .explain_while(&conn.server, || {
                format!("restarting {} {namespace}/{name}", W::NOUN)
            })?;
    }
    Ok(restarted)
}

/// Waits for the rollouts of the named workloads of kind W, all at once.
async fn wait_for_rollouts<W: Workload>(
    conn: &Connection,
    namespace: &str,
    names: &[String],
    args: &InjectToggleArgs,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    futures::future::try_join_all(names.iter().map(|name| async move {
        wait::wait_for_rollout::<W>(conn, namespace, name, args.timeout, progress).await?;
        progress.done(&format!("{}/{name} rolled out", W::NOUN));
        Ok::<_, anyhow::Error>(())
    }))
    .await?;
    Ok(())
}

/// RFC 3339 timestamp of now, as `kubectl rollout restart` writes it.
fn jiff_like_now() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn enabling_sets_the_label_and_drops_a_conflicting_revision() {
        let patch = label_patch(&labels(&[("istio.io/rev", "canary")]), true, None);
        assert_eq!(patch.get(INJECTION_LABEL), Some(&json!("enabled")));
        assert_eq!(patch.get(REVISION_LABEL), Some(&Value::Null));
    }

    #[test]
    fn revisions_replace_the_plain_label() {
        let patch = label_patch(
            &labels(&[("istio-injection", "enabled")]),
            true,
            Some("canary"),
        );
        assert_eq!(patch.get(INJECTION_LABEL), Some(&Value::Null));
        assert_eq!(patch.get(REVISION_LABEL), Some(&json!("canary")));
    }

    #[test]
    fn nothing_to_do_when_already_labelled() {
        assert!(label_patch(&labels(&[("istio-injection", "enabled")]), true, None).is_empty());
        assert!(label_patch(&labels(&[]), false, None).is_empty());
    }
}
