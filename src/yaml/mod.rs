//! YAML helpers shared by the whole project: reading YAML as Go's sigs.k8s.io/yaml does
//! ([`parse_document`], [`parse_documents`]), splitting multi-document streams like Istio
//! ([`split_documents`]), and writing YAML byte-for-byte as sigs.k8s.io/yaml `Marshal`
//! ([`to_go_yaml`]), which is also what Helm's `toYaml` prints.

mod emit;
mod parse;
mod resolve;

pub use emit::{go_yaml_key_cmp, to_go_yaml};
pub use parse::{YamlError, parse_document, parse_documents, split_documents};
pub use resolve::{Resolved, resolve_plain};
