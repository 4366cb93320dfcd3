//! The `kubesim serve` binary: kubeconfig, URL, signals, state saved and loaded.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::TempDir;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};

fn serve(dir: &TempDir) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["serve", "--addr", "127.0.0.1:0", "--kubeconfig"])
        .arg(dir.path().join("kubeconfig"))
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_string())
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

async fn configmaps(dir: &TempDir) -> Api<ConfigMap> {
    let kc = Kubeconfig::read_from(dir.path().join("kubeconfig")).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    Api::namespaced(kube::Client::try_from(config).unwrap(), "default")
}

#[tokio::test]
async fn serve_saves_state_on_sigterm_and_loads_it_again() {
    let dir = TempDir::new("serve");
    let (mut child, url) = serve(&dir);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let kubeconfig = std::fs::read_to_string(dir.path().join("kubeconfig")).unwrap();
    assert!(kubeconfig.contains(&url) && kubeconfig.contains("current-context: kubesim"));
    let cm: ConfigMap = serde_json::from_value(
        serde_json::json!({"metadata": {"name": "kept"}, "data": {"k": "v"}}),
    )
    .unwrap();
    configmaps(&dir)
        .await
        .create(&PostParams::default(), &cm)
        .await
        .unwrap();
    signal(&child, "-TERM");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let state = dir.path().join("state").join("state.json");
    assert!(state.exists());

    let (mut child, _) = serve(&dir);
    let got = configmaps(&dir).await.get("kept").await.unwrap();
    assert_eq!(got.data.unwrap()["k"], "v");
    signal(&child, "-INT");
    assert!(child.wait().unwrap().success());

    // A corrupt state file is a clear error, not an empty cluster.
    std::fs::write(&state, b"{ this is not json").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["serve", "--kubeconfig"])
        .arg(dir.path().join("kubeconfig2"))
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("state.json is corrupt"), "{err}");
    assert!(!dir.path().join("kubeconfig2").exists());
    std::fs::write(&state, br#"{"format": "kubesim-state/v1", "resourceVersion": 3, "objects": [{"group": "", "resource": "configmaps", "object": {}}]}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["serve", "--kubeconfig"])
        .arg(dir.path().join("kubeconfig2"))
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is corrupt"));
}

#[test]
fn usage_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["serve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kubeconfig is required"));
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["serve", "--kubeconfig", "x", "--addr", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("kubesim serve"));
}
