//! YAML helpers shared by the whole project: reading YAML as Go's sigs.k8s.io/yaml does
//! ([`parse_document`], [`parse_documents`]), splitting multi-document streams like Istio
//! ([`split_documents`]), and writing YAML byte-for-byte as sigs.k8s.io/yaml `Marshal`
//! ([`to_go_yaml`]), which is also what Helm's `toYaml` prints; and a parse that remembers the line of
//! every path ([`parse_located`]) so validation errors can say `file:line: path: problem`.

mod emit;
mod parse;
mod resolve;
mod spanned;

pub use emit::{go_yaml_key_cmp, to_go_yaml};
pub use parse::{YamlError, parse_document, parse_documents, split_documents};
pub use resolve::{Resolved, resolve_plain};
pub use spanned::{LocatedDocument, Location, Locations, SyntaxError, parse_located};

/// Objects as a multi-document YAML stream (`---` between documents), as `kubectl apply -f` reads it.
pub fn to_documents(objects: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for (i, object) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&to_go_yaml(object));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
