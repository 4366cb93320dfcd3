//! Server-side apply the way rigger needs it everywhere: field manager `rigger`, kinds resolved through
//! discovery, the whole batch validated before the first write, and no write at all when the live object
//! already holds what we would apply (so re-running a command is free and leaves the audit log quiet).

use std::collections::{BTreeSet, HashMap};

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::GroupVersionKind;
use kube::discovery::{ApiCapabilities, ApiResource, Scope};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Mutex;

use super::{Connection, KubeResultExt};
use crate::error::UserError;

/// The field manager rigger applies with.
pub const FIELD_MANAGER: &str = "rigger";

/// What applying one object did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Created => "created",
            Outcome::Configured => "configured",
            Outcome::Unchanged => "unchanged",
        })
    }
}

/// One applied object, for reports and `-o json`.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub api_version: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    pub outcome: Outcome,
    /// The object's resourceVersion after the apply (the live one when unchanged): a watch started
    /// from it sees only what happened after this apply.
    #[serde(skip)]
    pub resource_version: Option<String>,
}

impl Applied {
    /// `deployment.apps/istiod` like kubectl prints it.
    pub fn reference(&self) -> String {
        let group = self
            .api_version
            .split_once('/')
            .map(|(g, _)| g)
            .unwrap_or("");
        if group.is_empty() {
            format!("{}/{}", self.kind.to_lowercase(), self.name)
        } else {
            format!("{}.{}/{}", self.kind.to_lowercase(), group, self.name)
        }
    }
}

/// Options for a batch.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Take ownership of fields other managers own (istioctl does this for its own objects).
    pub force: bool,
    /// Ask the server to validate and compute, but persist nothing.
    pub dry_run: bool,
    /// Namespace for namespaced objects that do not name one.
    pub default_namespace: String,
}

/// Applies objects through discovery. Cheap to create; caches what it learns about kinds.
pub struct Applier<'a> {
    conn: &'a Connection,
    kinds: Mutex<HashMap<GroupVersionKind, Option<(ApiResource, ApiCapabilities)>>>,
}

impl<'a> Applier<'a> {
    pub fn new(conn: &'a Connection) -> Self {
        Applier {
            conn,
            kinds: Mutex::new(HashMap::new()),
        }
    }

    /// What the cluster serves for a kind, or None when it does not know it.
    pub async fn resolve(
        &self,
        gvk: &GroupVersionKind,
    ) -> anyhow::Result<Option<(ApiResource, ApiCapabilities)>> {
        if let Some(known) = self.kinds.lock().await.get(gvk) {
            return Ok(known.clone());
        }
        let found = match kube::discovery::pinned_kind(&self.conn.client, gvk).await {
            Ok(found) => Some(found),
            Err(kube::Error::Api(status)) if status.code == 404 => None,
            Err(kube::Error::Discovery(_)) => None,
            Err(e) => {
                return Err(e).explain_while(&self.conn.server, || {
                    format!(
                        "looking up kind {} ({}) in the cluster",
                        gvk.kind,
                        api_version(gvk)
                    )
                });
            }
        };
        self.kinds.lock().await.insert(gvk.clone(), found.clone());
        Ok(found)
    }

    /// Forgets what discovery said (after CRDs were created).
    pub async fn refresh(&self) {
        self.kinds.lock().await.clear();
    }

    /// Checks a whole batch before anything is written: every object has a kind and name, every kind is
    /// served (or defined by a CRD in the same batch), and every namespace exists (or is created in the
    /// same batch). Errors name the object, and `sources` (same length as `objects`), where given,
    /// names where each came from ("gw.yaml (document 2)").
    pub async fn validate(
        &self,
        objects: &[DynamicObject],
        options: &ApplyOptions,
        sources: Option<&[String]>,
    ) -> anyhow::Result<()> {
        let mut crd_kinds: BTreeSet<(String, String)> = BTreeSet::new();
        let mut batch_namespaces: BTreeSet<String> = BTreeSet::new();
        for obj in objects {
            let types = obj.types.as_ref();
            match types.map(|t| t.kind.as_str()) {
                Some("CustomResourceDefinition") => {
                    let spec = obj.data.get("spec");
                    let group = spec
                        .and_then(|s| s.get("group"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let kind = spec
                        .and_then(|s| s.pointer("/names/kind"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    crd_kinds.insert((group.to_string(), kind.to_string()));
                }
                Some("Namespace") => {
                    if let Some(name) = &obj.metadata.name {
                        batch_namespaces.insert(name.clone());
                    }
                }
                _ => {}
            }
        }
        let mut checked_namespaces: BTreeSet<String> = BTreeSet::new();
        for (index, obj) in objects.iter().enumerate() {
            let described = match sources.and_then(|s| s.get(index)) {
                Some(source) => format!("{source}: {}", describe(obj)),
                None => describe(obj),
            };
            let Some(types) = obj.types.as_ref() else {
                return Err(UserError::input(format!("{described} has no apiVersion/kind")).into());
            };
            if obj.metadata.name.as_deref().unwrap_or("").is_empty() {
                return Err(UserError::input(format!("{described} has no metadata.name")).into());
            }
            let gvk = gvk_of(obj)?;
            let scope = match self.resolve(&gvk).await? {
                Some((_, caps)) => Some(caps.scope),
                None if crd_kinds.contains(&(gvk.group.clone(), gvk.kind.clone())) => None,
                None => {
                    return Err(UserError::input(format!(
                        "{described}: the cluster does not serve kind {} in {}",
                        types.kind, types.api_version
                    ))
                    .with_hint("check the apiVersion and kind, or install the CustomResourceDefinition that defines it first")
                    .into());
                }
            };
            let namespaced = scope
                .map(|s| s == Scope::Namespaced)
                .unwrap_or_else(|| obj.metadata.namespace.is_some());
            if namespaced {
                let ns = obj
                    .metadata
                    .namespace
                    .clone()
                    .unwrap_or_else(|| options.default_namespace.clone());
                if batch_namespaces.contains(&ns) || !checked_namespaces.insert(ns.clone()) {
                    continue;
                }
                let api: Api<k8s_openapi::api::core::v1::Namespace> =
                    Api::all(self.conn.client.clone());
                let exists = api
                    .get_opt(&ns)
                    .await
                    .explain_while(&self.conn.server, || {
                        format!("checking that namespace {ns} exists")
                    })?
                    .is_some();
                if !exists {
                    return Err(UserError::input(format!("{described}: namespace \"{ns}\" does not exist"))
                        .with_hint(format!("create it first (`kubectl create namespace {ns}`) or add a Namespace object to the input"))
                        .into());
                }
            }
        }
        Ok(())
    }

    /// Applies one object. GETs it first and skips the write when nothing would change.
    pub async fn apply(
        &self,
        obj: &DynamicObject,
        options: &ApplyOptions,
    ) -> anyhow::Result<Applied> {
        let gvk = gvk_of(obj)?;
        let described = describe(obj);
        let Some((resource, caps)) = self.resolve(&gvk).await? else {
            return Err(UserError::input(format!(
                "{described}: the cluster does not serve kind {} in {}",
                gvk.kind,
                api_version(&gvk)
            ))
            .into());
        };
        let name = obj.metadata.name.clone().unwrap_or_default();
        let namespace = (caps.scope == Scope::Namespaced).then(|| {
            obj.metadata
                .namespace
                .clone()
                .unwrap_or_else(|| options.default_namespace.clone())
        });
        let api: Api<DynamicObject> = match &namespace {
            Some(ns) => Api::namespaced_with(self.conn.client.clone(), ns, &resource),
            None => Api::all_with(self.conn.client.clone(), &resource),
        };
        let mut desired = obj.clone();
        desired.metadata.namespace = namespace.clone();
        desired.metadata.managed_fields = None;
        desired.metadata.resource_version = None;
        let live = api
            .get_opt(&name)
            .await
            .explain_while(&self.conn.server, || format!("reading {described}"))?;
        let outcome = match &live {
            Some(live) if already_applied(&desired, live)? => Outcome::Unchanged,
            Some(_) => Outcome::Configured,
            None => Outcome::Created,
        };
        let mut resource_version = live
            .as_ref()
            .and_then(|l| l.metadata.resource_version.clone());
        if outcome != Outcome::Unchanged {
            let mut params = PatchParams::apply(FIELD_MANAGER);
            params.force = options.force;
            params.dry_run = options.dry_run;
            let written = api
                .patch(&name, &params, &Patch::Apply(&desired))
                .await
                .explain_while(&self.conn.server, || format!("applying {described}"))?;
            resource_version = written.metadata.resource_version;
        }
        Ok(Applied {
            api_version: api_version(&gvk),
            kind: gvk.kind.clone(),
            namespace,
            name,
            outcome,
            resource_version,
        })
    }

    /// Validates the batch, then applies in order. CRDs in the batch make discovery refresh before the
    /// objects after them.
    pub async fn apply_all(
        &self,
        objects: &[DynamicObject],
        options: &ApplyOptions,
        sources: Option<&[String]>,
        progress: &dyn crate::progress::Progress,
    ) -> anyhow::Result<Vec<Applied>> {
        self.validate(objects, options, sources).await?;
        let mut results = Vec::with_capacity(objects.len());
        let mut crds_changed = false;
        for obj in objects {
            let is_crd = obj
                .types
                .as_ref()
                .is_some_and(|t| t.kind == "CustomResourceDefinition");
            if crds_changed && !is_crd {
                self.refresh().await;
                crds_changed = false;
            }
            let applied = self.apply(obj, options).await?;
            progress.detail(&format!("{} {}", applied.reference(), applied.outcome));
            if is_crd && applied.outcome != Outcome::Unchanged {
                crds_changed = true;
            }
            results.push(applied);
        }
        Ok(results)
    }
}

fn api_version(gvk: &GroupVersionKind) -> String {
    if gvk.group.is_empty() {
        gvk.version.clone()
    } else {
        format!("{}/{}", gvk.group, gvk.version)
    }
}

/// The group/version/kind of an object.
pub fn gvk_of(obj: &DynamicObject) -> anyhow::Result<GroupVersionKind> {
    let types = obj
        .types
        .as_ref()
        .ok_or_else(|| UserError::input(format!("{} has no apiVersion/kind", describe(obj))))?;
    let (group, version) = match types.api_version.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), types.api_version.clone()),
    };
    Ok(GroupVersionKind {
        group,
        version,
        kind: types.kind.clone(),
    })
}

/// `Deployment istio-system/istiod` for messages.
pub fn describe(obj: &DynamicObject) -> String {
    let kind = obj
        .types
        .as_ref()
        .map(|t| t.kind.as_str())
        .unwrap_or("object");
    let name = obj.metadata.name.as_deref().unwrap_or("<no name>");
    match &obj.metadata.namespace {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// True when every field we would apply already has that value on the live object.
fn already_applied(desired: &DynamicObject, live: &DynamicObject) -> anyhow::Result<bool> {
    let mut want = serde_json::to_value(desired)?;
    let have = serde_json::to_value(live)?;
    if let Some(meta) = want.get_mut("metadata").and_then(Value::as_object_mut) {
        for volatile in [
            "managedFields",
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "generation",
        ] {
            meta.remove(volatile);
        }
    }
    Ok(is_subset(&want, &have))
}

/// `want` is contained in `have`: maps by key (recursively), lists element by element with equal length,
/// scalars equal (numbers compared by value). Nulls in `want` mean "absent".
pub fn is_subset(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().all(|(k, wv)| match h.get(k) {
            Some(hv) => is_subset(wv, hv),
            None => wv.is_null() || wv.as_object().is_some_and(|m| m.is_empty()),
        }),
        (Value::Array(w), Value::Array(h)) => {
            w.len() == h.len() && w.iter().zip(h).all(|(a, b)| is_subset(a, b))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Null, Value::Null) => true,
        (w, h) => w == h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subset_ignores_fields_added_by_the_server() {
        let want =
            json!({"spec": {"ports": [{"port": 80, "name": "http"}], "type": "LoadBalancer"}});
        let have = json!({"spec": {"ports": [{"port": 80, "name": "http", "nodePort": 31000, "protocol": "TCP"}],
                                   "type": "LoadBalancer", "clusterIP": "10.0.0.1"}, "status": {}});
        assert!(is_subset(&want, &have));
    }

    #[test]
    fn subset_notices_changed_values_and_list_lengths() {
        assert!(!is_subset(&json!({"a": {"b": 1}}), &json!({"a": {"b": 2}})));
        assert!(!is_subset(&json!({"a": [1, 2]}), &json!({"a": [1]})));
        assert!(!is_subset(&json!({"a": "x"}), &json!({})));
        assert!(is_subset(&json!({"a": null, "b": {}}), &json!({})));
        assert!(is_subset(&json!({"n": 1}), &json!({"n": 1.0})));
    }

    #[test]
    fn references_read_like_kubectl() {
        let applied = Applied {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            namespace: Some("istio-system".into()),
            name: "istiod".into(),
            outcome: Outcome::Created,
            resource_version: None,
        };
        assert_eq!(applied.reference(), "deployment.apps/istiod");
        let core = Applied {
            api_version: "v1".into(),
            kind: "Service".into(),
            ..applied
        };
        assert_eq!(core.reference(), "service/istiod");
    }

    #[test]
    fn gvk_and_description() {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": "bookinfo-gateway", "namespace": "bookinfo"}
        }))
        .unwrap();
        let gvk = gvk_of(&obj).unwrap();
        assert_eq!(
            (gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str()),
            ("networking.istio.io", "v1", "Gateway")
        );
        assert_eq!(describe(&obj), "Gateway bookinfo/bookinfo-gateway");
    }
}
