//! Reading Kubernetes manifests the way `kubectl apply -f` does: a file, a directory (its .yaml, .yml
//! and .json files in name order) or `-` for stdin; multi-document YAML; `kind: List` flattened.
//! Errors name the file and the line.

use std::io::Read;
use std::path::{Path, PathBuf};

use kube::api::DynamicObject;
use serde_json::Value;

use crate::error::UserError;

/// One object and where it came from.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// File path (or `<stdin>`) and 1-based document number, for messages.
    pub source: String,
    pub object: DynamicObject,
}

/// Parses YAML text holding one or more documents into JSON values, YAML 1.1-style as Kubernetes
/// (go-yaml v2) reads it: `0644` is octal. Empty documents are skipped.
pub fn parse_documents(text: &str, source: &str) -> anyhow::Result<Vec<Value>> {
    let mut options = serde_saphyr::options::Options::default();
    options.legacy_octal_numbers = true;
    let docs: Vec<Value> =
        serde_saphyr::from_multiple_with_options(text, options).map_err(|e| {
            let message = e.to_string();
            let headline = message
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            UserError::input(format!("{source}: invalid YAML: {headline}"))
        })?;
    Ok(docs.into_iter().filter(|d| !d.is_null()).collect())
}

/// Reads `FILE`, `DIR` or `-`.
pub fn read(path: &Path) -> anyhow::Result<Vec<Manifest>> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| UserError::input(format!("cannot read manifests from stdin: {e}")))?;
        return from_text(&text, "<stdin>");
    }
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| {
                UserError::input(format!("cannot read directory {}: {e}", path.display()))
            })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(UserError::input(format!(
                "{} holds no .yaml, .yml or .json files",
                path.display()
            ))
            .into());
        }
        let mut out = Vec::new();
        for file in files {
            out.extend(read_file(&file)?);
        }
        return Ok(out);
    }
    read_file(path)
}

fn read_file(path: &Path) -> anyhow::Result<Vec<Manifest>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "no such file".to_string()
        } else {
            e.to_string()
        };
        UserError::input(format!("cannot read {}: {why}", path.display()))
    })?;
    from_text(&text, &path.display().to_string())
}

/// Parses manifests from text; `source` names it in errors.
pub fn from_text(text: &str, source: &str) -> anyhow::Result<Vec<Manifest>> {
    let mut out = Vec::new();
    for (index, doc) in parse_documents(text, source)?.into_iter().enumerate() {
        let where_ = format!("{source} (document {})", index + 1);
        let items = match doc.get("kind").and_then(Value::as_str) {
            Some(kind) if kind.ends_with("List") && doc.get("items").is_some() => doc
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => vec![doc],
        };
        for item in items {
            out.push(Manifest {
                object: to_object(item, &where_)?,
                source: where_.clone(),
            });
        }
    }
    Ok(out)
}

fn to_object(value: Value, source: &str) -> anyhow::Result<DynamicObject> {
    if !value.is_object() {
        return Err(UserError::input(format!(
            "{source}: expected a Kubernetes object (a mapping), found {}",
            kind_of(&value)
        ))
        .into());
    }
    for field in ["apiVersion", "kind"] {
        if value
            .get(field)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(UserError::input(format!("{source}: the object has no {field}")).into());
        }
    }
    if value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(UserError::input(format!("{source}: the {kind} has no metadata.name")).into());
    }
    serde_json::from_value(value).map_err(|e| {
        UserError::input(format!("{source}: not a valid Kubernetes object: {e}")).into()
    })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_documents_and_lists_are_flattened_in_order() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n";
        let manifests = from_text(text, "x.yaml").unwrap();
        let names: Vec<_> = manifests
            .iter()
            .map(|m| m.object.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(manifests[1].source, "x.yaml (document 2)");
    }

    #[test]
    fn octal_modes_read_like_kubectl() {
        let docs = parse_documents("defaultMode: 0644\n", "x").unwrap();
        assert_eq!(docs[0]["defaultMode"], 420);
    }

    #[test]
    fn bad_yaml_names_file_and_line() {
        let err = from_text("a: 1\nb: [1, 2\n", "bad.yaml").unwrap_err();
        let r = crate::error::render(&err);
        assert!(
            r.error.starts_with("bad.yaml: invalid YAML: line 2"),
            "{}",
            r.error
        );
        assert_eq!(r.exit, crate::error::Exit::Usage);
    }

    #[test]
    fn objects_need_kind_and_name() {
        let err = from_text("apiVersion: v1\nkind: Service\nmetadata: {}\n", "s.yaml").unwrap_err();
        assert!(
            err.to_string()
                .contains("s.yaml (document 1): the Service has no metadata.name"),
            "{err}"
        );
        let err = from_text("- a\n", "l.yaml").unwrap_err();
        assert!(
            err.to_string().contains("expected a Kubernetes object"),
            "{err}"
        );
    }
}
