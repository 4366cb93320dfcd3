//! Loading a Helm chart directory: Chart.yaml, values.yaml, templates/ (partials included),
//! other files for `.Files`, and subcharts from charts/ (or, when charts/ lacks them, from
//! `file://` dependency repositories, so an umbrella chart renders without `helm dep build`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value as Json;

use crate::yaml;

/// A dependency declared in Chart.yaml.
#[derive(Debug, Clone, Default)]
pub struct Dependency {
    pub name: String,
    pub alias: Option<String>,
    pub condition: Option<String>,
    pub tags: Vec<String>,
    pub enabled: Option<bool>,
    pub repository: String,
}

/// A loaded chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart.yaml as parsed.
    pub metadata: Json,
    /// values.yaml (an empty map when absent).
    pub values: Json,
    /// Template files by path relative to the chart (`templates/deployment.yaml`).
    pub templates: BTreeMap<String, String>,
    /// Every other file by relative path, for `.Files`.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Subcharts, in Chart.yaml dependency order, then any other charts/ entries by name.
    pub dependencies: Vec<Chart>,
    /// Chart.yaml `dependencies`.
    pub dependency_specs: Vec<Dependency>,
    /// values.schema.json, if present (not validated yet).
    pub schema: Option<Json>,
    /// Where it was loaded from.
    pub dir: PathBuf,
}

fn meta_str(meta: &Json, key: &str) -> String {
    meta.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

impl Chart {
    /// The chart's name (Chart.yaml `name`, or its alias as a subchart).
    pub fn name(&self) -> String {
        meta_str(&self.metadata, "name")
    }

    /// `library` charts only contribute partials.
    pub fn is_library(&self) -> bool {
        meta_str(&self.metadata, "type") == "library"
    }

    /// Loads the chart in `dir`.
    pub fn load(dir: &Path) -> Result<Chart> {
        let chart_yaml = dir.join("Chart.yaml");
        let text = std::fs::read_to_string(&chart_yaml).with_context(|| {
            format!(
                "{} is not a chart: cannot read {}",
                dir.display(),
                chart_yaml.display()
            )
        })?;
        let metadata = yaml::parse_document(&text, &chart_yaml.display().to_string())
            .with_context(|| format!("cannot parse {}", chart_yaml.display()))?;
        if !metadata.is_object() {
            bail!("{}: Chart.yaml is not a mapping", chart_yaml.display());
        }
        if meta_str(&metadata, "name").is_empty() {
            bail!("{}: chart.metadata.name is required", chart_yaml.display());
        }
        let values_path = dir.join("values.yaml");
        let values = if values_path.exists() {
            let text = std::fs::read_to_string(&values_path)
                .with_context(|| format!("cannot read {}", values_path.display()))?;
            let v = yaml::parse_document(&text, &values_path.display().to_string())
                .with_context(|| format!("cannot parse {}", values_path.display()))?;
            match v {
                Json::Null => Json::Object(Default::default()),
                Json::Object(_) => v,
                _ => bail!("{}: values must be a mapping", values_path.display()),
            }
        } else {
            Json::Object(Default::default())
        };
        let schema_path = dir.join("values.schema.json");
        let schema = if schema_path.exists() {
            let text = std::fs::read_to_string(&schema_path)?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("cannot parse {}", schema_path.display()))?,
            )
        } else {
            None
        };
        let ignore = HelmIgnore::load(dir);
        let mut templates = BTreeMap::new();
        let mut files = BTreeMap::new();
        let mut all = Vec::new();
        walk(dir, dir, &mut all)?;
        for rel in all {
            if ignore.ignored(&rel) {
                continue;
            }
            if rel.starts_with("charts/") {
                continue;
            }
            if rel.starts_with("templates/") {
                let path = dir.join(&rel);
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                templates.insert(rel, text);
                continue;
            }
            if matches!(
                rel.as_str(),
                "Chart.yaml"
                    | "Chart.lock"
                    | "values.yaml"
                    | "values.schema.json"
                    | "requirements.yaml"
                    | "requirements.lock"
            ) {
                continue;
            }
            let path = dir.join(&rel);
            files.insert(
                rel,
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
            );
        }
        let dependency_specs = parse_dependencies(&metadata);
        let mut dependencies = Vec::new();
        let charts_dir = dir.join("charts");
        let mut found: BTreeMap<String, Chart> = BTreeMap::new();
        if charts_dir.is_dir() {
            let mut entries: Vec<_> =
                std::fs::read_dir(&charts_dir)?.collect::<std::io::Result<_>>()?;
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let p = e.path();
                if p.is_dir() && p.join("Chart.yaml").exists() {
                    let sub = Chart::load(&p)?;
                    found.insert(sub.name(), sub);
                } else if p.extension().is_some_and(|x| x == "tgz") {
                    bail!(
                        "{}: packaged subcharts (.tgz) are not supported; unpack it into {}",
                        p.display(),
                        charts_dir.display()
                    );
                }
            }
        }
        for spec in &dependency_specs {
            let mut sub = match found.remove(&spec.name) {
                Some(c) => c,
                None => match spec.repository.strip_prefix("file://") {
                    Some(rel) => Chart::load(&dir.join(rel)).with_context(|| {
                        format!(
                            "loading dependency {:?} of chart {}",
                            spec.name,
                            meta_str(&metadata, "name")
                        )
                    })?,
                    None => bail!(
                        "found in Chart.yaml, but missing in charts/ directory: {}",
                        spec.name
                    ),
                },
            };
            if let Some(alias) = &spec.alias
                && let Json::Object(m) = &mut sub.metadata
            {
                m.insert("name".into(), Json::String(alias.clone()));
            }
            dependencies.push(sub);
        }
        dependencies.extend(found.into_values());
        Ok(Chart {
            metadata,
            values,
            templates,
            files,
            dependencies,
            dependency_specs,
            schema,
            dir: dir.to_path_buf(),
        })
    }
}

fn parse_dependencies(meta: &Json) -> Vec<Dependency> {
    let Some(deps) = meta.get("dependencies").and_then(Json::as_array) else {
        return Vec::new();
    };
    deps.iter()
        .map(|d| Dependency {
            name: meta_str(d, "name"),
            alias: d.get("alias").and_then(Json::as_str).map(String::from),
            condition: d.get("condition").and_then(Json::as_str).map(String::from),
            tags: d
                .get("tags")
                .and_then(Json::as_array)
                .map(|t| {
                    t.iter()
                        .filter_map(Json::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            enabled: d.get("enabled").and_then(Json::as_bool),
            repository: meta_str(d, "repository"),
        })
        .collect()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out)?;
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// A small subset of .helmignore: comments, `name`, `dir/`, `*.ext` and `prefix*` patterns.
struct HelmIgnore {
    patterns: Vec<String>,
}

impl HelmIgnore {
    fn load(dir: &Path) -> HelmIgnore {
        let text = std::fs::read_to_string(dir.join(".helmignore")).unwrap_or_default();
        let mut patterns: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        patterns.push(".helmignore".into());
        HelmIgnore { patterns }
    }

    fn ignored(&self, rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        self.patterns.iter().any(|p| {
            let p = p.trim_start_matches('/');
            if let Some(d) = p.strip_suffix('/') {
                return rel.split('/').any(|seg| super::glob_match(d, seg));
            }
            if p.contains('/') {
                return super::glob_match(p, rel);
            }
            super::glob_match(p, base) || rel.split('/').any(|seg| super::glob_match(p, seg))
        })
    }
}
