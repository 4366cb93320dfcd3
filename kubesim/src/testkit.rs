//! Helpers for tests that need things outside the repository: the shared Istio fixtures and the real
//! `kubectl`/`gcloud`. In a user's plain clone they print a notice and skip; under `CI=true` a missing
//! prerequisite is a failure, so CI never goes green by skipping.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};

/// True when running in CI (`CI=true` or `CI=1`).
pub fn ci() -> bool {
    matches!(std::env::var("CI").as_deref(), Ok("true") | Ok("1"))
}

/// The shared folder beside the checkout (`<workspace>/../shared`), or `$RIGGER_SHARED_DIR`.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RIGGER_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    workspace_root().join("..").join("shared")
}

/// The root of the rigger workspace (the folder holding the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("kubesim lives one level below the workspace root")
        .to_path_buf()
}

/// A path under `../shared/fixtures/`, e.g. `fixture("istio/samples/sleep/sleep.yaml")`.
/// Returns `None` (after a notice) when the fixtures are absent; panics under `CI=true`.
pub fn fixture(relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join("fixtures").join(relative);
    if path.exists() {
        return Some(path);
    }
    missing(&format!("fixture {}", path.display()))
}

/// The full path of an installed tool such as `kubectl` or `gcloud`.
/// Returns `None` (after a notice) when it is not on PATH; panics under `CI=true`.
pub fn tool(name: &str) -> Option<PathBuf> {
    if let Some(path) = find_on_path(name) {
        return Some(path);
    }
    missing(&format!("`{name}` on PATH"))
}

/// Looks a program up on PATH without running it.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn missing<T>(what: &str) -> Option<T> {
    if ci() {
        panic!("CI=true and the test needs {what}, which is missing");
    }
    eprintln!(
        "note: skipping: this test needs {what}, which is missing (set CI=true to make this a failure)"
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }

    #[test]
    fn find_on_path_finds_sh_and_not_nonsense() {
        assert!(find_on_path("sh").is_some());
        assert!(find_on_path("definitely-not-a-program-rigger").is_none());
    }
}
