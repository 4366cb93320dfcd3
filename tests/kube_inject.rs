//! `rigger kube-inject` through the real binary: inputs (file, directory, stdin), output file,
//! errors that write nothing, pass-through documents, and `--from-cluster` against kubesim (which
//! must only be read from).

mod support;

use std::io::Write;
use std::process::Stdio;

use rigger::istio::inject::compare::{comparable_documents, compare_manifests};
use serde_json::json;
use support::cluster::Cluster;
use support::{TempDir, rigger, run};

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: example/web:1\n        ports:\n        - containerPort: 8080\n        readinessProbe:\n          httpGet: {port: 8080, path: /ready}\n";
const SERVICE: &str = "kind: Service\napiVersion: v1\nmetadata:\n  name: web   # kept exactly as written\nspec:\n  ports:\n  - port: 80\n";

fn containers(doc: &serde_json::Value, list: &str) -> Vec<String> {
    doc.pointer(&format!("/spec/template/spec/{list}"))
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn injects_a_file_and_passes_other_documents_through() {
    let home = TempDir::new("ki-file");
    let input = home.path().join("app.yaml");
    std::fs::write(&input, format!("{SERVICE}---\n{DEPLOYMENT}")).unwrap();
    let out = run(rigger(home.path()).args(["kube-inject", "-f"]).arg(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(SERVICE),
        "the Service must be unchanged:\n{}",
        out.stdout
    );
    let docs = comparable_documents(&out.stdout).unwrap();
    assert_eq!(docs.len(), 2);
    let d = &docs[1];
    assert_eq!(
        containers(d, "initContainers"),
        ["istio-init", "istio-proxy"]
    );
    assert_eq!(containers(d, "containers"), ["web"]);
    let probe = &d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"];
    assert_eq!(
        probe,
        &json!({"path": "/app-health/web/readyz", "port": 15020})
    );
    let image = d["spec"]["template"]["spec"]["initContainers"][1]["image"]
        .as_str()
        .unwrap();
    assert!(image.starts_with("docker.io/istio/proxyv2:1."), "{image}");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn reads_directories_and_stdin_with_the_same_result() {
    let home = TempDir::new("ki-dir");
    let dir = home.path().join("manifests");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a-service.yaml"), SERVICE).unwrap();
    std::fs::write(dir.join("b-deployment.yml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a manifest").unwrap();
    let from_dir = run(rigger(home.path()).args(["kube-inject", "-f"]).arg(&dir));
    assert_eq!(from_dir.code, 0, "{}", from_dir.stderr);

    let mut child = rigger(home.path())
        .args(["kube-inject", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{SERVICE}---\n{DEPLOYMENT}").as_bytes())
        .unwrap();
    let from_stdin: support::Run = child.wait_with_output().unwrap().into();
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    assert_eq!(
        compare_manifests(&from_dir.stdout, &from_stdin.stdout).unwrap(),
        None
    );
}

#[test]
fn output_file_is_written_only_on_success() {
    let home = TempDir::new("ki-out");
    let good = home.path().join("good.yaml");
    let bad = home.path().join("bad.yaml");
    let target = home.path().join("out.yaml");
    std::fs::write(&good, DEPLOYMENT).unwrap();
    let broken = DEPLOYMENT.replace(
        "      labels: {app: web}\n",
        "      labels: {app: web}\n      annotations:\n        traffic.sidecar.istio.io/excludeInboundPorts: \"*\"\n",
    );
    std::fs::write(&bad, format!("{SERVICE}---\n{broken}")).unwrap();

    let out = run(rigger(home.path())
        .args(["kube-inject", "-f"])
        .arg(&bad)
        .arg("--output-file")
        .arg(&target));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!target.exists(), "nothing may be written on error");
    assert!(out.stdout.is_empty());
    for needle in [
        "bad.yaml",
        "document 2 (line 9)",
        "Deployment \"shop/web\"",
        "spec.template.metadata.annotations[\"traffic.sidecar.istio.io/excludeInboundPorts\"]",
        "excludeInboundPorts invalid",
    ] {
        assert!(
            out.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            out.stderr
        );
    }

    let out = run(rigger(home.path())
        .args(["kube-inject", "-f"])
        .arg(&good)
        .arg("--output-file")
        .arg(&target));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("injected 1 workload"), "{}", out.stderr);
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(
        containers(&comparable_documents(&written).unwrap()[0], "containers"),
        ["web"]
    );
}

#[test]
fn flags_shape_the_sidecar() {
    let home = TempDir::new("ki-flags");
    let input = home.path().join("app.yaml");
    std::fs::write(&input, DEPLOYMENT).unwrap();
    let iop = home.path().join("iop.yaml");
    std::fs::write(&iop, "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    global:\n      imagePullSecrets: [pull-secret]\n").unwrap();
    let out = run(rigger(home.path())
        .args(["kube-inject", "-f"])
        .arg(&input)
        .args([
            "--hub",
            "gcr.io/istio-release",
            "--tag",
            "1.29.1",
            "--revision",
            "canary",
            "--native-sidecars",
            "false",
        ])
        .arg("--iop")
        .arg(&iop)
        .args([
            "--set",
            "values.global.proxy.holdApplicationUntilProxyStarts=true",
        ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d = &comparable_documents(&out.stdout).unwrap()[0];
    let spec = &d["spec"]["template"]["spec"];
    assert_eq!(
        containers(d, "containers"),
        ["istio-proxy", "web"],
        "hold puts the proxy first"
    );
    assert_eq!(
        spec["containers"][0]["image"],
        "gcr.io/istio-release/proxyv2:1.29.1"
    );
    assert_eq!(spec["imagePullSecrets"], json!([{"name": "pull-secret"}]));
    assert_eq!(
        d["spec"]["template"]["metadata"]["annotations"]["istio.io/rev"],
        "canary"
    );
    let env = spec["containers"][0]["env"].as_array().unwrap();
    let ca = env.iter().find(|e| e["name"] == "CA_ADDR").unwrap();
    assert_eq!(ca["value"], "istiod-canary.istio-system.svc:15012");

    // A 1.23 tag selects Istio 1.23's template: classic sidecar, GOMAXPROCS, no CRL volume.
    let out = run(rigger(home.path())
        .args(["kube-inject", "-f"])
        .arg(&input)
        .args(["--tag", "1.23.6"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d = &comparable_documents(&out.stdout).unwrap()[0];
    assert_eq!(containers(d, "containers"), ["web", "istio-proxy"]);
    assert!(out.stdout.contains("GOMAXPROCS") && !out.stdout.contains("istio-ca-crl"));

    let out = run(rigger(home.path())
        .args(["kube-inject", "-f"])
        .arg(&input)
        .args(["--set", "nonsense.path=1"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("unknown IstioOperator field \"nonsense\""),
        "{}",
        out.stderr
    );
}

#[test]
fn not_yaml_is_an_error_naming_the_document() {
    let home = TempDir::new("ki-notyaml");
    let input = home.path().join("broken.yaml");
    std::fs::write(
        &input,
        format!("{SERVICE}---\nkind: Deployment\nmetadata: [unclosed\n"),
    )
    .unwrap();
    let out = run(rigger(home.path()).args(["kube-inject", "-f"]).arg(&input));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("broken.yaml: document 2"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("not valid YAML"), "{}", out.stderr);
}

fn control_plane(cluster: &Cluster, kubelet: &str) {
    cluster.namespace("istio-system", json!({}));
    let values = json!({
        "global": {"hub": "registry.example.com/istio", "tag": "1.30.3", "proxy": {"image": "proxyv2", "statusPort": 15020,
            "clusterDomain": "cluster.local", "logLevel": "warning", "componentLogLevel": "misc:error", "includeIPRanges": "*",
            "excludeIPRanges": "", "includeInboundPorts": "*", "excludeInboundPorts": "", "privileged": false,
            "readinessFailureThreshold": 4, "readinessInitialDelaySeconds": 0, "readinessPeriodSeconds": 15,
            "startupProbe": {"enabled": true, "failureThreshold": 600}, "resources": {"requests": {"cpu": "100m"}}},
            "proxy_init": {"image": "proxyv2"}, "istioNamespace": "istio-system", "logging": {"level": "default:info"},
            "pilotCertProvider": "istiod", "sds": {"token": {"aud": "istio-ca"}}, "multiCluster": {"clusterName": ""},
            "network": "", "imagePullSecrets": []},
        "sidecarInjectorWebhook": {"rewriteAppHTTPProbe": true},
        "revision": "",
        "pilot": {"cni": {"enabled": false}, "env": {}},
    });
    cluster.create("v1", "configmaps", "istio-system", json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "istio-sidecar-injector", "namespace": "istio-system"},
        "data": {"values": values.to_string(), "config": "defaultTemplates: [sidecar]\npolicy: enabled\n"}}));
    cluster.create("v1", "configmaps", "istio-system", json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "istio", "namespace": "istio-system"},
        "data": {"mesh": "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n  holdApplicationUntilProxyStarts: true\ntrustDomain: example.org\n"}}));
    cluster.create(
        "v1",
        "nodes",
        "",
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}}),
    );
    cluster.set_status(
        "v1",
        "nodes",
        "",
        "node-1",
        json!({"nodeInfo": {"kubeletVersion": kubelet}}),
    );
}

#[test]
fn from_cluster_reads_the_control_plane_and_writes_nothing() {
    let cluster = Cluster::start("ki-cluster");
    control_plane(&cluster, "v1.32.4");
    let input = cluster.dir.path().join("app.yaml");
    std::fs::write(&input, DEPLOYMENT).unwrap();
    cluster.sim.clear_requests();
    let out = run(cluster
        .rigger()
        .args(["kube-inject", "--from-cluster", "-f"])
        .arg(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        cluster.writes().is_empty(),
        "kube-inject must not change the cluster: {:?}",
        cluster.writes()
    );
    let d = &comparable_documents(&out.stdout).unwrap()[0];
    let spec = &d["spec"]["template"]["spec"];
    // kubelet 1.32: no native sidecar; the mesh's holdApplicationUntilProxyStarts puts the proxy first.
    assert_eq!(containers(d, "containers"), ["istio-proxy", "web"]);
    assert_eq!(
        spec["containers"][0]["image"],
        "registry.example.com/istio/proxyv2:1.30.3"
    );
    let env = spec["containers"][0]["env"].as_array().unwrap();
    let td = env.iter().find(|e| e["name"] == "TRUST_DOMAIN").unwrap();
    assert_eq!(td["value"], "example.org");
    let pc = env.iter().find(|e| e["name"] == "PROXY_CONFIG").unwrap();
    assert_eq!(pc["value"], "{\"holdApplicationUntilProxyStarts\":true}\n");

    // Nodes on 1.33: native sidecars.
    cluster.set_status(
        "v1",
        "nodes",
        "",
        "node-1",
        json!({"nodeInfo": {"kubeletVersion": "v1.33.1"}}),
    );
    let out = run(cluster
        .rigger()
        .args(["kube-inject", "--from-cluster", "-f"])
        .arg(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d = &comparable_documents(&out.stdout).unwrap()[0];
    assert_eq!(
        containers(d, "initContainers"),
        ["istio-init", "istio-proxy"]
    );

    // A revision whose ConfigMaps do not exist is a clear error.
    let out = run(cluster
        .rigger()
        .args([
            "kube-inject",
            "--from-cluster",
            "--revision",
            "canary",
            "-f",
        ])
        .arg(&input));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("istio-system/istio-sidecar-injector-canary does not exist"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(cluster.writes().is_empty());
}

#[test]
fn output_is_accepted_by_kubectl() {
    let Some(kubectl) = kubesim::testkit::tool("kubectl") else {
        return;
    };
    let cluster = Cluster::start("ki-kubectl");
    cluster.namespace("shop", json!({}));
    let input = cluster.dir.path().join("app.yaml");
    std::fs::write(&input, format!("{SERVICE}---\n{DEPLOYMENT}")).unwrap();
    let out = run(cluster.rigger().args(["kube-inject", "-f"]).arg(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let injected = cluster.dir.path().join("injected.yaml");
    std::fs::write(&injected, &out.stdout).unwrap();
    let applied = run(std::process::Command::new(kubectl)
        .env("KUBECONFIG", &cluster.kubeconfig)
        .args(["apply", "-n", "shop", "-f"])
        .arg(&injected));
    assert_eq!(
        applied.code, 0,
        "kubectl refused the output:\n{}\n{}",
        applied.stdout, applied.stderr
    );
    let stored = cluster
        .get("apps/v1", "deployments", "shop", "web")
        .expect("deployment stored");
    let init = &stored["spec"]["template"]["spec"]["initContainers"];
    assert_eq!(init[1]["name"], "istio-proxy");
    assert_eq!(init[1]["restartPolicy"], "Always");
}
