//! rigger: stand up Istio on a Kubernetes cluster.
