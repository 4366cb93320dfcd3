//! Objects for tests that install the Istio 1.23 operator by hand (what `istioctl operator init`
//! or the `istio-operator` chart would apply), written for kubesim's tests, plus IstioOperator
//! examples. Each piece can be left out or broken to show that a wrong setup never reconciles.

use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::store::Store;

/// Creates an object in the store, addressed by its own `apiVersion`, `kind` and namespace.
pub fn create(store: &Store, obj: &Value) -> ApiResult<Value> {
    let api = obj["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api.split_once('/').unwrap_or(("", api));
    let ns = obj["metadata"]["namespace"].as_str().unwrap_or_default();
    store.create(
        group,
        version,
        obj["kind"].as_str().unwrap_or_default(),
        ns,
        obj.clone(),
    )
}

/// The operator's ClusterRole rules, equivalent to the 1.23 chart's.
pub fn operator_rules() -> Value {
    let all = |groups: &[&str], resources: &[&str]| json!({"apiGroups": groups, "resources": resources, "verbs": ["*"]});
    json!([
        all(&["authentication.istio.io"], &["*"]),
        all(&["config.istio.io"], &["*"]),
        all(&["install.istio.io"], &["*"]),
        all(&["networking.istio.io"], &["*"]),
        all(&["security.istio.io"], &["*"]),
        all(&["telemetry.istio.io"], &["*"]),
        all(&["extensions.istio.io"], &["*"]),
        all(&["admissionregistration.k8s.io"], &["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]),
        all(&["apiextensions.k8s.io"], &["customresourcedefinitions.apiextensions.k8s.io", "customresourcedefinitions"]),
        all(&["apps", "extensions"], &["daemonsets", "deployments", "deployments/finalizers", "replicasets"]),
        all(&["autoscaling"], &["horizontalpodautoscalers"]),
        {"apiGroups": ["monitoring.coreos.com"], "resources": ["servicemonitors"], "verbs": ["get", "create", "update"]},
        all(&["policy"], &["poddisruptionbudgets"]),
        all(&["rbac.authorization.k8s.io"], &["clusterrolebindings", "clusterroles", "roles", "rolebindings"]),
        {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["get", "create", "update"]},
        all(&[""], &["configmaps", "endpoints", "events", "namespaces", "pods", "pods/proxy", "pods/portforward",
                     "persistentvolumeclaims", "secrets", "services", "serviceaccounts", "resourcequotas"]),
    ])
}

/// The IstioOperator CRD (install.istio.io/v1alpha1, status subresource), as the chart ships it.
pub fn iop_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "istiooperators.install.istio.io", "labels": {"release": "istio"}},
        "spec": {
            "conversion": {"strategy": "None"},
            "group": "install.istio.io",
            "names": {"kind": "IstioOperator", "listKind": "IstioOperatorList", "plural": "istiooperators",
                      "singular": "istiooperator", "shortNames": ["iop", "io"]},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1alpha1", "served": true, "storage": true,
                "subresources": {"status": {}},
                "additionalPrinterColumns": [
                    {"description": "Istio control plane revision", "jsonPath": ".spec.revision", "name": "Revision", "type": "string"},
                    {"description": "IOP current state", "jsonPath": ".status.status", "name": "Status", "type": "string"},
                    {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"}],
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}
            }]
        }
    })
}

/// Which parts of the operator install to write, and how.
#[derive(Debug, Clone)]
pub struct OperatorSetup {
    /// Namespace of the operator (`istio-operator`).
    pub namespace: String,
    /// Operator image (`docker.io/istio/operator:1.23.0`).
    pub image: String,
    /// `WATCH_NAMESPACE`.
    pub watch: String,
    /// Write the ClusterRoleBinding.
    pub binding: bool,
}

impl Default for OperatorSetup {
    fn default() -> Self {
        OperatorSetup {
            namespace: "istio-operator".into(),
            image: "docker.io/istio/operator:1.23.0".into(),
            watch: "istio-system".into(),
            binding: true,
        }
    }
}

impl OperatorSetup {
    /// The objects in apply order: CRD, Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding,
    /// Deployment (as the 1.23 chart renders them).
    pub fn objects(&self) -> Vec<Value> {
        let ns = &self.namespace;
        let mut out = vec![
            iop_crd(),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "istio-operator", "namespace": ns}}),
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                   "metadata": {"name": "istio-operator"}, "rules": operator_rules()}),
        ];
        if self.binding {
            out.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                "metadata": {"name": "istio-operator"},
                "subjects": [{"kind": "ServiceAccount", "name": "istio-operator", "namespace": ns}],
                "roleRef": {"kind": "ClusterRole", "name": "istio-operator", "apiGroup": "rbac.authorization.k8s.io"}}));
        }
        out.push(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istio-operator", "namespace": ns},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"name": "istio-operator"}},
                "template": {
                    "metadata": {"labels": {"name": "istio-operator"}},
                    "spec": {
                        "serviceAccountName": "istio-operator",
                        "containers": [{
                            "name": "istio-operator",
                            "image": self.image,
                            "command": ["operator", "server", "--monitoring-host=127.0.0.1", "--monitoring-port=15014"],
                            "env": [
                                {"name": "WATCH_NAMESPACE", "value": self.watch},
                                {"name": "LEADER_ELECTION_NAMESPACE", "value": ns},
                                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                {"name": "OPERATOR_NAME", "value": ns},
                                {"name": "WAIT_FOR_RESOURCES_TIMEOUT", "value": "300s"},
                                {"name": "REVISION", "value": ""},
                            ]
                        }]
                    }
                }
            }
        }));
        out
    }
}

/// An IstioOperator object.
pub fn istio_operator(namespace: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
           "metadata": {"name": name, "namespace": namespace}, "spec": spec})
}
