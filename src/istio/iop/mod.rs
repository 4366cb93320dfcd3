//! IstioOperator input: read one or more files and `--set` overlays, check them against the
//! IstioOperator schema, and merge them the way istioctl does (files in order, later wins, then
//! `--profile`, then `--set`). Everything is checked before anything reaches the cluster, and every
//! problem is reported with its file, line and path.

pub mod merge;
pub mod profiles;
pub mod schema;
pub mod set;

use std::fmt;

use serde_json::{Value, json};

use crate::yaml::{self, LocatedDocument as Document};

pub const API_VERSION: &str = "install.istio.io/v1alpha1";
pub const KIND: &str = "IstioOperator";
/// The name given to an IstioOperator whose files do not name it.
pub const DEFAULT_NAME: &str = "installed-by-rigger";
/// Where the operator looks for IstioOperators unless told otherwise (`--watched-namespaces`).
pub const DEFAULT_NAMESPACE: &str = "istio-system";

/// A file given with `-f`: its name (as shown in errors) and its text.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub files: Vec<InputFile>,
    pub profile: Option<String>,
    pub sets: Vec<String>,
    /// `-n`, when given explicitly.
    pub namespace: Option<String>,
}

/// One problem with the input, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputProblem {
    /// The file name, or `--set ...` / `--profile ...` for flags.
    pub source: String,
    pub line: Option<usize>,
    pub path: Option<String>,
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found in the input (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputProblem>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        if n == 1 {
            write!(f, "the IstioOperator input is invalid: {}", self.0[0])
        } else {
            write!(f, "the IstioOperator input has {n} problems:")?;
            for p in &self.0 {
                write!(f, "\n  {p}")?;
            }
            Ok(())
        }
    }
}

impl std::error::Error for InputErrors {}

/// A merged, valid IstioOperator ready to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct IstioOperator {
    /// The whole object (apiVersion, kind, metadata, spec).
    pub object: Value,
}

impl IstioOperator {
    pub fn name(&self) -> &str {
        self.object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_NAME)
    }

    pub fn namespace(&self) -> &str {
        self.object
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_NAMESPACE)
    }

    pub fn spec(&self) -> &Value {
        self.object.get("spec").unwrap_or(&Value::Null)
    }

    pub fn profile(&self) -> &str {
        self.spec()
            .get("profile")
            .and_then(Value::as_str)
            .unwrap_or("default")
    }

    pub fn revision(&self) -> &str {
        self.spec()
            .get("revision")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// `spec.tag` as text, when set (a YAML number such as 1.23 counts).
    pub fn tag(&self) -> Option<String> {
        match self.spec().get("tag")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The components this IstioOperator turns on, with its profile applied.
    pub fn components(&self) -> Vec<profiles::Component> {
        profiles::enabled_components(self.spec(), self.namespace())
    }
}

/// Reads, checks and merges the input. Nothing here touches the cluster.
pub fn build(input: &Input) -> Result<IstioOperator, InputErrors> {
    let mut problems = Vec::new();
    let mut merged = json!({"apiVersion": API_VERSION, "kind": KIND, "metadata": {}, "spec": {}});
    let mut namespace_from: Option<(String, String)> = None; // (namespace, where)
    for file in &input.files {
        let Some(doc) = read_file(file, &mut problems) else {
            continue;
        };
        if let Some(ns) = doc
            .value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
        {
            namespace_from = Some((ns.to_string(), file.name.clone()));
        }
        let mut value = doc.value;
        if let Some(obj) = value.as_object_mut() {
            obj.remove("status");
        }
        merge::overlay(&mut merged, value);
    }

    if let Some(profile) = &input.profile {
        merged["spec"]["profile"] = Value::String(profile.clone());
    }

    for raw in &input.sets {
        match set::parse_flag(raw) {
            Err(message) => problems.push(flag_problem(raw, None, message)),
            Ok(flag) => {
                // Check this flag on its own first, so its problems name the flag.
                let mut alone = Value::Null;
                if let Err(message) = set::write(&mut alone, &flag.path, flag.value.clone()) {
                    problems.push(flag_problem(raw, None, message));
                    continue;
                }
                let mut found = Vec::new();
                schema::check(&alone, &schema::SPEC, "spec", &mut found);
                if !found.is_empty() {
                    problems.extend(
                        found
                            .into_iter()
                            .map(|p| flag_problem(raw, Some(p.path), p.message)),
                    );
                    continue;
                }
                let spec = merged
                    .as_object_mut()
                    .and_then(|o| o.get_mut("spec"))
                    .expect("merged always has a spec");
                if let Err(message) = set::write(spec, &flag.path, flag.value) {
                    problems.push(flag_problem(raw, None, message));
                }
            }
        }
    }

    // Namespace: the files' metadata.namespace, else -n, else istio-system; -n must not contradict.
    match (&namespace_from, &input.namespace) {
        (Some((ns, file)), Some(flag)) if ns != flag => problems.push(InputProblem {
            source: file.clone(),
            line: None,
            path: Some("metadata.namespace".to_string()),
            message: format!(
                "the IstioOperator says namespace {ns:?} but -n says {flag:?}; drop one of them or make them agree"
            ),
        }),
        (None, Some(flag)) => merged["metadata"]["namespace"] = Value::String(flag.clone()),
        (None, None) => {
            merged["metadata"]["namespace"] = Value::String(DEFAULT_NAMESPACE.to_string())
        }
        _ => {}
    }
    if merged.pointer("/metadata/name").is_none_or(Value::is_null) {
        merged["metadata"]["name"] = Value::String(DEFAULT_NAME.to_string());
    }

    // Checks on the merged result.
    let profile = merged
        .pointer("/spec/profile")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(profile) = profile
        && !profiles::PROFILES.contains(&profile.as_str())
    {
        let source = if input.profile.as_deref() == Some(profile.as_str()) {
            format!("--profile {profile}")
        } else {
            "spec.profile".to_string()
        };
        problems.push(InputProblem {
            source,
            line: None,
            path: None,
            message: format!(
                "unknown profile {profile:?}; Istio 1.23 has: {}",
                profiles::PROFILES.join(", ")
            ),
        });
    }

    if problems.is_empty() {
        Ok(IstioOperator { object: merged })
    } else {
        Err(InputErrors(problems))
    }
}

fn flag_problem(raw: &str, path: Option<String>, message: String) -> InputProblem {
    InputProblem {
        source: format!("--set {raw}"),
        line: None,
        path,
        message,
    }
}

/// One `-f` file: exactly one IstioOperator, valid against the schema.
fn read_file(file: &InputFile, problems: &mut Vec<InputProblem>) -> Option<Document> {
    let problem = |line: Option<usize>, path: Option<String>, message: String| InputProblem {
        source: file.name.clone(),
        line,
        path,
        message,
    };
    let docs = match yaml::parse_located(&file.text) {
        Ok(docs) => docs,
        Err(e) => {
            problems.push(problem(
                Some(e.location.line),
                None,
                format!("malformed YAML: {}", e.message),
            ));
            return None;
        }
    };
    let docs: Vec<Document> = docs.into_iter().filter(|d| !d.is_empty()).collect();
    if docs.is_empty() {
        problems.push(problem(
            None,
            None,
            "the file is empty: it holds no IstioOperator".to_string(),
        ));
        return None;
    }
    let iops: Vec<&Document> = docs
        .iter()
        .filter(|d| d.value.get("kind").and_then(Value::as_str) == Some(KIND))
        .collect();
    if iops.len() > 1 {
        let lines: Vec<String> = iops.iter().map(|d| d.line.to_string()).collect();
        problems.push(problem(
            None,
            None,
            format!(
                "the file holds {} IstioOperator objects (starting on lines {}); rigger installs one \
                 IstioOperator at a time: keep one per file, or pass several files with -f to merge them",
                iops.len(),
                lines.join(", ")
            ),
        ));
        return None;
    }
    let mut ok = true;
    for doc in &docs {
        let kind = doc.value.get("kind").and_then(Value::as_str);
        if kind != Some(KIND) {
            let what = match (&doc.value, kind) {
                (Value::Object(_), Some(kind)) => format!("a {kind}"),
                (Value::Object(_), None) => "a mapping without a kind".to_string(),
                _ => "not a mapping".to_string(),
            };
            problems.push(problem(
                Some(doc.line),
                None,
                format!("this document is {what}, not an IstioOperator (kind: {KIND}, apiVersion: {API_VERSION})"),
            ));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let doc = docs.into_iter().next()?;
    let api_version = doc.value.get("apiVersion").and_then(Value::as_str);
    if api_version != Some(API_VERSION) {
        problems.push(problem(
            doc.locations
                .get("apiVersion")
                .map(|l| l.line)
                .or(Some(doc.line)),
            Some("apiVersion".to_string()),
            format!(
                "expected {API_VERSION}, found {}",
                api_version.map_or("nothing".to_string(), |v| format!("{v:?}"))
            ),
        ));
        return None;
    }
    let mut found = Vec::new();
    schema::check(&doc.value, &schema::ISTIO_OPERATOR, "", &mut found);
    if !found.is_empty() {
        for p in found {
            let line = doc.locations.nearest(&p.path).map(|l| l.line);
            problems.push(problem(line, Some(p.path), p.message));
        }
        return None;
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> InputFile {
        InputFile {
            name: name.to_string(),
            text: text.to_string(),
        }
    }

    fn errors(input: Input) -> Vec<String> {
        build(&input)
            .unwrap_err()
            .0
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    const BASIC: &str = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  namespace: istio-system\n  name: example\nspec:\n  profile: default\n";

    #[test]
    fn merges_files_profile_and_sets_in_order() {
        let input = Input {
            files: vec![
                file("a.yaml", BASIC),
                file(
                    "b.yaml",
                    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: minimal\n  values:\n    global:\n      hub: one\n",
                ),
            ],
            profile: Some("demo".into()),
            sets: vec![
                "values.global.hub=two".into(),
                "components.ingressGateways[name:istio-ingressgateway].enabled=false".into(),
            ],
            namespace: None,
        };
        let iop = build(&input).unwrap();
        assert_eq!(iop.name(), "example");
        assert_eq!(iop.namespace(), "istio-system");
        assert_eq!(iop.profile(), "demo");
        assert_eq!(iop.spec()["values"]["global"]["hub"], "two");
        let names: Vec<String> = iop.components().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["base", "istiod", "istio-egressgateway"]);
    }

    #[test]
    fn defaults_name_and_namespace_and_honours_n() {
        let iop = build(&Input {
            files: vec![file(
                "x.yaml",
                "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n",
            )],
            namespace: Some("mesh".into()),
            ..Input::default()
        })
        .unwrap();
        assert_eq!((iop.name(), iop.namespace()), (DEFAULT_NAME, "mesh"));
        let iop = build(&Input::default()).unwrap();
        assert_eq!(iop.namespace(), DEFAULT_NAMESPACE);
        let errs = errors(Input {
            files: vec![file("a.yaml", BASIC)],
            namespace: Some("other".into()),
            ..Input::default()
        });
        assert!(errs[0].contains("-n says \"other\""), "{errs:?}");
    }

    #[test]
    fn unknown_field_is_reported_with_file_line_and_path() {
        let text = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n    ingressGateways:\n    - name: istio-ingressgateway\n      enabled: true\n      k8s:\n        tolerations:\n        - key: a\n          thats: wrong\n";
        let errs = errors(Input {
            files: vec![file("bad.yaml", text)],
            ..Input::default()
        });
        assert_eq!(
            errs,
            [
                "bad.yaml:11: spec.components.ingressGateways[0].k8s.tolerations[0].thats: unknown field"
            ]
        );
    }

    #[test]
    fn wrong_types_empty_files_several_objects_other_kinds_and_bad_yaml() {
        let errs = errors(Input {
            files: vec![
                file(
                    "types.yaml",
                    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n    pilot:\n      enabled: maybe\n",
                ),
                file("empty.yaml", "# nothing here\n"),
                file("two.yaml", &format!("{BASIC}---\n{BASIC}")),
                file(
                    "cm.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
                ),
                file(
                    "broken.yaml",
                    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: [demo\n",
                ),
                file(
                    "api.yaml",
                    "apiVersion: install.istio.io/v1beta9\nkind: IstioOperator\n",
                ),
            ],
            ..Input::default()
        });
        assert_eq!(errs.len(), 6, "{errs:#?}");
        assert_eq!(
            errs[0],
            "types.yaml:6: spec.components.pilot.enabled: expected a boolean (true or false), found the string \"maybe\""
        );
        assert_eq!(
            errs[1],
            "empty.yaml: the file is empty: it holds no IstioOperator"
        );
        assert!(
            errs[2].starts_with(
                "two.yaml: the file holds 2 IstioOperator objects (starting on lines 1, 9)"
            ),
            "{}",
            errs[2]
        );
        assert!(
            errs[3].starts_with("cm.yaml:1: this document is a ConfigMap, not an IstioOperator"),
            "{}",
            errs[3]
        );
        assert!(
            errs[4].starts_with("broken.yaml:") && errs[4].contains("malformed YAML"),
            "{}",
            errs[4]
        );
        assert_eq!(
            errs[5],
            "api.yaml:1: apiVersion: expected install.istio.io/v1alpha1, found \"install.istio.io/v1beta9\""
        );
    }

    #[test]
    fn bad_sets_and_profiles_name_the_flag() {
        let errs = errors(Input {
            profile: Some("fancy".into()),
            sets: vec![
                "components.pilot.enabled=maybe".into(),
                "components.pilot.k8s.bogus=1".into(),
                "nokey".into(),
            ],
            ..Input::default()
        });
        assert_eq!(
            errs,
            [
                "--set components.pilot.enabled=maybe: spec.components.pilot.enabled: expected a boolean (true or false), found the string \"maybe\"",
                "--set components.pilot.k8s.bogus=1: spec.components.pilot.k8s.bogus: unknown field",
                "--set nokey: --set nokey: expected path=value",
                "--profile fancy: unknown profile \"fancy\"; Istio 1.23 has: ambient, default, demo, empty, minimal, openshift, openshift-ambient, preview, remote, stable",
            ]
        );
    }

    /// Every real IstioOperator in the fixtures passes validation.
    #[test]
    fn real_istio_operators_are_accepted() {
        let mut files = Vec::new();
        for dir in ["istio/operator-1.23.0/samples", "istio/profiles/1.23.0"] {
            let Some(dir) = kubesim::testkit::fixture(dir) else {
                return;
            };
            for entry in std::fs::read_dir(dir).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
        let Some(examples) = kubesim::testkit::fixture("istio/iop-examples") else {
            return;
        };
        let mut stack = vec![examples];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 20);
        for path in files {
            let input = Input {
                files: vec![file(
                    &path.display().to_string(),
                    &std::fs::read_to_string(&path).unwrap(),
                )],
                ..Input::default()
            };
            if let Err(e) = build(&input) {
                panic!("{e}");
            }
        }
    }
}
