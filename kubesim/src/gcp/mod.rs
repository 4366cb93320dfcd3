//! A fake Google Compute Engine API, OAuth token endpoint and GCE metadata server on loopback.
//!
//! One HTTP listener serves three things:
//! - the Compute API under `/compute/v1/` (firewalls insert/get/list/patch/update/delete, global
//!   operations get/wait, instances get, networks get, projects get), with the JSON shapes and error
//!   bodies of the real API;
//! - an OAuth 2.0 token endpoint at `/token` (JWT-bearer grants from service accounts, checked against
//!   the key they were registered with, and refresh-token grants from authorized users);
//! - a GCE metadata server under `/computeMetadata/v1/` (point `GCE_METADATA_HOST` at [`FakeCompute::metadata_host`]).
//!
//! Mutations run as Operations that start `PENDING`, become `RUNNING` and end `DONE`; the change is
//! applied when the operation finishes. The real `gcloud` is the referee for the shapes (see the tests
//! in `tests/gcloud.rs` of this crate).
//!
//! ```no_run
//! let fake = kubesim::gcp::FakeCompute::start(Default::default()).unwrap();
//! fake.add_instance("test-project", "us-central1-a", "node-1", &["gke-node"]);
//! println!("{}", fake.url()); // http://127.0.0.1:PORT/compute/v1/
//! ```

mod auth;
mod compute;
mod errors;
mod server;
mod state;
mod time;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::Value;

pub use state::{Fault, Grant, GrantKind, RecordedRequest};

/// A throwaway RSA key (PKCS#8 PEM) used by [`FakeCompute::service_account_json`]. Test-only: it
/// protects nothing.
pub const TEST_SERVICE_ACCOUNT_KEY_PEM: &str = include_str!("test-service-account-key.pem");

/// How the fake starts.
#[derive(Debug, Clone)]
pub struct FakeComputeOptions {
    /// Projects that exist (each gets a `default` network). Default: `["test-project"]`.
    pub projects: Vec<String>,
    /// Accept Compute requests without a bearer token (what `gcloud` sends with
    /// `CLOUDSDK_AUTH_DISABLE_CREDENTIALS=true`). Default: false (a token from this fake is required).
    pub allow_anonymous: bool,
    /// How long an operation takes from insert to `DONE`. Default: 60 ms.
    pub operation_duration: Duration,
    /// The project the metadata server reports. Default: the first project.
    pub metadata_project: Option<String>,
    /// Whether the metadata server answers at all. Default: true.
    pub metadata_enabled: bool,
}

impl Default for FakeComputeOptions {
    fn default() -> Self {
        Self {
            projects: vec!["test-project".to_string()],
            allow_anonymous: false,
            operation_duration: Duration::from_millis(60),
            metadata_project: None,
            metadata_enabled: true,
        }
    }
}

/// A running fake. Stops when dropped (or on [`FakeCompute::shutdown`]).
pub struct FakeCompute {
    addr: SocketAddr,
    shared: Arc<Mutex<state::State>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeCompute {
    /// Binds a random loopback port and serves on a runtime thread of its own, so plain `#[test]`
    /// functions (and async ones) can use it.
    pub fn start(options: FakeComputeOptions) -> Result<FakeCompute> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .context("binding a loopback port for the fake Compute API")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let shared = Arc::new(Mutex::new(state::State::new(&options, &base)));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the fake Compute API runtime")?;
        let serve_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("fake-compute".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                        server::serve(listener, serve_shared, stopped).await
                    }
                })
            })
            .context("starting the fake Compute API thread")?;
        Ok(FakeCompute {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The Compute API base, `http://127.0.0.1:PORT/compute/v1/` (what `--compute-endpoint` and
    /// `CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE` take).
    pub fn url(&self) -> String {
        format!("http://{}/compute/v1/", self.addr)
    }

    /// The OAuth token endpoint, `http://127.0.0.1:PORT/token`.
    pub fn token_uri(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    /// The environment that points the real `gcloud` at this fake: the Compute endpoint override,
    /// no credentials (start the fake with `allow_anonymous`), no metadata server, no prompts or
    /// update checks, and `config_dir` as its private configuration folder.
    pub fn gcloud_env(&self, config_dir: &std::path::Path, project: &str) -> Vec<(String, String)> {
        [
            ("CLOUDSDK_CONFIG", config_dir.display().to_string()),
            ("CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE", self.url()),
            ("CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "true".to_string()),
            ("CLOUDSDK_CORE_PROJECT", project.to_string()),
            ("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false".to_string()),
            ("GCE_METADATA_HOST", "127.0.0.1:9".to_string()),
            ("GCE_METADATA_IP", "127.0.0.1:9".to_string()),
            ("CLOUDSDK_CORE_DISABLE_PROMPTS", "1".to_string()),
            (
                "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK",
                "true".to_string(),
            ),
            ("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// `127.0.0.1:PORT`, the value for `GCE_METADATA_HOST`.
    pub fn metadata_host(&self) -> String {
        self.addr.to_string()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn with<T>(&self, f: impl FnOnce(&mut state::State) -> T) -> T {
        let mut state = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        state.advance(std::time::Instant::now());
        f(&mut state)
    }

    /// A service-account key file (the JSON `gcloud iam service-accounts keys create` writes) whose
    /// `token_uri` is this fake; the fake will accept JWTs signed with its key.
    pub fn service_account_json(&self, project: &str, name: &str) -> Value {
        let email = format!("{name}@{project}.iam.gserviceaccount.com");
        self.with(|s| s.register_service_account(&email));
        serde_json::json!({
            "type": "service_account",
            "project_id": project,
            "private_key_id": "0123456789abcdef0123456789abcdef01234567",
            "private_key": TEST_SERVICE_ACCOUNT_KEY_PEM,
            "client_email": email,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri(),
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": format!("https://www.googleapis.com/robot/v1/metadata/x509/{email}"),
            "universe_domain": "googleapis.com"
        })
    }

    /// An `authorized_user` credentials file (what `gcloud auth application-default login` writes),
    /// with `token_uri` pointing at this fake and a refresh token the fake accepts.
    pub fn authorized_user_json(&self, account: &str) -> Value {
        let refresh_token = self.with(|s| s.register_user(account));
        serde_json::json!({
            "type": "authorized_user",
            "client_id": "764086051850-fake.apps.googleusercontent.com",
            "client_secret": "fake-client-secret",
            "refresh_token": refresh_token,
            "token_uri": self.token_uri(),
            "universe_domain": "googleapis.com"
        })
    }

    /// Adds a project (with a `default` network).
    pub fn add_project(&self, project: &str) {
        self.with(|s| s.add_project(project));
    }

    /// Adds a VPC network to a project.
    pub fn add_network(&self, project: &str, network: &str) {
        self.with(|s| s.add_network(project, network));
    }

    /// Adds a VM instance with network tags (what a GKE node looks like to the Compute API).
    pub fn add_instance(&self, project: &str, zone: &str, name: &str, tags: &[&str]) {
        self.with(|s| s.add_instance(project, zone, name, tags));
    }

    /// Whether the project's firewall lets `peer` reach TCP `port` on the instance `instance`
    /// (see the GCE rule evaluation in `State::admits`).
    pub fn admits(&self, project: &str, instance: &str, peer: std::net::IpAddr, port: u16) -> bool {
        self.with(|s| s.admits(project, instance, peer, port))
    }

    /// A gate for a simulated cluster's node ports (see `Sim::guard_node_ports`): a connection to
    /// a node address reaches it only when this fake's firewall admits it for the instance that
    /// runs the node, as on a GKE cluster, where a NodePort needs a firewall rule. `nodes` maps
    /// node addresses to instance names (kubesim names its nodes after their instances).
    pub fn node_port_firewall(
        &self,
        project: &str,
        nodes: &[crate::world::NodeAddress],
    ) -> crate::ingress::NodeGate {
        let shared = self.shared.clone();
        let project = project.to_string();
        let nodes: Vec<(std::net::Ipv4Addr, std::net::Ipv4Addr, String)> = nodes
            .iter()
            .map(|n| (n.internal_ip, n.external_ip, n.name.clone()))
            .collect();
        Arc::new(move |node_ip, port, peer| {
            let Some((_, _, name)) = nodes
                .iter()
                .find(|(internal, external, _)| *internal == node_ip || *external == node_ip)
            else {
                return false;
            };
            let state = shared.lock().unwrap_or_else(|e| e.into_inner());
            state.admits(&project, name, peer, port)
        })
    }

    /// Puts a firewall rule in place directly (no operation), filling the server-side fields.
    /// Panics on an invalid rule: tests should hand it valid ones.
    pub fn insert_firewall(&self, project: &str, rule: Value) {
        self.with(|s| s.insert_firewall_now(project, rule))
            .unwrap_or_else(|e| panic!("insert_firewall: {e}"));
    }

    /// The firewall rules of a project, sorted by name, as the API would return them.
    pub fn firewalls(&self, project: &str) -> Vec<Value> {
        self.with(|s| s.firewalls(project))
    }

    /// One firewall rule.
    pub fn firewall(&self, project: &str, name: &str) -> Option<Value> {
        self.with(|s| s.firewall(project, name))
    }

    /// Operations created so far (rendered as the API would now).
    pub fn operations(&self) -> Vec<Value> {
        self.with(|s| s.operations_rendered())
    }

    /// Turns a fault on for later requests (replacing any earlier one).
    pub fn set_fault(&self, fault: Fault) {
        self.with(|s| s.fault = Some(fault));
    }

    /// Turns faults off.
    pub fn clear_fault(&self) {
        self.with(|s| s.fault = None);
    }

    /// Every request the fake received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.with(|s| s.requests.clone())
    }

    /// Every access token grant the fake handed out (which credential path asked).
    pub fn grants(&self) -> Vec<Grant> {
        self.with(|s| s.grants.clone())
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for FakeCompute {
    fn drop(&mut self) {
        self.stop_now();
    }
}
