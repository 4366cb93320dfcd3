//! Render benchmark: Istio 1.30.3's istio-discovery chart (and the others) with default values,
//! through rigger's template engine. Run with `cargo bench --bench render`; prints the time per
//! render. No peer tool is timed: there is no `helm` binary on these machines.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use rigger::gotmpl::helm::{self, Chart, RenderOptions};

fn time_renders(chart: &Chart, min_time: Duration) -> (usize, Duration, usize) {
    let values = helm::values_from_json(&serde_json::Value::Null);
    let opts = RenderOptions::default();
    let start = Instant::now();
    let mut n = 0;
    let mut objects = 0;
    while n < 3 || start.elapsed() < min_time {
        let rendered = helm::render(chart, &values, &opts).expect("render");
        objects = helm::manifests(&rendered).expect("manifests").len();
        n += 1;
    }
    (n, start.elapsed() / n as u32, objects)
}

fn main() {
    let Some(charts) =
        kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3/manifests/charts")
    else {
        return;
    };
    for rel in [
        "istio-control/istio-discovery",
        "base",
        "gateway",
        "istio-cni",
        "ztunnel",
    ] {
        let load_start = Instant::now();
        let chart = Chart::load(&charts.join(rel)).expect("chart loads");
        let load = load_start.elapsed();
        let (n, per, objects) = time_renders(&chart, Duration::from_secs(2));
        println!(
            "{rel:32} load {:>8.2} ms   render {:>8.2} ms/render ({n} renders, {objects} objects)",
            load.as_secs_f64() * 1000.0,
            per.as_secs_f64() * 1000.0
        );
    }
}
