//! Helm's rendering engine on top of the template engine: chart loading ([`Chart::load`]),
//! values coalescing, the per-chart top-level object (`.Values`, `.Release`, `.Chart`,
//! `.Capabilities`, `.Files`, `.Template`, `.Subcharts`), Helm's template order and error
//! wording, and splitting the result into manifests.
//!
//! ```no_run
//! use rigger::gotmpl::helm::{Chart, RenderOptions, render, manifests};
//! let chart = Chart::load(std::path::Path::new("manifests/charts/base")).unwrap();
//! let values = rigger::gotmpl::helm::values_from_json(&serde_json::json!({"global": {}}));
//! let rendered = render(&chart, &values, &RenderOptions::default()).unwrap();
//! for m in manifests(&rendered).unwrap() {
//!     println!("{}: {}", m.source, m.kind());
//! }
//! ```

mod chart;
mod funcs;
mod objects;
pub mod schema;
mod values;

use std::collections::BTreeMap;
use std::rc::Rc;

use anyhow::{Result, anyhow};
use serde_json::Value as Json;

pub use chart::{Chart, Dependency};
pub use funcs::{helm_funcs, register_json, to_yaml};
pub use objects::{KubeVersion, default_api_versions};
pub use values::{coalesce_values, merge_maps, user_values};

use super::exec::{Error, Templates};
use super::value::{MapRef, Value};

/// `.Release`.
#[derive(Debug, Clone)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
}

impl Default for ReleaseOptions {
    fn default() -> Self {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

/// Everything besides values that a render needs.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub release: ReleaseOptions,
    /// `.Capabilities.KubeVersion` (`1.32.0` or `v1.32.0`).
    pub kube_version: String,
    /// `.Capabilities.APIVersions`; empty means [`default_api_versions`].
    pub api_versions: Vec<String>,
    /// `missingkey=error` (Helm's `--strict` lint mode) instead of `<no value>`.
    pub strict: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release: ReleaseOptions::default(),
            kube_version: "1.32.0".into(),
            api_versions: Vec::new(),
            strict: false,
        }
    }
}

/// Helm values from a JSON/YAML document: numbers become float64 as in Helm.
pub fn values_from_json(json: &Json) -> MapRef {
    match Value::from_json(json) {
        Value::Map(m) => m,
        _ => match Value::empty_map() {
            Value::Map(m) => m,
            _ => unreachable!("empty_map is a map"),
        },
    }
}

/// Helm's template order: deepest path first, then reverse alphabetical. Templates are parsed
/// in this order (so for a `define` the last one parsed, the shallowest, wins) and executed in
/// it (so `zzz_profile.yaml` runs before its siblings).
pub fn sort_templates(names: &mut [String]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

struct Renderable {
    text: String,
    vals: MapRef,
    base_path: String,
}

fn str_val(s: &str) -> Value {
    Value::from(s)
}

#[allow(clippy::too_many_arguments)]
fn collect(
    chart: &Chart,
    parent_top: Option<&MapRef>,
    full_path: &str,
    top_values: &MapRef,
    tags: &Value,
    release: &Value,
    caps: &Value,
    out: &mut BTreeMap<String, Renderable>,
) -> MapRef {
    let values = match parent_top {
        None => top_values.clone(),
        Some(parent) => {
            let pv = parent.borrow().get("Values").cloned();
            match pv {
                Some(Value::Map(m)) => match m.borrow().get(&chart.name()) {
                    Some(Value::Map(sub)) => sub.clone(),
                    _ => values_from_json(&Json::Object(Default::default())),
                },
                _ => values_from_json(&Json::Object(Default::default())),
            }
        }
    };
    let subcharts = values_from_json(&Json::Object(Default::default()));
    let mut top = BTreeMap::new();
    top.insert(
        "Chart".to_string(),
        Value::Object(Rc::new(objects::ChartMeta {
            meta: chart.metadata.clone(),
            is_root: parent_top.is_none(),
        })),
    );
    top.insert(
        "Files".to_string(),
        Value::Object(Rc::new(objects::Files(Rc::new(chart.files.clone())))),
    );
    top.insert("Release".to_string(), release.clone());
    top.insert("Capabilities".to_string(), caps.clone());
    top.insert("Values".to_string(), Value::Map(values.clone()));
    top.insert("Subcharts".to_string(), Value::Map(subcharts.clone()));
    let next = match Value::new_map(top) {
        Value::Map(m) => m,
        _ => unreachable!("new_map is a map"),
    };
    for sub in values::enabled_dependencies(chart, &values, tags) {
        let sub_path = format!("{full_path}/charts/{}", sub.name());
        let sub_top = collect(
            sub,
            Some(&next),
            &sub_path,
            top_values,
            tags,
            release,
            caps,
            out,
        );
        subcharts
            .borrow_mut()
            .insert(sub.name(), Value::Map(sub_top));
    }
    for (rel, text) in &chart.templates {
        if chart.is_library() && !rel.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        out.insert(
            format!("{full_path}/{rel}"),
            Renderable {
                text: text.clone(),
                vals: next.clone(),
                base_path: format!("{full_path}/templates"),
            },
        );
    }
    next
}

/// Helm's ValidateAgainstSchema: each chart's values.schema.json against its section of the values.
fn validate_schemas(chart: &Chart, values: &MapRef, tags: &Value, out: &mut String) {
    if let Some(schema) = &chart.schema {
        let json = Value::Map(values.clone()).to_json().unwrap_or(Json::Null);
        let errors = schema::validate(schema, &json);
        if !errors.is_empty() {
            out.push_str(&format!("{}:\n", chart.name()));
            for e in errors {
                out.push_str(&format!("- {e}\n"));
            }
        }
    }
    for sub in values::enabled_dependencies(chart, values, tags) {
        let section = values.borrow().get(&sub.name()).cloned();
        if let Some(Value::Map(m)) = section {
            validate_schemas(sub, &m, tags, out);
        }
    }
}

/// Helm's cleanupParseError.
fn parse_error(name: &str, e: &Error) -> anyhow::Error {
    match e {
        Error::Parse(p) => anyhow!("parse error at ({}:{}): {}", p.name, p.line, p.msg),
        other => anyhow!("parse error in ({name}): {other}"),
    }
}

/// Helm's cleanupExecError: `fail`/`required` messages become "execution error at (file:line:col): msg".
fn exec_error(name: &str, e: &Error) -> anyhow::Error {
    let text = e.to_string();
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if !matches!(e, Error::Exec { .. }) {
        return anyhow!("{text}");
    }
    if tokens.len() != 3 {
        return anyhow!("execution error in ({name}): {text}");
    }
    if let Some(start) = tokens[2].find(funcs::WARN_START)
        && let Some(end) = tokens[2].rfind(funcs::WARN_END)
        && end >= start + funcs::WARN_START.len()
    {
        let msg = &tokens[2][start + funcs::WARN_START.len()..end];
        return anyhow!("execution error at ({}): {msg}", tokens[1]);
    }
    anyhow!("{text}")
}

/// Renders every template of `chart` (and its enabled subcharts) with the user's `values`
/// (coalesced over the charts' defaults). Returns the text per template path
/// (`<chart>/templates/<file>`); partials (`_*`) are not included, NOTES.txt is.
pub fn render(
    chart: &Chart,
    values: &MapRef,
    opts: &RenderOptions,
) -> Result<BTreeMap<String, String>> {
    let tags = values.borrow().get("tags").cloned().unwrap_or_default();
    let coalesced = coalesce_values(chart, values, &tags);
    let mut schema_errors = String::new();
    validate_schemas(chart, &coalesced, &tags, &mut schema_errors);
    if !schema_errors.is_empty() {
        return Err(anyhow!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{}",
            schema_errors.trim_end()
        ));
    }
    let kube = objects::KubeVersion::parse(&opts.kube_version).map_err(|e| anyhow!(e))?;
    let api_versions = if opts.api_versions.is_empty() {
        default_api_versions()
    } else {
        opts.api_versions.clone()
    };
    let caps = Value::Object(Rc::new(objects::Capabilities {
        kube_version: Rc::new(kube),
        api_versions: Rc::new(objects::ApiVersions(api_versions)),
    }));
    let mut release = BTreeMap::new();
    let r = &opts.release;
    release.insert("Name".into(), str_val(&r.name));
    release.insert("Namespace".into(), str_val(&r.namespace));
    release.insert("IsUpgrade".into(), Value::Bool(r.is_upgrade));
    release.insert("IsInstall".into(), Value::Bool(r.is_install));
    release.insert("Revision".into(), Value::Int(r.revision));
    release.insert("Service".into(), str_val("Helm"));
    let release = Value::new_map(release);

    let mut tpls = BTreeMap::new();
    collect(
        chart,
        None,
        &chart.name(),
        &coalesced,
        &tags,
        &release,
        &caps,
        &mut tpls,
    );

    let mut names: Vec<String> = tpls.keys().cloned().collect();
    sort_templates(&mut names);
    let mut set = Templates::new(helm_funcs());
    set.strict = opts.strict;
    for name in &names {
        set.parse(name, &tpls[name].text)
            .map_err(|e| parse_error(name, &e))?;
    }
    let mut out = BTreeMap::new();
    for name in &names {
        if name.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        let r = &tpls[name];
        let mut t = BTreeMap::new();
        t.insert("Name".to_string(), str_val(name));
        t.insert("BasePath".to_string(), str_val(&r.base_path));
        r.vals
            .borrow_mut()
            .insert("Template".into(), Value::new_map(t));
        let text = set
            .execute(name, &Value::Map(r.vals.clone()))
            .map_err(|e| exec_error(name, &e))?;
        out.insert(name.clone(), text.replace("<no value>", ""));
    }
    Ok(out)
}

/// One rendered Kubernetes object, as Istio's renderer sees it.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The template it came from (`istiod/templates/deployment.yaml`).
    pub source: String,
    /// The document's raw text, whitespace-trimmed.
    pub text: String,
    /// The parsed object.
    pub object: Json,
}

impl Manifest {
    fn field(&self, path: &[&str]) -> &str {
        let mut cur = &self.object;
        for p in path {
            match cur.get(p) {
                Some(v) => cur = v,
                None => return "",
            }
        }
        cur.as_str().unwrap_or("")
    }
    pub fn kind(&self) -> &str {
        self.field(&["kind"])
    }
    pub fn name(&self) -> &str {
        self.field(&["metadata", "name"])
    }
    pub fn namespace(&self) -> &str {
        self.field(&["metadata", "namespace"])
    }
}

/// Istio's view of a render: files sorted by name, `.txt` files (NOTES) dropped, each file split
/// at lines starting with `---`, documents trimmed, and documents without a `kind` dropped.
pub fn manifests(rendered: &BTreeMap<String, String>) -> Result<Vec<Manifest>> {
    let mut out = Vec::new();
    for (source, text) in rendered {
        if source.ends_with(".txt") {
            continue;
        }
        for doc in crate::yaml::split_documents(text) {
            let object = crate::yaml::parse_document(&doc, source).map_err(|e| {
                anyhow!(
                    "{source}: rendered YAML does not parse: line {}: {}",
                    e.line,
                    e.msg
                )
            })?;
            let has_kind = object
                .get("kind")
                .and_then(Json::as_str)
                .is_some_and(|k| !k.is_empty());
            if has_kind {
                out.push(Manifest {
                    source: source.clone(),
                    text: doc,
                    object,
                });
            }
        }
    }
    Ok(out)
}

/// gobwas/glob matching with `/` as separator: `*` and `?` stay within a path segment, `**`
/// crosses segments, `[...]` classes and `{a,b}` alternatives.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n)
}

fn glob_at(p: &[char], n: &[char]) -> bool {
    if p.is_empty() {
        return n.is_empty();
    }
    match p[0] {
        '*' => {
            let any = p.len() > 1 && p[1] == '*';
            let rest = if any { &p[2..] } else { &p[1..] };
            for i in 0..=n.len() {
                if glob_at(rest, &n[i..]) {
                    return true;
                }
                if i < n.len() && !any && n[i] == '/' {
                    return false;
                }
            }
            false
        }
        '?' => !n.is_empty() && n[0] != '/' && glob_at(&p[1..], &n[1..]),
        '[' => {
            let Some(close) = p.iter().position(|c| *c == ']') else {
                return !n.is_empty() && n[0] == '[' && glob_at(&p[1..], &n[1..]);
            };
            if n.is_empty() {
                return false;
            }
            let class = &p[1..close];
            let (neg, class) = match class.first() {
                Some('!') | Some('^') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut matched = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    if class[i] <= n[0] && n[0] <= class[i + 2] {
                        matched = true;
                    }
                    i += 3;
                } else {
                    if class[i] == n[0] {
                        matched = true;
                    }
                    i += 1;
                }
            }
            matched != neg && glob_at(&p[close + 1..], &n[1..])
        }
        '{' => {
            let Some(close) = p.iter().position(|c| *c == '}') else {
                return !n.is_empty() && n[0] == '{' && glob_at(&p[1..], &n[1..]);
            };
            let inner: String = p[1..close].iter().collect();
            inner.split(',').any(|alt| {
                let mut cand: Vec<char> = alt.chars().collect();
                cand.extend_from_slice(&p[close + 1..]);
                glob_at(&cand, n)
            })
        }
        '\\' if p.len() > 1 => !n.is_empty() && n[0] == p[1] && glob_at(&p[2..], &n[1..]),
        c => !n.is_empty() && n[0] == c && glob_at(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_order_deepest_then_reverse_alpha() {
        let mut names = vec![
            "c/templates/a.yaml".to_string(),
            "c/templates/zzz_profile.yaml".to_string(),
            "c/charts/s/templates/x.yaml".to_string(),
            "c/templates/_helpers.tpl".to_string(),
        ];
        sort_templates(&mut names);
        assert_eq!(
            names,
            vec![
                "c/charts/s/templates/x.yaml",
                "c/templates/zzz_profile.yaml",
                "c/templates/a.yaml",
                "c/templates/_helpers.tpl",
            ]
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("crds/*.yaml", "crds/a.yaml"));
        assert!(!glob_match("crds/*.yaml", "crds/x/a.yaml"));
        assert!(glob_match("crds/**.yaml", "crds/x/a.yaml"));
        assert!(glob_match("files/{a,b}.txt", "files/b.txt"));
        assert!(glob_match("f?le[0-9]", "file7"));
    }
}
