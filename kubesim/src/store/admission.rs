//! Mutating admission: hooks that see (and may change or refuse) every create and update
//! before it is stored, as webhooks such as Istio's sidecar injector do in a real cluster.

use std::sync::Arc;

use serde_json::Value;

use super::State;
use crate::error::ApiError;
use crate::resources::ResourceDef;

/// The operation being admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A create (POST, or server-side apply of a missing object).
    Create,
    /// An update (PUT, PATCH, apply, or a `/status`/`/scale` write).
    Update,
}

/// Read access to the stored objects while a hook runs (the store is locked then, so hooks
/// read through this instead of calling the [`Store`](super::Store)).
pub struct View<'a> {
    pub(super) state: &'a State,
}

impl View<'_> {
    /// A stored object by group, plural resource, namespace (`""` for cluster-scoped) and name.
    pub fn get(
        &self,
        group: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Arc<Value>> {
        self.state
            .tables
            .get(&(group.to_string(), resource.to_string()))
            .and_then(|t| t.get(&(namespace.to_string(), name.to_string())))
            .cloned()
    }

    /// Stored objects of a resource in a namespace (None = all).
    pub fn list(&self, group: &str, resource: &str, namespace: Option<&str>) -> Vec<Arc<Value>> {
        let Some(table) = self
            .state
            .tables
            .get(&(group.to_string(), resource.to_string()))
        else {
            return Vec::new();
        };
        table
            .iter()
            .filter(|((ns, _), _)| namespace.is_none_or(|n| n == ns))
            .map(|(_, o)| o.clone())
            .collect()
    }
}

/// What a hook is asked to admit.
pub struct Request<'a> {
    /// Create or update.
    pub operation: Operation,
    /// The resource.
    pub resource: &'a ResourceDef,
    /// `""`, `"status"` or `"scale"`.
    pub subresource: &'a str,
    /// Namespace of the object (`""` for cluster-scoped).
    pub namespace: &'a str,
    /// The stored object before an update.
    pub old: Option<&'a Value>,
    /// `dryRun=All`.
    pub dry_run: bool,
    /// The rest of the cluster.
    pub view: View<'a>,
}

/// A mutating admission hook: edit `object` in place, or refuse with an error (a 403 or 422
/// Status, as a webhook's denial). It runs under the store's lock: keep it quick and never
/// call the store from it (use [`Request::view`]).
pub type Hook = Arc<dyn Fn(&Request<'_>, &mut Value) -> Result<(), ApiError> + Send + Sync>;

/// The parts of a [`Request`] the store fills in.
pub(super) struct Admit<'a> {
    pub operation: Operation,
    pub def: &'a ResourceDef,
    pub subresource: &'a str,
    pub namespace: &'a str,
    pub old: Option<&'a Value>,
    pub dry_run: bool,
}

impl State {
    pub(super) fn admit(&self, a: Admit<'_>, obj: &mut Value) -> Result<(), ApiError> {
        for hook in &self.hooks {
            let req = Request {
                operation: a.operation,
                resource: a.def,
                subresource: a.subresource,
                namespace: a.namespace,
                old: a.old,
                dry_run: a.dry_run,
                view: View { state: self },
            };
            hook(&req, obj)?;
        }
        Ok(())
    }
}
