//! The ClusterRole rules of the 1.23 operator chart (templates/clusterrole.yaml): everything in the
//! Istio API groups, and what the operator needs to create the control plane.

use serde_json::{Value, json};

pub fn rules() -> Value {
    let all = json!(["*"]);
    let mut rules: Vec<Value> = [
        "authentication.istio.io",
        "config.istio.io",
        "install.istio.io",
        "networking.istio.io",
        "security.istio.io",
        "telemetry.istio.io",
        "extensions.istio.io",
    ]
    .iter()
    .map(|group| json!({"apiGroups": [group], "resources": ["*"], "verbs": all}))
    .collect();
    rules.extend([
        json!({"apiGroups": ["admissionregistration.k8s.io"],
               "resources": ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], "verbs": all}),
        json!({"apiGroups": ["apiextensions.k8s.io"],
               "resources": ["customresourcedefinitions.apiextensions.k8s.io", "customresourcedefinitions"], "verbs": all}),
        json!({"apiGroups": ["apps", "extensions"],
               "resources": ["daemonsets", "deployments", "deployments/finalizers", "replicasets"], "verbs": all}),
        json!({"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": all}),
        json!({"apiGroups": ["monitoring.coreos.com"], "resources": ["servicemonitors"],
               "verbs": ["get", "create", "update"]}),
        json!({"apiGroups": ["policy"], "resources": ["poddisruptionbudgets"], "verbs": all}),
        json!({"apiGroups": ["rbac.authorization.k8s.io"],
               "resources": ["clusterrolebindings", "clusterroles", "roles", "rolebindings"], "verbs": all}),
        json!({"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
               "verbs": ["get", "create", "update"]}),
        json!({"apiGroups": [""],
               "resources": ["configmaps", "endpoints", "events", "namespaces", "pods", "pods/proxy",
                             "pods/portforward", "persistentvolumeclaims", "secrets", "services",
                             "serviceaccounts", "resourcequotas"],
               "verbs": all}),
    ]);
    Value::Array(rules)
}
