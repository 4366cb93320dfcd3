//! `rigger demo`: the whole walkthrough against a simulated cluster started in this process, with
//! the sample storefront application rigger ships, narrated step by step with the manual command
//! each step replaces. Nothing here touches a real cluster or cloud, and nothing needs the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::cli::{DemoArgs, GcpArgs, GlobalArgs, OutputFormat};
use crate::cloud::env::Env;
use crate::cluster::manifests;
use crate::commands::gateway;
use crate::commands::up::{self, ControlPlane, FirewallPlan, Plan};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::iop::Input;
use crate::output::steps::StepDisplay;

/// The sample application (rigger's own, shaped like Istio's bookinfo).
pub const STOREFRONT: &str = include_str!("../demo/storefront.yaml");
const NAMESPACE: &str = "storefront";
/// The network tag the simulated nodes carry as Compute instances, as GKE tags its nodes.
const NODE_TAG: &str = "gke-storefront-node";

/// What the demo reports at the end (`-o json`: the last line).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoReport {
    pub simulated: bool,
    pub ok: bool,
    pub url: Option<String>,
    pub status: Option<u16>,
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<PathBuf>,
}

/// A sentence or two before each step, with the manual walkthrough's command for it.
fn narration() -> BTreeMap<&'static str, String> {
    [
        ("precheck", "Check that the cluster can take Istio: API reachable, Kubernetes version, permissions, nodes.\n  by hand: istioctl x precheck"),
        ("operator", "Deploy the Istio operator, which installs and reconciles the control plane.\n  by hand: istioctl operator init"),
        ("install", "Hand the operator an IstioOperator (profile default: istiod and the ingress gateway) and wait until it reports HEALTHY.\n  by hand: kubectl create ns istio-system; kubectl apply -f istio-manifest.yaml; kubectl logs -f -n istio-operator deploy/istio-operator"),
        ("inject", "Label the namespace for sidecar injection and restart what runs there.\n  by hand: kubectl label namespace storefront istio-injection=enabled; kubectl delete pods --all -n storefront"),
        ("apply", "Deploy the storefront application (a product page, a catalog, reviews and ratings).\n  by hand: kubectl apply -n storefront -f storefront.yaml"),
        ("verify-sidecars", "Prove every pod carries the Envoy sidecar (istio-proxy, image proxyv2).\n  by hand: kubectl get pods -n storefront -o jsonpath='{..image}' and look for proxyv2"),
        ("expose", "Route the ingress gateway to the product page with a Gateway and a VirtualService.\n  by hand: kubectl apply -f storefront-gateway.yaml"),
        ("url", "Find where the ingress gateway answers (this simulated cloud gives it no load balancer, so a node address and the NodePort).\n  by hand: export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}') and INGRESS_PORT likewise"),
        ("firewall", "Open the gateway's NodePort in the (simulated) GCP firewall, only for the cluster's nodes.\n  by hand: gcloud compute firewall-rules create allow-gateway-http --allow tcp:$INGRESS_PORT"),
        ("check", "Check that the product page answers through the ingress gateway.\n  by hand: curl -s http://$INGRESS_HOST:$INGRESS_PORT/productpage"),
    ]
    .into_iter()
    .map(|(step, text)| (step, format!("\n» {text}")))
    .collect()
}

pub async fn run(args: &DemoArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(
        &[OutputFormat::Text, OutputFormat::Json],
        OutputFormat::Text,
    )?;
    let json = format == OutputFormat::Json;
    let workloads = manifests::from_text(STOREFRONT, "storefront.yaml")?;
    let control_plane = ControlPlane::from_input(
        &Input {
            profile: Some("default".to_string()),
            ..Input::default()
        },
        None,
        crate::istio::operator::DEFAULT_HUB,
    )?;
    ctx.printer.info(
        "rigger demo: the whole Istio walkthrough against kubesim, a SIMULATED Kubernetes cluster started",
    );
    ctx.printer
        .info("inside this process on 127.0.0.1; nothing touches a real cluster or cloud.");

    let mut options = kubesim::SimOptions::cluster();
    if let Some(world) = options.world.as_mut() {
        // Like a cluster whose cloud gives the gateway no load balancer: reached on a NodePort,
        // which is when the walkthrough's firewall rule is needed.
        world.load_balancer = kubesim::world::LoadBalancerMode::Pending;
    }
    let sim = tokio::task::spawn_blocking(move || kubesim::Sim::start(options))
        .await?
        .map_err(|e| {
            UserError::failure(format!("cannot start the simulated cluster: {e:#}"))
                .with_hint("the demo needs free loopback ports on 127.0.0.0/8")
        })?;
    let dir = Workdir::new()?;
    let kubeconfig = args
        .kubeconfig_out
        .clone()
        .unwrap_or_else(|| dir.path().join("kubeconfig"));
    sim.write_kubeconfig(&kubeconfig)?;
    let (compute, env) = fake_cloud(&sim, dir.path()).await?;
    ctx.printer.info(&format!(
        "simulated cluster ready at {} (kubeconfig {})",
        sim.url(),
        kubeconfig.display()
    ));
    // Every step talks to the simulated cluster through its own kubeconfig, as with a real one.
    let demo_ctx = Context::new(
        GlobalArgs {
            kubeconfig: Some(kubeconfig.clone()),
            context: None,
            namespace: None,
            ..ctx.global.clone()
        },
        ctx.printer.clone(),
    );
    let gcp = GcpArgs {
        project: None,
        compute_endpoint: compute.url(),
    };
    let plan = Plan {
        control_plane: Some(control_plane),
        namespace: NAMESPACE.to_string(),
        inject: vec![NAMESPACE.to_string()],
        workloads,
        expose: Some(("productpage".to_string(), Some(9080))),
        paths: vec!["/productpage".to_string()],
        prefixes: vec![],
        timeout: args.timeout,
        lb_wait: Duration::from_secs(2),
        firewall: Some(FirewallPlan::from_gateway(gcp, args.timeout, env)),
        narration: narration(),
    };
    let display = StepDisplay::new(&ctx.printer, json, plan.len());
    let summary = match up::execute(&plan, &demo_ctx, &display).await {
        Ok(summary) => summary,
        Err((error, _)) => {
            shutdown(sim).await;
            return Err(error);
        }
    };
    let mut report = DemoReport {
        simulated: true,
        ok: false,
        url: summary.url.clone(),
        status: None,
        body: None,
        kubeconfig: None,
    };
    if let Some(url) = &summary.url {
        display.say(&format!(
            "\n» Fetch the product page through the simulated ingress gateway.\n  by hand: curl -s {url}"
        ));
        (report.ok, report.status, report.body) = fetch(url).await;
    }
    if args.keep {
        report.kubeconfig = Some(kubeconfig.clone());
    }
    if json {
        StepDisplay::json_summary(&report);
    } else if let (Some(status), Some(body)) = (report.status, &report.body) {
        ctx.printer
            .data(&format!("HTTP {status}\n{}\n", body.trim_end()))?;
    }
    ctx.printer.info(
        "\nThat was a simulated cluster. On a real one, point rigger at your kubeconfig and run `rigger up`.",
    );
    if args.keep {
        // Ctrl-C ends the process through main's handler; dropping this future then stops the
        // simulated cluster and removes the temporary directory with its kubeconfig.
        ctx.printer.info(&format!(
            "\nthe simulated cluster keeps running until Ctrl-C; try:\n  export KUBECONFIG={}\n  rigger verify-sidecars -n {NAMESPACE}\n  kubectl get pods -n {NAMESPACE}",
            kubeconfig.display()
        ));
        std::future::pending::<()>().await;
    }
    drop(compute);
    shutdown(sim).await;
    Ok(if report.ok {
        Exit::Success
    } else {
        Exit::Failure
    })
}

async fn shutdown(sim: kubesim::Sim) {
    let _ = tokio::task::spawn_blocking(move || sim.shutdown()).await;
}

/// GETs the URL once: whether it answered, its status and the start of its body.
async fn fetch(url: &str) -> (bool, Option<u16>, Option<String>) {
    match gateway::http_get(url).await {
        Ok((status, body)) => (
            gateway::answers(status),
            Some(status.as_u16()),
            Some(body.chars().take(2000).collect()),
        ),
        Err(_) => (false, None, None),
    }
}

/// A fake Compute API that knows the simulated nodes as instances (tagged like GKE nodes), and the
/// credential variables that point rigger at it.
async fn fake_cloud(
    sim: &kubesim::Sim,
    dir: &Path,
) -> anyhow::Result<(kubesim::gcp::FakeCompute, Env)> {
    // The nodes kubesim runs, as GKE runs them: instances of one project and zone (the same that
    // their providerID gce://PROJECT/ZONE/NAME names).
    let world = sim
        .world()
        .ok_or_else(|| anyhow::anyhow!("the simulated cluster has no nodes"))?;
    let node_options = &world.options().nodes;
    let (project, zone) = (node_options.project.clone(), node_options.zone.clone());
    let instances: Vec<String> = world.nodes().iter().map(|n| n.name.clone()).collect();
    let options = kubesim::gcp::FakeComputeOptions {
        projects: vec![project.clone()],
        ..Default::default()
    };
    let compute =
        tokio::task::spawn_blocking(move || kubesim::gcp::FakeCompute::start(options)).await??;
    for name in &instances {
        compute.add_instance(&project, &zone, name, &[NODE_TAG]);
    }
    // As on GKE, a node port answers only once a firewall rule lets the traffic in.
    sim.guard_node_ports(compute.node_port_firewall(&project, world.nodes()));
    let key = dir.join("service-account.json");
    std::fs::write(
        &key,
        serde_json::to_vec_pretty(&compute.service_account_json(&project, "rigger-demo"))?,
    )?;
    let env = Env::from_pairs([
        ("GOOGLE_APPLICATION_CREDENTIALS", key.display().to_string()),
        ("GOOGLE_CLOUD_PROJECT", project),
        ("CLOUDSDK_CONFIG", dir.join("gcloud").display().to_string()),
    ]);
    Ok((compute, env))
}

/// A private temporary directory for the demo's kubeconfig and fake credentials, removed on drop.
struct Workdir(PathBuf);

impl Workdir {
    fn new() -> anyhow::Result<Workdir> {
        let dir = std::env::temp_dir().join(format!("rigger-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Workdir(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
