//! Issues 7 and 8 end to end on rigger's own install path: `rigger operator init` and `rigger install`
//! bring up kubesim's simulated control plane, `rigger gateway apply` deploys Istio's bookinfo sample,
//! then `rigger verify-sidecars`, `rigger inject` and `rigger gateway expose|apply|url --check` run
//! against it, asserting both their output and the cluster afterwards.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

const DEPLOYMENTS: [&str; 6] = [
    "details-v1",
    "productpage-v1",
    "ratings-v1",
    "reviews-v1",
    "reviews-v2",
    "reviews-v3",
];

fn bookinfo_yaml() -> Option<PathBuf> {
    kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml")
}

fn default_install() -> Option<PathBuf> {
    kubesim::testkit::fixture("istio/operator-1.23.0/samples/default-install.yaml")
}

/// A simulated cluster with Istio installed by rigger itself: `operator init`, then `install -f`
/// with the operator sample and `extra` arguments (`--set ...`).
fn installed(label: &str, options: kubesim::SimOptions, extra: &[&str]) -> Option<Cluster> {
    installed_with(label, options, &[], extra)
}

/// Like [`installed`], with extra `operator init` arguments too.
fn installed_with(
    label: &str,
    options: kubesim::SimOptions,
    init: &[&str],
    extra: &[&str],
) -> Option<Cluster> {
    let iop = default_install()?;
    let cluster = Cluster::with_options(label, options);
    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"])
        .args(init));
    assert_eq!(out.code, 0, "operator init: {}\n{}", out.stdout, out.stderr);
    let out = run(cluster
        .rigger()
        .args(["install", "--timeout", "90s", "-f"])
        .arg(&iop)
        .args(extra));
    assert_eq!(out.code, 0, "install: {}\n{}", out.stdout, out.stderr);
    Some(cluster)
}

/// Applies the bookinfo namespace and Istio's bookinfo.yaml with `rigger gateway apply`, then waits
/// (on store events) for its six pods to be ready.
fn deploy_bookinfo(cluster: &Cluster, namespace_labels: Value) -> Option<()> {
    let bookinfo = bookinfo_yaml()?;
    let ns_file = cluster.dir.path().join("bookinfo-ns.yaml");
    let ns = json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "bookinfo", "labels": namespace_labels}});
    std::fs::write(&ns_file, ns.to_string()).unwrap();
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&ns_file)
        .arg("-f")
        .arg(&bookinfo));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for d in DEPLOYMENTS {
        assert!(
            out.stdout.contains(&format!("deployment.apps/{d} created")),
            "{}",
            out.stdout
        );
    }
    wait_for_ready_pods(cluster, "bookinfo", 6);
    Some(())
}

fn wait_for_ready_pods(cluster: &Cluster, namespace: &str, count: usize) {
    cluster.wait_until(
        &format!("{count} ready pods in {namespace}"),
        Duration::from_secs(60),
        |c| {
            c.ready_pods(namespace).len() == count
                && c.list("v1", "pods", Some(namespace)).len() == count
        },
    );
}

fn json_of(out: &support::Run) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {}\nstderr {}", out.stdout, out.stderr))
}

/// The container names of every pod in a namespace (for cluster-state asserts).
fn container_names(pod: &Value, field: &str) -> Vec<String> {
    pod["spec"][field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect()
}

/// A file in the test's directory with these objects (JSON documents are YAML).
fn manifest(cluster: &Cluster, name: &str, objects: &[Value]) -> PathBuf {
    let path = cluster.dir.path().join(name);
    let text: Vec<String> = objects.iter().map(Value::to_string).collect();
    std::fs::write(&path, text.join("\n---\n")).unwrap();
    path
}

/// A Deployment whose pod template opts out of injection (the place the annotation works, unlike
/// the Deployment's own metadata).
fn opted_out_deployment() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "legacy-batch", "namespace": "bookinfo",
            "annotations": {"sidecar.istio.io/inject": "true"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "legacy-batch"}},
            "template": {"metadata": {"labels": {"app": "legacy-batch"},
                    "annotations": {"sidecar.istio.io/inject": "false"}},
                "spec": {"containers": [{"name": "batch", "image": "docker.io/library/busybox:1.36"}]}}}})
}

/// A StatefulSet and a DaemonSet (one pod per node) beside bookinfo's Deployments: the rollout
/// strategy restarts all three kinds.
fn stateful_and_daemon_sets() -> [Value; 2] {
    let template = |app: &str| {
        json!({"metadata": {"labels": {"app": app}},
            "spec": {"containers": [{"name": app, "image": "docker.io/library/busybox:1.36"}]}})
    };
    [
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "cache", "namespace": "bookinfo"},
            "spec": {"replicas": 1, "serviceName": "cache", "selector": {"matchLabels": {"app": "cache"}},
                "template": template("cache")}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "node-agent", "namespace": "bookinfo"},
            "spec": {"selector": {"matchLabels": {"app": "node-agent"}}, "template": template("node-agent")}}),
    ]
}

/// A pod without an owner: nothing would recreate it, so rigger must never delete it by default.
fn bare_pod(namespace: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "debug-shell", "namespace": namespace, "labels": {"app": "debug-shell"}},
        "spec": {"containers": [{"name": "shell", "image": "docker.io/library/busybox:1.36"}]}})
}

fn pod_names(cluster: &Cluster, namespace: &str) -> Vec<String> {
    let mut names: Vec<String> = cluster
        .list("v1", "pods", Some(namespace))
        .iter()
        .filter_map(|p| p["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

fn pod_uids(cluster: &Cluster, namespace: &str) -> Vec<String> {
    cluster
        .list("v1", "pods", Some(namespace))
        .iter()
        .filter_map(|p| p["metadata"]["uid"].as_str().map(str::to_string))
        .collect()
}

fn pod_named<'a>(pods: &'a [Value], prefix: &str) -> &'a Value {
    pods.iter()
        .find(|p| {
            p["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .starts_with(prefix)
        })
        .unwrap_or_else(|| panic!("no pod {prefix}*"))
}

/// The `pods` array of a verify-sidecars JSON report, by pod name prefix.
fn verdict<'a>(report: &'a Value, prefix: &str) -> &'a Value {
    report["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pod"].as_str().unwrap_or_default().starts_with(prefix))
        .unwrap_or_else(|| panic!("no pod {prefix}* in {report}"))
}

/// Every bookinfo pod carries a ready classic istio-proxy container of the installed version.
fn assert_bookinfo_meshed(cluster: &Cluster, report: &Value) {
    for d in DEPLOYMENTS {
        let v = verdict(report, d);
        assert_eq!(v["verdict"], "meshed", "{v}");
        assert_eq!(v["placement"], "container", "{v}");
        assert_eq!(v["proxyReady"], true, "{v}");
        assert!(
            v["proxyImage"]
                .as_str()
                .is_some_and(|i| i.starts_with("docker.io/istio/proxyv2:1.23")),
            "{v}"
        );
    }
    let pods = cluster.list("v1", "pods", Some("bookinfo"));
    for d in DEPLOYMENTS {
        let pod = pod_named(&pods, d);
        assert!(
            container_names(pod, "containers").contains(&"istio-proxy".to_string()),
            "{pod}"
        );
        assert!(
            pod["metadata"]["annotations"]["sidecar.istio.io/status"].is_string(),
            "injected by the webhook: {pod}"
        );
    }
}

#[test]
fn bookinfo_is_not_meshed_until_enabled_then_every_pod_is_after_a_rollout() {
    let Some(cluster) = installed("mesh-rollout", kubesim::SimOptions::cluster(), &[]) else {
        return;
    };
    let Some(()) = deploy_bookinfo(&cluster, json!({})) else {
        return;
    };
    let [sts, ds] = stateful_and_daemon_sets();
    let extra = manifest(&cluster, "extra.yaml", &[opted_out_deployment(), sts, ds]);
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-f"])
        .arg(&extra));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // 6 bookinfo pods, the opted-out one, cache-0 and one node-agent pod per node (3).
    wait_for_ready_pods(&cluster, "bookinfo", 11);
    let old_pods: Vec<(String, String)> = cluster
        .list("v1", "pods", Some("bookinfo"))
        .iter()
        .map(|p| {
            (
                p["metadata"]["name"].as_str().unwrap().to_string(),
                p["metadata"]["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    // Before: every pod listed, each for the unlabelled namespace; the opt-out is not a failure.
    let before = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(before.code, 3, "{}\n{}", before.stdout, before.stderr);
    for (name, _) in &old_pods {
        let line = before
            .stdout
            .lines()
            .find(|l| l.contains(name.as_str()))
            .unwrap_or_else(|| panic!("{name} not listed: {}", before.stdout));
        if name.starts_with("legacy-batch") {
            assert!(line.contains("opted-out"), "{line}");
        } else {
            assert!(
                line.contains("missing") && line.contains("namespace not labelled for injection"),
                "{line}"
            );
        }
    }
    assert!(
        before.stdout.contains(
            "11 pods, 0 meshed, 10 missing a sidecar, 0 with a proxy not ready, 1 opted out"
        ),
        "{}",
        before.stdout
    );
    let before_json = json_of(&run(cluster.rigger().args([
        "verify-sidecars",
        "-n",
        "bookinfo",
        "-o",
        "json",
    ])));
    assert_eq!(before_json["ok"], false);

    // Enable with the default strategy (rollout) and wait.
    let enable =
        run(cluster
            .rigger()
            .args(["inject", "enable", "bookinfo", "--wait", "--timeout", "60s"]));
    assert_eq!(enable.code, 0, "{}\n{}", enable.stdout, enable.stderr);
    assert!(
        enable
            .stdout
            .contains("namespace bookinfo: istio-injection=enabled (labels updated)"),
        "{}",
        enable.stdout
    );
    for d in DEPLOYMENTS {
        assert!(
            enable.stdout.contains(&format!("deployment/{d} restarted")),
            "{}",
            enable.stdout
        );
    }
    assert!(
        !enable.stdout.contains("legacy-batch restarted"),
        "an opted-out workload is not restarted: {}",
        enable.stdout
    );
    assert!(
        enable
            .stdout
            .contains("all pods that should be in the mesh are"),
        "{}",
        enable.stdout
    );

    // After: verify-sidecars exits 0 and lists every pod with its proxy.
    let after = run(cluster
        .rigger()
        .args(["verify-sidecars", "-n", "bookinfo", "-o", "json"]));
    assert_eq!(after.code, 0, "{}\n{}", after.stdout, after.stderr);
    let report = json_of(&after);
    assert_eq!(
        report["summary"],
        json!({"pods": 11, "meshed": 10, "proxyNotReady": 0, "missing": 0, "optedOut": 1, "completed": 0})
    );
    assert_bookinfo_meshed(&cluster, &report);
    for p in ["cache-0", "node-agent-"] {
        assert_eq!(verdict(&report, p)["verdict"], "meshed", "{report}");
    }
    let selected = json_of(&run(cluster.rigger().args([
        "verify-sidecars",
        "-n",
        "bookinfo",
        "-l",
        "app in (productpage,ratings)",
        "-o",
        "json",
    ])));
    assert_eq!(selected["summary"]["pods"], 2, "{selected}");
    assert_eq!(selected["summary"]["meshed"], 2, "{selected}");
    let opted = verdict(&report, "legacy-batch");
    assert_eq!(opted["verdict"], "opted-out");
    assert_eq!(
        opted["reason"],
        "opted out (sidecar.istio.io/inject: \"false\")"
    );
    let table = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert_eq!(
        table.stdout.matches("proxyv2:1.23").count(),
        10,
        "{}",
        table.stdout
    );

    // The cluster: the label is set, workloads were restarted like `kubectl rollout restart`, every
    // old pod of a restarted workload is gone, the opted-out pod was kept and has no proxy.
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert_eq!(ns["metadata"]["labels"]["istio-injection"], "enabled");
    for d in DEPLOYMENTS {
        let dep = cluster
            .get("apps/v1", "deployments", "bookinfo", d)
            .unwrap();
        assert!(
            dep["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
                .is_string(),
            "{dep}"
        );
    }
    let now = pod_uids(&cluster, "bookinfo");
    for (old, uid) in &old_pods {
        assert_eq!(
            now.contains(uid),
            old.starts_with("legacy-batch"),
            "{old}: only the opted-out pod is still the same pod"
        );
    }
    let pods = cluster.list("v1", "pods", Some("bookinfo"));
    assert_eq!(
        container_names(pod_named(&pods, "legacy-batch"), "containers"),
        ["batch"]
    );

    // Running it again changes nothing.
    cluster.sim.clear_requests();
    let again = run(cluster
        .rigger()
        .args(["inject", "enable", "bookinfo", "--wait"]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("labels unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());

    // The reverse: labels removed, the meshed workloads restarted without their sidecars.
    let disable = run(cluster
        .rigger()
        .args(["inject", "disable", "bookinfo", "--timeout", "60s"]));
    assert_eq!(disable.code, 0, "{}\n{}", disable.stdout, disable.stderr);
    assert!(
        disable
            .stdout
            .contains("namespace bookinfo: no injection labels (labels updated)"),
        "{}",
        disable.stdout
    );
    for w in [
        "deployment/productpage-v1",
        "statefulset/cache",
        "daemonset/node-agent",
    ] {
        assert!(
            disable.stdout.contains(&format!("{w} restarted")),
            "{}",
            disable.stdout
        );
    }
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert!(
        ns["metadata"]["labels"].get("istio-injection").is_none(),
        "{ns}"
    );
    cluster.wait_until(
        "the old sidecar pods to be gone",
        Duration::from_secs(60),
        |c| c.list("v1", "pods", Some("bookinfo")).len() == 11,
    );
    let report = json_of(&run(cluster.rigger().args([
        "verify-sidecars",
        "-n",
        "bookinfo",
        "-o",
        "json",
    ])));
    assert_eq!(report["summary"]["meshed"], 0, "{report}");
    assert_eq!(report["summary"]["missing"], 10, "{report}");
    for pod in cluster.list("v1", "pods", Some("bookinfo")) {
        assert!(
            !container_names(&pod, "containers").contains(&"istio-proxy".to_string()),
            "{pod}"
        );
    }
}

#[test]
fn delete_pods_strategy_meshes_bookinfo_and_leaves_a_bare_pod_alone() {
    let Some(cluster) = installed("mesh-delete", kubesim::SimOptions::cluster(), &[]) else {
        return;
    };
    let Some(()) = deploy_bookinfo(&cluster, json!({})) else {
        return;
    };
    let old_pods = pod_names(&cluster, "bookinfo");

    // Labelling alone changes no running pod: a wait without a restart gives up after its timeout
    // and says which pods lack a sidecar and why.
    let label_only = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--restart",
        "none",
        "--wait",
        "--timeout",
        "2s",
    ]));
    assert_eq!(
        label_only.code, 3,
        "{}\n{}",
        label_only.stdout, label_only.stderr
    );
    assert!(
        label_only.stderr.contains("gave up waiting after 2.0s"),
        "{}",
        label_only.stderr
    );
    assert_eq!(
        label_only
            .stdout
            .matches("created before the namespace was labelled; restart it")
            .count(),
        6,
        "{}",
        label_only.stdout
    );
    assert_eq!(pod_names(&cluster, "bookinfo"), old_pods);

    let enable = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--restart",
        "delete-pods",
        "--wait",
        "--timeout",
        "60s",
        "-o",
        "json",
    ]));
    assert_eq!(enable.code, 0, "{}\n{}", enable.stdout, enable.stderr);
    let report = json_of(&enable);
    let mut deleted: Vec<String> = report["namespaces"][0]["deletedPods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    deleted.sort();
    assert_eq!(deleted, old_pods);
    assert_eq!(report["namespaces"][0]["restarted"], json!([]));
    assert_eq!(report["sidecars"]["ok"], true);

    let after = run(cluster
        .rigger()
        .args(["verify-sidecars", "-n", "bookinfo", "-o", "json"]));
    assert_eq!(after.code, 0, "{}\n{}", after.stdout, after.stderr);
    let report = json_of(&after);
    assert_eq!(report["summary"]["pods"], 6);
    assert_eq!(report["summary"]["meshed"], 6);
    assert_bookinfo_meshed(&cluster, &report);
    let now = pod_names(&cluster, "bookinfo");
    assert!(old_pods.iter().all(|p| !now.contains(p)), "{now:?}");
    // delete-pods does not touch the workloads' templates.
    let dep = cluster
        .get("apps/v1", "deployments", "bookinfo", "productpage-v1")
        .unwrap();
    assert!(
        dep["spec"]["template"]["metadata"]["annotations"]
            .get("kubectl.kubernetes.io/restartedAt")
            .is_none(),
        "{dep}"
    );

    // A second namespace with a workload and a bare pod: the bare pod is reported, not deleted.
    let legacy = manifest(
        &cluster,
        "legacy.yaml",
        &[
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "legacy"}}),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "legacy"},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "web", "image": "docker.io/library/nginx:1.27"}]}}}}),
            bare_pod("legacy"),
        ],
    );
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-f"])
        .arg(&legacy));
    assert_eq!(out.code, 0, "{}", out.stderr);
    wait_for_ready_pods(&cluster, "legacy", 2);
    let bare_uid =
        cluster.get("v1", "pods", "legacy", "debug-shell").unwrap()["metadata"]["uid"].clone();

    for strategy in ["rollout", "delete-pods"] {
        let out = run(cluster.rigger().args([
            "inject",
            "enable",
            "legacy",
            "--restart",
            strategy,
            "--wait",
            "--timeout",
            "60s",
        ]));
        assert_eq!(out.code, 3, "{strategy}: {}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(
                "pod/debug-shell has no owner and was left alone (`--restart delete-pods --include-bare-pods` deletes it)"
            ),
            "{strategy}: {}",
            out.stdout
        );
        assert!(
            out.stderr.contains(
                "stopped waiting: the pods still without a sidecar (legacy/debug-shell) were left alone"
            ),
            "{strategy}: the wait ends without running into the timeout: {}",
            out.stderr
        );
        let bare = cluster
            .get("v1", "pods", "legacy", "debug-shell")
            .expect("bare pod kept");
        assert_eq!(
            bare["metadata"]["uid"], bare_uid,
            "{strategy}: the bare pod was recreated"
        );
        assert_eq!(container_names(&bare, "containers"), ["shell"]);
    }
    let report = json_of(&run(cluster.rigger().args([
        "verify-sidecars",
        "-n",
        "legacy",
        "-o",
        "json",
    ])));
    assert_eq!(report["ok"], false);
    assert_eq!(verdict(&report, "web-")["verdict"], "meshed");
    let bare = verdict(&report, "debug-shell");
    assert_eq!(bare["verdict"], "missing");
    assert_eq!(
        bare["reason"],
        "created before the namespace was labelled; restart it"
    );

    // Asked explicitly, the bare pod is deleted (and nothing brings it back).
    let out = run(cluster.rigger().args([
        "inject",
        "enable",
        "legacy",
        "--restart",
        "delete-pods",
        "--include-bare-pods",
        "-o",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json_of(&out);
    assert_eq!(
        report["namespaces"][0]["deletedPods"],
        json!(["debug-shell"])
    );
    assert_eq!(report["namespaces"][0]["barePodsLeft"], json!([]));
    cluster.wait_until("the bare pod to be gone", Duration::from_secs(30), |c| {
        c.get("v1", "pods", "legacy", "debug-shell").is_none()
    });
    let out = run(cluster.rigger().args(["verify-sidecars", "-n", "legacy"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
}

#[test]
fn native_sidecars_are_recognised() {
    let mut options = kubesim::SimOptions::cluster();
    if let Some(world) = options.world.as_mut() {
        world.nodes.kubelet_version = "v1.33.2".into();
    }
    let Some(cluster) = installed(
        "mesh-native",
        options,
        &["--set", "values.pilot.env.ENABLE_NATIVE_SIDECARS=true"],
    ) else {
        return;
    };
    let Some(()) = deploy_bookinfo(&cluster, json!({})) else {
        return;
    };
    let enable =
        run(cluster
            .rigger()
            .args(["inject", "enable", "bookinfo", "--wait", "--timeout", "60s"]));
    assert_eq!(enable.code, 0, "{}\n{}", enable.stdout, enable.stderr);
    let out = run(cluster
        .rigger()
        .args(["verify-sidecars", "-n", "bookinfo", "-o", "json"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = json_of(&out);
    assert_eq!(report["summary"]["meshed"], 6, "{report}");
    for d in DEPLOYMENTS {
        let v = verdict(&report, d);
        assert_eq!(v["placement"], "native-sidecar", "{v}");
        assert_eq!(v["proxyReady"], true, "{v}");
    }
    let table = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(
        table.stdout.matches("(native)").count(),
        6,
        "{}",
        table.stdout
    );
    // The cluster really has them as native sidecars: init containers with restartPolicy Always,
    // no istio-proxy among the regular containers.
    for pod in cluster.list("v1", "pods", Some("bookinfo")) {
        assert!(!container_names(&pod, "containers").contains(&"istio-proxy".to_string()));
        let proxy = pod["spec"]["initContainers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "istio-proxy")
            .expect("istio-proxy init container");
        assert_eq!(proxy["restartPolicy"], "Always");
    }
}

#[test]
fn revision_labels_select_the_revisioned_injector() {
    let Some(cluster) = installed_with(
        "mesh-revision",
        kubesim::SimOptions::cluster(),
        &["--revision", "canary"],
        &["--set", "revision=canary"],
    ) else {
        return;
    };
    let Some(()) = deploy_bookinfo(&cluster, json!({})) else {
        return;
    };

    // Without --revision there is no injector for the default revision: refused, nothing labelled.
    cluster.sim.clear_requests();
    let out = run(cluster.rigger().args(["inject", "enable", "bookinfo"]));
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("no sidecar injector for revision \"default\"; installed: canary"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());

    // A namespace labelled for a revision nobody serves: the reason says so.
    cluster
        .sim
        .store()
        .modify("", "v1", "namespaces", "", "bookinfo", |ns| {
            ns["metadata"]["labels"] = json!({"istio.io/rev": "stable"});
        })
        .unwrap();
    let report = json_of(&run(cluster.rigger().args([
        "verify-sidecars",
        "-n",
        "bookinfo",
        "-o",
        "json",
    ])));
    assert_eq!(
        verdict(&report, "productpage")["reason"],
        "revision \"stable\" has no injector (installed: canary)"
    );

    let enable = run(cluster.rigger().args([
        "inject",
        "enable",
        "bookinfo",
        "--revision",
        "canary",
        "--wait",
        "--timeout",
        "60s",
    ]));
    assert_eq!(enable.code, 0, "{}\n{}", enable.stdout, enable.stderr);
    assert!(
        enable
            .stdout
            .contains("namespace bookinfo: istio.io/rev=canary (labels updated)"),
        "{}",
        enable.stdout
    );
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert_eq!(
        ns["metadata"]["labels"],
        json!({"istio.io/rev": "canary", "kubernetes.io/metadata.name": "bookinfo"})
    );
    let out = run(cluster
        .rigger()
        .args(["verify-sidecars", "-n", "bookinfo", "-o", "json"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_bookinfo_meshed(&cluster, &json_of(&out));
    for pod in cluster.list("v1", "pods", Some("bookinfo")) {
        let status: Value = serde_json::from_str(
            pod["metadata"]["annotations"]["sidecar.istio.io/status"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(status["revision"], "canary", "{pod}");
    }

    // Switching to the plain label drops the revision label (and is refused here: no default injector).
    let out = run(cluster
        .rigger()
        .args(["inject", "disable", "bookinfo", "--restart", "none"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert!(
        ns["metadata"]["labels"].get("istio.io/rev").is_none(),
        "{ns}"
    );
}

#[test]
fn enabling_without_an_injector_fails_clearly_and_labels_nothing() {
    let Some(iop) = default_install() else { return };
    let _ = iop;
    // The operator is there, the control plane is not (no `rigger install` yet).
    let cluster = Cluster::with_options("mesh-noinjector", kubesim::SimOptions::cluster());
    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let Some(()) = deploy_bookinfo(&cluster, json!({})) else {
        return;
    };
    let old_pods = pod_names(&cluster, "bookinfo");
    cluster.sim.clear_requests();
    for strategy in ["rollout", "delete-pods"] {
        let out = run(cluster.rigger().args([
            "inject",
            "enable",
            "bookinfo",
            "--restart",
            strategy,
            "--wait",
        ]));
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert!(
            out.stderr.contains(
                "error: no sidecar injector is installed in this cluster, so labelling would change nothing"
            ) && out.stderr.contains("hint: install Istio first (`rigger install`)"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(cluster.writes(), Vec::<String>::new());
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert!(
        ns["metadata"]["labels"].get("istio-injection").is_none(),
        "{ns}"
    );
    assert_eq!(pod_names(&cluster, "bookinfo"), old_pods);

    let out = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stdout
            .matches("namespace not labelled for injection")
            .count(),
        6,
        "{}",
        out.stdout
    );

    // A namespace that does not exist among several: checked before anything is labelled.
    let out = run(cluster
        .rigger()
        .args(["inject", "enable", "bookinfo", "nowhere"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("namespace \"nowhere\" does not exist"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

// ---- issue 8: the ingress gateway of the installed control plane, routing to an injected bookinfo ----

fn bookinfo_gateway_yaml() -> Option<PathBuf> {
    kubesim::testkit::fixture("istio/samples/bookinfo/networking/bookinfo-gateway.yaml")
}

/// A plain HTTP/1.1 GET of `url` (`http://host:port/path`): status and body, straight from the
/// simulated data plane, independent of rigger's own check.
fn http_get(url: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr: std::net::SocketAddr = authority.parse().expect("host:port");
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("connecting to {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Installed control plane and bookinfo deployed into a namespace labelled for injection, every pod
/// injected at creation.
fn injected_bookinfo(label: &str) -> Option<Cluster> {
    let cluster = installed(label, kubesim::SimOptions::cluster(), &[])?;
    deploy_bookinfo(&cluster, json!({"istio-injection": "enabled"}))?;
    let out = run(cluster.rigger().args(["verify-sidecars", "-n", "bookinfo"]));
    assert_eq!(
        out.code, 0,
        "bookinfo is injected: {}\n{}",
        out.stdout, out.stderr
    );
    Some(cluster)
}

/// `gateway url --path /productpage --check` answers 200 from the data plane; returns the URL.
fn check_productpage(cluster: &Cluster) -> String {
    let out = run(cluster.rigger().args([
        "gateway",
        "url",
        "--path",
        "/productpage",
        "--check",
        "-o",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = json_of(&out);
    assert_eq!(report["check"]["ok"], true, "{report}");
    assert_eq!(report["check"]["status"], 200, "{report}");
    let url = report["url"].as_str().unwrap().to_string();
    assert!(
        out.stderr.contains(&format!("{url} answered 200 in")),
        "{}",
        out.stderr
    );
    // The same URL, fetched independently, is productpage's answer (through the gateway).
    let (status, body) = http_get(&url);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("productpage"), "{body}");
    url
}

#[test]
fn expose_productpage_then_the_url_answers_200_through_the_ingress_gateway() {
    let Some(cluster) = injected_bookinfo("mesh-expose") else {
        return;
    };
    // Nothing routes /productpage yet: the check fails with the data plane's 404 and exit 3.
    let out = run(cluster
        .rigger()
        .args(["gateway", "url", "--path", "/productpage", "--check"]));
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("answered 404"), "{}", out.stderr);

    let out = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--port",
        "9080",
        "--path",
        "/productpage",
        "--prefix",
        "/static",
    ]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("gateway.networking.istio.io/productpage-gateway created")
            && out
                .stderr
                .contains("virtualservice.networking.istio.io/productpage created"),
        "{}",
        out.stderr
    );
    let printed = out.stdout.trim().to_string();
    assert!(printed.ends_with("/productpage"), "{printed}");

    let url = check_productpage(&cluster);
    assert_eq!(url, printed, "expose printed the URL that answers");
    let stat = url.replace("/productpage", "/static/bootstrap.css");
    assert_eq!(http_get(&stat).0, 200, "the /static prefix is routed too");
    let out = run(cluster
        .rigger()
        .args(["gateway", "url", "--path", "/ratings", "--check"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("answered 404"), "{}", out.stderr);

    // What was applied: v1 objects bound to the installed ingress gateway's pods.
    let gw = cluster
        .get(
            "networking.istio.io/v1",
            "gateways",
            "bookinfo",
            "productpage-gateway",
        )
        .expect("gateway");
    assert_eq!(gw["spec"]["selector"], json!({"istio": "ingressgateway"}));
    let vs = cluster
        .get(
            "networking.istio.io/v1",
            "virtualservices",
            "bookinfo",
            "productpage",
        )
        .expect("virtual service");
    assert_eq!(
        vs["spec"]["http"][0]["route"][0]["destination"],
        json!({"host": "productpage", "port": {"number": 9080}})
    );

    // Exposing again changes nothing.
    cluster.sim.clear_requests();
    let again = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--port",
        "9080",
        "--path",
        "/productpage",
        "--prefix",
        "/static",
    ]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("productpage-gateway unchanged"),
        "{}",
        again.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn bookinfo_gateway_yaml_gives_the_same_result_and_reapplies_unchanged() {
    let Some(file) = bookinfo_gateway_yaml() else {
        return;
    };
    let Some(cluster) = injected_bookinfo("mesh-apply") else {
        return;
    };
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "gateway.networking.istio.io/bookinfo-gateway created\nvirtualservice.networking.istio.io/bookinfo created\n"
    );
    check_productpage(&cluster);

    cluster.sim.clear_requests();
    let again = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "gateway.networking.istio.io/bookinfo-gateway unchanged\nvirtualservice.networking.istio.io/bookinfo unchanged\n"
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn the_three_load_balancer_cases_on_the_installed_gateway() {
    let Some(file) = bookinfo_gateway_yaml() else {
        return;
    };
    let Some(cluster) = injected_bookinfo("mesh-lb") else {
        return;
    };
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let world = cluster.sim.world().expect("an acting cluster");
    let lb_ingress = |c: &Cluster| {
        c.get("v1", "services", "istio-system", "istio-ingressgateway")
            .map(|s| s["status"]["loadBalancer"]["ingress"][0].clone())
            .unwrap_or(Value::Null)
    };
    let url_json = |c: &Cluster| json_of(&run(c.rigger().args(["gateway", "url", "-o", "json"])));

    // IP: published when the simulated load balancer can serve every port (port 80 needs root);
    // otherwise it stays pending and the node address is used. Either way the URL answers.
    let first = url_json(&cluster);
    match lb_ingress(&cluster)["ip"].as_str() {
        Some(ip) => {
            assert_eq!(first["case"], "load-balancer-ip", "{first}");
            assert_eq!(first["host"], ip);
            assert_eq!(first["port"], 80);
        }
        None => assert_eq!(first["case"], "node-port", "{first}"),
    }
    check_productpage(&cluster);

    // Pending: a node address and the http2 nodePort, with the firewall note.
    world.set_load_balancer_mode(kubesim::world::LoadBalancerMode::Pending);
    cluster.wait_until(
        "the load balancer to be pending",
        Duration::from_secs(30),
        |c| lb_ingress(c).is_null(),
    );
    let svc = cluster
        .get("v1", "services", "istio-system", "istio-ingressgateway")
        .unwrap();
    let node_port = svc["spec"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "http2")
        .unwrap()["nodePort"]
        .clone();
    let pending = url_json(&cluster);
    assert_eq!(pending["case"], "node-port", "{pending}");
    assert_eq!(pending["port"], node_port, "{pending}");
    let node_ips: Vec<String> = world
        .nodes()
        .iter()
        .map(|n| n.external_ip.to_string())
        .collect();
    assert!(
        node_ips.contains(&pending["host"].as_str().unwrap().to_string()),
        "{pending} {node_ips:?}"
    );
    let out = run(cluster.rigger().args(["gateway", "url"]));
    assert!(
        out.stderr.contains("rigger firewall allow --from-gateway"),
        "{}",
        out.stderr
    );
    check_productpage(&cluster);

    // Hostname (EKS): the load balancer's host name on the Service port.
    world.set_load_balancer_mode(kubesim::world::LoadBalancerMode::Hostname);
    cluster.wait_until("a load balancer host name", Duration::from_secs(30), |c| {
        lb_ingress(c)["hostname"].is_string()
    });
    let hostname = url_json(&cluster);
    assert_eq!(hostname["case"], "load-balancer-hostname", "{hostname}");
    assert_eq!(hostname["host"], lb_ingress(&cluster)["hostname"]);
    assert_eq!(hostname["port"], 80);
    let env = run(cluster.rigger().args(["gateway", "url", "-o", "env"]));
    assert_eq!(
        env.stdout,
        format!(
            "export INGRESS_HOST={h}\nexport INGRESS_PORT=80\nexport GATEWAY_URL={h}:80\n",
            h = hostname["host"].as_str().unwrap()
        )
    );
}

#[test]
fn without_an_ingress_gateway_or_with_bad_input_nothing_is_applied() {
    let Some(cluster) = installed(
        "mesh-nogw",
        kubesim::SimOptions::cluster(),
        &[
            "--set",
            "components.ingressGateways[name:istio-ingressgateway].enabled=false",
        ],
    ) else {
        return;
    };
    let Some(()) = deploy_bookinfo(&cluster, json!({"istio-injection": "enabled"})) else {
        return;
    };
    let Some(gateway_file) = bookinfo_gateway_yaml() else {
        return;
    };
    cluster.sim.clear_requests();
    let expose = |extra: &[&str]| {
        run(cluster
            .rigger()
            .args(["gateway", "expose", "-n", "bookinfo"])
            .args(extra))
    };

    let out = expose(&["productpage", "--port", "9080", "--path", "/productpage"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: no ingress gateway matches istio=ingressgateway"),
        "{}",
        out.stderr
    );
    let out = expose(&["productpages", "--port", "9080"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("service \"productpages\" not found in namespace \"bookinfo\""),
        "{}",
        out.stderr
    );
    let out = expose(&["productpage", "--port", "9081"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("service bookinfo/productpage has no port 9081")
            && out.stderr.contains("its ports: 9080"),
        "{}",
        out.stderr
    );
    let out = run(cluster.rigger().args(["gateway", "url", "--check"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "the ingress gateway service istio-system/istio-ingressgateway does not exist"
        ),
        "{}",
        out.stderr
    );

    // Bad YAML after a good document: the whole input is refused before the first write.
    let broken = cluster.dir.path().join("broken.yaml");
    let mut text = std::fs::read_to_string(&gateway_file).unwrap();
    text.push_str(
        "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: [oops\n",
    );
    std::fs::write(&broken, text).unwrap();
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&broken));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("broken.yaml") && out.stderr.contains("invalid YAML"),
        "{}",
        out.stderr
    );

    assert_eq!(cluster.writes(), Vec::<String>::new());
    for kind in ["gateways", "virtualservices", "destinationrules"] {
        assert!(
            cluster
                .list("networking.istio.io/v1", kind, Some("bookinfo"))
                .is_empty(),
            "{kind}"
        );
    }
}
