//! kubesim: a simulated Kubernetes API server and cluster, used by rigger's tests and by `rigger demo`.

pub mod error;
pub mod gcp;
pub mod patch;
pub mod resources;
pub mod selector;
pub mod store;
pub mod testkit;
pub mod util;
