//! kubesim: a simulated Kubernetes API server and cluster.
