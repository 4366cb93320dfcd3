//! Throughput of `rigger kube-inject` on a 5,000-object multi-document manifest (Deployments,
//! StatefulSets, DaemonSets, Jobs, CronJobs, Pods, Services, ConfigMaps).
//!
//! Run with `cargo bench --bench kube_inject` (add `-- --objects N` for another size). It reports
//! objects/s and MB/s for:
//! - the injection engine in-process (`inject_manifest`),
//! - a plain YAML round trip of the same file with rigger's Go-compatible parser and emitter (the
//!   floor any injector pays),
//! - the `rigger kube-inject` binary end to end,
//! - the peer in the same run: `kubectl create --dry-run=client -o yaml` reading and writing the same
//!   file against a kubesim (kubectl's own parse/serialize cost; skipped when kubectl is missing).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use rigger::istio::inject::manifest::{inject_manifest, split_documents};
use rigger::istio::inject::{Flavor, InjectionSettings};

fn deployment(i: usize, kind: &str, api: &str) -> String {
    format!(
        "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: app-{i}\n  namespace: team-{ns}\n  labels:\n    app: app-{i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n        version: v{v}\n      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/port: \"9090\"\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app-{i}:1.{v}.0\n        ports:\n        - name: http\n          containerPort: 8080\n        - name: metrics\n          containerPort: 9090\n        readinessProbe:\n          httpGet:\n            port: http\n            path: /ready\n        livenessProbe:\n          tcpSocket:\n            port: 8080\n        resources:\n          requests:\n            cpu: 250m\n            memory: 256Mi\n      - name: helper\n        image: registry.example.com/helper:2\n",
        ns = i % 20,
        v = i % 7
    )
}

fn manifest(objects: usize) -> String {
    let mut docs = Vec::with_capacity(objects);
    for i in 0..objects {
        let doc = match i % 50 {
            0..=19 => deployment(i, "Deployment", "apps/v1"),
            20..=23 => deployment(i, "StatefulSet", "apps/v1"),
            24 => deployment(i, "DaemonSet", "apps/v1"),
            25..=29 => format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\n  annotations:\n    sidecar.istio.io/proxyCPU: 200m\nspec:\n  containers:\n  - name: main\n    image: busybox:1.36\n    command: [sleep, infinity]\n"
            ),
            30..=32 => format!(
                "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-{i}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: job\n        image: perl:5\n        command: [perl, -e, print]\n"
            ),
            33..=34 => format!(
                "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cron-{i}\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: cron\n            image: busybox:1.36\n"
            ),
            35..=44 => format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n"
            ),
            _ => format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  settings.json: '{{\"feature\": {i}}}'\n"
            ),
        };
        docs.push(doc);
    }
    docs.join("---\n")
}

struct Measure {
    name: &'static str,
    time: Duration,
}

fn report(m: &Measure, objects: usize, bytes: usize) {
    let secs = m.time.as_secs_f64();
    println!(
        "{:<44} {:>9.1} ms {:>11.0} objects/s {:>8.1} MB/s",
        m.name,
        secs * 1e3,
        objects as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}

/// The best of `runs` timings (the least disturbed by other work on the machine).
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let objects = args
        .iter()
        .position(|a| a == "--objects")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    let input = manifest(objects);
    let dir = std::env::temp_dir().join(format!("rigger-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("manifest.yaml");
    std::fs::write(&file, &input).unwrap();
    let settings = InjectionSettings::defaults(Flavor::Current);
    println!(
        "kube-inject benchmark: {objects} objects, {:.1} MB of YAML ({} workloads to inject)",
        input.len() as f64 / 1e6,
        objects * 35 / 50
    );

    let mut results = Vec::new();
    let mut out_len = 0;
    results.push(Measure {
        name: "rigger engine (inject_manifest, in-process)",
        time: best(3, || {
            let out = inject_manifest(&input, &settings).expect("injection succeeds");
            out_len = out.yaml.len();
        }),
    });
    results.push(Measure {
        name: "YAML round trip only (parse + emit)",
        time: best(3, || {
            for doc in split_documents(&input) {
                let v = rigger::yaml::parse_document(doc.text, "bench").unwrap();
                std::hint::black_box(rigger::yaml::to_go_yaml(&v));
            }
        }),
    });
    let bin = env!("CARGO_BIN_EXE_rigger");
    results.push(Measure {
        name: "rigger kube-inject (binary, end to end)",
        time: best(3, || {
            let out = std::process::Command::new(bin)
                .args(["kube-inject", "--output-file"])
                .arg(dir.join("out.yaml"))
                .arg("-f")
                .arg(&file)
                .env("NO_COLOR", "1")
                .output()
                .expect("running rigger");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }),
    });
    match kubesim::testkit::find_on_path("kubectl") {
        Some(kubectl) => {
            let sim =
                kubesim::Sim::start(kubesim::SimOptions::default()).expect("starting kubesim");
            let kubeconfig = dir.join("kubeconfig");
            sim.write_kubeconfig(&kubeconfig).unwrap();
            results.push(Measure {
                name: "peer: kubectl create --dry-run=client -o yaml",
                time: best(3, || {
                    let out = std::process::Command::new(&kubectl)
                        .env("KUBECONFIG", &kubeconfig)
                        .args([
                            "create",
                            "--dry-run=client",
                            "-o",
                            "yaml",
                            "--validate=false",
                            "-f",
                        ])
                        .arg(&file)
                        .output()
                        .expect("running kubectl");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }),
            });
            sim.shutdown();
        }
        None => eprintln!("note: kubectl is not on PATH; the peer comparison is skipped"),
    }
    println!("(input MB/s; output is {:.1} MB)", out_len as f64 / 1e6);
    for m in &results {
        report(m, objects, input.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
