//! Patches as the API server applies them: JSON merge patch (RFC 7386), JSON patch (RFC 6902),
//! strategic merge patch, and server-side apply with managed fields.
//!
//! All functions are pure and work on `serde_json::Value`, so they are reusable outside the
//! server; rigger's installer uses [`strategic_merge`] for IstioOperator `k8s.overlays`-style
//! overrides of Deployments and Services.
//!
//! ```
//! use kubesim::patch::{strategic_merge, Schema};
//! use serde_json::json;
//! let mut deploy = json!({"spec": {"template": {"spec": {"containers": [
//!     {"name": "app", "image": "app:1"}, {"name": "sidecar", "image": "proxy:1"}]}}}});
//! let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "app:2"}]}}}});
//! strategic_merge(&mut deploy, &patch, &Schema::for_kind("Deployment")).unwrap();
//! assert_eq!(deploy["spec"]["template"]["spec"]["containers"][0]["image"], "app:2");
//! assert_eq!(deploy["spec"]["template"]["spec"]["containers"][1]["image"], "proxy:1");
//! ```

pub mod apply;
pub mod fields;
mod json_patch;
mod strategic;

pub use apply::{ApplyConflict, ApplyError, Manager, apply, track_update};
pub use json_patch::json_patch;
pub use strategic::strategic_merge;

use serde_json::Value;

/// A patch failed; the message is what the API server would say (it becomes a 422 or 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError(pub String);

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatchError {}

/// How a list field merges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStrategy {
    /// Replaced as a whole (the default for lists without a merge key).
    Atomic,
    /// Merged element by element, matched on the given key field(s).
    Map(Vec<String>),
    /// A list of scalars merged as a set (finalizers).
    Set,
}

/// Patch-relevant schema knowledge for one kind: which lists merge by which key.
///
/// [`Schema::for_kind`] knows the merge keys of the built-in Kubernetes kinds (the
/// `patchMergeKey` tags of the Go types). [`Schema::custom`] treats every list as atomic, which is
/// how custom resources without list annotations behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    kind: String,
    custom: bool,
}

impl Schema {
    /// Schema for a built-in kind (`Deployment`, `Service`, `Pod`, ...).
    pub fn for_kind(kind: &str) -> Schema {
        Schema {
            kind: kind.to_string(),
            custom: false,
        }
    }

    /// Schema for a custom resource: maps merge recursively, lists are atomic
    /// (except `metadata.finalizers` and `metadata.ownerReferences`).
    pub fn custom(kind: &str) -> Schema {
        Schema {
            kind: kind.to_string(),
            custom: true,
        }
    }

    /// The kind this schema describes.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// How the list at `path` (field names from the object root, list positions omitted) merges.
    pub fn list_strategy(&self, path: &[String]) -> ListStrategy {
        let Some(field) = path.last().map(String::as_str) else {
            return ListStrategy::Atomic;
        };
        let parent = if path.len() >= 2 {
            path[path.len() - 2].as_str()
        } else {
            ""
        };
        let key = |k: &str| ListStrategy::Map(vec![k.to_string()]);
        if path.len() == 2 && path[0] == "metadata" {
            return match field {
                "finalizers" => ListStrategy::Set,
                "ownerReferences" => key("uid"),
                "managedFields" => ListStrategy::Atomic,
                _ => ListStrategy::Atomic,
            };
        }
        if self.custom {
            return ListStrategy::Atomic;
        }
        match field {
            "containers"
            | "initContainers"
            | "ephemeralContainers"
            | "volumes"
            | "imagePullSecrets"
            | "env"
            | "resourceClaims"
            | "schedulingGates" => key("name"),
            "volumeMounts" => key("mountPath"),
            "volumeDevices" => key("devicePath"),
            "hostAliases" => key("ip"),
            "topologySpreadConstraints" => key("topologyKey"),
            "conditions" => key("type"),
            "ports" => {
                if self.kind == "Service" && parent == "spec" && path.len() == 2 {
                    key("port")
                } else if matches!(
                    parent,
                    "containers" | "initContainers" | "ephemeralContainers"
                ) {
                    key("containerPort")
                } else {
                    ListStrategy::Atomic
                }
            }
            "finalizers" if self.kind == "Namespace" && parent == "spec" => ListStrategy::Set,
            _ => ListStrategy::Atomic,
        }
    }
}

/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, everything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut t = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(&mut t, &json!({"a": "z", "c": {"f": null}, "l": [3]}));
        assert_eq!(t, json!({"a": "z", "c": {"d": "e"}, "l": [3]}));
        let mut t = json!("scalar");
        merge_patch(&mut t, &json!({"x": {"y": null, "z": 1}}));
        assert_eq!(t, json!({"x": {"z": 1}}));
    }

    #[test]
    fn schema_knows_merge_keys() {
        let p = |s: &str| s.split('.').map(str::to_string).collect::<Vec<_>>();
        let d = Schema::for_kind("Deployment");
        assert_eq!(
            d.list_strategy(&p("spec.template.spec.containers")),
            ListStrategy::Map(vec!["name".into()])
        );
        assert_eq!(
            d.list_strategy(&p("spec.template.spec.containers.ports")),
            ListStrategy::Map(vec!["containerPort".into()])
        );
        assert_eq!(
            d.list_strategy(&p("spec.template.spec.containers.args")),
            ListStrategy::Atomic
        );
        assert_eq!(
            d.list_strategy(&p("metadata.finalizers")),
            ListStrategy::Set
        );
        let s = Schema::for_kind("Service");
        assert_eq!(
            s.list_strategy(&p("spec.ports")),
            ListStrategy::Map(vec!["port".into()])
        );
        let c = Schema::custom("Widget");
        assert_eq!(c.list_strategy(&p("spec.containers")), ListStrategy::Atomic);
    }
}
