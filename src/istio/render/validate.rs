//! Checks on the IstioOperator input before anything is rendered, each problem located by file,
//! line and path: the IstioOperator's own fields (istioctl: "could not unmarshal"), and the Helm
//! values under `spec.values` (istioctl: "invalid schema for"), which must be values the
//! release's charts know.
//!
//! Which values exist is read from the release itself: the charts' defaults
//! (`_internal_defaults_do_not_set` in each component chart's values.yaml) say which keys each
//! settings block has. Blocks that hold Kubernetes or free-form settings (resources, labels,
//! env, meshConfig, ...) are not checked key by key, and tolerations are checked as
//! Kubernetes tolerations.

use serde_json::{Map, Value};

use super::Manifests;
use super::components::ALL;
use crate::istio::iop::{InputFile, InputProblem, schema};
use crate::yaml;

/// Value blocks whose keys are free-form or Kubernetes types.
const FREE_FORM: &[&str] = &[
    "resources",
    "affinity",
    "nodeSelector",
    "podAnnotations",
    "podLabels",
    "labels",
    "annotations",
    "serviceAnnotations",
    "serviceAccountAnnotations",
    "deploymentAnnotations",
    "deploymentLabels",
    "env",
    "envVarFrom",
    "securityContext",
    "seccompProfile",
    "podSecurityContext",
    "containerSecurityContext",
    "topologySpreadConstraints",
    "volumes",
    "volumeMounts",
    "meshConfig",
    "ztunnel",
    "experimental",
    "gatewayClasses",
    "autoscaleBehavior",
    "configMap",
    "k8s",
    "memory",
    "cpu",
    "tracer",
    "meshNetworks",
    "networkPolicy",
    "readinessProbe",
    "livenessProbe",
    "startupProbe",
    "strategy",
    "updateStrategy",
    "extraContainerArgs",
    "service",
    "resourceQuotas",
];

/// Top-level values Istio accepts that no chart default lists.
const KNOWN_TOP: &[&str] = &[
    "profile",
    "platform",
    "compatibilityVersion",
    "revision",
    "ownerName",
    "defaultRevision",
    "revisionTags",
    "istio_cni",
    "istiodRemote",
    "telemetry",
    "sidecarInjectorWebhook",
    "base",
    "cni",
    "pilot",
    "gateways",
    "global",
];

/// The shape of `spec.values`, from the charts' defaults.
#[derive(Debug, Clone, Default)]
pub struct ValuesShape {
    defaults: Value,
}

impl ValuesShape {
    pub fn load(manifests: &Manifests) -> ValuesShape {
        let mut defaults = Value::Object(Map::new());
        for def in ALL {
            let path = manifests.chart_dir(def.chart).join("values.yaml");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(values) = yaml::parse_document(&text, &path.display().to_string()) else {
                continue;
            };
            let chart_defaults = values
                .get("_internal_defaults_do_not_set")
                .cloned()
                .unwrap_or(values);
            // Charts such as istiod and cni read their own settings at the top level, while
            // an IstioOperator holds them under `pilot`, `cni`, ...: both shapes are known.
            if !def.values_root.contains('.') {
                let mut nested = Map::new();
                nested.insert(def.values_root.to_string(), chart_defaults.clone());
                union(&mut defaults, &Value::Object(nested));
            }
            union(&mut defaults, &chart_defaults);
        }
        ValuesShape { defaults }
    }

    /// Checks `values` (found at `path`), collecting problems as (path, message).
    pub fn check(&self, values: &Value, path: &str, out: &mut Vec<(String, String)>) {
        check_block(values, &self.defaults, path, true, out);
    }
}

fn union(base: &mut Value, other: &Value) {
    match (base, other) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => union(existing, v),
                    Some(existing) if existing.as_object().is_some_and(|m| !m.is_empty()) => {}
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => {
            if b.is_null() {
                *b = o.clone();
            }
        }
    }
}

fn check_block(
    values: &Value,
    defaults: &Value,
    path: &str,
    top: bool,
    out: &mut Vec<(String, String)>,
) {
    let Value::Object(map) = values else {
        return;
    };
    let Value::Object(known) = defaults else {
        return;
    };
    for (key, value) in map {
        let child = schema::join(path, key);
        if value.is_null() {
            continue;
        }
        if key.to_lowercase().ends_with("tolerations") {
            let mut found = Vec::new();
            schema::check(value, &schema::TOLERATIONS, &child, &mut found);
            out.extend(found.into_iter().map(|p| (p.path, p.message)));
            continue;
        }
        if FREE_FORM.contains(&key.as_str()) || key == "enabled" {
            continue;
        }
        match known.get(key) {
            None if top && KNOWN_TOP.contains(&key.as_str()) => {}
            None => out.push((child, unknown_value(key, known))),
            Some(Value::Object(inner)) if !inner.is_empty() => {
                if value.is_object() {
                    check_block(value, &Value::Object(inner.clone()), &child, false, out);
                }
            }
            Some(_) => {}
        }
    }
}

fn unknown_value(key: &str, known: &Map<String, Value>) -> String {
    let lower = key.to_lowercase();
    let close = known
        .keys()
        .find(|k| k.to_lowercase() == lower)
        .or_else(|| {
            known
                .keys()
                .find(|k| edit_distance(&k.to_lowercase(), &lower) <= 2)
        });
    match close {
        Some(k) => format!("unknown field (did you mean {k}?)"),
        None => "unknown field".to_string(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Reads one `-f` file: `Ok(None)` for an empty file, `Err` for a problem that no `--force`
/// can skip (bad YAML, several IstioOperators, another kind). Schema and values problems are
/// collected.
pub fn read_file(
    file: &InputFile,
    shape: &ValuesShape,
    schema_problems: &mut Vec<InputProblem>,
    value_problems: &mut Vec<InputProblem>,
) -> Result<Option<Value>, InputProblem> {
    let problem = |line: Option<usize>, path: Option<String>, message: String| InputProblem {
        source: file.name.clone(),
        line,
        path,
        message,
    };
    let docs = yaml::parse_documents(&file.text, &file.name).map_err(|e| {
        problem(
            Some(e.line),
            None,
            format!("unable to parse file: {}", e.msg),
        )
    })?;
    let docs: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
    if docs.len() > 1 {
        return Err(problem(
            None,
            None,
            format!(
                "contains multiple IstioOperator CRs, only one per file is supported (found {} documents); \
                 pass several files with -f to merge them",
                docs.len()
            ),
        ));
    }
    let Some(doc) = docs.into_iter().next() else {
        return Ok(None);
    };
    if !doc.is_object() {
        return Err(problem(
            Some(1),
            None,
            "the file is not a mapping: expected an IstioOperator".into(),
        ));
    }
    if let Some(kind) = doc.get("kind").and_then(Value::as_str)
        && kind != crate::istio::iop::KIND
    {
        return Err(problem(
            Some(1),
            Some("kind".into()),
            format!("this document is a {kind}, not an IstioOperator"),
        ));
    }
    let locations = yaml::parse_located(&file.text)
        .ok()
        .and_then(|d| d.into_iter().find(|d| !d.is_empty()))
        .map(|d| d.locations)
        .unwrap_or_default();
    let line = |path: &str| locations.nearest(path).map(|l| l.line);
    let mut found = Vec::new();
    let mut without_values = doc.clone();
    if let Some(spec) = without_values
        .get_mut("spec")
        .and_then(Value::as_object_mut)
    {
        spec.remove("values");
        spec.remove("unvalidatedValues");
    }
    schema::check(&without_values, &schema::ISTIO_OPERATOR, "", &mut found);
    for p in found {
        schema_problems.push(problem(line(&p.path), Some(p.path), p.message));
    }
    if let Some(values) = doc.pointer("/spec/values") {
        if !values.is_null() && !values.is_object() {
            value_problems.push(problem(
                line("spec.values"),
                Some("spec.values".into()),
                "expected a mapping".into(),
            ));
        }
        let mut out = Vec::new();
        shape.check(values, "spec.values", &mut out);
        for (path, message) in out {
            value_problems.push(problem(line(&path), Some(path), message));
        }
    }
    Ok(Some(doc))
}

/// Checks one `--set` flag, written on its own into an empty `spec`.
pub fn check_set(
    raw: &str,
    alone: &Value,
    shape: &ValuesShape,
    schema_problems: &mut Vec<InputProblem>,
    value_problems: &mut Vec<InputProblem>,
) {
    let source = format!("--set {raw}");
    let mut without_values = alone.clone();
    if let Some(spec) = without_values.as_object_mut() {
        spec.remove("values");
        spec.remove("unvalidatedValues");
    }
    let mut found = Vec::new();
    schema::check(&without_values, &schema::SPEC, "spec", &mut found);
    for p in found {
        schema_problems.push(InputProblem {
            source: source.clone(),
            line: None,
            path: Some(p.path),
            message: p.message,
        });
    }
    if let Some(values) = alone.get("values") {
        let mut out = Vec::new();
        shape.check(values, "spec.values", &mut out);
        for (path, message) in out {
            value_problems.push(InputProblem {
                source: source.clone(),
                line: None,
                path: Some(path),
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape() -> ValuesShape {
        ValuesShape {
            defaults: json!({"global": {"hub": "", "proxy": {"image": "proxyv2"}, "defaultTolerations": []},
                "pilot": {"resources": {"requests": {}}, "env": {}}}),
        }
    }

    #[test]
    fn unknown_values_and_bad_tolerations_are_found() {
        let mut out = Vec::new();
        shape().check(
            &json!({"global": {"hubb": "x", "proxy": {"image": "p", "bogus": 1},
                "defaultTolerations": [{"key": "a", "thats": "wrong"}]},
                "pilot": {"resources": {"limits": {"cpu": "1"}}, "env": {"A": "b"}},
                "profile": "demo", "nonsense": true}),
            "spec.values",
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "spec.values.global.defaultTolerations[0].thats",
                "spec.values.global.hubb",
                "spec.values.global.proxy.bogus",
                "spec.values.nonsense"
            ]
        );
        assert!(out[1].1.contains("did you mean hub?"), "{out:?}");
    }

    #[test]
    fn files_report_lines_and_multiple_documents() {
        let s = shape();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let file = InputFile {
            name: "in.yaml".into(),
            text: "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    global:\n      badKey: 1\n  components:\n    pilot:\n      k8s:\n        bogus: 1\n".into(),
        };
        read_file(&file, &s, &mut a, &mut b).unwrap();
        assert_eq!(
            a[0].to_string(),
            "in.yaml:10: spec.components.pilot.k8s.bogus: unknown field"
        );
        assert_eq!(
            b[0].to_string(),
            "in.yaml:6: spec.values.global.badKey: unknown field"
        );
        let two = InputFile {
            name: "two.yaml".into(),
            text: "kind: IstioOperator\n---\nkind: IstioOperator\n".into(),
        };
        let err = read_file(&two, &s, &mut a, &mut b).unwrap_err();
        assert!(
            err.to_string()
                .contains("contains multiple IstioOperator CRs")
        );
    }
}
