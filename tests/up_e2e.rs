//! The whole walkthrough through `rigger up` on kubesim's simulated cluster (nodes, controllers, the
//! Istio operator and injector, the ingress data plane) with Istio's bookinfo and the fake Compute
//! API: a failure injected at each step stops the run there with its explanation and exit code, a
//! re-run after the fix finishes, the final cluster state and firewall rule are right, the URL
//! answers 200 from the simulated ingress, and a second run writes nothing.

mod support;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

const PROJECT: &str = "kubesim-project";
const NODE_TAG: &str = "gke-bookinfo-node";
/// The walkthrough's istio-manifest.yaml.
const ISTIO_MANIFEST: &str = "apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  namespace: istio-system
  name: example-istiocontrolplane
spec:
  profile: default
";

struct Setup {
    cluster: Cluster,
    compute: kubesim::gcp::FakeCompute,
    bookinfo: String,
    manifest: String,
    key: String,
}

/// A simulated cluster whose cloud gives LoadBalancers no address (so the gateway is reached on a
/// NodePort and the firewall rule matters), and a fake Compute API that knows its nodes.
fn setup(label: &str) -> Option<Setup> {
    let bookinfo = kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml")?;
    let mut options = kubesim::SimOptions::cluster();
    let world = options.world.as_mut().unwrap();
    world.load_balancer = kubesim::world::LoadBalancerMode::Pending;
    let cluster = Cluster::with_options(label, options);
    let compute = kubesim::gcp::FakeCompute::start(kubesim::gcp::FakeComputeOptions {
        projects: vec![PROJECT.into()],
        ..Default::default()
    })
    .unwrap();
    let world = cluster.sim.world().unwrap();
    for node in world.nodes() {
        compute.add_instance(
            PROJECT,
            &world.options().nodes.zone,
            &node.name,
            &[NODE_TAG],
        );
    }
    // The nodes sit behind the project's firewall: a NodePort answers only once a rule allows it.
    cluster
        .sim
        .guard_node_ports(compute.node_port_firewall(PROJECT, world.nodes()));
    let key = cluster.dir.path().join("sa.json");
    std::fs::write(
        &key,
        compute
            .service_account_json(PROJECT, "rigger-test")
            .to_string(),
    )
    .unwrap();
    let manifest = cluster.dir.path().join("istio-manifest.yaml");
    std::fs::write(&manifest, ISTIO_MANIFEST).unwrap();
    Some(Setup {
        cluster,
        compute,
        bookinfo: bookinfo.display().to_string(),
        manifest: manifest.display().to_string(),
        key: key.display().to_string(),
    })
}

impl Setup {
    /// `rigger up` for the whole walkthrough, with extra arguments (later ones win).
    fn up(&self, extra: &[&str]) -> support::Run {
        self.up_with(&["--firewall"], extra)
    }

    fn up_with(&self, firewall: &[&str], extra: &[&str]) -> support::Run {
        let gcloud = self.cluster.dir.path().join("gcloud");
        run(self
            .cluster
            .rigger()
            .env("GOOGLE_APPLICATION_CREDENTIALS", &self.key)
            .env("CLOUDSDK_CONFIG", &gcloud)
            .env("GCE_METADATA_HOST", "127.0.0.1:9")
            .args(["up", "-f", &self.manifest, "--inject", "bookinfo"])
            .args(["--apply", &self.bookinfo, "-n", "bookinfo"])
            .args(["--path", "/productpage", "--prefix", "/static"])
            .args(["--lb-wait", "1s", "--project", PROJECT])
            .args(firewall)
            .args(["--compute-endpoint", &self.compute.url(), "-o", "json"])
            .args(extra))
    }
}

fn events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// (step, status) of every finished step.
fn finished(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e["event"] == "finish")
        .map(|e| {
            (
                e["step"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts the run stopped at `step` with exit `code` and `message` on stderr.
fn assert_stopped_at(out: &support::Run, step: &str, code: i32, message: &str) {
    assert_eq!(out.code, code, "{}\n{}", out.stdout, out.stderr);
    let events = events(&out.stdout);
    let steps = finished(&events);
    assert_eq!(
        steps.last().map(|(s, st)| (s.as_str(), st.as_str())),
        Some((step, "failed")),
        "{steps:?}"
    );
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["ok"], false);
    assert!(out.stderr.contains(message), "{}", out.stderr);
    assert!(
        out.stderr.contains("run `rigger up` again"),
        "{}",
        out.stderr
    );
}

#[test]
fn up_stops_at_each_failing_step_then_finishes_and_a_second_run_writes_nothing() {
    let Some(setup) = setup("up-e2e") else {
        return;
    };
    let cluster = &setup.cluster;
    let all_steps = [
        "precheck",
        "operator",
        "install",
        "inject",
        "apply",
        "verify-sidecars",
        "expose",
        "url",
        "firewall",
        "check",
    ];

    // A read-only user: the precheck names what is missing, exit 3, nothing written.
    let out = setup.up(&[
        "--context",
        "kubesim-readonly",
        "--expose",
        "productpage:9080",
    ]);
    assert_stopped_at(&out, "precheck", 3, "× can create namespaces cluster-wide");
    assert_eq!(cluster.writes(), Vec::<String>::new());

    // An operator image that cannot be pulled: the operator step explains why it is not available.
    let out = setup.up(&[
        "--hub",
        "docker.io/unpullable",
        "--timeout",
        "5s",
        "--expose",
        "productpage:9080",
    ]);
    assert_stopped_at(&out, "operator", 1, "ImagePullBackOff");

    // A Service that does not exist: everything up to expose is done, expose stops the run.
    let out = setup.up(&["--expose", "details-typo:9080"]);
    assert_stopped_at(
        &out,
        "expose",
        2,
        "service \"details-typo\" not found in namespace \"bookinfo\"",
    );
    let steps = finished(&events(&out.stdout));
    assert_eq!(
        steps.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        &all_steps[..7]
    );
    assert!(cluster.get("v1", "namespaces", "", "bookinfo").is_some());

    // Without --firewall the gateway's NodePort stays closed: the check fails and says why.
    let out = setup.up_with(&[], &["--expose", "productpage:9080", "--timeout", "3s"]);
    assert_stopped_at(&out, "check", 1, "open it with --firewall");

    // Compute denies the rule: the firewall step names the missing permission.
    setup
        .compute
        .set_fault(kubesim::gcp::Fault::MissingPermission(
            "compute.firewalls.create".into(),
        ));
    let out = setup.up(&["--expose", "productpage:9080"]);
    assert_stopped_at(&out, "firewall", 1, "compute.firewalls.create");
    setup.compute.clear_fault();

    // Fixed: the run finishes.
    let out = setup.up(&["--expose", "productpage:9080"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let events = events(&out.stdout);
    let steps = finished(&events);
    assert_eq!(
        steps.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        all_steps
    );
    let status = |step: &str| {
        steps
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, status)| status.as_str())
            .unwrap()
    };
    assert_eq!(status("firewall"), "done");
    assert_eq!(status("check"), "done");
    assert!(
        events
            .iter()
            .filter(|e| e["event"] == "start")
            .all(|e| e["total"] == 10)
    );
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["ok"], true, "{summary}");
    let url = summary["url"].as_str().unwrap();

    // The cluster after: a HEALTHY control plane, every bookinfo pod meshed, the routes.
    let iop = cluster
        .get(
            "install.istio.io/v1alpha1",
            "istiooperators",
            "istio-system",
            "example-istiocontrolplane",
        )
        .unwrap();
    assert_eq!(iop["status"]["status"], "HEALTHY");
    assert!(
        cluster
            .get("apps/v1", "deployments", "istio-system", "istiod")
            .is_some()
    );
    let ns = cluster.get("v1", "namespaces", "", "bookinfo").unwrap();
    assert_eq!(ns["metadata"]["labels"]["istio-injection"], "enabled");
    let pods = cluster.list("v1", "pods", Some("bookinfo"));
    let live: Vec<&Value> = pods
        .iter()
        .filter(|p| p["metadata"]["deletionTimestamp"].is_null())
        .collect();
    assert_eq!(live.len(), 6, "bookinfo runs six pods");
    for pod in live {
        let containers = pod["spec"]["containers"].as_array().unwrap();
        assert!(
            containers
                .iter()
                .any(|c| c["name"] == "istio-proxy"
                    && c["image"].as_str().unwrap().contains("proxyv2")),
            "{}",
            pod["metadata"]["name"]
        );
    }
    let vs = cluster
        .get(
            "networking.istio.io/v1",
            "virtualservices",
            "bookinfo",
            "productpage",
        )
        .unwrap();
    assert_eq!(vs["spec"]["gateways"], json!(["productpage-gateway"]));

    // The firewall rule opens the gateway's NodePort to the cluster's nodes only.
    let node_port = cluster
        .get("v1", "services", "istio-system", "istio-ingressgateway")
        .unwrap()["spec"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "http2")
        .unwrap()["nodePort"]
        .clone();
    assert!(url.contains(&format!(":{node_port}/productpage")), "{url}");
    let rule = setup
        .compute
        .firewall(PROJECT, "allow-gateway-http")
        .expect("the rule exists");
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "tcp", "ports": [node_port.to_string()]}])
    );
    assert_eq!(rule["targetTags"], json!([NODE_TAG]));

    // The URL answers from the simulated ingress, routed to a productpage pod.
    let body = get(url);
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("productpage"), "{body}");

    // Again: nothing to write, every changing step already done.
    cluster.sim.clear_requests();
    let firewall_writes = setup
        .compute
        .requests()
        .iter()
        .filter(|r| r.method != "GET" && r.path.contains("/firewalls"))
        .count();
    let again = setup.up(&["--expose", "productpage:9080"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        cluster.writes(),
        Vec::<String>::new(),
        "a second run must not write"
    );
    assert_eq!(
        setup
            .compute
            .requests()
            .iter()
            .filter(|r| r.method != "GET" && r.path.contains("/firewalls"))
            .count(),
        firewall_writes,
        "nor touch the firewall"
    );
    for (step, status) in finished(&events_of(&again)) {
        let expected = match step.as_str() {
            "precheck" | "url" | "check" => "done",
            _ => "already-done",
        };
        assert_eq!(status, expected, "{step}");
    }
}

#[test]
fn dry_run_prints_the_plan_and_every_object_and_changes_nothing() {
    let Some(setup) = setup("up-dry") else {
        return;
    };
    let out = setup.up(&["--expose", "productpage", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(plan["steps"].as_array().unwrap().len(), 10);
    let kinds: Vec<String> = plan["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "Deployment/istio-operator",
        "IstioOperator/example-istiocontrolplane",
        "Namespace/bookinfo",
        "Deployment/productpage-v1",
        "Gateway/productpage-gateway",
        "VirtualService/productpage",
    ] {
        assert!(kinds.iter().any(|k| k == expected), "{expected}: {kinds:?}");
    }
    // The port comes from the Service among the --apply files.
    let vs = plan["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "VirtualService")
        .unwrap();
    assert_eq!(
        vs["spec"]["http"][0]["route"][0]["destination"]["port"]["number"],
        9080
    );
    assert_eq!(setup.cluster.writes(), Vec::<String>::new());
    assert!(setup.compute.firewalls(PROJECT).is_empty());

    // As YAML: one document per object on stdout, the plan on stderr.
    let out = run(setup.cluster.rigger().args([
        "up",
        "-f",
        &setup.manifest,
        "--dry-run",
        "--inject",
        "bookinfo",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("precheck → operator → install → inject"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("kind: IstioOperator"), "{}", out.stdout);
    assert_eq!(setup.cluster.writes(), Vec::<String>::new());
}

fn events_of(out: &support::Run) -> Vec<Value> {
    events(&out.stdout)
}

/// A plain HTTP/1.1 GET: the status line, headers and body as text.
fn get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Current Istio has no operator: `up --istio-version 1.30.3` installs it from the release's charts
/// (here the unpacked release in the fixtures) and the rest of the walkthrough runs on top of it.
#[test]
fn up_installs_current_istio_from_its_charts() {
    let Some(release) = kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3") else {
        return;
    };
    let Some(bookinfo) =
        kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml")
    else {
        return;
    };
    let cluster = Cluster::with_options("up-direct", kubesim::SimOptions::cluster());
    let up = || {
        run(cluster
            .rigger()
            .args(["up", "--istio-version", "1.30.3", "--manifests"])
            .arg(&release)
            .args(["--inject", "bookinfo", "--apply"])
            .arg(&bookinfo)
            .args(["-n", "bookinfo", "--expose", "productpage:9080"])
            .args(["--path", "/productpage", "--timeout", "90s", "-o", "json"]))
    };
    // A read-only user: the precheck names what the direct install needs (no operator objects).
    let out = run(cluster
        .rigger()
        .args(["--context", "kubesim-readonly", "up", "--manifests"])
        .arg(&release)
        .args(["--istio-version", "1.30.3", "-o", "json"]));
    assert_stopped_at(
        &out,
        "precheck",
        3,
        "× can create mutatingwebhookconfigurations.admissionregistration.k8s.io cluster-wide",
    );
    assert!(!out.stderr.contains("istiooperators"), "{}", out.stderr);
    assert_eq!(cluster.writes(), Vec::<String>::new());

    let out = up();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let events = events(&out.stdout);
    let steps: Vec<String> = finished(&events).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        steps,
        [
            "precheck",
            "install",
            "inject",
            "apply",
            "verify-sidecars",
            "expose",
            "url",
            "check"
        ]
    );
    // No operator: istiod and the gateway come from the charts, labelled as rigger's install.
    assert!(
        cluster
            .get("apps/v1", "deployments", "istio-operator", "istio-operator")
            .is_none()
    );
    let istiod = cluster
        .get("apps/v1", "deployments", "istio-system", "istiod")
        .unwrap();
    assert!(
        istiod["metadata"]["labels"]["install.operator.istio.io/owning-resource"].is_string(),
        "{}",
        istiod["metadata"]["labels"]
    );
    let summary = events.last().unwrap();
    assert_eq!(summary["ok"], true, "{summary}");
    let body = get(summary["url"].as_str().unwrap());
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    // Every bookinfo pod carries the 1.30.3 proxy the direct install's injector adds.
    for pod in cluster.list("v1", "pods", Some("bookinfo")) {
        if pod["metadata"]["deletionTimestamp"].is_null() {
            let spec = &pod["spec"];
            let proxies = spec["containers"]
                .as_array()
                .into_iter()
                .chain(spec["initContainers"].as_array())
                .flatten()
                .filter(|c| c["name"] == "istio-proxy")
                .count();
            assert_eq!(proxies, 1, "{}", pod["metadata"]["name"]);
        }
    }

    cluster.sim.clear_requests();
    let again = up();
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        cluster.writes(),
        Vec::<String>::new(),
        "a second run must not write"
    );
    let install = finished(&events_of(&again))
        .into_iter()
        .find(|(s, _)| s == "install")
        .unwrap();
    assert_eq!(install.1, "already-done");
}
