//! `kubesim serve [--addr 127.0.0.1:0] --kubeconfig FILE [--state-dir DIR] [cluster flags]`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use kubesim::{Sim, SimOptions, Store};

const USAGE: &str = "usage: kubesim serve [--addr 127.0.0.1:0] --kubeconfig FILE [--state-dir DIR]
                     [--nodes N] [--kubelet-version V] [--load-balancer ip|hostname|pending]
                     [--faults SPEC] [--api-only]

Runs a simulated Kubernetes cluster behind an HTTPS API server. Writes a kubeconfig (context
`kubesim`, admin; context `kubesim-readonly`, read-only) when ready, prints the server URL, and
runs until SIGINT or SIGTERM. With --state-dir, objects are loaded from DIR/state.json at start
and saved there on shutdown.

Cluster: --nodes (default 3) Ready nodes with loopback addresses, pods that start, workload
controllers, endpoints and load balancers (--load-balancer, default ip). --api-only serves a bare
API server that only stores objects. --faults injects failures, e.g.
`errors=0.1,codes=503/429,latency=20ms,watch-events=50` (see kubesim/README.md).";

const STATE_FILE: &str = "state.json";

struct Args {
    addr: SocketAddr,
    kubeconfig: PathBuf,
    state_dir: Option<PathBuf>,
    world: Option<kubesim::world::WorldOptions>,
    faults: kubesim::world::FaultConfig,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Args>> {
    match args.next().as_deref() {
        Some("serve") => {}
        Some("-h" | "--help" | "help") | None => return Ok(None),
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut kubeconfig = None;
    let mut state_dir = None;
    let mut world = Some(kubesim::world::WorldOptions::default());
    let mut faults = kubesim::world::FaultConfig::default();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> anyhow::Result<String> {
            inline
                .clone()
                .or_else(|| args.next())
                .with_context(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--addr" => {
                let v = value("--addr")?;
                addr = v
                    .parse()
                    .with_context(|| format!("--addr {v:?} is not an address like 127.0.0.1:0"))?;
            }
            "--kubeconfig" => kubeconfig = Some(PathBuf::from(value("--kubeconfig")?)),
            "--state-dir" => state_dir = Some(PathBuf::from(value("--state-dir")?)),
            "--api-only" => world = None,
            "--nodes" => {
                let v = value("--nodes")?;
                let n = v
                    .parse()
                    .with_context(|| format!("--nodes {v:?} is not a number"))?;
                world.get_or_insert_with(Default::default).nodes.count = n;
            }
            "--kubelet-version" => {
                world
                    .get_or_insert_with(Default::default)
                    .nodes
                    .kubelet_version = value("--kubelet-version")?;
            }
            "--load-balancer" => {
                let v = value("--load-balancer")?;
                let mode = kubesim::world::LoadBalancerMode::parse(&v).with_context(|| {
                    format!("--load-balancer {v:?}: expected ip, hostname or pending")
                })?;
                world.get_or_insert_with(Default::default).load_balancer = mode;
            }
            "--faults" => {
                faults = kubesim::world::FaultConfig::parse(&value("--faults")?)
                    .map_err(|e| anyhow::anyhow!("--faults: {e}"))?;
            }
            "-h" | "--help" => return Ok(None),
            other => bail!("unknown flag {other:?}\n\n{USAGE}"),
        }
    }
    let kubeconfig = kubeconfig.with_context(|| format!("--kubeconfig is required\n\n{USAGE}"))?;
    Ok(Some(Args {
        addr,
        kubeconfig,
        state_dir,
        world,
        faults,
    }))
}

fn load_state(dir: &Path, history_limit: usize) -> anyhow::Result<Option<Store>> {
    let path = dir.join(STATE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading state file {}", path.display())),
    };
    let value: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "state file {} is corrupt (not valid JSON); move it away to start empty",
            path.display()
        )
    })?;
    let store = Store::new(history_limit);
    store.restore(&value).with_context(|| {
        format!(
            "state file {} is corrupt; move it away to start empty",
            path.display()
        )
    })?;
    Ok(Some(store))
}

fn save_state(dir: &Path, store: &Store) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating state dir {}", dir.display()))?;
    let path = dir.join(STATE_FILE);
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    let bytes = serde_json::to_vec(&store.snapshot()).context("serializing the state")?;
    let mut f =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    f.write_all(&bytes)
        .with_context(|| format!("writing {}", tmp.display()))?;
    f.sync_all()
        .with_context(|| format!("syncing {}", tmp.display()))?;
    drop(f);
    std::fs::rename(&tmp, &path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

fn serve(args: Args) -> anyhow::Result<()> {
    let mut options = SimOptions {
        addr: args.addr,
        world: args.world,
        faults: args.faults,
        ..SimOptions::default()
    };
    if let Some(dir) = &args.state_dir {
        options.store = load_state(dir, options.history_limit)?;
    }
    let sim = Sim::start(options)?;
    sim.write_kubeconfig(&args.kubeconfig)?;
    println!("{}", sim.url());
    std::io::stdout().flush().ok();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the signal runtime")?;
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("installing SIGTERM handler")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("waiting for SIGINT")?,
            _ = term.recv() => {}
        }
        anyhow::Ok(())
    })?;
    sim.shutdown();
    if let Some(dir) = &args.state_dir {
        save_state(dir, sim.store())?;
        eprintln!("kubesim: saved state to {}", dir.join(STATE_FILE).display());
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match serve(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kubesim: error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("kubesim: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
