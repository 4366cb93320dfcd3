//! Shared helpers for integration tests: run the real binary with a clean environment.
#![allow(dead_code, clippy::print_stderr)]

pub mod cluster;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The rigger binary under test.
pub fn rigger_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rigger"))
}

/// A command for the rigger binary with a predictable environment: no colors, no inherited
/// kubeconfig, a private HOME so nothing from the developer's machine leaks in.
pub fn rigger(home: &Path) -> Command {
    let mut cmd = Command::new(rigger_bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    cmd
}

/// The result of a run, with text fields.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub fn run(cmd: &mut Command) -> Run {
    cmd.output().expect("running rigger").into()
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("rigger-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loopback HTTP server with faults (downloads).
pub mod httpd;
/// tar.gz builders, hostile entries included.
pub mod tarball;
