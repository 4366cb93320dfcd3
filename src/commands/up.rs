//! `rigger up`: the whole walkthrough in one command, skipping what is already done. Each step calls
//! the same functions as the single commands, so no step exists twice.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::{GatewayExposeArgs, InjectToggleArgs, OutputFormat, RestartStrategy, UpArgs};
use crate::cluster::apply::{Applied, Applier, ApplyOptions, Outcome};
use crate::cluster::{Connection, manifests};
use crate::commands::verify_sidecars::{self, Scope};
use crate::commands::{gateway, inject, install, operator, precheck};
use crate::context::Context;
use crate::error::{Exit, ResultExt, UserError};
use crate::istio::iop::{Input, IstioOperator};
use crate::istio::operator::OperatorOptions;
use crate::output::checklist::{CheckStatus, Checklist};
use crate::output::steps::{StepDisplay, StepStatus};
use crate::progress::Progress;

/// One finished step, for the summary and `-o json`.
#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    pub step: String,
    pub status: StepStatus,
    pub seconds: f64,
    pub summary: String,
}

/// The final record of a run.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpSummary {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub created: Vec<String>,
    pub already_there: Vec<String>,
    pub steps: Vec<StepRecord>,
    pub seconds: f64,
}

/// What a step tells the runner.
pub struct StepOutcome {
    pub status: StepStatus,
    pub summary: String,
    pub result: Value,
}

impl StepOutcome {
    fn new(status: StepStatus, summary: impl Into<String>, result: Value) -> Self {
        StepOutcome {
            status,
            summary: summary.into(),
            result,
        }
    }
}

/// Runs steps in order, draws them, records timings, stops at the first failure.
pub struct Runner<'a> {
    display: &'a StepDisplay,
    records: Vec<StepRecord>,
    created: Vec<String>,
    already_there: Vec<String>,
    narration: std::collections::BTreeMap<&'static str, String>,
}

impl<'a> Runner<'a> {
    pub fn new(display: &'a StepDisplay) -> Self {
        Runner {
            display,
            records: Vec::new(),
            created: Vec::new(),
            already_there: Vec::new(),
            narration: Default::default(),
        }
    }

    /// Runs one step, which returns how it went and data for the next steps. On failure the error is
    /// returned after the display shows ×.
    pub async fn step<T, F, Fut>(&mut self, name: &str, title: &str, run: F) -> anyhow::Result<T>
    where
        F: FnOnce(&'a StepDisplay) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<(StepOutcome, T)>>,
    {
        if let Some(text) = self.narration.get(name) {
            self.display.say(text);
        }
        self.display.start(name, title);
        let started = Instant::now();
        let result = run(self.display).await;
        let seconds = started.elapsed().as_secs_f64();
        match result {
            Ok((outcome, data)) => {
                self.display
                    .finish(outcome.status, &outcome.summary, &outcome.result);
                self.records.push(StepRecord {
                    step: name.into(),
                    status: outcome.status,
                    seconds,
                    summary: outcome.summary,
                });
                Ok(data)
            }
            Err(error) => {
                let rendered = crate::error::render(&error);
                let summary = format!("{title}: {}", rendered.error);
                self.display
                    .finish(StepStatus::Failed, &summary, &json!({"error": rendered}));
                self.records.push(StepRecord {
                    step: name.into(),
                    status: StepStatus::Failed,
                    seconds,
                    summary,
                });
                Err(error)
            }
        }
    }

    /// Records objects as created or already there.
    pub fn note_applied(&mut self, applied: &[Applied]) {
        for a in applied {
            let reference = match &a.namespace {
                Some(ns) => format!("{} ({ns})", a.reference()),
                None => a.reference(),
            };
            match a.outcome {
                Outcome::Unchanged => self.already_there.push(reference),
                _ => self.created.push(reference),
            }
        }
    }

    pub fn summary(&self, ok: bool, url: Option<String>, seconds: f64) -> UpSummary {
        UpSummary {
            ok,
            url,
            created: self.created.clone(),
            already_there: self.already_there.clone(),
            steps: self.records.clone(),
            seconds,
        }
    }
}

fn status_of(applied: &[Applied]) -> StepStatus {
    if applied.iter().all(|a| a.outcome == Outcome::Unchanged) {
        StepStatus::AlreadyDone
    } else {
        StepStatus::Done
    }
}

fn count_summary(what: &str, applied: &[Applied]) -> String {
    let changed = applied
        .iter()
        .filter(|a| a.outcome != Outcome::Unchanged)
        .count();
    if changed == 0 {
        format!("{what}: {} objects already there", applied.len())
    } else {
        format!(
            "{what}: {changed} of {} objects created or updated",
            applied.len()
        )
    }
}

/// The control plane to set up.
#[derive(Debug)]
pub enum ControlPlane {
    /// Istio 1.23 or older: the in-cluster operator, and the IstioOperator it installs.
    Operator {
        operator: OperatorOptions,
        iop: IstioOperator,
    },
    /// Istio 1.24 or newer: the release's charts, rendered by rigger, applied directly.
    Direct(Box<crate::istio::direct::Plan>),
}

impl ControlPlane {
    /// The path `rigger install` would take with these flags: the operator for Istio 1.23 or
    /// older, the release's charts for 1.24 or newer (rendered here, so bad input fails now).
    pub async fn from_args(args: &UpArgs, ctx: &Context) -> anyhow::Result<ControlPlane> {
        let install_args = crate::cli::InstallArgs {
            files: args.files.clone(),
            sets: args.sets.clone(),
            profile: args.profile.clone(),
            wait: true,
            no_wait: false,
            timeout: args.timeout,
            dry_run: false,
            yes: args.yes,
            mode: None,
            istio_version: args.istio_version.clone(),
            manifests: args.manifests.clone(),
            revision: None,
            force: false,
        };
        match install::resolve(&install_args, None)? {
            install::Resolved::Operator(iop) => {
                ControlPlane::operator(iop, args.istio_version.as_deref(), &args.hub)
            }
            install::Resolved::Direct => {
                let input = super::install_direct::render_args(&install_args);
                let generated = super::manifest_generate::generate_for_install(&input, ctx).await?;
                Ok(ControlPlane::Direct(Box::new(crate::istio::direct::plan(
                    &generated,
                ))))
            }
        }
    }

    /// Reads and checks IstioOperator input for the operator path (see [`ControlPlane::operator`]).
    pub fn from_input(
        input: &Input,
        version: Option<&str>,
        hub: &str,
    ) -> anyhow::Result<ControlPlane> {
        ControlPlane::operator(install::build_input(input)?, version, hub)
    }

    /// The operator path: the operator (image from `hub`) runs `version`, else the input's
    /// spec.tag, else the default 1.23 release.
    pub fn operator(
        iop: IstioOperator,
        version: Option<&str>,
        hub: &str,
    ) -> anyhow::Result<ControlPlane> {
        let tag = version
            .map(|v| v.trim_start_matches('v').to_string())
            .or_else(|| iop.tag())
            .unwrap_or_else(|| crate::istio::operator::DEFAULT_TAG.to_string());
        crate::istio::operator::check_operator_tag(&tag).map_err(|e| {
            anyhow::Error::new(
                UserError::input(format!("Istio version {tag}: {e}")).with_hint(
                    "pass --istio-version with the release to install (1.24 and newer are installed from its charts, 1.23 and older through the operator)",
                ),
            )
        })?;
        let operator = OperatorOptions {
            hub: hub.to_string(),
            tag,
            operator_namespace: crate::istio::operator::DEFAULT_OPERATOR_NAMESPACE.to_string(),
            watched_namespaces: vec![iop.namespace().to_string()],
            revision: Some(iop.revision().to_string()).filter(|r| !r.is_empty()),
            image_pull_secrets: Vec::new(),
        };
        Ok(ControlPlane::Operator { operator, iop })
    }

    /// The control-plane steps, by name.
    fn steps(&self) -> &'static [&'static str] {
        match self {
            ControlPlane::Operator { .. } => &["precheck", "operator", "install"],
            ControlPlane::Direct(_) => &["precheck", "install"],
        }
    }

    /// Every object these steps apply, in order.
    fn objects(&self) -> Vec<Value> {
        match self {
            ControlPlane::Operator { operator, iop } => {
                let mut objects = crate::istio::operator::resources(operator);
                objects.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": iop.namespace()}}));
                objects.push(iop.object.clone());
                objects
            }
            ControlPlane::Direct(plan) => plan.objects().cloned().collect(),
        }
    }
}

/// The gateway listener and selector `up` exposes through (the ingress gateway's http2 targetPort).
const EXPOSE_GATEWAY_PORT: u16 = 8080;
const EXPOSE_GATEWAY_SELECTOR: &str = "istio=ingressgateway";

/// Everything a run will do, decided and checked before the first step.
pub struct Plan {
    /// Precheck, operator and install steps; `None` uses the control plane already there.
    pub control_plane: Option<ControlPlane>,
    /// Namespace of `--expose` and of workloads that do not name one.
    pub namespace: String,
    pub inject: Vec<String>,
    pub workloads: Vec<manifests::Manifest>,
    /// Service and port to expose.
    pub expose: Option<(String, Option<u16>)>,
    pub paths: Vec<String>,
    pub prefixes: Vec<String>,
    pub timeout: Duration,
    /// How long a new load balancer may take to get an address before the NodePort is used.
    pub lb_wait: Duration,
    /// Open the NodePort with a GCP firewall rule (only when the gateway is reached by NodePort).
    pub firewall: Option<FirewallPlan>,
    /// Sentences said before steps (by name), for `rigger demo`.
    pub narration: std::collections::BTreeMap<&'static str, String>,
}

impl Plan {
    pub async fn from_args(
        args: &UpArgs,
        namespace: String,
        ctx: &Context,
    ) -> anyhow::Result<Plan> {
        let control_plane = if args.skip_install {
            None
        } else {
            Some(ControlPlane::from_args(args, ctx).await?)
        };
        let mut workloads = Vec::new();
        for path in &args.apply {
            workloads.extend(manifests::read(path)?);
        }
        let expose = args
            .expose
            .as_deref()
            .map(parse_expose)
            .transpose()
            .map_err(UserError::input)?;
        Ok(Plan {
            control_plane,
            namespace,
            inject: args.inject.clone(),
            workloads,
            expose,
            paths: args.path.clone(),
            prefixes: args.prefix.clone(),
            timeout: args.timeout,
            lb_wait: args.lb_wait,
            firewall: args.firewall.then(|| {
                FirewallPlan::from_gateway(
                    args.gcp.clone(),
                    args.timeout,
                    crate::cloud::env::Env::from_process(),
                )
            }),
            narration: Default::default(),
        })
    }

    /// The steps that will run, by name, in order.
    pub fn steps(&self) -> Vec<&'static str> {
        let mut steps = Vec::new();
        if let Some(cp) = &self.control_plane {
            steps.extend(cp.steps());
        }
        if !self.inject.is_empty() {
            steps.push("inject");
        }
        if !self.workloads.is_empty() {
            steps.push("apply");
        }
        if !self.inject.is_empty() {
            steps.push("verify-sidecars");
        }
        if self.expose.is_some() {
            steps.extend(["expose", "url"]);
            if self.firewall.is_some() {
                steps.push("firewall");
            }
            steps.push("check");
        }
        steps
    }

    /// How many steps will run.
    pub fn len(&self) -> usize {
        self.steps().len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.steps().is_empty()
    }
}

/// The firewall step: `firewall allow --from-gateway` with these settings and credential variables.
pub struct FirewallPlan {
    pub args: crate::cli::FirewallAllowArgs,
    pub env: crate::cloud::env::Env,
}

impl FirewallPlan {
    /// `rigger firewall allow --from-gateway` defaults, with the project and endpoint given.
    pub fn from_gateway(
        gcp: crate::cli::GcpArgs,
        timeout: Duration,
        env: crate::cloud::env::Env,
    ) -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            allow: crate::cli::FirewallAllowArgs,
        }
        let mut args = Defaults::parse_from(["rigger", "--from-gateway"]).allow;
        args.gcp = gcp;
        args.timeout = timeout;
        FirewallPlan { args, env }
    }
}

/// `SERVICE:PORT` of `--expose`.
pub fn parse_expose(text: &str) -> Result<(String, Option<u16>), String> {
    match text.split_once(':') {
        None => Ok((text.to_string(), None)),
        Some((service, port)) => {
            let port: u16 = port
                .parse()
                .map_err(|_| format!("\"{text}\": the port must be a number (SERVICE:PORT)"))?;
            Ok((service.to_string(), Some(port)))
        }
    }
}

pub async fn run(args: &UpArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(
        &[OutputFormat::Text, OutputFormat::Json],
        OutputFormat::Text,
    )?;
    let json = format == OutputFormat::Json;
    if args.dry_run {
        // Needs no cluster: the namespace is -n's, else `default`.
        let namespace = ctx
            .global
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string());
        let plan = Plan::from_args(args, namespace, ctx).await?;
        return print_dry_run(&plan, ctx, json).map(|_| Exit::Success);
    }
    ctx.connection().await?;
    // Read and check every input before the first step, so bad input changes nothing.
    let plan = Plan::from_args(args, ctx.namespace().await?, ctx).await?;
    if plan.is_empty() {
        return Err(UserError::input("nothing to do")
            .with_hint("say what to set up: -f FILE or --profile, --inject NS, --apply FILE, --expose SERVICE:PORT")
            .into());
    }
    if let Some(ControlPlane::Operator { iop, .. }) = &plan.control_plane {
        let conn = ctx.connection().await?;
        if install::changes_live_spec(conn, iop).await?
            && !ctx.printer.confirm_unless_yes(
                &format!(
                    "Change the existing installation {}/{}?",
                    iop.namespace(),
                    iop.name()
                ),
                args.yes,
            )?
        {
            ctx.printer.info("nothing changed");
            return Ok(Exit::Success);
        }
    }
    let display = StepDisplay::new(&ctx.printer, json, plan.len());
    let summary = execute(&plan, ctx, &display).await;
    match summary {
        Ok(summary) => {
            finish(ctx, json, &summary)?;
            Ok(Exit::Success)
        }
        Err((error, summary)) => {
            if json {
                StepDisplay::json_summary(&summary);
            }
            // Keep the failing step's own advice, and add how to resume.
            let hint = match crate::error::render(&error).hint {
                Some(step_hint) => {
                    format!("{step_hint}; then run `rigger up` again: finished steps are skipped")
                }
                None => {
                    "fix the cause above, then run `rigger up` again: finished steps are skipped"
                        .to_string()
                }
            };
            Err(error).hint(hint)
        }
    }
}

/// What `--dry-run` shows: the steps, and every object a run would apply.
#[derive(Debug, Serialize)]
pub struct DryRun {
    pub steps: Vec<&'static str>,
    /// Namespaces whose injection label would be set (and workloads restarted).
    pub inject: Vec<String>,
    pub objects: Vec<Value>,
}

/// Every object the plan would apply, in the order the steps apply them. Reads nothing from a
/// cluster: the Gateway and VirtualService use the port given with `--expose`, or the port of the
/// Service among the workloads.
pub fn planned_objects(plan: &Plan) -> anyhow::Result<Vec<Value>> {
    let mut objects = Vec::new();
    if let Some(cp) = &plan.control_plane {
        objects.extend(cp.objects());
    }
    for ns in &plan.inject {
        objects.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}));
    }
    for workload in &plan.workloads {
        let mut object = serde_json::to_value(&workload.object)?;
        // Namespaced objects that name no namespace go to -n, as the apply step does.
        if object["metadata"]["namespace"].is_null()
            && !crate::istio::direct::is_cluster_scoped(object["kind"].as_str().unwrap_or_default())
        {
            object["metadata"]["namespace"] = json!(plan.namespace);
        }
        objects.push(object);
    }
    if let Some((service, port)) = &plan.expose {
        let port = match port {
            Some(p) => *p,
            None => service_port_in(&plan.workloads, service, &plan.namespace).ok_or_else(|| {
                UserError::input(format!(
                    "--dry-run cannot look up the port of Service {service} (it is not among the --apply files)"
                ))
                .with_hint(format!("name the port: --expose {service}:PORT"))
            })?,
        };
        let spec = crate::istio::gateway::ExposeSpec {
            service: service.clone(),
            namespace: plan.namespace.clone(),
            service_port: port,
            hosts: vec!["*".into()],
            gateway_port: EXPOSE_GATEWAY_PORT,
            exact_paths: plan.paths.clone(),
            prefixes: plan.prefixes.clone(),
            name: service.clone(),
            selector: crate::istio::gateway::parse_selector(EXPOSE_GATEWAY_SELECTOR)
                .map_err(UserError::input)?,
            version: crate::istio::gateway::NETWORKING_VERSIONS[0].to_string(),
        };
        crate::istio::gateway::validate(&spec).map_err(UserError::input)?;
        objects.extend(crate::istio::gateway::build(&spec));
    }
    Ok(objects)
}

/// The port of a Service among the workloads, when it has exactly one.
fn service_port_in(
    workloads: &[manifests::Manifest],
    service: &str,
    namespace: &str,
) -> Option<u16> {
    let svc = workloads
        .iter()
        .filter_map(|m| serde_json::to_value(&m.object).ok())
        .find(|o| {
            o["kind"] == "Service"
                && o["metadata"]["name"] == service
                && o["metadata"]["namespace"].as_str().unwrap_or(namespace) == namespace
        })?;
    let ports = svc["spec"]["ports"].as_array()?;
    match ports.as_slice() {
        [only] => only["port"].as_u64().and_then(|p| u16::try_from(p).ok()),
        _ => None,
    }
}

fn print_dry_run(plan: &Plan, ctx: &Context, json: bool) -> anyhow::Result<()> {
    let dry = DryRun {
        steps: plan.steps(),
        inject: plan.inject.clone(),
        objects: planned_objects(plan)?,
    };
    if json {
        return ctx.printer.json(&dry);
    }
    ctx.printer.info(&format!(
        "dry run: nothing is applied; a run would do these steps: {}",
        dry.steps.join(" → ")
    ));
    if !dry.inject.is_empty() {
        ctx.printer.info(&format!(
            "it would label {} for sidecar injection and restart their workloads",
            dry.inject.join(", ")
        ));
    }
    let docs: Vec<String> = dry.objects.iter().map(crate::yaml::to_go_yaml).collect();
    ctx.printer.data(&docs.join("---\n"))
}

/// Runs the plan; on failure returns the error with the summary so far.
pub async fn execute(
    plan: &Plan,
    ctx: &Context,
    display: &StepDisplay,
) -> Result<UpSummary, (anyhow::Error, UpSummary)> {
    let started = Instant::now();
    let mut runner = Runner::new(display);
    runner.narration = plan.narration.clone();
    let outcome = run_steps(plan, ctx, &mut runner).await;
    let seconds = started.elapsed().as_secs_f64();
    match outcome {
        Ok(url) => Ok(runner.summary(true, url, seconds)),
        Err(error) => Err((error, runner.summary(false, None, seconds))),
    }
}

async fn run_steps(
    plan: &Plan,
    ctx: &Context,
    runner: &mut Runner<'_>,
) -> anyhow::Result<Option<String>> {
    let conn = ctx.connection().await?;
    let timeout = plan.timeout;
    let lb_wait = plan.lb_wait;
    let namespace = plan.namespace.as_str();
    let workloads = &plan.workloads;
    if let Some(cp) = &plan.control_plane {
        control_plane_steps(cp, timeout, conn, runner).await?;
    }
    if !plan.inject.is_empty() {
        let toggle = InjectToggleArgs {
            namespaces: plan.inject.clone(),
            revision: None,
            restart: RestartStrategy::Rollout,
            include_bare_pods: false,
            wait: false,
            timeout,
            dry_run: false,
        };
        runner
            .step(
                "inject",
                &format!("enable sidecar injection in {}", plan.inject.join(", ")),
                |progress| async move {
                    ensure_namespaces(conn, &toggle.namespaces, progress).await?;
                    let report = inject::toggle_namespaces(conn, &toggle, true, progress).await?;
                    let changed = report
                        .namespaces
                        .iter()
                        .any(|n| n.labels_changed || !n.restarted.is_empty());
                    let restarted: usize =
                        report.namespaces.iter().map(|n| n.restarted.len()).sum();
                    let status = if changed {
                        StepStatus::Done
                    } else {
                        StepStatus::AlreadyDone
                    };
                    let summary = format!(
                        "injection enabled in {} ({restarted} workloads restarted)",
                        plan.inject.join(", ")
                    );
                    Ok((
                        StepOutcome::new(status, summary, serde_json::to_value(&report)?),
                        (),
                    ))
                },
            )
            .await?;
    }
    if !workloads.is_empty() {
        let objects: Vec<_> = workloads.iter().map(|m| m.object.clone()).collect();
        let sources: Vec<String> = workloads.iter().map(|m| m.source.clone()).collect();
        let applied = runner
            .step("apply", "apply the workloads", |progress| async move {
                let options = ApplyOptions {
                    force: false,
                    dry_run: false,
                    default_namespace: namespace.to_string(),
                };
                let applied = Applier::new(conn)
                    .apply_all(&objects, &options, Some(&sources), progress)
                    .await?;
                let outcome = StepOutcome::new(
                    status_of(&applied),
                    count_summary("workloads", &applied),
                    serde_json::to_value(&applied)?,
                );
                Ok((outcome, applied))
            })
            .await?;
        runner.note_applied(&applied);
    }
    if !plan.inject.is_empty() {
        let scope = Scope::Namespaces(plan.inject.clone());
        runner
            .step(
                "verify-sidecars",
                "check that every pod carries a ready sidecar",
                |progress| async move {
                    let mut report = verify_sidecars::check(conn, &scope, "").await?;
                    let already = report.ok;
                    if !report.ok {
                        report = verify_sidecars::wait_until_meshed(
                            conn, &scope, "", timeout, progress, report,
                        )
                        .await?;
                    }
                    if !report.ok {
                        let missing: Vec<String> = report
                            .pods
                            .iter()
                            .filter(|p| p.verdict.is_failure())
                            .map(|p| {
                                format!(
                                    "{}/{}: {}",
                                    p.namespace,
                                    p.pod,
                                    p.reason.clone().unwrap_or_default()
                                )
                            })
                            .collect();
                        return Err(UserError::failure(format!(
                            "pods without a ready sidecar: {}",
                            missing.join("; ")
                        ))
                        .with_hint("`rigger verify-sidecars` explains each pod")
                        .into());
                    }
                    let status = if already {
                        StepStatus::AlreadyDone
                    } else {
                        StepStatus::Done
                    };
                    let s = &report.summary;
                    let summary = format!("{} pods meshed ({} opted out)", s.meshed, s.opted_out);
                    Ok((
                        StepOutcome::new(status, summary, serde_json::to_value(&report)?),
                        (),
                    ))
                },
            )
            .await?;
    }
    let mut url = None;
    if let Some((service, port)) = plan.expose.clone() {
        let expose_args = GatewayExposeArgs {
            service: service.clone(),
            port,
            host: vec!["*".into()],
            gateway_port: EXPOSE_GATEWAY_PORT,
            path: plan.paths.clone(),
            prefix: plan.prefixes.clone(),
            name: None,
            gateway_selector: EXPOSE_GATEWAY_SELECTOR.into(),
            dry_run: false,
        };
        let (applied, paths) = runner
            .step(
                "expose",
                &format!("expose {service} through the ingress gateway"),
                |progress| async move {
                    let (spec, objects) =
                        gateway::prepare_expose(conn, namespace, &expose_args).await?;
                    let applied = gateway::apply_expose(conn, &spec, &objects, progress).await?;
                    let outcome = StepOutcome::new(
                        status_of(&applied),
                        count_summary("gateway", &applied),
                        serde_json::to_value(&applied)?,
                    );
                    Ok((outcome, (applied, spec.example_paths())))
                },
            )
            .await?;
        runner.note_applied(&applied);
        let path = paths.first().cloned().unwrap_or_else(|| "/".into());
        let path = path.as_str();
        let address = runner
            .step(
                "url",
                "find where the ingress gateway answers",
                |progress| async move {
                    let address = crate::cluster::ingress::wait_for_address(
                        conn,
                        "istio-system",
                        "istio-ingressgateway",
                        "http2",
                        lb_wait,
                        progress,
                    )
                    .await?;
                    let summary = format!(
                        "{} (through {})",
                        address.url(path),
                        address.case.describe()
                    );
                    let outcome = StepOutcome::new(
                        StepStatus::Done,
                        summary,
                        serde_json::to_value(&address)?,
                    );
                    Ok((outcome, address))
                },
            )
            .await?;
        let url_text = address.url(path);
        if let Some(firewall) = &plan.firewall {
            let needed = address.case.needs_firewall_rule();
            runner
                .step(
                    "firewall",
                    "open the NodePort in the GCP firewall",
                    |progress| async move {
                        if !needed {
                            let outcome = StepOutcome::new(
                                StepStatus::Skipped,
                                "no firewall rule needed: the gateway has a load balancer",
                                Value::Null,
                            );
                            return Ok((outcome, ()));
                        }
                        let report = crate::commands::firewall::allow_rule(
                            &firewall.args,
                            ctx,
                            &firewall.env,
                            OutputFormat::Json,
                            progress,
                        )
                        .await?;
                        let status = if report.action == "unchanged" {
                            StepStatus::AlreadyDone
                        } else {
                            StepStatus::Done
                        };
                        let summary = format!(
                            "firewall rule {} {} (tcp:{})",
                            report.name, report.action, address.port
                        );
                        Ok((
                            StepOutcome::new(status, summary, serde_json::to_value(&report)?),
                            (),
                        ))
                    },
                )
                .await?;
        }
        let needs_rule = address.case.needs_firewall_rule() && plan.firewall.is_none();
        url = runner
            .step("check", "check that the URL answers", |progress| async move {
                let check = answer_within(&url_text, timeout, progress).await;
                if !check.ok {
                    return Err(UserError::failure(format!(
                        "{url_text} does not answer: {}",
                        check.error.clone().unwrap_or_else(|| format!("HTTP {}", check.status.unwrap_or(0)))
                    ))
                    .with_hint(if needs_rule {
                        "the gateway is reached on a NodePort: open it with --firewall (or `rigger firewall allow --from-gateway`)"
                    } else {
                        "check the gateway and routes with `rigger gateway url --check`"
                    })
                    .into());
                }
                let summary = format!("{url_text} answers HTTP {}", check.status.unwrap_or(0));
                let outcome = StepOutcome::new(StepStatus::Done, summary, json!({"url": url_text, "check": check}));
                Ok((outcome, Some(url_text.clone())))
            })
            .await?;
    }
    Ok(url)
}

/// precheck → operator init → install (until HEALTHY), or precheck → install (Istio 1.24+).
async fn control_plane_steps(
    cp: &ControlPlane,
    timeout: Duration,
    conn: &Connection,
    runner: &mut Runner<'_>,
) -> anyhow::Result<()> {
    let path = match cp {
        ControlPlane::Operator { .. } => precheck::InstallPath::Operator,
        ControlPlane::Direct(_) => precheck::InstallPath::Direct,
    };
    runner
        .step(
            "precheck",
            "check the cluster is ready for Istio",
            |progress| async move {
                progress.detail("checking the API, permissions, existing Istio and nodes");
                let list = Checklist::new(precheck::checks_for(conn, path).await);
                let problems: Vec<String> = list
                    .checks
                    .iter()
                    .filter(|c| c.status == CheckStatus::Failed)
                    .map(|c| {
                        let detail = c
                            .detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default();
                        let hint = c
                            .hint
                            .as_deref()
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default();
                        format!("{}{detail}{hint}", c.description)
                    })
                    .collect();
                if !problems.is_empty() {
                    return Err(anyhow::Error::from(
                        UserError::failure(format!(
                            "the cluster is not ready for Istio:\n  × {}",
                            problems.join("\n  × ")
                        ))
                        .with_hint("`rigger precheck` shows every check"),
                    ))
                    .exit_as(Exit::ChecksFailed);
                }
                let warnings = list
                    .checks
                    .iter()
                    .filter(|c| c.status == CheckStatus::Warning)
                    .count();
                let summary = format!(
                    "{} checks passed{}",
                    list.checks.len() - warnings,
                    if warnings > 0 {
                        format!(", {warnings} warnings")
                    } else {
                        String::new()
                    }
                );
                Ok((
                    StepOutcome::new(StepStatus::Done, summary, serde_json::to_value(&list)?),
                    (),
                ))
            },
        )
        .await?;
    match cp {
        ControlPlane::Operator { operator, iop } => {
            operator_steps(operator, iop, timeout, conn, runner).await
        }
        ControlPlane::Direct(plan) => direct_step(plan, timeout, conn, runner).await,
    }
}

async fn operator_steps(
    options: &OperatorOptions,
    iop: &IstioOperator,
    timeout: Duration,
    conn: &Connection,
    runner: &mut Runner<'_>,
) -> anyhow::Result<()> {
    let report = runner
        .step(
            "operator",
            &format!("deploy the Istio operator {}", options.tag),
            |progress| async move {
                let report =
                    operator::install_operator(conn, options, Some(timeout), progress).await?;
                let outcome = StepOutcome::new(
                    status_of(&report.applied),
                    count_summary(&format!("operator {}", report.image), &report.applied),
                    serde_json::to_value(&report)?,
                );
                Ok((outcome, report))
            },
        )
        .await?;
    runner.note_applied(&report.applied);
    let report = runner
        .step(
            "install",
            &format!(
                "install Istio (IstioOperator {}/{}) and wait until HEALTHY",
                iop.namespace(),
                iop.name()
            ),
            |progress| async move {
                let report =
                    install::apply_with_operator(conn, iop, Some(timeout), progress).await?;
                let status = if report.outcome == Outcome::Unchanged {
                    StepStatus::AlreadyDone
                } else {
                    StepStatus::Done
                };
                let components: Vec<&str> =
                    report.components.iter().map(|c| c.name.as_str()).collect();
                let summary = format!("control plane {}: {}", report.status, components.join(", "));
                Ok((
                    StepOutcome::new(status, summary, serde_json::to_value(&report)?),
                    report,
                ))
            },
        )
        .await?;
    let reference = format!("istiooperator/{} ({})", report.name, report.namespace);
    if report.outcome == Outcome::Unchanged {
        runner.already_there.push(reference);
    } else {
        runner.created.push(reference);
    }
    Ok(())
}

/// The direct install of Istio 1.24+: each component applied and ready before the next.
async fn direct_step(
    plan: &crate::istio::direct::Plan,
    timeout: Duration,
    conn: &Connection,
    runner: &mut Runner<'_>,
) -> anyhow::Result<()> {
    let report = runner
        .step(
            "install",
            &format!(
                "install Istio from its charts ({}/{}) and wait for each component",
                plan.owner.namespace, plan.owner.name
            ),
            |progress| async move {
                let report =
                    super::install_direct::apply_plan(conn, plan, Some(timeout), progress).await?;
                let changed = report.pruned.len()
                    + report
                        .components
                        .iter()
                        .map(|c| c.created + c.configured)
                        .sum::<usize>();
                let status = if changed == 0 {
                    StepStatus::AlreadyDone
                } else {
                    StepStatus::Done
                };
                let components: Vec<&str> = report
                    .components
                    .iter()
                    .map(|c| c.component.as_str())
                    .collect();
                let summary = format!(
                    "control plane ready: {} ({changed} objects changed)",
                    components.join(", ")
                );
                Ok((
                    StepOutcome::new(status, summary, serde_json::to_value(&report)?),
                    report,
                ))
            },
        )
        .await?;
    for c in &report.components {
        let reference = format!("{} ({} objects)", c.component, c.objects);
        if c.created + c.configured == 0 {
            runner.already_there.push(reference);
        } else {
            runner.created.push(reference);
        }
    }
    Ok(())
}

/// Creates the namespaces that do not exist yet (no write for those that do).
async fn ensure_namespaces(
    conn: &Connection,
    names: &[String],
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let objects = names
        .iter()
        .map(|name| {
            serde_json::from_value(
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
            )
        })
        .collect::<Result<Vec<kube::api::DynamicObject>, _>>()?;
    let options = ApplyOptions {
        force: false,
        dry_run: false,
        default_namespace: String::new(),
    };
    Applier::new(conn)
        .apply_all(&objects, &options, None, progress)
        .await?;
    Ok(())
}

/// GETs the URL until it answers 2xx/3xx or the time runs out (routes take a moment to apply).
async fn answer_within(
    url: &str,
    timeout: Duration,
    progress: &dyn Progress,
) -> gateway::CheckResult {
    let deadline = Instant::now() + timeout;
    let mut delay = Duration::from_millis(100);
    loop {
        let check = gateway::http_check(url).await;
        if check.ok || Instant::now() + delay > deadline {
            return check;
        }
        progress.detail(&format!(
            "{url}: {}",
            check
                .error
                .clone()
                .unwrap_or_else(|| format!("HTTP {}", check.status.unwrap_or(0)))
        ));
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

fn finish(ctx: &Context, json: bool, summary: &UpSummary) -> anyhow::Result<()> {
    if json {
        StepDisplay::json_summary(summary);
        return Ok(());
    }
    let style = ctx.printer.stderr_style();
    ctx.printer.info("");
    ctx.printer.info(&style.bold("Summary"));
    for record in &summary.steps {
        ctx.printer.info(&format!(
            "  {:<16} {:<12} {}",
            record.step,
            format!("{:?}", record.status).to_lowercase(),
            crate::duration::human(Duration::from_secs_f64(record.seconds))
        ));
    }
    ctx.printer.info(&format!(
        "  {} objects created or updated, {} already there; {} in all",
        summary.created.len(),
        summary.already_there.len(),
        crate::duration::human(Duration::from_secs_f64(summary.seconds))
    ));
    if let Some(url) = &summary.url {
        ctx.printer.line(url)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(control_plane: bool, workloads: &str, expose: Option<(&str, Option<u16>)>) -> Plan {
        Plan {
            control_plane: control_plane.then(|| {
                ControlPlane::from_input(
                    &Input {
                        profile: Some("default".into()),
                        ..Input::default()
                    },
                    None,
                    crate::istio::operator::DEFAULT_HUB,
                )
                .unwrap()
            }),
            namespace: "shop".into(),
            inject: vec!["shop".into()],
            workloads: manifests::from_text(workloads, "app.yaml").unwrap(),
            expose: expose.map(|(s, p)| (s.to_string(), p)),
            paths: vec!["/productpage".into()],
            prefixes: vec![],
            timeout: Duration::from_secs(1),
            lb_wait: Duration::from_secs(1),
            firewall: None,
            narration: Default::default(),
        }
    }

    const APP: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: productpage}\nspec:\n  ports: [{port: 9080}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n";

    #[test]
    fn steps_follow_what_was_asked() {
        assert_eq!(
            plan(true, APP, Some(("productpage", None))).steps(),
            [
                "precheck",
                "operator",
                "install",
                "inject",
                "apply",
                "verify-sidecars",
                "expose",
                "url",
                "check"
            ]
        );
        assert_eq!(plan(false, "", None).steps(), ["inject", "verify-sidecars"]);
    }

    #[test]
    fn planned_objects_take_the_port_from_the_workloads_and_default_the_namespace() {
        let objects = planned_objects(&plan(true, APP, Some(("productpage", None)))).unwrap();
        let find = |kind: &str| objects.iter().find(|o| o["kind"] == kind).unwrap();
        assert_eq!(
            find("IstioOperator")["metadata"]["namespace"],
            "istio-system"
        );
        let app = objects
            .iter()
            .find(|o| o["kind"] == "ServiceAccount" && o["metadata"]["name"] == "app")
            .unwrap();
        assert_eq!(app["metadata"]["namespace"], "shop");
        assert!(find("ClusterRole")["metadata"]["namespace"].is_null());
        let vs = find("VirtualService");
        assert_eq!(
            vs["spec"]["http"][0]["route"][0]["destination"]["port"]["number"],
            9080
        );
        assert_eq!(find("Deployment")["metadata"]["name"], "istio-operator");
    }

    #[test]
    fn a_dry_run_needs_the_port_of_a_service_it_cannot_see() {
        let error = planned_objects(&plan(false, "", Some(("elsewhere", None)))).unwrap_err();
        let rendered = crate::error::render(&error);
        assert!(
            rendered.error.contains("Service elsewhere"),
            "{}",
            rendered.error
        );
        assert_eq!(
            rendered.hint.as_deref(),
            Some("name the port: --expose elsewhere:PORT")
        );
    }

    #[test]
    fn the_operator_path_takes_the_version_and_hub_and_refuses_istio_without_an_operator() {
        let error = ControlPlane::from_input(&Input::default(), Some("1.30.3"), "docker.io/istio")
            .unwrap_err();
        assert!(error.to_string().contains("1.30.3"), "{error}");
        let cp =
            ControlPlane::from_input(&Input::default(), Some("v1.22.8"), "mirror.example/istio")
                .unwrap();
        let ControlPlane::Operator { operator, .. } = cp else {
            panic!("the operator path")
        };
        assert_eq!(operator.tag, "1.22.8");
        assert_eq!(operator.image(), "mirror.example/istio/operator:1.22.8");
    }

    #[test]
    fn expose_takes_service_and_optional_port() {
        assert_eq!(parse_expose("web:80"), Ok(("web".into(), Some(80))));
        assert_eq!(parse_expose("web"), Ok(("web".into(), None)));
        assert!(parse_expose("web:http").is_err());
    }
}
