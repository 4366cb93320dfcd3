//! Strategic merge patch, with the directives kubectl sends.

use serde_json::{Map, Value};

use super::{ListStrategy, PatchError, Schema};

const SET_ORDER: &str = "$setElementOrder/";
const DELETE_FROM: &str = "$deleteFromPrimitiveList/";

/// Applies a strategic merge patch to `target` in place.
///
/// Maps merge recursively and `null` deletes a key. Lists merge according to `schema`
/// ([`Schema::list_strategy`]): by merge key (`containers` by `name`, container `ports` by
/// `containerPort`, Service `ports` by `port`, `conditions` by `type`, ...), as a set
/// (`finalizers`), or are replaced. Directives: `$patch: replace|delete|merge` on maps and list
/// elements, `$setElementOrder/<field>`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`.
/// Directives never end up in the result.
pub fn strategic_merge(
    target: &mut Value,
    patch: &Value,
    schema: &Schema,
) -> Result<(), PatchError> {
    let mut path = Vec::new();
    if !patch.is_object() {
        return Err(PatchError(
            "strategic merge patch must be a JSON object".to_string(),
        ));
    }
    if let Some(result) = merge_map(target, patch, schema, &mut path)? {
        *target = result;
    } else {
        *target = Value::Object(Map::new());
    }
    Ok(())
}

/// Merges the patch map into target; returns `None` when the map is to be deleted.
fn merge_map(
    target: &Value,
    patch: &Value,
    schema: &Schema,
    path: &mut Vec<String>,
) -> Result<Option<Value>, PatchError> {
    let Some(p) = patch.as_object() else {
        return Ok(Some(patch.clone()));
    };
    match p.get("$patch").and_then(Value::as_str) {
        Some("delete") => return Ok(None),
        Some("replace") => return Ok(Some(strip(patch))),
        Some("merge") | None => {}
        Some(other) => return Err(PatchError(format!("unknown patch type: {other}"))),
    }
    let mut out = match target {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for (k, pv) in p {
        if k == "$patch" || k == "$retainKeys" || k.starts_with(SET_ORDER) {
            continue;
        }
        if let Some(field) = k.strip_prefix(DELETE_FROM) {
            let drop = pv.as_array().cloned().unwrap_or_default();
            if let Some(Value::Array(list)) = out.get_mut(field) {
                list.retain(|v| !drop.contains(v));
            }
            continue;
        }
        if pv.is_null() {
            out.remove(k);
            continue;
        }
        path.push(k.clone());
        let current = out.get(k).cloned().unwrap_or(Value::Null);
        let merged = match pv {
            Value::Object(_) => merge_map(&current, pv, schema, path)?,
            Value::Array(items) => {
                let order = p.get(&format!("{SET_ORDER}{k}")).and_then(Value::as_array);
                Some(merge_list(&current, items, order, schema, path)?)
            }
            _ => Some(pv.clone()),
        };
        path.pop();
        match merged {
            Some(v) => {
                out.insert(k.clone(), v);
            }
            None => {
                out.remove(k);
            }
        }
    }
    // A $setElementOrder for a list the patch does not touch still reorders it.
    for (k, order) in p {
        if let Some(field) = k.strip_prefix(SET_ORDER)
            && !p.contains_key(field)
            && let (Some(Value::Array(list)), Some(order)) =
                (out.get(field).cloned(), order.as_array())
        {
            path.push(field.to_string());
            let strategy = schema.list_strategy(path);
            path.pop();
            out.insert(
                field.to_string(),
                Value::Array(reorder(list, order, &strategy)),
            );
        }
    }
    if let Some(retain) = p.get("$retainKeys").and_then(Value::as_array) {
        let keep: Vec<&str> = retain.iter().filter_map(Value::as_str).collect();
        out.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(Some(Value::Object(out)))
}

fn key_of<'a>(v: &'a Value, keys: &[String]) -> Option<Vec<&'a Value>> {
    let obj = v.as_object()?;
    keys.iter().map(|k| obj.get(k)).collect()
}

fn merge_list(
    current: &Value,
    items: &[Value],
    order: Option<&Vec<Value>>,
    schema: &Schema,
    path: &mut Vec<String>,
) -> Result<Value, PatchError> {
    let strategy = schema.list_strategy(path);
    // A `{"$patch": "replace"}` element replaces the list with the other elements.
    let replace = items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"));
    if replace {
        let rest: Vec<Value> = items
            .iter()
            .filter(|i| i.get("$patch").and_then(Value::as_str) != Some("replace"))
            .map(strip)
            .collect();
        return Ok(Value::Array(rest));
    }
    let mut list = match current {
        Value::Array(a) => a.clone(),
        _ => Vec::new(),
    };
    match &strategy {
        ListStrategy::Atomic => {
            list = items.iter().map(strip).collect();
        }
        ListStrategy::Set => {
            for item in items {
                if !list.contains(item) {
                    list.push(item.clone());
                }
            }
        }
        ListStrategy::Map(keys) => {
            for item in items {
                let Some(k) = key_of(item, keys) else {
                    if item.is_object() && item.get("$patch").is_none() {
                        return Err(PatchError(format!(
                            "map: {item} does not contain declared merge key: {}",
                            keys.join(",")
                        )));
                    }
                    continue;
                };
                let k: Vec<Value> = k.into_iter().cloned().collect();
                let pos = list
                    .iter()
                    .position(|e| key_of(e, keys).is_some_and(|ek| ek.into_iter().eq(k.iter())));
                let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                match (pos, delete) {
                    (Some(i), true) => {
                        list.remove(i);
                    }
                    (None, true) => {}
                    (Some(i), false) => match merge_map(&list[i], item, schema, path)? {
                        Some(v) => list[i] = v,
                        None => {
                            list.remove(i);
                        }
                    },
                    (None, false) => list.push(strip(item)),
                }
            }
        }
    }
    if let Some(order) = order {
        list = reorder(list, order, &strategy);
    }
    Ok(Value::Array(list))
}

/// Orders `list` as `order` says (elements named there first, in that order), keeping other
/// elements after them in their current order.
fn reorder(list: Vec<Value>, order: &[Value], strategy: &ListStrategy) -> Vec<Value> {
    let matches = |e: &Value, o: &Value| match strategy {
        ListStrategy::Map(keys) => match (key_of(e, keys), key_of(o, keys)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        _ => e == o,
    };
    let mut rest = list;
    let mut out = Vec::with_capacity(rest.len());
    for o in order {
        if let Some(i) = rest.iter().position(|e| matches(e, o)) {
            out.push(rest.remove(i));
        }
    }
    out.extend(rest);
    out
}

/// Removes patch directives from a value that is inserted as is.
fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn smp(target: Value, patch: Value, kind: &str) -> Value {
        let mut t = target;
        strategic_merge(&mut t, &patch, &Schema::for_kind(kind)).unwrap();
        t
    }

    fn pod(containers: Value) -> Value {
        json!({"spec": {"template": {"spec": {"containers": containers}}}})
    }

    #[test]
    fn containers_merge_by_name() {
        let t = pod(
            json!([{"name": "a", "image": "a:1", "env": [{"name": "X", "value": "1"}]}, {"name": "b", "image": "b:1"}]),
        );
        let out = smp(
            t,
            pod(
                json!([{"name": "a", "env": [{"name": "Y", "value": "2"}]}, {"name": "c", "image": "c:1"}]),
            ),
            "Deployment",
        );
        let cs = &out["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs[0]["image"], "a:1");
        assert_eq!(
            cs[0]["env"],
            json!([{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}])
        );
        assert_eq!(cs[1]["name"], "b");
        assert_eq!(cs[2]["name"], "c");
    }

    #[test]
    fn delete_replace_and_null_directives() {
        let t = pod(
            json!([{"name": "a", "image": "a:1", "args": ["x"]}, {"name": "b", "image": "b:1"}]),
        );
        let out = smp(
            t.clone(),
            pod(json!([{"name": "b", "$patch": "delete"}, {"name": "a", "args": null}])),
            "Deployment",
        );
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "a:1"}])
        );
        let out = smp(
            t.clone(),
            pod(json!([{"$patch": "replace"}, {"name": "z", "image": "z"}])),
            "Deployment",
        );
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "z", "image": "z"}])
        );
        let out = smp(
            json!({"spec": {"selector": {"a": "1", "b": "2"}}}),
            json!({"spec": {"selector": {"$patch": "replace", "c": "3"}}}),
            "Service",
        );
        assert_eq!(out, json!({"spec": {"selector": {"c": "3"}}}));
        let out = smp(
            json!({"spec": {"x": {"y": 1}, "z": 1}}),
            json!({"spec": {"x": {"$patch": "delete"}}}),
            "Service",
        );
        assert_eq!(out, json!({"spec": {"z": 1}}));
    }

    #[test]
    fn set_element_order_is_applied_and_stripped() {
        let t = pod(json!([{"name": "a", "image": "a"}, {"name": "b", "image": "b"}]));
        let patch = json!({"spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}],
            "containers": [{"name": "a", "image": "a2"}]}}}});
        let out = smp(t, patch, "Deployment");
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "b", "image": "b"}, {"name": "a", "image": "a2"}])
        );
        assert!(
            out["spec"]["template"]["spec"]
                .get("$setElementOrder/containers")
                .is_none()
        );
    }

    #[test]
    fn service_ports_merge_by_port_and_other_lists_replace() {
        let t = json!({"spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}], "externalIPs": ["1.1.1.1"]}});
        let out = smp(
            t,
            json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}], "externalIPs": ["2.2.2.2"]}}),
            "Service",
        );
        assert_eq!(
            out["spec"]["ports"][0],
            json!({"port": 80, "name": "http", "targetPort": 8080})
        );
        assert_eq!(out["spec"]["ports"][1]["port"], 443);
        assert_eq!(out["spec"]["externalIPs"], json!(["2.2.2.2"]));
    }

    #[test]
    fn retain_keys_and_primitive_list_directives() {
        let out = smp(
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}),
            json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
            "Deployment",
        );
        assert_eq!(out, json!({"spec": {"strategy": {"type": "Recreate"}}}));
        let out = smp(
            json!({"metadata": {"finalizers": ["a", "b", "c"]}}),
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"], "finalizers": ["d", "a"]}}),
            "Deployment",
        );
        assert_eq!(out["metadata"]["finalizers"], json!(["a", "c", "d"]));
    }

    #[test]
    fn missing_merge_key_is_an_error() {
        let mut t = pod(json!([]));
        let err = strategic_merge(
            &mut t,
            &pod(json!([{"image": "x"}])),
            &Schema::for_kind("Deployment"),
        );
        assert!(err.is_err());
    }
}
