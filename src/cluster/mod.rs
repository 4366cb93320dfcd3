//! Talking to the Kubernetes API: building a client from kubeconfig/--context, and turning API and
//! connection errors into plain sentences. Never prints.

mod connect;
mod errors;

pub use connect::{ConnectOptions, Connection, connect, load_kubeconfig};
pub use errors::{KubeResultExt, explain};
