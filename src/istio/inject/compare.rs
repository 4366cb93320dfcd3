//! Comparing injected manifests the way issue 11 judges them against Istio's golden files: parse
//! both as multi-document YAML, drop `null` values and empty maps (Go serialization artefacts such
//! as `creationTimestamp: null` and `status: {}`), compare the JSON inside `sidecar.istio.io/status`
//! as JSON without its `version` key, and then require equality.

use anyhow::{Context, Result};
use serde_json::Value;

use super::manifest::split_documents;

/// Parses a YAML stream into its non-empty documents, normalized for comparison.
pub fn comparable_documents(text: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for (i, doc) in split_documents(text).into_iter().enumerate() {
        let mut v: Value = crate::yaml::parse_document(doc.text, "manifest")
            .with_context(|| format!("document {} (line {}) is not valid YAML", i + 1, doc.line))?;
        normalize(&mut v);
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// Applies the comparison rules to one document.
pub fn normalize(v: &mut Value) {
    parse_status(v);
    drop_empty(v);
}

fn parse_status(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "sidecar.istio.io/status"
                    && let Some(text) = child.as_str()
                    && let Ok(Value::Object(mut status)) = serde_json::from_str::<Value>(text)
                {
                    status.remove("version");
                    *child = Value::Object(status);
                    continue;
                }
                parse_status(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(parse_status),
        _ => {}
    }
}

/// Removes nulls and empty maps, bottom-up (a map emptied that way goes too). Returns whether the
/// value itself is now droppable.
fn drop_empty(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => {
            m.retain(|_, child| !drop_empty(child));
            m.is_empty()
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                drop_empty(item);
            }
            false
        }
        _ => false,
    }
}

/// The first path where two values differ, e.g. `[0].spec.template.spec.containers[1].image`.
pub fn first_difference(got: &Value, want: &Value) -> Option<String> {
    diff(got, want, String::new())
}

fn diff(got: &Value, want: &Value, path: String) -> Option<String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let mut keys: Vec<&String> = g.keys().chain(w.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let p = format!("{path}.{k}");
                match (g.get(k), w.get(k)) {
                    (Some(a), Some(b)) => diff(a, b, p),
                    (Some(a), None) => Some(format!("{p}: unexpected {}", short(a))),
                    (None, Some(b)) => Some(format!("{p}: missing, want {}", short(b))),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(g), Value::Array(w)) => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                if let Some(d) = diff(a, b, format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (g.len() != w.len()).then(|| format!("{path}: {} items, want {}", g.len(), w.len()))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: got {}, want {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 160 {
        let mut end = 160;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s
    }
}

/// Compares two YAML streams; `None` when they match.
pub fn compare_manifests(got: &str, want: &str) -> Result<Option<String>> {
    let g = comparable_documents(got).context("cannot parse the produced YAML")?;
    let w = comparable_documents(want).context("cannot parse the expected YAML")?;
    if g.len() != w.len() {
        return Ok(Some(format!("{} documents, want {}", g.len(), w.len())));
    }
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        if let Some(d) = first_difference(a, b) {
            return Ok(Some(format!(
                "document {}: {}",
                i + 1,
                d.trim_start_matches('.')
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_artefacts_and_status_version_are_ignored() {
        let got = "metadata:\n  annotations:\n    sidecar.istio.io/status: '{\"containers\":null,\"revision\":\"default\"}'\nstatus: {}\n";
        let want = "metadata:\n  creationTimestamp: null\n  annotations:\n    sidecar.istio.io/status: '{\"revision\":\"default\",\"version\":\"abc\",\"containers\":null}'\n---\n";
        assert_eq!(compare_manifests(got, want).unwrap(), None);
    }

    #[test]
    fn differences_are_located() {
        let d = compare_manifests("a:\n  b: [1, 2]\n", "a:\n  b: [1, 3]\n")
            .unwrap()
            .unwrap();
        assert_eq!(d, "document 1: a.b[1]: got 2, want 3");
    }
}
