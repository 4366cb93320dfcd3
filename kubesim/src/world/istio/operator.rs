//! The in-cluster Istio operator (1.23 behaviour), simulated: it acts only when a real operator
//! would — the IstioOperator CRD exists, a Deployment running an `<hub>/operator:<tag>` image is
//! Available, its ServiceAccount is bound to a ClusterRole granting what the operator chart grants,
//! and the IstioOperator is in one of its watched namespaces (`WATCH_NAMESPACE`). It then installs
//! what the spec asks for, reports progress in `status`, and writes what it does to its pod's log.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::manifests::{self, ComponentObjects, OWNER_NAME, OWNER_NAMESPACE};
use super::{rbac, spec};
use crate::store::Store;
use crate::util;

/// The finalizer the operator puts on IstioOperators so that deleting one removes what it installed.
pub const FINALIZER: &str = "istio-finalizer.install.istio.io";
const FIELD_MANAGER: &str = "istio-operator";
const IOP: (&str, &str, &str) = ("install.istio.io", "v1alpha1", "istiooperators");

/// Resources whose changes can matter to the operator.
pub fn relevant(group: &str, resource: &str) -> bool {
    matches!(
        (group, resource),
        ("install.istio.io", _)
            | ("apiextensions.k8s.io", "customresourcedefinitions")
            | ("apps", "deployments")
            | ("", "pods" | "serviceaccounts" | "namespaces")
            | (
                "rbac.authorization.k8s.io",
                "clusterroles" | "clusterrolebindings"
            )
    )
}

/// Which namespaces an operator watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    /// `WATCH_NAMESPACE=""`: every namespace.
    All,
    /// The listed namespaces.
    Only(Vec<String>),
}

impl Watch {
    /// Parses `WATCH_NAMESPACE` (comma-separated).
    pub fn parse(value: &str) -> Watch {
        let list: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if list.is_empty() {
            Watch::All
        } else {
            Watch::Only(list)
        }
    }

    /// Whether `namespace` is watched.
    pub fn covers(&self, namespace: &str) -> bool {
        match self {
            Watch::All => true,
            Watch::Only(list) => list.iter().any(|n| n == namespace),
        }
    }
}

/// A running operator.
#[derive(Debug, Clone)]
pub struct Operator {
    /// Namespace of its Deployment.
    pub namespace: String,
    /// Deployment name.
    pub deployment: String,
    /// A Running pod (where its log goes).
    pub pod: Option<String>,
    /// The operator container's name.
    pub container: String,
    /// Hub of its image: the default hub of what it installs.
    pub hub: String,
    /// Tag of its image: the default tag of what it installs.
    pub tag: String,
    /// Watched namespaces.
    pub watch: Watch,
    /// `REVISION` env: an operator with a revision only reconciles IstioOperators of that revision.
    pub revision: String,
}

/// Why no operator acts.
#[derive(Debug, Clone)]
pub enum Blocked {
    /// The IstioOperator CRD is not installed.
    NoCrd,
    /// No Deployment runs an operator image.
    NoDeployment,
    /// The operator Deployment is not Available (pending, unpullable image, crashing).
    NotAvailable(String),
    /// Running, but unable to work: the reason is written to its log.
    Broken {
        /// The operator.
        operator: Box<Operator>,
        /// What it logs.
        error: String,
    },
}

fn list(store: &Store, (g, v, r): (&str, &str, &str), namespace: Option<&str>) -> Vec<Value> {
    store.list(g, v, r, namespace).unwrap_or_default()
}

fn meta<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or_default()
}

/// A Deployment's `Available` condition is True and every wanted replica is available.
pub fn deployment_available(d: &Value) -> bool {
    let available = d["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Available" && c["status"] == "True")
    });
    let wanted = d["spec"]["replicas"].as_i64().unwrap_or(1);
    available && d["status"]["availableReplicas"].as_i64().unwrap_or(0) >= wanted
}

fn pod_running(p: &Value) -> bool {
    p["metadata"]["deletionTimestamp"].is_null() && p["status"]["phase"] == "Running"
}

fn selector_labels(d: &Value) -> BTreeMap<String, String> {
    d["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The Running pods of a Deployment (by its selector's matchLabels), by name.
pub fn deployment_pods(store: &Store, d: &Value) -> Vec<Value> {
    let want = selector_labels(d);
    let mut pods: Vec<Value> = list(store, ("", "v1", "pods"), Some(meta(d, "namespace")))
        .into_iter()
        .filter(|p| {
            let labels = super::injector::string_map(p, "labels");
            !want.is_empty() && want.iter().all(|(k, v)| labels.get(k) == Some(v))
        })
        .filter(pod_running)
        .collect();
    pods.sort_by(|a, b| meta(a, "name").cmp(meta(b, "name")));
    pods
}

fn env_value(container: &Value, name: &str) -> Option<String> {
    container["env"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == name)
        .map(|e| e["value"].as_str().unwrap_or_default().to_string())
}

/// Looks for a working operator in the cluster.
pub fn find(store: &Store) -> Result<Operator, Blocked> {
    if store
        .get(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "",
            "istiooperators.install.istio.io",
        )
        .is_err()
    {
        return Err(Blocked::NoCrd);
    }
    let mut candidates: Vec<(Value, Value)> = Vec::new();
    for d in list(store, ("apps", "v1", "deployments"), None) {
        let containers = d["spec"]["template"]["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(c) = containers.into_iter().find(|c| {
            c["image"]
                .as_str()
                .and_then(spec::split_image)
                .is_some_and(|(_, name, _)| name == "operator")
        }) {
            candidates.push((d, c));
        }
    }
    if candidates.is_empty() {
        return Err(Blocked::NoDeployment);
    }
    candidates.sort_by_key(|(d, _)| !deployment_available(d));
    let (d, c) = candidates.remove(0);
    let namespace = meta(&d, "namespace").to_string();
    if !deployment_available(&d) {
        return Err(Blocked::NotAvailable(format!(
            "deployment {namespace}/{} is not available",
            meta(&d, "name")
        )));
    }
    let image = c["image"].as_str().unwrap_or_default();
    let (hub, _, tag) =
        spec::split_image(image).unwrap_or(("docker.io/istio", "operator", "latest"));
    let operator = Operator {
        namespace: namespace.clone(),
        deployment: meta(&d, "name").to_string(),
        pod: deployment_pods(store, &d)
            .first()
            .map(|p| meta(p, "name").to_string()),
        container: c["name"].as_str().unwrap_or("istio-operator").to_string(),
        hub: hub.to_string(),
        tag: tag.to_string(),
        watch: Watch::parse(&env_value(&c, "WATCH_NAMESPACE").unwrap_or_default()),
        revision: env_value(&c, "REVISION").unwrap_or_default(),
    };
    let pod_spec = &d["spec"]["template"]["spec"];
    let sa = pod_spec["serviceAccountName"]
        .as_str()
        .or(pod_spec["serviceAccount"].as_str())
        .unwrap_or("default")
        .to_string();
    let broken = |error: String| Blocked::Broken {
        operator: Box::new(operator.clone()),
        error,
    };
    if env_value(&c, "WATCH_NAMESPACE").is_none() {
        return Err(broken(
            "error\tfailed to get watch namespace: WATCH_NAMESPACE must be set".to_string(),
        ));
    }
    let bindings = list(
        store,
        ("rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
        None,
    );
    let roles = list(
        store,
        ("rbac.authorization.k8s.io", "v1", "clusterroles"),
        None,
    );
    let rules = rbac::granted_rules(&bindings, &roles, &namespace, &sa);
    let missing = rbac::missing(&rules, rbac::OPERATOR_NEEDS);
    if let Some((need, verbs)) = missing.first() {
        let group = if need.group.is_empty() {
            String::new()
        } else {
            format!(".{}", need.group)
        };
        let (resource, sub) = need.resource.split_once('/').unwrap_or((need.resource, ""));
        let sub = if sub.is_empty() {
            String::new()
        } else {
            format!("/{sub}")
        };
        return Err(broken(format!(
            "error\tcontroller-runtime\t{resource}{group} is forbidden: User \"system:serviceaccount:{namespace}:{sa}\" cannot {} resource \"{resource}{sub}\" in API group \"{}\" at the cluster scope (missing: {})",
            verbs[0],
            need.group,
            rbac::describe(&missing)
        )));
    }
    Ok(operator)
}

/// Per-IstioOperator memory of the controller.
#[derive(Debug, Default)]
struct IopMemory {
    generation: i64,
    healthy: BTreeSet<&'static str>,
    complete: bool,
}

/// The operator's controller state across passes.
#[derive(Debug, Default)]
pub struct OperatorState {
    iops: HashMap<(String, String), IopMemory>,
    started: BTreeSet<String>,
    last_error: HashMap<String, String>,
}

struct Logger<'a> {
    store: &'a Store,
    target: Option<(String, String, String)>,
}

impl Logger<'_> {
    fn line(&self, level: &str, scope: &str, msg: &str) {
        if let Some((ns, pod, container)) = &self.target {
            let ts = util::rfc3339_micros(SystemTime::now());
            self.store.append_log(
                ns,
                pod,
                container,
                &format!("{ts}\t{level}\t{scope}\t{msg}"),
            );
        }
    }
    fn info(&self, msg: &str) {
        self.line("info", "installer", msg);
    }
}

fn component_done_message(component: &str) -> String {
    match component {
        "Base" => "✔ Istio core installed".into(),
        "Pilot" => "✔ Istiod installed".into(),
        "IngressGateways" => "✔ Ingress gateways installed".into(),
        "EgressGateways" => "✔ Egress gateways installed".into(),
        "Cni" => "✔ CNI installed".into(),
        "Ztunnel" => "✔ Ztunnel installed".into(),
        other => format!("✔ {other} installed"),
    }
}

/// One reconcile pass over every IstioOperator.
pub fn reconcile(store: &Store, state: &mut OperatorState) {
    let operator = match find(store) {
        Ok(op) => op,
        Err(Blocked::Broken { operator, error }) => {
            if let Some(pod) = &operator.pod {
                let log = Logger {
                    store,
                    target: Some((
                        operator.namespace.clone(),
                        pod.clone(),
                        operator.container.clone(),
                    )),
                };
                start(&log, &operator, pod, state);
                if state.last_error.get(pod) != Some(&error) {
                    let (level, rest) = error.split_once('\t').unwrap_or(("error", &error));
                    let (scope, msg) = rest.split_once('\t').unwrap_or(("installer", rest));
                    log.line(level, scope, msg);
                    state.last_error.insert(pod.clone(), error);
                }
            }
            return;
        }
        Err(_) => return,
    };
    let log = Logger {
        store,
        target: operator
            .pod
            .clone()
            .map(|p| (operator.namespace.clone(), p, operator.container.clone())),
    };
    if let Some(pod) = &operator.pod {
        start(&log, &operator, pod, state);
        state.last_error.remove(pod);
    }
    let iops = list(store, IOP, None);
    for iop in &iops {
        let (ns, name) = (
            meta(iop, "namespace").to_string(),
            meta(iop, "name").to_string(),
        );
        if !operator.watch.covers(&ns) {
            continue;
        }
        let iop_rev = iop["spec"]["revision"].as_str().unwrap_or_default();
        if !operator.revision.is_empty() && iop_rev != operator.revision {
            continue;
        }
        reconcile_one(store, &operator, &log, state, iop, &ns, &name);
    }
    // Objects whose IstioOperator is gone (deleted while no operator ran its finalizer).
    let alive: BTreeSet<(String, String)> = iops
        .iter()
        .map(|i| {
            (
                meta(i, "namespace").to_string(),
                meta(i, "name").to_string(),
            )
        })
        .collect();
    for (g, v, r) in manifests::OWNED_KINDS {
        for o in list(store, (g, v, r), None) {
            let labels = &o["metadata"]["labels"];
            let (Some(owner), Some(owner_ns)) = (
                labels[OWNER_NAME].as_str(),
                labels[OWNER_NAMESPACE].as_str(),
            ) else {
                continue;
            };
            if operator.watch.covers(owner_ns)
                && !alive.contains(&(owner_ns.to_string(), owner.to_string()))
            {
                let _ = store.delete(g, v, r, meta(&o, "namespace"), meta(&o, "name"));
            }
        }
    }
    state.iops.retain(|k, _| alive.contains(k));
}

fn start(log: &Logger, operator: &Operator, pod: &str, state: &mut OperatorState) {
    if state.started.insert(pod.to_string()) {
        log.line(
            "info",
            "default",
            &format!("Starting Istio Operator {}", operator.tag),
        );
        let watched = match &operator.watch {
            Watch::All => "all namespaces".to_string(),
            Watch::Only(list) => list.join(","),
        };
        log.line(
            "info",
            "default",
            &format!("Watching namespaces: {watched}"),
        );
        log.line(
            "info",
            "default",
            &format!("Leader election namespace: {}", operator.namespace),
        );
        log.line(
            "info",
            "controller-runtime",
            "Starting Controller {\"controller\": \"istiocontrolplane-controller\"}",
        );
    }
}

fn owned_objects(
    store: &Store,
    ns: &str,
    name: &str,
) -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let mut out = Vec::new();
    for (g, v, r) in manifests::OWNED_KINDS {
        for o in list(store, (g, v, r), None) {
            let labels = &o["metadata"]["labels"];
            if labels[OWNER_NAME].as_str() == Some(name)
                && labels[OWNER_NAMESPACE].as_str() == Some(ns)
            {
                out.push((*g, *v, *r, o));
            }
        }
    }
    out
}

fn set_status(store: &Store, iop: &Value, ns: &str, name: &str, status: Value) {
    if iop["status"] == status {
        return;
    }
    let _ = store.modify_status(IOP.0, IOP.1, IOP.2, ns, name, |o| o["status"] = status);
}

#[allow(clippy::too_many_arguments)]
fn reconcile_one(
    store: &Store,
    operator: &Operator,
    log: &Logger,
    state: &mut OperatorState,
    iop: &Value,
    ns: &str,
    name: &str,
) {
    let key = (ns.to_string(), name.to_string());
    let finalizers: Vec<&str> = iop["metadata"]["finalizers"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !iop["metadata"]["deletionTimestamp"].is_null() {
        if finalizers.contains(&FINALIZER) {
            log.info(&format!("Deleting IstioOperator {ns}/{name}"));
            for (g, v, r, o) in owned_objects(store, ns, name) {
                if store
                    .delete(g, v, r, meta(&o, "namespace"), meta(&o, "name"))
                    .is_ok()
                {
                    log.info(&format!(
                        "Removed {} {}",
                        o["kind"].as_str().unwrap_or(r),
                        object_name(&o)
                    ));
                }
            }
            let _ = store.modify(IOP.0, IOP.1, IOP.2, ns, name, |o| {
                if let Some(list) = o["metadata"]["finalizers"].as_array_mut() {
                    list.retain(|f| f != FINALIZER);
                }
            });
            log.info(&format!("Removed finalizer from IstioOperator {ns}/{name}"));
        }
        state.iops.remove(&key);
        return;
    }
    if !finalizers.contains(&FINALIZER) {
        let _ = store.modify(IOP.0, IOP.1, IOP.2, ns, name, |o| {
            let mut list = o["metadata"]["finalizers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            list.push(json!(FINALIZER));
            o["metadata"]["finalizers"] = Value::Array(list);
        });
    }
    let generation = iop["metadata"]["generation"].as_i64().unwrap_or(1);
    let memory = state.iops.entry(key).or_default();
    let plan = match spec::plan(iop, &operator.hub, &operator.tag) {
        Ok(plan) => plan,
        Err(e) => {
            if memory.generation != generation {
                log.info(&format!("Reconciling IstioOperator {ns}/{name}"));
                log.line(
                    "error",
                    "installer",
                    &format!("failed to reconcile IstioOperator {ns}/{name}: {e}"),
                );
                memory.generation = generation;
            }
            set_status(
                store,
                iop,
                ns,
                name,
                json!({"status": "ERROR", "message": e.to_string()}),
            );
            return;
        }
    };
    let components = manifests::render(&plan, name, ns);
    // Like the real operator, put back what someone deleted.
    let missing_object = components.iter().flat_map(|c| &c.objects).any(|o| {
        let ns = o.body["metadata"]["namespace"].as_str().unwrap_or_default();
        store
            .get(o.group, o.version, o.resource, ns, meta(&o.body, "name"))
            .is_err()
    });
    if memory.generation != generation || missing_object {
        memory.generation = generation;
        memory.healthy.clear();
        memory.complete = false;
        log.info(&format!("Reconciling IstioOperator {ns}/{name}"));
        let mut pending = json!({"status": "RECONCILING", "componentStatus": {}});
        for c in &components {
            pending["componentStatus"][c.component] = json!({"status": "RECONCILING"});
        }
        set_status(store, iop, ns, name, pending);
        install(store, log, &plan, &components, ns, name);
    }
    let current = store
        .get(IOP.0, IOP.1, IOP.2, ns, name)
        .unwrap_or_else(|_| iop.clone());
    let mut status = json!({"status": "HEALTHY", "componentStatus": {}});
    for c in &components {
        let healthy = c.workloads.iter().all(|(wns, wname)| {
            store
                .get("apps", "v1", "deployments", wns, wname)
                .is_ok_and(|d| deployment_available(&d))
        });
        let s = if healthy { "HEALTHY" } else { "RECONCILING" };
        status["componentStatus"][c.component] = json!({"status": s});
        if healthy {
            if memory.healthy.insert(c.component) {
                log.info(&component_done_message(c.component));
            }
        } else {
            status["status"] = json!("RECONCILING");
        }
    }
    if status["status"] == "HEALTHY" && !memory.complete {
        memory.complete = true;
        log.info("✔ Installation complete");
    }
    set_status(store, &current, ns, name, status);
}

fn object_name(o: &Value) -> String {
    let ns = meta(o, "namespace");
    if ns.is_empty() {
        meta(o, "name").to_string()
    } else {
        format!("{ns}/{}", meta(o, "name"))
    }
}

fn install(
    store: &Store,
    log: &Logger,
    plan: &spec::Plan,
    components: &[ComponentObjects],
    ns: &str,
    name: &str,
) {
    let mut namespaces: BTreeSet<String> = BTreeSet::from([plan.namespace.clone()]);
    for c in components {
        for o in &c.objects {
            if let Some(n) = o.body["metadata"]["namespace"].as_str() {
                namespaces.insert(n.to_string());
            }
        }
    }
    for n in namespaces {
        if store.get("", "v1", "namespaces", "", &n).is_err() {
            let created = store.create(
                "",
                "v1",
                "namespaces",
                "",
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}),
            );
            if created.is_ok() {
                log.info(&format!("Creating Namespace {n}"));
            }
        }
    }
    let mut wanted: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    for c in components {
        for o in &c.objects {
            let exists = store
                .get(
                    o.group,
                    o.version,
                    o.resource,
                    o.body["metadata"]["namespace"].as_str().unwrap_or_default(),
                    meta(&o.body, "name"),
                )
                .is_ok();
            match store.apply(
                o.group,
                o.version,
                o.resource,
                o.body.clone(),
                FIELD_MANAGER,
                true,
            ) {
                Ok(_) => log.info(&format!(
                    "{} {}",
                    if exists { "Updating" } else { "Creating" },
                    o.describe()
                )),
                Err(e) => log.line(
                    "error",
                    "installer",
                    &format!("failed to apply {}: {}", o.describe(), e.message),
                ),
            }
            wanted.insert((
                o.resource.to_string(),
                o.group.to_string(),
                o.body["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                meta(&o.body, "name").to_string(),
            ));
        }
    }
    for (g, v, r, o) in owned_objects(store, ns, name) {
        let id = (
            r.to_string(),
            g.to_string(),
            meta(&o, "namespace").to_string(),
            meta(&o, "name").to_string(),
        );
        if !wanted.contains(&id)
            && store
                .delete(g, v, r, meta(&o, "namespace"), meta(&o, "name"))
                .is_ok()
        {
            log.info(&format!(
                "Pruned {} {}",
                o["kind"].as_str().unwrap_or(r),
                object_name(&o)
            ));
        }
    }
}

/// Runs the operator until `shutdown` turns true: a pass after every relevant change (coalesced),
/// and one every `resync` in case a change was missed.
pub async fn run(store: Store, mut shutdown: tokio::sync::watch::Receiver<bool>, resync: Duration) {
    let mut events = store.subscribe();
    let mut state = OperatorState::default();
    loop {
        reconcile(&store, &mut state);
        let mut wake = false;
        while !wake {
            tokio::select! {
                e = events.recv() => match e {
                    Ok(e) => wake = relevant(&e.group, &e.resource),
                    Err(RecvError::Lagged(_)) => wake = true,
                    Err(RecvError::Closed) => return,
                },
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(resync) => wake = true,
            }
        }
        // Coalesce a burst of changes into one pass.
        tokio::time::sleep(Duration::from_millis(5)).await;
        while let Ok(_) | Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) =
            events.try_recv()
        {}
        if *shutdown.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::istio::testing::{OperatorSetup, istio_operator};

    fn create(store: &Store, obj: &Value) {
        crate::world::istio::testing::create(store, obj).unwrap();
    }

    /// Plays kubelet and deployment controller for one Deployment: a Running pod and Available status.
    fn make_available(store: &Store, ns: &str, name: &str) {
        let d = store.get("apps", "v1", "deployments", ns, name).unwrap();
        let labels = d["spec"]["template"]["metadata"]["labels"].clone();
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("{name}-abc12-xyz"), "namespace": ns, "labels": labels},
            "spec": d["spec"]["template"]["spec"].clone()});
        if store
            .get("", "v1", "pods", ns, &format!("{name}-abc12-xyz"))
            .is_err()
        {
            store.create("", "v1", "pods", ns, pod).unwrap();
        }
        store
            .modify_status("", "v1", "pods", ns, &format!("{name}-abc12-xyz"), |p| {
                p["status"] = json!({"phase": "Running", "podIP": "10.1.0.7", "conditions": [{"type": "Ready", "status": "True"}]});
            })
            .unwrap();
        let replicas = d["spec"]["replicas"].as_i64().unwrap_or(1);
        store
            .modify_status("apps", "v1", "deployments", ns, name, |d| {
                d["status"] = json!({"replicas": replicas, "availableReplicas": replicas, "readyReplicas": replicas,
                                     "conditions": [{"type": "Available", "status": "True"}]});
            })
            .unwrap();
    }

    fn with_operator(setup: &OperatorSetup) -> Store {
        let store = Store::new(1000);
        for o in setup.objects() {
            create(&store, &o);
        }
        make_available(&store, &setup.namespace, "istio-operator");
        create(
            &store,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}}),
        );
        store
    }

    fn status(store: &Store, name: &str) -> Value {
        store
            .get(
                "install.istio.io",
                "v1alpha1",
                "istiooperators",
                "istio-system",
                name,
            )
            .unwrap()["status"]
            .clone()
    }

    fn operator_log(store: &Store) -> String {
        store
            .read_log(
                "istio-operator",
                "istio-operator-abc12-xyz",
                "istio-operator",
                0,
            )
            .lines
            .iter()
            .map(|l| l.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_working_operator_installs_the_default_profile_and_reports_healthy() {
        let store = with_operator(&OperatorSetup::default());
        create(
            &store,
            &istio_operator(
                "istio-system",
                "installed-state",
                json!({"profile": "default"}),
            ),
        );
        let mut state = OperatorState::default();
        reconcile(&store, &mut state);
        let st = status(&store, "installed-state");
        assert_eq!(st["status"], "RECONCILING", "{st}");
        assert_eq!(st["componentStatus"]["Pilot"]["status"], "RECONCILING");
        let istiod = store
            .get("apps", "v1", "deployments", "istio-system", "istiod")
            .unwrap();
        assert_eq!(
            istiod["spec"]["template"]["spec"]["containers"][0]["image"],
            "docker.io/istio/pilot:1.23.0"
        );
        let svc = store
            .get("", "v1", "services", "istio-system", "istio-ingressgateway")
            .unwrap();
        assert_eq!(svc["spec"]["type"], "LoadBalancer");
        store
            .get(
                "apiextensions.k8s.io",
                "v1",
                "customresourcedefinitions",
                "",
                "gateways.networking.istio.io",
            )
            .unwrap();
        store
            .get("networking.istio.io", "v1", "gateways", "default", "none")
            .unwrap_err();
        store
            .get(
                "networking.istio.io",
                "v1alpha3",
                "virtualservices",
                "default",
                "none",
            )
            .unwrap_err();
        let iop = store
            .get(
                "install.istio.io",
                "v1alpha1",
                "istiooperators",
                "istio-system",
                "installed-state",
            )
            .unwrap();
        assert_eq!(iop["metadata"]["finalizers"], json!([FINALIZER]));

        make_available(&store, "istio-system", "istiod");
        reconcile(&store, &mut state);
        assert_eq!(
            status(&store, "installed-state")["componentStatus"]["Pilot"]["status"],
            "HEALTHY"
        );
        assert_eq!(status(&store, "installed-state")["status"], "RECONCILING");
        make_available(&store, "istio-system", "istio-ingressgateway");
        reconcile(&store, &mut state);
        assert_eq!(
            status(&store, "installed-state"),
            json!({"status": "HEALTHY", "componentStatus": {"Base": {"status": "HEALTHY"}, "Pilot": {"status": "HEALTHY"}, "IngressGateways": {"status": "HEALTHY"}}})
        );
        let log = operator_log(&store);
        for want in [
            "Watching namespaces: istio-system",
            "Reconciling IstioOperator istio-system/installed-state",
            "Creating Deployment istio-system/istiod",
            "✔ Istiod installed",
            "✔ Ingress gateways installed",
            "✔ Installation complete",
        ] {
            assert!(log.contains(want), "missing {want:?} in\n{log}");
        }
        let rv = store.resource_version();
        reconcile(&store, &mut state);
        assert_eq!(
            store.resource_version(),
            rv,
            "a settled install writes nothing"
        );
    }

    #[test]
    fn deleting_the_istio_operator_removes_what_it_installed() {
        let store = with_operator(&OperatorSetup::default());
        create(
            &store,
            &istio_operator("istio-system", "iop", json!({"profile": "demo"})),
        );
        let mut state = OperatorState::default();
        reconcile(&store, &mut state);
        store
            .get(
                "apps",
                "v1",
                "deployments",
                "istio-system",
                "istio-egressgateway",
            )
            .unwrap();
        store
            .delete(
                "install.istio.io",
                "v1alpha1",
                "istiooperators",
                "istio-system",
                "iop",
            )
            .unwrap();
        reconcile(&store, &mut state);
        assert!(
            store
                .get(
                    "install.istio.io",
                    "v1alpha1",
                    "istiooperators",
                    "istio-system",
                    "iop"
                )
                .is_err()
        );
        for (ns, name) in [
            ("istio-system", "istiod"),
            ("istio-system", "istio-ingressgateway"),
            ("istio-system", "istio-egressgateway"),
        ] {
            assert!(
                store.get("apps", "v1", "deployments", ns, name).is_err(),
                "{name} still there"
            );
        }
        assert!(
            store
                .get(
                    "admissionregistration.k8s.io",
                    "v1",
                    "mutatingwebhookconfigurations",
                    "",
                    "istio-sidecar-injector"
                )
                .is_err()
        );
        assert!(operator_log(&store).contains("Deleting IstioOperator istio-system/iop"));
    }

    #[test]
    fn disabling_a_gateway_prunes_it() {
        let store = with_operator(&OperatorSetup::default());
        create(&store, &istio_operator("istio-system", "iop", json!({})));
        let mut state = OperatorState::default();
        reconcile(&store, &mut state);
        store
            .get(
                "apps",
                "v1",
                "deployments",
                "istio-system",
                "istio-ingressgateway",
            )
            .unwrap();
        store
            .modify(
                "install.istio.io",
                "v1alpha1",
                "istiooperators",
                "istio-system",
                "iop",
                |o| o["spec"]["profile"] = json!("minimal"),
            )
            .unwrap();
        reconcile(&store, &mut state);
        assert!(
            store
                .get(
                    "apps",
                    "v1",
                    "deployments",
                    "istio-system",
                    "istio-ingressgateway"
                )
                .is_err()
        );
        assert!(
            store
                .get("apps", "v1", "deployments", "istio-system", "istiod")
                .is_ok()
        );
    }

    #[test]
    fn deleted_objects_are_put_back() {
        let store = with_operator(&OperatorSetup::default());
        create(
            &store,
            &istio_operator("istio-system", "iop", json!({"profile": "minimal"})),
        );
        let mut state = OperatorState::default();
        reconcile(&store, &mut state);
        let mwc = (
            "admissionregistration.k8s.io",
            "v1",
            "mutatingwebhookconfigurations",
        );
        store
            .delete(mwc.0, mwc.1, mwc.2, "", "istio-sidecar-injector")
            .unwrap();
        reconcile(&store, &mut state);
        assert!(
            store
                .get(mwc.0, mwc.1, mwc.2, "", "istio-sidecar-injector")
                .is_ok()
        );
    }

    #[test]
    fn an_invalid_spec_is_an_error_with_a_message() {
        let store = with_operator(&OperatorSetup::default());
        create(
            &store,
            &istio_operator(
                "istio-system",
                "bad",
                json!({"components": {"mixer": {"enabled": true}}}),
            ),
        );
        reconcile(&store, &mut OperatorState::default());
        let st = status(&store, "bad");
        assert_eq!(st["status"], "ERROR");
        assert!(
            st["message"]
                .as_str()
                .unwrap()
                .contains("unknown field \"mixer\""),
            "{st}"
        );
        assert!(
            store
                .get("apps", "v1", "deployments", "istio-system", "istiod")
                .is_err()
        );
    }

    fn never_reconciles(store: &Store) {
        create(
            store,
            &istio_operator("istio-system", "iop", json!({"profile": "default"})),
        );
        let mut state = OperatorState::default();
        reconcile(store, &mut state);
        reconcile(store, &mut state);
        assert!(status(store, "iop").is_null(), "{}", status(store, "iop"));
        assert!(
            store
                .get("apps", "v1", "deployments", "istio-system", "istiod")
                .is_err()
        );
    }

    #[test]
    fn without_the_cluster_role_binding_nothing_reconciles_and_the_log_says_forbidden() {
        let store = with_operator(&OperatorSetup {
            binding: false,
            ..OperatorSetup::default()
        });
        never_reconciles(&store);
        let log = operator_log(&store);
        assert!(
            log.contains(
                "is forbidden: User \"system:serviceaccount:istio-operator:istio-operator\""
            ),
            "{log}"
        );
    }

    #[test]
    fn an_operator_watching_another_namespace_ignores_the_istio_operator() {
        let store = with_operator(&OperatorSetup {
            watch: "elsewhere".into(),
            ..OperatorSetup::default()
        });
        never_reconciles(&store);
    }

    #[test]
    fn an_operator_that_is_not_available_does_nothing() {
        let store = Store::new(1000);
        for o in OperatorSetup::default().objects() {
            create(&store, &o);
        }
        create(
            &store,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}}),
        );
        never_reconciles(&store);
        assert!(matches!(find(&store), Err(Blocked::NotAvailable(_))));
    }

    #[test]
    fn a_deployment_with_another_image_is_not_an_operator() {
        let store = with_operator(&OperatorSetup {
            image: "docker.io/istio/pilot:1.23.0".into(),
            ..OperatorSetup::default()
        });
        never_reconciles(&store);
        assert!(matches!(find(&store), Err(Blocked::NoDeployment)));
    }

    #[test]
    fn a_weaker_cluster_role_is_not_enough() {
        let store = with_operator(&OperatorSetup::default());
        store
            .modify("rbac.authorization.k8s.io", "v1", "clusterroles", "", "istio-operator", |r| {
                r["rules"] = json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list", "watch"]}]);
            })
            .unwrap();
        never_reconciles(&store);
    }

    #[test]
    fn pods_created_in_labelled_namespaces_get_the_sidecar_once_istiod_is_available() {
        let store = with_operator(&OperatorSetup::default());
        store.add_admission_hook(crate::world::istio::injector::admission_hook());
        create(
            &store,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}}}),
        );
        create(
            &store,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "plain"}}),
        );
        let pod = |name: &str, ns: &str| {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
                                                "spec": {"containers": [{"name": "app", "image": "nginx"}]}})
        };
        let containers = |ns: &str, name: &str| -> Vec<String> {
            let p = store.get("", "v1", "pods", ns, name).unwrap();
            p["spec"]["containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect()
        };
        create(&store, &pod("early", "shop"));
        create(
            &store,
            &istio_operator("istio-system", "iop", json!({"profile": "minimal"})),
        );
        let mut state = OperatorState::default();
        reconcile(&store, &mut state);
        create(&store, &pod("before-istiod", "shop"));
        assert_eq!(
            containers("shop", "before-istiod"),
            ["app"],
            "istiod is not available yet"
        );
        make_available(&store, "istio-system", "istiod");
        create(&store, &pod("web", "shop"));
        create(&store, &pod("web", "plain"));
        assert_eq!(containers("shop", "web"), ["app", "istio-proxy"]);
        assert_eq!(containers("plain", "web"), ["app"]);
        assert_eq!(
            containers("shop", "early"),
            ["app"],
            "existing pods never change"
        );
        let web = store.get("", "v1", "pods", "shop", "web").unwrap();
        assert_eq!(
            web["spec"]["containers"][1]["image"],
            "docker.io/istio/proxyv2:1.23.0"
        );
        assert_eq!(
            web["metadata"]["labels"]["security.istio.io/tlsMode"],
            "istio"
        );
        let mut opt_out = pod("opt-out", "shop");
        opt_out["metadata"]["labels"]["sidecar.istio.io/inject"] = json!("false");
        create(&store, &opt_out);
        assert_eq!(containers("shop", "opt-out"), ["app"]);
        store
            .delete(
                "admissionregistration.k8s.io",
                "v1",
                "mutatingwebhookconfigurations",
                "",
                "istio-sidecar-injector",
            )
            .unwrap();
        create(&store, &pod("after-webhook-gone", "shop"));
        assert_eq!(containers("shop", "after-webhook-gone"), ["app"]);
    }

    #[test]
    fn watch_namespace_parsing() {
        assert_eq!(Watch::parse(""), Watch::All);
        assert!(Watch::parse("").covers("anything"));
        let w = Watch::parse("istio-system, other");
        assert!(w.covers("istio-system") && w.covers("other") && !w.covers("default"));
    }

    #[test]
    fn availability_needs_the_condition_and_the_replicas() {
        let d = json!({"spec": {"replicas": 2}, "status": {"availableReplicas": 2, "conditions": [{"type": "Available", "status": "True"}]}});
        assert!(deployment_available(&d));
        let short = json!({"spec": {"replicas": 2}, "status": {"availableReplicas": 1, "conditions": [{"type": "Available", "status": "True"}]}});
        assert!(!deployment_available(&short));
        assert!(!deployment_available(&json!({"spec": {}, "status": {}})));
    }
}
