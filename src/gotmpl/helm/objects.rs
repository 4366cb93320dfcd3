//! The host objects Helm puts next to `.Values`: `.Chart` (chart metadata), `.Capabilities`
//! and `.Files`.

use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;
use serde_json::Value as Json;

use crate::gotmpl::value::{Object, Value};

/// `.Chart`: chart.Metadata's exported fields plus `IsRoot`.
pub struct ChartMeta {
    pub meta: Json,
    pub is_root: bool,
}

const META_FIELDS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("Home", "home"),
    ("Sources", "sources"),
    ("Version", "version"),
    ("Description", "description"),
    ("Keywords", "keywords"),
    ("Maintainers", "maintainers"),
    ("Icon", "icon"),
    ("APIVersion", "apiVersion"),
    ("Condition", "condition"),
    ("Tags", "tags"),
    ("AppVersion", "appVersion"),
    ("Deprecated", "deprecated"),
    ("Annotations", "annotations"),
    ("KubeVersion", "kubeVersion"),
    ("Dependencies", "dependencies"),
    ("Type", "type"),
];

const STRING_FIELDS: &[&str] = &[
    "Name",
    "Home",
    "Version",
    "Description",
    "Icon",
    "APIVersion",
    "Condition",
    "Tags",
    "AppVersion",
    "KubeVersion",
    "Type",
];

impl Object for ChartMeta {
    fn type_name(&self) -> &str {
        "chart.Metadata"
    }
    fn field(&self, name: &str) -> Option<Value> {
        if name == "IsRoot" {
            return Some(Value::Bool(self.is_root));
        }
        let (_, key) = META_FIELDS.iter().find(|(f, _)| *f == name)?;
        let v = self.meta.get(*key);
        Some(match v {
            None | Some(Json::Null) => {
                if STRING_FIELDS.contains(&name) {
                    Value::from("")
                } else if name == "Deprecated" {
                    Value::Bool(false)
                } else {
                    Value::Nil
                }
            }
            Some(Json::Number(n)) if STRING_FIELDS.contains(&name) => Value::from(n.to_string()),
            Some(v) => Value::from_json(v),
        })
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        for (field, key) in META_FIELDS {
            if let Some(v) = self.meta.get(*key) {
                m.insert(key.to_string(), Value::from_json(v));
            }
            let _ = field;
        }
        Value::new_map(m)
    }
}

/// `.Capabilities.KubeVersion`
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Parses `1.32.0` or `v1.32.0`.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let v = s.trim().trim_start_matches('v');
        let mut parts = v.split(['.', '-', '+']);
        let major = parts.next().filter(|p| p.parse::<u64>().is_ok());
        let minor = parts.next().filter(|p| p.parse::<u64>().is_ok());
        match (major, minor) {
            (Some(ma), Some(mi)) => Ok(KubeVersion {
                version: format!("v{v}"),
                major: ma.to_string(),
                minor: mi.to_string(),
            }),
            _ => Err(format!(
                "invalid kube version {s:?}: expected MAJOR.MINOR[.PATCH]"
            )),
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "chartutil.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" | "GitVersion" => Some(Value::from(self.version.as_str())),
            "Major" => Some(Value::from(self.major.as_str())),
            "Minor" => Some(Value::from(self.minor.as_str())),
            _ => None,
        }
    }
    fn has_method(&self, name: &str) -> bool {
        name == "String"
    }
    fn call(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String").then(|| Ok(Value::from(self.version.as_str())))
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("Version".into(), Value::from(self.version.as_str()));
        m.insert("Major".into(), Value::from(self.major.as_str()));
        m.insert("Minor".into(), Value::from(self.minor.as_str()));
        Value::new_map(m)
    }
}

/// `.Capabilities.APIVersions`
pub struct ApiVersions(pub Vec<String>);

impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::Str(s)] => Ok(Value::Bool(self.0.iter().any(|v| v == &**s))),
            _ => Err("wrong number of args for Has: want 1".into()),
        })
    }
    fn range_entries(&self) -> Option<Vec<(Value, Value)>> {
        Some(
            self.0
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), Value::from(v.as_str())))
                .collect(),
        )
    }
    fn to_value(&self) -> Value {
        Value::new_list(self.0.iter().map(|s| Value::from(s.as_str())).collect())
    }
}

/// The API versions a Kubernetes 1.32 cluster serves (Helm's default set when there is no cluster).
pub fn default_api_versions() -> Vec<String> {
    let gvs = [
        "v1",
        "admissionregistration.k8s.io/v1",
        "admissionregistration.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
        "apiregistration.k8s.io/v1",
        "apps/v1",
        "authentication.k8s.io/v1",
        "authorization.k8s.io/v1",
        "autoscaling/v1",
        "autoscaling/v2",
        "batch/v1",
        "certificates.k8s.io/v1",
        "coordination.k8s.io/v1",
        "discovery.k8s.io/v1",
        "events.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1",
        "networking.k8s.io/v1",
        "node.k8s.io/v1",
        "policy/v1",
        "rbac.authorization.k8s.io/v1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1",
    ];
    let kinds: &[(&str, &[&str])] = &[
        (
            "v1",
            &[
                "ConfigMap",
                "Endpoints",
                "Namespace",
                "Pod",
                "Secret",
                "Service",
                "ServiceAccount",
                "PersistentVolumeClaim",
            ],
        ),
        (
            "apps/v1",
            &["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
        ),
        ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
        ("policy/v1", &["PodDisruptionBudget"]),
        ("batch/v1", &["CronJob", "Job"]),
        (
            "networking.k8s.io/v1",
            &["Ingress", "IngressClass", "NetworkPolicy"],
        ),
        (
            "rbac.authorization.k8s.io/v1",
            &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        ),
        (
            "admissionregistration.k8s.io/v1",
            &[
                "MutatingWebhookConfiguration",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding",
                "ValidatingWebhookConfiguration",
            ],
        ),
        ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    ];
    let mut out: Vec<String> = gvs.iter().map(|s| s.to_string()).collect();
    for (gv, ks) in kinds {
        for k in *ks {
            out.push(format!("{gv}/{k}"));
        }
    }
    out
}

/// `.Capabilities`
pub struct Capabilities {
    pub kube_version: Rc<KubeVersion>,
    pub api_versions: Rc<ApiVersions>,
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube_version.clone())),
            "APIVersions" => Some(Value::Object(self.api_versions.clone())),
            "HelmVersion" => {
                let mut m = BTreeMap::new();
                m.insert("Version".into(), Value::from("v3.18.0"));
                m.insert("GitCommit".into(), Value::from(""));
                m.insert("GitTreeState".into(), Value::from(""));
                m.insert("GoVersion".into(), Value::from("go1.24"));
                Some(Value::new_map(m))
            }
            _ => None,
        }
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("KubeVersion".into(), self.kube_version.to_value());
        m.insert("APIVersions".into(), self.api_versions.to_value());
        Value::new_map(m)
    }
}

/// `.Files`: the chart's non-template files.
pub struct Files(pub Rc<BTreeMap<String, Vec<u8>>>);

impl Files {
    fn get(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    fn base_map(&self, encode: bool) -> Value {
        let mut m = BTreeMap::new();
        for (k, v) in self.0.iter() {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            let text = if encode {
                base64::engine::general_purpose::STANDARD.encode(v)
            } else {
                String::from_utf8_lossy(v).into_owned()
            };
            m.insert(base, Value::from(text));
        }
        Value::new_map(m)
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = || match args {
            [Value::Str(s)] => Ok(s.to_string()),
            _ => Err(format!(
                "wrong number of args for {name}: want 1 got {}",
                args.len()
            )),
        };
        Some(match name {
            "Get" | "GetBytes" => arg().map(|p| Value::from(self.get(&p))),
            "Lines" => arg().map(|p| {
                let text = self.get(&p);
                if text.is_empty() {
                    return Value::new_list(vec![]);
                }
                Value::new_list(text.split('\n').map(Value::from).collect())
            }),
            "Glob" => arg().map(|pat| {
                let m: BTreeMap<String, Vec<u8>> = self
                    .0
                    .iter()
                    .filter(|(k, _)| super::glob_match(&pat, k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(Rc::new(Files(Rc::new(m))))
            }),
            "AsConfig" | "AsSecrets" => {
                if self.0.is_empty() {
                    Ok(Value::from(""))
                } else {
                    let m = self.base_map(name == "AsSecrets");
                    super::funcs::to_yaml(&m).map(Value::from)
                }
            }
            _ => return None,
        })
    }
    fn range_entries(&self) -> Option<Vec<(Value, Value)>> {
        Some(
            self.0
                .iter()
                .map(|(k, v)| {
                    (
                        Value::from(k.as_str()),
                        Value::from(String::from_utf8_lossy(v).into_owned()),
                    )
                })
                .collect(),
        )
    }
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        for (k, v) in self.0.iter() {
            m.insert(
                k.clone(),
                Value::from(String::from_utf8_lossy(v).into_owned()),
            );
        }
        Value::new_map(m)
    }
}
