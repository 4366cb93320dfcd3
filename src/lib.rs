//! rigger: stand up Istio on a Kubernetes cluster and bring workloads into the mesh.
//!
//! Dependency direction: `cli` → `commands` → (`cluster`, `istio`, `cloud`, `output`). Domain modules
//! never print and never exit; only `main.rs` exits.

pub mod cli;
pub mod cloud;
pub mod cluster;
pub mod commands;
pub mod context;
pub mod duration;
pub mod error;
pub mod gotmpl;
pub mod istio;
pub mod output;
pub mod progress;
pub mod reference;
pub mod yaml;
