//! The direct install of Istio 1.24+ (no operator), like `istioctl install`: render the release's
//! charts (`crate::istio::render`), then apply base → istiod → cni → ztunnel → gateways with
//! server-side apply (field manager `rigger`, owner labels), waiting through watches for CRDs to be
//! Established and Deployments/DaemonSets to roll out before the next component, and prune the
//! labelled objects that are no longer rendered. `verify-install` and `uninstall` find a direct
//! install by its owner labels.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::GroupVersionKind;
use kube::runtime::{WatchStreamExt, watcher};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{InstallArgs, OutputFormat, RenderInputArgs};
use crate::cluster::apply::{Applier, ApplyOptions, Outcome};
use crate::cluster::delete::{self, Deleted};
use crate::cluster::wait::{Workload, wait_for_rollout};
use crate::cluster::{Connection, KubeResultExt, istio};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::direct::{self, OWNED_KINDS, Plan, WaitFor};
use crate::output::checklist::Check;
use crate::output::{Show, Style, table};
use crate::progress::Progress;

/// The render input of `rigger install` for the direct path.
pub fn render_args(args: &InstallArgs) -> RenderInputArgs {
    RenderInputArgs {
        files: args.files.clone(),
        sets: args.sets.clone(),
        profile: args.profile.clone(),
        revision: args.revision.clone(),
        istio_version: args.istio_version.clone(),
        manifests: args.manifests.clone(),
        force: args.force,
    }
}

/// One component in the report.
#[derive(Debug, Serialize)]
pub struct ComponentResult {
    pub component: String,
    pub objects: usize,
    pub created: usize,
    pub configured: usize,
    pub unchanged: usize,
}

/// What the direct install did.
#[derive(Debug, Serialize)]
pub struct DirectReport {
    pub mode: &'static str,
    pub owner: String,
    pub components: Vec<ComponentResult>,
    pub pruned: Vec<Deleted>,
}

impl Show for DirectReport {
    fn human(&self, _: &Style) -> String {
        let mut rows: Vec<Vec<String>> = self
            .components
            .iter()
            .map(|c| {
                let status = if c.created + c.configured == 0 {
                    "unchanged".to_string()
                } else {
                    format!("{} created, {} configured", c.created, c.configured)
                };
                vec![c.component.clone(), c.objects.to_string(), status]
            })
            .collect();
        for p in &self.pruned {
            rows.push(vec![
                "pruned".into(),
                "1".into(),
                format!("{} deleted", p.reference()),
            ]);
        }
        table::render(&["COMPONENT", "OBJECTS", "CHANGES"], &rows)
    }
}

pub async fn install(args: &InstallArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let input = render_args(args);
    // Everything is rendered and checked before the cluster is touched.
    let generated = super::manifest_generate::generate_for_install(&input, ctx).await?;
    if args.dry_run {
        let format = ctx.format(&[Yaml, Json], Yaml)?;
        super::manifest_generate::print(&generated, format, ctx)?;
        return Ok(Exit::Success);
    }
    let format = ctx.format(&[Table, Json, Yaml], Table)?;
    let plan = direct::plan(&generated);
    let conn = ctx.connection().await?;
    let reporter = ctx.printer.reporter();
    let wait = (!args.no_wait).then_some(args.timeout);
    let result = apply_plan(conn, &plan, wait, &reporter).await;
    reporter.finish();
    ctx.printer.show(&result?, format)?;
    Ok(Exit::Success)
}

/// Applies a rendered installation component by component (with `wait`, each waits until ready
/// before the next) and prunes what the render no longer has. Refuses an operator-managed
/// control plane, and writes nothing when an object does not fit the cluster. The step `install`
/// and `up` share.
pub async fn apply_plan(
    conn: &Connection,
    plan: &Plan,
    wait: Option<Duration>,
    progress: &dyn Progress,
) -> anyhow::Result<DirectReport> {
    refuse_operator_install(conn).await?;
    let applier = Applier::new(conn);
    let options = ApplyOptions {
        force: true,
        dry_run: false,
        default_namespace: plan.owner.namespace.clone(),
    };
    // Check every object against the cluster first (kinds served or defined by the CRDs in the
    // render, namespaces existing or created): nothing is written when something is wrong.
    let all: Vec<Value> = plan.objects().cloned().collect();
    applier
        .validate(&super::operator::to_dynamic(&all)?, &options, None)
        .await?;

    progress.step("namespaces");
    applier
        .apply_all(
            &super::operator::to_dynamic(&plan.namespaces)?,
            &options,
            None,
            progress,
        )
        .await?;
    let mut components = Vec::new();
    for phase in &plan.phases {
        progress.step(&format!(
            "{}: applying {} objects",
            phase.title,
            phase.objects.len()
        ));
        let objects = super::operator::to_dynamic(&phase.objects)?;
        let applied = applier
            .apply_all(&objects, &options, None, progress)
            .await?;
        applier.refresh().await;
        if let Some(timeout) = wait {
            for w in &phase.wait {
                wait_for(conn, w, timeout, progress).await?;
            }
        }
        let count = |o: Outcome| applied.iter().filter(|a| a.outcome == o).count();
        let result = ComponentResult {
            component: phase.title.clone(),
            objects: applied.len(),
            created: count(Outcome::Created),
            configured: count(Outcome::Configured),
            unchanged: count(Outcome::Unchanged),
        };
        progress.done(&format!(
            "{} installed ({} created, {} configured, {} unchanged)",
            phase.title, result.created, result.configured, result.unchanged
        ));
        components.push(result);
    }
    let pruned = prune(conn, &applier, plan, progress).await?;
    Ok(DirectReport {
        mode: "direct",
        owner: format!("{}/{}", plan.owner.namespace, plan.owner.name),
        components,
        pruned,
    })
}

/// An operator-managed control plane (an IstioOperator with an in-cluster operator) is not
/// taken over: the two would fight over the same objects.
async fn refuse_operator_install(conn: &Connection) -> anyhow::Result<()> {
    if !istio::crd_installed(conn).await? {
        return Ok(());
    }
    let iops = istio::list_iops(conn, None).await?;
    let operators = istio::find_operators(conn).await?;
    if iops.is_empty() || operators.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = iops
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i.metadata.namespace.as_deref().unwrap_or(""),
                i.metadata.name.as_deref().unwrap_or("")
            )
        })
        .collect();
    Err(UserError::input(format!(
        "this cluster's Istio is managed by the in-cluster operator (IstioOperator {}); \
         a direct install would fight it over the same objects",
        names.join(", ")
    ))
    .with_hint(
        "to migrate: `rigger uninstall --yes` (the operator removes its control plane), then \
         `rigger operator remove --yes`, then run this install again; or keep the operator with \
         `rigger install --mode operator` and an Istio 1.23 tag",
    )
    .into())
}

fn crd_api(conn: &Connection) -> Api<CustomResourceDefinition> {
    Api::all(conn.client.clone())
}

fn established(crd: &CustomResourceDefinition) -> bool {
    crd.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.type_ == "Established" && c.status == "True")
        })
}

async fn wait_for(
    conn: &Connection,
    what: &WaitFor,
    timeout: Duration,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    match what {
        WaitFor::Deployment { namespace, name } => {
            wait_for_rollout::<Deployment>(conn, namespace, name, timeout, progress).await
        }
        WaitFor::DaemonSet { namespace, name } => {
            wait_for_rollout::<DaemonSet>(conn, namespace, name, timeout, progress).await
        }
        WaitFor::Crd(name) => {
            let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
            let watch = async {
                let mut stream = watcher(crd_api(conn), config)
                    .default_backoff()
                    .applied_objects()
                    .boxed();
                while let Some(crd) = stream.try_next().await? {
                    if established(&crd) {
                        return Ok(());
                    }
                }
                Ok::<(), watcher::Error>(())
            };
            match tokio::time::timeout(timeout, watch).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(anyhow::anyhow!(
                    "watching CustomResourceDefinition {name}: {e}"
                )),
                Err(_) => Err(UserError::failure(format!(
                    "CustomResourceDefinition {name} is not Established after {}",
                    crate::duration::human(timeout)
                ))
                .with_hint("check the CRD's status conditions (kubectl describe crd)")
                .into()),
            }
        }
    }
}

/// The kinds to look for labelled objects in: [`OWNED_KINDS`] plus those of the plan.
fn owned_kinds(plan: Option<&Plan>) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = OWNED_KINDS
        .iter()
        .map(|(a, k)| (a.to_string(), k.to_string()))
        .collect();
    for o in plan
        .iter()
        .flat_map(|p| p.phases.iter().flat_map(|ph| ph.objects.iter()))
    {
        let api = o
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let kind = o
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if !kinds.iter().any(|(a, k)| *a == api && *k == kind) {
            kinds.push((api, kind));
        }
    }
    kinds
}

/// Every live object carrying the owner labels (`selector`), as JSON.
async fn owned_objects(
    conn: &Connection,
    applier: &Applier<'_>,
    selector: &str,
    plan: Option<&Plan>,
) -> anyhow::Result<Vec<Value>> {
    let mut out = Vec::new();
    for (api_version, kind) in owned_kinds(plan) {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.clone()),
        };
        let gvk = GroupVersionKind {
            group,
            version,
            kind: kind.clone(),
        };
        let Some((resource, _)) = applier.resolve(&gvk).await? else {
            continue;
        };
        let api: Api<DynamicObject> = Api::all_with(conn.client.clone(), &resource);
        let list = api
            .list(&ListParams::default().labels(selector))
            .await
            .explain_while(&conn.server, || {
                format!("listing {kind} labelled {selector}")
            })?;
        for item in list.items {
            // Objects that controllers made from ours (EndpointSlices copy a Service's labels)
            // and objects rigger never applied are not the installation's to delete.
            let owned_by_object = item
                .metadata
                .owner_references
                .as_ref()
                .is_some_and(|r| !r.is_empty());
            let applied_by_rigger = item.metadata.managed_fields.as_ref().is_none_or(|m| {
                m.iter()
                    .any(|f| f.manager.as_deref() == Some(crate::cluster::apply::FIELD_MANAGER))
            });
            if owned_by_object || !applied_by_rigger {
                continue;
            }
            let mut v = serde_json::to_value(&item)?;
            v["apiVersion"] = Value::String(api_version.clone());
            v["kind"] = Value::String(kind.clone());
            out.push(v);
        }
    }
    Ok(out)
}

async fn delete_objects(
    conn: &Connection,
    applier: &Applier<'_>,
    mut objects: Vec<Value>,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<Deleted>> {
    direct::deletion_order(&mut objects);
    let mut deleted = Vec::new();
    for o in &objects {
        let dynamic: DynamicObject = serde_json::from_value(o.clone())?;
        let gvk = crate::cluster::apply::gvk_of(&dynamic)?;
        let Some((resource, caps)) = applier.resolve(&gvk).await? else {
            continue;
        };
        let ns = (caps.scope == kube::discovery::Scope::Namespaced)
            .then(|| dynamic.metadata.namespace.clone())
            .flatten();
        let name = dynamic.metadata.name.clone().unwrap_or_default();
        let d = delete::delete(conn, &resource, ns.as_deref(), &name).await?;
        progress.detail(&format!("{} deleted", d.reference()));
        deleted.push(d);
    }
    Ok(deleted)
}

/// Deletes the labelled objects this render no longer has.
async fn prune(
    conn: &Connection,
    applier: &Applier<'_>,
    plan: &Plan,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<Deleted>> {
    let live = owned_objects(conn, applier, &plan.owner.selector(), Some(plan)).await?;
    let gone: Vec<Value> = direct::prune_candidates(plan, &live)
        .into_iter()
        .cloned()
        .collect();
    if gone.is_empty() {
        return Ok(Vec::new());
    }
    progress.step(&format!(
        "pruning {} objects no longer rendered",
        gone.len()
    ));
    delete_objects(conn, applier, gone, progress).await
}

/// The label selector that finds any direct install (whatever its owner name).
fn any_install_selector() -> String {
    format!("{},{}=Reconcile", direct::OWNING_RESOURCE, direct::MANAGED)
}

/// The objects of direct installs in the cluster (none when Istio came through the operator).
pub async fn installed_objects(conn: &Connection) -> anyhow::Result<Vec<Value>> {
    let applier = Applier::new(conn);
    if !istio::find_operators(conn).await?.is_empty() {
        return Ok(Vec::new());
    }
    owned_objects(conn, &applier, &any_install_selector(), None).await
}

/// `rigger uninstall` for a direct install: deletes every labelled object (CRDs only with
/// `purge`), workloads and webhooks first.
pub async fn uninstall(
    conn: &Connection,
    objects: Vec<Value>,
    purge: bool,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<Deleted>> {
    let applier = Applier::new(conn);
    let objects: Vec<Value> = objects
        .into_iter()
        .filter(|o| {
            purge || o.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition")
        })
        .collect();
    progress.step(&format!(
        "deleting {} objects of the direct install",
        objects.len()
    ));
    delete_objects(conn, &applier, objects, progress).await
}

/// `rigger verify-install` for a direct install: every labelled Deployment and DaemonSet has
/// rolled out, and every labelled CRD is Established.
pub async fn verify(conn: &Connection, objects: &[Value]) -> anyhow::Result<Vec<Check>> {
    let mut checks = Vec::new();
    let owners: std::collections::BTreeSet<String> = objects
        .iter()
        .filter_map(|o| {
            o.pointer("/metadata/labels")
                .and_then(|l| l.get(direct::OWNING_RESOURCE))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    checks.push(Check::ok(
        "install",
        format!(
            "direct install (no operator) by {}: {} objects",
            owners.into_iter().collect::<Vec<_>>().join(", "),
            objects.len()
        ),
    ));
    for o in objects {
        let kind = o.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = o
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let ns = o
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let component = o
            .pointer("/metadata/labels")
            .and_then(|l| l.get(direct::COMPONENT))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let rollout = match kind {
            "Deployment" => Some(
                Api::<Deployment>::namespaced(conn.client.clone(), ns)
                    .get_opt(name)
                    .await
                    .explain_while(&conn.server, || format!("reading deployment {ns}/{name}"))?
                    .map(|d| d.rollout()),
            ),
            "DaemonSet" => Some(
                Api::<DaemonSet>::namespaced(conn.client.clone(), ns)
                    .get_opt(name)
                    .await
                    .explain_while(&conn.server, || format!("reading daemonset {ns}/{name}"))?
                    .map(|d| d.rollout()),
            ),
            "CustomResourceDefinition" => {
                let crd = crd_api(conn)
                    .get_opt(name)
                    .await
                    .explain_while(&conn.server, || format!("reading CRD {name}"))?;
                if !crd.as_ref().is_some_and(established) {
                    checks.push(Check::failed(
                        &component,
                        format!("CustomResourceDefinition {name} is not Established"),
                        "check the CRD's status conditions",
                    ));
                }
                None
            }
            _ => None,
        };
        match rollout {
            Some(Some(r)) if r.done => checks.push(Check::ok(
                &component,
                format!("{} {ns}/{name}: {}", kind.to_lowercase(), r.message),
            )),
            Some(Some(r)) => checks.push(Check::failed(
                &component,
                format!("{} {ns}/{name}: {}", kind.to_lowercase(), r.message),
                "see `kubectl describe` for the pods, or run `rigger install` again",
            )),
            Some(None) => checks.push(Check::failed(
                &component,
                format!("{} {ns}/{name} is missing", kind.to_lowercase()),
                "run `rigger install` again",
            )),
            None => {}
        }
    }
    Ok(checks)
}
