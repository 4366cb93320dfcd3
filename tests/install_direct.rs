//! The direct install (Istio 1.24+, no operator) end to end against kubesim's simulated cluster:
//! `install --istio-version 1.30.3 --manifests <release>` applies base, istiod and the ingress
//! gateway in that order and ends healthy; a re-run writes nothing; verify-install and the
//! simulated injector work on top of it; bad input writes nothing; a smaller render prunes;
//! uninstall removes what the install labelled; an operator-managed control plane is refused.

mod support;

use serde_json::Value;
use support::cluster::Cluster;
use support::run;

fn release() -> Option<String> {
    kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3").map(|p| p.display().to_string())
}

fn acting_cluster(label: &str) -> Cluster {
    Cluster::with_options(label, kubesim::SimOptions::cluster())
}

/// The paths of the write requests, in order.
fn write_paths(cluster: &Cluster) -> Vec<String> {
    cluster.writes()
}

fn position(writes: &[String], needle: &str) -> usize {
    writes
        .iter()
        .position(|w| w.contains(needle))
        .unwrap_or_else(|| panic!("no write to {needle} in {writes:#?}"))
}

#[test]
fn install_in_order_rerun_verify_inject_prune_uninstall() {
    let Some(release) = release() else { return };
    let cluster = acting_cluster("direct-e2e");
    let install = |extra: &[&str]| {
        let mut cmd = cluster.rigger();
        cmd.args([
            "install",
            "--istio-version",
            "1.30.3",
            "--manifests",
            &release,
            "--timeout",
            "90s",
        ]);
        cmd.args(extra);
        run(&mut cmd)
    };

    cluster.sim.clear_requests();
    let out = install(&[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for component in ["Istio core", "Istiod", "Ingress gateways"] {
        assert!(out.stdout.contains(component), "{}", out.stdout);
    }
    assert!(!out.stdout.contains("pruned"), "{}", out.stdout);
    // Base (CRDs) before istiod before the gateway.
    let writes = write_paths(&cluster);
    let crd = position(&writes, "customresourcedefinitions");
    let istiod = position(&writes, "namespaces/istio-system/deployments/istiod");
    let gateway = position(&writes, "deployments/istio-ingressgateway");
    assert!(crd < istiod && istiod < gateway, "{writes:#?}");
    // The install waited through watches, not polls.
    let requests = cluster.sim.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path.contains("deployments") && r.query.contains("watch=true")),
        "no watch on deployments"
    );
    let istiod = cluster
        .get("apps/v1", "deployments", "istio-system", "istiod")
        .expect("istiod deployment");
    assert_eq!(
        istiod["spec"]["template"]["spec"]["containers"][0]["image"],
        "docker.io/istio/pilot:1.30.3"
    );
    let labels = &istiod["metadata"]["labels"];
    assert_eq!(
        labels["install.operator.istio.io/owning-resource"],
        "installed-state"
    );
    assert_eq!(labels["operator.istio.io/component"], "Pilot");
    assert_eq!(labels["operator.istio.io/version"], "1.30.3");
    assert_eq!(
        istiod["status"]["availableReplicas"], 1,
        "{}",
        istiod["status"]
    );
    let gw = cluster
        .get(
            "apps/v1",
            "deployments",
            "istio-system",
            "istio-ingressgateway",
        )
        .expect("gateway deployment");
    assert_eq!(gw["status"]["availableReplicas"], 1, "{}", gw["status"]);
    // Made the default revision, as istioctl install does: the default tag's injection webhooks
    // and the default validator, with the revision's own injector deactivated.
    let admission = "admissionregistration.k8s.io/v1";
    let tag = cluster
        .get(
            admission,
            "mutatingwebhookconfigurations",
            "",
            "istio-revision-tag-default",
        )
        .expect("the default tag");
    assert_eq!(tag["metadata"]["labels"]["istio.io/tag"], "default");
    assert_eq!(
        tag["webhooks"][0]["clientConfig"]["service"]["name"],
        "istiod"
    );
    assert!(
        cluster
            .get(
                admission,
                "validatingwebhookconfigurations",
                "",
                "istiod-default-validator"
            )
            .is_some()
    );
    let own = cluster
        .get(
            admission,
            "mutatingwebhookconfigurations",
            "",
            "istio-sidecar-injector",
        )
        .unwrap();
    for hook in own["webhooks"].as_array().unwrap() {
        assert_eq!(
            hook["namespaceSelector"]["matchLabels"]["istio.io/deactivated"],
            "never-match"
        );
    }

    // Same input again: no changes and no writes.
    cluster.sim.clear_requests();
    let out = install(&[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(cluster.writes(), Vec::<String>::new());
    assert!(out.stdout.contains("unchanged"), "{}", out.stdout);
    assert!(!out.stdout.contains("pruned"), "{}", out.stdout);

    let out = run(cluster.rigger().args(["verify-install"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("direct install"), "{}", out.stdout);
    assert!(out.stdout.contains("istiod"), "{}", out.stdout);

    // The injector works on top of the direct install.
    cluster.create(
        "v1",
        "namespaces",
        "",
        serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}}}),
    );
    let pod = cluster.create(
        "v1",
        "pods",
        "shop",
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]}}),
    );
    let names: Vec<&str> = pod["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            pod["spec"]["initContainers"]
                .as_array()
                .into_iter()
                .flatten(),
        )
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(names.contains(&"istio-proxy"), "not injected: {pod}");

    // A workload brought into the mesh: inject enable restarts it with sidecars, verify-sidecars agrees.
    cluster.create(
        "v1",
        "namespaces",
        "",
        serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop2"}}),
    );
    cluster.create(
        "apps/v1",
        "deployments",
        "shop2",
        serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop2"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}),
    );
    let out =
        run(cluster
            .rigger()
            .args(["inject", "enable", "shop2", "--wait", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let out = run(cluster.rigger().args(["verify-sidecars", "-n", "shop2"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);

    // The ingress gateway answers where `gateway url` says.
    let out = run(cluster.rigger().args(["gateway", "url"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("http://"), "{}", out.stdout);

    // Bad input: nothing is written.
    cluster.sim.clear_requests();
    let out = install(&["--set", "values.pilot.nosuchthing=1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("spec.values.pilot.nosuchthing"),
        "{}",
        out.stderr
    );
    let out = install(&["--set", "components.ingressGateways[x].k8s=1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = install(&["--set", "components.pilot.enabled=maybe"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(cluster.writes(), Vec::<String>::new());

    // Without the ingress gateway, its objects are pruned.
    let out = install(&[
        "--set",
        "components.ingressGateways[name:istio-ingressgateway].enabled=false",
    ]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        cluster
            .get(
                "apps/v1",
                "deployments",
                "istio-system",
                "istio-ingressgateway"
            )
            .is_none(),
        "gateway not pruned"
    );
    assert!(
        out.stdout
            .contains("deployment/istio-ingressgateway deleted"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("endpointslice"), "{}", out.stdout);

    let out = run(cluster.rigger().args(["uninstall", "--yes"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        cluster
            .get("apps/v1", "deployments", "istio-system", "istiod")
            .is_none(),
        "istiod still there"
    );
    let cm: Option<Value> = cluster.get("v1", "configmaps", "istio-system", "istio");
    assert!(cm.is_none(), "mesh config still there");
}

#[test]
fn dry_run_prints_what_manifest_generate_prints_made_the_default_revision() {
    let Some(release) = release() else { return };
    let cluster = acting_cluster("direct-dry");
    let out = run(cluster.rigger().args([
        "install",
        "--manifests",
        &release,
        "--profile",
        "minimal",
        "--dry-run",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let generated = run(cluster.rigger().args([
        "manifest",
        "generate",
        "--manifests",
        &release,
        "--profile",
        "minimal",
    ]));
    // What install applies is what manifest generate prints, made the default revision as
    // istioctl install does: two more objects, and the revision's own injector deactivated.
    let docs = |text: &str| text.matches("\n---\n").count();
    assert_eq!(docs(&out.stdout), docs(&generated.stdout) + 2);
    assert!(out.stdout.contains("name: istio-revision-tag-default\n"));
    assert!(out.stdout.contains("name: istiod-default-validator\n"));
    assert!(out.stdout.contains("istio.io/deactivated: never-match"));
    assert!(!generated.stdout.contains("istio-revision-tag-default"));
    assert!(out.stdout.contains("kind: Deployment"));
    assert_eq!(cluster.writes(), Vec::<String>::new());
    // An Istio 1.24+ tag without a release to render is a clear error, and --mode operator
    // with Istio 1.24+ is refused.
    let out = run(cluster.rigger().args(["install", "--set", "tag=1.30.3"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--istio-version"), "{}", out.stderr);
    let out =
        run(cluster
            .rigger()
            .args(["install", "--mode", "operator", "--istio-version", "1.30.3"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("removed in Istio 1.24"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn an_operator_managed_control_plane_is_refused_with_migration_steps() {
    let Some(release) = release() else { return };
    let cluster = acting_cluster("direct-over-operator");
    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    cluster.create(
        "install.istio.io/v1alpha1",
        "istiooperators",
        "istio-system",
        serde_json::json!({"apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
            "metadata": {"name": "example", "namespace": "istio-system"},
            "spec": {"profile": "minimal"}}),
    );
    cluster.sim.clear_requests();
    let out = run(cluster.rigger().args(["install", "--manifests", &release]));
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("managed by the in-cluster operator (IstioOperator istio-system/example)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("rigger operator remove"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}
