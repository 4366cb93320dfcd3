//! The in-cluster Istio operator (Istio <= 1.23): the resources `istioctl operator init` creates
//! from the 1.23 `istio-operator` chart, built here from typed options, and the version policy.

pub mod crd;
mod rbac;
pub mod version;

use serde_json::{Value, json};

pub use crd::istio_operator_crd;
pub use version::{DEFAULT_HUB, DEFAULT_TAG, TooNew, check_operator_tag};

pub const DEFAULT_OPERATOR_NAMESPACE: &str = "istio-operator";
pub const DEFAULT_WATCHED_NAMESPACES: &str = "istio-system";
/// The label the chart puts on the operator pods (and selects them by).
pub const POD_LABEL: (&str, &str) = ("name", "istio-operator");
/// The metrics port of the operator Service.
pub const METRICS_PORT: u16 = 8383;
const MONITORING_HOST: &str = "127.0.0.1";
const MONITORING_PORT: u16 = 15014;
const WAIT_FOR_RESOURCES_TIMEOUT: &str = "300s";
const DEPLOYMENT_HISTORY: u32 = 10;

/// The values `rigger operator init` accepts (those of `istioctl operator init`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorOptions {
    pub hub: String,
    pub tag: String,
    pub operator_namespace: String,
    /// Namespaces the operator watches for IstioOperator objects.
    pub watched_namespaces: Vec<String>,
    pub revision: Option<String>,
    pub image_pull_secrets: Vec<String>,
}

impl Default for OperatorOptions {
    fn default() -> Self {
        OperatorOptions {
            hub: DEFAULT_HUB.to_string(),
            tag: DEFAULT_TAG.to_string(),
            operator_namespace: DEFAULT_OPERATOR_NAMESPACE.to_string(),
            watched_namespaces: vec![DEFAULT_WATCHED_NAMESPACES.to_string()],
            revision: None,
            image_pull_secrets: Vec::new(),
        }
    }
}

impl OperatorOptions {
    /// `istio-operator`, or `istio-operator-<revision>`: the name of the ServiceAccount,
    /// ClusterRole(Binding), Deployment and Service.
    pub fn resource_name(&self) -> String {
        match self.revision.as_deref() {
            Some(rev) if !rev.is_empty() => format!("istio-operator-{rev}"),
            _ => "istio-operator".to_string(),
        }
    }

    pub fn image(&self) -> String {
        format!("{}/operator:{}", self.hub.trim_end_matches('/'), self.tag)
    }

    /// Every namespace init creates: the operator's own, then the watched ones.
    pub fn namespaces(&self) -> Vec<String> {
        let mut out = vec![self.operator_namespace.clone()];
        for ns in &self.watched_namespaces {
            if !out.contains(ns) {
                out.push(ns.clone());
            }
        }
        out
    }
}

/// All objects of the operator installation, in the order to apply them (namespaces and the CRD
/// first, the Deployment last but one).
pub fn resources(options: &OperatorOptions) -> Vec<Value> {
    let mut out: Vec<Value> = options
        .namespaces()
        .into_iter()
        .map(|name| json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}))
        .collect();
    out.push(istio_operator_crd());
    out.push(service_account(options));
    out.push(cluster_role(options));
    out.push(cluster_role_binding(options));
    out.push(deployment(options));
    out.push(service(options));
    out
}

pub fn service_account(options: &OperatorOptions) -> Value {
    let mut sa = json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"namespace": options.operator_namespace, "name": options.resource_name()},
    });
    if !options.image_pull_secrets.is_empty() {
        sa["imagePullSecrets"] = options
            .image_pull_secrets
            .iter()
            .map(|name| json!({"name": name}))
            .collect();
    }
    sa
}

pub fn cluster_role(options: &OperatorOptions) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": options.resource_name()},
        "rules": rbac::rules(),
    })
}

pub fn cluster_role_binding(options: &OperatorOptions) -> Value {
    let name = options.resource_name();
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": name},
        "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": options.operator_namespace}],
        "roleRef": {"kind": "ClusterRole", "name": name, "apiGroup": "rbac.authorization.k8s.io"},
    })
}

pub fn deployment(options: &OperatorOptions) -> Value {
    let name = options.resource_name();
    let ns = &options.operator_namespace;
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"namespace": ns, "name": name},
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": DEPLOYMENT_HISTORY,
            "selector": {"matchLabels": {POD_LABEL.0: POD_LABEL.1}},
            "template": {
                "metadata": {
                    "labels": {POD_LABEL.0: POD_LABEL.1},
                    "annotations": {
                        "prometheus.io/port": MONITORING_PORT.to_string(),
                        "prometheus.io/scrape": "true",
                    },
                },
                "spec": {
                    "serviceAccountName": name,
                    "containers": [{
                        "name": "istio-operator",
                        "image": options.image(),
                        "command": [
                            "operator",
                            "server",
                            format!("--monitoring-host={MONITORING_HOST}"),
                            format!("--monitoring-port={MONITORING_PORT}"),
                        ],
                        "securityContext": {
                            "allowPrivilegeEscalation": false,
                            "capabilities": {"drop": ["ALL"]},
                            "privileged": false,
                            "readOnlyRootFilesystem": true,
                            "runAsNonRoot": true,
                        },
                        "resources": {
                            "limits": {"cpu": "200m", "memory": "256Mi"},
                            "requests": {"cpu": "50m", "memory": "128Mi"},
                        },
                        "env": [
                            {"name": "WATCH_NAMESPACE", "value": options.watched_namespaces.join(",")},
                            {"name": "LEADER_ELECTION_NAMESPACE", "value": ns},
                            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                            {"name": "OPERATOR_NAME", "value": ns},
                            {"name": "WAIT_FOR_RESOURCES_TIMEOUT", "value": WAIT_FOR_RESOURCES_TIMEOUT},
                            {"name": "REVISION", "value": options.revision.clone().unwrap_or_default()},
                        ],
                    }],
                },
            },
        },
    })
}

pub fn service(options: &OperatorOptions) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "namespace": options.operator_namespace,
            "labels": {POD_LABEL.0: POD_LABEL.1},
            "name": options.resource_name(),
        },
        "spec": {
            "ports": [{"name": "http-metrics", "port": METRICS_PORT, "targetPort": METRICS_PORT, "protocol": "TCP"}],
            "selector": {POD_LABEL.0: POD_LABEL.1},
        },
    })
}

#[cfg(test)]
mod tests;
