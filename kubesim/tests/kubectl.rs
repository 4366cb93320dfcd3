//! The real kubectl against kubesim. Each test has its own kubesim, HOME and KUBECONFIG.

mod common;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use common::{Kubectl, namespace, running_pod};
use serde_json::{Value, json};

fn bookinfo() -> Option<std::path::PathBuf> {
    kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml")
}

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn create_namespace_through_dry_run_and_apply() {
    let Some(k) = Kubectl::start("ns") else {
        return;
    };
    let yaml = k.ok(&[
        "create",
        "namespace",
        "demo",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    let out = k.ok_stdin(&["apply", "-f", "-"], &yaml);
    assert_eq!(out.trim(), "namespace/demo created");
    let ns = k
        .sim
        .store()
        .get("", "v1", "namespaces", "", "demo")
        .unwrap();
    assert_eq!(ns["status"]["phase"], "Active");
    assert!(
        ns["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );
    // The typed create sends protobuf, which kubesim refuses with a Status.
    let err = k.fails(&["create", "namespace", "typed"]);
    assert!(
        err.contains("unknown format")
            || err.contains("UnsupportedMediaType")
            || err.contains("415"),
        "{err}"
    );
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.status == 415 && r.content_type.contains("protobuf"))
    );
}

#[test]
fn bookinfo_client_side_then_server_side_then_changed() {
    let Some(k) = Kubectl::start("bookinfo") else {
        return;
    };
    let Some(file) = bookinfo() else { return };
    let file = file.to_str().unwrap();
    namespace(&k.sim, "bookinfo");
    let out = k.ok(&["apply", "-n", "bookinfo", "-f", file]);
    assert!(
        out.contains("deployment.apps/productpage-v1 created"),
        "{out}"
    );
    let store = k.sim.store();
    assert_eq!(
        store
            .list("apps", "v1", "deployments", Some("bookinfo"))
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        store
            .list("", "v1", "services", Some("bookinfo"))
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        store
            .list("", "v1", "serviceaccounts", Some("bookinfo"))
            .unwrap()
            .len(),
        4
    );

    // Server-side apply of the same file takes over ownership without changing anything.
    let before = store
        .get("apps", "v1", "deployments", "bookinfo", "reviews-v1")
        .unwrap();
    k.sim.clear_requests();
    let out = k.ok(&["apply", "--server-side", "-n", "bookinfo", "-f", file]);
    assert!(
        out.contains("deployment.apps/reviews-v1 serverside-applied"),
        "{out}"
    );
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.method == "PATCH" && r.content_type == "application/apply-patch+yaml")
    );
    let after = store
        .get("apps", "v1", "deployments", "bookinfo", "reviews-v1")
        .unwrap();
    assert_eq!(before["spec"], after["spec"]);
    assert_eq!(after["metadata"]["generation"], 1);
    assert!(
        after["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["manager"] == "kubectl" && m["operation"] == "Apply")
    );

    // Server-side re-apply with a change.
    let text = std::fs::read_to_string(file).unwrap();
    let changed = text.replace(
        "examples-bookinfo-reviews-v1:1.20.3",
        "examples-bookinfo-reviews-v1:9.9.9",
    );
    assert_ne!(changed, text);
    k.ok_stdin(
        &["apply", "--server-side", "-n", "bookinfo", "-f", "-"],
        &changed,
    );
    let d = store
        .get("apps", "v1", "deployments", "bookinfo", "reviews-v1")
        .unwrap();
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["image"],
        "registry.istio.io/release/examples-bookinfo-reviews-v1:9.9.9"
    );
    assert_eq!(d["metadata"]["generation"], 2);

    // Client-side re-apply with a change uses a strategic merge patch.
    k.sim.clear_requests();
    let scaled = changed.replace("replicas: 1", "replicas: 2");
    let out = k.ok_stdin(&["apply", "-n", "bookinfo", "-f", "-"], &scaled);
    assert!(
        out.contains("deployment.apps/ratings-v1 configured"),
        "{out}"
    );
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.method == "PATCH"
                && r.content_type == "application/strategic-merge-patch+json")
    );
    for name in ["details-v1", "ratings-v1", "reviews-v2", "productpage-v1"] {
        let d = store
            .get("apps", "v1", "deployments", "bookinfo", name)
            .unwrap();
        assert_eq!(d["spec"]["replicas"], 2, "{name}");
        assert_eq!(
            d["spec"]["template"]["spec"]["containers"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(d["spec"]["strategy"]["type"], "RollingUpdate");
    }
    // Unchanged objects stay unchanged.
    let out = k.ok_stdin(&["apply", "-n", "bookinfo", "-f", "-"], &scaled);
    assert!(out.contains("service/details unchanged"), "{out}");
}

fn seed_workloads(k: &Kubectl) {
    namespace(&k.sim, "shop");
    let store = k.sim.store();
    store
        .create("apps", "v1", "deployments", "shop", json!({"metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}}))
        .unwrap();
    store
        .create("", "v1", "services", "shop", json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}))
        .unwrap();
    running_pod(
        &k.sim,
        "shop",
        "web-1",
        json!({"app": "web", "tier": "fe"}),
        &["web"],
    );
    running_pod(
        &k.sim,
        "shop",
        "web-2",
        json!({"app": "web", "tier": "fe"}),
        &["web", "sidecar"],
    );
    running_pod(&k.sim, "default", "db-1", json!({"app": "db"}), &["db"]);
}

#[test]
fn get_in_every_output_format() {
    let Some(k) = Kubectl::start("get") else {
        return;
    };
    seed_workloads(&k);
    let table = k.ok(&["get", "pods", "-n", "shop"]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("web-2") && l.contains("2/2") && l.contains("Running")),
        "{table}"
    );

    let wide = k.ok(&["get", "pods", "-n", "shop", "-o", "wide"]);
    assert!(
        wide.lines().next().unwrap().contains("NOMINATED NODE"),
        "{wide}"
    );
    assert!(
        wide.contains("10.244.0.9") && wide.contains("node-1"),
        "{wide}"
    );

    let deploy = k.ok(&["get", "deploy", "-n", "shop"]);
    assert!(
        deploy.lines().next().unwrap().split_whitespace().eq([
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"
        ]),
        "{deploy}"
    );
    assert!(deploy.contains("0/2"), "{deploy}");
    let svc = k.ok(&["get", "svc", "-n", "shop", "-o", "wide"]);
    assert!(
        svc.contains("80/TCP") && svc.contains("app=web") && svc.contains("ClusterIP"),
        "{svc}"
    );

    let list = json_of(&k.ok(&["get", "pods", "-n", "shop", "-o", "json"]));
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["items"][0]["kind"], "Pod");

    let names = k.ok(&[
        "get",
        "pods",
        "-n",
        "shop",
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ]);
    assert_eq!(names, "web-1 web-2");
    let image = k.ok(&[
        "get",
        "deploy",
        "web",
        "-n",
        "shop",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
    ]);
    assert_eq!(image, "nginx:1.25");

    let all = k.ok(&["get", "pods", "-A"]);
    assert!(
        all.lines().next().unwrap().starts_with("NAMESPACE"),
        "{all}"
    );
    assert!(all.contains("db-1") && all.contains("web-1"), "{all}");

    let selected = k.ok(&[
        "get",
        "pods",
        "-A",
        "-l",
        "app=web,tier in (fe)",
        "-o",
        "name",
    ]);
    assert_eq!(
        selected.lines().collect::<Vec<_>>(),
        ["pod/web-1", "pod/web-2"]
    );
    let none = k.run(&["get", "pods", "-n", "shop", "-l", "app=nothing"]);
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("No resources found in shop namespace.")
    );

    let everything = k.ok(&["get", "all", "-n", "shop"]);
    assert!(
        everything.contains("pod/web-1")
            && everything.contains("service/web")
            && everything.contains("deployment.apps/web"),
        "{everything}"
    );

    let ns = k.ok(&["get", "ns", "shop", "--show-labels"]);
    assert!(ns.contains("kubernetes.io/metadata.name=shop"), "{ns}");
}

#[test]
fn label_annotate_and_patch() {
    let Some(k) = Kubectl::start("label") else {
        return;
    };
    seed_workloads(&k);
    let store = k.sim.store();
    let labels = |kind: &str, group: &str| {
        store.get(group, "v1", kind, "shop", "web").unwrap()["metadata"].clone()
    };

    k.ok(&["label", "deploy", "web", "-n", "shop", "team=a"]);
    assert_eq!(labels("deployments", "apps")["labels"]["team"], "a");
    let err = k.fails(&["label", "deploy", "web", "-n", "shop", "team=b"]);
    assert!(err.contains("already has a value"), "{err}");
    k.ok(&[
        "label",
        "deploy",
        "web",
        "-n",
        "shop",
        "team=b",
        "--overwrite",
    ]);
    assert_eq!(labels("deployments", "apps")["labels"]["team"], "b");
    k.ok(&["label", "deploy", "web", "-n", "shop", "team-"]);
    assert!(
        labels("deployments", "apps")["labels"]
            .get("team")
            .is_none()
    );

    k.ok(&["annotate", "svc", "web", "-n", "shop", "owner=ops"]);
    k.ok(&[
        "annotate",
        "svc",
        "web",
        "-n",
        "shop",
        "owner=dev",
        "--overwrite",
    ]);
    assert_eq!(labels("services", "")["annotations"]["owner"], "dev");
    k.ok(&["annotate", "svc", "web", "-n", "shop", "owner-"]);
    assert!(labels("services", "")["annotations"].get("owner").is_none());
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.content_type == "application/merge-patch+json")
    );

    k.ok(&[
        "patch",
        "deploy",
        "web",
        "-n",
        "shop",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
    ]);
    assert_eq!(
        store
            .get("apps", "v1", "deployments", "shop", "web")
            .unwrap()["spec"]["replicas"],
        3
    );
    k.ok(&[
        "patch",
        "deploy",
        "web",
        "-n",
        "shop",
        "--type=merge",
        "-p",
        r#"{"spec":{"replicas":4}}"#,
    ]);
    assert_eq!(
        store
            .get("apps", "v1", "deployments", "shop", "web")
            .unwrap()["spec"]["replicas"],
        4
    );
    k.ok(&[
        "patch",
        "deploy",
        "web",
        "-n",
        "shop",
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"envoy:1"}]}}}}"#,
    ]);
    let d = store
        .get("apps", "v1", "deployments", "shop", "web")
        .unwrap();
    let cs = d["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap();
    assert_eq!(
        cs.len(),
        2,
        "strategic merge keeps existing containers: {cs:?}"
    );
    assert_eq!(d["metadata"]["generation"], 4);
    let err = k.fails(&[
        "patch",
        "deploy",
        "web",
        "-n",
        "shop",
        "--type=json",
        "-p",
        r#"[{"op":"remove","path":"/spec/nothing"}]"#,
    ]);
    assert!(err.contains("The request is invalid"), "{err}");

    k.ok(&["scale", "deploy", "web", "-n", "shop", "--replicas=1"]);
    assert_eq!(
        store
            .get("apps", "v1", "deployments", "shop", "web")
            .unwrap()["spec"]["replicas"],
        1
    );
    k.ok(&["rollout", "restart", "deploy", "web", "-n", "shop"]);
    let d = store
        .get("apps", "v1", "deployments", "shop", "web")
        .unwrap();
    assert!(
        d["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
            .is_string()
    );
}

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
"#;

#[test]
fn crd_apply_wait_and_custom_objects() {
    let Some(k) = Kubectl::start("crd") else {
        return;
    };
    let out = k.ok_stdin(&["apply", "-f", "-"], CRD);
    assert_eq!(
        out.trim(),
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"
    );
    let out = k.ok(&[
        "wait",
        "--for=condition=Established",
        "crd/widgets.example.com",
        "--timeout=20s",
    ]);
    assert!(out.contains("condition met"), "{out}");
    let widget =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n";
    let out = k.ok_stdin(&["apply", "-n", "default", "-f", "-"], widget);
    assert_eq!(out.trim(), "widget.example.com/w1 created");
    let table = k.ok(&["get", "widgets"]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "SIZE", "AGE"], "{table}");
    assert!(table.contains("w1") && table.contains('3'), "{table}");
    let got = json_of(&k.ok(&["get", "wd", "w1", "-o", "json"]));
    assert_eq!(got["spec"]["size"], 3);
    // Client-side re-apply of a custom resource uses a merge patch.
    k.sim.clear_requests();
    k.ok_stdin(&["apply", "-f", "-"], &widget.replace("size: 3", "size: 5"));
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.content_type == "application/merge-patch+json")
    );
    assert_eq!(
        k.sim
            .store()
            .get("example.com", "v1", "widgets", "default", "w1")
            .unwrap()["spec"]["size"],
        5
    );
    let resources = k.ok(&["api-resources", "--api-group=example.com"]);
    assert!(
        resources.contains("widgets") && resources.contains("wd"),
        "{resources}"
    );
    // Deleting the CRD removes its objects and its discovery entry.
    k.ok(&["delete", "crd", "widgets.example.com"]);
    let err = k.fails(&["get", "widgets"]);
    // With a cached discovery kubectl tries the list and gets a 404; without, it cannot resolve the name.
    assert!(
        err.contains("the server could not find the requested resource")
            || err.contains("doesn't have a resource type"),
        "{err}"
    );
    assert!(
        k.sim
            .store()
            .resolve("example.com", "v1", "widgets")
            .is_err()
    );
}

#[test]
fn api_resources_lists_builtin_kinds() {
    let Some(k) = Kubectl::start("apires") else {
        return;
    };
    let out = k.ok(&["api-resources"]);
    for line in [
        "deployments",
        "customresourcedefinitions",
        "selfsubjectaccessreviews",
        "mutatingwebhookconfigurations",
        "leases",
    ] {
        assert!(out.contains(line), "{line} missing:\n{out}");
    }
    let pods = out.lines().find(|l| l.starts_with("pods ")).unwrap();
    assert!(
        pods.contains(" po ") && pods.contains("true") && pods.contains("Pod"),
        "{pods}"
    );
    let wide = k.ok(&["api-resources", "-o", "wide", "--namespaced=false"]);
    assert!(
        wide.contains("namespaces") && !wide.lines().any(|l| l.starts_with("pods ")),
        "{wide}"
    );
}

#[test]
fn auth_can_i_for_both_users() {
    let Some(k) = Kubectl::start("auth") else {
        return;
    };
    assert_eq!(k.ok(&["auth", "can-i", "create", "pods"]).trim(), "yes");
    assert_eq!(
        k.ok(&[
            "auth",
            "can-i",
            "delete",
            "deployments",
            "-n",
            "kube-system"
        ])
        .trim(),
        "yes"
    );
    assert_eq!(
        k.ok(&[
            "--context",
            "kubesim-readonly",
            "auth",
            "can-i",
            "list",
            "pods"
        ])
        .trim(),
        "yes"
    );
    let out = k.run(&[
        "--context",
        "kubesim-readonly",
        "auth",
        "can-i",
        "create",
        "pods",
    ]);
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "no");
    let err = k.fails(&[
        "--context",
        "kubesim-readonly",
        "delete",
        "namespace",
        "default",
    ]);
    assert!(
        err.contains(r#"namespaces "default" is forbidden: User "kubesim-viewer" cannot delete resource "namespaces" in API group "" at the cluster scope"#),
        "{err}"
    );
    let err = k.fails(&["--context", "kubesim-readonly", "create", "-f", "-"]);
    assert!(!err.is_empty());
    let whoami = k.ok(&["--context", "kubesim-readonly", "auth", "whoami"]);
    assert!(whoami.contains("kubesim-viewer"), "{whoami}");
}

#[test]
fn logs_plain_tail_and_follow() {
    let Some(k) = Kubectl::start("logs") else {
        return;
    };
    running_pod(&k.sim, "default", "app", json!({"app": "a"}), &["main"]);
    running_pod(
        &k.sim,
        "default",
        "two",
        json!({"app": "b"}),
        &["main", "sidecar"],
    );
    let store = k.sim.store();
    for i in 1..=5 {
        store.append_log("default", "app", "main", &format!("line {i}"));
    }
    assert_eq!(
        k.ok(&["logs", "app"]),
        "line 1\nline 2\nline 3\nline 4\nline 5\n"
    );
    assert_eq!(k.ok(&["logs", "app", "--tail=2"]), "line 4\nline 5\n");
    let stamped = k.ok(&["logs", "app", "--timestamps", "--tail=1"]);
    assert!(
        stamped.ends_with("Z line 5\n") && stamped.starts_with("20"),
        "{stamped}"
    );
    // kubectl picks the first container itself and says so.
    store.append_log("default", "two", "main", "from main");
    let out = k.run(&["logs", "two"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "from main\n");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Defaulted container \"main\" out of: main, sidecar")
    );
    store.append_log("default", "two", "sidecar", "from the sidecar");
    assert_eq!(
        k.ok(&["logs", "two", "-c", "sidecar"]),
        "from the sidecar\n"
    );

    // Follow: lines appended later arrive; the stream stays open until the client gives up.
    let mut child = k
        .command(&["logs", "-f", "app", "--tail=1"])
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "line 5\n");
    store.append_log("default", "app", "main", "line 6");
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "line 6\n");
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "follow ended early");
    child.kill().unwrap();
    child.wait().unwrap();

    // A follow ended by the client's timeout exits without hanging.
    let started = Instant::now();
    let out = k.run(&["logs", "-f", "app", "--request-timeout=2s"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(String::from_utf8_lossy(&out.stdout).contains("line 6"));
    // A log that ends (container terminated) ends the follow.
    store.close_log("default", "app", "main");
    let out = k.ok(&["logs", "-f", "app", "--tail=1"]);
    assert_eq!(out, "line 6\n");
}

#[test]
fn delete_cascades_and_reports_not_found() {
    let Some(k) = Kubectl::start("delete") else {
        return;
    };
    let Some(file) = bookinfo() else { return };
    let file = file.to_str().unwrap();
    namespace(&k.sim, "bookinfo");
    k.ok(&["apply", "-n", "bookinfo", "-f", file]);
    let out = k.ok(&["delete", "-n", "bookinfo", "-f", file]);
    assert!(
        out.contains("deployment.apps \"productpage-v1\" deleted"),
        "{out}"
    );
    let store = k.sim.store();
    assert!(
        store
            .list("apps", "v1", "deployments", Some("bookinfo"))
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list("", "v1", "services", Some("bookinfo"))
            .unwrap()
            .is_empty()
    );

    // Cascade over ownerReferences: deployment -> replicaset -> pods.
    seed_workloads(&k);
    let d = store
        .get("apps", "v1", "deployments", "shop", "web")
        .unwrap();
    let rs = store
        .create("apps", "v1", "replicasets", "shop", json!({"metadata": {"name": "web-abc", "labels": {"app": "web"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true}]},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}))
        .unwrap();
    for pod in ["web-1", "web-2"] {
        store
            .modify("", "v1", "pods", "shop", pod, |p| {
                p["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc", "uid": rs["metadata"]["uid"], "controller": true}]);
            })
            .unwrap();
    }
    let out = k.ok(&["delete", "deploy", "web", "-n", "shop"]);
    assert_eq!(out.trim(), "deployment.apps \"web\" deleted");
    assert!(
        store
            .list("apps", "v1", "replicasets", Some("shop"))
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list("", "v1", "pods", Some("shop"))
            .unwrap()
            .is_empty()
    );
    let err = k.fails(&["get", "deploy", "web", "-n", "shop"]);
    assert_eq!(
        err.trim(),
        "Error from server (NotFound): deployments.apps \"web\" not found"
    );
    let err = k.fails(&["get", "pod", "web-1", "-n", "shop"]);
    assert_eq!(
        err.trim(),
        "Error from server (NotFound): pods \"web-1\" not found"
    );

    // Namespace deletion removes what is left.
    k.ok(&["delete", "namespace", "shop", "--timeout=20s"]);
    assert!(
        store
            .list("", "v1", "services", Some("shop"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .get("", "v1", "namespaces", "", "shop")
            .unwrap_err()
            .code,
        404
    );

    // dry-run deletes nothing.
    k.ok(&["delete", "pod", "db-1", "--dry-run=server"]);
    assert!(store.get("", "v1", "pods", "default", "db-1").is_ok());
}

#[test]
fn wait_and_watch_follow_changes() {
    let Some(k) = Kubectl::start("wait") else {
        return;
    };
    seed_workloads(&k);
    let store = k.sim.store().clone();
    let child = k
        .command(&[
            "wait",
            "--for=condition=Available",
            "deploy/web",
            "-n",
            "shop",
            "--timeout=30s",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    store
        .modify_status("apps", "v1", "deployments", "shop", "web", |d| {
            d["status"] = json!({"observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2,
                "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]});
        })
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("condition met"));
    let status = k.ok(&[
        "rollout",
        "status",
        "deploy/web",
        "-n",
        "shop",
        "--timeout=20s",
    ]);
    assert!(status.contains("successfully rolled out"), "{status}");
    // kubectl wait --for=delete returns once the object is gone.
    let child = k
        .command(&[
            "wait",
            "--for=delete",
            "pod/web-1",
            "-n",
            "shop",
            "--timeout=30s",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    store.delete("", "v1", "pods", "shop", "web-1").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
