//! `rigger firewall allow|list|delete`: a GCP firewall rule for the ingress port, through the Compute
//! Engine API (no gcloud). Scoped to the cluster nodes' tags when they can be found, idempotent
//! (identical → unchanged; different → diff, replaced only with `--update`), with `--dry-run`.

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, Service};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{
    FirewallAllowArgs, FirewallArgs, FirewallCommand, FirewallDeleteArgs, FirewallListArgs,
    GcpArgs, OutputFormat,
};
use crate::cloud::compute::Compute;
use crate::cloud::credentials::Credentials;
use crate::cloud::env::Env;
use crate::cloud::firewall::{self, FieldChange, RuleSpec};
use crate::cloud::project::{self, ProjectSource};
use crate::cluster::KubeResultExt;
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::ingress::{self, IngressAddress};
use crate::output::{Show, Style, table};
use crate::progress::Progress;

pub async fn run(args: &FirewallArgs, ctx: &Context) -> anyhow::Result<Exit> {
    match &args.command {
        FirewallCommand::Allow(a) => allow(a, ctx).await,
        FirewallCommand::List(a) => list(a, ctx).await,
        FirewallCommand::Delete(a) => delete(a, ctx).await,
    }
}

/// What `allow` did (the `-o json` contract).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowReport {
    /// created, updated, unchanged, differs, not-needed, would-create, would-update
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_source: Option<ProjectSource>,
    pub name: String,
    /// The rule body sent (or that would be sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<FieldChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<IngressAddress>,
    /// With --dry-run: the request that would be sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<DryRunRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DryRunRequest {
    pub method: String,
    pub url: String,
    pub body: Value,
}

impl Show for AllowReport {
    fn human(&self, style: &Style) -> String {
        if let Some(request) = &self.request {
            // --dry-run: stdout is exactly the body that would be sent.
            let mut text = serde_json::to_string_pretty(&request.body).unwrap_or_default();
            text.push('\n');
            return text;
        }
        let project = self.project.as_deref().unwrap_or("?");
        let what = self.rule.as_ref().map(describe_rule).unwrap_or_default();
        match self.action.as_str() {
            "not-needed" => {
                let gw = self.gateway.as_ref();
                format!(
                    "no firewall rule needed: the gateway is reached through {} ({}:{}), and the cloud opens its own rules for load balancers\n",
                    gw.map(|g| g.case.describe()).unwrap_or("a load balancer"),
                    gw.map(|g| g.host.as_str()).unwrap_or(""),
                    gw.map(|g| g.port).unwrap_or(0)
                )
            }
            "differs" => {
                let mut text = format!(
                    "firewall rule {} in project {project} differs from what was asked (not changed; pass --update to replace it):\n",
                    style.bold(&self.name)
                );
                text.push_str(&diff_text(&self.diff));
                text
            }
            action => {
                let mut text = format!(
                    "firewall rule {} {} in project {project}: {what}\n",
                    style.bold(&self.name),
                    style.ok(action)
                );
                if action == "updated" {
                    text.push_str(&diff_text(&self.diff));
                }
                text
            }
        }
    }
}

fn diff_text(diff: &[FieldChange]) -> String {
    let width = diff.iter().map(|c| c.field.len()).max().unwrap_or(0);
    diff.iter()
        .map(|c| {
            format!(
                "  {:width$}  {} -> {}\n",
                c.field,
                value_text(&c.field, &c.current),
                value_text(&c.field, &c.wanted)
            )
        })
        .collect()
}

fn value_text(field: &str, v: &Value) -> String {
    match (field, v) {
        ("allowed" | "denied", v) => {
            let s = firewall::rules_summary(v);
            if s.is_empty() { "(none)".into() } else { s }
        }
        (_, Value::Null) => "(none)".into(),
        (_, Value::String(s)) if s.is_empty() => "(none)".into(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(a)) if a.is_empty() => "(none)".into(),
        (_, Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(","),
        (_, other) => other.to_string(),
    }
}

/// `tcp:31380 from 0.0.0.0/0 to instances tagged gke-node`
fn describe_rule(rule: &Value) -> String {
    let ranges = value_text("sourceRanges", &rule["sourceRanges"]);
    let targets = match rule["targetTags"].as_array().filter(|t| !t.is_empty()) {
        Some(_) => format!(
            "instances tagged {}",
            value_text("targetTags", &rule["targetTags"])
        ),
        None => "every instance in the network".to_string(),
    };
    format!(
        "{} from {ranges} to {targets}",
        firewall::rules_summary(&rule["allowed"])
    )
}

/// `rigger firewall allow`; public so `rigger up` can run the same step.
pub async fn allow(args: &FirewallAllowArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::{Json, Text, Yaml};
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let report = allow_rule(args, ctx, &Env::from_process(), format, &ctx.printer).await?;
    ctx.printer.show(&report, format)?;
    if report.action == "not-needed" {
        ctx.printer.info("pass --force to create the rule anyway");
    }
    Ok(Exit::Success)
}

/// Does what `firewall allow` asks and returns the report, telling `talk` what it finds and does
/// (and printing the differing rule on the way to an error). `env` supplies the credential and
/// project variables.
pub async fn allow_rule(
    args: &FirewallAllowArgs,
    ctx: &Context,
    env: &Env,
    format: OutputFormat,
    talk: &dyn Progress,
) -> anyhow::Result<AllowReport> {
    let printer = &ctx.printer;
    let mut spec = RuleSpec {
        name: args.name.clone(),
        network: args.network.clone(),
        protocol: args.protocol.to_lowercase(),
        ports: args.ports.iter().map(|p| p.trim().to_string()).collect(),
        source_ranges: args
            .source_ranges
            .iter()
            .map(|s| s.trim().to_string())
            .collect(),
        target_tags: args
            .target_tags
            .iter()
            .map(|s| s.trim().to_string())
            .collect(),
        priority: args.priority,
        description: args.description.clone().unwrap_or_default(),
    };
    // Check the flags before touching the cluster or the cloud (the port may come later).
    let mut early = spec.clone();
    if args.from_gateway {
        early.ports = vec!["1".into()];
    }
    check(&early)?;

    let mut cluster = ClusterFacts::default();
    let mut gateway = None;
    if args.from_gateway {
        let (address, nodes) = gateway_address(args, ctx).await?;
        cluster.nodes = Some(nodes);
        if !address.case.needs_firewall_rule() && !args.force {
            let report = AllowReport {
                action: "not-needed".into(),
                project: None,
                project_source: None,
                name: spec.name.clone(),
                rule: None,
                diff: vec![],
                gateway: Some(address),
                request: None,
                operation: None,
            };
            return Ok(report);
        }
        if address.load_balancer_pending {
            talk.warn(&format!(
                "service {}/{} is a LoadBalancer without an address yet; opening its nodePort {}",
                args.gateway_namespace, args.gateway_service, address.port
            ));
        }
        spec.ports = vec![address.port.to_string()];
        gateway = Some(address);
    }
    if spec.source_ranges.is_empty() {
        spec.source_ranges = vec!["0.0.0.0/0".into()];
        talk.warn(&format!(
            "source range 0.0.0.0/0: port {} will be open to the whole internet (narrow it with --source-ranges)",
            spec.ports.join(",")
        ));
    }
    check(&spec)?;

    let gcp = Gcp::connect(env, &args.gcp).await?;
    let mut compute = gcp.compute;
    compute.operation_timeout = args.timeout;
    if spec.target_tags.is_empty() {
        let nodes = cluster.nodes(ctx, talk).await;
        spec.target_tags = node_tags(&compute, nodes, talk).await?;
        if spec.target_tags.is_empty() {
            talk.warn(&format!(
                "no node tags found: the rule will apply to every VM in network {} (pass --target-tags to narrow it)",
                spec.network
            ));
        } else {
            talk.step(&format!(
                "target tags from the cluster's nodes: {}",
                spec.target_tags.join(",")
            ));
        }
        check(&spec)?;
    }
    let (project, source) =
        resolve_project(&args.gcp, env, &gcp.credentials, &mut cluster, ctx, talk).await?;
    let body = firewall::request_body(&spec, &project);
    let existing = compute.get_firewall(&project, &spec.name).await?;
    let mut report = AllowReport {
        action: String::new(),
        project: Some(project.clone()),
        project_source: Some(source),
        name: spec.name.clone(),
        rule: Some(body.clone()),
        diff: vec![],
        gateway,
        request: None,
        operation: None,
    };
    let request_id = firewall::request_id();
    match existing {
        None if args.dry_run => {
            let url = compute.url(&format!(
                "projects/{project}/global/firewalls?requestId={request_id}"
            ));
            talk.step(&format!(
                "dry run: would create firewall rule {} with POST {url}; nothing was changed",
                spec.name
            ));
            report.action = "would-create".into();
            report.request = Some(DryRunRequest {
                method: "POST".into(),
                url,
                body,
            });
        }
        None => {
            talk.step(&format!(
                "creating firewall rule {} in project {project}",
                spec.name
            ));
            let op = compute
                .insert_firewall(&project, &body, &request_id)
                .await?;
            report.action = "created".into();
            report.operation = op["name"].as_str().map(str::to_string);
        }
        Some(existing) => {
            report.diff = firewall::diff(&existing, &body);
            if report.diff.is_empty() {
                report.action = "unchanged".into();
            } else if let Some(change) = report.diff.iter().find(|c| c.field == "network").cloned()
            {
                printer.show(&differs(report), format)?;
                return Err(UserError::failure(format!(
                    "firewall rule {} already exists in network {}, and a rule cannot move to another network",
                    spec.name,
                    value_text("network", &change.current)
                ))
                .with_hint("pick another --name, or delete the rule first (`rigger firewall delete`)")
                .into());
            } else if args.dry_run {
                let url = compute.url(&format!(
                    "projects/{project}/global/firewalls/{}?requestId={request_id}",
                    spec.name
                ));
                talk.step(&format!(
                    "dry run: firewall rule {} differs ({}); {} PUT {url}; nothing was changed",
                    spec.name,
                    report
                        .diff
                        .iter()
                        .map(|c| c.field.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if args.update {
                        "would send"
                    } else {
                        "with --update would send"
                    }
                ));
                report.action = "would-update".into();
                report.request = Some(DryRunRequest {
                    method: "PUT".into(),
                    url,
                    body,
                });
            } else if !args.update {
                let name = spec.name.clone();
                printer.show(&differs(report), format)?;
                return Err(UserError::failure(format!(
                    "firewall rule {name} already exists in project {project} and differs from what was asked"
                ))
                .with_hint("pass --update to replace it with the rule shown, or pick another --name")
                .into());
            } else {
                talk.step(&format!(
                    "updating firewall rule {} in project {project}",
                    spec.name
                ));
                let op = compute
                    .update_firewall(&project, &body, &request_id)
                    .await?;
                report.action = "updated".into();
                report.operation = op["name"].as_str().map(str::to_string);
            }
        }
    }
    Ok(report)
}

fn differs(mut report: AllowReport) -> AllowReport {
    report.action = "differs".into();
    report
}

fn check(spec: &RuleSpec) -> anyhow::Result<()> {
    firewall::validate(spec).map_err(|problems| {
        let mut message = problems[0].clone();
        for p in &problems[1..] {
            message.push_str("; ");
            message.push_str(p);
        }
        UserError::input(message).into()
    })
}

/// The gateway Service's address the way `rigger gateway url` finds it, plus the nodes read for it.
async fn gateway_address(
    args: &FirewallAllowArgs,
    ctx: &Context,
) -> anyhow::Result<(IngressAddress, Vec<Node>)> {
    let conn = ctx.connection().await?;
    let services: kube::Api<Service> =
        kube::Api::namespaced(conn.client.clone(), &args.gateway_namespace);
    let service = services
        .get_opt(&args.gateway_service)
        .await
        .explain_while(&conn.server, || {
            format!("reading the ingress gateway service {}/{}", args.gateway_namespace, args.gateway_service)
        })?
        .ok_or_else(|| {
            UserError::failure(format!(
                "the ingress gateway service {}/{} was not found",
                args.gateway_namespace, args.gateway_service
            ))
            .with_hint("install Istio with its ingress gateway first, or name the service with --gateway-namespace/--gateway-service, or pass --port")
        })?;
    let nodes = list_nodes(ctx).await?;
    let address = ingress::resolve(&service, &nodes, &args.gateway_port_name).map_err(|why| {
        UserError::failure(format!("could not find the ingress port: {why}"))
            .with_hint("pass the port with --port")
    })?;
    Ok((address, nodes))
}

async fn list_nodes(ctx: &Context) -> anyhow::Result<Vec<Node>> {
    crate::cluster::ingress::list_nodes(ctx.connection().await?).await
}

/// Nodes, read at most once; a cluster that cannot be reached is a warning here, not an error.
#[derive(Default)]
struct ClusterFacts {
    nodes: Option<Vec<Node>>,
    tried: bool,
}

impl ClusterFacts {
    async fn nodes(&mut self, ctx: &Context, talk: &dyn Progress) -> &[Node] {
        if self.nodes.is_none() && !self.tried {
            self.tried = true;
            match list_nodes(ctx).await {
                Ok(nodes) => self.nodes = Some(nodes),
                Err(e) => {
                    let r = crate::error::render(&e);
                    talk.warn(&format!(
                        "could not read the cluster's nodes: {}",
                        r.causes.last().unwrap_or(&r.error)
                    ));
                }
            }
        }
        self.nodes.as_deref().unwrap_or(&[])
    }
}

/// GCE instances behind nodes: (node name, project, zone, instance).
fn gce_instances(nodes: &[Node]) -> Vec<(String, String, String, String)> {
    nodes
        .iter()
        .filter_map(|n| {
            let id = n.spec.as_ref()?.provider_id.as_deref()?;
            let (project, zone, instance) = project::parse_provider_id(id)?;
            Some((
                n.metadata.name.clone().unwrap_or_default(),
                project,
                zone,
                instance,
            ))
        })
        .collect()
}

/// The nodes' network tags: the tags every node has, else (node pools differ) all of them.
async fn node_tags(
    compute: &Compute,
    nodes: &[Node],
    talk: &dyn Progress,
) -> anyhow::Result<Vec<String>> {
    let instances = gce_instances(nodes);
    if instances.is_empty() {
        if !nodes.is_empty() {
            talk.warn("the cluster's nodes have no GCE providerID (gce://PROJECT/ZONE/NAME), so their tags are unknown");
        }
        return Ok(vec![]);
    }
    let lookups = instances
        .iter()
        .map(|(_, project, zone, name)| compute.get_instance(project, zone, name));
    let results = futures::future::join_all(lookups).await;
    let mut per_node: Vec<BTreeSet<String>> = Vec::new();
    for ((node, ..), result) in instances.iter().zip(results) {
        let instance =
            result.map_err(|e| e.context(format!("finding the network tags of node {node}")))?;
        let tags: BTreeSet<String> = instance["tags"]["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        per_node.push(tags);
    }
    let common = per_node.iter().skip(1).fold(per_node[0].clone(), |acc, t| {
        acc.intersection(t).cloned().collect()
    });
    if !common.is_empty() {
        return Ok(common.into_iter().collect());
    }
    let all: BTreeSet<String> = per_node.into_iter().flatten().collect();
    Ok(all.into_iter().collect())
}

/// Credentials and a Compute client.
struct Gcp {
    credentials: Arc<Credentials>,
    compute: Compute,
}

impl Gcp {
    async fn connect(env: &Env, args: &GcpArgs) -> anyhow::Result<Gcp> {
        let http = crate::cloud::http_client()?;
        let credentials = Arc::new(Credentials::discover(env, &http).await?);
        tracing::debug!("Google credentials: {}", credentials.describe());
        let compute = Compute::new(http, &args.compute_endpoint, credentials.clone());
        Ok(Gcp {
            credentials,
            compute,
        })
    }
}

/// The project, in the documented order; the cluster is asked last and only when needed.
async fn resolve_project(
    args: &GcpArgs,
    env: &Env,
    credentials: &Credentials,
    cluster: &mut ClusterFacts,
    ctx: &Context,
    talk: &dyn Progress,
) -> anyhow::Result<(String, ProjectSource)> {
    if let Some(found) = project::from_local(args.project.as_deref(), env) {
        return Ok(found);
    }
    if let Some(p) = credentials.project().await {
        return Ok((p, ProjectSource::Credentials));
    }
    let nodes = cluster.nodes(ctx, talk).await;
    if let Some((node, project, ..)) = gce_instances(nodes).into_iter().next() {
        return Ok((project, ProjectSource::NodeProviderId(node)));
    }
    Err(UserError::input("no Google Cloud project given or found")
        .with_hint(
            "pass --project, set GOOGLE_CLOUD_PROJECT, or run `gcloud config set project ID`",
        )
        .into())
}

/// `-o table` rows / `-o json` array for `list`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct RuleList(Vec<Value>);

impl Show for RuleList {
    fn human(&self, _style: &Style) -> String {
        let rows: Vec<Vec<String>> = self
            .0
            .iter()
            .map(|r| {
                let s = |f: &str| r[f].as_str().unwrap_or_default().to_string();
                vec![
                    s("name"),
                    s("network")
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    s("direction"),
                    r["priority"]
                        .as_u64()
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                    firewall::rules_summary(&r["allowed"]),
                    firewall::rules_summary(&r["denied"]),
                    value_text("sourceRanges", &r["sourceRanges"]),
                    value_text("targetTags", &r["targetTags"]),
                    r["disabled"].as_bool().unwrap_or(false).to_string(),
                ]
            })
            .collect();
        table::render(
            &[
                "name",
                "network",
                "direction",
                "priority",
                "allow",
                "deny",
                "source_ranges",
                "target_tags",
                "disabled",
            ],
            &rows,
        )
    }
}

pub async fn list(args: &FirewallListArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::{Json, Table, Yaml};
    let format = ctx.format(&[Table, Json, Yaml], Table)?;
    let env = Env::from_process();
    let gcp = Gcp::connect(&env, &args.gcp).await?;
    let mut cluster = ClusterFacts::default();
    let (project, _) = resolve_project(
        &args.gcp,
        &env,
        &gcp.credentials,
        &mut cluster,
        ctx,
        &ctx.printer,
    )
    .await?;
    let rules = gcp.compute.list_firewalls(&project).await?;
    if rules.is_empty() && format == Table {
        ctx.printer
            .info(&format!("no firewall rules in project {project}"));
        return Ok(Exit::Success);
    }
    ctx.printer.show(&RuleList(rules), format)?;
    Ok(Exit::Success)
}

pub async fn delete(args: &FirewallDeleteArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use std::io::IsTerminal as _;
    if !firewall::is_gce_name(&args.name) {
        return Err(
            UserError::input(format!("{:?} is not a valid firewall rule name", args.name)).into(),
        );
    }
    let env = Env::from_process();
    let gcp = Gcp::connect(&env, &args.gcp).await?;
    let mut compute = gcp.compute;
    compute.operation_timeout = args.timeout;
    let mut cluster = ClusterFacts::default();
    let (project, _) = resolve_project(
        &args.gcp,
        &env,
        &gcp.credentials,
        &mut cluster,
        ctx,
        &ctx.printer,
    )
    .await?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(UserError::input(format!(
                "refusing to delete firewall rule {} in project {project} without confirmation",
                args.name
            ))
            .with_hint("pass --yes")
            .into());
        }
        let question = format!(
            "delete firewall rule {} in project {project}? [y/N]",
            args.name
        );
        if !ctx.printer.confirm(&question)? {
            ctx.printer.info("nothing deleted");
            return Ok(Exit::Success);
        }
    }
    if compute
        .delete_firewall(&project, &args.name, &firewall::request_id())
        .await?
    {
        ctx.printer.success(&format!(
            "firewall rule {} deleted from project {project}",
            args.name
        ));
    } else {
        ctx.printer.info(&format!(
            "firewall rule {} does not exist in project {project}; nothing to delete",
            args.name
        ));
    }
    Ok(Exit::Success)
}
