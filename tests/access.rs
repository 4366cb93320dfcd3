//! Credentials and permissions against a real (simulated) API server: plain words and exit codes.

mod support;

use support::cluster::Cluster;
use support::run;

#[test]
fn wrong_token_is_unauthorized_in_plain_words() {
    let cluster = Cluster::start("wrong-token");
    let text = std::fs::read_to_string(&cluster.kubeconfig).unwrap();
    let tampered = text.replace(cluster.sim.admin_token(), "not-the-right-token");
    std::fs::write(&cluster.kubeconfig, tampered).unwrap();
    let out = run(cluster.rigger().args(["version", "--remote", "-vv"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("rejected rigger's credentials: Unauthorized"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("not-the-right-token"),
        "token leaked: {}",
        out.stderr
    );
}

#[test]
fn version_remote_reports_the_server_and_no_mesh() {
    let cluster = Cluster::start("version-remote");
    let out = run(cluster
        .rigger()
        .args(["version", "--remote", "-o", "json", "-vv"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["serverVersion"]["minor"], "32");
    assert_eq!(value["meshVersion"], serde_json::json!([]));
    assert!(
        !out.stderr.contains(cluster.sim.admin_token()),
        "token leaked with -vv"
    );
}

#[test]
fn read_only_user_gets_forbidden_with_verb_and_resource() {
    let cluster = Cluster::start("readonly");
    cluster.injector();
    let out = run(cluster.rigger().args([
        "--context",
        "kubesim-readonly",
        "inject",
        "enable",
        "default",
        "--restart",
        "none",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error: labelling namespace default"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("forbidden")
            && out.stderr.contains("cannot patch resource \"namespaces\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    let ns = cluster.get("v1", "namespaces", "", "default").unwrap();
    assert!(
        ns["metadata"]
            .get("labels")
            .and_then(|l| l.get("istio-injection"))
            .is_none()
    );
}
