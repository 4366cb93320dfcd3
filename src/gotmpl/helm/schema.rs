//! Validation of a chart's values against its values.schema.json, as Helm does before rendering.
//! Covers the JSON Schema keywords charts use: type, enum, const, properties,
//! additionalProperties, patternProperties, required, items, min/max(Items|Length|imum),
//! exclusive bounds, multipleOf, pattern, allOf/anyOf/oneOf/not, and local `$ref`s.

use serde_json::Value as Json;

/// Every violation, as `path: message` (`path` is dotted, `(root)` for the top).
pub fn validate(schema: &Json, value: &Json) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "", &mut errors, 0);
    errors
}

fn show_path(path: &str) -> &str {
    if path.is_empty() { "(root)" } else { path }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) => {
            if n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                "integer"
            } else {
                "number"
            }
        }
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn type_matches(t: &str, v: &Json) -> bool {
    match t {
        "number" => v.is_number(),
        "integer" => type_name(v) == "integer",
        other => type_name(v) == other,
    }
}

fn resolve<'a>(root: &'a Json, reference: &str) -> Option<&'a Json> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    root.pointer(pointer)
}

fn num(v: &Json) -> Option<f64> {
    v.as_f64()
}

fn check(
    root: &Json,
    schema: &Json,
    value: &Json,
    path: &str,
    errors: &mut Vec<String>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Json::Object(s) = schema else {
        if schema == &Json::Bool(false) {
            errors.push(format!("{}: no value is allowed here", show_path(path)));
        }
        return;
    };
    let p = show_path(path);
    if let Some(Json::String(r)) = s.get("$ref") {
        match resolve(root, r) {
            Some(target) => check(root, target, value, path, errors, depth + 1),
            None => errors.push(format!("{p}: cannot resolve schema reference {r}")),
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Json::String(t) => vec![t.as_str()],
            Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
            _ => vec![],
        };
        if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
            errors.push(format!(
                "{p}: invalid type. Expected: {}, given: {}",
                types.join("/"),
                type_name(value)
            ));
            return;
        }
    }
    if let Some(Json::Array(options)) = s.get("enum")
        && !options.contains(value)
    {
        let list: Vec<String> = options.iter().map(Json::to_string).collect();
        errors.push(format!(
            "{p}: {p} must be one of the following: {}",
            list.join(", ")
        ));
    }
    if let Some(c) = s.get("const")
        && c != value
    {
        errors.push(format!("{p}: {p} does not match: {c}"));
    }
    match value {
        Json::Object(map) => {
            let props = s.get("properties").and_then(Json::as_object);
            let patterns = s.get("patternProperties").and_then(Json::as_object);
            for (k, v) in map {
                let mut matched = false;
                if let Some(sub) = props.and_then(|ps| ps.get(k)) {
                    matched = true;
                    check(root, sub, v, &join(path, k), errors, depth + 1);
                }
                if let Some(pats) = patterns {
                    for (pat, sub) in pats {
                        if regex::Regex::new(pat).is_ok_and(|re| re.is_match(k)) {
                            matched = true;
                            check(root, sub, v, &join(path, k), errors, depth + 1);
                        }
                    }
                }
                if !matched {
                    match s.get("additionalProperties") {
                        Some(Json::Bool(false)) => {
                            errors.push(format!("{p}: additional property {k} is not allowed"))
                        }
                        Some(sub @ Json::Object(_)) => {
                            check(root, sub, v, &join(path, k), errors, depth + 1)
                        }
                        _ => {}
                    }
                }
            }
            if let Some(Json::Array(req)) = s.get("required") {
                for r in req.iter().filter_map(Json::as_str) {
                    if !map.contains_key(r) {
                        errors.push(format!("{p}: {r} is required"));
                    }
                }
            }
        }
        Json::Array(items) => {
            match s.get("items") {
                Some(sub @ Json::Object(_)) => {
                    for (i, v) in items.iter().enumerate() {
                        check(root, sub, v, &join(path, &i.to_string()), errors, depth + 1);
                    }
                }
                Some(Json::Array(subs)) => {
                    for (i, (v, sub)) in items.iter().zip(subs).enumerate() {
                        check(root, sub, v, &join(path, &i.to_string()), errors, depth + 1);
                    }
                }
                _ => {}
            }
            if let Some(min) = s.get("minItems").and_then(num)
                && (items.len() as f64) < min
            {
                errors.push(format!("{p}: array must have at least {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(num)
                && (items.len() as f64) > max
            {
                errors.push(format!("{p}: array must have at most {max} items"));
            }
        }
        Json::String(text) => {
            let len = text.chars().count() as f64;
            if let Some(min) = s.get("minLength").and_then(num)
                && len < min
            {
                errors.push(format!(
                    "{p}: string length must be greater than or equal to {min}"
                ));
            }
            if let Some(max) = s.get("maxLength").and_then(num)
                && len > max
            {
                errors.push(format!(
                    "{p}: string length must be less than or equal to {max}"
                ));
            }
            if let Some(Json::String(pat)) = s.get("pattern")
                && let Ok(re) = regex::Regex::new(pat)
                && !re.is_match(text)
            {
                errors.push(format!("{p}: does not match pattern '{pat}'"));
            }
        }
        Json::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            let bound = |k: &str| s.get(k).and_then(num);
            if let Some(m) = bound("minimum")
                && x < m
            {
                errors.push(format!("{p}: must be greater than or equal to {m}"));
            }
            if let Some(m) = bound("maximum")
                && x > m
            {
                errors.push(format!("{p}: must be less than or equal to {m}"));
            }
            if let Some(m) = bound("exclusiveMinimum")
                && x <= m
            {
                errors.push(format!("{p}: must be greater than {m}"));
            }
            if let Some(m) = bound("exclusiveMaximum")
                && x >= m
            {
                errors.push(format!("{p}: must be less than {m}"));
            }
            if let Some(m) = bound("multipleOf")
                && m != 0.0
                && (x / m).fract() != 0.0
            {
                errors.push(format!("{p}: must be a multiple of {m}"));
            }
        }
        _ => {}
    }
    if let Some(Json::Array(all)) = s.get("allOf") {
        for sub in all {
            check(root, sub, value, path, errors, depth + 1);
        }
    }
    let passes = |sub: &Json| {
        let mut e = Vec::new();
        check(root, sub, value, path, &mut e, depth + 1);
        e.is_empty()
    };
    if let Some(Json::Array(any)) = s.get("anyOf")
        && !any.iter().any(passes)
    {
        errors.push(format!("{p}: must validate at least one schema (anyOf)"));
    }
    if let Some(Json::Array(one)) = s.get("oneOf") {
        let n = one.iter().filter(|sub| passes(sub)).count();
        if n != 1 {
            errors.push(format!(
                "{p}: must validate one and only one schema (oneOf)"
            ));
        }
    }
    if let Some(not) = s.get("not")
        && passes(not)
    {
        errors.push(format!("{p}: must not validate the schema (not)"));
    }
}

#[cfg(test)]
mod tests {
    use super::validate;
    use serde_json::json;

    #[test]
    fn keywords() {
        let schema = json!({
            "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "type": {"type": "string", "enum": ["ClusterIP", "NodePort"]},
                "port": {"$ref": "#/$defs/port"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "list": {"type": "array", "items": {"type": ["string", "null"]}}
            },
            "required": ["type"]
        });
        assert!(validate(&schema, &json!({"type": "NodePort", "port": 80.0, "labels": {"a": "b"}, "list": ["x", null]})).is_empty());
        let errs = validate(
            &schema,
            &json!({"type": "Other", "port": 0, "labels": {"a": 1}, "list": [1], "extra": true}),
        );
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(
            errs.contains(
                &"type: type must be one of the following: \"ClusterIP\", \"NodePort\"".to_string()
            ),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"(root): additional property extra is not allowed".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"port: must be greater than or equal to 1".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"labels.a: invalid type. Expected: string, given: integer".to_string()),
            "{errs:?}"
        );
        assert_eq!(validate(&schema, &json!({}))[0], "(root): type is required");
    }
}
