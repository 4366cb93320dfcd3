//! A kubesim cluster for integration tests, with a kubeconfig and helpers to seed objects directly.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use super::{TempDir, rigger};

pub struct Cluster {
    pub sim: kubesim::Sim,
    pub dir: TempDir,
    pub kubeconfig: PathBuf,
}

impl Cluster {
    pub fn start(label: &str) -> Cluster {
        Cluster::with_options(label, kubesim::SimOptions::default())
    }

    pub fn with_options(label: &str, options: kubesim::SimOptions) -> Cluster {
        let sim = kubesim::Sim::start(options).expect("starting kubesim");
        let dir = TempDir::new(label);
        let kubeconfig = dir.path().join("kubeconfig");
        sim.write_kubeconfig(&kubeconfig)
            .expect("writing kubeconfig");
        Cluster {
            sim,
            dir,
            kubeconfig,
        }
    }

    /// rigger pointed at this cluster (KUBECONFIG set, private HOME).
    pub fn rigger(&self) -> Command {
        let mut cmd = rigger(self.dir.path());
        cmd.env("KUBECONFIG", &self.kubeconfig);
        cmd
    }

    /// Creates an object through the store (same semantics as POST). `resource` is the plural.
    pub fn create(&self, api_version: &str, resource: &str, namespace: &str, obj: Value) -> Value {
        let (group, version) = split(api_version);
        self.sim
            .store()
            .create(group, version, resource, namespace, obj)
            .expect("creating object")
    }

    /// Replaces an object's status.
    pub fn set_status(
        &self,
        api_version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        status: Value,
    ) {
        let (group, version) = split(api_version);
        self.sim
            .store()
            .modify_status(group, version, resource, namespace, name, |obj| {
                obj["status"] = status
            })
            .expect("setting status");
    }

    pub fn get(
        &self,
        api_version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Value> {
        let (group, version) = split(api_version);
        self.sim
            .store()
            .get(group, version, resource, namespace, name)
            .ok()
    }

    pub fn list(&self, api_version: &str, resource: &str, namespace: Option<&str>) -> Vec<Value> {
        let (group, version) = split(api_version);
        self.sim
            .store()
            .list(group, version, resource, namespace)
            .unwrap_or_default()
    }

    /// Waits until `done` holds, re-checking on every change event of the store (a watch, not a
    /// sleep loop). Panics naming `what` after `timeout`.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: std::time::Duration,
        done: impl Fn(&Cluster) -> bool,
    ) {
        let mut events = self.sim.store().subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if done(self) {
                return;
            }
            let next = self
                .sim
                .runtime()
                .block_on(async { tokio::time::timeout_at(deadline, events.recv()).await });
            match next {
                Err(_) => panic!("timed out after {timeout:?} waiting for {what}"),
                // Lagged or closed: look again; a closed store ends at the deadline.
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => {
                    panic!("the store closed while waiting for {what}")
                }
                Ok(_) => {}
            }
        }
    }

    /// Pods of a namespace that are Running and Ready.
    pub fn ready_pods(&self, namespace: &str) -> Vec<Value> {
        self.list("v1", "pods", Some(namespace))
            .into_iter()
            .filter(|p| p["metadata"]["deletionTimestamp"].is_null())
            .filter(|p| {
                p["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            })
            .collect()
    }

    pub fn namespace(&self, name: &str, labels: Value) {
        self.create(
            "v1",
            "namespaces",
            "",
            json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": labels}}),
        );
    }

    /// Requests that changed something (POST, PUT, PATCH, DELETE), excluding server-side dry runs.
    pub fn writes(&self) -> Vec<String> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| matches!(r.method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE"))
            .filter(|r| !r.query.contains("dryRun"))
            .filter(|r| {
                !r.path.contains("selfsubjectaccessreviews")
                    && !r.path.contains("selfsubjectrulesreviews")
            })
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// The CRDs of Istio's networking API (Gateway, VirtualService, DestinationRule), served in v1 and
    /// v1beta1, as the control plane would install them.
    pub fn istio_networking_crds(&self) {
        for (kind, plural) in [
            ("Gateway", "gateways"),
            ("VirtualService", "virtualservices"),
            ("DestinationRule", "destinationrules"),
        ] {
            let versions: Vec<Value> = ["v1", "v1beta1", "v1alpha3"]
                .iter()
                .enumerate()
                .map(|(i, v)| json!({"name": v, "served": true, "storage": i == 0,
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}))
                .collect();
            self.create("apiextensions.k8s.io/v1", "customresourcedefinitions", "", json!({
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": format!("{plural}.networking.istio.io")},
                "spec": {"group": "networking.istio.io", "scope": "Namespaced",
                    "names": {"kind": kind, "plural": plural, "singular": kind.to_lowercase(), "listKind": format!("{kind}List")},
                    "versions": versions}
            }));
        }
    }

    /// A Ready node with the given external address.
    pub fn node(&self, name: &str, external_ip: &str) {
        self.create(
            "v1",
            "nodes",
            "",
            json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}}),
        );
        self.set_status("v1", "nodes", "", name, json!({
            "conditions": [{"type": "Ready", "status": "True"}],
            "addresses": [{"type": "InternalIP", "address": "10.128.0.2"}, {"type": "ExternalIP", "address": external_ip}]
        }));
    }

    /// An ingress gateway as the control plane would have it: a pod labelled istio=ingressgateway and
    /// the istio-ingressgateway Service (LoadBalancer with node ports) with the given LB status.
    pub fn ingress_gateway(&self, lb_status: Value) {
        if self.get("v1", "namespaces", "", "istio-system").is_none() {
            self.namespace("istio-system", json!({}));
        }
        self.create("v1", "pods", "istio-system", json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "istio-ingressgateway-1", "namespace": "istio-system",
                "labels": {"app": "istio-ingressgateway", "istio": "ingressgateway"}},
            "spec": {"containers": [{"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.6"}]}}));
        self.create(
            "v1",
            "services",
            "istio-system",
            json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
            "spec": {"type": "LoadBalancer", "selector": {"istio": "ingressgateway"}, "ports": [
                {"name": "status-port", "port": 15021, "targetPort": 15021, "nodePort": 31021},
                {"name": "http2", "port": 80, "targetPort": 8080, "nodePort": 31380},
                {"name": "https", "port": 443, "targetPort": 8443, "nodePort": 31390}]}}),
        );
        self.set_status(
            "v1",
            "services",
            "istio-system",
            "istio-ingressgateway",
            json!({"loadBalancer": lb_status}),
        );
    }

    /// The sidecar injector webhook and an istiod Deployment, as an installed control plane has them.
    pub fn injector(&self) {
        self.create("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", "", json!({
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": "istio-sidecar-injector"},
            "webhooks": [{"name": "sidecar-injector.istio.io", "sideEffects": "None", "admissionReviewVersions": ["v1"],
                "clientConfig": {"service": {"name": "istiod", "namespace": "istio-system", "path": "/inject"}}}]}));
        if self.get("v1", "namespaces", "", "istio-system").is_none() {
            self.namespace("istio-system", json!({}));
        }
        self.create("apps/v1", "deployments", "istio-system", json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istiod", "namespace": "istio-system", "labels": {"app": "istiod"}},
            "spec": {"selector": {"matchLabels": {"app": "istiod"}}, "template": {"metadata": {"labels": {"app": "istiod"}},
                "spec": {"containers": [{"name": "discovery", "image": "docker.io/istio/pilot:1.23.6"}]}}}}));
    }

    /// A Service with one port.
    pub fn service(&self, namespace: &str, name: &str, port: u16) {
        self.create(
            "v1",
            "services",
            namespace,
            json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": port}]}}),
        );
    }
}

fn split(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}
