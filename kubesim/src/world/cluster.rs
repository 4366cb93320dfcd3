//! The running world: one controller task that watches the store and drives every simulated
//! component (scheduler, kubelets, workload controllers, endpoints, load balancers, nodes).
//!
//! Changes arrive as store events and are turned into keys (which object to look at); keys are
//! coalesced and reconciled one by one. Timed transitions (a pod becoming Ready after the
//! configured delay) re-queue a key when due; a periodic tick drives CronJobs and progress
//! deadlines. Every reconcile is idempotent: writing the same status twice emits no event.

use std::collections::{BTreeSet, HashMap};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;
use tokio::sync::{broadcast, mpsc};

use super::config::{LoadBalancerMode, WorldOptions};
use super::faults::Faults;
use super::net::ServiceListener;
use super::nodes::{self, AddressBlock};
use super::{Controller, ControllerContext, meta};
use crate::store::{Event, EventType, Store};

/// What to look at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Deployment(String, String),
    ReplicaSet(String, String),
    StatefulSet(String, String),
    DaemonSet(String, String),
    CronJob(String, String),
    Job(String, String),
    Pod(String, String),
    PodGone(String),
    Service(String, String),
    ServicesIn(String),
    AllDaemonSets,
    AllServices,
}

/// A node of this instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeAddress {
    /// Node name.
    pub name: String,
    /// InternalIP.
    pub internal_ip: Ipv4Addr,
    /// ExternalIP (a node address plus a nodePort answers here when a data plane serves it).
    pub external_ip: Ipv4Addr,
}

/// Kubelet bookkeeping of one pod.
#[derive(Debug, Clone)]
pub(crate) struct PodTrack {
    pub scheduled_at: SystemTime,
    pub since: Instant,
    pub ip: String,
    pub wake: Option<Duration>,
}

#[derive(Default)]
pub(crate) struct State {
    pub pods: HashMap<String, PodTrack>,
    pub next_ip: Vec<u32>,
    pub lb_slots: HashMap<(String, String), usize>,
    pub served: HashMap<(String, String), String>,
    pub lb_errors: HashMap<(String, String), String>,
}

pub(crate) struct Shared {
    pub opts: WorldOptions,
    pub block: AddressBlock,
    pub nodes: Vec<NodeAddress>,
    pub lb_mode: Mutex<LoadBalancerMode>,
    pub listener: Mutex<Option<Arc<dyn ServiceListener>>>,
    pub faults: Faults,
    pub kick: mpsc::UnboundedSender<Key>,
    pub kick_rx: Mutex<Option<mpsc::UnboundedReceiver<Key>>>,
    pub state: Mutex<State>,
}

impl Shared {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn lb_mode(&self) -> LoadBalancerMode {
        self.lb_mode
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn listener(&self) -> Option<Arc<dyn ServiceListener>> {
        self.listener
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Looks at `key` again after `after`.
    pub(crate) fn later(&self, key: Key, after: Duration) {
        let tx = self.kick.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let _ = tx.send(key);
        });
    }
}

/// Handle on a simulated cluster's behaviour (cheap to clone). Created by [`World::new`]; its
/// [`World::controller`] runs on a `Sim` (kubesim does that when `SimOptions::world` is set).
#[derive(Clone)]
pub struct World {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("block", &self.shared.block.id())
            .field("nodes", &self.shared.nodes.len())
            .finish_non_exhaustive()
    }
}

impl World {
    /// Claims an address block and prepares the world (nothing runs until the controller does).
    pub fn new(opts: WorldOptions, faults: Faults) -> anyhow::Result<World> {
        anyhow::ensure!(
            opts.nodes.count <= nodes::MAX_NODES,
            "at most {} simulated nodes are supported",
            nodes::MAX_NODES
        );
        let block = AddressBlock::claim(opts.address_block)?;
        let node_list = (0..opts.nodes.count)
            .map(|i| NodeAddress {
                name: nodes::node_name(&opts.nodes, i),
                internal_ip: block.internal_ip(i),
                external_ip: block.external_ip(i),
            })
            .collect();
        let (kick, kick_rx) = mpsc::unbounded_channel();
        let lb_mode = Mutex::new(opts.load_balancer.clone());
        let count = opts.nodes.count;
        Ok(World {
            shared: Arc::new(Shared {
                opts,
                block,
                nodes: node_list,
                lb_mode,
                listener: Mutex::new(None),
                faults,
                kick,
                kick_rx: Mutex::new(Some(kick_rx)),
                state: Mutex::new(State {
                    next_ip: vec![0; count],
                    ..State::default()
                }),
            }),
        })
    }

    /// The controller to run (once) on the simulator's runtime.
    pub fn controller(&self) -> Box<dyn Controller> {
        Box::new(ClusterController {
            shared: self.shared.clone(),
        })
    }

    /// The options the world runs with.
    pub fn options(&self) -> &WorldOptions {
        &self.shared.opts
    }

    /// The nodes and their addresses.
    pub fn nodes(&self) -> &[NodeAddress] {
        &self.shared.nodes
    }

    /// This instance's `127.X.Y.0/24` block as (X, Y).
    pub fn address_block(&self) -> (u8, u8) {
        self.shared.block.id()
    }

    /// The fault switchboard shared with the API server.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Changes how LoadBalancer Services are provisioned from now on (existing ones are revisited).
    pub fn set_load_balancer_mode(&self, mode: LoadBalancerMode) {
        *self
            .shared
            .lb_mode
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = mode;
        self.shared.state().served.clear();
        let _ = self.shared.kick.send(Key::AllServices);
    }

    /// Registers the data plane that serves NodePort/LoadBalancer Services (see [`ServiceListener`]).
    pub fn set_service_listener(&self, listener: Arc<dyn ServiceListener>) {
        *self
            .shared
            .listener
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(listener);
        self.shared.state().served.clear();
        let _ = self.shared.kick.send(Key::AllServices);
    }
}

struct ClusterController {
    shared: Arc<Shared>,
}

impl Controller for ClusterController {
    fn name(&self) -> &str {
        "cluster"
    }

    fn run(self: Box<Self>, ctx: ControllerContext) -> BoxFuture<'static, ()> {
        Box::pin(run(self.shared, ctx))
    }
}

fn keys_for(e: &Event, out: &mut BTreeSet<Key>) {
    let (ns, name) = (e.namespace.clone(), e.name.clone());
    let owner = |kind: &str| {
        meta::controller_of(&e.object)
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, n, _)| n.to_string())
    };
    match (e.group.as_str(), e.resource.as_str()) {
        ("apps", "deployments") => {
            out.insert(Key::Deployment(ns, name));
        }
        ("apps", "replicasets") => {
            if let Some(d) = owner("Deployment") {
                out.insert(Key::Deployment(ns.clone(), d));
            }
            out.insert(Key::ReplicaSet(ns, name));
        }
        ("apps", "statefulsets") => {
            out.insert(Key::StatefulSet(ns, name));
        }
        ("apps", "daemonsets") => {
            out.insert(Key::DaemonSet(ns, name));
        }
        ("batch", "jobs") => {
            if let Some(c) = owner("CronJob") {
                out.insert(Key::CronJob(ns.clone(), c));
            }
            out.insert(Key::Job(ns, name));
        }
        ("batch", "cronjobs") => {
            out.insert(Key::CronJob(ns, name));
        }
        ("", "pods") => {
            if let Some((kind, owner, _)) = meta::controller_of(&e.object) {
                let k = match kind {
                    "ReplicaSet" => Some(Key::ReplicaSet(ns.clone(), owner.to_string())),
                    "StatefulSet" => Some(Key::StatefulSet(ns.clone(), owner.to_string())),
                    "DaemonSet" => Some(Key::DaemonSet(ns.clone(), owner.to_string())),
                    "Job" => Some(Key::Job(ns.clone(), owner.to_string())),
                    _ => None,
                };
                out.extend(k);
            }
            out.insert(Key::ServicesIn(ns.clone()));
            if e.kind == EventType::Deleted {
                out.insert(Key::PodGone(meta::uid(&e.object).to_string()));
            } else {
                out.insert(Key::Pod(ns, name));
            }
        }
        ("", "services") => {
            out.insert(Key::Service(ns, name));
        }
        ("", "nodes") => {
            out.insert(Key::AllDaemonSets);
        }
        _ => {}
    }
}

async fn run(shared: Arc<Shared>, ctx: ControllerContext) {
    let store = ctx.store.clone();
    let mut events = store.subscribe();
    let Some(mut kicks) = shared
        .kick_rx
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    else {
        return;
    };
    let mut shutdown = ctx.shutdown.clone();
    super::sync::ensure_nodes(&shared, &store);
    let mut pending = BTreeSet::new();
    super::sync::everything(&store, &mut pending);
    let mut tick = tokio::time::interval(shared.opts.timing.resync.max(Duration::from_millis(50)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        while let Some(key) = pending.pop_first() {
            super::sync::reconcile(&shared, &store, key);
            // Take in what the reconcile caused before the next key, so owners see fresh children.
            drain(&mut events, &mut kicks, &store, &mut pending);
        }
        tokio::select! {
            e = events.recv() => match e {
                Ok(e) => keys_for(&e, &mut pending),
                Err(broadcast::error::RecvError::Lagged(_)) => super::sync::everything(&store, &mut pending),
                Err(broadcast::error::RecvError::Closed) => return,
            },
            Some(k) = kicks.recv() => { pending.insert(k); },
            _ = tick.tick() => super::sync::periodic(&store, &mut pending),
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
        drain(&mut events, &mut kicks, &store, &mut pending);
    }
}

fn drain(
    events: &mut broadcast::Receiver<Arc<Event>>,
    kicks: &mut mpsc::UnboundedReceiver<Key>,
    store: &Store,
    pending: &mut BTreeSet<Key>,
) {
    loop {
        match events.try_recv() {
            Ok(e) => keys_for(&e, pending),
            Err(broadcast::error::TryRecvError::Lagged(_)) => {
                super::sync::everything(store, pending)
            }
            Err(_) => break,
        }
    }
    while let Ok(k) = kicks.try_recv() {
        pending.insert(k);
    }
}
