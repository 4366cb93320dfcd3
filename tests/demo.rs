//! `rigger demo` runs the whole walkthrough against its in-process simulated cluster: to the end
//! non-interactively (plain lines and JSON events), and with the multi-step display on a terminal.

mod support;

use serde_json::Value;
use support::{TempDir, rigger, run};

#[test]
fn demo_runs_to_the_product_page_without_a_terminal() {
    let home = TempDir::new("demo");
    let out = run(rigger(home.path()).arg("demo"));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("SIMULATED"), "{}", out.stderr);
    // Each step is narrated with the manual command it replaces, then reported on one plain line.
    for expected in [
        "by hand: istioctl operator init",
        "by hand: kubectl label namespace storefront istio-injection=enabled",
        "by hand: gcloud compute firewall-rules create allow-gateway-http",
        "✔ [3/10] control plane HEALTHY",
        "✔ [10/10] http://",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
    // stdout is data: the product page's answer.
    assert!(out.stdout.starts_with("HTTP 200\n"), "{}", out.stdout);
    assert!(out.stdout.contains("productpage"), "{}", out.stdout);
    assert!(!out.stdout.contains("by hand"), "{}", out.stdout);
}

#[test]
fn demo_json_ends_with_the_result() {
    let home = TempDir::new("demo-json");
    let out = run(rigger(home.path()).args(["demo", "-o", "json"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let events: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let result = events.last().unwrap();
    assert_eq!(result["event"], "summary");
    assert_eq!(result["simulated"], true);
    assert_eq!(result["ok"], true);
    assert_eq!(result["status"], 200);
    let finished = events
        .iter()
        .filter(|e| e["event"] == "finish" && e["status"] != "failed")
        .count();
    assert_eq!(finished, 10);
}

/// On a terminal (a pty from `script`), steps are drawn by the multi-step display: a spinner line
/// per running step, redrawn in place, then ✔ with the step's summary.
#[test]
fn demo_draws_the_multi_step_display_on_a_terminal() {
    let Some(script) = kubesim::testkit::tool("script") else {
        return;
    };
    let home = TempDir::new("demo-tty");
    let command = format!("{} demo", support::rigger_bin().display());
    let out = run(std::process::Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .env("HOME", home.path())
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "160")
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .stdin(std::process::Stdio::null()));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    // The terminal display redraws lines in place (cursor movement and line clearing)...
    assert!(
        out.stdout.contains("\u{1b}["),
        "no terminal drawing:\n{}",
        out.stdout
    );
    // ...and ends each step with its mark and summary.
    assert!(out.stdout.contains("✔"), "{}", out.stdout);
    assert!(
        out.stdout.contains("control plane HEALTHY"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("HTTP 200"), "{}", out.stdout);
    // Plain-mode step lines do not appear on a terminal.
    assert!(
        !out.stdout
            .contains("[1/10] check the cluster is ready for Istio..."),
        "{}",
        out.stdout
    );
}
