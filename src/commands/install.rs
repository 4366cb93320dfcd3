//! `rigger install`: read and check IstioOperator input, apply it, and follow the operator's
//! reconcile (a watch on the IstioOperator's status, the operator's log lines under the progress
//! display) until the control plane is HEALTHY, then show each component.
//!
//! Mode choice: Istio <= 1.23 installs through the in-cluster operator (this file). Istio 1.24 and
//! newer have no operator; [`choose_mode`] is the single place that decides, so the direct
//! chart-render path plugs in there.

use std::time::Duration;

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams, LogParams};
use serde::Serialize;
use serde_json::json;

use crate::cli::{InstallArgs, InstallMode, OutputFormat};
use crate::cluster::apply::{Applier, ApplyOptions, Outcome};
use crate::cluster::wait::{Workload, explain_pods, label_selector};
use crate::cluster::{Connection, KubeResultExt, istio};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::iop::profiles::{Component, Workload as ComponentWorkload};
use crate::istio::iop::{self, Input, InputFile, IstioOperator};
use crate::istio::operator;
use crate::output::{Show, Style, table};
use crate::progress::Progress;

/// How the control plane gets installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Through the in-cluster operator (Istio <= 1.23).
    Operator,
    /// Rendering the release's charts and applying them (Istio >= 1.24), in `install_direct`.
    Direct,
}

/// Whether an Istio version is installed from its charts (1.24 and newer, and `latest`, which is
/// newer than the last operator release) rather than through the operator.
pub fn is_direct_version(version: &str) -> bool {
    version.eq_ignore_ascii_case("latest") || operator::check_operator_tag(version).is_err()
}

/// The mode the flags decide before any input is read: `--mode`, else `--istio-version`
/// (>= 1.24 is direct), else `--manifests` (a local release: direct). `None` leaves it to the
/// IstioOperator's tag ([`choose_mode`]). The operator with Istio >= 1.24 is refused.
pub fn mode_from_flags(args: &InstallArgs) -> anyhow::Result<Option<Mode>> {
    match (args.mode, &args.istio_version) {
        (Some(InstallMode::Direct), _) => Ok(Some(Mode::Direct)),
        (Some(InstallMode::Operator), Some(v)) if is_direct_version(v) => Err(UserError::input(
            format!(
                "--mode operator with Istio {v}: the in-cluster operator was removed in Istio 1.24"
            ),
        )
        .with_hint(
            "drop --mode operator to install Istio 1.24+ directly, or pick an Istio 1.23 release",
        )
        .into()),
        (Some(InstallMode::Operator), _) => Ok(Some(Mode::Operator)),
        (None, Some(v)) => Ok(Some(if is_direct_version(v) {
            Mode::Direct
        } else {
            Mode::Operator
        })),
        (None, None) if args.manifests.is_some() => Ok(Some(Mode::Direct)),
        (None, None) => Ok(None),
    }
}

/// Picks the install mode for this IstioOperator: a tag of Istio 1.24+ means the direct path
/// (unless `--mode operator` forced the operator, which is refused for such a tag).
pub fn choose_mode(iop: &IstioOperator, forced: Option<Mode>) -> anyhow::Result<Mode> {
    if let Some(tag) = iop.tag()
        && let Err(e) = operator::check_operator_tag(&tag)
    {
        if forced == Some(Mode::Operator) {
            let hint = e.hint();
            return Err(anyhow::Error::new(
                UserError::input(format!("spec.tag {tag}: {e}")).with_hint(hint),
            ));
        }
        return Ok(Mode::Direct);
    }
    Ok(Mode::Operator)
}

/// Reads the `-f` files (`-` is stdin).
pub fn read_files(paths: &[std::path::PathBuf]) -> anyhow::Result<Vec<InputFile>> {
    paths
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            let text = if name == "-" {
                std::io::read_to_string(std::io::stdin())
            } else {
                std::fs::read_to_string(path)
            }
            .map_err(|e| UserError::input(format!("cannot read {name}: {e}")))?;
            Ok(InputFile { name, text })
        })
        .collect()
}

/// Builds the IstioOperator from the command line, as an input error listing every problem.
pub fn build_input(input: &Input) -> anyhow::Result<IstioOperator> {
    iop::build(input).map_err(|errors| {
        UserError::input(errors.to_string())
            .with_hint(
                "fix the input and run the command again; nothing was applied to the cluster",
            )
            .into()
    })
}

pub async fn run(args: &InstallArgs, ctx: &Context) -> anyhow::Result<Exit> {
    match resolve(args, ctx.global.namespace.clone())? {
        Resolved::Operator(iop) => install_with_operator(args, ctx, &iop).await,
        Resolved::Direct => super::install_direct::install(args, ctx).await,
    }
}

/// The install path, decided from the flags and (when they leave it open) the IstioOperator
/// input, read and checked on the way.
pub enum Resolved {
    /// Through the operator, with this IstioOperator.
    Operator(IstioOperator),
    /// Rendering the release's charts (the input is read by the renderer).
    Direct,
}

/// Decides the install path. `namespace` is an explicit `-n` for the IstioOperator.
pub fn resolve(args: &InstallArgs, namespace: Option<String>) -> anyhow::Result<Resolved> {
    let forced = mode_from_flags(args)?;
    if forced == Some(Mode::Direct) {
        return Ok(Resolved::Direct);
    }
    let input = Input {
        files: read_files(&args.files)?,
        profile: args.profile.clone(),
        sets: args.sets.clone(),
        namespace,
    };
    let iop = build_input(&input)?;
    match choose_mode(&iop, forced)? {
        Mode::Operator => Ok(Resolved::Operator(iop)),
        Mode::Direct if args.manifests.is_none() && args.istio_version.is_none() => {
            let tag = iop.tag().unwrap_or_default();
            Err(UserError::input(format!(
                "spec.tag {tag}: Istio {tag} has no operator (it was removed in 1.24); rigger installs it \
                 directly from the release's charts, and needs the release for that"
            ))
            .with_hint(format!(
                "add --istio-version {tag} (downloaded when needed) or --manifests DIR (an unpacked release)"
            ))
            .into())
        }
        Mode::Direct => Ok(Resolved::Direct),
    }
}

/// One component in the final summary.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentReport {
    pub component: String,
    pub name: String,
    pub namespace: String,
    pub status: String,
    pub detail: String,
}

/// What install did.
#[derive(Debug, Serialize)]
pub struct InstallReport {
    pub namespace: String,
    pub name: String,
    pub outcome: Outcome,
    pub status: String,
    pub components: Vec<ComponentReport>,
}

impl Show for InstallReport {
    fn human(&self, _: &Style) -> String {
        let rows: Vec<Vec<String>> = self
            .components
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.namespace.clone(),
                    c.status.clone(),
                    c.detail.clone(),
                ]
            })
            .collect();
        if rows.is_empty() {
            return format!(
                "IstioOperator {}/{} is {} (it enables no components)\n",
                self.namespace, self.name, self.status
            );
        }
        table::render(&["COMPONENT", "NAMESPACE", "STATUS", "DETAIL"], &rows)
    }
}

async fn install_with_operator(
    args: &InstallArgs,
    ctx: &Context,
    iop: &IstioOperator,
) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    if args.dry_run {
        let format = ctx.format(&[Yaml, Json], Yaml)?;
        match format {
            Json => ctx.printer.json(&iop.object)?,
            _ => ctx.printer.data(&crate::yaml::to_go_yaml(&iop.object))?,
        }
        return Ok(Exit::Success);
    }
    let format = ctx.format(&[Table, Json, Yaml], Table)?;
    let conn = ctx.connection().await?;
    let (ns, name) = (iop.namespace(), iop.name());

    // Changing an existing installation is worth a question.
    if changes_live_spec(conn, iop).await?
        && !ctx.printer.confirm_unless_yes(
            &format!("Change the existing installation {ns}/{name}?"),
            args.yes,
        )?
    {
        ctx.printer.info("nothing changed");
        return Ok(Exit::Success);
    }

    let reporter = ctx.printer.reporter();
    let wait = (!args.no_wait).then_some(args.timeout);
    let result = apply_with_operator(conn, iop, wait, &reporter).await;
    reporter.finish();
    let report = result?;
    if wait.is_none() {
        ctx.printer.info(
            "the operator reconciles it in the background; check with `rigger verify-install`",
        );
        if format != Table {
            ctx.printer.show(&report, format)?;
        }
        return Ok(Exit::Success);
    }
    ctx.printer.show(&report, format)?;
    Ok(Exit::Success)
}

/// Whether an IstioOperator of this name already exists with a different spec.
pub async fn changes_live_spec(conn: &Connection, iop: &IstioOperator) -> anyhow::Result<bool> {
    let (ns, name) = (iop.namespace(), iop.name());
    let live = istio::iop_api(conn, Some(ns))
        .get_opt(name)
        .await
        .explain_while(&conn.server, || {
            format!("reading IstioOperator {ns}/{name}")
        })?;
    Ok(live.is_some_and(|live| live.data.get("spec") != Some(iop.spec())))
}

/// Applies the IstioOperator (and its namespace) for the operator to act on and, with `wait`,
/// follows the operator's reconcile until the control plane is HEALTHY, reporting through
/// `progress`. Without `wait` the report's status is UNKNOWN. The step `install` and `up` share.
pub async fn apply_with_operator(
    conn: &Connection,
    iop: &IstioOperator,
    wait: Option<Duration>,
    progress: &dyn Progress,
) -> anyhow::Result<InstallReport> {
    let (ns, name) = (iop.namespace().to_string(), iop.name().to_string());
    let op = find_operator_for(conn, iop).await?;
    // Follow the operator's log from now on, so nothing it says about this apply is missed.
    let logs = match wait {
        Some(_) => operator_log(conn, &op).await,
        None => None,
    };

    progress.step(&format!("applying IstioOperator {ns}/{name}"));
    let objects = super::operator::to_dynamic(&[
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        iop.object.clone(),
    ])?;
    let applied = Applier::new(conn)
        .apply_all(
            &objects,
            &ApplyOptions {
                force: true,
                dry_run: false,
                default_namespace: ns.clone(),
            },
            None,
            progress,
        )
        .await?;
    let applied_iop = applied.last().expect("two objects were applied").clone();
    match applied_iop.outcome {
        Outcome::Unchanged => progress.done(&format!(
            "no changes: IstioOperator {ns}/{name} is already applied as given"
        )),
        outcome => progress.done(&format!("IstioOperator {ns}/{name} {outcome}")),
    }

    let Some(timeout) = wait else {
        return Ok(InstallReport {
            namespace: ns,
            name,
            outcome: applied_iop.outcome,
            status: "UNKNOWN".to_string(),
            components: Vec::new(),
        });
    };

    // The watch below shows each status the operator reports.
    progress.step(&format!(
        "waiting for the operator to reconcile {ns}/{name}"
    ));
    let final_obj = follow_reconcile(
        conn,
        iop,
        applied_iop.outcome,
        applied_iop.resource_version.clone().unwrap_or_default(),
        logs,
        timeout,
        progress,
    )
    .await?;
    let status = istio::iop_status(&final_obj).unwrap_or_default();
    if status != "HEALTHY" {
        return Err(not_healthy(conn, iop, &op, Some(&final_obj), None).await);
    }
    progress.done(&format!(
        "Istio is installed: IstioOperator {ns}/{name} is HEALTHY"
    ));
    let components = summarize(conn, iop, &final_obj).await?;
    Ok(InstallReport {
        namespace: ns,
        name,
        outcome: applied_iop.outcome,
        status,
        components,
    })
}

/// The operator that will reconcile this IstioOperator, or a plain error saying why there is none.
async fn find_operator_for(
    conn: &Connection,
    iop: &IstioOperator,
) -> anyhow::Result<istio::OperatorDeployment> {
    let operators = istio::find_operators(conn).await?;
    let crd = istio::crd_installed(conn).await?;
    if operators.is_empty() || !crd {
        let what = if crd {
            "the IstioOperator CRD is installed but no operator Deployment runs"
        } else {
            "the IstioOperator CRD and the operator are missing"
        };
        return Err(UserError::failure(format!(
            "there is no Istio operator in this cluster ({what}), so nothing would act on the IstioOperator"
        ))
        .with_hint("install the operator first with `rigger operator init`, then run this again")
        .into());
    }
    let ns = iop.namespace();
    let revision = iop.revision();
    let candidates: Vec<&istio::OperatorDeployment> = operators
        .iter()
        .filter(|o| o.watches(ns) && o.revision == revision)
        .collect();
    match candidates.first() {
        Some(op) => Ok((*op).clone()),
        None => {
            let seen: Vec<String> = operators
                .iter()
                .map(|o| {
                    let rev = if o.revision.is_empty() {
                        String::new()
                    } else {
                        format!(", revision {}", o.revision)
                    };
                    format!(
                        "{}/{} watches {}{rev}",
                        o.namespace,
                        o.name,
                        o.watched_namespaces.join(",")
                    )
                })
                .collect();
            let rev = if revision.is_empty() {
                String::new()
            } else {
                format!(" with revision {revision}")
            };
            Err(UserError::failure(format!(
                "no Istio operator watches namespace {ns}{rev}, where this IstioOperator goes ({})",
                seen.join("; ")
            ))
            .with_hint(format!(
                "install the IstioOperator into a watched namespace (-n), or run `rigger operator init --watched-namespaces {ns}{}`",
                if revision.is_empty() { String::new() } else { format!(" --revision {revision}") }
            ))
            .into())
        }
    }
}

type LogLines = std::pin::Pin<Box<dyn futures::Stream<Item = String> + Send>>;

/// A follow=true log stream of the operator's pod (new lines only), or None when it cannot be read.
async fn operator_log(conn: &Connection, op: &istio::OperatorDeployment) -> Option<LogLines> {
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), &op.namespace);
    let selector = format!("{}={}", operator::POD_LABEL.0, operator::POD_LABEL.1);
    let list = pods
        .list(&ListParams::default().labels(&selector))
        .await
        .ok()?;
    let pod = list.items.into_iter().find(|p| {
        p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            && p.metadata.deletion_timestamp.is_none()
    })?;
    let name = pod.metadata.name.clone()?;
    let params = LogParams {
        follow: true,
        tail_lines: Some(0),
        container: Some("istio-operator".to_string()),
        ..LogParams::default()
    };
    let reader = pods.log_stream(&name, &params).await.ok()?;
    Some(reader.lines().filter_map(|l| async move { l.ok() }).boxed())
}

/// Watches the IstioOperator until the operator has answered this apply with HEALTHY, ERROR or
/// ACTION_REQUIRED, showing its log lines and component states meanwhile. Errors on timeout.
async fn follow_reconcile(
    conn: &Connection,
    iop: &IstioOperator,
    outcome: Outcome,
    resource_version: String,
    logs: Option<LogLines>,
    timeout: Duration,
    progress: &dyn Progress,
) -> anyhow::Result<DynamicObject> {
    let (ns, name) = (iop.namespace(), iop.name());
    let terminal = |s: &str| matches!(s, "HEALTHY" | "ERROR" | "ACTION_REQUIRED");
    // Unchanged: the status already describes this spec. Otherwise only the operator's answer to
    // this apply counts, i.e. changes after our resourceVersion.
    if outcome == Outcome::Unchanged {
        let current = istio::iop_api(conn, Some(ns))
            .get(name)
            .await
            .explain_while(&conn.server, || {
                format!("reading IstioOperator {ns}/{name}")
            })?;
        if istio::iop_status(&current).is_some_and(|s| terminal(&s)) {
            return Ok(current);
        }
    }
    let last_seen = std::sync::Mutex::new(String::new());
    let follow = istio::follow_iop(conn, ns, name, resource_version, |obj| {
        let status = istio::iop_status(obj).unwrap_or_else(|| "NONE".into());
        let components: Vec<String> = istio::component_statuses(obj)
            .into_iter()
            .map(|(c, s, _)| format!("{c} {s}"))
            .collect();
        let line = if components.is_empty() {
            format!("IstioOperator {status}")
        } else {
            format!("IstioOperator {status}: {}", components.join(", "))
        };
        let mut last = last_seen.lock().expect("lock");
        if *last != line {
            progress.detail(&line);
            *last = line;
        }
        terminal(&status)
    });
    let show_logs = async {
        match logs {
            Some(mut lines) => {
                while let Some(line) = lines.next().await {
                    progress.detail(&format!("operator: {}", line.trim_end()));
                }
                std::future::pending::<()>().await
            }
            None => std::future::pending::<()>().await,
        }
    };
    let waited = tokio::time::timeout(timeout, async {
        tokio::select! {
            result = follow => result,
            _ = show_logs => unreachable!("the log task never finishes"),
        }
    })
    .await;
    match waited {
        Ok(Ok(obj)) => Ok(obj),
        Ok(Err(e)) => Err(e),
        Err(_) => {
            let op = find_operator_for(conn, iop).await?;
            Err(not_healthy(conn, iop, &op, None, Some(timeout)).await)
        }
    }
}

/// The error for ERROR/ACTION_REQUIRED or a timeout: the operator's message, the components not
/// ready and why.
async fn not_healthy(
    conn: &Connection,
    iop: &IstioOperator,
    op: &istio::OperatorDeployment,
    obj: Option<&DynamicObject>,
    timed_out: Option<Duration>,
) -> anyhow::Error {
    let (ns, name) = (iop.namespace(), iop.name());
    let obj = match obj {
        Some(o) => Some(o.clone()),
        None => istio::iop_api(conn, Some(ns))
            .get_opt(name)
            .await
            .ok()
            .flatten(),
    };
    let status = obj
        .as_ref()
        .and_then(istio::iop_status)
        .unwrap_or_else(|| "NONE".into());
    let mut text = match timed_out {
        Some(t) => format!(
            "timed out after {} waiting for IstioOperator {ns}/{name} to become HEALTHY (status: {status})",
            crate::duration::human(t)
        ),
        None => format!("the operator reports IstioOperator {ns}/{name} as {status}"),
    };
    if let Some(obj) = &obj {
        if let Some(message) = istio::iop_message(obj) {
            text.push_str(&format!("\n  operator: {message}"));
        }
        for (component, state, error) in istio::component_statuses(obj) {
            if state != "HEALTHY" {
                let error = error.map(|e| format!(": {e}")).unwrap_or_default();
                text.push_str(&format!("\n  {component} is {state}{error}"));
            }
        }
    }
    if !op.available {
        text.push_str(&format!(
            "\n  the operator Deployment {}/{} is not available",
            op.namespace, op.name
        ));
        if let Ok(lines) = explain_pods(
            conn,
            &op.namespace,
            &format!("{}={}", operator::POD_LABEL.0, operator::POD_LABEL.1),
        )
        .await
        {
            for line in lines {
                text.push_str(&format!("\n    {line}"));
            }
        }
    }
    for component in iop.components() {
        for line in component_problems(conn, &component).await {
            text.push_str(&format!("\n  {line}"));
        }
    }
    UserError::failure(text)
        .with_hint(format!(
            "the operator's log says more: `kubectl logs -n {} deploy/{}`",
            op.namespace, op.name
        ))
        .into()
}

/// Why one component's workload is not ready (empty when it is, or has none).
async fn component_problems(conn: &Connection, component: &Component) -> Vec<String> {
    let (ns, name) = (&component.namespace, &component.name);
    let (state, selector) = match component.workload {
        ComponentWorkload::None => return Vec::new(),
        ComponentWorkload::Deployment => {
            let api: Api<Deployment> = Api::namespaced(conn.client.clone(), ns);
            match api.get_opt(name).await {
                Ok(Some(d)) => (d.rollout(), d.selector().map(label_selector)),
                Ok(None) => return vec![format!("deployment {ns}/{name} does not exist yet")],
                Err(_) => return Vec::new(),
            }
        }
        ComponentWorkload::DaemonSet => {
            let api: Api<DaemonSet> = Api::namespaced(conn.client.clone(), ns);
            match api.get_opt(name).await {
                Ok(Some(d)) => (d.rollout(), d.selector().map(label_selector)),
                Ok(None) => return vec![format!("daemonset {ns}/{name} does not exist yet")],
                Err(_) => return Vec::new(),
            }
        }
    };
    if state.done {
        return Vec::new();
    }
    let mut out = vec![format!("{name} in {ns} is not ready: {}", state.message)];
    if let Some(selector) = selector
        && let Ok(lines) = explain_pods(conn, ns, &selector).await
    {
        out.extend(lines.into_iter().map(|l| format!("  {l}")));
    }
    out
}

/// One row per component: the operator's status for it and how its workload stands.
async fn summarize(
    conn: &Connection,
    iop: &IstioOperator,
    obj: &DynamicObject,
) -> anyhow::Result<Vec<ComponentReport>> {
    let statuses = istio::component_statuses(obj);
    let mut out = Vec::new();
    for component in iop.components() {
        let status = statuses
            .iter()
            .find(|(c, _, _)| c == component.status_key)
            .map(|(_, s, _)| s.clone())
            .unwrap_or_else(|| "HEALTHY".to_string());
        let detail = workload_detail(conn, &component).await;
        out.push(ComponentReport {
            component: component.status_key.to_string(),
            name: component.name.clone(),
            namespace: component.namespace.clone(),
            status,
            detail,
        });
    }
    Ok(out)
}

async fn workload_detail(conn: &Connection, component: &Component) -> String {
    let (ns, name) = (&component.namespace, &component.name);
    match component.workload {
        ComponentWorkload::None => "CRDs and cluster resources".to_string(),
        ComponentWorkload::Deployment => {
            let api: Api<Deployment> = Api::namespaced(conn.client.clone(), ns);
            match api.get_opt(name).await {
                Ok(Some(d)) => format!("deployment: {}", d.rollout().message),
                _ => "deployment not found".to_string(),
            }
        }
        ComponentWorkload::DaemonSet => {
            let api: Api<DaemonSet> = Api::namespaced(conn.client.clone(), ns);
            match api.get_opt(name).await {
                Ok(Some(d)) => format!("daemonset: {}", d.rollout().message),
                _ => "daemonset not found".to_string(),
            }
        }
    }
}
