//! Server-side apply and managed-fields tracking.

use serde_json::{Map, Value, json};

use super::fields::{FieldSet, display_path, remove_at, value_at};
use super::{ListStrategy, Schema};

/// One field another manager owns with a different value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyConflict {
    /// The manager owning the field.
    pub manager: String,
    /// The apiVersion that manager used.
    pub api_version: String,
    /// The field, as `.spec.replicas`.
    pub field: String,
}

impl ApplyConflict {
    /// `conflict with "kubectl" using apps/v1: .spec.replicas`
    pub fn message(&self) -> String {
        format!(
            "conflict with \"{}\" using {}: {}",
            self.manager, self.api_version, self.field
        )
    }
}

/// Why an apply failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// Fields owned by other managers would change (409 unless forced).
    Conflicts(Vec<ApplyConflict>),
}

/// Who writes: a field manager, the apiVersion it uses, the time, and the subresource
/// (`""` for the main resource, `"status"`, `"scale"`).
#[derive(Debug, Clone, Copy)]
pub struct Manager<'a> {
    /// Field manager name.
    pub name: &'a str,
    /// apiVersion of the request.
    pub api_version: &'a str,
    /// RFC 3339 time of the write.
    pub time: &'a str,
    /// Subresource written (`""` for the main resource).
    pub subresource: &'a str,
}

#[derive(Debug, Clone)]
struct Entry {
    manager: String,
    operation: String,
    api_version: String,
    time: String,
    subresource: String,
    set: FieldSet,
}

impl Entry {
    fn is(&self, manager: &str, operation: &str, subresource: &str) -> bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }
}

fn read_entries(obj: &Value) -> Vec<Entry> {
    obj["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| Entry {
                    manager: e["manager"].as_str().unwrap_or_default().to_string(),
                    operation: e["operation"].as_str().unwrap_or_default().to_string(),
                    api_version: e["apiVersion"].as_str().unwrap_or_default().to_string(),
                    time: e["time"].as_str().unwrap_or_default().to_string(),
                    subresource: e["subresource"].as_str().unwrap_or_default().to_string(),
                    set: FieldSet::from_fields_v1(&e["fieldsV1"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn write_entries(obj: &mut Value, entries: Vec<Entry>) {
    let list: Vec<Value> = entries
        .into_iter()
        .filter(|e| !e.set.is_empty())
        .map(|e| {
            let mut v = json!({
                "manager": e.manager,
                "operation": e.operation,
                "apiVersion": e.api_version,
                "time": e.time,
                "fieldsType": "FieldsV1",
                "fieldsV1": e.set.to_fields_v1(),
            });
            if !e.subresource.is_empty() {
                v["subresource"] = json!(e.subresource);
            }
            v
        })
        .collect();
    if !obj.is_object() {
        *obj = json!({});
    }
    if !obj["metadata"].is_object() {
        obj["metadata"] = json!({});
    }
    if let Some(meta) = obj["metadata"].as_object_mut() {
        if list.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".to_string(), Value::Array(list));
        }
    }
}

fn differs(live: Option<&Value>, applied: Option<&Value>) -> bool {
    match (live, applied) {
        (Some(l), Some(a)) => !(l.is_object() && a.is_object()) && l != a,
        _ => false,
    }
}

/// Server-side apply of `applied` (an object as the client sent it) over `live` (None = create).
///
/// Returns the resulting object with `metadata.managedFields` updated: `manager` owns exactly
/// the fields of `applied`; fields it applied before and now omits are removed unless another
/// manager owns them; fields owned by other managers with a different value are conflicts,
/// unless `force` takes them over. The caller applies the usual update semantics
/// (resourceVersion, status, generation) to the result.
pub fn apply(
    live: Option<&Value>,
    applied: &Value,
    who: &Manager<'_>,
    force: bool,
    schema: &Schema,
) -> Result<Value, ApplyError> {
    let Manager {
        name: manager,
        api_version,
        time: now,
        subresource,
    } = *who;
    let mut applied = applied.clone();
    if let Some(meta) = applied.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        meta.remove("resourceVersion");
    }
    let mut obj = live.cloned().unwrap_or_else(|| json!({}));
    let mut entries = read_entries(&obj);
    let applied_set = FieldSet::of(&applied, schema);

    let mut conflicts = Vec::new();
    for e in entries
        .iter_mut()
        .filter(|e| !e.is(manager, "Apply", subresource))
    {
        let mut taken = Vec::new();
        for p in &e.set.intersection(&applied_set).0 {
            if differs(value_at(&obj, p), value_at(&applied, p)) {
                conflicts.push(ApplyConflict {
                    manager: e.manager.clone(),
                    api_version: e.api_version.clone(),
                    field: display_path(p),
                });
                taken.push(p.clone());
            }
        }
        if force {
            for p in taken {
                e.set.0.remove(&p);
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(ApplyError::Conflicts(conflicts));
    }

    let previous = entries
        .iter()
        .find(|e| e.is(manager, "Apply", subresource))
        .map(|e| e.set.clone())
        .unwrap_or_default();
    let others = entries
        .iter()
        .filter(|e| !e.is(manager, "Apply", subresource))
        .fold(FieldSet::default(), |acc, e| acc.union(&e.set));
    let mut dropped: Vec<_> = previous.difference(&applied_set).0.into_iter().collect();
    dropped.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in dropped {
        if !others.has_prefix(&p) {
            remove_at(&mut obj, &p);
        }
    }

    merge_applied(&mut obj, &applied, schema, &mut Vec::new());

    match entries
        .iter_mut()
        .find(|e| e.is(manager, "Apply", subresource))
    {
        Some(e) => {
            e.set = applied_set;
            e.api_version = api_version.to_string();
            e.time = now.to_string();
        }
        None => entries.push(Entry {
            manager: manager.to_string(),
            operation: "Apply".to_string(),
            api_version: api_version.to_string(),
            time: now.to_string(),
            subresource: subresource.to_string(),
            set: applied_set,
        }),
    }
    write_entries(&mut obj, entries);
    Ok(obj)
}

fn merge_applied(target: &mut Value, applied: &Value, schema: &Schema, names: &mut Vec<String>) {
    let Value::Object(a) = applied else {
        *target = applied.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in a {
        if names.len() == 1 && names[0] == "metadata" && k == "managedFields" {
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        names.push(k.clone());
        match v {
            Value::Object(_) => {
                merge_applied(t.entry(k.clone()).or_insert(Value::Null), v, schema, names)
            }
            Value::Array(items) => {
                let current = t.entry(k.clone()).or_insert(Value::Null);
                merge_list(current, items, schema, names);
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
        names.pop();
    }
}

fn merge_list(current: &mut Value, items: &[Value], schema: &Schema, names: &mut Vec<String>) {
    match schema.list_strategy(names) {
        ListStrategy::Atomic => *current = Value::Array(items.to_vec()),
        ListStrategy::Set => {
            if !current.is_array() {
                *current = Value::Array(Vec::new());
            }
            if let Value::Array(list) = current {
                for item in items {
                    if !list.contains(item) {
                        list.push(item.clone());
                    }
                }
            }
        }
        ListStrategy::Map(keys) => {
            if !current.is_array() {
                *current = Value::Array(Vec::new());
            }
            let Value::Array(list) = current else { return };
            for item in items {
                let key: Option<Vec<&Value>> = keys.iter().map(|k| item.get(k)).collect();
                let pos = key.as_ref().and_then(|key| {
                    list.iter().position(|e| {
                        keys.iter()
                            .zip(key.iter())
                            .all(|(k, v)| e.get(k) == Some(*v))
                    })
                });
                match pos {
                    Some(i) => merge_applied(&mut list[i], item, schema, names),
                    None => list.push(item.clone()),
                }
            }
        }
    }
}

/// Records a non-apply write (create, update, patch) in `new`'s managedFields: `manager` takes
/// the fields whose values changed, other managers lose them, and fields that no longer exist
/// are dropped from every manager. When the request itself changed `managedFields`, they are
/// kept as sent (that is how clients reset or migrate ownership).
pub fn track_update(old: Option<&Value>, new: &mut Value, who: &Manager<'_>, schema: &Schema) {
    let Manager {
        name: manager,
        api_version,
        time: now,
        subresource,
    } = *who;
    let old_mf = old
        .map(|o| o["metadata"]["managedFields"].clone())
        .unwrap_or(Value::Null);
    let new_mf = new["metadata"]["managedFields"].clone();
    if !new_mf.is_null() && new_mf != old_mf {
        if new_mf.as_array().is_some_and(|a| a.is_empty())
            && let Some(meta) = new.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.remove("managedFields");
        }
        return;
    }
    let mut entries = old.map(read_entries).unwrap_or_default();
    let new_set = FieldSet::of(new, schema);
    let empty = Value::Null;
    let old_obj = old.unwrap_or(&empty);
    let changed = FieldSet(
        new_set
            .0
            .iter()
            .filter(|p| {
                let (o, n) = (value_at(old_obj, p), value_at(new, p));
                match (o, n) {
                    (None, _) => true,
                    (Some(o), Some(n)) => !(o.is_object() && n.is_object()) && o != n,
                    (Some(_), None) => false,
                }
            })
            .cloned()
            .collect(),
    );
    for e in entries.iter_mut() {
        e.set = e.set.intersection(&new_set);
        if !e.is(manager, "Update", subresource) {
            e.set = e.set.difference(&changed);
        }
    }
    if !changed.is_empty() {
        match entries
            .iter_mut()
            .find(|e| e.is(manager, "Update", subresource))
        {
            Some(e) => {
                e.set = e.set.union(&changed);
                e.time = now.to_string();
                e.api_version = api_version.to_string();
            }
            None => entries.push(Entry {
                manager: manager.to_string(),
                operation: "Update".to_string(),
                api_version: api_version.to_string(),
                time: now.to_string(),
                subresource: subresource.to_string(),
                set: changed,
            }),
        }
    }
    write_entries(new, entries);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(replicas: i64, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": replicas, "template": {"spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn m(name: &str) -> Manager<'_> {
        Manager {
            name,
            api_version: "apps/v1",
            time: "t",
            subresource: "",
        }
    }

    fn schema() -> Schema {
        Schema::for_kind("Deployment")
    }

    #[test]
    fn apply_creates_and_records_owner() {
        let out = apply(None, &deploy(1, "a"), &m("kubectl"), false, &schema()).unwrap();
        assert_eq!(out["spec"]["replicas"], 1);
        let mf = &out["metadata"]["managedFields"][0];
        assert_eq!(mf["manager"], "kubectl");
        assert_eq!(mf["operation"], "Apply");
        assert!(mf["fieldsV1"]["f:spec"]["f:replicas"].is_object());
    }

    #[test]
    fn conflicts_unless_forced_and_shared_when_equal() {
        let live = apply(None, &deploy(1, "a"), &m("one"), false, &schema()).unwrap();
        // Same values: no conflict, shared ownership.
        let shared = apply(Some(&live), &deploy(1, "a"), &m("two"), false, &schema()).unwrap();
        assert_eq!(
            shared["metadata"]["managedFields"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // Different replicas: conflict with "one".
        let err = apply(Some(&live), &deploy(3, "a"), &m("two"), false, &schema()).unwrap_err();
        let ApplyError::Conflicts(c) = err;
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].message(),
            "conflict with \"one\" using apps/v1: .spec.replicas"
        );
        let forced = apply(Some(&live), &deploy(3, "a"), &m("two"), true, &schema()).unwrap();
        assert_eq!(forced["spec"]["replicas"], 3);
        let one = forced["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["manager"] == "one")
            .unwrap();
        assert!(one["fieldsV1"]["f:spec"].get("f:replicas").is_none());
    }

    #[test]
    fn omitted_fields_are_removed() {
        let live = apply(None, &deploy(2, "a"), &m("m"), false, &schema()).unwrap();
        let mut next = deploy(2, "a");
        next["spec"].as_object_mut().unwrap().remove("replicas");
        next["metadata"]["labels"] = json!({"tier": "fe"});
        let out = apply(Some(&live), &next, &m("m"), false, &schema()).unwrap();
        assert!(out["spec"].get("replicas").is_none());
        assert_eq!(out["metadata"]["labels"], json!({"tier": "fe"}));
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"][0]["image"],
            "a"
        );
    }

    #[test]
    fn update_takes_changed_fields_from_appliers() {
        let live = apply(None, &deploy(2, "a"), &m("kubectl"), false, &schema()).unwrap();
        let mut new = live.clone();
        new["spec"]["replicas"] = json!(5);
        track_update(Some(&live), &mut new, &m("hpa"), &schema());
        let mf = new["metadata"]["managedFields"].as_array().unwrap();
        let hpa = mf.iter().find(|e| e["manager"] == "hpa").unwrap();
        assert_eq!(hpa["operation"], "Update");
        assert!(hpa["fieldsV1"]["f:spec"]["f:replicas"].is_object());
        let k = mf.iter().find(|e| e["manager"] == "kubectl").unwrap();
        assert!(k["fieldsV1"]["f:spec"].get("f:replicas").is_none());
        // Applying the old value again now conflicts with the updater.
        let err = apply(Some(&new), &deploy(2, "a"), &m("kubectl"), false, &schema());
        assert!(matches!(err, Err(ApplyError::Conflicts(_))));
    }

    #[test]
    fn explicit_managed_fields_are_kept() {
        let live = apply(None, &deploy(2, "a"), &m("kubectl"), false, &schema()).unwrap();
        let mut new = live.clone();
        new["metadata"]["managedFields"] = json!([]);
        track_update(Some(&live), &mut new, &m("x"), &schema());
        assert!(new["metadata"].get("managedFields").is_none());
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        for live in [
            json!("x"),
            json!([1]),
            json!({"metadata": "m", "spec": [1]}),
            json!({"metadata": {"managedFields": "bad"}}),
        ] {
            for applied in [
                json!({"metadata": "m"}),
                json!({"spec": {"template": {"spec": {"containers": ["a", {"image": "x"}]}}}}),
                json!([]),
            ] {
                let _ = apply(Some(&live), &applied, &m("a"), true, &schema());
                let mut new = applied.clone();
                track_update(Some(&live), &mut new, &m("b"), &schema());
            }
        }
    }
}
