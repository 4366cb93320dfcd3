//! kubesim and kube-inject agree on what an injected pod looks like, both ways round:
//! - rigger's engine installed into kubesim as its mutating admission hook (what istiod's webhook is
//!   in a real cluster): a Deployment's pod created the way the ReplicaSet controller creates it must
//!   carry exactly the pod spec `rigger kube-inject` writes for that Deployment;
//! - kubesim's own simulated injector against rigger's engine on the golden inputs' pods.

#![allow(clippy::print_stderr)]

mod support;

use std::sync::Arc;

use rigger::istio::inject::compare::compare_manifests;
use rigger::istio::inject::{Caller, Decision, InjectionSettings, PodContext, decide, inject_pod};
use serde_json::{Value, json};
use support::cluster::Cluster;
use support::run;

// The port names its protocol: the API server defaults it before the webhook sees the pod, so a
// webhook-injected pod lists it in ISTIO_META_POD_PORTS while kube-inject sees only what is written.
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, version: v2}\n      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/port: \"9090\"\n    spec:\n      containers:\n      - name: web\n        image: example/web:1\n        ports:\n        - {name: http, containerPort: 8080, protocol: TCP}\n        readinessProbe:\n          httpGet: {port: http, path: /ready}\n        livenessProbe:\n          tcpSocket: {port: 8080}\n";

/// istiod's webhook as a kubesim admission hook: pods created in namespaces labelled
/// `istio-injection=enabled` are injected with `settings`.
fn install_injector(cluster: &Cluster, settings: InjectionSettings) {
    let settings = Arc::new(settings);
    cluster
        .sim
        .store()
        .add_admission_hook(Arc::new(move |req, obj| {
            if req.resource.plural != "pods" || !req.subresource.is_empty() || req.old.is_some() {
                return Ok(());
            }
            let enabled = req
                .view
                .get("", "namespaces", "", req.namespace)
                .is_some_and(|ns| ns["metadata"]["labels"]["istio-injection"] == "enabled");
            if !enabled || decide(obj, &settings, Caller::Webhook) != Decision::Inject {
                return Ok(());
            }
            let mut ctx = PodContext::for_pod(obj);
            ctx.caller = Caller::Webhook;
            ctx.deploy_meta.namespace = req.namespace.to_string();
            if let Ok(injected) = inject_pod(obj, &settings, &ctx) {
                obj["metadata"] = injected["metadata"].clone();
                obj["spec"] = injected["spec"].clone();
            }
            Ok(())
        }));
}

/// A pod spec without the fields the API server fills in by default.
fn without_defaults(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(m) = spec.as_object_mut() {
        for k in [
            "dnsPolicy",
            "restartPolicy",
            "schedulerName",
            "securityContext",
            "terminationGracePeriodSeconds",
            "enableServiceLinks",
            "preemptionPolicy",
            "priority",
            "serviceAccount",
            "serviceAccountName",
        ] {
            m.remove(k);
        }
    }
    for list in ["containers", "initContainers"] {
        for c in spec[list].as_array_mut().into_iter().flatten() {
            if let Some(c) = c.as_object_mut() {
                for k in [
                    "imagePullPolicy",
                    "terminationMessagePath",
                    "terminationMessagePolicy",
                ] {
                    c.remove(k);
                }
            }
        }
    }
    spec
}

#[test]
fn kubesim_pods_match_kube_inject_output() {
    let cluster = Cluster::start("ki-kubesim");
    cluster.namespace("shop", json!({"istio-injection": "enabled"}));
    install_injector(
        &cluster,
        InjectionSettings::defaults(rigger::istio::inject::Flavor::Current),
    );

    // What the ReplicaSet controller creates for the Deployment.
    let deployment: Value = rigger::yaml::parse_document(DEPLOYMENT, "d").unwrap();
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": deployment["spec"]["template"]["metadata"], "spec": deployment["spec"]["template"]["spec"]});
    pod["metadata"]["generateName"] = json!("web-5d8f7c9b6-");
    pod["metadata"]["name"] = json!("web-5d8f7c9b6-x2x7p");
    pod["metadata"]["labels"]["pod-template-hash"] = json!("5d8f7c9b6");
    pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d8f7c9b6", "uid": "u-1", "controller": true}]);
    cluster.create("v1", "pods", "shop", pod);
    let stored = cluster
        .get("v1", "pods", "shop", "web-5d8f7c9b6-x2x7p")
        .expect("pod stored");

    let input = cluster.dir.path().join("web.yaml");
    std::fs::write(&input, DEPLOYMENT).unwrap();
    let out = run(cluster.rigger().args(["kube-inject", "-f"]).arg(&input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let injected: Value = rigger::yaml::parse_document(&out.stdout, "out").unwrap();
    let template = &injected["spec"]["template"];

    // The API server defaults what it stores (imagePullPolicy, terminationMessagePath, ...): store
    // kube-inject's pod as well, in a namespace without injection, and compare what is stored.
    cluster.namespace("plain", json!({}));
    cluster.create(
        "v1",
        "pods",
        "plain",
        json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "from-kube-inject"}, "spec": template["spec"]}),
    );
    let expected = cluster
        .get("v1", "pods", "plain", "from-kube-inject")
        .unwrap();
    // kubesim defaults pods before its admission hooks run (a real API server defaults again after
    // mutating webhooks), so the fields the API server defaults are left out of the comparison.
    let spec = |v: &Value| rigger::yaml::to_go_yaml(&without_defaults(v));
    assert_eq!(
        compare_manifests(&spec(&stored["spec"]), &spec(&expected["spec"])).unwrap(),
        None
    );
    assert_eq!(
        stored["spec"]["initContainers"][1]["name"], "istio-proxy",
        "the stored pod was injected (native sidecar)"
    );
    for key in [
        "sidecar.istio.io/status",
        "prometheus.io/port",
        "istio.io/rev",
        "kubectl.kubernetes.io/default-container",
    ] {
        assert_eq!(
            stored["metadata"]["annotations"][key], template["metadata"]["annotations"][key],
            "{key}"
        );
    }
    for key in [
        "security.istio.io/tlsMode",
        "service.istio.io/canonical-name",
        "service.istio.io/canonical-revision",
    ] {
        assert_eq!(
            stored["metadata"]["labels"][key], template["metadata"]["labels"][key],
            "{key}"
        );
    }

    // Pods in namespaces without the label are left alone.

    cluster.create("v1", "pods", "plain", json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}));
    let plain = cluster.get("v1", "pods", "plain", "p").unwrap();
    assert_eq!(plain["spec"]["containers"].as_array().unwrap().len(), 1);
    assert!(plain["spec"]["initContainers"].is_null());
}

/// kubesim's own injector (what its simulated istiod does to pods, Istio 1.23 shape) against
/// rigger's engine with Istio 1.23's defaults, on the golden inputs' pods: for plain workloads the
/// injected pods must be the same. kubesim's injector does not read the Istio annotations (traffic,
/// status port, proxy image, proxy config, user overrides), named ports in probes or lifecycle hooks;
/// those inputs are reported, not asserted.
#[test]
fn kubesim_injector_agrees_with_kube_inject() {
    use kubesim::world::istio::injector;
    use rigger::istio::inject::Flavor;
    let Some(dir) = kubesim::testkit::fixture("istio/inject/testdata") else {
        return;
    };
    const PLAIN: &[&str] = &[
        "hello.yaml",
        "pod.yaml",
        "multi-container.yaml",
        "replicaset.yaml",
        "job.yaml",
        "frontend.yaml",
        "hello-multi.yaml",
        "deploymentconfig.yaml",
        "list.yaml",
    ];
    const ANNOTATED: &[&str] = &[
        "one_container.yaml",
        "hello-probes.yaml",
        "status_annotations.yaml",
        "traffic-annotations.yaml",
        "hello-proxy-override.yaml",
        "proxy-override.yaml",
    ];
    let mut checked = 0;
    for native in [false, true] {
        let mut ours = InjectionSettings::defaults(Flavor::V1_23);
        ours.native_sidecars = native;
        let mut values = ours.values.clone();
        if native {
            values["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"] = json!("true");
        }
        let theirs = injector::Settings {
            values,
            ca_addr: "istiod.istio-system.svc:15012".into(),
            revision: String::new(),
            kubelet: Some((1, 33)),
        };
        let mut files: Vec<&str> = PLAIN.to_vec();
        if native {
            files.push("native-sidecar.yaml");
        }
        for file in files.iter().chain(ANNOTATED) {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for pod in pods_of(&text) {
                let mut simulated = pod.clone();
                injector::inject(&mut simulated, "default", &theirs);
                let mut ctx = PodContext::for_pod(&pod);
                ctx.caller = Caller::Webhook;
                let injected = inject_pod(&pod, &ours, &ctx).unwrap();
                let as_yaml = |p: &Value| {
                    rigger::yaml::to_go_yaml(&json!({"metadata": p["metadata"], "spec": p["spec"]}))
                };
                let diff = compare_manifests(&as_yaml(&simulated), &as_yaml(&injected)).unwrap();
                if ANNOTATED.contains(file) {
                    if let Some(d) = diff {
                        eprintln!(
                            "note: kubesim's injector differs on {file} (native={native}): {d}"
                        );
                    }
                } else {
                    assert_eq!(diff, None, "{file} (native={native})");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} pods compared");
}

/// The pods a manifest's workloads would create (as the controllers create them: a generated name
/// and a controller reference to the workload).
fn pods_of(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut docs: Vec<Value> = rigger::istio::inject::manifest::split_documents(text)
        .iter()
        .map(|d| rigger::yaml::parse_document(d.text, "input").unwrap())
        .collect();
    while let Some(doc) = docs.pop() {
        let kind = doc["kind"].as_str().unwrap_or_default();
        match kind {
            "List" => docs.extend(doc["items"].as_array().cloned().unwrap_or_default()),
            "Pod" => out.push(doc),
            _ if doc["spec"]["template"].is_object() => {
                let name = doc["metadata"]["name"].as_str().unwrap_or_default();
                let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
                    "metadata": doc["spec"]["template"]["metadata"], "spec": doc["spec"]["template"]["spec"]});
                pod["metadata"]["name"] = json!(format!("{name}-7d4b9"));
                pod["metadata"]["generateName"] = json!(format!("{name}-"));
                pod["metadata"]["ownerReferences"] = json!([{"apiVersion": doc["apiVersion"], "kind": kind, "name": name, "uid": "u", "controller": true}]);
                out.push(pod);
            }
            _ => {}
        }
    }
    out
}
