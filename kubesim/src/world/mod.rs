//! The simulated world: controllers that react to store events and write back, as a real
//! cluster's controllers would.
//!
//! The cluster-level behaviour every client relies on (garbage collection over
//! ownerReferences, namespace termination, CRD establishment) runs synchronously inside the
//! store's writes, so it is never late and never racy. Everything else (workload controllers,
//! nodes, load balancers, Istio) is built on [`Controller`]: a task that gets a [`Store`]
//! handle and a shutdown signal, subscribes to change events ([`Store::subscribe`]) and writes
//! with [`Store::modify`] / [`Store::modify_status`], which apply a closure atomically to the
//! current object (no lost updates, no resourceVersion retries). The event channel holds
//! 16,384 events; a controller that falls further behind gets `RecvError::Lagged` and should
//! re-list what it watches, as a real informer does after a 410.
//!
//! ```no_run
//! use kubesim::world::{Controller, ControllerContext};
//! use kubesim::store::EventType;
//! use futures::future::BoxFuture;
//!
//! struct LabelEverything;
//! impl Controller for LabelEverything {
//!     fn name(&self) -> &str { "label-everything" }
//!     fn run(self: Box<Self>, ctx: ControllerContext) -> BoxFuture<'static, ()> {
//!         Box::pin(async move {
//!             let mut events = ctx.store.subscribe();
//!             let mut shutdown = ctx.shutdown.clone();
//!             loop {
//!                 tokio::select! {
//!                     Ok(e) = events.recv() => if e.kind == EventType::Added && e.resource == "configmaps" {
//!                         let _ = ctx.store.modify("", "v1", "configmaps", &e.namespace, &e.name, |o| {
//!                             o["metadata"]["labels"]["seen"] = "yes".into();
//!                         });
//!                     },
//!                     _ = shutdown.changed() => return,
//!                 }
//!             }
//!         })
//!     }
//! }
//! ```

pub mod cluster;
pub mod config;
pub mod cronjobs;
pub mod daemonsets;
pub mod deployments;
pub mod endpoints;
pub mod events;
pub mod faults;
pub mod images;
pub mod istio;
pub mod jobs;
pub mod meta;
pub mod net;
pub mod nodes;
pub mod pods;
pub mod replicasets;
pub mod services;
pub mod statefulsets;
mod sync;

pub use cluster::{NodeAddress, World};
pub use config::{LoadBalancerMode, NodeOptions, Timing, WorldOptions};
pub use faults::{FaultConfig, Faults};
pub use net::{ServiceAddresses, ServiceListener};

use futures::future::BoxFuture;
use tokio::sync::watch;

use crate::store::Store;

/// What a controller gets to work with.
#[derive(Clone)]
pub struct ControllerContext {
    /// The cluster's store.
    pub store: Store,
    /// Turns `true` when the simulator shuts down; controllers return then.
    pub shutdown: watch::Receiver<bool>,
}

/// A controller of the simulated world, run on the simulator's runtime.
pub trait Controller: Send + 'static {
    /// A short name for diagnostics.
    fn name(&self) -> &str;
    /// Runs until `ctx.shutdown` turns true.
    fn run(self: Box<Self>, ctx: ControllerContext) -> BoxFuture<'static, ()>;
}
