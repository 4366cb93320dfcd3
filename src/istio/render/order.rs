//! istioctl's print order: CRDs first, then identities and RBAC, webhooks, config, workloads,
//! autoscalers, Services last; within a rank by API group, kind and name (a stable sort, so
//! objects that tie keep the component order).

use super::Object;

/// The rank of a kind (lower prints first).
pub fn rank(kind: &str) -> i32 {
    match kind {
        "CustomResourceDefinition" => -1000,
        "ServiceAccount" | "ClusterRole" => 1,
        "ClusterRoleBinding" => 2,
        "ValidatingWebhookConfiguration" => 3,
        "ConfigMap" => 100,
        "Deployment" => 1000,
        "HorizontalPodAutoscaler" => 1001,
        "Service" => 10000,
        _ => 1000,
    }
}

/// The API group of an object (`apps` for `apps/v1`, empty for `v1`).
pub fn group(api_version: &str) -> &str {
    match api_version.rsplit_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

pub fn sort(objects: &mut [Object]) {
    objects.sort_by(|a, b| {
        let key = |o: &Object| {
            let api = o
                .value
                .get("apiVersion")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string();
            (
                rank(o.kind()),
                group(&api).to_string(),
                o.kind().to_string(),
                o.name().to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istio::render::components::ALL;
    use serde_json::json;

    #[test]
    fn crds_first_services_last_then_group_kind_name() {
        let mk = |api: &str, kind: &str, name: &str| Object {
            component: &ALL[0],
            namespace: "ns".into(),
            value: json!({"apiVersion": api, "kind": kind, "metadata": {"name": name}}),
        };
        let mut objects = vec![
            mk("v1", "Service", "a"),
            mk("apps/v1", "Deployment", "b"),
            mk("policy/v1", "PodDisruptionBudget", "a"),
            mk("apps/v1", "Deployment", "a"),
            mk("v1", "ConfigMap", "z"),
            mk("apiextensions.k8s.io/v1", "CustomResourceDefinition", "x"),
            mk("v1", "ServiceAccount", "s"),
            mk("rbac.authorization.k8s.io/v1", "ClusterRole", "r"),
        ];
        sort(&mut objects);
        let got: Vec<String> = objects
            .iter()
            .map(|o| format!("{}/{}", o.kind(), o.name()))
            .collect();
        assert_eq!(
            got,
            [
                "CustomResourceDefinition/x",
                "ServiceAccount/s",
                "ClusterRole/r",
                "ConfigMap/z",
                "Deployment/a",
                "Deployment/b",
                "PodDisruptionBudget/a",
                "Service/a"
            ]
        );
    }
}
