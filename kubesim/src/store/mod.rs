//! The object store: every object of every resource, a global resourceVersion counter, a bounded
//! history of change events for watch replay, and pod logs.
//!
//! The HTTP API and in-process callers (tests, the simulated world) go through the same
//! operations, so both see the same semantics: resourceVersion preconditions, generation,
//! managedFields, status subresources, finalizers, owner garbage collection, namespace
//! deletion, CRD registration and watch events.
//!
//! All state sits behind one mutex and every write is applied atomically under it; change
//! events go out on a broadcast channel in resourceVersion order. Controllers subscribe with
//! [`Store::subscribe`] and write with [`Store::modify`]/[`Store::modify_status`], which run a
//! closure on the current object under the lock, so they never race other writers.

pub mod admission;
mod defaults;
mod lifecycle;
mod logs;
mod persist;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine;
use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};

use crate::error::{ApiError, ApiResult, Cause};
use crate::patch::{self, Manager, Schema};
use crate::resources::{Registry, ResourceDef};
use crate::selector::{FieldSelector, LabelSelector};
use crate::util;

pub use logs::{LogLine, LogRead};

/// Type of a change event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// Object created.
    Added,
    /// Object changed.
    Modified,
    /// Object removed.
    Deleted,
}

impl EventType {
    /// `ADDED`, `MODIFIED`, `DELETED`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change to one object.
#[derive(Debug, Clone)]
pub struct Event {
    /// resourceVersion of the change.
    pub rv: u64,
    /// What happened.
    pub kind: EventType,
    /// API group of the object.
    pub group: String,
    /// Plural resource name.
    pub resource: String,
    /// Namespace (`""` for cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The object after the change (for DELETED: the last state, with the deletion's resourceVersion).
    pub object: Arc<Value>,
    /// The object before the change (MODIFIED and DELETED).
    pub old: Option<Arc<Value>>,
}

/// Identifies one stored object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    /// API group.
    pub group: String,
    /// Plural resource name.
    pub resource: String,
    /// Namespace (`""` for cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// Options of a write.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// `dryRun=All`: validate and compute, change nothing.
    pub dry_run: bool,
    /// Field manager recorded in managedFields.
    pub field_manager: String,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            dry_run: false,
            field_manager: "kubesim".to_string(),
        }
    }
}

/// How a DELETE treats dependents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Delete the owner now, dependents after it (the default).
    #[default]
    Background,
    /// Delete dependents first; the owner waits with a `foregroundDeletion` finalizer.
    Foreground,
    /// Keep dependents, removing their owner references.
    Orphan,
}

/// Options of a delete.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    /// Propagation policy.
    pub propagation: Propagation,
    /// `preconditions.uid`.
    pub uid: Option<String>,
    /// `preconditions.resourceVersion`.
    pub resource_version: Option<String>,
    /// `dryRun=All`.
    pub dry_run: bool,
}

/// A patch body by type.
#[derive(Debug, Clone)]
pub enum Patch {
    /// `application/json-patch+json`.
    Json(Value),
    /// `application/merge-patch+json`.
    Merge(Value),
    /// `application/strategic-merge-patch+json`.
    Strategic(Value),
    /// `application/apply-patch+yaml` (server-side apply).
    Apply {
        /// The applied configuration.
        body: Value,
        /// `force=true`.
        force: bool,
    },
}

/// Which part of an object a write addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subresource {
    /// The object itself (status ignored when the kind has a status subresource).
    Main,
    /// `/status` (only status changes).
    Status,
}

/// Options of a list.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// Label selector.
    pub labels: LabelSelector,
    /// Field selector.
    pub fields: FieldSelector,
    /// Page size (None = everything).
    pub limit: Option<usize>,
    /// Continue token from a previous page.
    pub continue_token: Option<String>,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// Objects (stored form).
    pub items: Vec<Arc<Value>>,
    /// resourceVersion of the list.
    pub resource_version: u64,
    /// Continue token when more remain.
    pub continue_token: Option<String>,
    /// How many more items remain after this page.
    pub remaining: Option<usize>,
}

/// What a watch starts with.
pub struct WatchStart {
    /// Events to send first (replay or synthetic ADDED).
    pub initial: Vec<Arc<Event>>,
    /// resourceVersion the watch is at after `initial`.
    pub resource_version: u64,
    /// Live events from here on.
    pub receiver: broadcast::Receiver<Arc<Event>>,
}

/// Objects of one resource by (namespace, name).
type Table = BTreeMap<(String, String), Arc<Value>>;
/// One stored entry.
type Entry<'a> = (&'a (String, String), &'a Arc<Value>);
/// A boxed iterator over entries.
type Entries<'a> = Box<dyn Iterator<Item = Entry<'a>> + 'a>;

pub(crate) struct State {
    pub(crate) registry: Registry,
    tables: HashMap<(String, String), Table>,
    uids: HashMap<String, ObjectKey>,
    rv: u64,
    history: VecDeque<Arc<Event>>,
    history_limit: usize,
    evicted: u64,
    next_ip: u32,
    next_node_port: u16,
    events: broadcast::Sender<Arc<Event>>,
    logs: logs::Logs,
    logs_changed: watch::Sender<u64>,
    hooks: Vec<admission::Hook>,
}

struct Shared {
    state: Mutex<State>,
    events: broadcast::Sender<Arc<Event>>,
}

/// A handle on the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// Name validation class of a kind.
fn validate_name(def: &ResourceDef, name: &str) -> Option<String> {
    match (def.group.as_str(), def.plural.as_str()) {
        ("", "namespaces" | "services") => util::check_dns1123_label(name),
        ("rbac.authorization.k8s.io", _) => util::check_path_segment(name),
        _ => util::check_dns1123_subdomain(name),
    }
}

/// Most bytes all annotations of one object may take.
const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// Validates labels and annotations as the API server does.
fn validate_metadata(def: &ResourceDef, obj: &Value) -> ApiResult<()> {
    let mut causes = Vec::new();
    let meta = &obj["metadata"];
    let invalid = |field: &str, value: &str, why: String| {
        Cause::new(
            "FieldValueInvalid",
            field,
            format!("Invalid value: \"{value}\": {why}"),
        )
    };
    match &meta["labels"] {
        Value::Null => {}
        Value::Object(labels) => {
            for (k, v) in labels {
                if let Some(why) = util::check_qualified_name(k) {
                    causes.push(invalid("metadata.labels", k, why));
                }
                match v.as_str() {
                    Some(s) => {
                        if let Some(why) = util::check_label_value(s) {
                            causes.push(invalid(&format!("metadata.labels.{k}"), s, why));
                        }
                    }
                    None => causes.push(Cause::new(
                        "FieldValueInvalid",
                        &format!("metadata.labels.{k}"),
                        "Invalid value: label values must be strings",
                    )),
                }
            }
        }
        _ => causes.push(Cause::new(
            "FieldValueInvalid",
            "metadata.labels",
            "Invalid value: must be a map of strings",
        )),
    }
    match &meta["annotations"] {
        Value::Null => {}
        Value::Object(annotations) => {
            let mut total = 0;
            for (k, v) in annotations {
                if let Some(why) = util::check_qualified_name(k) {
                    causes.push(invalid("metadata.annotations", k, why));
                }
                match v.as_str() {
                    Some(s) => total += k.len() + s.len(),
                    None => causes.push(Cause::new(
                        "FieldValueInvalid",
                        &format!("metadata.annotations.{k}"),
                        "Invalid value: annotation values must be strings",
                    )),
                }
            }
            if total > MAX_ANNOTATIONS_BYTES {
                causes.push(Cause::new(
                    "FieldValueTooLong",
                    "metadata.annotations",
                    format!("Too long: must have at most {MAX_ANNOTATIONS_BYTES} bytes"),
                ));
            }
        }
        _ => causes.push(Cause::new(
            "FieldValueInvalid",
            "metadata.annotations",
            "Invalid value: must be a map of strings",
        )),
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(
            &def.group,
            &def.kind,
            meta["name"].as_str().unwrap_or_default(),
            causes,
        ))
    }
}

fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or_default()
}

/// The part of an object that drives `metadata.generation`: everything but metadata and status.
fn spec_part(obj: &Value) -> Value {
    let mut v = obj.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("metadata");
        m.remove("status");
        m.remove("apiVersion");
        m.remove("kind");
    }
    v
}

fn schema_for(def: &ResourceDef) -> Schema {
    if def.custom {
        Schema::custom(&def.kind)
    } else {
        Schema::for_kind(&def.kind)
    }
}

impl Store {
    /// A store with the default namespaces and the given watch history size.
    pub fn new(history_limit: usize) -> Store {
        let (events, _) = broadcast::channel(16_384);
        let (logs_changed, _) = watch::channel(0u64);
        let state = State {
            registry: Registry::default(),
            tables: HashMap::new(),
            uids: HashMap::new(),
            rv: 0,
            history: VecDeque::new(),
            history_limit: history_limit.max(16),
            evicted: 0,
            next_ip: 10,
            next_node_port: 30000,
            events: events.clone(),
            logs: logs::Logs::default(),
            logs_changed,
            hooks: Vec::new(),
        };
        let store = Store {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                events,
            }),
        };
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            // Creating a namespace in an empty store cannot fail.
            let _ = store.create(
                "",
                "v1",
                "namespaces",
                "",
                json!({"metadata": {"name": ns}}),
            );
        }
        store
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock would be a bug; keep serving with the state as it is.
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a mutating admission hook, run on every create and update from now on (see
    /// [`admission::Hook`]).
    pub fn add_admission_hook(&self, hook: admission::Hook) {
        self.lock().hooks.push(hook);
    }

    /// Subscribes to every change event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.shared.events.subscribe()
    }

    /// The current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    /// Looks a resource up by group, version and plural, singular, kind or short name.
    pub fn resolve(
        &self,
        group: &str,
        version: &str,
        resource: &str,
    ) -> ApiResult<Arc<ResourceDef>> {
        let v = (!version.is_empty()).then_some(version);
        self.lock().registry.resolve(group, v, resource).ok_or_else(|| {
            ApiError::new(404, "NotFound", format!("the server could not find the requested resource ({resource}.{group}/{version})"))
        })
    }

    /// The entry for exactly (group, version, plural), as URLs name resources.
    pub fn lookup(&self, group: &str, version: &str, plural: &str) -> Option<Arc<ResourceDef>> {
        self.lock().registry.lookup(group, version, plural)
    }

    /// Every served resource entry.
    pub fn resources(&self) -> Vec<Arc<ResourceDef>> {
        self.lock().registry.all().cloned().collect()
    }

    /// A copy of the registry.
    pub fn registry(&self) -> Registry {
        self.lock().registry.clone()
    }

    /// Gets one object, presented at the requested version.
    pub fn get(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        Ok(present(&*self.get_in(&def, namespace, name)?, &def))
    }

    /// Lists objects (`namespace` None = all namespaces).
    pub fn list(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> ApiResult<Vec<Value>> {
        let def = self.resolve(group, version, resource)?;
        let page = self.list_in(&def, namespace, &ListOptions::default())?;
        Ok(page.items.iter().map(|o| present(o, &def)).collect())
    }

    /// Creates an object (same semantics as POST).
    pub fn create(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        obj: Value,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        Ok(present(
            &*self.create_in(&def, namespace, obj, &WriteOptions::default())?,
            &def,
        ))
    }

    /// Replaces an object (same semantics as PUT: status ignored where a status subresource exists).
    pub fn update(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        obj: Value,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        let name = meta_str(&obj, "name").to_string();
        let out = self.update_in(
            &def,
            namespace,
            &name,
            obj,
            Subresource::Main,
            &WriteOptions::default(),
        )?;
        Ok(present(&out, &def))
    }

    /// Replaces an object's status (same semantics as PUT on `/status`).
    pub fn update_status(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        obj: Value,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        let name = meta_str(&obj, "name").to_string();
        let out = self.update_in(
            &def,
            namespace,
            &name,
            obj,
            Subresource::Status,
            &WriteOptions::default(),
        )?;
        Ok(present(&out, &def))
    }

    /// Atomically changes an object: `f` gets the current object and edits it; the result is
    /// written with update semantics (no event when nothing changed). `f` runs under the
    /// store's lock: it must not call the store itself.
    pub fn modify(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> ApiResult<Value> {
        self.modify_sub(
            group,
            version,
            resource,
            namespace,
            name,
            Subresource::Main,
            f,
        )
    }

    /// Like [`Store::modify`], for the `/status` subresource (only status changes are kept).
    pub fn modify_status(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> ApiResult<Value> {
        self.modify_sub(
            group,
            version,
            resource,
            namespace,
            name,
            Subresource::Status,
            f,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn modify_sub(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        sub: Subresource,
        f: impl FnOnce(&mut Value),
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        let mut st = self.lock();
        let current = st.get(&def, namespace, name)?;
        let mut obj = (*current).clone();
        f(&mut obj);
        let out = st.commit_update(
            &def,
            namespace,
            name,
            &current,
            obj,
            sub,
            &WriteOptions::default(),
            None,
        )?;
        Ok(present(&out, &def))
    }

    /// Patches an object (same semantics as PATCH).
    pub fn patch(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        patch: Patch,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        let (out, _) = self.patch_in(
            &def,
            namespace,
            name,
            patch,
            Subresource::Main,
            &WriteOptions::default(),
        )?;
        Ok(present(&out, &def))
    }

    /// Server-side applies an object as `manager` (namespace taken from `metadata.namespace`).
    pub fn apply(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        obj: Value,
        manager: &str,
        force: bool,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        let name = meta_str(&obj, "name").to_string();
        let namespace = meta_str(&obj, "namespace").to_string();
        let namespace = namespace.as_str();
        let opts = WriteOptions {
            field_manager: manager.to_string(),
            ..WriteOptions::default()
        };
        let (out, _) = self.patch_in(
            &def,
            namespace,
            &name,
            Patch::Apply { body: obj, force },
            Subresource::Main,
            &opts,
        )?;
        Ok(present(&out, &def))
    }

    /// Deletes an object with background propagation (same semantics as DELETE).
    pub fn delete(
        &self,
        group: &str,
        version: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> ApiResult<Value> {
        let def = self.resolve(group, version, resource)?;
        Ok(present(
            &self.delete_in(&def, namespace, name, &DeleteOptions::default())?,
            &def,
        ))
    }

    // ---- operations on a resolved resource (used by the HTTP layer) ----

    /// Gets an object in stored form.
    pub fn get_in(&self, def: &ResourceDef, namespace: &str, name: &str) -> ApiResult<Arc<Value>> {
        self.lock().get(def, namespace, name)
    }

    /// Lists a page of objects in stored form.
    pub fn list_in(
        &self,
        def: &ResourceDef,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> ApiResult<ListPage> {
        self.lock().list(def, namespace, opts)
    }

    /// Creates an object; returns it in stored form.
    pub fn create_in(
        &self,
        def: &ResourceDef,
        namespace: &str,
        obj: Value,
        opts: &WriteOptions,
    ) -> ApiResult<Arc<Value>> {
        self.lock().create(def, namespace, obj, opts, None)
    }

    /// Replaces an object or its status.
    pub fn update_in(
        &self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        obj: Value,
        sub: Subresource,
        opts: &WriteOptions,
    ) -> ApiResult<Arc<Value>> {
        let mut st = self.lock();
        let body_name = meta_str(&obj, "name");
        if !body_name.is_empty() && body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let current = st.get(def, namespace, name)?;
        st.commit_update(def, namespace, name, &current, obj, sub, opts, None)
    }

    /// Patches an object or its status. Returns the object and whether it was created (apply).
    pub fn patch_in(
        &self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        patch: Patch,
        sub: Subresource,
        opts: &WriteOptions,
    ) -> ApiResult<(Arc<Value>, bool)> {
        let mut st = self.lock();
        st.patch(def, namespace, name, patch, sub, opts)
    }

    /// Deletes an object.
    pub fn delete_in(
        &self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> ApiResult<Value> {
        let mut st = self.lock();
        st.delete(def, namespace, name, opts)
    }

    /// Deletes every object of a resource matching the list options in a namespace (or all).
    pub fn delete_collection_in(
        &self,
        def: &ResourceDef,
        namespace: Option<&str>,
        list: &ListOptions,
        opts: &DeleteOptions,
    ) -> ApiResult<Vec<Value>> {
        let mut st = self.lock();
        let page = st.list(
            def,
            namespace,
            &ListOptions {
                limit: None,
                continue_token: None,
                ..list.clone()
            },
        )?;
        let mut out = Vec::new();
        for obj in page.items {
            let (ns, name) = (
                meta_str(&obj, "namespace").to_string(),
                meta_str(&obj, "name").to_string(),
            );
            match st.delete(def, &ns, &name, opts) {
                Ok(v) => out.push(v),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Starts a watch: `resource_version` None or 0 = synthetic ADDED for current objects, N =
    /// replay of changes after N (410 when N is older than the kept history).
    pub fn watch_in(
        &self,
        def: &ResourceDef,
        namespace: Option<&str>,
        resource_version: Option<u64>,
    ) -> ApiResult<WatchStart> {
        let st = self.lock();
        let receiver = self.shared.events.subscribe();
        let matches = |e: &Event| {
            e.group == def.group
                && e.resource == def.plural
                && namespace.is_none_or(|ns| e.namespace == ns)
        };
        let initial = match resource_version {
            None | Some(0) => {
                let page = st.list(def, namespace, &ListOptions::default())?;
                page.items
                    .into_iter()
                    .map(|o| {
                        Arc::new(Event {
                            rv: st.rv,
                            kind: EventType::Added,
                            group: def.group.clone(),
                            resource: def.plural.clone(),
                            namespace: meta_str(&o, "namespace").to_string(),
                            name: meta_str(&o, "name").to_string(),
                            object: o,
                            old: None,
                        })
                    })
                    .collect()
            }
            Some(n) => {
                if n < st.evicted {
                    return Err(ApiError::gone(format!(
                        "too old resource version: {n} ({})",
                        st.evicted + 1
                    )));
                }
                st.history
                    .iter()
                    .filter(|e| e.rv > n && matches(e))
                    .cloned()
                    .collect()
            }
        };
        Ok(WatchStart {
            initial,
            resource_version: st.rv,
            receiver,
        })
    }

    /// Reads the scale of an object as an autoscaling/v1 Scale.
    pub fn get_scale(&self, def: &ResourceDef, namespace: &str, name: &str) -> ApiResult<Value> {
        let obj = self.get_in(def, namespace, name)?;
        scale_of(def, &obj)
    }

    /// Sets the desired replicas from a Scale object.
    pub fn update_scale(
        &self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        scale: &Value,
        opts: &WriteOptions,
    ) -> ApiResult<Value> {
        let spec = def.scale.as_ref().ok_or_else(ApiError::no_route)?;
        let replicas = scale["spec"]["replicas"].as_i64().unwrap_or(0);
        let mut st = self.lock();
        let current = st.get(def, namespace, name)?;
        let rv = meta_str(scale, "resourceVersion");
        if !rv.is_empty() && rv != meta_str(&current, "resourceVersion") {
            return Err(ApiError::conflict(&def.group, &def.plural, name));
        }
        let mut obj = (*current).clone();
        set_path(&mut obj, &spec.spec_replicas, json!(replicas));
        obj["metadata"]["resourceVersion"] = Value::Null;
        let out = st.commit_update(
            def,
            namespace,
            name,
            &current,
            obj,
            Subresource::Main,
            opts,
            Some("scale"),
        )?;
        scale_of(def, &out)
    }

    /// Saves every object as JSON (for `kubesim serve --state-dir`).
    pub fn snapshot(&self) -> Value {
        persist::snapshot(&self.lock())
    }

    /// Loads objects saved by [`Store::snapshot`] into an empty store.
    pub fn restore(&self, snapshot: &Value) -> anyhow::Result<()> {
        persist::restore(&mut self.lock(), snapshot)
    }
}

/// The object as served at `def`'s version (apiVersion rewritten; no conversion otherwise).
pub fn present(obj: &Value, def: &ResourceDef) -> Value {
    let mut v = obj.clone();
    if let Some(m) = v.as_object_mut() {
        m.insert("apiVersion".into(), json!(def.api_version()));
        m.insert("kind".into(), json!(def.kind));
    }
    v
}

fn get_path<'a>(obj: &'a Value, path: &str) -> &'a Value {
    let mut cur = obj;
    for seg in path.trim_start_matches('.').split('.') {
        cur = &cur[seg];
    }
    cur
}

fn set_path(obj: &mut Value, path: &str, value: Value) {
    let segs: Vec<&str> = path.trim_start_matches('.').split('.').collect();
    let mut cur = obj;
    for seg in &segs[..segs.len().saturating_sub(1)] {
        if !cur[*seg].is_object() {
            cur[*seg] = json!({});
        }
        cur = &mut cur[*seg];
    }
    if let Some(last) = segs.last() {
        cur[*last] = value;
    }
}

fn scale_of(def: &ResourceDef, obj: &Value) -> ApiResult<Value> {
    let spec = def.scale.as_ref().ok_or_else(ApiError::no_route)?;
    let selector = match spec.label_selector.as_deref().map(|p| get_path(obj, p)) {
        Some(Value::String(s)) => s.clone(),
        Some(sel @ Value::Object(_)) => LabelSelector::from_object(sel).to_query(),
        _ => String::new(),
    };
    let mut status =
        json!({"replicas": get_path(obj, &spec.status_replicas).as_i64().unwrap_or(0)});
    if !selector.is_empty() {
        status["selector"] = json!(selector);
    }
    Ok(json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": obj["metadata"]["name"],
            "namespace": obj["metadata"]["namespace"],
            "uid": obj["metadata"]["uid"],
            "resourceVersion": obj["metadata"]["resourceVersion"],
            "creationTimestamp": obj["metadata"]["creationTimestamp"],
        },
        "spec": {"replicas": get_path(obj, &spec.spec_replicas).as_i64().unwrap_or(0)},
        "status": status,
    }))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ContinueToken {
    rv: u64,
    start: String,
}

fn encode_continue(rv: u64, ns: &str, name: &str) -> String {
    let t = ContinueToken {
        rv,
        start: format!("{ns}/{name}"),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&t).unwrap_or_default())
}

fn decode_continue(token: &str) -> ApiResult<ContinueToken> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| ApiError::bad_request("continue key is not valid: illegal base64 data"))
}

impl State {
    fn table(&self, def: &ResourceDef) -> Option<&Table> {
        self.tables.get(&(def.group.clone(), def.plural.clone()))
    }

    fn table_mut(&mut self, group: &str, resource: &str) -> &mut Table {
        self.tables
            .entry((group.to_string(), resource.to_string()))
            .or_default()
    }

    fn scope_ns<'a>(def: &ResourceDef, namespace: &'a str) -> &'a str {
        if def.namespaced { namespace } else { "" }
    }

    pub(crate) fn get(
        &self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
    ) -> ApiResult<Arc<Value>> {
        let ns = Self::scope_ns(def, namespace);
        self.table(def)
            .and_then(|t| t.get(&(ns.to_string(), name.to_string())))
            .cloned()
            .ok_or_else(|| ApiError::not_found(&def.group, &def.plural, name))
    }

    fn list(
        &self,
        def: &ResourceDef,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> ApiResult<ListPage> {
        let mut rv = self.rv;
        let mut start: Option<(String, String)> = None;
        if let Some(token) = opts.continue_token.as_deref().filter(|t| !t.is_empty()) {
            let t = decode_continue(token)?;
            if t.rv < self.evicted {
                return Err(ApiError::expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                ));
            }
            rv = t.rv;
            let (ns, name) = t.start.split_once('/').unwrap_or(("", &t.start));
            start = Some((ns.to_string(), name.to_string()));
        }
        let empty = BTreeMap::new();
        let table = self.table(def).unwrap_or(&empty);
        let ns = namespace.filter(|n| !n.is_empty() && def.namespaced);
        let matches = |o: &Arc<Value>| opts.labels.matches(o) && opts.fields.matches(o);
        let mut iter: Entries<'_> = match (&start, ns) {
            (Some(s), _) => Box::new(table.range::<(String, String), _>((
                std::ops::Bound::Excluded(s.clone()),
                std::ops::Bound::Unbounded,
            ))),
            (None, Some(ns)) => {
                Box::new(table.range::<(String, String), _>((ns.to_string(), String::new())..))
            }
            (None, None) => Box::new(table.iter()),
        };
        if let Some(ns) = ns {
            let ns = ns.to_string();
            iter = Box::new(iter.take_while(move |((n, _), _)| *n == ns));
        }
        if let Some(name) = opts.fields.pinned_name() {
            let name = name.to_string();
            iter = Box::new(iter.filter(move |((_, n), _)| *n == name));
        }
        let mut items = Vec::new();
        let mut continue_token = None;
        let mut remaining = None;
        let limit = opts.limit.filter(|l| *l > 0);
        let mut last: Option<(String, String)> = None;
        for (key, obj) in iter.by_ref() {
            if !matches(obj) {
                continue;
            }
            if let Some(l) = limit
                && items.len() == l
            {
                // One more match exists: count the rest for remainingItemCount.
                let rest = 1 + iter_count(&mut iter, &matches);
                if let Some((ns, name)) = &last {
                    continue_token = Some(encode_continue(rv, ns, name));
                }
                remaining = Some(rest);
                let _ = key;
                break;
            }
            last = Some(key.clone());
            items.push(obj.clone());
        }
        Ok(ListPage {
            items,
            resource_version: rv,
            continue_token,
            remaining,
        })
    }

    fn emit(
        &mut self,
        kind: EventType,
        def_group: &str,
        resource: &str,
        object: Arc<Value>,
        old: Option<Arc<Value>>,
    ) {
        let ev = Arc::new(Event {
            rv: self.rv,
            kind,
            group: def_group.to_string(),
            resource: resource.to_string(),
            namespace: meta_str(&object, "namespace").to_string(),
            name: meta_str(&object, "name").to_string(),
            object,
            old,
        });
        self.history.push_back(ev.clone());
        while self.history.len() > self.history_limit {
            if let Some(e) = self.history.pop_front() {
                self.evicted = e.rv;
            }
        }
        // No receivers is fine.
        let _ = self.events.send(ev);
    }

    fn next_rv(&mut self) -> u64 {
        self.rv += 1;
        self.rv
    }

    fn check_namespace(
        &self,
        def: &ResourceDef,
        namespace: &str,
        kind_plural: &str,
        name: &str,
    ) -> ApiResult<()> {
        if !def.namespaced {
            return Ok(());
        }
        if namespace.is_empty() {
            return Err(ApiError::bad_request(
                "the server could not find the requested resource: a namespace is required",
            ));
        }
        let ns_def = self
            .registry
            .lookup("", "v1", "namespaces")
            .ok_or_else(|| ApiError::internal("namespaces not registered"))?;
        let ns = self
            .get(&ns_def, "", namespace)
            .map_err(|_| ApiError::not_found("", "namespaces", namespace))?;
        if !ns["metadata"]["deletionTimestamp"].is_null() {
            let mut e = ApiError::new(
                403,
                "Forbidden",
                format!(
                    "{} \"{name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
                    crate::error::qualified(kind_plural, &def.group)
                ),
            );
            e.details.causes.push(Cause::new(
                "NamespaceTerminating",
                "metadata.namespace",
                format!("namespace {namespace} is being terminated"),
            ));
            return Err(e);
        }
        Ok(())
    }

    /// Create. `managed` = managedFields already computed (server-side apply).
    fn create(
        &mut self,
        def: &ResourceDef,
        namespace: &str,
        mut obj: Value,
        opts: &WriteOptions,
        applied_by: Option<&str>,
    ) -> ApiResult<Arc<Value>> {
        if def.virtual_create {
            return Err(ApiError::method_not_allowed(
                "this resource is only answered, never stored",
            ));
        }
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the request body is not a JSON object",
            ));
        }
        if !obj["metadata"].is_object() {
            obj["metadata"] = json!({});
        }
        let ns = State::scope_ns(def, namespace).to_string();
        let body_ns = meta_str(&obj, "namespace").to_string();
        if def.namespaced && !body_ns.is_empty() && body_ns != ns {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        let mut name = meta_str(&obj, "name").to_string();
        if name.is_empty() {
            let generate = meta_str(&obj, "generateName").to_string();
            if generate.is_empty() {
                return Err(ApiError::invalid(
                    &def.group,
                    &def.kind,
                    "",
                    vec![Cause::new(
                        "FieldValueRequired",
                        "metadata.name",
                        "Required value: name or generateName is required",
                    )],
                ));
            }
            name = loop {
                let candidate = format!("{generate}{}", util::random_suffix(5));
                if self.get(def, &ns, &candidate).is_err() {
                    break candidate;
                }
            };
        }
        if let Some(why) = validate_name(def, &name) {
            return Err(ApiError::invalid(
                &def.group,
                &def.kind,
                &name,
                vec![Cause::new(
                    "FieldValueInvalid",
                    "metadata.name",
                    format!("Invalid value: \"{name}\": {why}"),
                )],
            ));
        }
        self.check_namespace(def, &ns, &def.plural, &name)?;
        obj["metadata"]["name"] = json!(name);
        validate_metadata(def, &obj)?;
        if self.get(def, &ns, &name).is_ok() {
            return Err(ApiError::already_exists(&def.group, &def.plural, &name));
        }
        {
            let meta = obj["metadata"]
                .as_object_mut()
                .ok_or_else(|| ApiError::internal("metadata"))?;
            meta.insert("name".into(), json!(name));
            if def.namespaced {
                meta.insert("namespace".into(), json!(ns));
            } else {
                meta.remove("namespace");
            }
            meta.insert("uid".into(), json!(util::uuid()));
            meta.insert("creationTimestamp".into(), json!(util::now()));
            meta.insert("generation".into(), json!(1));
            meta.remove("deletionTimestamp");
            meta.remove("deletionGracePeriodSeconds");
            meta.remove("resourceVersion");
            meta.remove("selfLink");
        }
        obj["apiVersion"] = json!(def.storage_api_version());
        obj["kind"] = json!(def.kind);
        self.prepare_create(def, &mut obj)?;
        defaults::apply(&def.kind, &mut obj);
        if def.group.is_empty() && def.plural == "services" {
            self.allocate_service(&mut obj, None);
        }
        let admit = admission::Admit {
            operation: admission::Operation::Create,
            def,
            subresource: "",
            namespace: &ns,
            old: None,
            dry_run: opts.dry_run,
        };
        self.admit(admit, &mut obj)?;
        validate_metadata(def, &obj)?;
        if applied_by.is_none() {
            let now = util::now();
            let who = Manager {
                name: &opts.field_manager,
                api_version: &def.api_version(),
                time: &now,
                subresource: "",
            };
            obj["metadata"]["managedFields"] = Value::Null;
            patch::track_update(None, &mut obj, &who, &schema_for(def));
        }
        if opts.dry_run {
            return Ok(Arc::new(obj));
        }
        let rv = self.next_rv();
        obj["metadata"]["resourceVersion"] = json!(rv.to_string());
        let obj = Arc::new(obj);
        self.table_mut(&def.group, &def.plural)
            .insert((ns.clone(), name.clone()), obj.clone());
        self.uids.insert(
            meta_str(&obj, "uid").to_string(),
            ObjectKey {
                group: def.group.clone(),
                resource: def.plural.clone(),
                namespace: ns,
                name,
            },
        );
        self.emit(EventType::Added, &def.group, &def.plural, obj.clone(), None);
        if def.group == "apiextensions.k8s.io" && def.plural == "customresourcedefinitions" {
            self.registry.set_crd(&obj);
        }
        Ok(obj)
    }

    /// Kind-specific preparation on create: initial status, CRD acceptance.
    fn prepare_create(&mut self, def: &ResourceDef, obj: &mut Value) -> ApiResult<()> {
        match (def.group.as_str(), def.plural.as_str()) {
            ("", "namespaces") => {
                let name = meta_str(obj, "name").to_string();
                obj["status"] = json!({"phase": "Active"});
                obj["spec"] = json!({"finalizers": ["kubernetes"]});
                if !obj["metadata"]["labels"].is_object() {
                    obj["metadata"]["labels"] = json!({});
                }
                obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = json!(name);
            }
            ("", "pods") => {
                obj["status"] = json!({"phase": "Pending", "qosClass": "BestEffort"});
            }
            ("", "nodes") => {}
            ("apiextensions.k8s.io", "customresourcedefinitions") => {
                lifecycle::validate_crd(&self.registry, obj)?;
                obj["status"] = lifecycle::crd_status(obj);
            }
            _ => {
                if def.status
                    && let Some(m) = obj.as_object_mut()
                {
                    m.remove("status");
                }
            }
        }
        Ok(())
    }

    fn allocate_service(&mut self, obj: &mut Value, old: Option<&Value>) {
        let spec = &mut obj["spec"];
        if !spec.is_object() {
            return;
        }
        if let Some(old) = old {
            for f in ["clusterIP", "clusterIPs"] {
                if spec[f].is_null() && !old["spec"][f].is_null() {
                    spec[f] = old["spec"][f].clone();
                }
            }
        }
        let ty = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
        if ty != "ExternalName" && spec["clusterIP"].is_null() {
            self.next_ip += 1;
            let n = self.next_ip;
            let ip = format!("10.96.{}.{}", (n >> 8) & 0xff, n & 0xff);
            spec["clusterIP"] = json!(ip);
            spec["clusterIPs"] = json!([ip]);
        }
        if matches!(ty.as_str(), "NodePort" | "LoadBalancer")
            && let Some(ports) = spec["ports"].as_array_mut()
        {
            let old_ports = old
                .and_then(|o| o["spec"]["ports"].as_array().cloned())
                .unwrap_or_default();
            for p in ports.iter_mut().filter(|p| p.is_object()) {
                if p["nodePort"].is_null() {
                    let previous = old_ports
                        .iter()
                        .find(|op| op["port"] == p["port"])
                        .and_then(|op| op["nodePort"].as_u64());
                    let port = match previous {
                        Some(n) => n,
                        None => {
                            self.next_node_port = if self.next_node_port >= 32767 {
                                30000
                            } else {
                                self.next_node_port + 1
                            };
                            u64::from(self.next_node_port)
                        }
                    };
                    p["nodePort"] = json!(port);
                }
            }
        }
        if obj["status"].is_null() {
            obj["status"] = json!({"loadBalancer": {}});
        }
    }

    /// The common update path: preconditions, immutable metadata, status rules, generation,
    /// managedFields, finalization, no-op detection, event.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn commit_update(
        &mut self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        current: &Arc<Value>,
        mut obj: Value,
        sub: Subresource,
        opts: &WriteOptions,
        applied_or_sub: Option<&str>,
    ) -> ApiResult<Arc<Value>> {
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the request body is not a JSON object",
            ));
        }
        if !obj["metadata"].is_object() {
            obj["metadata"] = json!({});
        }
        let rv = meta_str(&obj, "resourceVersion");
        if !rv.is_empty() && rv != meta_str(current, "resourceVersion") {
            return Err(ApiError::conflict(&def.group, &def.plural, name));
        }
        let body_ns = meta_str(&obj, "namespace");
        if def.namespaced && !body_ns.is_empty() && body_ns != namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        let mut new = match sub {
            Subresource::Main => {
                let mut new = obj;
                if def.status || def.group.is_empty() && def.plural == "namespaces" {
                    match current.get("status") {
                        Some(s) => new["status"] = s.clone(),
                        None => {
                            if let Some(m) = new.as_object_mut() {
                                m.remove("status");
                            }
                        }
                    }
                }
                new
            }
            Subresource::Status => {
                let mut new = (**current).clone();
                match obj.get("status") {
                    Some(s) if !s.is_null() => new["status"] = s.clone(),
                    _ => {
                        if let Some(m) = new.as_object_mut() {
                            m.remove("status");
                        }
                    }
                }
                if applied_or_sub == Some("apply") {
                    new["metadata"]["managedFields"] = obj["metadata"]["managedFields"].clone();
                }
                new
            }
        };
        for f in [
            "name",
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
        ] {
            match current["metadata"].get(f) {
                Some(v) => new["metadata"][f] = v.clone(),
                None => {
                    if let Some(m) = new["metadata"].as_object_mut() {
                        m.remove(f);
                    }
                }
            }
        }
        if def.namespaced {
            new["metadata"]["namespace"] = json!(namespace);
        } else if let Some(m) = new["metadata"].as_object_mut() {
            m.remove("namespace");
        }
        new["apiVersion"] = json!(def.storage_api_version());
        new["kind"] = json!(def.kind);
        if def.group.is_empty() && def.plural == "namespaces" {
            new["spec"] = current["spec"].clone();
            // The API server keeps this label on every write; clients cannot remove or change it.
            if !new["metadata"]["labels"].is_object() {
                new["metadata"]["labels"] = json!({});
            }
            new["metadata"]["labels"]["kubernetes.io/metadata.name"] = json!(name);
        }
        defaults::apply(&def.kind, &mut new);
        if def.group.is_empty() && def.plural == "services" {
            self.allocate_service(&mut new, Some(current));
        }
        let subname = match (sub, applied_or_sub) {
            (Subresource::Status, _) => "status",
            (_, Some("scale")) => "scale",
            _ => "",
        };
        let admit = admission::Admit {
            operation: admission::Operation::Update,
            def,
            subresource: subname,
            namespace,
            old: Some(current),
            dry_run: opts.dry_run,
        };
        self.admit(admit, &mut new)?;
        let is_crd =
            def.group == "apiextensions.k8s.io" && def.plural == "customresourcedefinitions";
        if is_crd && sub == Subresource::Main {
            lifecycle::validate_crd(&self.registry, &new)?;
            new["status"] = lifecycle::crd_status(&new);
        }
        validate_metadata(def, &new)?;
        if spec_part(&new) != spec_part(current) {
            let g = current["metadata"]["generation"].as_i64().unwrap_or(0) + 1;
            new["metadata"]["generation"] = json!(g);
        }
        if applied_or_sub != Some("apply") {
            let now = util::now();
            let who = Manager {
                name: &opts.field_manager,
                api_version: &def.api_version(),
                time: &now,
                subresource: subname,
            };
            patch::track_update(Some(current), &mut new, &who, &schema_for(def));
        }
        new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"].clone();
        if new == **current {
            return Ok(current.clone());
        }
        if opts.dry_run {
            return Ok(Arc::new(new));
        }
        let finalize = !new["metadata"]["deletionTimestamp"].is_null()
            && new["metadata"]["finalizers"]
                .as_array()
                .is_none_or(|f| f.is_empty());
        let rv = self.next_rv();
        new["metadata"]["resourceVersion"] = json!(rv.to_string());
        let new = Arc::new(new);
        let ns = State::scope_ns(def, namespace).to_string();
        self.table_mut(&def.group, &def.plural)
            .insert((ns.clone(), name.to_string()), new.clone());
        self.emit(
            EventType::Modified,
            &def.group,
            &def.plural,
            new.clone(),
            Some(current.clone()),
        );
        if is_crd {
            self.registry.set_crd(&new);
        }
        if finalize {
            let key = ObjectKey {
                group: def.group.clone(),
                resource: def.plural.clone(),
                namespace: ns,
                name: name.to_string(),
            };
            self.remove(&key);
        }
        Ok(new)
    }

    fn patch(
        &mut self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        patch: Patch,
        sub: Subresource,
        opts: &WriteOptions,
    ) -> ApiResult<(Arc<Value>, bool)> {
        let current = self.get(def, namespace, name);
        if let Patch::Apply { body, force } = &patch {
            return self.apply(def, namespace, name, current.ok(), body, *force, sub, opts);
        }
        let current = current?;
        let mut obj = (*current).clone();
        let invalid = |msg: String| ApiError::new(422, "Invalid", msg);
        match &patch {
            Patch::Json(p) => patch::json_patch(&mut obj, p).map_err(|e| invalid(e.0))?,
            Patch::Merge(p) => {
                if !p.is_object() {
                    return Err(ApiError::bad_request("merge patch must be a JSON object"));
                }
                patch::merge_patch(&mut obj, p)
            }
            Patch::Strategic(p) => {
                if def.custom {
                    return Err(ApiError::unsupported_media_type(
                        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                    ));
                }
                patch::strategic_merge(&mut obj, p, &schema_for(def)).map_err(|e| invalid(e.0))?
            }
            Patch::Apply { .. } => {}
        }
        // The patched resourceVersion is a precondition only when the patch changed it.
        let out = self.commit_update(def, namespace, name, &current, obj, sub, opts, None)?;
        Ok((out, false))
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        def: &ResourceDef,
        namespace: &str,
        name: &str,
        current: Option<Arc<Value>>,
        body: &Value,
        force: bool,
        sub: Subresource,
        opts: &WriteOptions,
    ) -> ApiResult<(Arc<Value>, bool)> {
        if opts.field_manager.is_empty() {
            return Err(ApiError::invalid(
                &def.group,
                &def.kind,
                name,
                vec![Cause::new(
                    "FieldValueRequired",
                    "fieldManager",
                    "Required value: is required for apply patch",
                )],
            ));
        }
        if !body.is_object() {
            return Err(ApiError::bad_request(
                "apply patch must be a JSON or YAML object",
            ));
        }
        let (group, version) =
            crate::resources::split_api_version(body["apiVersion"].as_str().unwrap_or_default());
        if body["kind"].as_str() != Some(def.kind.as_str())
            || group != def.group
            || version.is_empty()
        {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({}) does not match the expected API version ({})",
                body["apiVersion"].as_str().unwrap_or_default(),
                def.api_version()
            )));
        }
        let body_name = meta_str(body, "name");
        if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let rv = meta_str(body, "resourceVersion");
        if let Some(cur) = &current
            && !rv.is_empty()
            && rv != meta_str(cur, "resourceVersion")
        {
            return Err(ApiError::conflict(&def.group, &def.plural, name));
        }
        let now = util::now();
        let subname = if sub == Subresource::Status {
            "status"
        } else {
            ""
        };
        let who = Manager {
            name: &opts.field_manager,
            api_version: &def.api_version(),
            time: &now,
            subresource: subname,
        };
        let mut applied = body.clone();
        if sub == Subresource::Main
            && def.status
            && let Some(m) = applied.as_object_mut()
        {
            m.remove("status");
        }
        let schema = schema_for(def);
        let result =
            patch::apply(current.as_deref(), &applied, &who, force, &schema).map_err(|e| {
                let patch::ApplyError::Conflicts(conflicts) = e;
                let n = conflicts.len();
                let list: Vec<String> = conflicts.iter().map(|c| c.message()).collect();
                let mut err = ApiError::new(
                    409,
                    "Conflict",
                    format!(
                        "Apply failed with {n} conflict{}: {}",
                        if n == 1 { "" } else { "s" },
                        list.join("\n")
                    ),
                );
                err.details.group = Some(def.group.clone());
                err.details.kind = Some(def.plural.clone());
                err.details.name = Some(name.to_string());
                err.details.causes = conflicts
                    .iter()
                    .map(|c| Cause::new("FieldManagerConflict", &c.field, c.message()))
                    .collect();
                err
            })?;
        match current {
            None => {
                if sub == Subresource::Status {
                    return Err(ApiError::not_found(&def.group, &def.plural, name));
                }
                let obj = self.create(def, namespace, result, opts, Some("apply"))?;
                Ok((obj, true))
            }
            Some(cur) => {
                let mut result = result;
                result["metadata"]["resourceVersion"] = Value::Null;
                let out = self.commit_update(
                    def,
                    namespace,
                    name,
                    &cur,
                    result,
                    sub,
                    opts,
                    Some("apply"),
                )?;
                Ok((out, false))
            }
        }
    }
}

fn iter_count<'a>(iter: &mut Entries<'a>, matches: &impl Fn(&Arc<Value>) -> bool) -> usize {
    iter.filter(|(_, o)| matches(o)).count()
}

#[cfg(test)]
mod tests;
