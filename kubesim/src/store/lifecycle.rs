//! Deletion: finalizers, owner garbage collection (background, foreground, orphan), namespace
//! termination and CRD removal. These run synchronously inside the write that triggers them,
//! so clients observe a cluster whose garbage collector and namespace controller are instant.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{DeleteOptions, EventType, ObjectKey, Propagation, State, meta_str};
use crate::error::{ApiError, ApiResult, Cause};
use crate::resources::{Registry, ResourceDef};
use crate::util;

const FOREGROUND: &str = "foregroundDeletion";
const ORPHAN: &str = "orphan";

fn owner_uids(obj: &Value) -> Vec<String> {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .map(|refs| {
            refs.iter()
                .filter_map(|r| r["uid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn finalizers(obj: &Value) -> Vec<String> {
    obj["metadata"]["finalizers"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl State {
    fn def_for(&self, key: &ObjectKey) -> Option<Arc<ResourceDef>> {
        self.registry
            .all()
            .find(|d| d.group == key.group && d.plural == key.resource)
            .cloned()
    }

    fn lookup_key(&self, key: &ObjectKey) -> Option<Arc<Value>> {
        self.tables
            .get(&(key.group.clone(), key.resource.clone()))
            .and_then(|t| t.get(&(key.namespace.clone(), key.name.clone())))
            .cloned()
    }

    /// Keys of objects whose ownerReferences name `uid` (same namespace, or anywhere for a
    /// cluster-scoped owner).
    fn dependents_of(&self, uid: &str, namespace: &str) -> Vec<ObjectKey> {
        let mut out = Vec::new();
        for ((group, resource), table) in &self.tables {
            let iter: super::Entries<'_> = if namespace.is_empty() {
                Box::new(table.iter())
            } else {
                let ns = namespace.to_string();
                Box::new(
                    table
                        .range((ns.clone(), String::new())..)
                        .take_while(move |((n, _), _)| *n == ns),
                )
            };
            for ((ns, name), obj) in iter {
                if obj["metadata"]["ownerReferences"].is_array()
                    && owner_uids(obj).iter().any(|u| u == uid)
                {
                    out.push(ObjectKey {
                        group: group.clone(),
                        resource: resource.clone(),
                        namespace: ns.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
        out
    }

    /// DELETE of one object.
    pub(crate) fn delete(
        &mut self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> ApiResult<Value> {
        let current = self.get(def, namespace, name)?;
        if let Some(uid) = &opts.uid
            && uid != meta_str(&current, "uid")
        {
            return Err(ApiError::conflict_msg(
                &def.group,
                &def.plural,
                name,
                &format!(
                    "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                    meta_str(&current, "uid")
                ),
            ));
        }
        if let Some(rv) = &opts.resource_version
            && rv != meta_str(&current, "resourceVersion")
        {
            return Err(ApiError::conflict_msg(
                &def.group,
                &def.plural,
                name,
                &format!(
                    "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}",
                    meta_str(&current, "resourceVersion")
                ),
            ));
        }
        if opts.dry_run {
            return Ok((*current).clone());
        }
        let key = ObjectKey {
            group: def.group.clone(),
            resource: def.plural.clone(),
            namespace: State::scope_ns(def, namespace).to_string(),
            name: name.to_string(),
        };
        let is_namespace = def.group.is_empty() && def.plural == "namespaces";
        if !current["metadata"]["deletionTimestamp"].is_null() {
            if is_namespace {
                self.clean_namespace(&key.name);
            }
            return Ok(self
                .lookup_key(&key)
                .map(|o| (*o).clone())
                .unwrap_or_else(|| (*current).clone()));
        }
        let mut fins = finalizers(&current);
        match opts.propagation {
            Propagation::Foreground if !fins.iter().any(|f| f == FOREGROUND) => {
                fins.push(FOREGROUND.to_string())
            }
            Propagation::Orphan => {
                self.orphan_dependents(meta_str(&current, "uid"), &key.namespace)
            }
            _ => {}
        }
        if fins.is_empty() && !is_namespace {
            return Ok(self
                .remove(&key)
                .map(|o| (*o).clone())
                .unwrap_or_else(|| (*current).clone()));
        }
        // Mark for deletion (MODIFIED) and let finalizers/namespace cleanup finish it.
        let mut marked = (*current).clone();
        if marked["metadata"]["deletionTimestamp"].is_null() {
            marked["metadata"]["deletionTimestamp"] = json!(util::now());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
        }
        if !fins.is_empty() {
            marked["metadata"]["finalizers"] = json!(fins);
        }
        if is_namespace {
            if !marked["status"].is_object() {
                marked["status"] = json!({});
            }
            marked["status"]["phase"] = json!("Terminating");
        }
        let marked = self.store_modified(def, &key, &current, marked);
        if is_namespace {
            self.clean_namespace(&key.name);
            return Ok(self
                .lookup_key(&key)
                .map(|o| (*o).clone())
                .unwrap_or_else(|| (*marked).clone()));
        }
        if opts.propagation == Propagation::Foreground {
            let uid = meta_str(&marked, "uid").to_string();
            for dep in self.dependents_of(&uid, &key.namespace) {
                self.delete_key(&dep, Propagation::Foreground);
            }
            self.finish_foreground(&key);
        }
        Ok(self
            .lookup_key(&key)
            .map(|o| (*o).clone())
            .unwrap_or_else(|| (*marked).clone()))
    }

    fn store_modified(
        &mut self,
        def: &ResourceDef,
        key: &ObjectKey,
        current: &Arc<Value>,
        mut new: Value,
    ) -> Arc<Value> {
        let rv = self.next_rv();
        new["metadata"]["resourceVersion"] = json!(rv.to_string());
        let new = Arc::new(new);
        self.table_mut(&def.group, &def.plural)
            .insert((key.namespace.clone(), key.name.clone()), new.clone());
        self.emit(
            EventType::Modified,
            &def.group,
            &def.plural,
            new.clone(),
            Some(current.clone()),
        );
        new
    }

    /// Deletes an object found by key (used for cascades; errors are not reported).
    fn delete_key(&mut self, key: &ObjectKey, propagation: Propagation) {
        if let Some(def) = self.def_for(key) {
            let opts = DeleteOptions {
                propagation,
                ..DeleteOptions::default()
            };
            let _ = self.delete(&def, &key.namespace, &key.name, &opts);
        }
    }

    fn orphan_dependents(&mut self, uid: &str, namespace: &str) {
        for dep in self.dependents_of(uid, namespace) {
            let (Some(def), Some(obj)) = (self.def_for(&dep), self.lookup_key(&dep)) else {
                continue;
            };
            let mut new = (*obj).clone();
            if let Some(refs) = new["metadata"]["ownerReferences"].as_array_mut() {
                refs.retain(|r| r["uid"].as_str() != Some(uid));
                if refs.is_empty()
                    && let Some(m) = new["metadata"].as_object_mut()
                {
                    m.remove("ownerReferences");
                }
            }
            self.store_modified(&def, &dep, &obj, new);
        }
    }

    /// Removes an object for good (DELETED event), then runs what depends on its removal:
    /// garbage collection of dependents, namespace and CRD cleanup, waiting owners.
    pub(crate) fn remove(&mut self, key: &ObjectKey) -> Option<Arc<Value>> {
        let table = self
            .tables
            .get_mut(&(key.group.clone(), key.resource.clone()))?;
        let old = table.remove(&(key.namespace.clone(), key.name.clone()))?;
        let uid = meta_str(&old, "uid").to_string();
        self.uids.remove(&uid);
        let rv = self.next_rv();
        let mut last = (*old).clone();
        last["metadata"]["resourceVersion"] = json!(rv.to_string());
        let last = Arc::new(last);
        self.emit(
            EventType::Deleted,
            &key.group,
            &key.resource,
            last.clone(),
            Some(old.clone()),
        );

        if key.group.is_empty() && key.resource == "namespaces" {
            self.logs.remove_namespace(&key.name);
        }
        if key.group.is_empty() && key.resource == "pods" {
            self.logs.remove_pod(&key.namespace, &key.name);
            self.logs_changed.send_modify(|n| *n += 1);
        }
        if key.group == "apiextensions.k8s.io" && key.resource == "customresourcedefinitions" {
            self.remove_crd(&old);
        }
        // Background garbage collection: dependents with no remaining owner go too.
        for dep in self.dependents_of(&uid, &key.namespace) {
            let Some(obj) = self.lookup_key(&dep) else {
                continue;
            };
            if owner_uids(&obj).iter().all(|u| !self.uids.contains_key(u)) {
                self.delete_key(&dep, Propagation::Background);
            }
        }
        // Owners waiting in foreground deletion.
        for owner in owner_uids(&old) {
            if let Some(owner_key) = self.uids.get(&owner).cloned() {
                self.finish_foreground(&owner_key);
            }
        }
        // A terminating namespace that is now empty goes away.
        if !key.namespace.is_empty() {
            self.finish_namespace(&key.namespace.clone());
        }
        Some(last)
    }

    /// Drops the foregroundDeletion finalizer of an owner whose dependents are all gone.
    fn finish_foreground(&mut self, key: &ObjectKey) {
        let (Some(def), Some(obj)) = (self.def_for(key), self.lookup_key(key)) else {
            return;
        };
        if obj["metadata"]["deletionTimestamp"].is_null()
            || !finalizers(&obj).iter().any(|f| f == FOREGROUND)
        {
            return;
        }
        if !self
            .dependents_of(meta_str(&obj, "uid"), &key.namespace)
            .is_empty()
        {
            return;
        }
        let mut new = (*obj).clone();
        let rest: Vec<String> = finalizers(&obj)
            .into_iter()
            .filter(|f| f != FOREGROUND && f != ORPHAN)
            .collect();
        if rest.is_empty() {
            if let Some(m) = new["metadata"].as_object_mut() {
                m.remove("finalizers");
            }
        } else {
            new["metadata"]["finalizers"] = json!(rest);
        }
        let done = rest.is_empty();
        self.store_modified(&def, key, &obj, new);
        if done {
            self.remove(key);
        }
    }

    fn namespaced_keys(&self, namespace: &str) -> Vec<ObjectKey> {
        let mut out = Vec::new();
        for ((group, resource), table) in &self.tables {
            for ((ns, name), _) in table
                .range((namespace.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == namespace)
            {
                out.push(ObjectKey {
                    group: group.clone(),
                    resource: resource.clone(),
                    namespace: ns.clone(),
                    name: name.clone(),
                });
            }
        }
        out
    }

    fn clean_namespace(&mut self, namespace: &str) {
        for key in self.namespaced_keys(namespace) {
            if self
                .lookup_key(&key)
                .is_some_and(|o| o["metadata"]["deletionTimestamp"].is_null())
            {
                self.delete_key(&key, Propagation::Background);
            }
        }
        self.finish_namespace(namespace);
    }

    fn finish_namespace(&mut self, namespace: &str) {
        let key = ObjectKey {
            group: String::new(),
            resource: "namespaces".into(),
            namespace: String::new(),
            name: namespace.to_string(),
        };
        let Some(ns) = self.lookup_key(&key) else {
            return;
        };
        if ns["metadata"]["deletionTimestamp"].is_null() || !finalizers(&ns).is_empty() {
            return;
        }
        if self.namespaced_keys(namespace).is_empty() {
            self.remove(&key);
        }
    }

    fn remove_crd(&mut self, crd: &Value) {
        let name = meta_str(crd, "name");
        let defs = self.registry.remove_crd(name);
        let Some(def) = defs.first() else { return };
        let table_key = (def.group.clone(), def.plural.clone());
        let keys: Vec<(String, String)> = self
            .tables
            .get(&table_key)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        for (ns, n) in keys {
            let key = ObjectKey {
                group: def.group.clone(),
                resource: def.plural.clone(),
                namespace: ns,
                name: n,
            };
            self.remove(&key);
        }
        self.tables.remove(&table_key);
    }
}

/// Validates a CRD object before it is stored.
pub(crate) fn validate_crd(registry: &Registry, crd: &Value) -> ApiResult<()> {
    let name = crd["metadata"]["name"].as_str().unwrap_or_default();
    let spec = &crd["spec"];
    let group = spec["group"].as_str().unwrap_or_default();
    let plural = spec["names"]["plural"].as_str().unwrap_or_default();
    let kind = spec["names"]["kind"].as_str().unwrap_or_default();
    let mut causes = Vec::new();
    if group.is_empty() {
        causes.push(Cause::new(
            "FieldValueRequired",
            "spec.group",
            "Required value",
        ));
    }
    if plural.is_empty() {
        causes.push(Cause::new(
            "FieldValueRequired",
            "spec.names.plural",
            "Required value",
        ));
    }
    if kind.is_empty() {
        causes.push(Cause::new(
            "FieldValueRequired",
            "spec.names.kind",
            "Required value",
        ));
    }
    if !group.is_empty() && !plural.is_empty() && name != format!("{plural}.{group}") {
        causes.push(Cause::new(
            "FieldValueInvalid",
            "metadata.name",
            format!("Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"),
        ));
    }
    if !matches!(spec["scope"].as_str(), Some("Namespaced" | "Cluster")) {
        causes.push(Cause::new(
            "FieldValueNotSupported",
            "spec.scope",
            format!(
                "Unsupported value: {}: supported values: \"Cluster\", \"Namespaced\"",
                spec["scope"]
            ),
        ));
    }
    let versions = spec["versions"].as_array().cloned().unwrap_or_default();
    if versions.is_empty() {
        causes.push(Cause::new(
            "FieldValueRequired",
            "spec.versions",
            "Required value: must have exactly one version marked as storage version",
        ));
    } else if versions
        .iter()
        .filter(|v| v["storage"].as_bool() == Some(true))
        .count()
        != 1
    {
        causes.push(Cause::new(
            "FieldValueInvalid",
            "spec.versions",
            "Invalid value: must have exactly one version marked as storage version",
        ));
    }
    if !causes.is_empty() {
        return Err(ApiError::invalid(
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            name,
            causes,
        ));
    }
    if registry.is_taken(group, plural, name) {
        return Err(ApiError::invalid(
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            name,
            vec![Cause::new(
                "FieldValueInvalid",
                "spec.names.plural",
                format!("Invalid value: \"{plural}\": is already in use"),
            )],
        ));
    }
    Ok(())
}

/// The status the CRD controllers would settle on: names accepted, established, stored versions.
pub(crate) fn crd_status(crd: &Value) -> Value {
    let now = util::now();
    let storage: Vec<Value> = crd["spec"]["versions"]
        .as_array()
        .map(|vs| {
            vs.iter()
                .filter(|v| v["storage"].as_bool() == Some(true))
                .map(|v| v["name"].clone())
                .collect()
        })
        .unwrap_or_default();
    let mut stored = crd["status"]["storedVersions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for v in storage {
        if !stored.contains(&v) {
            stored.push(v);
        }
    }
    let mut accepted = crd["spec"]["names"].clone();
    if accepted["singular"].is_null()
        && let Some(kind) = accepted["kind"].as_str()
    {
        accepted["singular"] = json!(kind.to_ascii_lowercase());
    }
    if accepted["listKind"].is_null()
        && let Some(kind) = accepted["kind"].as_str()
    {
        accepted["listKind"] = json!(format!("{kind}List"));
    }
    let keep_time = |ty: &str| -> String {
        crd["status"]["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == ty))
            .and_then(|c| c["lastTransitionTime"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| now.clone())
    };
    json!({
        "acceptedNames": accepted,
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found", "lastTransitionTime": keep_time("NamesAccepted")},
            {"type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted", "lastTransitionTime": keep_time("Established")},
        ],
        "storedVersions": stored,
    })
}
