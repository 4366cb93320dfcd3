//! Does a ServiceAccount hold, through ClusterRoleBindings, what the Istio operator needs?
//!
//! The needs below are the important grants of the 1.23 operator chart's ClusterRole: the operator
//! watches IstioOperators and writes their status, and creates Deployments, Services, ConfigMaps,
//! ServiceAccounts, RBAC, webhooks, CRDs, PodDisruptionBudgets and HPAs; it also takes a lease for
//! leader election and records events.

use serde_json::Value;

/// One permission: API group, resource (or `resource/subresource`) and verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// API group (`""` = core).
    pub group: &'static str,
    /// Resource plural.
    pub resource: &'static str,
    /// Verbs needed.
    pub verbs: &'static [&'static str],
}

const RW: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];

/// What the operator needs to run.
pub const OPERATOR_NEEDS: &[Need] = &[
    Need {
        group: "install.istio.io",
        resource: "istiooperators",
        verbs: &["get", "list", "watch", "update", "patch"],
    },
    Need {
        group: "install.istio.io",
        resource: "istiooperators/status",
        verbs: &["update", "patch"],
    },
    Need {
        group: "networking.istio.io",
        resource: "envoyfilters",
        verbs: RW,
    },
    Need {
        group: "apps",
        resource: "deployments",
        verbs: RW,
    },
    Need {
        group: "apps",
        resource: "daemonsets",
        verbs: RW,
    },
    Need {
        group: "",
        resource: "services",
        verbs: RW,
    },
    Need {
        group: "",
        resource: "configmaps",
        verbs: RW,
    },
    Need {
        group: "",
        resource: "serviceaccounts",
        verbs: RW,
    },
    Need {
        group: "",
        resource: "secrets",
        verbs: RW,
    },
    Need {
        group: "",
        resource: "namespaces",
        verbs: &["get", "list", "watch"],
    },
    Need {
        group: "",
        resource: "pods",
        verbs: &["get", "list", "watch"],
    },
    Need {
        group: "",
        resource: "events",
        verbs: &["create"],
    },
    Need {
        group: "admissionregistration.k8s.io",
        resource: "mutatingwebhookconfigurations",
        verbs: RW,
    },
    Need {
        group: "admissionregistration.k8s.io",
        resource: "validatingwebhookconfigurations",
        verbs: RW,
    },
    Need {
        group: "apiextensions.k8s.io",
        resource: "customresourcedefinitions",
        verbs: RW,
    },
    Need {
        group: "rbac.authorization.k8s.io",
        resource: "clusterroles",
        verbs: RW,
    },
    Need {
        group: "rbac.authorization.k8s.io",
        resource: "clusterrolebindings",
        verbs: RW,
    },
    Need {
        group: "rbac.authorization.k8s.io",
        resource: "roles",
        verbs: RW,
    },
    Need {
        group: "rbac.authorization.k8s.io",
        resource: "rolebindings",
        verbs: RW,
    },
    Need {
        group: "policy",
        resource: "poddisruptionbudgets",
        verbs: RW,
    },
    Need {
        group: "autoscaling",
        resource: "horizontalpodautoscalers",
        verbs: RW,
    },
    Need {
        group: "coordination.k8s.io",
        resource: "leases",
        verbs: &["get", "create", "update"],
    },
];

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn rule_allows(rule: &Value, group: &str, resource: &str, verb: &str) -> bool {
    let groups = strings(&rule["apiGroups"]);
    let resources = strings(&rule["resources"]);
    let verbs = strings(&rule["verbs"]);
    let group_ok = groups.iter().any(|g| *g == "*" || *g == group);
    let resource_ok = resources.iter().any(|r| {
        *r == "*"
            || *r == resource
            || (!group.is_empty() && *r == format!("{resource}.{group}"))
            || r.strip_suffix("/*")
                .is_some_and(|base| resource.split('/').next() == Some(base))
    });
    let verb_ok = verbs.iter().any(|v| *v == "*" || *v == verb);
    group_ok && resource_ok && verb_ok
}

/// The needs (with the verbs missing) that `rules` do not grant.
pub fn missing(rules: &[Value], needs: &[Need]) -> Vec<(Need, Vec<&'static str>)> {
    needs
        .iter()
        .filter_map(|need| {
            let lacking: Vec<&'static str> = need
                .verbs
                .iter()
                .copied()
                .filter(|verb| {
                    !rules
                        .iter()
                        .any(|r| rule_allows(r, need.group, need.resource, verb))
                })
                .collect();
            (!lacking.is_empty()).then_some((*need, lacking))
        })
        .collect()
}

fn subject_is(subject: &Value, namespace: &str, service_account: &str) -> bool {
    let kind = subject["kind"].as_str().unwrap_or_default();
    let name = subject["name"].as_str().unwrap_or_default();
    match kind {
        "ServiceAccount" => {
            name == service_account
                && subject["namespace"].as_str().unwrap_or_default() == namespace
        }
        "User" => name == format!("system:serviceaccount:{namespace}:{service_account}"),
        "Group" => {
            name == "system:serviceaccounts"
                || name == format!("system:serviceaccounts:{namespace}")
        }
        _ => false,
    }
}

/// Every rule granted cluster-wide to `namespace/service_account` by `bindings` (ClusterRoleBindings)
/// over `roles` (ClusterRoles). Bindings to roles that do not exist grant nothing.
pub fn granted_rules(
    bindings: &[Value],
    roles: &[Value],
    namespace: &str,
    service_account: &str,
) -> Vec<Value> {
    let mut out = Vec::new();
    for binding in bindings {
        let subjects = binding["subjects"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !subjects
            .iter()
            .any(|s| subject_is(s, namespace, service_account))
        {
            continue;
        }
        if binding["roleRef"]["kind"].as_str() != Some("ClusterRole") {
            continue;
        }
        let role_name = binding["roleRef"]["name"].as_str().unwrap_or_default();
        if let Some(role) = roles
            .iter()
            .find(|r| r["metadata"]["name"].as_str() == Some(role_name))
            && let Some(rules) = role["rules"].as_array()
        {
            out.extend(rules.iter().cloned());
        }
    }
    out
}

/// A one-line description of what is missing, e.g. `apps deployments (create, delete)`.
pub fn describe(missing: &[(Need, Vec<&'static str>)]) -> String {
    missing
        .iter()
        .map(|(need, verbs)| {
            let group = if need.group.is_empty() {
                "core"
            } else {
                need.group
            };
            format!("{group} {} ({})", need.resource, verbs.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The rules of the 1.23 operator chart's ClusterRole, read from the shared fixture.
    fn chart_rules() -> Option<Vec<Value>> {
        let path = crate::testkit::fixture(
            "istio/operator-1.23.0/charts/istio-operator/templates/clusterrole.yaml",
        )?;
        let text = std::fs::read_to_string(path).unwrap();
        // The template has one Go-template expression (the name); the rules are plain YAML.
        let body: String = text
            .lines()
            .filter(|l| !l.contains("{{") && !l.starts_with("---"))
            .collect::<Vec<_>>()
            .join("\n");
        let role: Value = serde_saphyr::from_str(&body).unwrap();
        Some(role["rules"].as_array().unwrap().clone())
    }

    #[test]
    fn the_real_chart_clusterrole_grants_everything_the_operator_needs() {
        let Some(rules) = chart_rules() else { return };
        assert_eq!(missing(&rules, OPERATOR_NEEDS), vec![]);
    }

    #[test]
    fn dropping_a_chart_rule_is_noticed() {
        let Some(rules) = chart_rules() else { return };
        let without_apps: Vec<Value> = rules
            .iter()
            .filter(|r| !strings(&r["apiGroups"]).contains(&"apps"))
            .cloned()
            .collect();
        let gone = missing(&without_apps, OPERATOR_NEEDS);
        assert!(
            describe(&gone)
                .contains("apps deployments (get, list, watch, create, update, patch, delete)"),
            "{}",
            describe(&gone)
        );
        let read_only: Vec<Value> = rules
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r["verbs"] = json!(["get", "list", "watch"]);
                r
            })
            .collect();
        assert!(
            describe(&missing(&read_only, OPERATOR_NEEDS))
                .contains("install.istio.io istiooperators/status (update, patch)")
        );
    }

    #[test]
    fn a_cluster_admin_style_rule_grants_everything() {
        let rules = vec![json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]})];
        assert!(missing(&rules, OPERATOR_NEEDS).is_empty());
    }

    #[test]
    fn only_bindings_naming_the_service_account_count() {
        let roles = vec![
            json!({"metadata": {"name": "admin"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}),
            json!({"metadata": {"name": "view"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}),
        ];
        let binding = |sa: &str, ns: &str, role: &str| {
            json!({"roleRef": {"kind": "ClusterRole", "name": role, "apiGroup": "rbac.authorization.k8s.io"},
                   "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}]})
        };
        let bindings = vec![
            binding("istio-operator", "istio-operator", "admin"),
            binding("other", "istio-operator", "view"),
        ];
        assert_eq!(
            granted_rules(&bindings, &roles, "istio-operator", "istio-operator").len(),
            1
        );
        assert!(granted_rules(&bindings, &roles, "elsewhere", "istio-operator").is_empty());
        assert!(
            granted_rules(
                &[binding("istio-operator", "istio-operator", "missing-role")],
                &roles,
                "istio-operator",
                "istio-operator"
            )
            .is_empty()
        );
        let group = json!({"roleRef": {"kind": "ClusterRole", "name": "admin"}, "subjects": [{"kind": "Group", "name": "system:serviceaccounts:istio-operator"}]});
        assert_eq!(
            granted_rules(&[group], &roles, "istio-operator", "x").len(),
            1
        );
    }

    #[test]
    fn qualified_and_wildcard_subresource_names_match() {
        let rules = vec![
            json!({"apiGroups": ["apiextensions.k8s.io"], "resources": ["customresourcedefinitions.apiextensions.k8s.io"], "verbs": ["*"]}),
            json!({"apiGroups": ["install.istio.io"], "resources": ["istiooperators", "istiooperators/*"], "verbs": ["*"]}),
        ];
        let needs = &OPERATOR_NEEDS[..2];
        assert!(missing(&rules, needs).is_empty());
        let crd = OPERATOR_NEEDS
            .iter()
            .find(|n| n.resource == "customresourcedefinitions")
            .copied()
            .unwrap();
        assert!(missing(&rules, &[crd]).is_empty());
    }
}
