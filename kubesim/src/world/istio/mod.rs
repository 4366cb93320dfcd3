//! Istio in the simulated cluster: the in-cluster operator (Istio 1.23 behaviour), the sidecar
//! injector, and the pure logic they share (profiles, IstioOperator interpretation, RBAC checks).

pub mod injector;
pub mod manifests;
pub mod profile;
pub mod rbac;
pub mod spec;
