//! `rigger gateway expose|apply`: put a Service behind the Istio ingress gateway, or apply any
//! networking manifests the way `kubectl apply --server-side` would.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Pod, Service};
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::GroupVersionKind;
use serde::Serialize;

use crate::cli::{
    GatewayApplyArgs, GatewayArgs, GatewayCommand, GatewayExposeArgs, GatewayUrlArgs, OutputFormat,
};
use crate::cluster::apply::{Applied, Applier, ApplyOptions};
use crate::cluster::{Connection, KubeResultExt, manifests};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::gateway::{self, ExposeSpec};
use crate::istio::ingress::{AddressCase, IngressAddress};
use crate::output::{Show, Style};

pub async fn run(args: &GatewayArgs, ctx: &Context) -> anyhow::Result<Exit> {
    match &args.command {
        GatewayCommand::Expose(a) => expose(a, ctx).await,
        GatewayCommand::Apply(a) => apply(a, ctx).await,
        GatewayCommand::Url(a) => url(a, ctx).await,
    }
}

/// What `gateway expose` and `gateway apply` report.
#[derive(Debug, Serialize)]
pub struct ApplyReport {
    pub dry_run: bool,
    pub applied: Vec<Applied>,
}

impl Show for ApplyReport {
    fn human(&self, _: &Style) -> String {
        let suffix = if self.dry_run {
            " (server dry run)"
        } else {
            ""
        };
        self.applied
            .iter()
            .map(|a| format!("{} {}{suffix}\n", a.reference(), a.outcome))
            .collect()
    }
}

/// Checks the Service, its port, the networking API and the ingress gateway, and builds the Gateway
/// and VirtualService to apply. Changes nothing.
pub async fn prepare_expose(
    conn: &Connection,
    namespace: &str,
    args: &GatewayExposeArgs,
) -> anyhow::Result<(ExposeSpec, Vec<DynamicObject>)> {
    let selector = gateway::parse_selector(&args.gateway_selector)
        .map_err(|e| UserError::input(format!("--gateway-selector: {e}")))?;
    let service_port = service_port(conn, namespace, &args.service, args.port).await?;
    let version = networking_version(&Applier::new(conn)).await?;
    let spec = ExposeSpec {
        service: args.service.clone(),
        namespace: namespace.to_string(),
        service_port,
        hosts: args.host.clone(),
        gateway_port: args.gateway_port,
        exact_paths: args.path.clone(),
        prefixes: args.prefix.clone(),
        name: args.name.clone().unwrap_or_else(|| args.service.clone()),
        selector,
        version,
    };
    gateway::validate(&spec).map_err(UserError::input)?;
    require_ingress_gateway(conn, &args.gateway_selector).await?;
    let objects: Vec<DynamicObject> = gateway::build(&spec)
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()?;
    Ok((spec, objects))
}

/// Applies what [`prepare_expose`] built (force: these objects are rigger's own).
pub async fn apply_expose(
    conn: &Connection,
    spec: &ExposeSpec,
    objects: &[DynamicObject],
    progress: &dyn crate::progress::Progress,
) -> anyhow::Result<Vec<Applied>> {
    let options = ApplyOptions {
        force: true,
        dry_run: false,
        default_namespace: spec.namespace.clone(),
    };
    Applier::new(conn)
        .apply_all(objects, &options, None, progress)
        .await
}

async fn expose(args: &GatewayExposeArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let namespace = ctx.namespace().await?;
    let (spec, objects) = prepare_expose(conn, &namespace, args).await?;
    if args.dry_run {
        // Exactly what would be applied.
        return print_objects(ctx, &objects, format).map(|_| Exit::Success);
    }
    let reporter = ctx.printer.reporter();
    let applied = apply_expose(conn, &spec, &objects, &reporter).await?;
    reporter.finish();
    let report = ApplyReport {
        dry_run: false,
        applied,
    };
    match format {
        Text => {
            for line in report.human(&ctx.printer.stderr_style()).lines() {
                ctx.printer.success(line);
            }
            match crate::cluster::ingress::lookup(conn, "istio-system", "istio-ingressgateway", "http2").await {
                Ok(address) => {
                    describe_case(ctx, &address);
                    for path in spec.example_paths() {
                        ctx.printer.line(&address.url(&path))?;
                    }
                }
                Err(_) => ctx.printer.info(
                    "find the address with: rigger gateway url -n <namespace of the ingress gateway>",
                ),
            }
        }
        other => ctx.printer.show(&report, other)?,
    }
    Ok(Exit::Success)
}

fn print_objects(
    ctx: &Context,
    objects: &[DynamicObject],
    format: OutputFormat,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => ctx.printer.json(objects),
        _ => {
            let mut docs = Vec::new();
            for obj in objects {
                let value = serde_json::to_value(obj)?;
                docs.push(serde_saphyr::to_string(&value)?.trim_end().to_string());
            }
            ctx.printer.data(&format!("{}\n", docs.join("\n---\n")))
        }
    }
}

/// The Service's port to route to: the one asked for (checked), or its only port.
async fn service_port(
    conn: &Connection,
    namespace: &str,
    name: &str,
    wanted: Option<u16>,
) -> anyhow::Result<u16> {
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let service = api
        .get_opt(name)
        .await
        .explain_while(&conn.server, || {
            format!("reading service {namespace}/{name}")
        })?
        .ok_or_else(|| {
            UserError::input(format!(
                "service \"{name}\" not found in namespace \"{namespace}\""
            ))
            .with_hint(format!(
                "check the name and -n; `kubectl get services -n {namespace}` lists them"
            ))
        })?;
    let ports: Vec<u16> = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(|ports| {
            ports
                .iter()
                .filter_map(|p| u16::try_from(p.port).ok())
                .collect()
        })
        .unwrap_or_default();
    let listed = ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match wanted {
        Some(port) if ports.contains(&port) => Ok(port),
        Some(port) => Err(UserError::input(format!(
            "service {namespace}/{name} has no port {port}"
        ))
        .with_hint(format!("its ports: {listed}"))
        .into()),
        None => match ports.as_slice() {
            [only] => Ok(*only),
            [] => Err(UserError::input(format!("service {namespace}/{name} has no ports")).into()),
            _ => Err(UserError::input(format!(
                "service {namespace}/{name} has several ports; say which with --port"
            ))
            .with_hint(format!("its ports: {listed}"))
            .into()),
        },
    }
}

/// The newest version of networking.istio.io the cluster serves.
async fn networking_version(applier: &Applier<'_>) -> anyhow::Result<String> {
    for version in gateway::NETWORKING_VERSIONS {
        let gvk = GroupVersionKind::gvk(gateway::NETWORKING_GROUP, version, "Gateway");
        if applier.resolve(&gvk).await?.is_some() {
            return Ok(version.to_string());
        }
    }
    Err(UserError::failure(
        "the cluster does not serve Istio's networking API (networking.istio.io)",
    )
    .with_hint("install Istio first: `rigger install`")
    .into())
}

/// Fails unless some pod (or Deployment) carries the gateway selector's labels.
async fn require_ingress_gateway(conn: &Connection, selector: &str) -> anyhow::Result<()> {
    let params = ListParams::default().labels(selector).limit(1);
    let pods: Api<Pod> = Api::all(conn.client.clone());
    let found = !pods
        .list_metadata(&params)
        .await
        .explain_while(&conn.server, || {
            format!("looking for ingress gateway pods ({selector})")
        })?
        .items
        .is_empty();
    if found {
        return Ok(());
    }
    let deployments: Api<Deployment> = Api::all(conn.client.clone());
    let found = !deployments
        .list_metadata(&params)
        .await
        .explain_while(&conn.server, || {
            format!("looking for ingress gateway deployments ({selector})")
        })?
        .items
        .is_empty();
    if found {
        return Ok(());
    }
    Err(UserError::failure(format!("no ingress gateway matches {selector}"))
        .with_hint("install Istio with an ingress gateway (the default profile has one), or pass --gateway-selector")
        .into())
}

async fn apply(args: &GatewayApplyArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    // Read and parse everything first: bad input applies nothing.
    let mut objects = Vec::new();
    let mut sources = Vec::new();
    for path in &args.filename {
        for manifest in manifests::read(path)? {
            sources.push(manifest.source);
            objects.push(manifest.object);
        }
    }
    if objects.is_empty() {
        return Err(UserError::input("the input holds no objects").into());
    }
    let conn = ctx.connection().await?;
    let namespace = ctx.namespace().await?;
    let applier = Applier::new(conn);
    let options = ApplyOptions {
        force: args.force_conflicts,
        dry_run: args.dry_run,
        default_namespace: namespace,
    };
    let reporter = ctx.printer.reporter();
    let applied = applier
        .apply_all(&objects, &options, Some(&sources), &reporter)
        .await
        .map_err(conflict_hint)?;
    reporter.finish();
    ctx.printer.show(
        &ApplyReport {
            dry_run: args.dry_run,
            applied,
        },
        format,
    )?;
    Ok(Exit::Success)
}

fn conflict_hint(error: anyhow::Error) -> anyhow::Error {
    if error.chain().any(|e| e.to_string().contains("conflict")) {
        return crate::error::ResultExt::hint(Err::<(), _>(error), "another field manager owns these fields; rerun with --force-conflicts to take them over")
            .unwrap_err();
    }
    error
}

/// Namespace of the ingress gateway: -n when given, else istio-system (not the context's namespace).
fn gateway_namespace(ctx: &Context) -> String {
    ctx.global
        .namespace
        .clone()
        .unwrap_or_else(|| "istio-system".to_string())
}

/// What `gateway url` reports.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlReport {
    pub url: String,
    #[serde(flatten)]
    pub address: IngressAddress,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckResult>,
}

/// The answer to an HTTP GET.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Show for UrlReport {
    fn human(&self, _: &Style) -> String {
        format!("{}\n", self.url)
    }
}

async fn url(args: &GatewayUrlArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Env, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let namespace = gateway_namespace(ctx);
    let address = if args.wait {
        let reporter = ctx.printer.reporter();
        let address = crate::cluster::ingress::wait_for_address(
            conn,
            &namespace,
            &args.service,
            &args.port_name,
            args.timeout,
            &reporter,
        )
        .await?;
        reporter.finish();
        address
    } else {
        crate::cluster::ingress::lookup(conn, &namespace, &args.service, &args.port_name).await?
    };
    let url = address.url(&args.path);
    let check = if args.check {
        Some(http_check(&url).await)
    } else {
        None
    };
    describe_case(ctx, &address);
    let report = UrlReport {
        url,
        address,
        check,
    };
    match format {
        Env => {
            let a = &report.address;
            ctx.printer.data(&format!(
                "export INGRESS_HOST={}\nexport INGRESS_PORT={}\nexport GATEWAY_URL={}:{}\n",
                shell_quote(&a.host),
                a.port,
                shell_quote(&a.host),
                a.port
            ))?;
        }
        other => ctx.printer.show(&report, other)?,
    }
    if let Some(check) = &report.check {
        let latency = check.latency_ms;
        match (check.ok, check.status, &check.error) {
            (true, Some(status), _) => ctx
                .printer
                .success(&format!("{} answered {status} in {latency} ms", report.url)),
            (false, Some(status), _) => {
                ctx.printer
                    .warn(&format!("{} answered {status} in {latency} ms", report.url));
                return Ok(Exit::ChecksFailed);
            }
            (_, _, error) => {
                ctx.printer.warn(&format!(
                    "{} did not answer: {}",
                    report.url,
                    error.clone().unwrap_or_default()
                ));
                return Ok(Exit::ChecksFailed);
            }
        }
    }
    Ok(Exit::Success)
}

/// Says on stderr how the address was found, and when a firewall rule may be needed.
fn describe_case(ctx: &Context, address: &IngressAddress) {
    ctx.printer
        .info(&format!("reached through {}", address.case.describe()));
    if address.case == AddressCase::NodePort {
        ctx.printer.info(
            "note: traffic to a NodePort may be blocked by the cloud firewall; open it with `rigger firewall allow --from-gateway`",
        );
    }
}

fn shell_quote(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-_:/".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// One HTTP GET with a short timeout; never fails, reports what happened.
/// The client of URL checks: one GET, ten seconds at most.
fn check_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
}

/// Whether a status counts as the URL answering (2xx, or a redirect).
pub fn answers(status: reqwest::StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

/// GETs the URL once and returns the status and the body as text.
pub async fn http_get(url: &str) -> anyhow::Result<(reqwest::StatusCode, String)> {
    let response = check_client()?.get(url).send().await?;
    let status = response.status();
    Ok((status, response.text().await?))
}

pub async fn http_check(url: &str) -> CheckResult {
    let started = std::time::Instant::now();
    let result = match check_client() {
        Ok(client) => client.get(url).send().await,
        Err(e) => {
            return CheckResult {
                ok: false,
                status: None,
                latency_ms: 0,
                error: Some(e.to_string()),
            };
        }
    };
    let latency_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(response) => {
            let status = response.status();
            CheckResult {
                ok: answers(status),
                status: Some(status.as_u16()),
                latency_ms,
                error: None,
            }
        }
        Err(e) => {
            let why = if e.is_connect() {
                "connection refused or unreachable".to_string()
            } else if e.is_timeout() {
                "timed out".to_string()
            } else {
                e.to_string()
            };
            CheckResult {
                ok: false,
                status: None,
                latency_ms,
                error: Some(why),
            }
        }
    }
}
