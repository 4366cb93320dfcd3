//! The environment the GCP code reads (variables and the home folder), captured once so that the
//! lookup rules are testable without touching the process environment.

use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    /// An environment from pairs (tests).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value, treating empty as unset.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The gcloud configuration folder: `$CLOUDSDK_CONFIG`, else `~/.config/gcloud`
    /// (`%APPDATA%\gcloud` on Windows).
    pub fn gcloud_config_dir(&self) -> Option<PathBuf> {
        if let Some(dir) = self.var("CLOUDSDK_CONFIG") {
            return Some(PathBuf::from(dir));
        }
        if cfg!(windows)
            && let Some(appdata) = self.var("APPDATA")
        {
            return Some(PathBuf::from(appdata).join("gcloud"));
        }
        self.var("HOME")
            .map(|home| PathBuf::from(home).join(".config").join("gcloud"))
    }
}
