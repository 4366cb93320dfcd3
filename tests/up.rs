//! `rigger up --skip-install` against a kubesim seeded with an Istio control plane: the JSON event
//! stream, the cluster state after, a second run that writes nothing, a failing step that stops the
//! run with its explanation, and the firewall step. The whole walkthrough, control plane included, on
//! kubesim's simulated cluster is in tests/up_e2e.rs.

mod support;

use std::io::{Read, Write};

use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

/// A loopback HTTP server that answers 200 to everything, standing in for the gateway's data plane.
fn answering_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    port
}

const APP: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: productpage\nspec:\n  selector: {app: productpage}\n  ports:\n  - {name: http, port: 9080}\n";

fn prepared(label: &str) -> Cluster {
    let cluster = Cluster::start(label);
    cluster.injector();
    cluster.istio_networking_crds();
    cluster.node("node-1", "127.0.0.1");
    cluster.ingress_gateway(json!({}));
    let port = answering_server();
    cluster
        .sim
        .store()
        .modify(
            "",
            "v1",
            "services",
            "istio-system",
            "istio-ingressgateway",
            |svc| svc["spec"]["ports"][1]["nodePort"] = json!(port),
        )
        .unwrap();
    cluster.namespace("shop", json!({}));
    std::fs::write(cluster.dir.path().join("app.yaml"), APP).unwrap();
    cluster
}

fn up(cluster: &Cluster) -> support::Run {
    run(cluster
        .rigger()
        .args([
            "up",
            "--skip-install",
            "--inject",
            "shop",
            "--expose",
            "productpage:9080",
            "-n",
            "shop",
            "--path",
            "/productpage",
            "--lb-wait",
            "0s",
            "-o",
            "json",
            "--apply",
        ])
        .arg(cluster.dir.path().join("app.yaml")))
}

fn parse_events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn up_runs_every_step_and_a_second_run_changes_nothing() {
    let cluster = prepared("up");
    let out = up(&cluster);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let events = parse_events(&out.stdout);
    let finished: Vec<(String, String)> = events
        .iter()
        .filter(|e| e["event"] == "finish")
        .map(|e| {
            (
                e["step"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let names: Vec<&str> = finished.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "inject",
            "apply",
            "verify-sidecars",
            "expose",
            "url",
            "check"
        ]
    );
    assert!(
        finished
            .iter()
            .all(|(_, status)| status == "done" || status == "already-done"),
        "{finished:?}"
    );
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["ok"], true);
    let url = summary["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/productpage"),
        "{url}"
    );
    assert!(
        events
            .iter()
            .filter(|e| e["event"] == "start")
            .all(|e| e["total"] == 6)
    );

    let ns = cluster.get("v1", "namespaces", "", "shop").unwrap();
    assert_eq!(ns["metadata"]["labels"]["istio-injection"], "enabled");
    assert!(
        cluster
            .get("v1", "services", "shop", "productpage")
            .is_some()
    );
    assert!(
        cluster
            .get(
                "networking.istio.io/v1",
                "virtualservices",
                "shop",
                "productpage"
            )
            .is_some()
    );

    cluster.sim.clear_requests();
    let again = up(&cluster);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        cluster.writes(),
        Vec::<String>::new(),
        "a second run must not write"
    );
    let statuses: Vec<String> = parse_events(&again.stdout)
        .iter()
        .filter(|e| e["event"] == "finish" && e["step"] != "url" && e["step"] != "check")
        .map(|e| e["status"].as_str().unwrap().to_string())
        .collect();
    assert!(statuses.iter().all(|s| s == "already-done"), "{statuses:?}");
}

#[test]
fn a_failing_step_stops_the_run_and_says_how_to_resume() {
    let cluster = prepared("up-fail");
    // No such Service: the expose step fails, nothing after it runs.
    std::fs::write(
        cluster.dir.path().join("app.yaml"),
        APP.replace("productpage", "other"),
    )
    .unwrap();
    let out = up(&cluster);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let events = parse_events(&out.stdout);
    let last_finish = events
        .iter()
        .rev()
        .find(|e| e["event"] == "finish")
        .unwrap();
    assert_eq!(last_finish["step"], "expose");
    assert_eq!(last_finish["status"], "failed");
    assert!(
        events
            .iter()
            .all(|e| e["step"] != "url" && e["step"] != "check")
    );
    assert_eq!(events.last().unwrap()["event"], "summary");
    assert_eq!(events.last().unwrap()["ok"], false);
    assert!(
        out.stderr.contains("service \"productpage\" not found"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("run `rigger up` again"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_input_changes_nothing() {
    let cluster = prepared("up-bad");
    std::fs::write(cluster.dir.path().join("app.yaml"), "kind: [broken\n").unwrap();
    let out = up(&cluster);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("app.yaml: invalid YAML"),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.writes(), Vec::<String>::new());
    let bad_expose =
        run(cluster
            .rigger()
            .args(["up", "--skip-install", "--expose", "productpage:http"]));
    assert_eq!(bad_expose.code, 2);
    assert!(
        bad_expose.stderr.contains("the port must be a number"),
        "{}",
        bad_expose.stderr
    );
}

#[test]
fn firewall_step_opens_the_node_port_once() {
    let cluster = prepared("up-firewall");
    cluster
        .sim
        .store()
        .modify("", "v1", "nodes", "", "node-1", |node| {
            node["spec"]["providerID"] = json!("gce://demo-project/us-central1-a/node-1")
        })
        .unwrap();
    let options = kubesim::gcp::FakeComputeOptions {
        projects: vec!["demo-project".into()],
        ..Default::default()
    };
    let fake = kubesim::gcp::FakeCompute::start(options).unwrap();
    fake.add_instance(
        "demo-project",
        "us-central1-a",
        "node-1",
        &["gke-shop-node"],
    );
    let key = cluster.dir.path().join("sa.json");
    std::fs::write(
        &key,
        fake.service_account_json("demo-project", "rigger-test")
            .to_string(),
    )
    .unwrap();
    let gcloud = cluster.dir.path().join("gcloud");
    std::fs::create_dir_all(&gcloud).unwrap();
    let up_firewall = || {
        run(cluster
            .rigger()
            .env("GOOGLE_APPLICATION_CREDENTIALS", &key)
            .env("CLOUDSDK_CONFIG", &gcloud)
            .env("GCE_METADATA_HOST", "127.0.0.1:9")
            .args([
                "up",
                "--skip-install",
                "--inject",
                "shop",
                "--expose",
                "productpage:9080",
                "-n",
                "shop",
                "--path",
                "/productpage",
            ])
            .args([
                "--lb-wait",
                "0s",
                "--firewall",
                "--project",
                "demo-project",
                "--compute-endpoint",
                &fake.url(),
                "-o",
                "json",
            ])
            .arg("--apply")
            .arg(cluster.dir.path().join("app.yaml")))
    };
    let out = up_firewall();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let events = parse_events(&out.stdout);
    let firewall = events
        .iter()
        .find(|e| e["event"] == "finish" && e["step"] == "firewall")
        .expect("a firewall step");
    assert_eq!(firewall["status"], "done", "{firewall}");
    let node_port = cluster
        .get("v1", "services", "istio-system", "istio-ingressgateway")
        .unwrap()["spec"]["ports"][1]["nodePort"]
        .clone();
    let rule = fake
        .firewall("demo-project", "allow-gateway-http")
        .expect("the rule exists");
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "tcp", "ports": [node_port.to_string()]}])
    );
    assert_eq!(rule["targetTags"], json!(["gke-shop-node"]));

    let again = up_firewall();
    assert_eq!(again.code, 0, "{}", again.stderr);
    let events = parse_events(&again.stdout);
    let firewall = events
        .iter()
        .find(|e| e["event"] == "finish" && e["step"] == "firewall")
        .unwrap();
    assert_eq!(firewall["status"], "already-done", "{firewall}");
    let writes = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.contains("/firewalls"))
        .count();
    assert_eq!(writes, 1, "the rule is inserted once");
}
