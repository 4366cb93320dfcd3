//! `rigger demo`: the whole walkthrough against a simulated cluster started in this process, with the
//! sample storefront application rigger ships, narrated step by step with the manual commands each step
//! replaces. Nothing here touches a real cluster or cloud.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::cli::{DemoArgs, OutputFormat};
use crate::cluster::{ConnectOptions, manifests};
use crate::commands::gateway;
use crate::commands::up::{self, Plan};
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
    n.insert("url", "\n» Find where the ingress gateway answers and check it.\n  by hand: export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath=...); curl http://$INGRESS_HOST:$INGRESS_PORT/productpage".to_string());
    n
}

pub async fn run(args: &DemoArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(&[OutputFormat::Text, OutputFormat::Json], OutputFormat::Text)?;
    let json = format == OutputFormat::Json;
    let workloads = manifests::from_text(STOREFRONT, "storefront.yaml")?;
    let plan = Plan {
        namespace: NAMESPACE.to_string(),
        inject: vec![NAMESPACE.to_string()],
        workloads,
        expose: Some(("productpage".to_string(), Some(9080))),
        paths: vec!["/productpage".to_string()],
        prefixes: vec![],
        timeout: args.timeout,
        lb_wait: Duration::from_secs(10),
        narration: narration(),
    };
    let display = StepDisplay::new(&ctx.printer, json, plan.len());
    display.say("rigger demo: this runs the whole Istio walkthrough against kubesim, a SIMULATED Kubernetes cluster");
    display.say("started inside this process on 127.0.0.1; nothing touches a real cluster or cloud.");

    let sim = tokio::task::spawn_blocking(|| kubesim::Sim::start(kubesim::SimOptions::cluster())).await??;
    let dir = crate::commands::demo::workdir()?;
    let kubeconfig = args.kubeconfig_out.clone().unwrap_or_else(|| dir.join("kubeconfig"));
    sim.write_kubeconfig(&kubeconfig)?;
    display.say(&format!("simulated cluster ready at {} (kubeconfig {})", sim.url(), kubeconfig.display()));
    let conn = crate::cluster::connect(&ConnectOptions {
        kubeconfig: Some(kubeconfig.clone()),
        context: None,
        request_timeout: ctx.global.request_timeout,
    })
    .await?;

    let summary = match up::execute(&plan, &conn, &display).await {
        Ok(summary) => summary,
        Err((error, _)) => {
            shutdown(sim).await;
            return Err(error);
        }
    };
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

/// A private temporary directory for the demo's kubeconfig.
pub fn workdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rigger-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
