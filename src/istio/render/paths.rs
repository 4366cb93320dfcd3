//! Dotted paths into JSON trees (`spec.values.global.hub`) and istioctl's map merge.

use serde_json::{Map, Value};

/// The value at a dotted path, if every step is a mapping holding the next key.
pub fn get_path<'a>(tree: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = tree;
    for key in path.split('.') {
        cur = cur.as_object()?.get(key)?;
    }
    Some(cur)
}

/// `true` only for a boolean `true` at the path.
pub fn get_bool(tree: &Value, path: &str) -> bool {
    get_path(tree, path).and_then(Value::as_bool) == Some(true)
}

/// Sets the value at a dotted path, turning anything in the way into mappings.
pub fn set_path(tree: &mut Value, path: &str, value: Value) {
    let keys: Vec<&str> = path.split('.').collect();
    let mut cur = tree;
    for key in &keys[..keys.len() - 1] {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        cur = cur
            .as_object_mut()
            .expect("just made a mapping")
            .entry(key.to_string())
            .or_insert(Value::Null);
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    cur.as_object_mut()
        .expect("just made a mapping")
        .insert(keys[keys.len() - 1].to_string(), value);
}

/// istioctl's `MergeFrom`: mappings merge key by key; everything else, `null` included,
/// replaces what was there.
pub fn merge_from(base: &mut Value, other: &Value) {
    let (Value::Object(b), Value::Object(o)) = (&mut *base, other) else {
        *base = other.clone();
        return;
    };
    for (k, v) in o {
        match (b.get_mut(k), v) {
            (Some(existing @ Value::Object(_)), Value::Object(_)) => merge_from(existing, v),
            _ => {
                b.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_set_and_merge() {
        let mut t = json!({"a": {"b": 1}, "s": "x"});
        assert_eq!(get_path(&t, "a.b"), Some(&json!(1)));
        assert_eq!(get_path(&t, "s.b"), None);
        set_path(&mut t, "s.c.d", json!(true));
        assert!(get_bool(&t, "s.c.d"));
        merge_from(&mut t, &json!({"a": {"c": [1]}, "s": null, "n": {"m": {}}}));
        assert_eq!(
            t,
            json!({"a": {"b": 1, "c": [1]}, "s": null, "n": {"m": {}}})
        );
    }
}
