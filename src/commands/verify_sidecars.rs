//! `rigger verify-sidecars`: prove that every pod in scope carries a ready Istio proxy, and say why not
//! where it does not. One paginated list of pods per scope, plus one list of namespaces and one of
//! webhooks, however many pods there are.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration;
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Namespace, Pod, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ListMeta, ObjectMeta, Time};
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, watcher};
use serde::{Deserialize, Serialize};

use crate::cli::{OutputFormat, VerifySidecarsArgs};
use crate::cluster::{Connection, KubeResultExt};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::sidecar::{self, Injectors, SidecarStatus, Summary, Verdict};
use crate::output::{Show, Style, table};

const PAGE_SIZE: u32 = 500;

#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    pub summary: Summary,
    pub pods: Vec<SidecarStatus>,
}

/// Which pods to look at.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Namespaces(Vec<String>),
}

pub async fn run(args: &VerifySidecarsArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Table, Json, Yaml], Table)?;
    let conn = ctx.connection().await?;
    let scope = if args.all_namespaces {
        if !args.namespaces.is_empty() {
            return Err(UserError::input("give namespaces or -A, not both").into());
        }
        Scope::All
    } else if args.namespaces.is_empty() {
        Scope::Namespaces(vec![ctx.namespace().await?])
    } else {
        Scope::Namespaces(args.namespaces.clone())
    };
    let selector = args.selector.clone().unwrap_or_default();
    let mut report = check(conn, &scope, &selector).await?;
    if args.wait && !report.ok {
        let reporter = ctx.printer.reporter();
        report =
            wait_until_meshed(conn, &scope, &selector, args.timeout, &reporter, report).await?;
        reporter.finish();
    }
    ctx.printer.show(&report, format)?;
    Ok(if report.ok {
        Exit::Success
    } else {
        Exit::ChecksFailed
    })
}

/// Lists everything once and judges every pod.
pub async fn check(conn: &Connection, scope: &Scope, selector: &str) -> anyhow::Result<Report> {
    let namespaces = list_namespaces(conn).await?;
    let injectors = list_injectors(conn).await?;
    let mut pods = Vec::new();
    match scope {
        Scope::All => pods.extend(list_pods(conn, None, selector, &namespaces, &injectors).await?),
        Scope::Namespaces(names) => {
            for name in names {
                if !namespaces.contains_key(name) {
                    return Err(
                        UserError::input(format!("namespace \"{name}\" does not exist")).into(),
                    );
                }
                pods.extend(list_pods(conn, Some(name), selector, &namespaces, &injectors).await?);
            }
        }
    }
    pods.sort_by(|a, b| (&a.namespace, &a.pod).cmp(&(&b.namespace, &b.pod)));
    let summary = Summary::of(&pods);
    Ok(Report {
        ok: summary.ok(),
        summary,
        pods,
    })
}

async fn list_namespaces(conn: &Connection) -> anyhow::Result<BTreeMap<String, Namespace>> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let list = api
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || "listing namespaces".into())?;
    Ok(list
        .items
        .into_iter()
        .map(|n| (n.metadata.name.clone().unwrap_or_default(), n))
        .collect())
}

/// The sidecar injector webhooks, by revision.
pub async fn list_injectors(conn: &Connection) -> anyhow::Result<Injectors> {
    let api: Api<MutatingWebhookConfiguration> = Api::all(conn.client.clone());
    let list = api
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || {
            "listing mutating webhooks to find the sidecar injector".into()
        })?;
    let mut injectors = Injectors::default();
    for mwc in list.items {
        let is_injector = mwc
            .metadata
            .name
            .as_deref()
            .is_some_and(|n| n.contains("sidecar-injector"))
            || mwc
                .webhooks
                .iter()
                .flatten()
                .any(|w| w.name.ends_with("sidecar-injector.istio.io"));
        if !is_injector {
            continue;
        }
        let revision = mwc
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(sidecar::REVISION_LABEL))
            .cloned()
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "default".into());
        injectors
            .revisions
            .insert(revision, mwc.metadata.creation_timestamp.clone());
    }
    Ok(injectors)
}

/// One paginated list; keeps only the verdicts, not the pods. Each page is decoded into just the
/// fields a verdict needs ([`LeanPod`]): an injected pod's environment, volumes and probes are
/// skipped by the parser instead of being built into full `Pod` objects and thrown away.
async fn list_pods(
    conn: &Connection,
    namespace: Option<&str>,
    selector: &str,
    namespaces: &BTreeMap<String, Namespace>,
    injectors: &Injectors,
) -> anyhow::Result<Vec<SidecarStatus>> {
    let api: Api<Pod> = match namespace {
        Some(ns) => Api::namespaced(conn.client.clone(), ns),
        None => Api::all(conn.client.clone()),
    };
    let request = kube::core::Request::new(api.resource_url());
    let mut params = ListParams::default().limit(PAGE_SIZE);
    if !selector.is_empty() {
        params = params.labels(selector);
    }
    let what = || match namespace {
        Some(ns) => format!("listing pods in {ns}"),
        None => "listing pods in all namespaces".into(),
    };
    let mut out = Vec::new();
    loop {
        let http = request
            .list(&params)
            .map_err(kube::Error::BuildRequest)
            .explain_while(&conn.server, what)?;
        let page: LeanList = conn
            .client
            .request(http)
            .await
            .explain_while(&conn.server, what)?;
        for lean in page.items {
            let pod = lean.into_pod();
            let ns = pod.metadata.namespace.as_deref().unwrap_or_default();
            out.push(sidecar::assess(&pod, namespaces.get(ns), injectors));
        }
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    Ok(out)
}

/// A page of pods as the API returns it, with only the parts a verdict reads.
#[derive(Deserialize)]
struct LeanList {
    metadata: ListMeta,
    #[serde(default)]
    items: Vec<LeanPod>,
}

#[derive(Deserialize)]
struct LeanPod {
    metadata: LeanMeta,
    #[serde(default)]
    spec: LeanSpec,
    #[serde(default)]
    status: LeanStatus,
}

/// Metadata without managedFields, which can be larger than the rest of a pod's metadata.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeanMeta {
    name: Option<String>,
    namespace: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct LeanSpec {
    #[serde(default)]
    containers: Vec<LeanContainer>,
    #[serde(default)]
    init_containers: Vec<LeanContainer>,
    host_network: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeanContainer {
    name: String,
    image: Option<String>,
    restart_policy: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct LeanStatus {
    phase: Option<String>,
    #[serde(default)]
    container_statuses: Vec<LeanContainerStatus>,
    #[serde(default)]
    init_container_statuses: Vec<LeanContainerStatus>,
}

#[derive(Deserialize)]
struct LeanContainerStatus {
    name: String,
    #[serde(default)]
    ready: bool,
}

impl LeanPod {
    /// A `Pod` carrying only what was read.
    fn into_pod(self) -> Pod {
        let m = self.metadata;
        let container = |c: LeanContainer| Container {
            name: c.name,
            image: c.image,
            restart_policy: c.restart_policy,
            ..Container::default()
        };
        let statuses = |list: Vec<LeanContainerStatus>| {
            Some(
                list.into_iter()
                    .map(|s| ContainerStatus {
                        name: s.name,
                        ready: s.ready,
                        ..ContainerStatus::default()
                    })
                    .collect(),
            )
        };
        Pod {
            metadata: ObjectMeta {
                name: m.name,
                namespace: m.namespace,
                labels: m.labels,
                annotations: m.annotations,
                creation_timestamp: m.creation_timestamp,
                deletion_timestamp: m.deletion_timestamp,
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                containers: self.spec.containers.into_iter().map(container).collect(),
                init_containers: Some(
                    self.spec
                        .init_containers
                        .into_iter()
                        .map(container)
                        .collect(),
                ),
                host_network: self.spec.host_network,
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: self.status.phase,
                container_statuses: statuses(self.status.container_statuses),
                init_container_statuses: statuses(self.status.init_container_statuses),
                ..PodStatus::default()
            }),
        }
    }
}

impl Report {
    /// True when nothing more can be expected: every pod is fine, or the only ones failing are pods
    /// nobody will restart (`left_alone`: namespace and name).
    pub fn settled(&self, left_alone: &BTreeSet<(String, String)>) -> bool {
        self.ok
            || self
                .pods
                .iter()
                .filter(|p| p.verdict.is_failure())
                .all(|p| left_alone.contains(&(p.namespace.clone(), p.pod.clone())))
    }
}

/// Watches pods in scope until every one that should be meshed is, or the time runs out.
pub async fn wait_until_meshed(
    conn: &Connection,
    scope: &Scope,
    selector: &str,
    timeout: Duration,
    progress: &dyn crate::progress::Progress,
    report: Report,
) -> anyhow::Result<Report> {
    wait_until_settled(
        conn,
        scope,
        selector,
        timeout,
        progress,
        report,
        &BTreeSet::new(),
    )
    .await
}

/// Like [`wait_until_meshed`], but also stops once the only pods still lacking a ready sidecar are
/// in `left_alone` (pods deliberately not restarted, which will never change on their own).
pub async fn wait_until_settled(
    conn: &Connection,
    scope: &Scope,
    selector: &str,
    timeout: Duration,
    progress: &dyn crate::progress::Progress,
    mut report: Report,
    left_alone: &BTreeSet<(String, String)>,
) -> anyhow::Result<Report> {
    if report.settled(left_alone) {
        warn_left_alone(&report, progress);
        return Ok(report);
    }
    let api: Api<Pod> = match scope {
        Scope::All => Api::all(conn.client.clone()),
        Scope::Namespaces(names) if names.len() == 1 => {
            Api::namespaced(conn.client.clone(), &names[0])
        }
        Scope::Namespaces(_) => Api::all(conn.client.clone()),
    };
    let mut config = watcher::Config::default();
    if !selector.is_empty() {
        config = config.labels(selector);
    }
    progress.step("waiting for every pod to carry a ready sidecar");
    let waiting = async {
        let mut events = watcher(api, config).default_backoff().boxed();
        while let Some(event) = events.try_next().await? {
            // Any change may settle it: re-judge the whole scope from one fresh list per scope.
            if matches!(
                event,
                watcher::Event::InitDone | watcher::Event::Apply(_) | watcher::Event::Delete(_)
            ) {
                report = check(conn, scope, selector).await?;
                progress.detail(&format!(
                    "{} of {} pods meshed",
                    report.summary.meshed,
                    report.summary.pods - report.summary.opted_out - report.summary.completed
                ));
                if report.settled(left_alone) {
                    warn_left_alone(&report, progress);
                    break;
                }
            }
        }
        Ok::<_, anyhow::Error>(())
    };
    match tokio::time::timeout(timeout, waiting).await {
        Ok(result) => result?,
        Err(_) => progress.warn(&format!(
            "gave up waiting after {}",
            crate::duration::human(timeout)
        )),
    }
    Ok(report)
}

/// Says why a wait ended with pods still lacking a sidecar (they were left alone on purpose).
fn warn_left_alone(report: &Report, progress: &dyn crate::progress::Progress) {
    if report.ok {
        return;
    }
    let pods: Vec<String> = report
        .pods
        .iter()
        .filter(|p| p.verdict.is_failure())
        .map(|p| format!("{}/{}", p.namespace, p.pod))
        .collect();
    progress.warn(&format!(
        "stopped waiting: the pods still without a sidecar ({}) were left alone and will not change",
        pods.join(", ")
    ));
}

impl Show for Report {
    fn human(&self, style: &Style) -> String {
        let rows: Vec<Vec<String>> = self
            .pods
            .iter()
            .map(|p| {
                let status = match p.verdict {
                    Verdict::Meshed => style.ok("meshed"),
                    Verdict::ProxyNotReady => style.warn("proxy-not-ready"),
                    Verdict::Missing => style.error("missing"),
                    Verdict::OptedOut => style.dim("opted-out"),
                    Verdict::Completed => style.dim("completed"),
                };
                let proxy = match (&p.proxy_version, p.placement) {
                    (Some(v), Some(sidecar::Placement::NativeSidecar)) => {
                        format!("proxyv2:{v} (native)")
                    }
                    (Some(v), _) => format!("proxyv2:{v}"),
                    (None, Some(_)) => "proxy".into(),
                    (None, None) => "-".into(),
                };
                vec![
                    p.namespace.clone(),
                    p.pod.clone(),
                    status,
                    proxy,
                    p.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let mut out = table::render(&["namespace", "pod", "sidecar", "proxy", "reason"], &rows);
        let s = &self.summary;
        let verdict = if self.ok {
            style.ok("✔ all pods that should be in the mesh are")
        } else {
            style.error("× some pods are not in the mesh")
        };
        out.push_str(&format!(
            "\n{verdict}: {} pods, {} meshed, {} missing a sidecar, {} with a proxy not ready, {} opted out, {} completed\n",
            s.pods, s.meshed, s.missing, s.proxy_not_ready, s.opted_out, s.completed
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The lean page decode gives the same verdicts as decoding whole Pods.
    #[test]
    fn lean_pods_judge_like_full_pods() {
        let pods = json!([
            {"metadata": {"name": "classic", "namespace": "shop", "creationTimestamp": "2026-01-01T00:00:00Z",
                "labels": {"app": "web"}, "annotations": {"sidecar.istio.io/status": "{}"},
                "managedFields": [{"manager": "kubelet", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}}}]},
             "spec": {"containers": [{"name": "web", "image": "web:1", "env": [{"name": "A", "value": "b"}]},
                                     {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.6"}],
                      "volumes": [{"name": "istio-envoy", "emptyDir": {"medium": "Memory"}}]},
             "status": {"phase": "Running", "containerStatuses": [
                {"name": "web", "ready": true, "image": "web:1", "imageID": "", "restartCount": 0},
                {"name": "istio-proxy", "ready": false, "image": "", "imageID": "", "restartCount": 0}]}},
            {"metadata": {"name": "native", "namespace": "shop"},
             "spec": {"containers": [{"name": "web"}],
                      "initContainers": [{"name": "istio-proxy", "image": "istio/proxyv2:1.30.3", "restartPolicy": "Always"}]},
             "status": {"phase": "Running", "initContainerStatuses": [
                {"name": "istio-proxy", "ready": true, "image": "", "imageID": "", "restartCount": 0}]}},
            {"metadata": {"name": "opted", "namespace": "shop", "annotations": {"sidecar.istio.io/inject": "false"}},
             "spec": {"hostNetwork": true, "containers": [{"name": "web"}]}},
            {"metadata": {"name": "done", "namespace": "shop"}, "spec": {"containers": [{"name": "job"}]},
             "status": {"phase": "Succeeded"}}
        ]);
        let ns: Namespace = serde_json::from_value(
            json!({"metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}}}),
        )
        .unwrap();
        let mut injectors = Injectors::default();
        injectors.revisions.insert("default".into(), None);
        let page: LeanList = serde_json::from_value(
            json!({"metadata": {"resourceVersion": "7"}, "items": pods.clone()}),
        )
        .unwrap();
        let full: Vec<Pod> = serde_json::from_value(pods).unwrap();
        assert_eq!(page.items.len(), full.len());
        for (lean, full) in page.items.into_iter().zip(full) {
            let lean = lean.into_pod();
            assert_eq!(
                sidecar::assess(&lean, Some(&ns), &injectors),
                sidecar::assess(&full, Some(&ns), &injectors),
                "{:?}",
                full.metadata.name
            );
        }
    }
}
