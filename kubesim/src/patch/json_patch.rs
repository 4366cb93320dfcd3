//! RFC 6902 JSON patch.

use serde_json::Value;

use super::PatchError;

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn tokens(pointer: &str) -> Result<Vec<String>, PatchError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or_else(|| {
        PatchError(format!(
            "invalid JSON pointer \"{pointer}\": must start with '/'"
        ))
    })?;
    Ok(rest.split('/').map(unescape).collect())
}

fn parent_mut<'a>(
    doc: &'a mut Value,
    toks: &[String],
    path: &str,
) -> Result<&'a mut Value, PatchError> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(m) => m.get_mut(t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(move |i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| PatchError(format!("doc is missing path: \"{path}\": missing value")))?;
    }
    Ok(cur)
}

fn get<'a>(doc: &'a Value, path: &str) -> Result<&'a Value, PatchError> {
    let mut cur = doc;
    for t in tokens(path)? {
        cur = match cur {
            Value::Object(m) => m.get(&t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| PatchError(format!("doc is missing path: \"{path}\": missing value")))?;
    }
    Ok(cur)
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), PatchError> {
    let toks = tokens(path)?;
    let Some((last, parents)) = toks.split_last() else {
        *doc = value;
        return Ok(());
    };
    match parent_mut(doc, parents, path)? {
        Value::Object(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(a) => {
            let idx = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>().map_err(|_| {
                    PatchError(format!("invalid array index \"{last}\" in \"{path}\""))
                })?
            };
            if idx > a.len() {
                return Err(PatchError(format!(
                    "add operation does not apply: index {idx} out of bounds in \"{path}\""
                )));
            }
            a.insert(idx, value);
            Ok(())
        }
        _ => Err(PatchError(format!(
            "doc is missing path: \"{path}\": missing value"
        ))),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, PatchError> {
    let toks = tokens(path)?;
    let Some((last, parents)) = toks.split_last() else {
        return Err(PatchError(
            "unable to remove the whole document".to_string(),
        ));
    };
    let missing = || {
        PatchError(format!(
            "Unable to remove nonexistent key: {last}: missing value"
        ))
    };
    match parent_mut(doc, parents, path)? {
        Value::Object(m) => m.remove(last).ok_or_else(missing),
        Value::Array(a) => {
            let idx: usize = last.parse().map_err(|_| missing())?;
            if idx < a.len() {
                Ok(a.remove(idx))
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

/// Applies an RFC 6902 JSON patch (an array of operations) to `doc`.
pub fn json_patch(doc: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let ops = patch.as_array().ok_or_else(|| {
        PatchError(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string(),
        )
    })?;
    for op in ops {
        let name = op["op"]
            .as_str()
            .ok_or_else(|| PatchError("missing 'op' in operation".to_string()))?;
        let path = op["path"]
            .as_str()
            .ok_or_else(|| PatchError(format!("missing 'path' in {name} operation")))?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| PatchError(format!("missing 'value' in {name} operation")))
        };
        let from = || {
            op["from"]
                .as_str()
                .ok_or_else(|| PatchError(format!("missing 'from' in {name} operation")))
        };
        match name {
            "add" => add(doc, path, value()?)?,
            "remove" => {
                remove(doc, path)?;
            }
            "replace" => {
                get(doc, path)?;
                let toks = tokens(path)?;
                if toks.is_empty() {
                    *doc = value()?;
                } else {
                    remove(doc, path)?;
                    add(doc, path, value()?)?;
                }
            }
            "move" => {
                let v = remove(doc, from()?)?;
                add(doc, path, v)?;
            }
            "copy" => {
                let v = get(doc, from()?)?.clone();
                add(doc, path, v)?;
            }
            "test" => {
                if *get(doc, path)? != value()? {
                    return Err(PatchError(format!(
                        "testing value {path} failed: test failed"
                    )));
                }
            }
            other => return Err(PatchError(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn all_operations() {
        let mut d = json!({"a": {"b": [1, 2]}, "c": "x", "t/k": 1});
        json_patch(
            &mut d,
            &json!([
                {"op": "add", "path": "/a/b/1", "value": 9},
                {"op": "add", "path": "/a/b/-", "value": 3},
                {"op": "replace", "path": "/c", "value": "y"},
                {"op": "copy", "from": "/c", "path": "/d"},
                {"op": "move", "from": "/d", "path": "/e"},
                {"op": "remove", "path": "/t~1k"},
                {"op": "test", "path": "/e", "value": "y"}
            ]),
        )
        .unwrap();
        assert_eq!(d, json!({"a": {"b": [1, 9, 2, 3]}, "c": "y", "e": "y"}));
    }

    #[test]
    fn failures_are_errors() {
        let mut d = json!({"a": 1});
        assert!(json_patch(&mut d, &json!([{"op": "remove", "path": "/b"}])).is_err());
        assert!(
            json_patch(
                &mut d,
                &json!([{"op": "replace", "path": "/b", "value": 1}])
            )
            .is_err()
        );
        assert!(json_patch(&mut d, &json!([{"op": "test", "path": "/a", "value": 2}])).is_err());
        assert!(json_patch(&mut d, &json!({"op": "add"})).is_err());
        assert!(json_patch(&mut d, &json!([{"op": "frob", "path": "/a"}])).is_err());
        assert_eq!(d, json!({"a": 1}));
    }
}
