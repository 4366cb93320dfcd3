//! The direct install of Istio 1.24+ (no operator): what to apply in which order, the owner
//! labels that mark every object as part of the installation (as istioctl labels them), what to
//! wait for before the next component, and which labelled objects are no longer rendered (prune).
//! Pure logic; the cluster side is in `commands/install_direct.rs`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::render::{ComponentDef, Generated};

/// The IstioOperator an object belongs to.
pub const OWNING_RESOURCE: &str = "install.operator.istio.io/owning-resource";
/// Its namespace.
pub const OWNING_NAMESPACE: &str = "install.operator.istio.io/owning-resource-namespace";
/// The component (`Base`, `Pilot`, `IngressGateways`, ...).
pub const COMPONENT: &str = "operator.istio.io/component";
/// `Reconcile`: the installer owns the object.
pub const MANAGED: &str = "operator.istio.io/managed";
/// The Istio version installed.
pub const VERSION: &str = "operator.istio.io/version";
/// The name istioctl gives an installation whose IstioOperator has none.
pub const DEFAULT_NAME: &str = "installed-state";

/// Components in install order: base (CRDs) first, then istiod, then the node agents, then the
/// gateways, which need istiod to inject their proxies' configuration.
pub const INSTALL_ORDER: &[&str] = &[
    "Base",
    "Pilot",
    "Cni",
    "Ztunnel",
    "IngressGateways",
    "EgressGateways",
];

/// Kinds a direct install may own, scanned for pruning, verify-install and uninstall (besides
/// the kinds of the current render). (apiVersion, kind)
pub const OWNED_KINDS: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
    ),
    ("apps/v1", "Deployment"),
    ("apps/v1", "DaemonSet"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
];

/// Who owns the installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub name: String,
    pub namespace: String,
    /// The Istio version (the images' tag), for the version label.
    pub version: Option<String>,
}

impl Owner {
    /// From the merged IstioOperator.
    pub fn of(generated: &Generated) -> Owner {
        let m = &generated.merged;
        let text = |p: &str| {
            m.pointer(p)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        Owner {
            name: text("/metadata/name").unwrap_or(DEFAULT_NAME).to_string(),
            namespace: text("/metadata/namespace")
                .unwrap_or("istio-system")
                .to_string(),
            version: match m.pointer("/spec/values/global/tag") {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
        }
    }

    /// The label selector that finds this installation's objects.
    pub fn selector(&self) -> String {
        format!(
            "{OWNING_RESOURCE}={},{OWNING_NAMESPACE}={}",
            self.name, self.namespace
        )
    }
}

/// Labels for one object of `component`.
pub fn owner_labels(owner: &Owner, component: &ComponentDef) -> Vec<(&'static str, String)> {
    let mut labels = vec![
        (OWNING_RESOURCE, owner.name.clone()),
        (OWNING_NAMESPACE, owner.namespace.clone()),
        (COMPONENT, component.name.to_string()),
        (MANAGED, "Reconcile".to_string()),
    ];
    if let Some(v) = &owner.version
        && is_label_value(v)
    {
        labels.push((VERSION, v.clone()));
    }
    labels
}

fn is_label_value(v: &str) -> bool {
    v.len() <= 63
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Adds the owner labels to an object.
pub fn label(obj: &mut Value, labels: &[(&'static str, String)]) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    let meta = o
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    let meta = meta.as_object_mut().expect("a mapping");
    let l = meta
        .entry("labels")
        .or_insert_with(|| Value::Object(Map::new()));
    if !l.is_object() {
        *l = Value::Object(Map::new());
    }
    let l = l.as_object_mut().expect("a mapping");
    for (k, v) in labels {
        l.insert((*k).to_string(), Value::String(v.clone()));
    }
}

/// Something to wait for after a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFor {
    /// A CustomResourceDefinition is Established.
    Crd(String),
    Deployment {
        namespace: String,
        name: String,
    },
    DaemonSet {
        namespace: String,
        name: String,
    },
}

/// One component's objects, labelled, and what to wait for before the next phase.
#[derive(Debug, Clone)]
pub struct Phase {
    pub component: &'static ComponentDef,
    /// `Pilot`, `IngressGateways istio-ingressgateway`, ...
    pub title: String,
    pub objects: Vec<Value>,
    pub wait: Vec<WaitFor>,
}

/// The install plan: namespaces first, then each component in [`INSTALL_ORDER`].
#[derive(Debug, Clone)]
pub struct Plan {
    pub owner: Owner,
    /// Namespace objects for every component namespace (not owned: uninstall keeps them).
    pub namespaces: Vec<Value>,
    pub phases: Vec<Phase>,
}

impl Plan {
    /// Every object, in the order they are applied: namespaces, then each phase's.
    pub fn objects(&self) -> impl Iterator<Item = &Value> {
        self.namespaces
            .iter()
            .chain(self.phases.iter().flat_map(|p| p.objects.iter()))
    }
}

/// Splits the rendered objects into phases and labels them.
pub fn plan(generated: &Generated) -> Plan {
    let owner = Owner::of(generated);
    let mut namespaces = BTreeSet::new();
    for spec in &generated.components {
        namespaces.insert(spec.namespace.clone());
    }
    for o in &generated.objects {
        let ns = o.object_namespace();
        if !ns.is_empty() {
            namespaces.insert(ns.to_string());
        }
    }
    let mut phases = Vec::new();
    for name in INSTALL_ORDER {
        let objects: Vec<&super::render::Object> = generated
            .objects
            .iter()
            .filter(|o| o.component.name == *name)
            .collect();
        let Some(first) = objects.first() else {
            continue;
        };
        let component = first.component;
        let labels = owner_labels(&owner, component);
        let mut wait = Vec::new();
        let mut labelled = Vec::new();
        for o in objects {
            let mut value = o.value.clone();
            label(&mut value, &labels);
            let ns = match o.object_namespace() {
                "" => o.namespace.clone(),
                ns => ns.to_string(),
            };
            if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
                && o.kind() != "CustomResourceDefinition"
                && !is_cluster_scoped(o.kind())
            {
                meta.insert("namespace".into(), Value::String(ns.clone()));
            }
            match o.kind() {
                "CustomResourceDefinition" => wait.push(WaitFor::Crd(o.name().to_string())),
                "Deployment" => wait.push(WaitFor::Deployment {
                    namespace: ns,
                    name: o.name().to_string(),
                }),
                "DaemonSet" => wait.push(WaitFor::DaemonSet {
                    namespace: ns,
                    name: o.name().to_string(),
                }),
                _ => {}
            }
            labelled.push(value);
        }
        phases.push(Phase {
            component,
            title: component.title.to_string(),
            objects: labelled,
            wait,
        });
    }
    Plan {
        owner,
        namespaces: namespaces
            .into_iter()
            .map(|n| json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}))
            .collect(),
        phases,
    }
}

/// Kinds that live outside namespaces, in what Istio's charts render and in the workload
/// manifests rigger applies (used where no cluster is at hand to ask discovery).
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "CustomResourceDefinition"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "Namespace"
            | "PersistentVolume"
            | "PriorityClass"
            | "StorageClass"
    )
}

/// An object's identity: (apiVersion group, kind, namespace, name).
pub type Key = (String, String, String, String);

/// The identity of an object (the group only, so a version change is not a different object).
pub fn key_of(obj: &Value) -> Key {
    let s = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let api = s("/apiVersion");
    let group = api
        .rsplit_once('/')
        .map(|(g, _)| g.to_string())
        .unwrap_or_default();
    (
        group,
        s("/kind"),
        s("/metadata/namespace"),
        s("/metadata/name"),
    )
}

/// The live objects (found by the owner labels) that the plan no longer renders.
pub fn prune_candidates<'a>(plan: &Plan, live: &'a [Value]) -> Vec<&'a Value> {
    let wanted: BTreeSet<Key> = plan
        .phases
        .iter()
        .flat_map(|p| p.objects.iter().map(key_of))
        .collect();
    live.iter()
        .filter(|o| !wanted.contains(&key_of(o)))
        .collect()
}

/// Objects in the order to delete them: workloads and everything else first, RBAC, webhooks
/// and CRDs last (the reverse of the install order's dependencies).
pub fn deletion_order(objects: &mut [Value]) {
    let rank = |o: &Value| match o.get("kind").and_then(Value::as_str).unwrap_or("") {
        "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => 0,
        "Deployment" | "DaemonSet" => 1,
        "CustomResourceDefinition" => 4,
        "ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding" | "ServiceAccount" => 3,
        _ => 2,
    };
    objects.sort_by_key(|o| rank(o));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istio::render::{ALL_COMPONENTS, Object};

    fn obj(def: usize, api: &str, kind: &str, ns: &str, name: &str) -> Object {
        Object {
            component: &ALL_COMPONENTS[def],
            namespace: "istio-system".into(),
            value: json!({"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}}),
        }
    }

    fn generated(objects: Vec<Object>) -> Generated {
        Generated {
            merged: json!({"metadata": {"namespace": "istio-system"}, "spec": {"values": {"global": {"tag": "1.30.3"}}}}),
            components: Vec::new(),
            objects,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn phases_follow_install_order_with_labels_and_waits() {
        let g = generated(vec![
            obj(
                0,
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "",
                "a.istio.io",
            ),
            obj(
                2,
                "apps/v1",
                "Deployment",
                "istio-system",
                "istio-ingressgateway",
            ),
            obj(1, "apps/v1", "Deployment", "", "istiod"),
            obj(4, "apps/v1", "DaemonSet", "kube-system", "istio-cni-node"),
        ]);
        let plan = plan(&g);
        let titles: Vec<&str> = plan.phases.iter().map(|p| p.component.name).collect();
        assert_eq!(titles, ["Base", "Pilot", "Cni", "IngressGateways"]);
        assert_eq!(plan.phases[0].wait, [WaitFor::Crd("a.istio.io".into())]);
        assert_eq!(
            plan.phases[1].wait,
            [WaitFor::Deployment {
                namespace: "istio-system".into(),
                name: "istiod".into()
            }]
        );
        let istiod = &plan.phases[1].objects[0];
        assert_eq!(istiod["metadata"]["namespace"], "istio-system");
        assert_eq!(istiod["metadata"]["labels"][OWNING_RESOURCE], DEFAULT_NAME);
        assert_eq!(istiod["metadata"]["labels"][COMPONENT], "Pilot");
        assert_eq!(istiod["metadata"]["labels"][VERSION], "1.30.3");
        let crd = &plan.phases[0].objects[0];
        assert!(crd["metadata"].get("namespace").is_none() || crd["metadata"]["namespace"] == "");
        let ns: Vec<&str> = plan
            .namespaces
            .iter()
            .map(|n| n["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(ns, ["istio-system", "kube-system"]);
        assert_eq!(
            plan.owner.selector(),
            format!("{OWNING_RESOURCE}=installed-state,{OWNING_NAMESPACE}=istio-system")
        );
    }

    #[test]
    fn prune_finds_objects_no_longer_rendered() {
        let g = generated(vec![obj(
            1,
            "apps/v1",
            "Deployment",
            "istio-system",
            "istiod",
        )]);
        let plan = plan(&g);
        let live = vec![
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "istiod", "namespace": "istio-system"}}),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "istio-egressgateway", "namespace": "istio-system"}}),
        ];
        let gone = prune_candidates(&plan, &live);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0]["metadata"]["name"], "istio-egressgateway");
        let mut objs = vec![
            json!({"kind": "CustomResourceDefinition"}),
            json!({"kind": "ClusterRole"}),
            json!({"kind": "Deployment"}),
            json!({"kind": "MutatingWebhookConfiguration"}),
        ];
        deletion_order(&mut objs);
        let kinds: Vec<&str> = objs.iter().map(|o| o["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "MutatingWebhookConfiguration",
                "Deployment",
                "ClusterRole",
                "CustomResourceDefinition"
            ]
        );
    }
}
