//! Shared helpers for kubesim's integration tests.
#![allow(dead_code, clippy::print_stderr)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use kubesim::{Sim, SimOptions};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kubesim-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
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

/// A kubesim plus a kubectl with its own HOME (discovery cache) and KUBECONFIG.
pub struct Kubectl {
    pub sim: Sim,
    pub bin: PathBuf,
    pub dir: TempDir,
}

impl Kubectl {
    /// None (after a notice) when kubectl is missing outside CI.
    pub fn start(tag: &str) -> Option<Kubectl> {
        let bin = kubesim::testkit::tool("kubectl")?;
        let sim = Sim::start(SimOptions::default()).expect("start kubesim");
        let dir = TempDir::new(tag);
        sim.write_kubeconfig(dir.path().join("kubeconfig"))
            .expect("write kubeconfig");
        Some(Kubectl { sim, bin, dir })
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("HOME", self.dir.path())
            .env("KUBECONFIG", self.kubeconfig())
            .env_remove("KUBERNETES_SERVICE_HOST")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run kubectl")
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .spawn()
            .expect("spawn kubectl");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait kubectl")
    }

    /// Runs kubectl and returns stdout, panicking with stderr on failure.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn ok_stdin(&self, args: &[&str], input: &str) -> String {
        let out = self.run_stdin(args, input);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs kubectl expecting failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "kubectl {args:?} unexpectedly succeeded: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// Creates a namespace through the store.
pub fn namespace(sim: &Sim, name: &str) {
    sim.store()
        .create(
            "",
            "v1",
            "namespaces",
            "",
            serde_json::json!({"metadata": {"name": name}}),
        )
        .expect("create namespace");
}

/// A running pod object (the kind of status the world will write).
pub fn running_pod(
    sim: &Sim,
    ns: &str,
    name: &str,
    labels: serde_json::Value,
    containers: &[&str],
) -> serde_json::Value {
    let specs: Vec<serde_json::Value> = containers
        .iter()
        .map(|c| serde_json::json!({"name": c, "image": format!("{c}:1.0")}))
        .collect();
    sim.store()
        .create("", "v1", "pods", ns, serde_json::json!({"metadata": {"name": name, "labels": labels}, "spec": {"containers": specs, "nodeName": "node-1"}}))
        .expect("create pod");
    let statuses: Vec<serde_json::Value> = containers
        .iter()
        .map(|c| serde_json::json!({"name": c, "ready": true, "restartCount": 0, "image": format!("{c}:1.0"), "imageID": "", "started": true, "state": {"running": {"startedAt": "2024-01-01T00:00:00Z"}}}))
        .collect();
    sim.store()
        .modify_status("", "v1", "pods", ns, name, |p| {
            p["status"] = serde_json::json!({"phase": "Running", "podIP": "10.244.0.9", "containerStatuses": statuses,
                "conditions": [{"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}]});
        })
        .expect("pod status")
}
