//! Talking to the Kubernetes API: building a client from kubeconfig/--context, and turning API and
//! connection errors into plain sentences. Never prints.

pub mod apply;
mod connect;
pub mod delete;
mod errors;
pub mod ingress;
pub mod istio;
pub mod manifests;
pub mod wait;

pub use connect::{ConnectOptions, Connection, connect, load_kubeconfig};
pub use errors::{KubeResultExt, explain};
