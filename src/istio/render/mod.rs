//! Istio 1.24+ installs without an operator: the IstioOperator input (profiles, `-f` files,
//! `--set` flags) becomes Helm values for each enabled component, the release's own charts are
//! rendered with rigger's template engine ([`crate::gotmpl::helm`]), the components' `k8s`
//! settings are applied as strategic-merge patches, and the objects are sorted as istioctl sorts
//! them. `rigger manifest generate` prints the result; the direct install applies it.
//!
//! The pipeline follows istioctl 1.24+ (`operator/pkg/render`): default profile < chosen profile
//! < release hub/tag (when a version is asked for) < files in order < `--set` flags in order;
//! then `spec.hub/tag/revision/meshConfig/compatibilityVersion` are copied into `spec.values`,
//! component enablement into `values.pilot.enabled` / `values.pilot.cni.enabled`, and the user's
//! own `spec.values` go on top once more.

pub mod components;
pub mod order;
pub mod paths;
pub mod postprocess;
pub mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::gotmpl::helm::{self, Chart, ReleaseOptions, RenderOptions};
use crate::istio::iop::{self, InputFile, InputProblem};
pub use components::{ALL as ALL_COMPONENTS, ComponentDef, ComponentSpec};
use paths::{get_bool, get_path, merge_from, set_path};

/// The Helm release name istioctl renders every chart with.
pub const RELEASE_NAME: &str = "istio";
/// `.Capabilities.KubeVersion` without a cluster: istioctl's minimum supported Kubernetes.
pub const KUBE_VERSION: &str = "1.32.0";
/// The registry a released istioctl puts above the profile.
pub const RELEASE_HUB: &str = "docker.io/istio";

/// A release's `manifests` folder: `charts/` and `profiles/`.
#[derive(Debug, Clone)]
pub struct Manifests {
    pub dir: PathBuf,
}

impl Manifests {
    /// Accepts a release folder (holding `manifests/`) or a `manifests` folder itself.
    pub fn open(dir: &Path) -> Result<Manifests, GenerateError> {
        for candidate in [dir.join("manifests"), dir.to_path_buf()] {
            if candidate.join("charts").is_dir() && candidate.join("profiles").is_dir() {
                return Ok(Manifests { dir: candidate });
            }
        }
        Err(GenerateError::input(
            format!(
                "{} holds no Istio charts: expected charts/ and profiles/ in it or in its manifests/ folder",
                dir.display()
            ),
            "pass an unpacked Istio release (istio-1.30.3/) or its manifests/ folder",
        ))
    }

    pub fn chart_dir(&self, chart: &str) -> PathBuf {
        self.dir.join("charts").join(chart)
    }

    /// The profile names this release has.
    pub fn profiles(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join("profiles"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".yaml"))
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        names
    }

    fn profile(&self, name: &str) -> Result<Value, GenerateError> {
        let path = self.dir.join("profiles").join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path).map_err(|_| {
            GenerateError::input(
                format!(
                    "profile {name:?} not found in {}",
                    self.dir.join("profiles").display()
                ),
                format!(
                    "this release has the profiles: {}",
                    self.profiles().join(", ")
                ),
            )
        })?;
        let value =
            crate::yaml::parse_document(&text, &path.display().to_string()).map_err(|e| {
                GenerateError::input(format!("{}:{}: {}", path.display(), e.line, e.msg), "")
            })?;
        Ok(if value.is_object() {
            value
        } else {
            Value::Object(Map::new())
        })
    }
}

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub files: Vec<InputFile>,
    /// `--set path=value`, in order (`--profile` and `--revision` arrive here as sets too).
    pub sets: Vec<String>,
    /// With `--istio-version`: the release's hub and tag go above the profile.
    pub release_tag: Option<String>,
    /// Validation problems become warnings.
    pub force: bool,
}

/// Something that stops a render.
#[derive(Debug)]
pub enum GenerateError {
    /// The input is wrong (exit code 2): a message, the located problems, a hint.
    Input {
        message: String,
        problems: Vec<InputProblem>,
        hint: String,
    },
    /// A chart could not be loaded or rendered.
    Chart { message: String, cause: String },
}

impl GenerateError {
    fn input(message: impl Into<String>, hint: impl Into<String>) -> Self {
        GenerateError::Input {
            message: message.into(),
            problems: Vec::new(),
            hint: hint.into(),
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            GenerateError::Input { hint, .. } if !hint.is_empty() => Some(hint),
            GenerateError::Chart { .. } => Some(
                "the chart calls something rigger's template engine does not support, or the values break it; \
                 check the release folder and the values",
            ),
            _ => None,
        }
    }
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Input {
                message, problems, ..
            } => {
                f.write_str(message)?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            GenerateError::Chart { message, cause } => write!(f, "{message}: {cause}"),
        }
    }
}

impl std::error::Error for GenerateError {}

/// One rendered object with the component that made it.
#[derive(Debug, Clone)]
pub struct Object {
    pub component: &'static ComponentDef,
    /// The component's namespace (the Helm release namespace).
    pub namespace: String,
    pub value: Value,
}

impl Object {
    pub fn kind(&self) -> &str {
        self.value.get("kind").and_then(Value::as_str).unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    pub fn object_namespace(&self) -> &str {
        self.value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// The result of a render.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The merged IstioOperator (after translation to Helm values).
    pub merged: Value,
    /// The enabled components, in install order.
    pub components: Vec<ComponentSpec>,
    /// All objects, sorted as istioctl prints them.
    pub objects: Vec<Object>,
    /// Problems ignored because of `--force`.
    pub warnings: Vec<String>,
}

/// The whole pipeline: inputs → merged IstioOperator → charts → objects.
pub fn generate(manifests: &Manifests, request: &Request) -> Result<Generated, GenerateError> {
    let mut warnings = Vec::new();
    let merged = merge_inputs(manifests, request, &mut warnings)?;
    let mut merged = merged;
    if let Some(unvalidated @ Value::Object(_)) =
        get_path(&merged, "spec.unvalidatedValues").cloned()
    {
        let mut overlay = Value::Object(Map::new());
        set_path(&mut overlay, "spec.values", unvalidated);
        merge_from(&mut merged, &overlay);
    }
    let mut charts: BTreeMap<&'static str, Chart> = BTreeMap::new();
    let mut objects = Vec::new();
    let mut specs = Vec::new();
    for def in components::ALL {
        for spec in components::enabled(def, &merged) {
            let values = components::component_values(&spec, &merged);
            if !charts.contains_key(def.chart) {
                charts.insert(def.chart, load_chart(manifests, def)?);
            }
            let chart = &charts[def.chart];
            let rendered = render_chart(chart, &spec, &values)?;
            let patched = postprocess::apply(&spec, &values, rendered).map_err(|e| {
                GenerateError::input(
                    format!(
                        "cannot apply the k8s settings of component {}: {e}",
                        describe(&spec)
                    ),
                    "check spec.components.*.k8s in the input",
                )
            })?;
            objects.extend(patched.into_iter().map(|value| Object {
                component: def,
                namespace: spec.namespace.clone(),
                value,
            }));
            specs.push(spec);
        }
    }
    order::sort(&mut objects);
    Ok(Generated {
        merged,
        components: specs,
        objects,
        warnings,
    })
}

/// Makes a rendered default-revision installation the cluster's default for injection and
/// validation, as `istioctl install` does after applying one: the istiod chart's
/// `istio-revision-tag-default` webhooks and the base chart's `istiod-default-validator`, rendered
/// from the installation's own values, join the Pilot and Base objects, and the revision's own
/// `istio-sidecar-injector` webhooks are deactivated (their selectors match nothing) so that no pod
/// is selected twice. Nothing changes for a revisioned installation, one without istiod, or one
/// whose webhooks an operator manages (`values.global.operatorManageWebhooks`).
pub fn add_default_revision_tag(
    manifests: &Manifests,
    generated: &mut Generated,
) -> Result<(), GenerateError> {
    let revision = get_path(&generated.merged, "spec.values.revision")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let managed = get_bool(
        &generated.merged,
        "spec.values.global.operatorManageWebhooks",
    );
    let has_pilot = generated.components.iter().any(|c| c.def.name == "Pilot");
    if !revision.is_empty() || managed || !has_pilot {
        return Ok(());
    }
    let mut added = Vec::new();
    for spec in &generated.components {
        let (path, value, kind, name) = match spec.def.name {
            "Pilot" => (
                "spec.values.revisionTags",
                Value::Array(vec![Value::String("default".into())]),
                "MutatingWebhookConfiguration",
                "istio-revision-tag-default",
            ),
            "Base" => (
                "spec.values.defaultRevision",
                Value::String("default".into()),
                "ValidatingWebhookConfiguration",
                "istiod-default-validator",
            ),
            _ => continue,
        };
        let mut values = components::component_values(spec, &generated.merged);
        set_path(&mut values, path, value);
        let rendered = render_chart(&load_chart(manifests, spec.def)?, spec, &values)?;
        added.extend(
            rendered
                .into_iter()
                .filter(|o| {
                    o["kind"] == kind
                        && o["metadata"]["name"]
                            .as_str()
                            .is_some_and(|n| n.starts_with(name))
                })
                .map(|value| Object {
                    component: spec.def,
                    namespace: spec.namespace.clone(),
                    value,
                }),
        );
    }
    if !added
        .iter()
        .any(|o| o.kind() == "MutatingWebhookConfiguration")
    {
        // The chart has no tag template (or renders none here): keep the revision's webhooks.
        return Ok(());
    }
    for o in &mut generated.objects {
        let injector = o.kind() == "MutatingWebhookConfiguration"
            && o.name().starts_with("istio-sidecar-injector");
        if !injector {
            continue;
        }
        if let Some(hooks) = o.value["webhooks"].as_array_mut() {
            for hook in hooks {
                let never =
                    serde_json::json!({"matchLabels": {"istio.io/deactivated": "never-match"}});
                hook["namespaceSelector"] = never.clone();
                hook["objectSelector"] = never;
            }
        }
    }
    generated.objects.extend(added);
    order::sort(&mut generated.objects);
    Ok(())
}

/// The chart of a component, from the release's manifests.
fn load_chart(manifests: &Manifests, def: &ComponentDef) -> Result<Chart, GenerateError> {
    Chart::load(&manifests.chart_dir(def.chart)).map_err(|e| GenerateError::Chart {
        message: format!(
            "cannot load the {} chart for component {}",
            def.chart, def.name
        ),
        cause: format!("{e:#}"),
    })
}

/// `Pilot`, or `IngressGateways istio-ingressgateway`.
pub fn describe(spec: &ComponentSpec) -> String {
    if spec.name.is_empty() {
        spec.def.name.to_string()
    } else {
        format!("{} {}", spec.def.name, spec.name)
    }
}

fn render_chart(
    chart: &Chart,
    spec: &ComponentSpec,
    values: &Value,
) -> Result<Vec<Value>, GenerateError> {
    let helm_values = get_path(values, "spec.values")
        .cloned()
        .unwrap_or(Value::Null);
    let helm_values = helm::values_from_json(&helm_values);
    let opts = RenderOptions {
        release: ReleaseOptions {
            name: RELEASE_NAME.to_string(),
            namespace: spec.namespace.clone(),
            revision: 1,
            is_install: false,
            is_upgrade: false,
        },
        kube_version: KUBE_VERSION.to_string(),
        api_versions: Vec::new(),
        strict: false,
    };
    let chart_error = |e: anyhow::Error| GenerateError::Chart {
        message: format!(
            "cannot render the {} chart for component {}",
            chart.name(),
            describe(spec)
        ),
        cause: format!("{e:#}"),
    };
    let rendered = helm::render(chart, &helm_values, &opts).map_err(chart_error)?;
    let mut out: Vec<Value> = helm::manifests(&rendered)
        .map_err(chart_error)?
        .into_iter()
        .map(|m| m.object)
        .collect();
    // The chart's crds/ folder follows the templates, by file name.
    let skip_crds = chart.name() == "base"
        && get_path(values, "spec.values.base.enableIstioConfigCRDs").and_then(Value::as_bool)
            == Some(false);
    if !skip_crds {
        for (name, data) in &chart.files {
            if !name.starts_with("crds/") {
                continue;
            }
            let text = String::from_utf8_lossy(data);
            for doc in crate::yaml::split_documents(&text) {
                let obj =
                    crate::yaml::parse_document(&doc, name).map_err(|e| GenerateError::Chart {
                        message: format!("cannot read {name} of the {} chart", chart.name()),
                        cause: format!("line {}: {}", e.line, e.msg),
                    })?;
                if obj
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| !k.is_empty())
                {
                    out.push(obj);
                }
            }
        }
    }
    Ok(out)
}

/// istioctl's MergeInputs plus validation: the merged IstioOperator, translated to Helm values.
fn merge_inputs(
    manifests: &Manifests,
    request: &Request,
    warnings: &mut Vec<String>,
) -> Result<Value, GenerateError> {
    let defaults = validate::ValuesShape::load(manifests);
    let mut user = serde_json::json!({
        "apiVersion": iop::API_VERSION, "kind": iop::KIND, "metadata": {}, "spec": {}
    });
    let mut structural = Vec::new(); // never forced
    let mut schema_problems = Vec::new();
    let mut value_problems = Vec::new();
    for file in &request.files {
        match validate::read_file(file, &defaults, &mut schema_problems, &mut value_problems) {
            Ok(Some(mut doc)) => {
                if let Some(obj) = doc.as_object_mut() {
                    if obj.get("spec").is_some_and(Value::is_null) {
                        obj.remove("spec");
                    }
                    obj.remove("status");
                }
                merge_from(&mut user, &doc);
            }
            Ok(None) => {}
            Err(p) => structural.push(p),
        }
    }
    for raw in &request.sets {
        match iop::set::parse_flag(raw) {
            Err(message) => structural.push(set_problem(raw, None, message)),
            Ok(flag) => {
                let mut alone = Value::Null;
                if let Err(message) = iop::set::write(&mut alone, &flag.path, flag.value.clone()) {
                    structural.push(set_problem(raw, None, message));
                    continue;
                }
                validate::check_set(
                    raw,
                    &alone,
                    &defaults,
                    &mut schema_problems,
                    &mut value_problems,
                );
                let spec = user
                    .as_object_mut()
                    .expect("user is a mapping")
                    .entry("spec")
                    .or_insert(Value::Null);
                if let Err(message) = iop::set::write(spec, &flag.path, flag.value) {
                    structural.push(set_problem(raw, None, message));
                }
            }
        }
    }
    if !structural.is_empty() {
        return Err(GenerateError::Input {
            message: "the IstioOperator input is invalid:".to_string(),
            problems: structural,
            hint: "fix the input and run the command again; nothing was rendered or applied"
                .to_string(),
        });
    }
    if let Some(rev) = get_path(&user, "spec.revision").and_then(Value::as_str)
        && !rev.is_empty()
        && !is_dns1123_label(rev)
    {
        schema_problems.push(InputProblem {
            source: "spec.revision".to_string(),
            line: None,
            path: None,
            message: format!("invalid revision specified: {rev} (a revision is a DNS label: lower-case letters, digits and -)"),
        });
    }
    for (problems, message, hint) in [
        (
            schema_problems,
            "could not unmarshal the IstioOperator: it does not match the IstioOperator schema:",
            "fix the fields named above, or pass --force to render anyway",
        ),
        (
            value_problems,
            "invalid schema for spec.values: Istio does not know these values:",
            "fix the values named above, move custom values to spec.unvalidatedValues, or pass --force to render anyway",
        ),
    ] {
        if problems.is_empty() {
            continue;
        }
        if request.force {
            warnings.extend(
                problems
                    .iter()
                    .map(|p| format!("ignored because of --force: {p}")),
            );
        } else {
            return Err(GenerateError::Input {
                message: message.to_string(),
                problems,
                hint: hint.to_string(),
            });
        }
    }

    let profile = get_path(&user, "spec.profile")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .unwrap_or("default")
        .to_string();
    let user_values = get_path(&user, "spec.values")
        .filter(|v| v.is_object())
        .cloned();
    let mut base = manifests.profile("default")?;
    if profile != "default" {
        let top = manifests.profile(&profile)?;
        merge_from(&mut base, &top);
    }
    if let Some(tag) = &request.release_tag {
        set_path(
            &mut base,
            "spec.hub",
            Value::String(RELEASE_HUB.to_string()),
        );
        set_path(&mut base, "spec.tag", Value::String(tag.clone()));
    }
    merge_from(&mut base, &user);
    translate(&mut base);
    if let Some(values) = user_values {
        let mut overlay = Value::Object(Map::new());
        set_path(&mut overlay, "spec.values", values);
        merge_from(&mut base, &overlay);
    }
    Ok(base)
}

fn set_problem(raw: &str, path: Option<String>, message: String) -> InputProblem {
    let source = format!("--set {raw}");
    let message = match message.strip_prefix(&format!("{source}: ")) {
        Some(rest) => rest.to_string(),
        None => message,
    };
    InputProblem {
        source,
        line: None,
        path,
        message,
    }
}

/// istioctl's translateIstioOperatorToHelm.
fn translate(base: &mut Value) {
    for (from, to) in [
        ("spec.hub", "global.hub"),
        ("spec.tag", "global.tag"),
        ("spec.revision", "revision"),
        ("spec.meshConfig", "meshConfig"),
        ("spec.compatibilityVersion", "compatibilityVersion"),
    ] {
        let Some(v) = get_path(base, from).cloned() else {
            continue;
        };
        if v.is_object() {
            let mut overlay = Value::Object(Map::new());
            set_path(&mut overlay, "spec.values.meshConfig", v);
            merge_from(base, &overlay);
        } else {
            // istioctl formats the value with %v and reads it back as a --set value.
            let text = match &v {
                Value::String(s) => s.clone(),
                Value::Null => "<nil>".to_string(),
                other => other.to_string(),
            };
            set_path(
                base,
                &format!("spec.values.{to}"),
                iop::set::parse_value(&text),
            );
        }
    }
    let pilot = get_bool(base, "spec.components.pilot.enabled");
    set_path(base, "spec.values.pilot.enabled", Value::Bool(pilot));
    let cni = get_bool(base, "spec.components.cni.enabled");
    set_path(base, "spec.values.pilot.cni.enabled", Value::Bool(cni));
    if let Some(ns) = get_path(base, "spec.values.global.istioNamespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
    {
        set_path(base, "metadata.namespace", Value::String(ns));
    }
}

fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The text `manifest generate` prints: each object as sigs.k8s.io/yaml writes it, then `\n---\n`.
pub fn to_yaml(objects: &[Object]) -> String {
    let mut out = String::new();
    for o in objects {
        out.push_str(&crate::yaml::to_go_yaml(&o.value));
        out.push_str("\n---\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn translation_copies_spec_fields_into_values() {
        let mut base = json!({"metadata": {}, "spec": {"hub": "h", "tag": "1.30.3", "revision": "canary",
            "meshConfig": {"a": 1}, "components": {"pilot": {"enabled": true}},
            "values": {"meshConfig": {"b": 2}, "global": {"istioNamespace": "mesh"}}}});
        translate(&mut base);
        assert_eq!(
            base["spec"]["values"],
            json!({"meshConfig": {"a": 1, "b": 2}, "global": {"istioNamespace": "mesh", "hub": "h", "tag": "1.30.3"},
                "revision": "canary", "pilot": {"enabled": true, "cni": {"enabled": false}}})
        );
        assert_eq!(base["metadata"]["namespace"], "mesh");
    }

    #[test]
    fn revisions_are_dns_labels() {
        assert!(is_dns1123_label("canary-1"));
        assert!(!is_dns1123_label("Canary"));
        assert!(!is_dns1123_label("a.b"));
    }
}
