//! Strategic merge patch, as Kubernetes' `strategicpatch` package applies it to a Pod: maps merge,
//! lists of containers/volumes/env/ports/mounts merge by their key, other lists are replaced, `null`
//! deletes, and `$patch: replace|delete|merge` directives are honoured. The element order of merged
//! lists follows Kubernetes too: patch elements keep their patch order and original-only elements
//! are interleaved by their original position, with new elements ahead of them.

use serde_json::{Map, Value};

use super::gotypes::{Merge, Ty};

const PATCH: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE: &str = "$deleteFromPrimitiveList/";
const SET_ELEMENT_ORDER: &str = "$setElementOrder/";

/// Applies `patch` on top of `original`, both shaped like `ty`.
pub fn apply(original: &Value, patch: &Value, ty: &Ty) -> Value {
    merge(original.clone(), patch, ty)
}

/// [`apply`], consuming `original` (no copies of the parts the patch does not touch).
pub fn merge(original: Value, patch: &Value, ty: &Ty) -> Value {
    match (original, patch) {
        (Value::Object(o), Value::Object(p)) => Value::Object(merge_map(o, p, ty)),
        _ => strip_directives(patch),
    }
}

fn field_of(ty: &Ty, key: &str) -> (&'static Ty, Merge) {
    static OPAQUE: Ty = Ty::Opaque;
    match ty {
        Ty::Struct(def) => match def.field(key) {
            Some(f) => (f.ty, f.merge),
            None => (&OPAQUE, Merge::Replace),
        },
        Ty::Map(item) => (item, Merge::Replace),
        _ => (&OPAQUE, Merge::Replace),
    }
}

fn merge_map(
    mut original: Map<String, Value>,
    patch: &Map<String, Value>,
    ty: &Ty,
) -> Map<String, Value> {
    match patch.get(PATCH).and_then(Value::as_str) {
        Some("replace") => {
            return match strip_directives(&Value::Object(patch.clone())) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
        }
        Some("delete") => return Map::new(),
        _ => {}
    }
    for (key, patch_value) in patch {
        if key == PATCH || key == RETAIN_KEYS || key.starts_with(SET_ELEMENT_ORDER) {
            continue;
        }
        if let Some(field) = key.strip_prefix(DELETE_FROM_PRIMITIVE) {
            if let (Some(Value::Array(items)), Value::Array(remove)) =
                (original.get_mut(field), patch_value)
            {
                items.retain(|v| !remove.contains(v));
            }
            continue;
        }
        if patch_value.is_null() {
            original.remove(key);
            continue;
        }
        let (field_ty, merge) = field_of(ty, key);
        let merged = match (original.remove(key), patch_value) {
            (None, _) => strip_directives(patch_value),
            (Some(Value::Object(o)), Value::Object(p)) => Value::Object(merge_map(o, p, field_ty)),
            (Some(Value::Array(o)), Value::Array(p)) => {
                let item_ty = match field_ty {
                    Ty::List(item) => *item,
                    _ => field_ty,
                };
                Value::Array(merge_list(o, p, item_ty, merge))
            }
            _ => strip_directives(patch_value),
        };
        original.insert(key.clone(), merged);
    }
    if let Some(Value::Array(retain)) = patch.get(RETAIN_KEYS) {
        original.retain(|k, _| retain.iter().any(|r| r.as_str() == Some(k)));
    }
    original
}

fn merge_list(
    original: Vec<Value>,
    patch: &[Value],
    item_ty: &Ty,
    merge_kind: Merge,
) -> Vec<Value> {
    // `- $patch: replace` anywhere in the patch list replaces the whole list.
    if patch
        .iter()
        .any(|p| p.get(PATCH).and_then(Value::as_str) == Some("replace"))
    {
        return patch
            .iter()
            .filter(|p| p.get(PATCH).is_none())
            .map(strip_directives)
            .collect();
    }
    match merge_kind {
        Merge::Replace => patch.iter().map(strip_directives).collect(),
        Merge::Set => {
            let id = |v: &Value| Some(v.clone());
            let original_ids: Vec<Option<Value>> = original.iter().map(id).collect();
            let mut merged = original;
            for p in patch {
                if !merged.contains(p) {
                    merged.push(p.clone());
                }
            }
            order(merged, patch, &original_ids, id)
        }
        Merge::ByKey(key) => {
            let id = |v: &Value| v.get(key).cloned();
            let original_ids: Vec<Option<Value>> = original.iter().map(id).collect();
            let mut merged = original;
            for p in patch {
                let Some(pid) = p.get(key) else {
                    merged.push(strip_directives(p));
                    continue;
                };
                let pos = merged.iter().position(|o| o.get(key) == Some(pid));
                if p.get(PATCH).and_then(Value::as_str) == Some("delete") {
                    if let Some(i) = pos {
                        merged.remove(i);
                    }
                    continue;
                }
                match pos {
                    Some(i) => merged[i] = merge(std::mem::take(&mut merged[i]), p, item_ty),
                    None => merged.push(strip_directives(p)),
                }
            }
            order(merged, patch, &original_ids, id)
        }
    }
}

/// Kubernetes' `normalizeElementOrder`: elements present in the patch in patch order, the others in
/// original order, merged so that each keeps its relative order and an element the original does
/// not know goes before original-only elements. `id` is an element's identity (its merge key).
fn order(
    merged: Vec<Value>,
    patch: &[Value],
    original_ids: &[Option<Value>],
    id: impl Fn(&Value) -> Option<Value>,
) -> Vec<Value> {
    let patch_ids: Vec<Option<Value>> = patch.iter().map(&id).collect();
    let index = |ids: &[Option<Value>], v: &Option<Value>| {
        v.as_ref()
            .and_then(|v| ids.iter().position(|x| x.as_ref() == Some(v)))
    };
    let keyed: Vec<(Option<Value>, Value)> = merged.into_iter().map(|v| (id(&v), v)).collect();
    let (mut from_patch, mut server_only): (Vec<_>, Vec<_>) = keyed
        .into_iter()
        .partition(|(k, _)| index(&patch_ids, k).is_some());
    from_patch.sort_by_key(|(k, _)| index(&patch_ids, k));
    server_only.sort_by_key(|(k, _)| index(original_ids, k));
    let mut out = Vec::with_capacity(from_patch.len() + server_only.len());
    let (mut left, mut right) = (
        server_only.into_iter().peekable(),
        from_patch.into_iter().peekable(),
    );
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((l, _)), Some((r, _))) => {
                matches!((index(original_ids, l), index(original_ids, r)), (Some(li), Some(ri)) if li < ri)
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next.map(|(_, v)| v));
    }
    out
}

/// Removes patch directives from a value that is taken over as a whole.
fn strip_directives(value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                // a bare `{$patch: ...}` element is a directive, not an element
                .filter(|v| v.get(PATCH).is_none() || v.as_object().is_some_and(|m| m.len() > 1))
                .map(strip_directives)
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istio::inject::gotypes::POD_TY;
    use serde_json::json;

    #[test]
    fn new_containers_go_first_and_existing_ones_merge_in_place() {
        let original = json!({"spec": {"containers": [{"name": "hello", "image": "a"}]}});
        let patch = json!({"spec": {"containers": [{"name": "istio-proxy", "image": "p"}]}});
        let got = apply(&original, &patch, &POD_TY);
        assert_eq!(
            got["spec"]["containers"],
            json!([{"name": "istio-proxy", "image": "p"}, {"name": "hello", "image": "a"}])
        );

        let original = json!({"spec": {"containers": [{"name": "hello"}, {"name": "istio-proxy", "args": ["x"]}]}});
        let patch =
            json!({"spec": {"containers": [{"name": "istio-proxy", "args": ["y"], "image": "p"}]}});
        let got = apply(&original, &patch, &POD_TY);
        assert_eq!(
            got["spec"]["containers"],
            json!([{"name": "hello"}, {"name": "istio-proxy", "args": ["y"], "image": "p"}])
        );
    }

    #[test]
    fn mounts_merge_by_path_env_by_name_and_null_deletes() {
        let original = json!({"spec": {"containers": [{"name": "c",
            "volumeMounts": [{"name": "certs", "mountPath": "/etc/certs"}],
            "env": [{"name": "A", "value": "1"}],
            "tty": true}]}});
        let patch = json!({"spec": {"containers": [{"name": "c",
            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
            "env": [{"name": "A", "value": "2"}, {"name": "B", "value": "3"}],
            "tty": null}]}});
        let got = apply(&original, &patch, &POD_TY);
        assert_eq!(
            got["spec"]["containers"][0],
            json!({"name": "c",
                "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "certs", "mountPath": "/etc/certs"}],
                "env": [{"name": "A", "value": "2"}, {"name": "B", "value": "3"}]})
        );
    }

    #[test]
    fn replace_directive_replaces_a_map() {
        let original = json!({"metadata": {"labels": {"key": "value"}}});
        let patch = json!({"metadata": {"labels": {"$patch": "replace", "foo": "bar"}}});
        assert_eq!(
            apply(&original, &patch, &POD_TY),
            json!({"metadata": {"labels": {"foo": "bar"}}})
        );
    }

    #[test]
    fn args_are_replaced_not_merged() {
        let original = json!({"spec": {"containers": [{"name": "c", "args": ["a", "b"]}]}});
        let patch = json!({"spec": {"containers": [{"name": "c", "args": ["x"]}]}});
        assert_eq!(
            apply(&original, &patch, &POD_TY)["spec"]["containers"][0]["args"],
            json!(["x"])
        );
    }
}
