//! `rigger verify-sidecars -A -o json` against the walkthrough's own check done for every pod
//! (`kubectl get pods -A -o jsonpath=...` listing each pod's container images), on a kubesim holding
//! 10,000 pods in 500 namespaces.
//!
//! Run with `cargo bench --bench verify_sidecars` (options: `-- --pods N --namespaces M --rounds R`).
//! The pods are what a meshed cluster holds: each one injected by kubesim's simulated Istio injector
//! (istio-init, the app, istio-proxy with its full environment and volumes) with a Running status;
//! a few namespaces are not labelled and a few workloads opt out, so every verdict appears. Both
//! tools run interleaved, after one warm-up each (kubectl's discovery cache filled), each under GNU
//! time for its peak RSS (for the kubectl dispatcher that includes the versioned kubectl it runs). Reported: median wall time, peak RSS, API requests
//! (kubesim's request log) and the output size. kubectl missing → a notice, rigger alone.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubesim::world::istio::injector::{Settings, inject};
use serde_json::{Value, json};

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn settings() -> Settings {
    Settings {
        values: json!({"global": {"hub": "docker.io/istio", "tag": "1.23.6", "proxy": {"image": "proxyv2"},
            "proxy_init": {"image": "proxyv2"}, "imagePullSecrets": []}, "pilot": {"env": {}}}),
        ca_addr: "istiod.istio-system.svc:15012".into(),
        revision: String::new(),
        kubelet: Some((1, 32)),
    }
}

/// One pod as a workload controller would create it, injected when `meshed`.
fn pod(ns: &str, i: usize, meshed: bool, opted_out: bool, settings: &Settings) -> Value {
    let app = format!("app-{}", i % 7);
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{app}-6d4f9c7b8-{i:05}"), "namespace": ns,
            "labels": {"app": app, "version": "v1", "pod-template-hash": "6d4f9c7b8"},
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{app}-6d4f9c7b8"),
                "uid": format!("00000000-0000-0000-0000-{i:012}"), "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"serviceAccountName": app, "nodeName": format!("node-{}", i % 3),
            "containers": [{"name": "app", "image": format!("registry.example.com/{app}:1.{}.0", i % 5),
                "ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}],
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}});
    if opted_out {
        pod["metadata"]["annotations"]["sidecar.istio.io/inject"] = json!("false");
    }
    if meshed && !opted_out {
        inject(&mut pod, ns, settings);
    }
    pod
}

fn status(pod: &Value) -> Value {
    let statuses = |field: &str| -> Vec<Value> {
        pod["spec"][field]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                json!({"name": c["name"], "image": c["image"], "imageID": "", "restartCount": 0,
                "ready": field == "containers", "started": true,
                "state": if field == "containers" {
                    json!({"running": {"startedAt": "2026-12-01T10:00:00Z"}})
                } else {
                    json!({"terminated": {"exitCode": 0, "reason": "Completed"}})
                }})
            })
            .collect()
    };
    json!({"phase": "Running", "podIP": "10.8.0.10", "hostIP": "10.128.0.2", "qosClass": "Burstable",
        "startTime": "2026-12-01T10:00:00Z",
        "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"},
            {"type": "ContainersReady", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
        "initContainerStatuses": statuses("initContainers"), "containerStatuses": statuses("containers")})
}

/// 95% of namespaces labelled and meshed; one pod in 50 opted out.
fn seed(sim: &kubesim::Sim, pods: usize, namespaces: usize) -> (usize, usize) {
    let store = sim.store();
    let settings = settings();
    let mut meshed = 0;
    let mut bytes = 0;
    for n in 0..namespaces {
        let ns = format!("team-{n:03}");
        let labelled = n % 20 != 0;
        let labels = if labelled {
            json!({"istio-injection": "enabled"})
        } else {
            json!({})
        };
        store
            .create(
                "",
                "v1",
                "namespaces",
                "",
                json!({"metadata": {"name": ns, "labels": labels}}),
            )
            .expect("creating a namespace");
        for i in (n..pods).step_by(namespaces) {
            let opted_out = i % 50 == 0;
            let p = pod(&ns, i, labelled, opted_out, &settings);
            bytes += p.to_string().len();
            let name = p["metadata"]["name"].as_str().unwrap().to_string();
            let st = status(&p);
            store
                .create("", "v1", "pods", &ns, p)
                .expect("creating a pod");
            store
                .modify_status("", "v1", "pods", &ns, &name, |o| o["status"] = st)
                .expect("setting pod status");
            if labelled && !opted_out {
                meshed += 1;
            }
        }
    }
    (meshed, bytes)
}

struct Sample {
    wall: Duration,
    max_rss_kb: Option<u64>,
    code: i32,
}

/// Runs `cmd` with stdout into `out`. Peak RSS comes from GNU time (`%M`, from its own `wait4` of a
/// child it forked): reaping the tool with `wait4` here would not do, because a child spawned from
/// this process inherits this process's memory high-water mark (the simulated cluster with its
/// 10,000 pods) at exec time. Without /usr/bin/time only the wall time is measured.
fn measure(cmd: &Command, out: &Path, time_bin: Option<&Path>) -> Sample {
    let stdout = File::create(out).expect("creating the output file");
    let rss_file = out.with_extension("rss");
    let mut run = match time_bin {
        Some(time) => {
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&rss_file);
            c.arg(cmd.get_program()).args(cmd.get_args());
            c
        }
        None => {
            let mut c = Command::new(cmd.get_program());
            c.args(cmd.get_args());
            c
        }
    };
    run.env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            run.env(k, v);
        }
    }
    let started = Instant::now();
    let status = run
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .status()
        .expect("spawning");
    let wall = started.elapsed();
    let max_rss_kb = time_bin.and_then(|_| {
        let text = std::fs::read_to_string(&rss_file).ok()?;
        // GNU time writes "Command exited with non-zero status N" first when it fails.
        text.lines().last()?.trim().parse().ok()
    });
    Sample {
        wall,
        max_rss_kb,
        code: status.code().unwrap_or(-1),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Checks the output file and exit code of one run.
type Check = Box<dyn Fn(&Path, i32)>;

struct Tool {
    name: String,
    cmd: Box<dyn Fn() -> Command>,
    walls: Vec<Duration>,
    rss: Vec<u64>,
    requests: usize,
    output: PathBuf,
    check: Check,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pods = arg(&args, "--pods", 10_000);
    let namespaces = arg(&args, "--namespaces", 500);
    let rounds = arg(&args, "--rounds", 3).max(1);

    let dir = std::env::temp_dir().join(format!("rigger-bench-vs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sim = kubesim::Sim::start(kubesim::SimOptions {
        history_limit: 1000,
        ..kubesim::SimOptions::default()
    })
    .expect("starting kubesim");
    let kubeconfig = dir.join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig).unwrap();
    let seeding = Instant::now();
    let (meshed, bytes) = seed(&sim, pods, namespaces);
    println!(
        "verify-sidecars benchmark: {pods} pods in {namespaces} namespaces ({:.1} MB of pod JSON, {meshed} meshed), seeded in {:.1} s",
        bytes as f64 / 1e6,
        seeding.elapsed().as_secs_f64()
    );

    let mut tools: Vec<Tool> = Vec::new();
    let rigger_bin = PathBuf::from(env!("CARGO_BIN_EXE_rigger"));
    {
        let (kc, home) = (kubeconfig.clone(), dir.clone());
        tools.push(Tool {
            name: "rigger verify-sidecars -A -o json".into(),
            cmd: Box::new(move || {
                let mut c = Command::new(&rigger_bin);
                c.env_clear()
                    .env("HOME", &home)
                    .env("KUBECONFIG", &kc)
                    .env("NO_COLOR", "1")
                    .args(["verify-sidecars", "-A", "-o", "json"]);
                c
            }),
            walls: Vec::new(),
            rss: Vec::new(),
            requests: 0,
            output: dir.join("rigger.json"),
            check: Box::new(move |out, code| {
                assert_eq!(code, 3, "some pods lack a sidecar by design");
                let report: Value =
                    serde_json::from_reader(File::open(out).unwrap()).expect("rigger's JSON");
                assert_eq!(report["summary"]["pods"], pods);
                assert_eq!(report["summary"]["meshed"], meshed);
            }),
        });
    }
    let jsonpath = r#"jsonpath={range .items[*]}{.metadata.namespace}{"\t"}{.metadata.name}{"\t"}{.spec.containers[*].image}{"\n"}{end}"#;
    match kubesim::testkit::find_on_path("kubectl") {
        None => eprintln!("note: kubectl is not on PATH; only rigger is measured"),
        Some(kubectl) => {
            let (kc, home) = (kubeconfig.clone(), dir.join("kubectl-home"));
            std::fs::create_dir_all(&home).unwrap();
            tools.push(Tool {
                name: "kubectl get pods -A -o jsonpath=<images>".into(),
                cmd: Box::new(move || {
                    let mut c = Command::new(&kubectl);
                    c.env_clear()
                        .env("HOME", &home)
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("KUBECONFIG", &kc)
                        .args(["get", "pods", "-A", "-o", jsonpath]);
                    c
                }),
                walls: Vec::new(),
                rss: Vec::new(),
                requests: 0,
                output: dir.join("kubectl.txt"),
                check: Box::new(move |out, code| {
                    assert_eq!(code, 0, "kubectl failed");
                    let text = std::fs::read_to_string(out).unwrap();
                    assert_eq!(text.lines().count(), pods);
                    assert_eq!(text.matches("proxyv2").count(), meshed);
                }),
            });
        }
    }

    let time_bin = Path::new("/usr/bin/time");
    let time_bin = time_bin.is_file().then_some(time_bin);
    if time_bin.is_none() {
        eprintln!("note: /usr/bin/time (GNU time) is missing; peak memory is not measured");
    }
    // Warm-up (kubectl fills its discovery cache), then interleaved rounds.
    for tool in &tools {
        let s = measure(&(tool.cmd)(), &tool.output, time_bin);
        (tool.check)(&tool.output, s.code);
    }
    for _ in 0..rounds {
        for tool in &mut tools {
            sim.clear_requests();
            let s = measure(&(tool.cmd)(), &tool.output, time_bin);
            (tool.check)(&tool.output, s.code);
            tool.walls.push(s.wall);
            tool.rss.extend(s.max_rss_kb);
            tool.requests = sim.requests().len();
        }
    }

    println!(
        "{:<44} {:>10} {:>14} {:>9} {:>10}",
        "tool", "median ms", "peak RSS MiB", "requests", "output MB"
    );
    let mut rows = Vec::new();
    for tool in &tools {
        let wall = median(tool.walls.clone());
        let rss = tool.rss.iter().copied().max().unwrap_or(0);
        let out_len = std::fs::metadata(&tool.output)
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "{:<44} {:>10.0} {:>14.1} {:>9} {:>10.2}",
            tool.name,
            wall.as_secs_f64() * 1e3,
            rss as f64 / 1024.0,
            tool.requests,
            out_len as f64 / 1e6
        );
        rows.push((wall, rss));
    }
    if let [(rw, rr), (kw, kr)] = rows[..] {
        let time_ratio = rw.as_secs_f64() / kw.as_secs_f64();
        let mem_ratio = if kr > 0 {
            rr as f64 / kr as f64
        } else {
            f64::NAN
        };
        println!(
            "rigger / kubectl: time {time_ratio:.2}, peak memory {mem_ratio:.2} (goal: both at most 0.50) {}",
            if time_ratio <= 0.5 && mem_ratio <= 0.5 {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    let requests: Vec<String> = {
        sim.clear_requests();
        let s = measure(&(tools[0].cmd)(), &tools[0].output, time_bin);
        (tools[0].check)(&tools[0].output, s.code);
        sim.requests()
            .iter()
            .map(|r| format!("{} {}?{}", r.method, r.path, r.query))
            .collect()
    };
    println!("rigger's requests in one run:");
    for r in collapse(&requests) {
        println!("  {r}");
    }
    sim.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Folds the pages of one list (same path, differing only by `continue`) into one line with a count.
fn collapse(requests: &[String]) -> Vec<String> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in requests {
        let key = match r.find("continue=") {
            Some(i) => {
                let end = r[i..].find('&').map_or(r.len(), |e| i + e);
                format!("{}continue=…{}", &r[..i], &r[end..])
            }
            None => r.clone(),
        };
        let key = key.replace("&continue=…", "").replace("continue=…&", "");
        match out.last_mut() {
            Some((k, n)) if *k == key => *n += 1,
            _ => out.push((key, 1)),
        }
    }
    out.into_iter()
        .map(|(k, n)| if n > 1 { format!("{k}  ×{n}") } else { k })
        .collect()
}
