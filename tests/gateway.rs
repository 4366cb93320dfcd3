//! `rigger gateway expose|apply|url` against kubesim: output, cluster state, idempotence, and errors
//! that apply nothing.

mod support;

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

fn bookinfo(cluster: &Cluster, lb: Value) {
    cluster.istio_networking_crds();
    cluster.node("node-1", "127.0.7.7");
    cluster.ingress_gateway(lb);
    cluster.namespace("bookinfo", json!({"istio-injection": "enabled"}));
    cluster.service("bookinfo", "productpage", 9080);
}

fn gateways(cluster: &Cluster, ns: &str) -> Vec<Value> {
    cluster.list("networking.istio.io/v1", "gateways", Some(ns))
}

#[test]
fn expose_creates_gateway_and_virtual_service_then_reports_unchanged() {
    let cluster = Cluster::start("expose");
    bookinfo(&cluster, json!({"ingress": [{"ip": "127.0.9.1"}]}));
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
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout, "http://127.0.9.1:80/productpage\n",
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("gateway.networking.istio.io/productpage-gateway created"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("virtualservice.networking.istio.io/productpage created"),
        "{}",
        out.stderr
    );

    let gw = cluster
        .get(
            "networking.istio.io/v1",
            "gateways",
            "bookinfo",
            "productpage-gateway",
        )
        .expect("gateway");
    assert_eq!(gw["spec"]["selector"], json!({"istio": "ingressgateway"}));
    assert_eq!(gw["spec"]["servers"][0]["port"]["number"], 8080);
    let vs = cluster
        .get(
            "networking.istio.io/v1",
            "virtualservices",
            "bookinfo",
            "productpage",
        )
        .expect("vs");
    assert_eq!(vs["spec"]["gateways"], json!(["productpage-gateway"]));
    assert_eq!(
        vs["spec"]["http"][0]["match"],
        json!([{"uri": {"exact": "/productpage"}}, {"uri": {"prefix": "/static"}}])
    );
    assert_eq!(
        vs["spec"]["http"][0]["route"][0]["destination"],
        json!({"host": "productpage", "port": {"number": 9080}})
    );

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
    assert_eq!(
        cluster.writes(),
        Vec::<String>::new(),
        "a second expose must not write"
    );
}

#[test]
fn expose_dry_run_prints_exactly_what_would_be_applied_and_applies_nothing() {
    let cluster = Cluster::start("expose-dry");
    bookinfo(&cluster, json!({}));
    let out = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let objects: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0]["kind"], "Gateway");
    assert_eq!(
        objects[1]["spec"]["http"][0]["route"][0]["destination"]["port"]["number"],
        9080
    );
    assert!(objects[1]["spec"]["http"][0].get("match").is_none());
    assert!(gateways(&cluster, "bookinfo").is_empty());
    assert_eq!(cluster.writes(), Vec::<String>::new());
    let yaml = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--dry-run",
        "-o",
        "yaml",
    ]));
    assert!(
        yaml.stdout.contains("kind: Gateway") && yaml.stdout.contains("\n---\n"),
        "{}",
        yaml.stdout
    );
}

#[test]
fn expose_errors_apply_nothing() {
    let cluster = Cluster::start("expose-errors");
    // No Istio networking API at all.
    cluster.namespace("bookinfo", json!({}));
    cluster.service("bookinfo", "productpage", 9080);
    let out = run(cluster
        .rigger()
        .args(["gateway", "expose", "productpage", "-n", "bookinfo"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("does not serve Istio's networking API"),
        "{}",
        out.stderr
    );

    cluster.istio_networking_crds();
    cluster.node("node-1", "127.0.7.7");
    // Missing Service.
    let out = run(cluster
        .rigger()
        .args(["gateway", "expose", "reviews", "-n", "bookinfo"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("service \"reviews\" not found in namespace \"bookinfo\""),
        "{}",
        out.stderr
    );
    // Wrong port.
    let out = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--port",
        "80",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("has no port 80") && out.stderr.contains("its ports: 9080"),
        "{}",
        out.stderr
    );
    // No ingress gateway.
    let out = run(cluster
        .rigger()
        .args(["gateway", "expose", "productpage", "-n", "bookinfo"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no ingress gateway matches istio=ingressgateway"),
        "{}",
        out.stderr
    );
    assert!(gateways(&cluster, "bookinfo").is_empty());
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn apply_bookinfo_gateway_file_and_reapply_unchanged() {
    let Some(file) =
        kubesim::testkit::fixture("istio/samples/bookinfo/networking/bookinfo-gateway.yaml")
    else {
        return;
    };
    let cluster = Cluster::start("apply");
    bookinfo(&cluster, json!({"ingress": [{"ip": "127.0.9.2"}]}));
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "gateway.networking.istio.io/bookinfo-gateway created\nvirtualservice.networking.istio.io/bookinfo created\n"
    );
    let vs = cluster
        .get(
            "networking.istio.io/v1",
            "virtualservices",
            "bookinfo",
            "bookinfo",
        )
        .expect("vs");
    assert_eq!(
        vs["spec"]["http"][0]["route"][0]["destination"]["host"],
        "productpage"
    );

    cluster.sim.clear_requests();
    let again = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-o", "json", "-f"])
        .arg(&file));
    assert_eq!(again.code, 0, "{}", again.stderr);
    let report: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(report["applied"][0]["outcome"], "unchanged");
    assert_eq!(report["applied"][1]["outcome"], "unchanged");
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn apply_rejects_bad_input_before_the_first_write() {
    let cluster = Cluster::start("apply-bad");
    bookinfo(&cluster, json!({}));
    let dir = &cluster.dir;
    let good = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ok\nspec:\n  selector: {istio: ingressgateway}\n";
    let cases = [
        (
            "bad-yaml.yaml",
            format!("{good}---\nkind: [oops\n"),
            2,
            "invalid YAML: line",
        ),
        (
            "unknown-kind.yaml",
            format!(
                "{good}---\napiVersion: example.com/v1\nkind: Frobnicator\nmetadata: {{name: x}}\n"
            ),
            2,
            "does not serve kind Frobnicator",
        ),
        (
            "missing-ns.yaml",
            format!(
                "{good}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x, namespace: nowhere}}\n"
            ),
            2,
            "namespace \"nowhere\" does not exist",
        ),
    ];
    for (name, text, code, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(cluster
            .rigger()
            .args(["gateway", "apply", "-n", "bookinfo", "-f"])
            .arg(&path));
        assert_eq!(out.code, code, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(name),
            "{name}: the file is named: {}",
            out.stderr
        );
    }
    assert!(
        gateways(&cluster, "bookinfo").is_empty(),
        "nothing may be applied"
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
}

#[test]
fn url_resolves_the_three_load_balancer_cases() {
    let cases = [
        (
            json!({"ingress": [{"ip": "127.0.9.3"}]}),
            "127.0.9.3",
            "80",
            "load balancer's IP",
        ),
        (
            json!({"ingress": [{"hostname": "a1b2.elb.us-east-1.amazonaws.com"}]}),
            "a1b2.elb.us-east-1.amazonaws.com",
            "80",
            "host name",
        ),
        (json!({}), "127.0.7.7", "31380", "NodePort"),
    ];
    for (lb, host, port, case) in cases {
        let cluster = Cluster::start("url");
        bookinfo(&cluster, lb);
        let out = run(cluster
            .rigger()
            .args(["gateway", "url", "--path", "/productpage"]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout, format!("http://{host}:{port}/productpage\n"));
        assert!(out.stderr.contains(case), "{}", out.stderr);
        let env = run(cluster.rigger().args(["gateway", "url", "-o", "env"]));
        assert_eq!(
            env.stdout,
            format!(
                "export INGRESS_HOST={host}\nexport INGRESS_PORT={port}\nexport GATEWAY_URL={host}:{port}\n"
            )
        );
        let json_out = run(cluster.rigger().args(["gateway", "url", "-o", "json"]));
        let value: Value = serde_json::from_str(&json_out.stdout).unwrap();
        assert_eq!(value["host"], host);
        if port == "31380" {
            assert_eq!(value["case"], "node-port");
            assert_eq!(value["loadBalancerPending"], true);
            assert!(
                out.stderr.contains("rigger firewall allow --from-gateway"),
                "{}",
                out.stderr
            );
        }
    }
}

#[test]
fn url_check_reports_a_dead_address_with_exit_3() {
    let cluster = Cluster::start("url-check");
    // An address on loopback where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    cluster.istio_networking_crds();
    cluster.node("node-1", "127.0.0.1");
    cluster.ingress_gateway(json!({}));
    cluster
        .sim
        .store()
        .modify(
            "",
            "v1",
            "services",
            "istio-system",
            "istio-ingressgateway",
            |svc| {
                svc["spec"]["ports"][1]["nodePort"] = json!(port);
            },
        )
        .unwrap();
    let out = run(cluster.rigger().args(["gateway", "url", "--check"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("did not answer"), "{}", out.stderr);
}

#[test]
fn url_without_a_gateway_service_says_so() {
    let cluster = Cluster::start("url-missing");
    let out = run(cluster.rigger().args(["gateway", "url"]));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "the ingress gateway service istio-system/istio-ingressgateway does not exist"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn expose_falls_back_to_v1beta1_when_the_cluster_serves_only_that() {
    let cluster = Cluster::start("expose-v1beta1");
    // An older control plane: networking.istio.io served in v1beta1 (and v1alpha3) only.
    for (kind, plural) in [
        ("Gateway", "gateways"),
        ("VirtualService", "virtualservices"),
    ] {
        let versions: Vec<Value> = ["v1beta1", "v1alpha3"]
            .iter()
            .enumerate()
            .map(|(i, v)| json!({"name": v, "served": true, "storage": i == 0,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}))
            .collect();
        cluster.create("apiextensions.k8s.io/v1", "customresourcedefinitions", "", json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": format!("{plural}.networking.istio.io")},
            "spec": {"group": "networking.istio.io", "scope": "Namespaced",
                "names": {"kind": kind, "plural": plural, "singular": kind.to_lowercase(), "listKind": format!("{kind}List")},
                "versions": versions}}));
    }
    cluster.node("node-1", "127.0.7.7");
    cluster.ingress_gateway(json!({"ingress": [{"ip": "127.0.9.4"}]}));
    cluster.namespace("bookinfo", json!({}));
    cluster.service("bookinfo", "productpage", 9080);

    let dry = run(cluster.rigger().args([
        "gateway",
        "expose",
        "productpage",
        "-n",
        "bookinfo",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let objects: Vec<Value> = serde_json::from_str(&dry.stdout).unwrap();
    for o in &objects {
        assert_eq!(o["apiVersion"], "networking.istio.io/v1beta1", "{o}");
    }
    let out = run(cluster
        .rigger()
        .args(["gateway", "expose", "productpage", "-n", "bookinfo"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "http://127.0.9.4:80/\n");
    assert!(
        cluster
            .get(
                "networking.istio.io/v1beta1",
                "virtualservices",
                "bookinfo",
                "productpage"
            )
            .is_some()
    );
}

#[test]
fn apply_reports_configured_for_a_changed_object_and_unchanged_for_the_rest() {
    let cluster = Cluster::start("apply-configured");
    bookinfo(&cluster, json!({}));
    let gateway = |host: &str| {
        format!(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {{number: 8080, name: http, protocol: HTTP}}\n    hosts: [\"{host}\"]\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: [\"*\"]\n  gateways: [web]\n  http:\n  - route:\n    - destination: {{host: productpage, port: {{number: 9080}}}}\n"
        )
    };
    let file = cluster.dir.path().join("web.yaml");
    std::fs::write(&file, gateway("*")).unwrap();
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(&file, gateway("bookinfo.example.com")).unwrap();
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "gateway.networking.istio.io/web configured\nvirtualservice.networking.istio.io/web unchanged\n"
    );
    let gw = cluster
        .get("networking.istio.io/v1", "gateways", "bookinfo", "web")
        .unwrap();
    assert_eq!(
        gw["spec"]["servers"][0]["hosts"],
        json!(["bookinfo.example.com"])
    );
}

#[test]
fn url_wait_follows_a_pending_load_balancer_through_a_watch() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let cluster = Cluster::start("url-wait");
    bookinfo(&cluster, json!({}));
    let mut child = cluster
        .rigger()
        .args(["gateway", "url", "--wait", "--timeout", "60s", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once rigger says it waits, the load balancer gets its address.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "rigger ended without waiting: {said}"
        );
        said.push_str(&line);
        if line.contains("waiting for the load balancer of istio-system/istio-ingressgateway") {
            break;
        }
    }
    cluster.set_status(
        "v1",
        "services",
        "istio-system",
        "istio-ingressgateway",
        json!({"loadBalancer": {"ingress": [{"ip": "127.0.9.5"}]}}),
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{said}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["case"], "load-balancer-ip", "{report}");
    assert_eq!(report["url"], "http://127.0.9.5:80/");
    // A get, then the watcher's list (and its watch when the list still showed it pending): no polling.
    let service_reads = cluster
        .sim
        .requests()
        .iter()
        .filter(|r| r.path.contains("/services") && !r.query.contains("watch=true"))
        .count();
    assert!(
        service_reads <= 2,
        "{service_reads} reads of the Service: polling?"
    );
}

#[test]
fn apply_reads_a_directory_and_stdin() {
    use std::io::Write;
    use std::process::Stdio;
    let cluster = Cluster::start("apply-dir");
    bookinfo(&cluster, json!({}));
    let dir = cluster.dir.path().join("manifests");
    std::fs::create_dir_all(&dir).unwrap();
    let gateway = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n";
    let rule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: productpage\nspec:\n  host: productpage\n";
    std::fs::write(dir.join("1-gateway.yaml"), gateway).unwrap();
    std::fs::write(dir.join("2-rule.yml"), rule).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a manifest").unwrap();
    let out = run(cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f"])
        .arg(&dir));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "gateway.networking.istio.io/web created\ndestinationrule.networking.istio.io/productpage created\n"
    );

    let mut child = cluster
        .rigger()
        .args(["gateway", "apply", "-n", "bookinfo", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{gateway}---\n{rule}").as_bytes())
        .unwrap();
    let out: support::Run = child.wait_with_output().unwrap().into();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "gateway.networking.istio.io/web unchanged\ndestinationrule.networking.istio.io/productpage unchanged\n"
    );
}
