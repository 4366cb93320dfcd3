//! `rigger firewall` against kubesim (nodes with GCE providerIDs, the ingress gateway Service) and
//! the fake Compute API / token endpoint / metadata server of `kubesim::gcp`.
#![allow(clippy::print_stderr)]

mod support;

use std::path::PathBuf;
use std::process::Command;

use kubesim::gcp::{FakeCompute, FakeComputeOptions, Fault, GrantKind};
use kubesim::{Sim, SimOptions};
use serde_json::{Value, json};
use support::{Run, TempDir, run};

const PROJECT: &str = "test-project";
const ZONE: &str = "us-central1-a";

/// A fake Compute API plus a temporary folder with a service-account key whose token endpoint is the fake.
struct World {
    fake: FakeCompute,
    dir: TempDir,
    sim: Option<Sim>,
}

impl World {
    fn new(label: &str) -> World {
        World::with(label, FakeComputeOptions::default())
    }

    fn with(label: &str, options: FakeComputeOptions) -> World {
        let fake = FakeCompute::start(options).unwrap();
        let dir = TempDir::new(label);
        let key = fake.service_account_json(PROJECT, "rigger-test");
        std::fs::write(dir.path().join("sa.json"), key.to_string()).unwrap();
        std::fs::create_dir_all(dir.path().join("gcloud")).unwrap();
        World {
            fake,
            dir,
            sim: None,
        }
    }

    /// Adds a kubesim cluster: GCE nodes and (optionally) the ingress gateway Service.
    fn with_cluster(mut self, nodes: &[(&str, &[&str])], gateway: Option<Value>) -> World {
        let sim = Sim::start(SimOptions::default()).unwrap();
        sim.write_kubeconfig(self.dir.path().join("kubeconfig"))
            .unwrap();
        let store = sim.store();
        for (i, (name, tags)) in nodes.iter().enumerate() {
            self.fake.add_instance(PROJECT, ZONE, name, tags);
            let node = json!({
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                "spec": {"providerID": format!("gce://{PROJECT}/{ZONE}/{name}")},
                "status": {
                    "addresses": [
                        {"type": "InternalIP", "address": format!("10.128.0.{}", 10 + i)},
                        {"type": "ExternalIP", "address": format!("34.70.0.{}", 10 + i)}
                    ],
                    "conditions": [{"type": "Ready", "status": "True"}]
                }
            });
            store.create("", "v1", "nodes", "", node.clone()).unwrap();
            let mut current = store.get("", "v1", "nodes", "", name).unwrap();
            current["status"] = node["status"].clone();
            store.update_status("", "v1", "nodes", "", current).unwrap();
        }
        if let Some(service) = gateway {
            let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}});
            store.create("", "v1", "namespaces", "", ns).unwrap();
            store
                .create("", "v1", "services", "istio-system", service.clone())
                .unwrap();
            if let Some(status) = service.get("status") {
                let mut current = store
                    .get("", "v1", "services", "istio-system", "istio-ingressgateway")
                    .unwrap();
                current["status"] = status.clone();
                store
                    .update_status("", "v1", "services", "istio-system", current)
                    .unwrap();
            }
        }
        self.sim = Some(sim);
        self
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// rigger with the service-account key, the fake endpoint, no metadata server, an empty gcloud config.
    fn rigger(&self, args: &[&str]) -> Command {
        let mut cmd = support::rigger(self.dir.path());
        cmd.env("GOOGLE_APPLICATION_CREDENTIALS", self.path("sa.json"))
            .env("RIGGER_COMPUTE_ENDPOINT", self.fake.url())
            .env("CLOUDSDK_CONFIG", self.path("gcloud"))
            .env("GCE_METADATA_HOST", "127.0.0.1:9");
        if self.sim.is_some() {
            cmd.arg("--kubeconfig").arg(self.path("kubeconfig"));
        }
        cmd.args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = run(&mut self.rigger(args));
        self.assert_no_token_leaked(&out);
        out
    }

    fn assert_no_token_leaked(&self, out: &Run) {
        for grant in self.fake.grants() {
            assert!(
                !out.stdout.contains(&grant.access_token)
                    && !out.stderr.contains(&grant.access_token),
                "an access token was printed:\n{out:?}"
            );
        }
        assert!(!out.stderr.contains("PRIVATE KEY") && !out.stdout.contains("PRIVATE KEY"));
    }

    fn compute_requests(&self, method: &str) -> Vec<kubesim::gcp::RecordedRequest> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.starts_with("/compute/"))
            .collect()
    }
}

fn ok(out: &Run) {
    assert_eq!(
        out.code, 0,
        "rigger failed:\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}

fn json_out(out: &Run) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", out.stdout, out.stderr))
}

fn node_port_gateway() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system", "labels": {"istio": "ingressgateway"}},
        "spec": {
            "type": "NodePort",
            "selector": {"istio": "ingressgateway"},
            "ports": [
                {"name": "status-port", "port": 15021, "targetPort": 15021, "nodePort": 30021, "protocol": "TCP"},
                {"name": "http2", "port": 80, "targetPort": 8080, "nodePort": 31380, "protocol": "TCP"},
                {"name": "https", "port": 443, "targetPort": 8443, "nodePort": 31390, "protocol": "TCP"}
            ]
        }
    })
}

fn load_balancer_gateway() -> Value {
    let mut svc = node_port_gateway();
    svc["spec"]["type"] = json!("LoadBalancer");
    svc["status"] = json!({"loadBalancer": {"ingress": [{"ip": "35.200.1.2"}]}});
    svc
}

#[test]
fn from_gateway_with_a_node_port_creates_a_rule_scoped_to_the_node_tags_and_reruns_unchanged() {
    let w = World::new("fw-nodeport").with_cluster(
        &[
            ("gke-demo-pool-1", &["gke-demo-node", "http-server"]),
            ("gke-demo-pool-2", &["gke-demo-node"]),
        ],
        Some(node_port_gateway()),
    );
    let out = w.run(&["firewall", "allow", "--from-gateway", "-o", "json"]);
    ok(&out);
    let report = json_out(&out);
    assert_eq!(report["action"], "created");
    assert_eq!(report["project"], PROJECT);
    assert_eq!(report["projectSource"]["from"], "credentials");
    assert_eq!(report["gateway"]["case"], "node-port");
    assert!(
        out.stderr.contains("open to the whole internet"),
        "{}",
        out.stderr
    );

    let rule = w
        .fake
        .firewall(PROJECT, "allow-gateway-http")
        .expect("rule created");
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["31380"]}])
    );
    assert_eq!(rule["targetTags"], json!(["gke-demo-node"]));
    assert_eq!(rule["sourceRanges"], json!(["0.0.0.0/0"]));
    assert_eq!(rule["direction"], "INGRESS");
    let inserts = w.compute_requests("POST");
    let insert = inserts
        .iter()
        .find(|r| r.path.ends_with("/global/firewalls"))
        .unwrap();
    assert_eq!(
        insert.query["requestId"].len(),
        36,
        "inserts carry a requestId"
    );
    assert!(w.fake.operations().iter().all(|op| op["status"] == "DONE"));

    // Run again: identical → unchanged, nothing written.
    let posts_before = w.compute_requests("POST").len();
    let again = w.run(&["firewall", "allow", "--from-gateway"]);
    ok(&again);
    assert!(
        again.stdout.contains("allow-gateway-http unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(w.compute_requests("POST").len(), posts_before);
    assert!(w.compute_requests("PUT").is_empty());
}

#[test]
fn from_gateway_with_a_load_balancer_creates_nothing_unless_forced() {
    let w =
        World::new("fw-lb").with_cluster(&[("node-a", &["gke-n"])], Some(load_balancer_gateway()));
    let out = w.run(&["firewall", "allow", "--from-gateway"]);
    ok(&out);
    assert!(
        out.stdout.contains("no firewall rule needed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("35.200.1.2:80"), "{}", out.stdout);
    assert!(w.fake.firewalls(PROJECT).is_empty());
    assert!(w.compute_requests("POST").is_empty());
    let json = json_out(&w.run(&["firewall", "allow", "--from-gateway", "-o", "json"]));
    assert_eq!(json["action"], "not-needed");
    assert_eq!(json["gateway"]["case"], "load-balancer-ip");

    let forced = w.run(&[
        "firewall",
        "allow",
        "--from-gateway",
        "--force",
        "--source-ranges",
        "203.0.113.0/24",
    ]);
    ok(&forced);
    let rule = w.fake.firewall(PROJECT, "allow-gateway-http").unwrap();
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["80"]}])
    );
    assert_eq!(rule["sourceRanges"], json!(["203.0.113.0/24"]));
    assert!(!forced.stderr.contains("whole internet"));
}

#[test]
fn a_conflicting_rule_is_shown_as_a_diff_and_replaced_only_with_update() {
    let w =
        World::new("fw-conflict").with_cluster(&[("n1", &["gke-n"])], Some(node_port_gateway()));
    w.fake.insert_firewall(
        PROJECT,
        json!({"name": "allow-gateway-http", "allowed": [{"IPProtocol": "tcp", "ports": ["8080"]}],
               "sourceRanges": ["10.0.0.0/8"], "targetTags": ["gke-n"]}),
    );
    let before = w.fake.firewall(PROJECT, "allow-gateway-http").unwrap();
    let out = w.run(&[
        "firewall",
        "allow",
        "--from-gateway",
        "--source-ranges",
        "0.0.0.0/0",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("differs from what was asked"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("allowed       tcp:8080 -> tcp:31380"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("sourceRanges  10.0.0.0/8 -> 0.0.0.0/0"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("hint: pass --update"), "{}", out.stderr);
    assert_eq!(
        w.fake.firewall(PROJECT, "allow-gateway-http").unwrap(),
        before
    );

    let dry = w.run(&[
        "firewall",
        "allow",
        "--from-gateway",
        "--source-ranges",
        "0.0.0.0/0",
        "--update",
        "--dry-run",
    ]);
    ok(&dry);
    assert_eq!(
        w.fake.firewall(PROJECT, "allow-gateway-http").unwrap(),
        before
    );

    let updated = w.run(&[
        "firewall",
        "allow",
        "--from-gateway",
        "--source-ranges",
        "0.0.0.0/0",
        "--update",
        "-o",
        "json",
    ]);
    ok(&updated);
    let report = json_out(&updated);
    assert_eq!(report["action"], "updated");
    let fields: Vec<&str> = report["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["allowed", "sourceRanges"]);
    let after = w.fake.firewall(PROJECT, "allow-gateway-http").unwrap();
    assert_eq!(
        after["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["31380"]}])
    );
    assert_eq!(after["id"], before["id"]);
    let puts = w.compute_requests("PUT");
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].query["requestId"].len(), 36);
}

#[test]
fn dry_run_prints_the_exact_request_body_and_changes_nothing() {
    let w = World::new("fw-dry");
    let out = w.run(&[
        "firewall",
        "allow",
        "--port",
        "31380",
        "--project",
        PROJECT,
        "--target-tags",
        "web",
        "--source-ranges",
        "203.0.113.0/24,198.51.100.0/24",
        "--description",
        "istio ingress",
        "--dry-run",
    ]);
    ok(&out);
    let body = json_out(&out);
    assert_eq!(
        body,
        json!({
            "name": "allow-gateway-http",
            "network": "projects/test-project/global/networks/default",
            "direction": "INGRESS",
            "priority": 1000,
            "allowed": [{"IPProtocol": "tcp", "ports": ["31380"]}],
            "sourceRanges": ["203.0.113.0/24", "198.51.100.0/24"],
            "targetTags": ["web"],
            "description": "istio ingress"
        })
    );
    assert!(
        out.stderr.contains("dry run: would create"),
        "{}",
        out.stderr
    );
    assert!(w.compute_requests("POST").is_empty());
    assert!(w.fake.firewalls(PROJECT).is_empty());

    // The body sent for real is the one printed.
    ok(&w.run(&[
        "firewall",
        "allow",
        "--port",
        "31380",
        "--project",
        PROJECT,
        "--target-tags",
        "web",
        "--source-ranges",
        "203.0.113.0/24,198.51.100.0/24",
        "--description",
        "istio ingress",
    ]));
    let sent = w
        .compute_requests("POST")
        .into_iter()
        .find(|r| r.path.ends_with("/firewalls"))
        .unwrap();
    assert_eq!(sent.body.unwrap(), body);
}

#[test]
fn list_pages_through_rules_and_delete_removes_one() {
    let w = World::new("fw-list");
    for i in 0..1203 {
        w.fake.insert_firewall(
            PROJECT,
            json!({"name": format!("rule-{i:04}"), "allowed": [{"IPProtocol": "tcp", "ports": ["80"]}],
                   "targetTags": ["web"], "sourceRanges": ["10.0.0.0/8"]}),
        );
    }
    let out = w.run(&["firewall", "list", "--project", PROJECT]);
    ok(&out);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1204);
    assert!(lines[0].starts_with("NAME"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("rule-0000   default   INGRESS     1000       tcp:80"),
        "{}",
        lines[1]
    );
    let pages = w
        .compute_requests("GET")
        .into_iter()
        .filter(|r| r.path.ends_with("/global/firewalls"))
        .count();
    assert_eq!(pages, 3);
    let json = json_out(&w.run(&["firewall", "list", "--project", PROJECT, "-o", "json"]));
    assert_eq!(json.as_array().unwrap().len(), 1203);

    let refused = w.run(&["firewall", "delete", "rule-0001", "--project", PROJECT]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("hint: pass --yes"));
    assert!(w.fake.firewall(PROJECT, "rule-0001").is_some());

    let deleted = w.run(&[
        "firewall",
        "delete",
        "rule-0001",
        "--project",
        PROJECT,
        "--yes",
    ]);
    ok(&deleted);
    assert!(
        deleted.stderr.contains("firewall rule rule-0001 deleted"),
        "{}",
        deleted.stderr
    );
    assert!(w.fake.firewall(PROJECT, "rule-0001").is_none());
    let again = w.run(&[
        "firewall",
        "delete",
        "rule-0001",
        "--project",
        PROJECT,
        "--yes",
    ]);
    ok(&again);
    assert!(again.stderr.contains("does not exist"), "{}", again.stderr);
}

#[test]
fn service_account_key_authorized_user_and_gcloud_adc_file_each_work() {
    let w = World::new("fw-creds");
    // Service account (GOOGLE_APPLICATION_CREDENTIALS): a JWT exchanged at the file's token_uri.
    ok(&w.run(&["firewall", "list", "--project", PROJECT]));
    let grants = w.fake.grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].kind, GrantKind::ServiceAccount);
    assert_eq!(
        grants[0].subject,
        "rigger-test@test-project.iam.gserviceaccount.com"
    );

    // authorized_user via GOOGLE_APPLICATION_CREDENTIALS.
    let user = w.fake.authorized_user_json("dev@example.com");
    std::fs::write(w.path("user.json"), user.to_string()).unwrap();
    let out = run(w
        .rigger(&["firewall", "list", "--project", PROJECT])
        .env("GOOGLE_APPLICATION_CREDENTIALS", w.path("user.json")));
    w.assert_no_token_leaked(&out);
    ok(&out);
    assert_eq!(
        w.fake.grants().last().unwrap().kind,
        GrantKind::AuthorizedUser
    );

    // The gcloud ADC file under CLOUDSDK_CONFIG (no GOOGLE_APPLICATION_CREDENTIALS).
    std::fs::write(
        w.path("gcloud/application_default_credentials.json"),
        user.to_string(),
    )
    .unwrap();
    let out = run(w
        .rigger(&["firewall", "list", "--project", PROJECT])
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS"));
    ok(&out);
    assert_eq!(w.fake.grants().len(), 3);
    assert_eq!(w.fake.grants()[2].subject, "dev@example.com");

    // A revoked refresh token is explained.
    let mut revoked = user.clone();
    revoked["refresh_token"] = json!("1//revoked");
    std::fs::write(w.path("revoked.json"), revoked.to_string()).unwrap();
    let out = run(w
        .rigger(&["firewall", "list", "--project", PROJECT])
        .env("GOOGLE_APPLICATION_CREDENTIALS", w.path("revoked.json")));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("refused the refresh token"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("gcloud auth application-default login"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_metadata_server_provides_token_and_project() {
    let w = World::with(
        "fw-metadata",
        FakeComputeOptions {
            metadata_project: Some(PROJECT.into()),
            ..Default::default()
        },
    );
    let out = run(w
        .rigger(&[
            "firewall",
            "allow",
            "--port",
            "8080",
            "--target-tags",
            "web",
            "-o",
            "json",
        ])
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .env("GCE_METADATA_HOST", w.fake.metadata_host()));
    w.assert_no_token_leaked(&out);
    ok(&out);
    let report = json_out(&out);
    assert_eq!(report["project"], PROJECT);
    assert_eq!(report["projectSource"]["from"], "credentials");
    let grants = w.fake.grants();
    assert!(
        grants.iter().all(|g| g.kind == GrantKind::Metadata),
        "{grants:?}"
    );
    assert!(w.fake.firewall(PROJECT, "allow-gateway-http").is_some());
}

#[test]
fn without_credentials_rigger_says_how_to_get_some() {
    let w = World::new("fw-nocreds");
    let out = run(w
        .rigger(&["firewall", "list", "--project", PROJECT])
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS"));
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("no Google Cloud credentials found"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: run `gcloud auth application-default login`"),
        "{}",
        out.stderr
    );
}

#[test]
fn api_errors_are_explained_and_nothing_is_created() {
    let w = World::new("fw-errors");
    let allow = [
        "firewall",
        "allow",
        "--port",
        "31380",
        "--project",
        PROJECT,
        "--target-tags",
        "web",
    ];
    let cases: Vec<(Fault, &str, &str)> = vec![
        (
            Fault::MissingPermission("compute.firewalls.create".into()),
            "lacks the IAM permission compute.firewalls.create in project test-project",
            "roles/compute.securityAdmin",
        ),
        (
            Fault::ApiNotEnabled,
            "the Compute Engine API is not enabled in project test-project",
            "gcloud services enable compute.googleapis.com --project test-project",
        ),
        (
            Fault::InsufficientScopes,
            "lacks the OAuth scope for Compute Engine",
            "access scopes",
        ),
        (
            Fault::OperationError {
                code: "QUOTA_EXCEEDED".into(),
                message: "Quota 'FIREWALLS' exceeded.".into(),
            },
            "finished with an error: Quota 'FIREWALLS' exceeded. (QUOTA_EXCEEDED)",
            "",
        ),
    ];
    for (fault, error, hint) in cases {
        w.fake.set_fault(fault.clone());
        let out = w.run(&allow);
        assert_eq!(out.code, 1, "{fault:?}: {out:?}");
        assert!(out.stderr.contains(error), "{fault:?}: {}", out.stderr);
        assert!(out.stderr.contains(hint), "{fault:?}: {}", out.stderr);
        assert!(
            w.fake.firewalls(PROJECT).is_empty(),
            "{fault:?} created a rule"
        );
    }
    w.fake.clear_fault();

    let out = w.run(&[
        "firewall",
        "allow",
        "--port",
        "80",
        "--project",
        "no-such-project",
        "--target-tags",
        "web",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("project no-such-project was not found"),
        "{}",
        out.stderr
    );
    let out = w.run(&[
        "firewall",
        "allow",
        "--port",
        "80",
        "--project",
        PROJECT,
        "--network",
        "vpc-x",
        "--target-tags",
        "web",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("network vpc-x was not found in project test-project"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: pass the VPC network"),
        "{}",
        out.stderr
    );
    assert!(w.fake.firewalls(PROJECT).is_empty());
}

#[test]
fn conflicts_and_invalid_bodies_from_the_api_are_explained() {
    // 409 and 400 cannot come from the CLI (it reads first and validates first), so the client is
    // driven directly against the fake.
    let w = World::new("fw-client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = rigger::cloud::http_client().unwrap();
        let creds = rigger::cloud::credentials::Credentials::from_file(&w.path("sa.json"), &http).unwrap();
        let compute = rigger::cloud::compute::Compute::new(http, &w.fake.url(), std::sync::Arc::new(creds));
        let body = json!({"name": "r1", "allowed": [{"IPProtocol": "tcp", "ports": ["80"]}]});
        compute.insert_firewall(PROJECT, &body, &rigger::cloud::firewall::request_id()).await.unwrap();
        let e = compute.insert_firewall(PROJECT, &body, &rigger::cloud::firewall::request_id()).await.unwrap_err();
        let r = rigger::error::render(&e);
        assert!(r.error.contains("already exists in project test-project"), "{r:?}");
        // The same requestId again is the same operation, not a conflict.
        let id = rigger::cloud::firewall::request_id();
        let body2 = json!({"name": "r2", "allowed": [{"IPProtocol": "tcp", "ports": ["81"]}]});
        compute.insert_firewall(PROJECT, &body2, &id).await.unwrap();
        compute.insert_firewall(PROJECT, &body2, &id).await.unwrap();
        let bad = json!({"name": "Bad_Name", "allowed": [{"IPProtocol": "tcp"}]});
        let e = compute.insert_firewall(PROJECT, &bad, &rigger::cloud::firewall::request_id()).await.unwrap_err();
        let r = rigger::error::render(&e);
        assert!(r.error.contains("rejected the request as invalid: Invalid value for field 'resource.name': 'Bad_Name'"), "{r:?}");
    });
    assert_eq!(w.fake.firewalls(PROJECT).len(), 2);
}

#[test]
fn invalid_flags_are_refused_before_any_call() {
    let w = World::new("fw-validate");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--port", "31380", "--name", "Allow_HTTP"],
            "rule name \"Allow_HTTP\" is not valid",
        ),
        (&["--port", "70000"], "port \"70000\" is not valid"),
        (&["--port", "9000-8000"], "9000 is greater than 8000"),
        (
            &["--port", "80", "--source-ranges", "10.0.0.0/33"],
            "source range \"10.0.0.0/33\" is not valid",
        ),
        (
            &["--port", "80", "--target-tags", "Web"],
            "target tag \"Web\" is not valid",
        ),
        (
            &["--port", "80", "--priority", "70000"],
            "priority 70000 is not valid",
        ),
        (
            &["--from-gateway", "--name=-x"],
            "rule name \"-x\" is not valid",
        ),
    ];
    for (extra, message) in cases {
        let mut args = vec!["firewall", "allow", "--project", PROJECT];
        args.extend_from_slice(extra);
        let out = w.run(&args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
    assert!(
        w.fake.requests().is_empty(),
        "validation must come before any call"
    );
}

/// Benchmark: `rigger firewall list` against `gcloud compute firewall-rules list`, same fake, same run.
/// Run with `cargo test --release --test firewall -- --ignored --nocapture benchmark`; results go in
/// docs/benchmarks.md.
#[test]
#[ignore = "benchmark; run explicitly"]
fn benchmark_list_against_gcloud() {
    let w = World::with(
        "fw-bench",
        FakeComputeOptions {
            allow_anonymous: true,
            ..Default::default()
        },
    );
    let Some(gcloud) = kubesim::testkit::tool("gcloud") else {
        return;
    };
    for i in 0..100 {
        w.fake.insert_firewall(
            PROJECT,
            json!({"name": format!("rule-{i:03}"), "allowed": [{"IPProtocol": "tcp", "ports": ["80", "8000-8080"]}],
                   "sourceRanges": ["10.0.0.0/8"], "targetTags": ["web"]}),
        );
    }
    let time = |cmd: &mut Command| {
        let start = std::time::Instant::now();
        let out = cmd.output().expect("running the command");
        let elapsed = start.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            101,
            "header + 100 rules"
        );
        elapsed
    };
    let gcloud_cmd = || {
        let mut cmd = Command::new(&gcloud);
        cmd.args(["compute", "firewall-rules", "list"])
            .envs(w.fake.gcloud_env(&w.path("gcloud"), PROJECT));
        cmd
    };
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let runs = 7;
    // One warm-up each (file caches, gcloud's compiled Python).
    time(&mut w.rigger(&["firewall", "list", "--project", PROJECT]));
    time(&mut gcloud_cmd());
    let mut rigger_times = Vec::new();
    let mut gcloud_times = Vec::new();
    for _ in 0..runs {
        rigger_times.push(time(&mut w.rigger(&[
            "firewall",
            "list",
            "--project",
            PROJECT,
        ])));
        gcloud_times.push(time(&mut gcloud_cmd()));
    }
    let (r, g) = (median(rigger_times), median(gcloud_times));
    eprintln!(
        "firewall list, 100 rules, median of {runs}: rigger {:.1} ms (incl. JWT signing + token exchange), gcloud {:.1} ms, gcloud/rigger = {:.1}x",
        r.as_secs_f64() * 1000.0,
        g.as_secs_f64() * 1000.0,
        g.as_secs_f64() / r.as_secs_f64()
    );
}

#[test]
fn the_project_falls_back_to_the_gcloud_config_and_then_to_the_nodes_provider_id() {
    let w = World::new("fw-project")
        .with_cluster(&[("gke-a", &["gke-a-node"])], Some(node_port_gateway()));
    // authorized_user credentials name no project; no flag, no environment, no gcloud config.
    let user = w.fake.authorized_user_json("dev@example.com");
    std::fs::write(w.path("user.json"), user.to_string()).unwrap();
    let out = run(w
        .rigger(&["firewall", "allow", "--from-gateway", "-o", "json", "-vv"])
        .env("GOOGLE_APPLICATION_CREDENTIALS", w.path("user.json"))
        .env_remove("RIGGER_COMPUTE_ENDPOINT")
        .arg("--compute-endpoint")
        .arg(w.fake.url()));
    w.assert_no_token_leaked(&out);
    ok(&out);
    let report = json_out(&out);
    assert_eq!(report["project"], PROJECT);
    assert_eq!(
        report["projectSource"],
        json!({"from": "node-provider-id", "detail": "gke-a"})
    );
    assert!(w.fake.firewall(PROJECT, "allow-gateway-http").is_some());

    // The active gcloud configuration comes before the credentials and the nodes.
    std::fs::create_dir_all(w.path("gcloud/configurations")).unwrap();
    std::fs::write(w.path("gcloud/active_config"), "work").unwrap();
    std::fs::write(
        w.path("gcloud/configurations/config_work"),
        "[core]\nproject = other-project\n",
    )
    .unwrap();
    w.fake.add_project("other-project");
    let out = w.run(&["firewall", "list", "-o", "json"]);
    ok(&out);
    assert_eq!(json_out(&out), json!([]));
    assert!(
        w.compute_requests("GET")
            .iter()
            .any(|r| r.path == "/compute/v1/projects/other-project/global/firewalls")
    );
    // GOOGLE_CLOUD_PROJECT beats the configuration.
    let out = run(w
        .rigger(&["firewall", "list"])
        .env("GOOGLE_CLOUD_PROJECT", PROJECT));
    ok(&out);
    assert!(out.stdout.contains("allow-gateway-http"), "{}", out.stdout);
}

#[test]
fn a_missing_gateway_service_is_explained() {
    let w = World::new("fw-nogw").with_cluster(&[("n1", &["t"])], None);
    let out = w.run(&["firewall", "allow", "--from-gateway", "--project", PROJECT]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains(
            "the ingress gateway service istio-system/istio-ingressgateway was not found"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(w.fake.requests().is_empty());
}

#[test]
fn fake_operations_go_from_pending_through_running_to_done() {
    let fake = FakeCompute::start(FakeComputeOptions {
        allow_anonymous: true,
        operation_duration: std::time::Duration::from_millis(600),
        ..Default::default()
    })
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = rigger::cloud::http_client().unwrap();
        let base = fake.url();
        let op: Value = http
            .post(format!("{base}projects/{PROJECT}/global/firewalls"))
            .json(&json!({"name": "r", "allowed": [{"IPProtocol": "tcp", "ports": ["80"]}]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(op["status"], "PENDING");
        assert_eq!(op["operationType"], "insert");
        assert!(
            fake.firewall(PROJECT, "r").is_none(),
            "applied only when the operation is done"
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let name = op["name"].as_str().unwrap();
        let got: Value = http
            .get(format!("{base}projects/{PROJECT}/global/operations/{name}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got["status"], "RUNNING");
        let done: Value = http
            .post(format!(
                "{base}projects/{PROJECT}/global/operations/{name}/wait"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(done["status"], "DONE");
        assert!(done.get("error").is_none());
    });
    assert!(fake.firewall(PROJECT, "r").is_some());
}

#[test]
fn rules_made_by_gcloud_and_by_rigger_are_the_same_rule() {
    let w = World::with(
        "fw-gcloud",
        FakeComputeOptions {
            allow_anonymous: true,
            ..Default::default()
        },
    );
    let Some(gcloud) = kubesim::testkit::tool("gcloud") else {
        return;
    };
    let gcloud = |args: &[&str]| {
        let out = Command::new(&gcloud)
            .args(args)
            .envs(w.fake.gcloud_env(&w.path("gcloud"), PROJECT))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "gcloud {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // The walkthrough's command, narrowed to a tag: rigger sees the same rule it would write.
    gcloud(&[
        "compute",
        "firewall-rules",
        "create",
        "allow-gateway-http",
        "--allow",
        "tcp:31380",
        "--target-tags",
        "web",
        "--source-ranges",
        "0.0.0.0/0",
    ]);
    let out = w.run(&[
        "firewall",
        "allow",
        "--port",
        "31380",
        "--target-tags",
        "web",
        "--project",
        PROJECT,
    ]);
    ok(&out);
    assert!(
        out.stdout.contains("allow-gateway-http unchanged"),
        "{}",
        out.stdout
    );

    // A rule rigger writes is one gcloud reads back as expected.
    ok(&w.run(&[
        "firewall",
        "allow",
        "--name",
        "from-rigger",
        "--port",
        "8000-8080",
        "--target-tags",
        "web",
        "--source-ranges",
        "10.0.0.0/8",
        "--project",
        PROJECT,
    ]));
    let described: Value = serde_json::from_str(&gcloud(&[
        "compute",
        "firewall-rules",
        "describe",
        "from-rigger",
        "--format=json",
    ]))
    .unwrap();
    assert_eq!(
        described["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["8000-8080"]}])
    );
    assert_eq!(described["targetTags"], json!(["web"]));
    let names = gcloud(&["compute", "firewall-rules", "list", "--format=value(name)"]);
    assert_eq!(
        names.lines().collect::<Vec<_>>(),
        ["allow-gateway-http", "from-rigger"]
    );
    gcloud(&[
        "compute",
        "firewall-rules",
        "delete",
        "from-rigger",
        "--quiet",
    ]);
    let listed = w.run(&["firewall", "list", "--project", PROJECT, "-o", "json"]);
    assert_eq!(json_out(&listed).as_array().unwrap().len(), 1);
}
