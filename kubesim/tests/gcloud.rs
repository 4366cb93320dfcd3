//! The real `gcloud` referees the fake Compute API: if gcloud can create, list, describe, update and
//! delete firewall rules against it, and fails the right way on 404/409/403, the shapes are right.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;
use std::process::{Command, Output};

use kubesim::gcp::{FakeCompute, FakeComputeOptions, Fault};
use serde_json::{Value, json};

const PROJECT: &str = "test-project";

struct Gcloud {
    bin: PathBuf,
    config: PathBuf,
    env: Vec<(String, String)>,
}

impl Gcloud {
    fn new(fake: &FakeCompute) -> Option<Gcloud> {
        let bin = kubesim::testkit::tool("gcloud")?;
        let config = std::env::temp_dir().join(format!(
            "kubesim-gcloud-{}-{}",
            std::process::id(),
            fake.addr().port()
        ));
        std::fs::create_dir_all(&config).unwrap();
        let env = fake.gcloud_env(&config, PROJECT);
        Some(Gcloud { bin, config, env })
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.bin)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
            .env_remove("CLOUDSDK_ACTIVE_CONFIG_NAME")
            .args(args)
            .output()
            .expect("running gcloud")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "gcloud {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "gcloud {args:?} should have failed");
        String::from_utf8(out.stderr).unwrap()
    }
}

impl Drop for Gcloud {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.config);
    }
}

fn anonymous_fake() -> FakeCompute {
    FakeCompute::start(FakeComputeOptions {
        allow_anonymous: true,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn gcloud_creates_lists_describes_updates_and_deletes_rules() {
    let fake = anonymous_fake();
    let Some(g) = Gcloud::new(&fake) else { return };
    g.ok(&[
        "compute",
        "firewall-rules",
        "create",
        "allow-gateway-http",
        "--allow",
        "tcp:31380,tcp:8000-8080",
        "--target-tags",
        "gke-node",
        "--source-ranges",
        "10.0.0.0/8",
        "--description",
        "ingress",
    ]);
    let rule = fake
        .firewall(PROJECT, "allow-gateway-http")
        .expect("created");
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol":"tcp","ports":["31380"]},{"IPProtocol":"tcp","ports":["8000-8080"]}])
    );
    assert_eq!(rule["targetTags"], json!(["gke-node"]));
    assert_eq!(rule["direction"], "INGRESS");
    // gcloud waited on the operation, which went through its states to DONE.
    let ops = fake.operations();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0]["status"], "DONE");
    assert_eq!(ops[0]["operationType"], "insert");

    let described: Value = serde_json::from_str(&g.ok(&[
        "compute",
        "firewall-rules",
        "describe",
        "allow-gateway-http",
        "--format=json",
    ]))
    .unwrap();
    assert_eq!(described, rule);

    let table = g.ok(&["compute", "firewall-rules", "list"]);
    assert!(table.contains("allow-gateway-http"), "{table}");
    assert!(table.contains("tcp:31380,tcp:8000-8080"), "{table}");

    g.ok(&[
        "compute",
        "firewall-rules",
        "update",
        "allow-gateway-http",
        "--rules",
        "tcp:80",
    ]);
    let updated = fake.firewall(PROJECT, "allow-gateway-http").unwrap();
    assert_eq!(
        updated["allowed"],
        json!([{"IPProtocol":"tcp","ports":["80"]}])
    );
    assert_eq!(updated["id"], rule["id"], "patch keeps the id");

    g.ok(&[
        "compute",
        "firewall-rules",
        "delete",
        "allow-gateway-http",
        "--quiet",
    ]);
    assert!(fake.firewall(PROJECT, "allow-gateway-http").is_none());
    let listed: Value =
        serde_json::from_str(&g.ok(&["compute", "firewall-rules", "list", "--format=json"]))
            .unwrap();
    assert_eq!(listed, json!([]));
}

#[test]
fn gcloud_pages_through_long_lists() {
    let fake = anonymous_fake();
    let Some(g) = Gcloud::new(&fake) else { return };
    // gcloud always asks for maxResults=500; 1203 rules take three pages.
    for i in 0..1203 {
        fake.insert_firewall(
            PROJECT,
            json!({"name": format!("rule-{i}"), "allowed": [{"IPProtocol": "tcp", "ports": ["80"]}]}),
        );
    }
    let out = g.ok(&["compute", "firewall-rules", "list", "--format=value(name)"]);
    let names: Vec<&str> = out.lines().collect();
    assert_eq!(names.len(), 1203);
    assert!(names.contains(&"rule-1202"));
    let requests = fake.requests();
    let pages = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/global/firewalls"))
        .count();
    assert_eq!(pages, 3);
}

#[test]
fn gcloud_fails_the_right_way_on_404_409_and_403() {
    let fake = anonymous_fake();
    let Some(g) = Gcloud::new(&fake) else { return };
    let create = [
        "compute",
        "firewall-rules",
        "create",
        "dup",
        "--allow",
        "tcp:80",
    ];
    g.ok(&create);
    let conflict = g.fails(&create);
    assert!(
        conflict
            .contains("The resource 'projects/test-project/global/firewalls/dup' already exists"),
        "{conflict}"
    );

    let missing = g.fails(&["compute", "firewall-rules", "describe", "nope"]);
    assert!(missing.contains("was not found"), "{missing}");
    let no_network = g.fails(&[
        "compute",
        "firewall-rules",
        "create",
        "x",
        "--allow",
        "tcp:80",
        "--network",
        "nowhere",
    ]);
    assert!(
        no_network
            .contains("The resource 'projects/test-project/global/networks/nowhere' was not found"),
        "{no_network}"
    );

    fake.set_fault(Fault::MissingPermission("compute.firewalls.create".into()));
    let denied = g.fails(&[
        "compute",
        "firewall-rules",
        "create",
        "y",
        "--allow",
        "tcp:80",
    ]);
    assert!(
        denied.contains("Required 'compute.firewalls.create' permission for 'projects/test-project/global/firewalls'"),
        "{denied}"
    );
    // Other permissions still work.
    g.ok(&["compute", "firewall-rules", "list"]);

    fake.set_fault(Fault::ApiNotEnabled);
    let disabled = g.fails(&["compute", "firewall-rules", "list"]);
    assert!(
        disabled.contains("Compute Engine API has not been used in project"),
        "{disabled}"
    );

    fake.set_fault(Fault::InsufficientScopes);
    let scopes = g.fails(&["compute", "firewall-rules", "list"]);
    assert!(
        scopes.contains("insufficient authentication scopes"),
        "{scopes}"
    );

    fake.set_fault(Fault::OperationError {
        code: "QUOTA_EXCEEDED".into(),
        message: "Quota 'FIREWALLS' exceeded.  Limit: 100.0 globally.".into(),
    });
    let quota = g.fails(&[
        "compute",
        "firewall-rules",
        "create",
        "z",
        "--allow",
        "tcp:80",
    ]);
    assert!(quota.contains("Quota 'FIREWALLS' exceeded"), "{quota}");
    fake.clear_fault();
    assert!(fake.firewall(PROJECT, "z").is_none());
    assert!(fake.firewall(PROJECT, "y").is_none());
}

#[test]
fn without_anonymous_access_the_fake_wants_a_token() {
    let fake = FakeCompute::start(FakeComputeOptions::default()).unwrap();
    let Some(g) = Gcloud::new(&fake) else { return };
    let err = g.fails(&["compute", "firewall-rules", "list"]);
    assert!(
        err.contains("missing required authentication credential"),
        "{err}"
    );
}
