//! Istio in the simulated cluster: the in-cluster operator (Istio 1.23 behaviour), the sidecar
//! injector, and the pure logic they share (profiles, IstioOperator interpretation, RBAC checks).

pub mod injector;
pub mod manifests;
pub mod operator;
pub mod profile;
pub mod rbac;
pub mod spec;
pub mod testing;

use std::time::Duration;

use futures::future::BoxFuture;

use super::{Controller, ControllerContext};

/// Istio in the simulated world: registers the sidecar injector's admission step and runs the
/// operator. Neither does anything until the real prerequisites are in the cluster.
#[derive(Debug, Clone)]
pub struct Istio {
    /// How often the operator looks again without a change event.
    pub resync: Duration,
}

impl Default for Istio {
    fn default() -> Self {
        Istio {
            resync: Duration::from_secs(2),
        }
    }
}

impl Controller for Istio {
    fn name(&self) -> &str {
        "istio"
    }

    fn run(self: Box<Self>, ctx: ControllerContext) -> BoxFuture<'static, ()> {
        ctx.store.add_admission_hook(injector::admission_hook());
        Box::pin(operator::run(ctx.store, ctx.shutdown, self.resync))
    }
}
