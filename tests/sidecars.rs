//! `rigger verify-sidecars` and `rigger inject` against kubesim (pods seeded directly): verdicts,
//! reasons, exit codes, JSON, and refusals that change nothing.

mod support;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

fn pod(
    cluster: &Cluster,
    ns: &str,
    name: &str,
    spec: Value,
    annotations: Value,
    ready: bool,
    native: bool,
) {
    cluster.create("v1", "pods", ns, json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "annotations": annotations,
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u1", "controller": true}]},
        "spec": spec}));
    let proxy_status = json!([{"name": "istio-proxy", "ready": ready, "image": "", "imageID": "", "restartCount": 0}]);
    let mut status = json!({"phase": "Running", "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}}]});
    status[if native {
        "initContainerStatuses"
    } else {
        "containerStatuses"
    }] = proxy_status;
    cluster.set_status("v1", "pods", ns, name, status);
}

fn plain_spec() -> Value {
    json!({"containers": [{"name": "app", "image": "example/app:1"}]})
}

fn classic_spec() -> Value {
    json!({"containers": [{"name": "app", "image": "example/app:1"}, {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.6"}]})
}

fn native_spec() -> Value {
    json!({"containers": [{"name": "app", "image": "example/app:1"}],
        "initContainers": [{"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.30.3", "restartPolicy": "Always"}]})
}

#[test]
fn unlabelled_namespace_lists_every_pod_and_exits_3() {
    let cluster = Cluster::start("vs-unlabelled");
    cluster.namespace("bookinfo", json!({}));
    pod(
        &cluster,
        "bookinfo",
        "details-v1-a",
        plain_spec(),
        json!({}),
        false,
        false,
    );
    pod(
        &cluster,
        "bookinfo",
        "ratings-v1-b",
        plain_spec(),
        json!({}),
        false,
        false,
    );
    let out = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(
        out.stdout
            .matches("namespace not labelled for injection")
            .count(),
        2,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 pods, 0 meshed, 2 missing a sidecar"),
        "{}",
        out.stdout
    );
}

#[test]
fn meshed_native_opted_out_and_not_ready_pods_are_told_apart() {
    let cluster = Cluster::start("vs-mixed");
    cluster.injector();
    cluster.namespace("bookinfo", json!({"istio-injection": "enabled"}));
    pod(
        &cluster,
        "bookinfo",
        "a-classic",
        classic_spec(),
        json!({}),
        true,
        false,
    );
    pod(
        &cluster,
        "bookinfo",
        "b-native",
        native_spec(),
        json!({}),
        true,
        true,
    );
    pod(
        &cluster,
        "bookinfo",
        "c-optout",
        plain_spec(),
        json!({"sidecar.istio.io/inject": "false"}),
        false,
        false,
    );
    let ok = run(cluster
        .rigger()
        .args(["verify-sidecars", "bookinfo", "-o", "json"]));
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    let report: Value = serde_json::from_str(&ok.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(
        report["summary"],
        json!({"pods": 3, "meshed": 2, "proxyNotReady": 0, "missing": 0, "optedOut": 1, "completed": 0})
    );
    let pods = report["pods"].as_array().unwrap();
    assert_eq!(pods[0]["placement"], "container");
    assert_eq!(pods[0]["proxyVersion"], "1.23.6");
    assert_eq!(pods[1]["placement"], "native-sidecar");
    assert_eq!(pods[2]["verdict"], "opted-out");

    pod(
        &cluster,
        "bookinfo",
        "d-starting",
        classic_spec(),
        json!({}),
        false,
        false,
    );
    let table = run(cluster.rigger().args(["verify-sidecars", "-A"]));
    assert_eq!(table.code, 3, "{}", table.stderr);
    assert!(
        table.stdout.contains("d-starting") && table.stdout.contains("proxy-not-ready"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("istio-proxy") || table.stdout.contains("the proxy is not ready yet"),
        "{}",
        table.stdout
    );
}

#[test]
fn verify_sidecars_pages_through_large_lists_in_one_scan() {
    let cluster = Cluster::start("vs-pages");
    cluster.injector();
    cluster.namespace("big", json!({"istio-injection": "enabled"}));
    for i in 0..1200 {
        cluster.create(
            "v1",
            "pods",
            "big",
            json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("p-{i:04}"), "namespace": "big"}, "spec": plain_spec()}),
        );
    }
    cluster.sim.clear_requests();
    let out = run(cluster
        .rigger()
        .args(["verify-sidecars", "-A", "-o", "json"]));
    assert_eq!(out.code, 3);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["summary"]["pods"], 1200);
    let pod_lists = cluster
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v1/pods")
        .count();
    assert_eq!(pod_lists, 3, "1200 pods in pages of 500");
}

#[test]
fn inject_enable_without_an_injector_fails_and_labels_nothing() {
    let cluster = Cluster::start("inject-noinjector");
    cluster.namespace("bookinfo", json!({}));
    let out = run(cluster.rigger().args(["inject", "enable", "bookinfo"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("no sidecar injector is installed"),
        "{}",
        out.stderr
    );
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert!(ns["metadata"]["labels"].get("istio-injection").is_none());
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn inject_enable_delete_pods_leaves_bare_pods_and_is_idempotent() {
    let cluster = Cluster::start("inject-delete");
    cluster.injector();
    cluster.namespace("bookinfo", json!({}));
    pod(
        &cluster,
        "bookinfo",
        "owned",
        plain_spec(),
        json!({}),
        false,
        false,
    );
    cluster.create(
        "v1",
        "pods",
        "bookinfo",
        json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "bare", "namespace": "bookinfo"}, "spec": plain_spec()}),
    );
    let out = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--restart",
        "delete-pods",
        "-o",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["namespaces"][0]["deletedPods"], json!(["owned"]));
    assert_eq!(report["namespaces"][0]["barePodsLeft"], json!(["bare"]));
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert_eq!(ns["metadata"]["labels"]["istio-injection"], "enabled");
    assert!(cluster.get("v1", "pods", "bookinfo", "owned").is_none());
    assert!(cluster.get("v1", "pods", "bookinfo", "bare").is_some());

    // Revision labels replace the plain one.
    cluster.create("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", "", json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": "istio-sidecar-injector-canary", "labels": {"istio.io/rev": "canary"}}, "webhooks": []}));
    let rev = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--revision",
        "canary",
        "--restart",
        "none",
    ]));
    assert_eq!(rev.code, 0, "{}", rev.stderr);
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert_eq!(ns["metadata"]["labels"]["istio.io/rev"], "canary");
    assert!(ns["metadata"]["labels"].get("istio-injection").is_none());

    cluster.sim.clear_requests();
    let again = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--revision",
        "canary",
        "--restart",
        "none",
    ]));
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("labels unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());

    let unknown =
        run(cluster
            .rigger()
            .args(["inject", "enable", "bookinfo", "--revision", "nope"]));
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown
            .stderr
            .contains("no sidecar injector for revision \"nope\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn inject_enable_with_a_webhook_but_no_istiod_fails_and_labels_nothing() {
    let cluster = Cluster::start("inject-noistiod");
    cluster.injector();
    cluster
        .sim
        .store()
        .delete("apps", "v1", "deployments", "istio-system", "istiod")
        .unwrap();
    cluster.namespace("bookinfo", json!({}));
    cluster.sim.clear_requests();
    let out = run(cluster
        .rigger()
        .args(["inject", "enable", "bookinfo", "--wait"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the sidecar injector webhook exists but no istiod Deployment serves it"),
        "{}",
        out.stderr
    );
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert!(ns["metadata"]["labels"].get("istio-injection").is_none());
    assert_eq!(cluster.writes(), Vec::<String>::new());
}
