//! The command line itself: help text (snapshots), version output, exit codes, and the errors users
//! see before any cluster is contacted.

mod support;

use support::{TempDir, rigger, run};

#[test]
fn help_of_every_command_is_snapshotted() {
    let home = TempDir::new("help");
    for path in rigger::reference::command_paths() {
        let args: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
        let out = run(rigger(home.path()).args(&args).arg("--help"));
        assert_eq!(out.code, 0, "{path:?} --help failed: {}", out.stderr);
        let name = format!("help_{}", path.join("_"));
        insta::assert_snapshot!(name, out.stdout);
    }
}

#[test]
fn version_json_is_valid_and_stable() {
    let home = TempDir::new("version");
    let out = run(rigger(home.path()).args(["version", "-o", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let client = &value["clientVersion"];
    assert_eq!(client["version"], env!("CARGO_PKG_VERSION"));
    assert!(client["gitCommit"].as_str().is_some_and(|c| !c.is_empty()));
    assert!(client["platform"].as_str().is_some_and(|p| p.contains('/')));
    assert!(
        value.get("serverVersion").is_none(),
        "no server version without --remote"
    );
    assert!(
        out.stderr.is_empty(),
        "stderr should be empty: {}",
        out.stderr
    );
}

#[test]
fn version_yaml_and_text() {
    let home = TempDir::new("version-yaml");
    let yaml = run(rigger(home.path()).args(["version", "-o", "yaml"]));
    assert_eq!(yaml.code, 0);
    assert!(yaml.stdout.contains("clientVersion:"), "{}", yaml.stdout);
    let text = run(rigger(home.path()).arg("version"));
    assert!(
        text.stdout
            .starts_with(&format!("client version: {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        text.stdout
    );
}

#[test]
fn unsupported_output_format_is_a_usage_error() {
    let home = TempDir::new("format");
    let out = run(rigger(home.path()).args(["version", "-o", "env"]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr, @r"
    error: this command cannot print `-o env`
    hint: use one of: text, json, yaml
    ");
}

#[test]
fn unknown_subcommand_and_bad_flag_values_exit_2() {
    let home = TempDir::new("usage");
    assert_eq!(run(rigger(home.path()).arg("frobnicate")).code, 2);
    let out = run(rigger(home.path()).args(["version", "--request-timeout", "5x"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown unit"), "{}", out.stderr);
}

#[test]
fn no_kubeconfig_is_a_clear_error_with_a_hint() {
    let home = TempDir::new("nokubeconfig");
    let out = run(rigger(home.path()).args(["version", "--remote"]));
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr, @r"
    error: no kubeconfig found, so rigger does not know which cluster to use
    hint: set KUBECONFIG or pass --kubeconfig FILE (for GKE: `gcloud container clusters get-credentials CLUSTER`)
    ");
}

const KUBECONFIG: &str = r#"apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: closed
  cluster:
    server: https://127.0.0.1:PORT
users:
- name: someone
  user:
    token: do-not-print-this-token
contexts:
- name: dev
  context: {cluster: closed, user: someone}
- name: staging
  context: {cluster: closed, user: someone}
"#;

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn unknown_context_lists_the_available_ones() {
    let home = TempDir::new("context");
    let path = home.path().join("kubeconfig");
    std::fs::write(&path, KUBECONFIG.replace("PORT", "1")).unwrap();
    let out = run(rigger(home.path())
        .args(["version", "--remote", "--context", "prod"])
        .env("KUBECONFIG", &path));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: context \"prod\" not found in $KUBECONFIG"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: available contexts: dev, staging"),
        "{}",
        out.stderr
    );
}

#[test]
fn kubeconfig_flag_pointing_nowhere_is_an_input_error() {
    let home = TempDir::new("kcmissing");
    let out = run(rigger(home.path()).args([
        "version",
        "--remote",
        "--kubeconfig",
        "/nonexistent/kubeconfig",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("the kubeconfig file /nonexistent/kubeconfig does not exist"),
        "{}",
        out.stderr
    );
}

#[test]
fn unreachable_server_names_the_url_and_connection_refused_quickly() {
    let home = TempDir::new("refused");
    let port = closed_port();
    let path = home.path().join("kubeconfig");
    std::fs::write(&path, KUBECONFIG.replace("PORT", &port.to_string())).unwrap();
    let started = std::time::Instant::now();
    let out = run(rigger(home.path())
        .args([
            "version",
            "--remote",
            "-vv",
            "--request-timeout",
            "5s",
            "--kubeconfig",
        ])
        .arg(&path));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "could not connect to the cluster at https://127.0.0.1:{port}: connection refused"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("do-not-print-this-token"),
        "token leaked: {}",
        out.stderr
    );
    assert!(!out.stdout.contains("do-not-print-this-token"));
}
