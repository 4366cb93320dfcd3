//! Field sets as in `managedFields[].fieldsV1`: which fields of an object a manager owns.
//!
//! A field set is held as a set of member paths. Path elements are written as in `fieldsV1`:
//! `f:name` (a map field), `k:{"name":"x"}` (a list element by key), `v:"x"` (a set element),
//! `i:0` (a position).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{ListStrategy, Schema};

/// One path of field-set elements.
pub type FieldPath = Vec<String>;

/// A set of owned field paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet(pub BTreeSet<FieldPath>);

/// Top-level fields that are never tracked.
const UNTRACKED_TOP: &[&str] = &["apiVersion", "kind"];
const UNTRACKED_META: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

fn key_element(item: &Value, keys: &[String]) -> Option<String> {
    let obj = item.as_object()?;
    let mut m = Map::new();
    for k in keys {
        m.insert(k.clone(), obj.get(k)?.clone());
    }
    Some(format!("k:{}", Value::Object(m)))
}

impl FieldSet {
    /// The fields set in `obj` (apiVersion, kind and server-owned metadata excluded).
    pub fn of(obj: &Value, schema: &Schema) -> FieldSet {
        let mut set = FieldSet::default();
        let mut names = Vec::new();
        let mut path = Vec::new();
        if let Some(m) = obj.as_object() {
            for (k, v) in m {
                if UNTRACKED_TOP.contains(&k.as_str()) {
                    continue;
                }
                if k == "metadata" {
                    if let Some(meta) = v.as_object() {
                        for (mk, mv) in meta {
                            if UNTRACKED_META.contains(&mk.as_str()) {
                                continue;
                            }
                            names.extend(["metadata".to_string(), mk.clone()]);
                            path.extend(["f:metadata".to_string(), format!("f:{mk}")]);
                            set.walk(mv, schema, &mut names, &mut path);
                            names.clear();
                            path.clear();
                        }
                    }
                    continue;
                }
                names.push(k.clone());
                path.push(format!("f:{k}"));
                set.walk(v, schema, &mut names, &mut path);
                names.clear();
                path.clear();
            }
        }
        set
    }

    fn walk(&mut self, v: &Value, schema: &Schema, names: &mut Vec<String>, path: &mut FieldPath) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, child) in m {
                    names.push(k.clone());
                    path.push(format!("f:{k}"));
                    self.walk(child, schema, names, path);
                    names.pop();
                    path.pop();
                }
            }
            Value::Array(items) if !items.is_empty() => match schema.list_strategy(names) {
                ListStrategy::Map(keys) => {
                    for item in items {
                        let Some(elem) = key_element(item, &keys) else {
                            self.0.insert(path.clone());
                            continue;
                        };
                        path.push(elem);
                        self.0.insert(path.clone());
                        if let Some(m) = item.as_object() {
                            for (k, child) in m {
                                names.push(k.clone());
                                path.push(format!("f:{k}"));
                                self.walk(child, schema, names, path);
                                names.pop();
                                path.pop();
                            }
                        }
                        path.pop();
                    }
                }
                ListStrategy::Set => {
                    for item in items {
                        path.push(format!("v:{item}"));
                        self.0.insert(path.clone());
                        path.pop();
                    }
                }
                ListStrategy::Atomic => {
                    self.0.insert(path.clone());
                }
            },
            _ => {
                self.0.insert(path.clone());
            }
        }
    }

    /// Reads a `fieldsV1` object.
    pub fn from_fields_v1(v: &Value) -> FieldSet {
        fn rec(node: &Value, path: &mut FieldPath, out: &mut BTreeSet<FieldPath>) {
            let Some(m) = node.as_object() else { return };
            if !path.is_empty() && (m.is_empty() || m.contains_key(".")) {
                out.insert(path.clone());
            }
            for (k, child) in m {
                if k == "." {
                    continue;
                }
                path.push(k.clone());
                rec(child, path, out);
                path.pop();
            }
        }
        let mut out = BTreeSet::new();
        rec(v, &mut Vec::new(), &mut out);
        FieldSet(out)
    }

    /// Writes a `fieldsV1` object.
    pub fn to_fields_v1(&self) -> Value {
        fn insert(node: &mut Map<String, Value>, path: &[String]) {
            if let Some((first, rest)) = path.split_first()
                && let Value::Object(m) = node
                    .entry(first.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
            {
                insert(m, rest);
            }
        }
        let mut root = Map::new();
        for path in &self.0 {
            insert(&mut root, path);
        }
        // Members that also have children get a "." marker.
        fn mark(node: &mut Map<String, Value>, path: &mut FieldPath, set: &BTreeSet<FieldPath>) {
            for (k, child) in node.iter_mut() {
                if k == "." {
                    continue;
                }
                path.push(k.clone());
                if let Value::Object(m) = child {
                    if !m.is_empty() && set.contains(path) {
                        m.insert(".".to_string(), Value::Object(Map::new()));
                    }
                    mark(m, path, set);
                }
                path.pop();
            }
        }
        mark(&mut root, &mut Vec::new(), &self.0);
        Value::Object(root)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Paths in both sets.
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.intersection(&other.0).cloned().collect())
    }

    /// Paths in self and not in other.
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.difference(&other.0).cloned().collect())
    }

    /// Paths in either set.
    pub fn union(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.union(&other.0).cloned().collect())
    }

    /// True when some path of self starts with `prefix`.
    pub fn has_prefix(&self, prefix: &[String]) -> bool {
        self.0.iter().any(|p| p.starts_with(prefix))
    }
}

/// The value at a field path in an object.
pub fn value_at<'a>(obj: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = obj;
    for elem in path {
        cur = step(cur, elem)?;
    }
    Some(cur)
}

fn step<'a>(cur: &'a Value, elem: &str) -> Option<&'a Value> {
    if let Some(f) = elem.strip_prefix("f:") {
        return cur.as_object()?.get(f);
    }
    if let Some(k) = elem.strip_prefix("k:") {
        let key: Map<String, Value> = serde_json::from_str(k).ok()?;
        return cur
            .as_array()?
            .iter()
            .find(|e| key.iter().all(|(kk, kv)| e.get(kk) == Some(kv)));
    }
    if let Some(v) = elem.strip_prefix("v:") {
        let val: Value = serde_json::from_str(v).ok()?;
        return cur.as_array()?.iter().find(|e| **e == val);
    }
    if let Some(i) = elem.strip_prefix("i:") {
        return cur.as_array()?.get(i.parse::<usize>().ok()?);
    }
    None
}

/// Removes the value at a field path (a map field, a keyed element or a set element).
pub fn remove_at(obj: &mut Value, path: &[String]) {
    match path {
        [] => {}
        [last] => {
            if let Some(f) = last.strip_prefix("f:") {
                if let Some(m) = obj.as_object_mut() {
                    m.remove(f);
                }
            } else if let Some(target) = step(obj, last).cloned()
                && let Some(arr) = obj.as_array_mut()
                && let Some(i) = arr.iter().position(|e| *e == target)
            {
                arr.remove(i);
            }
        }
        [first, rest @ ..] => {
            if let Some(child) = find_mut(obj, first) {
                remove_at(child, rest);
            }
        }
    }
}

fn find_mut<'a>(cur: &'a mut Value, elem: &str) -> Option<&'a mut Value> {
    if let Some(f) = elem.strip_prefix("f:") {
        return cur.as_object_mut()?.get_mut(f);
    }
    if let Some(k) = elem.strip_prefix("k:") {
        let key: Map<String, Value> = serde_json::from_str(k).ok()?;
        return cur
            .as_array_mut()?
            .iter_mut()
            .find(|e| key.iter().all(|(kk, kv)| e.get(kk) == Some(kv)));
    }
    if let Some(v) = elem.strip_prefix("v:") {
        let val: Value = serde_json::from_str(v).ok()?;
        return cur.as_array_mut()?.iter_mut().find(|e| **e == val);
    }
    if let Some(i) = elem.strip_prefix("i:") {
        return cur.as_array_mut()?.get_mut(i.parse::<usize>().ok()?);
    }
    None
}

/// A field path as kubectl shows it in conflicts: `.spec.containers[name="app"].image`.
pub fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for elem in path {
        if let Some(f) = elem.strip_prefix("f:") {
            out.push('.');
            out.push_str(f);
        } else if let Some(k) = elem.strip_prefix("k:") {
            let key: Map<String, Value> = serde_json::from_str(k).unwrap_or_default();
            let parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("[{}]", parts.join(",")));
        } else if let Some(v) = elem.strip_prefix("v:") {
            out.push_str(&format!("[={v}]"));
        } else if let Some(i) = elem.strip_prefix("i:") {
            out.push_str(&format!("[{i}]"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_of_a_deployment() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "i", "args": ["a"]}]}}}});
        let set = FieldSet::of(&obj, &Schema::for_kind("Deployment"));
        let v1 = set.to_fields_v1();
        assert_eq!(
            v1,
            json!({"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {
                "f:containers": {"k:{\"name\":\"c\"}": {".": {}, "f:args": {}, "f:image": {}, "f:name": {}}}}}}})
        );
        assert_eq!(FieldSet::from_fields_v1(&v1), set);
    }

    #[test]
    fn lookup_and_remove_by_path() {
        let mut obj = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b"}]}, "metadata": {"finalizers": ["f1", "f2"]}});
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            value_at(
                &obj,
                &p(&["f:spec", "f:containers", "k:{\"name\":\"a\"}", "f:image"])
            ),
            Some(&json!("x"))
        );
        remove_at(
            &mut obj,
            &p(&["f:spec", "f:containers", "k:{\"name\":\"a\"}", "f:image"]),
        );
        remove_at(
            &mut obj,
            &p(&["f:spec", "f:containers", "k:{\"name\":\"b\"}"]),
        );
        remove_at(&mut obj, &p(&["f:metadata", "f:finalizers", "v:\"f1\""]));
        assert_eq!(
            obj,
            json!({"spec": {"containers": [{"name": "a"}]}, "metadata": {"finalizers": ["f2"]}})
        );
        assert_eq!(
            display_path(&p(&[
                "f:spec",
                "f:containers",
                "k:{\"name\":\"a\"}",
                "f:image"
            ])),
            ".spec.containers[name=\"a\"].image"
        );
    }
}
