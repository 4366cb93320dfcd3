//! Which Google Cloud project to use. Order: `--project`; `GOOGLE_CLOUD_PROJECT` / `CLOUDSDK_CORE_PROJECT`;
//! the gcloud configuration (`$CLOUDSDK_CONFIG` or `~/.config/gcloud`, the active configuration's
//! `[core] project`); the credentials' project; the cluster nodes' `providerID`. The first two steps
//! live here; the command adds the last two because they need the network.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::env::Env;

/// Where the project came from (shown with `-v` and in JSON output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "from", content = "detail")]
pub enum ProjectSource {
    Flag,
    Environment(String),
    GcloudConfig(PathBuf),
    Credentials,
    NodeProviderId(String),
}

impl std::fmt::Display for ProjectSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectSource::Flag => f.write_str("--project"),
            ProjectSource::Environment(var) => write!(f, "${var}"),
            ProjectSource::GcloudConfig(path) => {
                write!(f, "the gcloud configuration {}", path.display())
            }
            ProjectSource::Credentials => f.write_str("the credentials"),
            ProjectSource::NodeProviderId(node) => write!(f, "the providerID of node {node}"),
        }
    }
}

/// The project from the flag, the environment or the gcloud configuration, if any of them names one.
pub fn from_local(flag: Option<&str>, env: &Env) -> Option<(String, ProjectSource)> {
    if let Some(p) = flag.filter(|p| !p.is_empty()) {
        return Some((p.to_string(), ProjectSource::Flag));
    }
    for var in ["GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"] {
        if let Some(p) = env.var(var) {
            return Some((p.to_string(), ProjectSource::Environment(var.to_string())));
        }
    }
    let dir = env.gcloud_config_dir()?;
    let (path, project) = gcloud_config_project(&dir, env.var("CLOUDSDK_ACTIVE_CONFIG_NAME"))?;
    Some((project, ProjectSource::GcloudConfig(path)))
}

/// `[core] project` of the active gcloud configuration in `dir`.
fn gcloud_config_project(dir: &Path, active_override: Option<&str>) -> Option<(PathBuf, String)> {
    let active = match active_override {
        Some(name) => name.to_string(),
        None => std::fs::read_to_string(dir.join("active_config"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".to_string()),
    };
    let path = dir.join("configurations").join(format!("config_{active}"));
    let text = std::fs::read_to_string(&path).ok()?;
    let project = ini_value(&text, "core", "project")?;
    Some((path, project))
}

/// A value from an INI file (gcloud's properties format: `[section]`, `key = value`, `#`/`;` comments).
pub fn ini_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_string();
            continue;
        }
        if current != section {
            continue;
        }
        let Some((k, v)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            continue;
        };
        if k.trim() == key {
            let v = v.trim();
            return (!v.is_empty()).then(|| v.to_string());
        }
    }
    None
}

/// `gce://PROJECT/ZONE/INSTANCE` → (project, zone, instance).
pub fn parse_provider_id(provider_id: &str) -> Option<(String, String, String)> {
    let rest = provider_id.strip_prefix("gce://")?;
    let mut parts = rest.split('/');
    let (project, zone, name) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || project.is_empty() || zone.is_empty() || name.is_empty() {
        return None;
    }
    Some((project.to_string(), zone.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn gcloud_dir(label: &str, active: Option<&str>, configs: &[(&str, &str)]) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("rigger-project-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("configurations")).unwrap();
        if let Some(a) = active {
            std::fs::write(dir.join("active_config"), a).unwrap();
        }
        for (name, text) in configs {
            std::fs::write(
                dir.join("configurations").join(format!("config_{name}")),
                text,
            )
            .unwrap();
        }
        Dir(dir)
    }

    #[test]
    fn flag_beats_environment_beats_config() {
        let d = gcloud_dir(
            "order",
            None,
            &[("default", "[core]\nproject = from-config\n")],
        );
        let cfg = d.0.to_str().unwrap();
        let env = Env::from_pairs([
            ("GOOGLE_CLOUD_PROJECT", "from-google"),
            ("CLOUDSDK_CORE_PROJECT", "from-cloudsdk"),
            ("CLOUDSDK_CONFIG", cfg),
        ]);
        assert_eq!(
            from_local(Some("flag"), &env).unwrap(),
            ("flag".into(), ProjectSource::Flag)
        );
        assert_eq!(from_local(None, &env).unwrap().0, "from-google");
        let env = Env::from_pairs([
            ("CLOUDSDK_CORE_PROJECT", "from-cloudsdk"),
            ("CLOUDSDK_CONFIG", cfg),
        ]);
        assert_eq!(from_local(None, &env).unwrap().0, "from-cloudsdk");
        let env = Env::from_pairs([("CLOUDSDK_CONFIG", cfg)]);
        let (project, source) = from_local(None, &env).unwrap();
        assert_eq!(project, "from-config");
        assert!(matches!(source, ProjectSource::GcloudConfig(_)));
    }

    #[test]
    fn the_active_configuration_is_used() {
        let d = gcloud_dir(
            "active",
            Some("work\n"),
            &[
                ("default", "[core]\nproject = home\n"),
                (
                    "work",
                    "[compute]\nzone = x\n[core]\naccount = a@b\nproject = office\n",
                ),
            ],
        );
        let cfg = d.0.to_str().unwrap();
        let env = Env::from_pairs([("CLOUDSDK_CONFIG", cfg)]);
        assert_eq!(from_local(None, &env).unwrap().0, "office");
        let env = Env::from_pairs([
            ("CLOUDSDK_CONFIG", cfg),
            ("CLOUDSDK_ACTIVE_CONFIG_NAME", "default"),
        ]);
        assert_eq!(from_local(None, &env).unwrap().0, "home");
        let home = d.0.parent().unwrap().join("no-such-home");
        let env = Env::from_pairs([("HOME", home.to_str().unwrap())]);
        assert_eq!(from_local(None, &env), None);
    }

    #[test]
    fn provider_ids() {
        assert_eq!(
            parse_provider_id("gce://my-proj/us-central1-a/gke-c-pool-1"),
            Some((
                "my-proj".into(),
                "us-central1-a".into(),
                "gke-c-pool-1".into()
            ))
        );
        assert_eq!(parse_provider_id("aws:///us-east-1a/i-123"), None);
        assert_eq!(parse_provider_id("gce://p/z"), None);
        assert_eq!(
            parse_provider_id("kind://docker/kind/kind-control-plane"),
            None
        );
    }
}
