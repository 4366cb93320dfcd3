//! kubesim: a simulated Kubernetes API server and cluster, used by rigger's tests and by `rigger demo`.

pub mod gcp;
pub mod testkit;
