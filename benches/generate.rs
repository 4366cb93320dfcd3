//! `manifest generate` benchmark: the whole Istio 1.30.3 pipeline (profiles and values, every
//! enabled chart rendered, k8s patches, istioctl's order and YAML text) for the default and demo
//! profiles, in-process and through the `rigger` binary. Run with `cargo bench --bench generate`;
//! prints the time per render. No peer is timed: there is no istioctl or helm on these machines.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::time::{Duration, Instant};

use rigger::istio::render::{self, Manifests, Request};

fn time<F: FnMut() -> usize>(min_time: Duration, mut f: F) -> (usize, Duration, usize) {
    let start = Instant::now();
    let mut n = 0;
    let mut size = 0;
    while n < 3 || start.elapsed() < min_time {
        size = f();
        n += 1;
    }
    (n, start.elapsed() / n as u32, size)
}

fn main() {
    let Some(release) = kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3") else {
        return;
    };
    let manifests = Manifests::open(&release).expect("release folder");
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/rigger");
    for profile in ["default", "demo"] {
        let request = Request {
            sets: vec![format!("profile={profile}")],
            ..Request::default()
        };
        let mut objects = 0;
        let (n, per, bytes) = time(Duration::from_secs(3), || {
            let generated = render::generate(&manifests, &request).expect("render");
            objects = generated.objects.len();
            render::to_yaml(&generated.objects).len()
        });
        println!(
            "{profile:8} in-process  {:>8.2} ms/render ({n} renders, {objects} objects, {bytes} bytes of YAML)",
            per.as_secs_f64() * 1000.0
        );
        if bin.exists() {
            let (n, per, _) = time(Duration::from_secs(3), || {
                let out = std::process::Command::new(&bin)
                    .args(["manifest", "generate", "--profile", profile, "--manifests"])
                    .arg(&release)
                    .output()
                    .expect("running rigger");
                assert!(out.status.success());
                out.stdout.len()
            });
            println!(
                "{profile:8} binary      {:>8.2} ms/run    ({n} runs, {})",
                per.as_secs_f64() * 1000.0,
                bin.display()
            );
        }
    }
}
