//! Scale benchmark (not a timed test): 10,000 pods in 500 namespaces.
//!
//! Measures loading them (in-process and over HTTPS with kube-rs) and one full paginated list by
//! the real kubectl (table and JSON output), against peers in the same run: kubectl unpaginated
//! and kube-rs paginated. Run with `cargo bench -p kubesim --bench scale`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kubesim::{Sim, SimOptions};
use serde_json::json;

const NAMESPACES: usize = 500;
const PODS_PER_NAMESPACE: usize = 20;

fn pod(ns: usize, i: usize) -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("pod-{i:02}"), "labels": {"app": format!("app-{}", i % 5), "tier": "bench"}},
        "spec": {"nodeName": format!("node-{}", ns % 8), "containers": [
            {"name": "app", "image": "registry.example.com/app:1.0", "ports": [{"containerPort": 8080}], "env": [{"name": "MODE", "value": "bench"}]},
            {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.0", "args": ["proxy", "sidecar"]}
        ]}
    })
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
            })
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn make_namespaces(sim: &Sim) {
    for n in 0..NAMESPACES {
        sim.store()
            .create(
                "",
                "v1",
                "namespaces",
                "",
                json!({"metadata": {"name": format!("ns-{n:03}")}}),
            )
            .unwrap();
    }
}

struct Kubectl {
    bin: std::path::PathBuf,
    home: std::path::PathBuf,
}

impl Kubectl {
    fn time(&self, args: &[&str]) -> (Duration, usize) {
        let started = Instant::now();
        let out = Command::new(&self.bin)
            .args(args)
            .env("HOME", &self.home)
            .env("KUBECONFIG", self.home.join("kubeconfig"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(
            out.status.success(),
            "kubectl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (took, out.stdout.len())
    }
}

fn main() {
    let Some(bin) = kubesim::testkit::tool("kubectl") else {
        return;
    };
    println!(
        "kubesim scale benchmark: {} pods in {NAMESPACES} namespaces",
        NAMESPACES * PODS_PER_NAMESPACE
    );

    // 1. In-process load through the store.
    let sim = Sim::start(SimOptions::default()).unwrap();
    make_namespaces(&sim);
    let rss_before = rss_mib();
    let started = Instant::now();
    for n in 0..NAMESPACES {
        for i in 0..PODS_PER_NAMESPACE {
            sim.store()
                .create("", "v1", "pods", &format!("ns-{n:03}"), pod(n, i))
                .unwrap();
        }
    }
    let store_load = started.elapsed();
    let rss_after = rss_mib();
    drop(sim);

    // 2. Load over HTTPS with kube-rs (16 requests in flight).
    let sim = Sim::start(SimOptions::default()).unwrap();
    make_namespaces(&sim);
    let home = std::env::temp_dir().join(format!("kubesim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    sim.write_kubeconfig(home.join("kubeconfig")).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = rt.block_on(async {
        let kc = Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).unwrap();
        let config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
            .await
            .unwrap();
        kube::Client::try_from(config).unwrap()
    });
    let started = Instant::now();
    rt.block_on(async {
        let jobs = (0..NAMESPACES).flat_map(|n| (0..PODS_PER_NAMESPACE).map(move |i| (n, i)));
        futures::stream::iter(jobs)
            .map(|(n, i)| {
                let api: Api<Pod> = Api::namespaced(client.clone(), &format!("ns-{n:03}"));
                async move {
                    let p: Pod = serde_json::from_value(pod(n, i)).unwrap();
                    api.create(&PostParams::default(), &p).await.unwrap();
                }
            })
            .buffer_unordered(16)
            .collect::<Vec<_>>()
            .await;
    });
    let http_load = started.elapsed();

    // 3. Full paginated lists.
    let kubectl = Kubectl {
        bin,
        home: home.clone(),
    };
    kubectl.time(&["get", "ns", "ns-000"]); // warm the discovery cache
    sim.clear_requests();
    let (table_paged, table_bytes) = kubectl.time(&["get", "pods", "-A", "--chunk-size=500"]);
    let table_requests = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/pods")
        .count();
    sim.clear_requests();
    let (json_paged, json_bytes) =
        kubectl.time(&["get", "pods", "-A", "--chunk-size=500", "-o", "json"]);
    let json_requests = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/pods")
        .count();
    let (table_whole, _) = kubectl.time(&["get", "pods", "-A", "--chunk-size=0"]);
    let (json_whole, _) = kubectl.time(&["get", "pods", "-A", "--chunk-size=0", "-o", "json"]);
    let (kube_paged, kube_items) = rt.block_on(async {
        let api: Api<Pod> = Api::all(client.clone());
        let started = Instant::now();
        let mut params = ListParams::default().limit(500);
        let mut items = 0;
        loop {
            let page = api.list(&params).await.unwrap();
            items += page.items.len();
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(c) => params = params.continue_token(&c),
                None => break,
            }
        }
        (started.elapsed(), items)
    });
    assert_eq!(kube_items, NAMESPACES * PODS_PER_NAMESPACE);
    let _ = std::fs::remove_dir_all(&home);

    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let per_s = |d: Duration| {
        format!(
            "{:.0}/s",
            (NAMESPACES * PODS_PER_NAMESPACE) as f64 / d.as_secs_f64()
        )
    };
    println!("| what | time | notes |");
    println!("|---|---|---|");
    println!(
        "| load 10,000 pods in-process (`Store::create`) | {} | {}; RSS +{:.0} MiB |",
        ms(store_load),
        per_s(store_load),
        rss_after - rss_before
    );
    println!(
        "| load 10,000 pods over HTTPS (kube-rs, 16 in flight) | {} | {} |",
        ms(http_load),
        per_s(http_load)
    );
    println!(
        "| `kubectl get pods -A` (table, pages of 500) | {} | {table_requests} list requests, {table_bytes} bytes out |",
        ms(table_paged)
    );
    println!(
        "| `kubectl get pods -A` (table, one request) | {} | peer: unpaginated |",
        ms(table_whole)
    );
    println!(
        "| `kubectl get pods -A -o json` (pages of 500) | {} | {json_requests} list requests, {json_bytes} bytes out |",
        ms(json_paged)
    );
    println!(
        "| `kubectl get pods -A -o json` (one request) | {} | peer: unpaginated |",
        ms(json_whole)
    );
    println!(
        "| kube-rs `Api::<Pod>::all().list` (pages of 500) | {} | peer client |",
        ms(kube_paged)
    );
}
