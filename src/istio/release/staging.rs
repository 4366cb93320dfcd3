//! The temporary directory next to the target that an archive is unpacked into, and the rename
//! that puts a finished installation in place. Until then the target is untouched; on any error
//! or interruption the staging directory is removed.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::error::DownloadError;

/// Prefix of staging directories, so stale ones (after a power cut) are recognisable.
pub const STAGING_PREFIX: &str = ".rigger-staging-";

/// A staging directory, removed when dropped.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
}

impl Staging {
    /// Creates `<parent>/.rigger-staging-<name>-<pid>-<nanos>`.
    pub fn create(parent: &Path, name: &str) -> Result<Self, DownloadError> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = parent.join(format!(
            "{STAGING_PREFIX}{name}-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir(&dir).map_err(|e| DownloadError::io("create", &dir, e))?;
        Ok(Self { dir })
    }

    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Checks the unpacked tree looks like an Istio release (one top-level directory with
    /// `bin/istioctl`) and renames that directory to `target`. With `replace`, an existing
    /// `target` is moved aside first and removed afterwards.
    pub fn commit(
        self,
        archive: &str,
        top_level: &BTreeSet<String>,
        target: &Path,
        replace: bool,
    ) -> Result<(), DownloadError> {
        let layout = |detail: String| DownloadError::Layout {
            archive: archive.to_string(),
            detail,
        };
        let top = match top_level.iter().collect::<Vec<_>>().as_slice() {
            [one] => self.dir.join(one),
            [] => return Err(layout("it is empty".to_string())),
            many => {
                return Err(layout(format!(
                    "it should hold one top-level directory but holds {}",
                    many.len()
                )));
            }
        };
        let is_dir = fs::symlink_metadata(&top).is_ok_and(|m| m.is_dir());
        if !is_dir {
            return Err(layout(format!(
                "its top-level entry `{}` is not a directory",
                top_level.iter().next().map(String::as_str).unwrap_or("")
            )));
        }
        let istioctl = top.join("bin").join("istioctl");
        if !fs::symlink_metadata(&istioctl).is_ok_and(|m| m.is_file()) {
            return Err(layout("it has no bin/istioctl".to_string()));
        }
        if fs::symlink_metadata(target).is_ok() {
            if !replace {
                return Err(DownloadError::TargetExists {
                    path: target.to_path_buf(),
                });
            }
            let aside = self.dir.join(".replaced");
            fs::rename(target, &aside).map_err(|e| DownloadError::io("move aside", target, e))?;
        }
        fs::rename(&top, target).map_err(|e| DownloadError::io("move into place", target, e))?;
        Ok(())
        // Dropping `self` removes the staging directory and anything moved aside.
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(parent: &Path, with_istioctl: bool) -> Staging {
        let staging = Staging::create(parent, "istio-1.0.0").unwrap();
        fs::create_dir_all(staging.root().join("istio-1.0.0/bin")).unwrap();
        if with_istioctl {
            fs::write(staging.root().join("istio-1.0.0/bin/istioctl"), b"x").unwrap();
        }
        staging
    }

    fn top() -> BTreeSet<String> {
        BTreeSet::from(["istio-1.0.0".to_string()])
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn commits_by_rename_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("istio-1.0.0");
        staged(dir.path(), true)
            .commit("a.tgz", &top(), &target, false)
            .unwrap();
        assert!(target.join("bin/istioctl").is_file());
        assert_eq!(entries(dir.path()), ["istio-1.0.0"]);

        // Exists: refused and kept; replace: swapped.
        let err = staged(dir.path(), true)
            .commit("a.tgz", &top(), &target, false)
            .unwrap_err();
        assert!(matches!(err, DownloadError::TargetExists { .. }));
        fs::write(target.join("marker"), b"old").unwrap();
        staged(dir.path(), true)
            .commit("a.tgz", &top(), &target, true)
            .unwrap();
        assert!(!target.join("marker").exists());
        assert_eq!(entries(dir.path()), ["istio-1.0.0"]);
    }

    #[test]
    fn refuses_trees_that_are_not_releases() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("istio-1.0.0");
        let err = staged(dir.path(), false)
            .commit("a.tgz", &top(), &target, false)
            .unwrap_err();
        assert!(err.to_string().contains("no bin/istioctl"), "{err}");
        let two = BTreeSet::from(["a".to_string(), "b".to_string()]);
        let err = staged(dir.path(), true)
            .commit("a.tgz", &two, &target, false)
            .unwrap_err();
        assert!(err.to_string().contains("holds 2"), "{err}");
        assert!(entries(dir.path()).is_empty());
    }
}
