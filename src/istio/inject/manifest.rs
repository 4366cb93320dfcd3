//! Injection into a whole manifest: multi-document YAML with Pods, Deployments, StatefulSets,
//! DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, OpenShift DeploymentConfigs and
//! `kind: List`s of them. Every other document passes through exactly as written, in order.
//!
//! Like `istioctl kube-inject`, workloads are written back as Kubernetes' Go types would write them
//! (sorted keys, zero values of `omitempty` fields dropped, the status fields Go always writes), and
//! a workload whose pod opts out (`sidecar.istio.io/inject: "false"`, `hostNetwork: true`) is written
//! back unchanged apart from that, with a warning.

use serde_json::{Value, json};

use super::gotypes::{self, POD_TY};
use super::{
    Caller, Decision, DeployMeta, Flavor, InjectError, InjectionSettings, PodContext, TypeMeta,
    decide, inject_pod,
};

/// What [`inject_manifest`] produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InjectedManifest {
    /// The output YAML: each document followed by `---`, as istioctl writes it.
    pub yaml: String,
    /// Workloads not injected, and why ("Deployment "ns/name" has host networking enabled").
    pub warnings: Vec<String>,
    pub documents: usize,
    pub injected: usize,
}

/// A manifest that cannot be injected; nothing should be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// `document 2 (line 14)`, plus the object when known: `Deployment "default/traffic"`.
    pub location: String,
    /// The field path within the object, when the error is about a field.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {field}: {}", self.location, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

impl std::error::Error for ManifestError {}

/// One YAML document of a stream, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument<'a> {
    pub text: &'a str,
    pub line: usize,
}

/// Splits a YAML stream on `---` lines, as Kubernetes' YAML reader does (a `---` line may carry a
/// comment). A leading `%YAML`/`%TAG` directive block and `...` end markers are left to the parser.
pub fn split_documents(input: &str) -> Vec<RawDocument<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut offset = 0usize;
    for (i, line) in input.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let is_sep = trimmed.starts_with("---") && {
            let rest = trimmed[3..].trim();
            rest.is_empty() || rest.starts_with('#')
        };
        if is_sep {
            docs.push(RawDocument {
                text: &input[start..offset],
                line: start_line,
            });
            start = offset + line.len();
            start_line = i + 2;
        }
        offset += line.len();
    }
    docs.push(RawDocument {
        text: &input[start..],
        line: start_line,
    });
    docs.into_iter().filter(|d| !is_blank(d.text)).collect()
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

/// The workload kinds whose pods are injected.
fn workload_kind(api_version: &str, kind: &str) -> bool {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    match kind {
        "Pod" | "ReplicationController" => group.is_empty(),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            matches!(group, "apps" | "extensions")
        }
        "Job" | "CronJob" => group == "batch",
        "DeploymentConfig" => group == "apps.openshift.io" || group.is_empty(),
        _ => false,
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// Where a workload keeps its pod: (metadata pointer, spec pointer) and whether a missing
/// template is an error (Go pointer fields).
fn pod_location(kind: &str) -> (&'static str, &'static str, bool) {
    match kind {
        "Pod" => ("/metadata", "/spec", false),
        // Istio injects CronJobs with the *job template's* metadata and the pod template's spec.
        "CronJob" => (
            "/spec/jobTemplate/metadata",
            "/spec/jobTemplate/spec/template/spec",
            false,
        ),
        "ReplicationController" | "DeploymentConfig" => {
            ("/spec/template/metadata", "/spec/template/spec", true)
        }
        _ => ("/spec/template/metadata", "/spec/template/spec", false),
    }
}

fn put(obj: &mut Value, pointer: &str, value: Value) {
    let mut cur = obj;
    for seg in pointer.trim_start_matches('/').split('/') {
        if !cur.is_object() {
            *cur = json!({});
        }
        cur = cur
            .as_object_mut()
            .expect("made a map")
            .entry(seg.to_string())
            .or_insert(Value::Null);
    }
    *cur = value;
}

/// The fields Go's types write for a workload even when they are zero (`status: {}`,
/// `strategy: {}`, 1.23's `creationTimestamp: null`), and the zero `omitempty` ones they drop, so
/// the output reads like istioctl's.
fn go_typed_workload(obj: &mut Value, kind: &str, flavor: Flavor) {
    if !obj.get("status").is_some_and(Value::is_object) {
        obj["status"] = json!({});
    }
    let empty = |obj: &mut Value, pointer: &str| {
        if obj.pointer(pointer).is_none_or(Value::is_null) {
            put(obj, pointer, json!({}));
        }
    };
    match kind {
        "Deployment" => empty(obj, "/spec/strategy"),
        "DaemonSet" | "StatefulSet" => empty(obj, "/spec/updateStrategy"),
        "DeploymentConfig" => empty(obj, "/spec/strategy/resources"),
        "CronJob" => {
            empty(obj, "/spec/jobTemplate/metadata");
            empty(obj, "/spec/jobTemplate/spec/template/metadata");
        }
        _ => {}
    }
    if flavor == Flavor::V1_23 {
        let (meta, _, _) = pod_location(kind);
        for pointer in ["/metadata", meta] {
            if let Some(Value::Object(m)) = obj.pointer_mut(pointer) {
                m.entry("creationTimestamp").or_insert(Value::Null);
            }
        }
    }
    let status_zeros: &[&str] = match kind {
        "ReplicaSet" | "ReplicationController" => &["replicas"],
        "StatefulSet" => &["replicas", "availableReplicas"],
        "DaemonSet" => &[
            "currentNumberScheduled",
            "numberMisscheduled",
            "desiredNumberScheduled",
            "numberReady",
        ],
        "DeploymentConfig" => &[
            "latestVersion",
            "observedGeneration",
            "replicas",
            "updatedReplicas",
            "availableReplicas",
            "unavailableReplicas",
        ],
        _ => &[],
    };
    if !status_zeros.is_empty() {
        if !obj.get("status").is_some_and(Value::is_object) {
            obj["status"] = json!({});
        }
        for f in status_zeros {
            if obj["status"].get(*f).is_none_or(Value::is_null) {
                obj["status"][*f] = json!(0);
            }
        }
    }
    if let Some(Value::Object(spec)) = obj.get_mut("spec") {
        for f in ["paused", "minReadySeconds"] {
            if spec
                .get(f)
                .is_some_and(|v| v == &json!(false) || v == &json!(0))
            {
                spec.remove(f);
            }
        }
        if kind == "DeploymentConfig" {
            spec.entry("test").or_insert(json!(false));
            spec.entry("replicas").or_insert(json!(0));
        }
    }
}

/// Injects one parsed workload object in place. Returns a warning when it is not injected.
pub fn inject_object(
    obj: &mut Value,
    settings: &InjectionSettings,
) -> Result<Option<String>, ManifestError> {
    let api_version = text(obj, "/apiVersion").to_string();
    let kind = text(obj, "/kind").to_string();
    let (meta_ptr, spec_ptr, template_required) = pod_location(&kind);
    let object_name = |obj: &Value| {
        let ns = text(obj, "/metadata/namespace");
        let name = text(obj, "/metadata/name");
        if ns.is_empty() {
            name.to_string()
        } else {
            format!("{ns}/{name}")
        }
    };
    let location = format!("{kind} {:?}", object_name(obj));
    if template_required && obj.pointer("/spec/template").is_none_or(Value::is_null) {
        return Err(ManifestError {
            location,
            field: Some("spec.template".into()),
            message: "spec.template is required value".into(),
        });
    }
    let mut pod = json!({
        "metadata": obj.pointer(meta_ptr).cloned().filter(|v| !v.is_null()).unwrap_or_else(|| json!({})),
        "spec": obj.pointer(spec_ptr).cloned().filter(|v| !v.is_null()).unwrap_or_else(|| json!({})),
    });
    gotypes::normalize(&mut pod, &POD_TY);

    let ctx = if kind == "Pod" {
        PodContext::for_pod(obj)
    } else {
        PodContext {
            type_meta: TypeMeta {
                api_version: api_version.clone(),
                kind: kind.clone(),
            },
            deploy_meta: DeployMeta {
                name: text(obj, "/metadata/name").to_string(),
                namespace: text(obj, "/metadata/namespace").to_string(),
            },
            caller: Caller::KubeInject,
        }
    };
    let pod_name = match text(&pod, "/metadata/name") {
        "" => ctx.deploy_meta.name.clone(),
        n => n.to_string(),
    };
    let full_name = if ctx.deploy_meta.namespace.is_empty() {
        pod_name
    } else {
        format!("{}/{pod_name}", ctx.deploy_meta.namespace)
    };
    let warning = match decide(&pod, settings, Caller::KubeInject) {
        Decision::Inject => None,
        Decision::Skip(reason) => Some(format!(
            "skipping injection because {kind} {full_name:?}: {reason}"
        )),
    };
    let pod = match warning {
        Some(_) => pod,
        None => inject_pod(&pod, settings, &ctx).map_err(|InjectError { field, message }| {
            let dotted = |p: &str| p.trim_start_matches('/').replace('/', ".");
            let field = if let Some(rest) = field.strip_prefix("metadata") {
                format!("{}{rest}", dotted(meta_ptr))
            } else if let Some(rest) = field.strip_prefix("spec") {
                format!("{}{rest}", dotted(spec_ptr))
            } else {
                field
            };
            ManifestError {
                location: location.clone(),
                field: Some(field),
                message,
            }
        })?,
    };
    put(obj, meta_ptr, pod["metadata"].clone());
    put(obj, spec_ptr, pod["spec"].clone());
    go_typed_workload(obj, &kind, settings.flavor);
    Ok(warning)
}

/// Injects every workload of a YAML stream. On error nothing is returned but the error.
pub fn inject_manifest(
    input: &str,
    settings: &InjectionSettings,
) -> Result<InjectedManifest, ManifestError> {
    let mut out = InjectedManifest::default();
    for (index, doc) in split_documents(input).into_iter().enumerate() {
        out.documents += 1;
        let where_ = |obj: Option<&Value>| {
            let mut s = format!("document {} (line {})", index + 1, doc.line);
            if let Some(o) = obj {
                let kind = text(o, "/kind");
                let name = text(o, "/metadata/name");
                if !kind.is_empty() {
                    s.push_str(&format!(", {kind} {name:?}"));
                }
            }
            s
        };
        let parsed: Value =
            crate::yaml::parse_document(doc.text, "input").map_err(|e| ManifestError {
                location: format!(
                    "document {} (line {})",
                    index + 1,
                    doc.line + e.line.saturating_sub(1)
                ),
                field: None,
                message: format!("not valid YAML: {}", e.msg),
            })?;
        let api_version = text(&parsed, "/apiVersion").to_string();
        let kind = text(&parsed, "/kind").to_string();
        let rewrite = |e: ManifestError| ManifestError {
            location: format!("{}, {}", where_(None), e.location),
            ..e
        };
        if kind == "List" && (api_version == "v1" || api_version.is_empty()) {
            let mut list = parsed.clone();
            if let Some(Value::Array(items)) = list.get_mut("items") {
                for (i, item) in items.iter_mut().enumerate() {
                    if workload_kind(text(item, "/apiVersion"), text(item, "/kind")) {
                        let w = inject_object(item, settings).map_err(|e| ManifestError {
                            field: e.field.as_ref().map(|f| format!("items[{i}].{f}")),
                            ..rewrite(e)
                        })?;
                        match w {
                            Some(w) => out.warnings.push(w),
                            None => out.injected += 1,
                        }
                    }
                }
            }
            if list.get("metadata").is_none_or(Value::is_null) {
                list["metadata"] = json!({});
            }
            push_doc(&mut out.yaml, &to_yaml(&list));
        } else if workload_kind(&api_version, &kind) {
            let mut obj = parsed.clone();
            match inject_object(&mut obj, settings).map_err(rewrite)? {
                Some(w) => out.warnings.push(w),
                None => out.injected += 1,
            }
            push_doc(&mut out.yaml, &to_yaml(&obj));
        } else {
            push_doc(&mut out.yaml, doc.text);
        }
    }
    Ok(out)
}

fn push_doc(out: &mut String, doc: &str) {
    out.push_str(doc);
    if !doc.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("---\n");
}

/// Serializes a document as Go's sigs.k8s.io/yaml would.
pub fn to_yaml(v: &Value) -> String {
    crate::yaml::to_go_yaml(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_on_separator_lines_with_line_numbers() {
        let docs = split_documents("a: 1\n---\nb: 2\n--- # comment\n\n---\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert_eq!((docs[0].text, docs[0].line), ("a: 1\n", 1));
        assert_eq!((docs[1].text, docs[1].line), ("b: 2\n", 3));
        assert_eq!((docs[2].text, docs[2].line), ("c: 3\n", 7));
        assert_eq!(split_documents("---\nx: 1\n").len(), 1);
    }

    #[test]
    fn non_workloads_pass_through_untouched() {
        let s = InjectionSettings::defaults(Flavor::Current);
        let svc = "kind: Service\napiVersion: v1\nmetadata:\n  name: hello\nspec:\n  ports:\n    - port: 80\n";
        let out = inject_manifest(svc, &s).unwrap();
        assert_eq!(out.yaml, format!("{svc}---\n"));
        assert_eq!(out.injected, 0);
    }

    #[test]
    fn lists_and_cronjobs_are_walked() {
        let s = InjectionSettings::defaults(Flavor::Current);
        let input = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: a}\n  spec:\n    template:\n      spec:\n        containers: [{name: a, image: a}]\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cron}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: c}]\n";
        let out = inject_manifest(input, &s).unwrap();
        assert_eq!(out.injected, 2);
        let docs: Vec<Value> = split_documents(&out.yaml)
            .iter()
            .map(|d| crate::yaml::parse_document(d.text, "out").unwrap())
            .collect();
        assert!(docs[0]["items"][0]["spec"]["template"]["metadata"]["annotations"]["sidecar.istio.io/status"].is_string());
        assert_eq!(
            docs[0]["items"][1],
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
        );
        assert!(
            docs[1]["spec"]["jobTemplate"]["metadata"]["annotations"]["sidecar.istio.io/status"]
                .is_string()
        );
    }

    #[test]
    fn errors_name_document_object_and_field() {
        let s = InjectionSettings::defaults(Flavor::Current);
        let input = "kind: ConfigMap\napiVersion: v1\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: traffic}\nspec:\n  template:\n    metadata:\n      annotations:\n        traffic.sidecar.istio.io/includeOutboundIPRanges: bad\n    spec:\n      containers: [{name: a}]\n";
        let e = inject_manifest(input, &s).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("document 2 (line 4)"), "{msg}");
        assert!(msg.contains("Deployment \"traffic\""), "{msg}");
        assert!(msg.contains("spec.template.metadata.annotations[\"traffic.sidecar.istio.io/includeOutboundIPRanges\"]"), "{msg}");
        let bad = inject_manifest("a: [unclosed\n", &s).unwrap_err();
        assert!(bad.to_string().contains("not valid YAML"), "{bad}");
    }

    #[test]
    fn opted_out_workloads_warn() {
        let s = InjectionSettings::defaults(Flavor::Current);
        let input = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: h, namespace: ns}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: a}]\n";
        let out = inject_manifest(input, &s).unwrap();
        assert_eq!(out.injected, 0);
        assert!(
            out.warnings[0].contains("Deployment \"ns/h\""),
            "{:?}",
            out.warnings
        );
    }
}
