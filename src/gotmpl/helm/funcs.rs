//! Helm's own template functions (helm.sh/helm/v3/pkg/engine/funcs.go and engine.go): include,
//! tpl, required, fail, toYaml/fromYaml, toJson/fromJson, lookup; plus sprig's JSON helpers,
//! which need Go's JSON encoder.

use std::collections::BTreeMap;

use crate::gotmpl::funcs::{FuncMap, Ty, arg_str};
use crate::gotmpl::gojson;
use crate::gotmpl::value::Value;
use crate::yaml;

/// Marks messages of `fail`/`required` so the renderer can report them as Helm does.
pub(super) const WARN_START: &str = "HELM_ERR_START";
pub(super) const WARN_END: &str = "HELM_ERR_END";

fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Helm's `toYaml`: sigs.k8s.io/yaml Marshal without the final newline.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let json = v.to_json()?;
    let text = yaml::to_go_yaml(&json);
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

fn error_map(msg: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::from(msg));
    Value::new_map(m)
}

fn from_yaml(text: &str) -> Value {
    match yaml::parse_document(text, "fromYaml") {
        Ok(serde_json::Value::Object(m)) => Value::from_json(&serde_json::Value::Object(m)),
        Ok(serde_json::Value::Null) => Value::empty_map(),
        Ok(other) => error_map(format!(
            "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
        Err(e) => error_map(format!(
            "error converting YAML to JSON: yaml: line {}: {}",
            e.line, e.msg
        )),
    }
}

fn from_yaml_array(text: &str) -> Value {
    match yaml::parse_document(text, "fromYamlArray") {
        Ok(serde_json::Value::Array(a)) => Value::from_json(&serde_json::Value::Array(a)),
        Ok(serde_json::Value::Null) => Value::new_list(vec![]),
        Ok(other) => Value::new_list(vec![Value::from(format!(
            "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        ))]),
        Err(e) => Value::new_list(vec![Value::from(format!(
            "error converting YAML to JSON: yaml: line {}: {}",
            e.line, e.msg
        ))]),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Adds sprig's JSON functions (they need Go's encoder) to `m`.
pub fn register_json(m: &mut FuncMap) {
    m.insert("toJson", &[Ty::Any], None, |a| {
        Ok(Value::from(
            gojson::marshal(&a[0], None, true).unwrap_or_default(),
        ))
    });
    m.insert("mustToJson", &[Ty::Any], None, |a| {
        Ok(Value::from(gojson::marshal(&a[0], None, true)?))
    });
    m.insert("toPrettyJson", &[Ty::Any], None, |a| {
        Ok(Value::from(
            gojson::marshal(&a[0], Some("  "), true).unwrap_or_default(),
        ))
    });
    m.insert("mustToPrettyJson", &[Ty::Any], None, |a| {
        Ok(Value::from(gojson::marshal(&a[0], Some("  "), true)?))
    });
    m.insert("toRawJson", &[Ty::Any], None, |a| {
        Ok(Value::from(
            gojson::marshal(&a[0], None, false).unwrap_or_default(),
        ))
    });
    m.insert("mustToRawJson", &[Ty::Any], None, |a| {
        Ok(Value::from(gojson::marshal(&a[0], None, false)?))
    });
    m.insert("fromJson", &[Ty::Str], None, |a| {
        Ok(
            match serde_json::from_str::<serde_json::Value>(&arg_str(&a, 0)) {
                Ok(v @ serde_json::Value::Object(_)) => Value::from_json(&v),
                Ok(serde_json::Value::Null) => Value::empty_map(),
                Ok(other) => error_map(format!(
                    "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                )),
                Err(e) => error_map(e.to_string()),
            },
        )
    });
    m.insert("fromJsonArray", &[Ty::Str], None, |a| {
        Ok(
            match serde_json::from_str::<serde_json::Value>(&arg_str(&a, 0)) {
                Ok(v @ serde_json::Value::Array(_)) => Value::from_json(&v),
                Ok(serde_json::Value::Null) => Value::new_list(vec![]),
                Ok(other) => Value::new_list(vec![Value::from(format!(
                    "json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&other)
                ))]),
                Err(e) => Value::new_list(vec![Value::from(e.to_string())]),
            },
        )
    });
}

/// Go builtins + sprig + Helm's functions: what Helm templates can call.
pub fn helm_funcs() -> FuncMap {
    let mut m = FuncMap::sprig();
    register_json(&mut m);
    m.insert("toYaml", &[Ty::Any], None, |a| {
        Ok(Value::from(to_yaml(&a[0]).unwrap_or_default()))
    });
    m.insert("mustToYaml", &[Ty::Any], None, |a| {
        Ok(Value::from(to_yaml(&a[0])?))
    });
    m.insert("fromYaml", &[Ty::Str], None, |a| {
        Ok(from_yaml(&arg_str(&a, 0)))
    });
    m.insert("fromYamlArray", &[Ty::Str], None, |a| {
        Ok(from_yaml_array(&arg_str(&a, 0)))
    });
    m.insert("required", &[Ty::Str, Ty::Any], None, |a| match &a[1] {
        Value::Nil => Err(warn_wrap(&arg_str(&a, 0))),
        Value::Str(s) if s.is_empty() => Err(warn_wrap(&arg_str(&a, 0))),
        v => Ok(v.clone()),
    });
    m.insert("fail", &[Ty::Str], None, |a| {
        Err(warn_wrap(&arg_str(&a, 0)))
    });
    m.insert(
        "lookup",
        &[Ty::Str, Ty::Str, Ty::Str, Ty::Str],
        None,
        |_| Ok(Value::empty_map()),
    );
    m.insert_with_exec("include", &[Ty::Str, Ty::Any], None, |exec, a| {
        let name = arg_str(&a, 0);
        exec.include(&name, a[1].clone()).map(Value::from)
    });
    m.insert_with_exec("tpl", &[Ty::Str, Ty::Map], None, |exec, a| {
        exec.tpl(&arg_str(&a, 0), a[1].clone(), "gotpl")
            .map(Value::from)
    });
    m
}
