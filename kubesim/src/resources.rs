//! The registry of served resources: the built-in kinds and those defined by CRDs.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

/// Where a `/scale` subresource reads and writes replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleSpec {
    /// JSON path of the desired replicas, e.g. `.spec.replicas`.
    pub spec_replicas: String,
    /// JSON path of the observed replicas, e.g. `.status.replicas`.
    pub status_replicas: String,
    /// JSON path of the label selector (a string, or a LabelSelector object for built-ins).
    pub label_selector: Option<String>,
}

/// An additional printer column (from a CRD) for Table output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterColumn {
    /// Column header.
    pub name: String,
    /// OpenAPI type (`string`, `integer`, `date`, ...).
    pub type_: String,
    /// Optional format.
    pub format: String,
    /// Description.
    pub description: String,
    /// 0 = always shown, >0 = shown with `-o wide`.
    pub priority: i64,
    /// JSON path (`.spec.replicas`).
    pub json_path: String,
}

/// One served resource in one group-version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDef {
    /// API group (`""` for core).
    pub group: String,
    /// Version served at this entry.
    pub version: String,
    /// Version objects are stored in (the CRD storage version; for built-ins the same as `version`).
    pub storage_version: String,
    /// Plural resource name (URL segment).
    pub plural: String,
    /// Singular name.
    pub singular: String,
    /// Kind.
    pub kind: String,
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
    /// Short names (`deploy`, `po`).
    pub short_names: Vec<String>,
    /// Categories (`all`).
    pub categories: Vec<String>,
    /// Verbs.
    pub verbs: Vec<String>,
    /// Has a `/status` subresource.
    pub status: bool,
    /// Has a `/scale` subresource.
    pub scale: Option<ScaleSpec>,
    /// Has a `/log` subresource (pods).
    pub log: bool,
    /// Defined by a CRD (no strategic merge patch).
    pub custom: bool,
    /// Create-only review kinds that are answered and never stored (SelfSubjectAccessReview ...).
    pub virtual_create: bool,
    /// Additional printer columns (CRDs).
    pub columns: Vec<PrinterColumn>,
}

impl ResourceDef {
    /// `group/version` or `version` for the core group.
    pub fn api_version(&self) -> String {
        api_version(&self.group, &self.version)
    }

    /// The apiVersion objects are stored with.
    pub fn storage_api_version(&self) -> String {
        api_version(&self.group, &self.storage_version)
    }

    /// `deployments.apps` style name.
    pub fn qualified(&self) -> String {
        crate::error::qualified(&self.plural, &self.group)
    }

    /// True when `name` names this resource: plural, singular, kind (any case) or a short name.
    pub fn answers_to(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.plural == lower
            || self.singular == lower
            || self.kind.eq_ignore_ascii_case(name)
            || self.short_names.contains(&lower)
    }
}

/// `group/version`, or just `version` for the core group.
pub fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// Splits an apiVersion into (group, version).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

const STANDARD_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

struct Builtin {
    gv: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    shorts: &'static [&'static str],
    all: bool,
    status: bool,
    scale: bool,
    create_only: bool,
}

const fn r(
    gv: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
) -> Builtin {
    Builtin {
        gv,
        plural,
        kind,
        namespaced,
        shorts: &[],
        all: false,
        status: false,
        scale: false,
        create_only: false,
    }
}

impl Builtin {
    const fn short(mut self, s: &'static [&'static str]) -> Self {
        self.shorts = s;
        self
    }
    const fn all(mut self) -> Self {
        self.all = true;
        self
    }
    const fn status(mut self) -> Self {
        self.status = true;
        self
    }
    const fn scale(mut self) -> Self {
        self.scale = true;
        self
    }
    const fn create_only(mut self) -> Self {
        self.create_only = true;
        self
    }
}

const NS: bool = true;
const CLUSTER: bool = false;

const BUILTINS: &[Builtin] = &[
    r("v1", "bindings", "Binding", NS).create_only(),
    r("v1", "componentstatuses", "ComponentStatus", CLUSTER).short(&["cs"]),
    r("v1", "configmaps", "ConfigMap", NS).short(&["cm"]),
    r("v1", "endpoints", "Endpoints", NS).short(&["ep"]),
    r("v1", "events", "Event", NS).short(&["ev"]),
    r("v1", "limitranges", "LimitRange", NS).short(&["limits"]),
    r("v1", "namespaces", "Namespace", CLUSTER)
        .short(&["ns"])
        .status(),
    r("v1", "nodes", "Node", CLUSTER).short(&["no"]).status(),
    r("v1", "persistentvolumeclaims", "PersistentVolumeClaim", NS)
        .short(&["pvc"])
        .status(),
    r("v1", "persistentvolumes", "PersistentVolume", CLUSTER)
        .short(&["pv"])
        .status(),
    r("v1", "pods", "Pod", NS).short(&["po"]).all().status(),
    r("v1", "podtemplates", "PodTemplate", NS),
    r("v1", "replicationcontrollers", "ReplicationController", NS)
        .short(&["rc"])
        .all()
        .status()
        .scale(),
    r("v1", "resourcequotas", "ResourceQuota", NS)
        .short(&["quota"])
        .status(),
    r("v1", "secrets", "Secret", NS),
    r("v1", "serviceaccounts", "ServiceAccount", NS).short(&["sa"]),
    r("v1", "services", "Service", NS)
        .short(&["svc"])
        .all()
        .status(),
    r(
        "apiregistration.k8s.io/v1",
        "apiservices",
        "APIService",
        CLUSTER,
    )
    .status(),
    r("apps/v1", "controllerrevisions", "ControllerRevision", NS),
    r("apps/v1", "daemonsets", "DaemonSet", NS)
        .short(&["ds"])
        .all()
        .status(),
    r("apps/v1", "deployments", "Deployment", NS)
        .short(&["deploy"])
        .all()
        .status()
        .scale(),
    r("apps/v1", "replicasets", "ReplicaSet", NS)
        .short(&["rs"])
        .all()
        .status()
        .scale(),
    r("apps/v1", "statefulsets", "StatefulSet", NS)
        .short(&["sts"])
        .all()
        .status()
        .scale(),
    r(
        "authentication.k8s.io/v1",
        "selfsubjectreviews",
        "SelfSubjectReview",
        CLUSTER,
    )
    .create_only(),
    r(
        "authentication.k8s.io/v1",
        "tokenreviews",
        "TokenReview",
        CLUSTER,
    )
    .create_only(),
    r(
        "authorization.k8s.io/v1",
        "localsubjectaccessreviews",
        "LocalSubjectAccessReview",
        NS,
    )
    .create_only(),
    r(
        "authorization.k8s.io/v1",
        "selfsubjectaccessreviews",
        "SelfSubjectAccessReview",
        CLUSTER,
    )
    .create_only(),
    r(
        "authorization.k8s.io/v1",
        "selfsubjectrulesreviews",
        "SelfSubjectRulesReview",
        CLUSTER,
    )
    .create_only(),
    r(
        "authorization.k8s.io/v1",
        "subjectaccessreviews",
        "SubjectAccessReview",
        CLUSTER,
    )
    .create_only(),
    r(
        "autoscaling/v2",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        NS,
    )
    .short(&["hpa"])
    .all()
    .status(),
    r(
        "autoscaling/v1",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        NS,
    )
    .short(&["hpa"])
    .all()
    .status(),
    r("batch/v1", "cronjobs", "CronJob", NS)
        .short(&["cj"])
        .all()
        .status(),
    r("batch/v1", "jobs", "Job", NS).all().status(),
    r(
        "certificates.k8s.io/v1",
        "certificatesigningrequests",
        "CertificateSigningRequest",
        CLUSTER,
    )
    .short(&["csr"])
    .status(),
    r("coordination.k8s.io/v1", "leases", "Lease", NS),
    r("discovery.k8s.io/v1", "endpointslices", "EndpointSlice", NS),
    r("events.k8s.io/v1", "events", "Event", NS).short(&["ev"]),
    r(
        "networking.k8s.io/v1",
        "ingressclasses",
        "IngressClass",
        CLUSTER,
    ),
    r("networking.k8s.io/v1", "ingresses", "Ingress", NS)
        .short(&["ing"])
        .status(),
    r(
        "networking.k8s.io/v1",
        "networkpolicies",
        "NetworkPolicy",
        NS,
    )
    .short(&["netpol"]),
    r("node.k8s.io/v1", "runtimeclasses", "RuntimeClass", CLUSTER),
    r(
        "policy/v1",
        "poddisruptionbudgets",
        "PodDisruptionBudget",
        NS,
    )
    .short(&["pdb"])
    .status(),
    r(
        "rbac.authorization.k8s.io/v1",
        "clusterrolebindings",
        "ClusterRoleBinding",
        CLUSTER,
    ),
    r(
        "rbac.authorization.k8s.io/v1",
        "clusterroles",
        "ClusterRole",
        CLUSTER,
    ),
    r(
        "rbac.authorization.k8s.io/v1",
        "rolebindings",
        "RoleBinding",
        NS,
    ),
    r("rbac.authorization.k8s.io/v1", "roles", "Role", NS),
    r(
        "scheduling.k8s.io/v1",
        "priorityclasses",
        "PriorityClass",
        CLUSTER,
    )
    .short(&["pc"]),
    r("storage.k8s.io/v1", "csidrivers", "CSIDriver", CLUSTER),
    r("storage.k8s.io/v1", "csinodes", "CSINode", CLUSTER),
    r(
        "storage.k8s.io/v1",
        "storageclasses",
        "StorageClass",
        CLUSTER,
    )
    .short(&["sc"]),
    r(
        "storage.k8s.io/v1",
        "volumeattachments",
        "VolumeAttachment",
        CLUSTER,
    )
    .status(),
    r(
        "admissionregistration.k8s.io/v1",
        "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration",
        CLUSTER,
    ),
    r(
        "admissionregistration.k8s.io/v1",
        "validatingadmissionpolicies",
        "ValidatingAdmissionPolicy",
        CLUSTER,
    )
    .status(),
    r(
        "admissionregistration.k8s.io/v1",
        "validatingadmissionpolicybindings",
        "ValidatingAdmissionPolicyBinding",
        CLUSTER,
    ),
    r(
        "admissionregistration.k8s.io/v1",
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
        CLUSTER,
    ),
    r(
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        CLUSTER,
    )
    .short(&["crd", "crds"])
    .status(),
];

fn builtin_defs() -> Vec<Arc<ResourceDef>> {
    BUILTINS
        .iter()
        .map(|b| {
            let (group, version) = split_api_version(b.gv);
            let verbs: Vec<String> = if b.create_only {
                vec!["create".to_string()]
            } else {
                STANDARD_VERBS.iter().map(|v| v.to_string()).collect()
            };
            let scale = b.scale.then(|| ScaleSpec {
                spec_replicas: ".spec.replicas".to_string(),
                status_replicas: ".status.replicas".to_string(),
                label_selector: Some(".spec.selector".to_string()),
            });
            Arc::new(ResourceDef {
                group: group.to_string(),
                version: version.to_string(),
                storage_version: version.to_string(),
                plural: b.plural.to_string(),
                singular: b.kind.to_ascii_lowercase(),
                kind: b.kind.to_string(),
                namespaced: b.namespaced,
                short_names: b.shorts.iter().map(|s| s.to_string()).collect(),
                categories: if b.all {
                    vec!["all".to_string()]
                } else {
                    Vec::new()
                },
                verbs,
                status: b.status,
                scale,
                log: b.plural == "pods" && group.is_empty(),
                custom: false,
                virtual_create: b.create_only,
                columns: Vec::new(),
            })
        })
        .collect()
}

/// Kubernetes version priority: GA > beta > alpha, higher numbers first, non-matching last.
pub fn version_priority(v: &str) -> (u8, i64, i64, String) {
    let parse = |s: &str| -> Option<(u8, i64, i64)> {
        let rest = s.strip_prefix('v')?;
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let major: i64 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((0, -major, 0));
        }
        for (prefix, rank) in [("beta", 1u8), ("alpha", 2u8)] {
            if let Some(n) = tail.strip_prefix(prefix) {
                let minor: i64 = if n.is_empty() { 0 } else { n.parse().ok()? };
                return Some((rank, -major, -minor));
            }
        }
        None
    };
    match parse(v) {
        Some((rank, major, minor)) => (rank, major, minor, String::new()),
        None => (3, 0, 0, v.to_string()),
    }
}

/// A served API group with its versions, preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// Group name (`""` for core).
    pub name: String,
    /// Versions, preferred first.
    pub versions: Vec<String>,
}

/// All served resources. Lives inside the store's state so CRD changes and objects stay consistent.
#[derive(Debug, Clone)]
pub struct Registry {
    builtins: Vec<Arc<ResourceDef>>,
    crds: BTreeMap<String, Vec<Arc<ResourceDef>>>,
    /// Bumped whenever the set of served resources changes (OpenAPI hashes follow it).
    pub generation: u64,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            builtins: builtin_defs(),
            crds: BTreeMap::new(),
            generation: 1,
        }
    }
}

impl Registry {
    /// Every served resource entry (one per group-version).
    pub fn all(&self) -> impl Iterator<Item = &Arc<ResourceDef>> {
        self.builtins.iter().chain(self.crds.values().flatten())
    }

    /// The entry for (group, version, plural).
    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<Arc<ResourceDef>> {
        self.all()
            .find(|d| d.group == group && d.version == version && d.plural == plural)
            .cloned()
    }

    /// Resolves a resource by group, optional version and any of its names (plural, singular,
    /// kind, short name). Without a version the group's preferred version is used.
    pub fn resolve(
        &self,
        group: &str,
        version: Option<&str>,
        name: &str,
    ) -> Option<Arc<ResourceDef>> {
        let mut candidates: Vec<&Arc<ResourceDef>> = self
            .all()
            .filter(|d| {
                d.group == group && version.is_none_or(|v| d.version == v) && d.answers_to(name)
            })
            .collect();
        candidates.sort_by_key(|d| version_priority(&d.version));
        candidates.first().map(|d| (*d).clone())
    }

    /// Served groups: built-in groups in registration order, then CRD groups by name.
    pub fn groups(&self) -> Vec<GroupInfo> {
        let mut out: Vec<GroupInfo> = Vec::new();
        let mut push = |d: &ResourceDef| match out.iter_mut().find(|g| g.name == d.group) {
            Some(g) => {
                if !g.versions.contains(&d.version) {
                    g.versions.push(d.version.clone());
                }
            }
            None => out.push(GroupInfo {
                name: d.group.clone(),
                versions: vec![d.version.clone()],
            }),
        };
        for d in &self.builtins {
            push(d);
        }
        let mut crd_defs: Vec<&Arc<ResourceDef>> = self.crds.values().flatten().collect();
        crd_defs.sort_by(|a, b| a.group.cmp(&b.group));
        for d in crd_defs {
            push(d);
        }
        for g in &mut out {
            g.versions.sort_by_key(|v| version_priority(v));
        }
        out
    }

    /// Resources served at group/version.
    pub fn resources_in(&self, group: &str, version: &str) -> Vec<Arc<ResourceDef>> {
        let mut v: Vec<Arc<ResourceDef>> = self
            .all()
            .filter(|d| d.group == group && d.version == version)
            .cloned()
            .collect();
        v.sort_by(|a, b| a.plural.cmp(&b.plural));
        v
    }

    /// Registers (or re-registers) the resources of a CRD object. Returns the defs now served.
    pub fn set_crd(&mut self, crd: &Value) -> Vec<Arc<ResourceDef>> {
        let name = crd["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let defs = crd_defs(crd);
        self.crds.insert(name, defs.clone());
        self.generation += 1;
        defs
    }

    /// Removes a CRD's resources. Returns what it served.
    pub fn remove_crd(&mut self, name: &str) -> Vec<Arc<ResourceDef>> {
        self.generation += 1;
        self.crds.remove(name).unwrap_or_default()
    }

    /// True when (group, plural) is served by a builtin or by a CRD other than `crd_name`.
    pub fn is_taken(&self, group: &str, plural: &str, crd_name: &str) -> bool {
        self.builtins
            .iter()
            .any(|d| d.group == group && d.plural == plural)
            || self.crds.iter().any(|(n, defs)| {
                n != crd_name && defs.iter().any(|d| d.group == group && d.plural == plural)
            })
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The resource entries a CRD object defines (one per served version).
pub fn crd_defs(crd: &Value) -> Vec<Arc<ResourceDef>> {
    let spec = &crd["spec"];
    let group = spec["group"].as_str().unwrap_or_default().to_string();
    let names = &spec["names"];
    let plural = names["plural"].as_str().unwrap_or_default().to_string();
    let kind = names["kind"].as_str().unwrap_or_default().to_string();
    let singular = names["singular"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| kind.to_ascii_lowercase());
    let namespaced = spec["scope"].as_str() != Some("Cluster");
    let versions = spec["versions"].as_array().cloned().unwrap_or_default();
    let storage_version = versions
        .iter()
        .find(|v| v["storage"].as_bool() == Some(true))
        .or(versions.first())
        .and_then(|v| v["name"].as_str())
        .unwrap_or("v1")
        .to_string();
    versions
        .iter()
        .filter(|v| v["served"].as_bool().unwrap_or(true))
        .filter_map(|v| {
            let version = v["name"].as_str()?.to_string();
            let sub = &v["subresources"];
            let scale = sub
                .get("scale")
                .filter(|s| s.is_object())
                .map(|s| ScaleSpec {
                    spec_replicas: s["specReplicasPath"]
                        .as_str()
                        .unwrap_or(".spec.replicas")
                        .to_string(),
                    status_replicas: s["statusReplicasPath"]
                        .as_str()
                        .unwrap_or(".status.replicas")
                        .to_string(),
                    label_selector: s["labelSelectorPath"].as_str().map(str::to_string),
                });
            let columns = v["additionalPrinterColumns"]
                .as_array()
                .map(|cols| {
                    cols.iter()
                        .map(|c| PrinterColumn {
                            name: c["name"].as_str().unwrap_or_default().to_string(),
                            type_: c["type"].as_str().unwrap_or("string").to_string(),
                            format: c["format"].as_str().unwrap_or_default().to_string(),
                            description: c["description"].as_str().unwrap_or_default().to_string(),
                            priority: c["priority"].as_i64().unwrap_or(0),
                            json_path: c["jsonPath"].as_str().unwrap_or_default().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(Arc::new(ResourceDef {
                group: group.clone(),
                version,
                storage_version: storage_version.clone(),
                plural: plural.clone(),
                singular: singular.clone(),
                kind: kind.clone(),
                namespaced,
                short_names: strings(&names["shortNames"]),
                categories: strings(&names["categories"]),
                verbs: STANDARD_VERBS.iter().map(|v| v.to_string()).collect(),
                status: sub.get("status").is_some_and(|s| s.is_object()),
                scale,
                log: false,
                custom: true,
                virtual_create: false,
                columns,
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_sort_by_kubernetes_priority() {
        let mut v = vec!["v1alpha1", "v2beta1", "v1", "v1beta2", "v2", "foo"];
        v.sort_by_key(|s| version_priority(s));
        assert_eq!(v, vec!["v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo"]);
    }

    #[test]
    fn resolves_by_any_name() {
        let reg = Registry::default();
        assert_eq!(
            reg.resolve("apps", None, "deploy").unwrap().plural,
            "deployments"
        );
        assert_eq!(reg.resolve("", Some("v1"), "Pod").unwrap().plural, "pods");
        assert_eq!(
            reg.resolve("autoscaling", None, "hpa").unwrap().version,
            "v2"
        );
        assert!(reg.resolve("", None, "nothing").is_none());
    }

    #[test]
    fn crd_defines_served_versions() {
        let mut reg = Registry::default();
        let crd = json!({"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
            "names":{"plural":"widgets","kind":"Widget","shortNames":["wd"]},
            "versions":[{"name":"v1beta1","served":true,"storage":false},{"name":"v1","served":true,"storage":true,
              "subresources":{"status":{},"scale":{"specReplicasPath":".spec.size","statusReplicasPath":".status.size"}}},
              {"name":"v0","served":false,"storage":false}]}});
        let defs = reg.set_crd(&crd);
        assert_eq!(defs.len(), 2);
        let v1 = reg.lookup("example.com", "v1", "widgets").unwrap();
        assert!(v1.status && v1.custom);
        assert_eq!(v1.scale.as_ref().unwrap().spec_replicas, ".spec.size");
        assert_eq!(
            reg.lookup("example.com", "v1beta1", "widgets")
                .unwrap()
                .storage_version,
            "v1"
        );
        let g = reg
            .groups()
            .into_iter()
            .find(|g| g.name == "example.com")
            .unwrap();
        assert_eq!(g.versions, vec!["v1", "v1beta1"]);
        reg.remove_crd("widgets.example.com");
        assert!(reg.lookup("example.com", "v1", "widgets").is_none());
    }
}
