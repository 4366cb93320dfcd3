//! kubesim: a simulated Kubernetes API server and cluster, used by rigger's tests and by `rigger demo`.
//!
//! ```no_run
//! let sim = kubesim::Sim::start(kubesim::SimOptions::default()).unwrap();
//! let dir = std::env::temp_dir().join("kubesim-doc");
//! std::fs::create_dir_all(&dir).unwrap();
//! sim.write_kubeconfig(dir.join("config")).unwrap();
//! // point kubectl or kube-rs at it, then:
//! let pods = sim.store().list("", "v1", "pods", Some("default")).unwrap();
//! assert!(pods.is_empty());
//! assert!(sim.requests().is_empty());
//! ```
//!
//! [`Sim::start`] is synchronous: the server runs on its own tokio runtime in a background
//! thread, so it works from plain `#[test]` functions and from async code alike. Several
//! instances can run side by side in one process. See `kubesim/README.md` for the served API.

pub mod api;
pub mod error;
pub mod gcp;
pub mod ingress;
pub mod patch;
pub mod resources;
pub mod selector;
mod server;
pub mod store;
pub mod testkit;
mod tls;
pub mod util;
pub mod world;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use tokio::sync::watch;

pub use server::{RequestRecord, User};
pub use store::Store;

/// Options of [`Sim::start`].
pub struct SimOptions {
    /// Address to listen on; the default `127.0.0.1:0` picks a free port.
    pub addr: SocketAddr,
    /// How many change events are kept for watch replay (older resourceVersions get 410).
    pub history_limit: usize,
    /// Largest accepted request body (bigger bodies get 413).
    pub max_body_bytes: usize,
    /// Start from this store (e.g. one restored from a state file) instead of a fresh one.
    pub store: Option<Store>,
    /// Controllers of the simulated world to run.
    pub controllers: Vec<Box<dyn world::Controller>>,
    /// The simulated cluster's behaviour (nodes, kubelets, workload controllers, endpoints,
    /// load balancers); `None` = a bare API server that only stores objects.
    /// [`SimOptions::cluster`] turns it on with fast defaults.
    pub world: Option<world::WorldOptions>,
    /// Faults injected from the start (changeable later through [`Sim::faults`]); off by default.
    pub faults: world::FaultConfig,
}

impl SimOptions {
    /// Options of a simulated cluster that acts: Ready nodes, pods that start, controllers,
    /// endpoints and load balancers, with default (fast) timing.
    pub fn cluster() -> SimOptions {
        SimOptions {
            world: Some(world::WorldOptions::default()),
            ..SimOptions::default()
        }
    }
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            history_limit: 10_000,
            max_body_bytes: 3 * 1024 * 1024,
            store: None,
            controllers: Vec::new(),
            world: None,
            faults: world::FaultConfig::default(),
        }
    }
}

impl std::fmt::Debug for SimOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimOptions")
            .field("addr", &self.addr)
            .field("history_limit", &self.history_limit)
            .field("max_body_bytes", &self.max_body_bytes)
            .field(
                "controllers",
                &self
                    .controllers
                    .iter()
                    .map(|c| c.name().to_string())
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// A running simulated API server. Shuts down on [`Sim::shutdown`] or drop.
pub struct Sim {
    addr: SocketAddr,
    ca_pem: String,
    ctx: Arc<server::Ctx>,
    shutdown_tx: watch::Sender<bool>,
    runtime: tokio::runtime::Handle,
    thread: Mutex<Option<JoinHandle<()>>>,
    world: Option<world::World>,
    ingress: Option<Arc<ingress::Ingress>>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Starts a server on `options.addr` with a fresh CA, leaf certificate and tokens.
    pub fn start(options: SimOptions) -> anyhow::Result<Sim> {
        let certs = tls::Certs::generate(&[]).context("generating the kubesim certificates")?;
        let tls_config = certs.server_config()?;
        let listener = std::net::TcpListener::bind(options.addr)
            .with_context(|| format!("binding {}", options.addr))?;
        listener
            .set_nonblocking(true)
            .context("making the listener non-blocking")?;
        let addr = listener.local_addr().context("reading the bound address")?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kubesim")
            .enable_all()
            .build()
            .context("starting the kubesim runtime")?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).context("registering the listener")?
        };
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let store = options
            .store
            .unwrap_or_else(|| Store::new(options.history_limit));
        let ctx = Arc::new(server::Ctx {
            store,
            admin_token: util::token(),
            readonly_token: util::token(),
            requests: Mutex::new(Vec::new()),
            addr,
            max_body: options.max_body_bytes,
            shutdown: shutdown_rx,
            conns: Mutex::new(std::collections::HashMap::new()),
            next_conn: std::sync::atomic::AtomicU64::new(0),
            faults: {
                let f = world::Faults::default();
                f.set(options.faults);
                f
            },
        });
        let handle = runtime.handle().clone();
        let mut data_plane = None;
        let world = match options.world {
            Some(w) => {
                let w = world::World::new(w, ctx.faults.clone())
                    .context("setting up the simulated cluster")?;
                spawn_controller(&handle, &ctx, w.controller());
                // Istio acts only once its real prerequisites are applied; the data plane
                // answers on NodePort/LoadBalancer addresses.
                let ingress = ingress::Ingress::new(ctx.store.clone(), handle.clone());
                w.set_service_listener(Arc::new(ingress::DataPlane(ingress.clone())));
                data_plane = Some(ingress);
                spawn_controller(&handle, &ctx, Box::new(world::istio::Istio::default()));
                Some(w)
            }
            None => None,
        };
        for c in options.controllers {
            spawn_controller(&handle, &ctx, c);
        }
        let serve_ctx = ctx.clone();
        let thread = std::thread::Builder::new()
            .name(format!("kubesim-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(server::serve(listener, tls_config, serve_ctx));
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .context("starting the kubesim thread")?;
        Ok(Sim {
            addr,
            ca_pem: certs.ca_pem,
            ctx,
            shutdown_tx,
            runtime: handle,
            thread: Mutex::new(Some(thread)),
            world,
            ingress: data_plane,
        })
    }

    /// Puts a cloud firewall in front of the simulated nodes: their node ports then answer only
    /// the connections `gate` admits (see `gcp::FakeCompute::node_port_firewall`). No effect on a
    /// server without a simulated cluster.
    pub fn guard_node_ports(&self, gate: ingress::NodeGate) {
        if let Some(ingress) = &self.ingress {
            ingress.guard_node_ports(gate);
        }
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The admin user's bearer token.
    pub fn admin_token(&self) -> &str {
        &self.ctx.admin_token
    }

    /// The read-only user's bearer token.
    pub fn readonly_token(&self) -> &str {
        &self.ctx.readonly_token
    }

    /// PEM of the CA that signed the server certificate.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A kubeconfig with contexts `kubesim` (admin, current) and `kubesim-readonly`.
    pub fn kubeconfig_yaml(&self) -> String {
        let ca = base64::engine::general_purpose::STANDARD.encode(self.ca_pem.as_bytes());
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: kubesim\n  cluster:\n    server: {url}\n    certificate-authority-data: {ca}\n\
users:\n- name: kubesim-admin\n  user:\n    token: {admin}\n- name: kubesim-viewer\n  user:\n    token: {viewer}\n\
contexts:\n- name: kubesim\n  context:\n    cluster: kubesim\n    user: kubesim-admin\n    namespace: default\n\
- name: kubesim-readonly\n  context:\n    cluster: kubesim\n    user: kubesim-viewer\n    namespace: default\n\
current-context: kubesim\npreferences: {{}}\n",
            url = self.url(),
            admin = self.ctx.admin_token,
            viewer = self.ctx.readonly_token,
        )
    }

    /// Writes the kubeconfig to `path` (mode 0600 on Unix).
    pub fn write_kubeconfig(&self, path: impl AsRef<Path>) -> anyhow::Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.kubeconfig_yaml())
            .with_context(|| format!("writing kubeconfig {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("restricting permissions of {}", path.display()))?;
        }
        Ok(())
    }

    /// The store behind the server (same semantics as the HTTP API).
    pub fn store(&self) -> &Store {
        &self.ctx.store
    }

    /// Every request served so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.ctx
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        if let Ok(mut r) = self.ctx.requests.lock() {
            r.clear();
        }
    }

    /// Drops every open client connection at once, as a network failure or an API server
    /// restart would: watches and log streams break mid-stream and clients must reconnect.
    pub fn drop_connections(&self) {
        self.ctx.drop_connections();
    }

    /// Runs a controller of the simulated world on the server's runtime.
    pub fn spawn_controller(&self, controller: Box<dyn world::Controller>) {
        spawn_controller(&self.runtime, &self.ctx, controller);
    }

    /// The simulated cluster (nodes, load-balancer mode, service listener), when started with one.
    pub fn world(&self) -> Option<&world::World> {
        self.world.as_ref()
    }

    /// The fault switchboard: errors, latency, dropped watches, an API that goes away.
    pub fn faults(&self) -> &world::Faults {
        &self.ctx.faults
    }

    /// A handle on the server's tokio runtime (for spawning simulation tasks).
    pub fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// Stops serving: open watches and log streams end, controllers are told to stop, and the
    /// runtime is shut down. Idempotent.
    pub fn shutdown(&self) {
        let _ = self.shutdown_tx.send(true);
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn spawn_controller(
    handle: &tokio::runtime::Handle,
    ctx: &Arc<server::Ctx>,
    controller: Box<dyn world::Controller>,
) {
    let cctx = world::ControllerContext {
        store: ctx.store.clone(),
        shutdown: ctx.shutdown.clone(),
    };
    handle.spawn(controller.run(cctx));
}
