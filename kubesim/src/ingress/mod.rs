//! The ingress data plane: kubesim answers HTTP on an Istio ingress gateway's address and routes
//! by the Gateway and VirtualService objects in the cluster.

pub mod routing;
pub mod server;

pub use server::{DataPlane, Ingress, NodeGate};
