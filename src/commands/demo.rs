//! `rigger demo`: the whole walkthrough against a simulated cluster started in this process, with the
//! sample storefront application rigger ships, narrated step by step with the manual commands each step
//! replaces. Nothing here touches a real cluster or cloud.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::cli::{DemoArgs, GcpArgs, GlobalArgs, OutputFormat};
use crate::cloud::env::Env;
use crate::cluster::manifests;
use crate::commands::gateway;
use crate::commands::up::{self, FirewallPlan, Plan};
use crate::context::Context;
use crate::error::Exit;
use crate::output::steps::StepDisplay;

/// The sample application (our own, shaped like Istio's bookinfo).
pub const STOREFRONT: &str = include_str!("../demo/storefront.yaml");
const NAMESPACE: &str = "storefront";

/// What the demo reports at the end (`-o json`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoReport {
    pub simulated: bool,
    pub url: Option<String>,
    pub status: Option<u16>,
    pub body: Option<String>,
    pub kubeconfig: Option<PathBuf>,
}

fn narration() -> BTreeMap<&'static str, String> {
    let mut n = BTreeMap::new();
    n.insert("inject", "\n» Label the namespace for sidecar injection and restart what runs there.\n  by hand: kubectl label namespace storefront istio-injection=enabled; kubectl delete pods --all -n storefront".to_string());
    n.insert("apply", "\n» Deploy the storefront application (a product page, a catalog, reviews and ratings).\n  by hand: kubectl apply -n storefront -f storefront.yaml".to_string());
    n.insert("verify-sidecars", "\n» Prove every pod carries the Envoy sidecar (istio-proxy, image proxyv2).\n  by hand: kubectl get pods -n storefront -o jsonpath='{..image}' and look for proxyv2".to_string());
    n.insert("expose", "\n» Route the ingress gateway to the product page with a Gateway and a VirtualService.\n  by hand: kubectl apply -f storefront-gateway.yaml".to_string());
    n.insert("url", "\n» Find where the ingress gateway answers.\n  by hand: export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}') and INGRESS_PORT likewise".to_string());
    n.insert("firewall", "\n» Open the gateway's port in the (simulated) GCP firewall, scoped to the cluster's nodes.\n  by hand: gcloud compute firewall-rules create allow-gateway-http --allow tcp:$INGRESS_PORT".to_string());
    n.insert("check", "\n» Check that the product page answers through the ingress gateway.\n  by hand: curl -s http://$INGRESS_HOST:$INGRESS_PORT/productpage".to_string());
    n
}

pub async fn run(args: &DemoArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(&[OutputFormat::Text, OutputFormat::Json], OutputFormat::Text)?;
    let json = format == OutputFormat::Json;
    let workloads = manifests::from_text(STOREFRONT, "storefront.yaml")?;
    ctx.printer.info("rigger demo: this runs the whole Istio walkthrough against kubesim, a SIMULATED Kubernetes cluster");
    ctx.printer.info("started inside this process on 127.0.0.1; nothing touches a real cluster or cloud.");

    let sim = tokio::task::spawn_blocking(|| kubesim::Sim::start(kubesim::SimOptions::cluster())).await??;
    let dir = workdir()?;
    let kubeconfig = args.kubeconfig_out.clone().unwrap_or_else(|| dir.join("kubeconfig"));
    sim.write_kubeconfig(&kubeconfig)?;
    let (compute, env) = fake_cloud(&sim, &dir).await?;
    ctx.printer.info(&format!("simulated cluster ready at {} (kubeconfig {})", sim.url(), kubeconfig.display()));
    // Every step talks to the simulated cluster through its own kubeconfig, exactly as with a real one.
    let demo_ctx = Context::new(
        GlobalArgs { kubeconfig: Some(kubeconfig.clone()), context: None, namespace: None, ..ctx.global.clone() },
        ctx.printer.clone(),
    );
    let gcp = GcpArgs { project: None, compute_endpoint: compute.url() };
    let plan = Plan {
        namespace: NAMESPACE.to_string(),
        inject: vec![NAMESPACE.to_string()],
        workloads,
        expose: Some(("productpage".to_string(), Some(9080))),
        paths: vec!["/productpage".to_string()],
        prefixes: vec![],
        timeout: args.timeout,
        lb_wait: Duration::from_secs(10),
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
    drop(compute);
    let mut report = DemoReport { simulated: true, url: summary.url.clone(), status: None, body: None, kubeconfig: None };
    if let Some(url) = &summary.url {
        display.say(&format!("\n» Fetch the product page through the simulated ingress gateway: GET {url}"));
        let (status, body) = fetch(url).await;
        report.status = status;
        report.body = body;
    }
    if json {
        StepDisplay::json_summary(&report);
    } else {
        if let (Some(status), Some(body)) = (report.status, &report.body) {
            ctx.printer.data(&format!("HTTP {status}\n{}\n", body.trim_end()))?;
        }
        ctx.printer.info("\nThat was a simulated cluster. On a real one, point rigger at your kubeconfig and run `rigger up`.");
    }
    if args.keep {
        report.kubeconfig = Some(kubeconfig.clone());
        ctx.printer.info(&format!(
            "\nthe simulated cluster keeps running until Ctrl-C; try:\n  export KUBECONFIG={}\n  rigger verify-sidecars -n {NAMESPACE}\n  kubectl get pods -n {NAMESPACE}",
            kubeconfig.display()
        ));
        let _ = tokio::signal::ctrl_c().await;
    }
    shutdown(sim).await;
    let ok = report.status.is_some_and(|s| (200..400).contains(&s));
    Ok(if ok { Exit::Success } else { Exit::Failure })
}

async fn shutdown(sim: kubesim::Sim) {
    let _ = tokio::task::spawn_blocking(move || sim.shutdown()).await;
}

/// GETs the URL once and returns the status and body (a short excerpt).
async fn fetch(url: &str) -> (Option<u16>, Option<String>) {
    let check = gateway::http_check(url).await;
    let body = match reqwest::get(url).await {
        Ok(response) => response.text().await.ok().map(|t| t.chars().take(2000).collect()),
        Err(_) => None,
    };
    (check.status, body)
}

/// A fake Compute API that knows the simulated nodes as instances (tagged like GKE nodes), and the
/// credential variables that point rigger at it.
async fn fake_cloud(sim: &kubesim::Sim, dir: &std::path::Path) -> anyhow::Result<(kubesim::gcp::FakeCompute, Env)> {
    let nodes = sim.store().list("", "v1", "nodes", None).unwrap_or_default();
    let mut instances = Vec::new();
    for node in &nodes {
        // gce://PROJECT/ZONE/NAME
        if let Some(rest) = node["spec"]["providerID"].as_str().and_then(|p| p.strip_prefix("gce://")) {
            let parts: Vec<&str> = rest.split('/').collect();
            if let [project, zone, name] = parts[..] {
                instances.push((project.to_string(), zone.to_string(), name.to_string()));
            }
        }
    }
    let project = instances.first().map(|i| i.0.clone()).unwrap_or_else(|| "kubesim-project".into());
    let options = kubesim::gcp::FakeComputeOptions { projects: vec![project.clone()], ..Default::default() };
    let compute = tokio::task::spawn_blocking(move || kubesim::gcp::FakeCompute::start(options)).await??;
    for (project, zone, name) in &instances {
        compute.add_instance(project, zone, name, &["gke-storefront-node"]);
    }
    let key = dir.join("service-account.json");
    std::fs::write(&key, serde_json::to_vec_pretty(&compute.service_account_json(&project, "rigger-demo"))?)?;
    let env = Env::from_pairs([
        ("GOOGLE_APPLICATION_CREDENTIALS", key.display().to_string()),
        ("GOOGLE_CLOUD_PROJECT", project),
        ("CLOUDSDK_CONFIG", dir.join("gcloud").display().to_string()),
    ]);
    Ok((compute, env))
}

/// A private temporary directory for the demo's kubeconfig.
pub fn workdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rigger-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
