//! The operator path end to end against kubesim (with its simulated cluster and Istio operator):
//! precheck → operator init → install → verify-install → uninstall, asserting output and cluster
//! state after each; invalid input with nothing written; an unpullable operator image; a read-only
//! user; a second install that writes nothing; and a wait that watches instead of polling.

mod support;

use support::cluster::Cluster;
use support::run;

fn acting_cluster(label: &str) -> Cluster {
    Cluster::with_options(label, kubesim::SimOptions::cluster())
}

fn sample(name: &str) -> Option<String> {
    kubesim::testkit::fixture(&format!("istio/operator-1.23.0/samples/{name}"))
        .map(|p| p.display().to_string())
}

#[test]
fn precheck_init_install_verify_uninstall() {
    let Some(default_install) = sample("default-install.yaml") else {
        return;
    };
    let cluster = acting_cluster("op-e2e");

    let out = run(cluster.rigger().args(["precheck"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("✔ can create namespaces cluster-wide"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("no Istio operator is installed yet"),
        "{}",
        out.stdout
    );

    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("deployment.apps/istio-operator created"),
        "{}",
        out.stdout
    );
    let deployment = cluster
        .get("apps/v1", "deployments", "istio-operator", "istio-operator")
        .expect("operator deployment");
    assert_eq!(
        deployment["spec"]["template"]["spec"]["containers"][0]["image"],
        "docker.io/istio/operator:1.23.6"
    );
    assert!(
        cluster
            .get("v1", "namespaces", "", "istio-system")
            .is_some()
    );
    assert!(
        cluster
            .get(
                "rbac.authorization.k8s.io/v1",
                "clusterroles",
                "",
                "istio-operator"
            )
            .is_some()
    );

    let out = run(cluster
        .rigger()
        .args(["install", "-f", &default_install, "--timeout", "90s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("istiod"), "{}", out.stdout);
    assert!(
        out.stdout.contains("istio-ingressgateway"),
        "{}",
        out.stdout
    );
    let iop = cluster
        .get(
            "install.istio.io/v1alpha1",
            "istiooperators",
            "istio-system",
            "istio-operator",
        )
        .expect("the IstioOperator");
    assert_eq!(iop["status"]["status"], "HEALTHY");
    assert!(
        cluster
            .get("apps/v1", "deployments", "istio-system", "istiod")
            .is_some()
    );

    // Same input again: no changes, no writes.
    cluster.sim.clear_requests();
    let out = run(cluster.rigger().args(["install", "-f", &default_install]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("no changes"), "{}", out.stderr);
    assert_eq!(cluster.writes(), Vec::<String>::new());

    let out = run(cluster.rigger().args(["verify-install"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("deployment istio-system/istiod is available"),
        "{}",
        out.stdout
    );

    let out = run(cluster
        .rigger()
        .args(["uninstall", "--yes", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        cluster
            .get(
                "install.istio.io/v1alpha1",
                "istiooperators",
                "istio-system",
                "istio-operator"
            )
            .is_none()
    );
    assert!(
        cluster
            .get("apps/v1", "deployments", "istio-system", "istiod")
            .is_none()
    );
}

#[test]
fn install_waits_through_a_watch_not_polling() {
    let Some(default_install) = sample("default-install.yaml") else {
        return;
    };
    let cluster = acting_cluster("op-watch");
    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    cluster.sim.clear_requests();
    let out = run(cluster
        .rigger()
        .args(["install", "-f", &default_install, "--timeout", "90s"]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let requests = cluster.sim.requests();
    let iop_gets = requests
        .iter()
        .filter(|r| {
            r.method == "GET" && r.path.contains("/istiooperators") && !r.query.contains("watch")
        })
        .count();
    let iop_watches = requests
        .iter()
        .filter(|r| r.path.contains("/istiooperators") && r.query.contains("watch=true"))
        .count();
    assert!(iop_watches >= 1, "no watch on the IstioOperator");
    assert!(
        iop_gets <= 3,
        "{iop_gets} GETs of IstioOperators while waiting: polling?"
    );
}

#[test]
fn invalid_input_is_refused_with_nothing_written() {
    let cluster = Cluster::start("op-invalid");
    let dir = cluster.dir.path();
    let cases = [
        (
            "unknown.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n    ingressGateways:\n    - name: gw\n      k8s:\n        tolerations:\n        - thats: x\n",
            "unknown.yaml:9: spec.components.ingressGateways[0].k8s.tolerations[0].thats: unknown field",
        ),
        (
            "type.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n    pilot:\n      enabled: sometimes\n",
            "type.yaml:6: spec.components.pilot.enabled: expected a boolean",
        ),
        (
            "two.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n---\napiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n",
            "holds 2 IstioOperator objects",
        ),
        ("empty.yaml", "", "the file is empty"),
        (
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
            "is a ConfigMap, not an IstioOperator",
        ),
        ("broken.yaml", "spec: [1, 2\n", "malformed YAML"),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(cluster
            .rigger()
            .args(["install", "-f", path.to_str().unwrap()]));
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
    let out = run(cluster
        .rigger()
        .args(["install", "--set", "components.pilot.k8s.replicas=2"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("spec.components.pilot.k8s.replicas: unknown field"),
        "{}",
        out.stderr
    );
    let out = run(cluster.rigger().args(["install", "--set", "tag=1.30.3"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("removed in 1.24"), "{}", out.stderr);
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn install_without_an_operator_points_to_operator_init() {
    let Some(default_install) = sample("default-install.yaml") else {
        return;
    };
    let cluster = Cluster::start("op-none");
    let out = run(cluster.rigger().args(["install", "-f", &default_install]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("there is no Istio operator"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("rigger operator init"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn operator_init_dry_run_and_rerun_write_nothing() {
    let cluster = Cluster::start("op-dry");
    let out = run(cluster.rigger().args(["operator", "init", "--dry-run"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("kind: ClusterRoleBinding"));
    assert!(
        out.stdout
            .contains("image: docker.io/istio/operator:1.23.6")
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());

    let out = run(cluster.rigger().args(["operator", "init", "--no-wait"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    cluster.sim.clear_requests();
    let out = run(cluster.rigger().args(["operator", "init", "--no-wait"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("deployment.apps/istio-operator unchanged"),
        "{}",
        out.stdout
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());

    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--tag", "1.24.0"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no in-cluster operator"),
        "{}",
        out.stderr
    );
}

#[test]
fn unpullable_operator_image_times_out_naming_image_pull_back_off() {
    let cluster = acting_cluster("op-pull");
    let out = run(cluster.rigger().args([
        "operator",
        "init",
        "--hub",
        "docker.io/unpullable",
        "--timeout",
        "8s",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("ImagePullBackOff") || out.stderr.contains("ErrImagePull"),
        "{}",
        out.stderr
    );
}

#[test]
fn read_only_user_fails_precheck_and_install_naming_what_is_missing() {
    let Some(default_install) = sample("default-install.yaml") else {
        return;
    };
    let cluster = acting_cluster("op-ro");
    let out = run(cluster.rigger().args(["operator", "init", "--no-wait"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(cluster
        .rigger()
        .args(["--context", "kubesim-readonly", "precheck"]));
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("× can create namespaces cluster-wide"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("× can create istiooperators.install.istio.io in namespace istio-system"),
        "{}",
        out.stdout
    );
    // For Istio 1.24+ the checks are the direct install's: webhooks, not IstioOperators.
    let out = run(cluster.rigger().args([
        "--context",
        "kubesim-readonly",
        "precheck",
        "--istio-version",
        "1.30.3",
    ]));
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "× can create validatingwebhookconfigurations.admissionregistration.k8s.io cluster-wide"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("istiooperators"), "{}", out.stdout);

    let out = run(cluster.rigger().args([
        "--context",
        "kubesim-readonly",
        "install",
        "-f",
        &default_install,
        "--no-wait",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot patch resource \"istiooperators\" in API group \"install.istio.io\""),
        "{}",
        out.stderr
    );
}

#[test]
fn install_with_a_profile_and_set_overlays() {
    let cluster = acting_cluster("op-profile");
    let out = run(cluster
        .rigger()
        .args(["operator", "init", "--timeout", "60s"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(cluster.rigger().args([
        "install",
        "--profile",
        "demo",
        "--set",
        "components.ingressGateways[name:istio-ingressgateway].enabled=false",
        "--set",
        "meshConfig.accessLogFile=/dev/stdout",
        "--timeout",
        "90s",
    ]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("istio-egressgateway"), "{}", out.stdout);
    let iop = cluster
        .get(
            "install.istio.io/v1alpha1",
            "istiooperators",
            "istio-system",
            "installed-by-rigger",
        )
        .expect("the IstioOperator");
    assert_eq!(iop["spec"]["profile"], "demo");
    assert_eq!(iop["spec"]["meshConfig"]["accessLogFile"], "/dev/stdout");
    assert!(
        cluster
            .get(
                "apps/v1",
                "deployments",
                "istio-system",
                "istio-egressgateway"
            )
            .is_some()
    );
    assert!(
        cluster
            .get(
                "apps/v1",
                "deployments",
                "istio-system",
                "istio-ingressgateway"
            )
            .is_none()
    );
}
