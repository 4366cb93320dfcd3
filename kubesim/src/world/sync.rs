//! Reconcilers: read what the store holds, ask the pure controller logic what should be, write
//! the difference back.

use std::collections::BTreeSet;
use std::time::{Instant, SystemTime};

use serde_json::{Value, json};

use super::cluster::{Key, PodTrack, Shared};
use super::events::EventSpec;
use super::net::{self, ServiceAddresses};
use super::{
    cronjobs, daemonsets, deployments, endpoints, jobs, meta, nodes, pods, replicasets, services,
    statefulsets,
};
use crate::store::Store;
use crate::util;

type Res = (&'static str, &'static str, &'static str);
const PODS: Res = ("", "v1", "pods");
const NODES: Res = ("", "v1", "nodes");
const SERVICES: Res = ("", "v1", "services");
const ENDPOINTS: Res = ("", "v1", "endpoints");
const SLICES: Res = ("discovery.k8s.io", "v1", "endpointslices");
const EVENTS: Res = ("", "v1", "events");
const DEPLOYMENTS: Res = ("apps", "v1", "deployments");
const REPLICASETS: Res = ("apps", "v1", "replicasets");
const STATEFULSETS: Res = ("apps", "v1", "statefulsets");
const DAEMONSETS: Res = ("apps", "v1", "daemonsets");
const JOBS: Res = ("batch", "v1", "jobs");
const CRONJOBS: Res = ("batch", "v1", "cronjobs");

fn get(store: &Store, r: Res, ns: &str, name: &str) -> Option<Value> {
    store.get(r.0, r.1, r.2, ns, name).ok()
}

fn list(store: &Store, r: Res, ns: Option<&str>) -> Vec<Value> {
    store.list(r.0, r.1, r.2, ns).unwrap_or_default()
}

fn owned_by(store: &Store, r: Res, owner: &Value) -> Vec<Value> {
    let uid = meta::uid(owner);
    list(store, r, Some(meta::namespace(owner)))
        .into_iter()
        .filter(|o| meta::controlled_by(o, uid))
        .collect()
}

fn create(store: &Store, r: Res, ns: &str, obj: Value) -> Option<Value> {
    store.create(r.0, r.1, r.2, ns, obj).ok()
}

fn delete(store: &Store, r: Res, ns: &str, name: &str) {
    let _ = store.delete(r.0, r.1, r.2, ns, name);
}

fn set_status(store: &Store, r: Res, obj: &Value, status: &Value) {
    if obj["status"] != *status {
        let status = status.clone();
        let _ = store.modify_status(r.0, r.1, r.2, meta::namespace(obj), meta::name(obj), |o| {
            o["status"] = status
        });
    }
}

/// Records an event about `involved` (repeats raise `count`).
pub(crate) fn record(store: &Store, involved: &Value, ev: &EventSpec, host: Option<&str>) {
    let now = util::now();
    let obj = ev.to_object(involved, host, &now);
    let ns = obj["metadata"]["namespace"]
        .as_str()
        .unwrap_or("default")
        .to_string();
    let name = meta::name(&obj).to_string();
    if store
        .create(EVENTS.0, EVENTS.1, EVENTS.2, &ns, obj)
        .is_err()
    {
        let _ = store.modify(EVENTS.0, EVENTS.1, EVENTS.2, &ns, &name, |e| {
            e["count"] = json!(e["count"].as_i64().unwrap_or(1) + 1);
            e["lastTimestamp"] = json!(now);
        });
    }
}

/// Creates (or refreshes) this instance's nodes.
pub(crate) fn ensure_nodes(shared: &Shared, store: &Store) {
    let now = util::now();
    for i in 0..shared.nodes.len() {
        let node = nodes::node_object(&shared.opts.nodes, &shared.block, i, &now);
        let name = meta::name(&node).to_string();
        if create(store, NODES, "", node.clone()).is_none() {
            let (spec, status) = (node["spec"].clone(), node["status"].clone());
            let _ = store.modify(NODES.0, NODES.1, NODES.2, "", &name, |o| {
                o["spec"] = spec;
                o["metadata"]["labels"] = node["metadata"]["labels"].clone();
            });
            let _ = store.modify_status(NODES.0, NODES.1, NODES.2, "", &name, |o| {
                o["status"] = status
            });
        }
    }
}

/// Keys for every object the world manages.
pub(crate) fn everything(store: &Store, out: &mut BTreeSet<Key>) {
    let keys = |r: Res, f: &dyn Fn(String, String) -> Key, out: &mut BTreeSet<Key>| {
        for o in list(store, r, None) {
            out.insert(f(
                meta::namespace(&o).to_string(),
                meta::name(&o).to_string(),
            ));
        }
    };
    keys(DEPLOYMENTS, &Key::Deployment, out);
    keys(REPLICASETS, &Key::ReplicaSet, out);
    keys(STATEFULSETS, &Key::StatefulSet, out);
    keys(DAEMONSETS, &Key::DaemonSet, out);
    keys(JOBS, &Key::Job, out);
    keys(CRONJOBS, &Key::CronJob, out);
    keys(PODS, &Key::Pod, out);
    out.insert(Key::AllServices);
}

/// Keys for time-driven controllers.
pub(crate) fn periodic(store: &Store, out: &mut BTreeSet<Key>) {
    for o in list(store, CRONJOBS, None) {
        out.insert(Key::CronJob(
            meta::namespace(&o).to_string(),
            meta::name(&o).to_string(),
        ));
    }
    for o in list(store, DEPLOYMENTS, None) {
        if !deployments::rollout_complete(&o)
            || meta::condition(&o, "Progressing")
                .is_some_and(|c| c["reason"] != "NewReplicaSetAvailable")
        {
            out.insert(Key::Deployment(
                meta::namespace(&o).to_string(),
                meta::name(&o).to_string(),
            ));
        }
    }
}

pub(crate) fn reconcile(shared: &Shared, store: &Store, key: Key) {
    match key {
        Key::Deployment(ns, n) => deployment(store, &ns, &n),
        Key::ReplicaSet(ns, n) => replica_set(store, &ns, &n),
        Key::StatefulSet(ns, n) => stateful_set(store, &ns, &n),
        Key::DaemonSet(ns, n) => daemon_set(store, &ns, &n),
        Key::Job(ns, n) => job(store, &ns, &n),
        Key::CronJob(ns, n) => cron_job(store, &ns, &n),
        Key::Pod(ns, n) => pod(shared, store, &ns, &n),
        Key::PodGone(uid) => {
            shared.state().pods.remove(&uid);
        }
        Key::Service(ns, n) => service(shared, store, &ns, &n),
        Key::ServicesIn(ns) => {
            for s in list(store, SERVICES, Some(&ns)) {
                service(shared, store, &ns, meta::name(&s));
            }
        }
        Key::AllServices => {
            for s in list(store, SERVICES, None) {
                service(shared, store, meta::namespace(&s), meta::name(&s));
            }
        }
        Key::AllDaemonSets => {
            for d in list(store, DAEMONSETS, None) {
                daemon_set(store, meta::namespace(&d), meta::name(&d));
            }
        }
    }
}

fn deployment(store: &Store, ns: &str, name: &str) {
    let Some(d) = get(store, DEPLOYMENTS, ns, name) else {
        return;
    };
    if meta::terminating(&d) {
        return;
    }
    let rss = owned_by(store, REPLICASETS, &d);
    let plan = deployments::plan(&d, &rss, SystemTime::now());
    if let Some(rs) = plan.create {
        create(store, REPLICASETS, ns, rs);
    }
    for (rs, n) in &plan.scale {
        let desired = meta::replicas(&d).to_string();
        let _ = store.modify(REPLICASETS.0, REPLICASETS.1, REPLICASETS.2, ns, rs, |o| {
            o["spec"]["replicas"] = json!(n);
            o["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] =
                json!(desired);
        });
    }
    for (rs, rev) in &plan.revisions {
        let _ = store.modify(REPLICASETS.0, REPLICASETS.1, REPLICASETS.2, ns, rs, |o| {
            o["metadata"]["annotations"][deployments::REVISION] = json!(rev);
        });
    }
    for rs in &plan.delete {
        delete(store, REPLICASETS, ns, rs);
    }
    for e in &plan.events {
        record(store, &d, e, None);
    }
    if !plan.revision.is_empty()
        && d["metadata"]["annotations"][deployments::REVISION] != plan.revision.as_str()
    {
        let _ = store.modify(DEPLOYMENTS.0, DEPLOYMENTS.1, DEPLOYMENTS.2, ns, name, |o| {
            if !o["metadata"]["annotations"].is_object() {
                o["metadata"]["annotations"] = json!({});
            }
            o["metadata"]["annotations"][deployments::REVISION] = json!(plan.revision);
        });
    }
    set_status(store, DEPLOYMENTS, &d, &plan.status);
}

fn create_pods(store: &Store, owner: &Value, pods: Vec<Value>, component: &'static str) {
    for p in pods {
        if let Some(created) = create(store, PODS, meta::namespace(owner), p) {
            record(
                store,
                owner,
                &EventSpec::normal(
                    component,
                    "SuccessfulCreate",
                    format!("Created pod: {}", meta::name(&created)),
                ),
                None,
            );
        }
    }
}

fn delete_pods(
    store: &Store,
    owner: &Value,
    names: &[String],
    component: &'static str,
    announce: bool,
) {
    for n in names {
        delete(store, PODS, meta::namespace(owner), n);
        if announce {
            record(
                store,
                owner,
                &EventSpec::normal(component, "SuccessfulDelete", format!("Deleted pod: {n}")),
                None,
            );
        }
    }
}

fn replica_set(store: &Store, ns: &str, name: &str) {
    let Some(rs) = get(store, REPLICASETS, ns, name) else {
        return;
    };
    if meta::terminating(&rs) {
        return;
    }
    let pods = owned_by(store, PODS, &rs);
    let plan = replicasets::plan(&rs, &pods);
    let hash = meta::label(&rs, "pod-template-hash")
        .unwrap_or_default()
        .to_string();
    let new: Vec<Value> = (0..plan.create)
        .map(|_| {
            let extra: Vec<(&str, &str)> = if hash.is_empty() {
                Vec::new()
            } else {
                vec![("pod-template-hash", hash.as_str())]
            };
            replicasets::pod_from_template(
                &rs["spec"]["template"],
                meta::owner_ref("apps/v1", "ReplicaSet", &rs),
                replicasets::PodName::Generate(&format!("{name}-")),
                &extra,
            )
        })
        .collect();
    create_pods(store, &rs, new, "replicaset-controller");
    delete_pods(store, &rs, &plan.delete, "replicaset-controller", true);
    set_status(store, REPLICASETS, &rs, &plan.status);
}

fn stateful_set(store: &Store, ns: &str, name: &str) {
    let Some(sts) = get(store, STATEFULSETS, ns, name) else {
        return;
    };
    if meta::terminating(&sts) {
        return;
    }
    let pods = owned_by(store, PODS, &sts);
    let plan = statefulsets::plan(&sts, &pods);
    for p in plan.create {
        create(store, PODS, ns, p);
    }
    delete_pods(store, &sts, &plan.delete, "statefulset-controller", false);
    for e in &plan.events {
        record(store, &sts, e, None);
    }
    set_status(store, STATEFULSETS, &sts, &plan.status);
}

fn daemon_set(store: &Store, ns: &str, name: &str) {
    let Some(ds) = get(store, DAEMONSETS, ns, name) else {
        return;
    };
    if meta::terminating(&ds) {
        return;
    }
    let pods = owned_by(store, PODS, &ds);
    let node_objs = list(store, NODES, None);
    let plan = daemonsets::plan(&ds, &node_objs, &pods);
    create_pods(store, &ds, plan.create, "daemonset-controller");
    delete_pods(store, &ds, &plan.delete, "daemonset-controller", false);
    for e in &plan.events {
        record(store, &ds, e, None);
    }
    set_status(store, DAEMONSETS, &ds, &plan.status);
}

fn job(store: &Store, ns: &str, name: &str) {
    let Some(j) = get(store, JOBS, ns, name) else {
        return;
    };
    if meta::terminating(&j) {
        return;
    }
    let pods = owned_by(store, PODS, &j);
    let plan = jobs::plan(&j, &pods, &util::now());
    if let Some((selector, labels)) = &plan.selector {
        let _ = store.modify(JOBS.0, JOBS.1, JOBS.2, ns, name, |o| {
            o["spec"]["selector"] = selector.clone();
            o["spec"]["template"]["metadata"]["labels"] = labels.clone();
        });
    }
    create_pods(store, &j, plan.create, "job-controller");
    delete_pods(store, &j, &plan.delete, "job-controller", true);
    for e in &plan.events {
        record(store, &j, e, None);
    }
    set_status(store, JOBS, &j, &plan.status);
}

fn cron_job(store: &Store, ns: &str, name: &str) {
    let Some(cj) = get(store, CRONJOBS, ns, name) else {
        return;
    };
    if meta::terminating(&cj) {
        return;
    }
    let js = owned_by(store, JOBS, &cj);
    let plan = cronjobs::plan(&cj, &js, SystemTime::now());
    if let Some(j) = plan.create {
        create(store, JOBS, ns, j);
    }
    for d in &plan.delete {
        delete(store, JOBS, ns, d);
    }
    for e in &plan.events {
        record(store, &cj, e, None);
    }
    set_status(store, CRONJOBS, &cj, &plan.status);
}

fn pod(shared: &Shared, store: &Store, ns: &str, name: &str) {
    let Some(p) = get(store, PODS, ns, name) else {
        return;
    };
    let uid = meta::uid(&p).to_string();
    let finished = matches!(meta::pod_phase(&p), "Succeeded" | "Failed");
    if meta::terminating(&p) || (finished && !shared.state().pods.contains_key(&uid)) {
        return;
    }
    let node_name = p["spec"]["nodeName"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if node_name.is_empty() {
        schedule(shared, store, &p);
        return;
    }
    let Some(index) = shared.nodes.iter().position(|n| n.name == node_name) else {
        return;
    };
    let host_ip = shared.nodes[index].internal_ip.to_string();
    let track = {
        let mut st = shared.state();
        let next = st.next_ip.get(index).copied().unwrap_or(0);
        let fresh = !st.pods.contains_key(&uid);
        let host_network = p["spec"]["hostNetwork"].as_bool() == Some(true);
        // A pod the world has not seen yet but that already ran (a restored state file) keeps
        // its start time and IP, so it does not start over.
        let started = p["status"]["startTime"]
            .as_str()
            .and_then(util::parse_rfc3339);
        let since = started
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .and_then(|ago| Instant::now().checked_sub(ago))
            .unwrap_or_else(Instant::now);
        let known_ip = p["status"]["podIP"]
            .as_str()
            .filter(|ip| !ip.is_empty())
            .map(str::to_string);
        let t = st.pods.entry(uid.clone()).or_insert_with(|| PodTrack {
            scheduled_at: started.unwrap_or_else(SystemTime::now),
            since,
            ip: if host_network {
                host_ip.clone()
            } else {
                known_ip.unwrap_or_else(|| nodes::pod_ip(index, next).to_string())
            },
            wake: None,
        });
        let t = t.clone();
        if fresh && let Some(n) = st.next_ip.get_mut(index) {
            *n += 1;
        }
        t
    };
    let place = pods::Placement {
        node: &node_name,
        host_ip: &host_ip,
        pod_ip: &track.ip,
        scheduled_at: track.scheduled_at,
        elapsed: track.since.elapsed(),
    };
    let step = pods::step(&p, &place, &shared.opts.timing, &util::now());
    set_status(store, PODS, &p, &step.status);
    for e in &step.events {
        record(store, &p, e, Some(&node_name));
    }
    if let Some(w) = step.wake {
        let mut st = shared.state();
        if let Some(t) = st.pods.get_mut(&uid)
            && t.wake != Some(w)
        {
            t.wake = Some(w);
            shared.later(
                Key::Pod(ns.to_string(), name.to_string()),
                w.saturating_sub(place.elapsed),
            );
        }
    }
}

fn schedule(shared: &Shared, store: &Store, p: &Value) {
    let node_objs = list(store, NODES, None);
    let all_pods = list(store, PODS, None);
    let load = |n: &str| {
        all_pods
            .iter()
            .filter(|q| q["spec"]["nodeName"] == n && meta::pod_active(q))
            .count()
    };
    let ours: Vec<Value> = node_objs
        .into_iter()
        .filter(|n| shared.nodes.iter().any(|a| a.name == meta::name(n)))
        .collect();
    let (ns, name) = (meta::namespace(p), meta::name(p));
    match pods::choose_node(p, &ours, &load) {
        Some(node) => {
            let node_name = meta::name(node).to_string();
            let bound = node_name.clone();
            if store
                .modify(PODS.0, PODS.1, PODS.2, ns, name, |o| {
                    o["spec"]["nodeName"] = json!(bound)
                })
                .is_ok()
            {
                record(
                    store,
                    p,
                    &EventSpec::normal(
                        "default-scheduler",
                        "Scheduled",
                        format!("Successfully assigned {ns}/{name} to {node_name}"),
                    ),
                    None,
                );
            }
        }
        None => {
            let status = pods::unschedulable_status(p, ours.len(), &util::now());
            if p["status"] != status {
                let msg = status["conditions"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["type"] == "PodScheduled"))
                    .and_then(|c| c["message"].as_str())
                    .unwrap_or_default()
                    .to_string();
                set_status(store, PODS, p, &status);
                record(
                    store,
                    p,
                    &EventSpec::warning("default-scheduler", "FailedScheduling", msg),
                    None,
                );
            }
        }
    }
}

fn service(shared: &Shared, store: &Store, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    let Some(svc) = get(store, SERVICES, ns, name) else {
        release(shared, &key);
        if get(store, ENDPOINTS, ns, name).is_some_and(|e| {
            e["metadata"]["labels"]["endpoints.kubernetes.io/managed-by"] == "endpoint-controller"
        }) {
            delete(store, ENDPOINTS, ns, name);
        }
        return;
    };
    if endpoints::service_selector(&svc).is_some() {
        let pods = list(store, PODS, Some(ns));
        sync_endpoints(shared, store, &svc, &pods);
    }
    load_balancer(shared, store, &svc);
}

fn sync_endpoints(shared: &Shared, store: &Store, svc: &Value, pods: &[Value]) {
    let (ns, name) = (meta::namespace(svc), meta::name(svc));
    let mut ep = endpoints::endpoints(svc, pods);
    ep["metadata"]["labels"]["endpoints.kubernetes.io/managed-by"] = json!("endpoint-controller");
    match get(store, ENDPOINTS, ns, name) {
        None => {
            create(store, ENDPOINTS, ns, ep);
        }
        Some(cur) => {
            if cur["subsets"] != ep["subsets"]
                || cur["metadata"]["labels"] != ep["metadata"]["labels"]
            {
                let _ = store.modify(ENDPOINTS.0, ENDPOINTS.1, ENDPOINTS.2, ns, name, |o| {
                    o["metadata"]["labels"] = ep["metadata"]["labels"].clone();
                    match ep.get("subsets") {
                        Some(s) => o["subsets"] = s.clone(),
                        None => {
                            if let Some(m) = o.as_object_mut() {
                                m.remove("subsets");
                            }
                        }
                    }
                });
            }
        }
    }
    let zone = shared.opts.nodes.zone.clone();
    let slice = endpoints::endpoint_slice(svc, pods, &|n| {
        shared
            .nodes
            .iter()
            .any(|a| a.name == n)
            .then(|| zone.clone())
    });
    let existing = list(store, SLICES, Some(ns)).into_iter().find(|s| {
        meta::label(s, "kubernetes.io/service-name") == Some(name)
            && meta::controlled_by(s, meta::uid(svc))
    });
    match existing {
        None => {
            create(store, SLICES, ns, slice);
        }
        Some(cur) => {
            let same = ["endpoints", "ports", "addressType"]
                .iter()
                .all(|k| cur[*k] == slice[*k])
                && cur["metadata"]["labels"] == slice["metadata"]["labels"];
            if !same {
                let _ = store.modify(SLICES.0, SLICES.1, SLICES.2, ns, meta::name(&cur), |o| {
                    for k in ["endpoints", "ports", "addressType"] {
                        o[k] = slice[k].clone();
                    }
                    o["metadata"]["labels"] = slice["metadata"]["labels"].clone();
                });
            }
        }
    }
}

fn release(shared: &Shared, key: &(String, String)) {
    let was_served = {
        let mut st = shared.state();
        st.lb_slots.remove(key);
        st.lb_errors.remove(key);
        st.served.remove(key).is_some()
    };
    if was_served && let Some(l) = shared.listener() {
        l.stop(&key.0, &key.1);
    }
}

fn load_balancer(shared: &Shared, store: &Store, svc: &Value) {
    let key = (
        meta::namespace(svc).to_string(),
        meta::name(svc).to_string(),
    );
    if !services::has_node_ports(svc) {
        release(shared, &key);
        return;
    }
    let mode = services::lb_mode(svc, &shared.lb_mode());
    let lb = services::is_load_balancer(svc);
    let ip = if lb && mode == super::config::LoadBalancerMode::Ip {
        let mut st = shared.state();
        let slot = match st.lb_slots.get(&key) {
            Some(s) => Some(*s),
            None => {
                let used: BTreeSet<usize> = st.lb_slots.values().copied().collect();
                let free = (0..)
                    .take_while(|k| shared.block.lb_ip(*k).is_some())
                    .find(|k| !used.contains(k));
                if let Some(f) = free {
                    st.lb_slots.insert(key.clone(), f);
                }
                free
            }
        };
        slot.and_then(|s| shared.block.lb_ip(s))
    } else {
        None
    };
    let addrs = ServiceAddresses {
        nodes: shared.nodes.iter().map(|n| n.external_ip).collect(),
        load_balancer: ip,
    };
    let fingerprint = format!(
        "{}|{:?}|{:?}",
        svc["metadata"]["resourceVersion"], addrs, mode
    );
    let fresh = shared.state().served.get(&key) != Some(&fingerprint);
    let outcome = if !fresh {
        shared
            .state()
            .lb_errors
            .get(&key)
            .cloned()
            .map_or(Ok(()), Err)
    } else {
        let r = match shared.listener() {
            Some(l) => l.serve(svc, &addrs),
            None => ip.map_or(Ok(()), |ip| net::probe_ports(svc, ip)),
        };
        let mut st = shared.state();
        st.served.insert(key.clone(), fingerprint);
        match &r {
            Ok(()) => {
                st.lb_errors.remove(&key);
            }
            Err(e) => {
                st.lb_errors.insert(key.clone(), e.clone());
            }
        }
        r
    };
    if !lb {
        return;
    }
    let status = match (&mode, ip, &outcome) {
        (super::config::LoadBalancerMode::Ip, Some(ip), Ok(())) => {
            services::lb_status_ip(&ip.to_string())
        }
        (super::config::LoadBalancerMode::Hostname, _, _) => {
            services::lb_status_hostname(&services::lb_hostname(svc, LB_REGION))
        }
        _ => services::lb_status_pending(),
    };
    if let (true, Some(ip), Err(reason)) = (fresh, ip, &outcome) {
        tracing::warn!(service = %format!("{}/{}", key.0, key.1), address = %ip, "load balancer stays pending: {reason}");
        record(
            store,
            svc,
            &EventSpec::warning(
                "service-controller",
                "SyncLoadBalancerFailed",
                format!("Error syncing load balancer: failed to ensure load balancer: {reason}"),
            ),
            None,
        );
    } else if outcome.is_ok()
        && svc["status"] != status
        && status["loadBalancer"]["ingress"].is_array()
    {
        record(
            store,
            svc,
            &EventSpec::normal(
                "service-controller",
                "EnsuredLoadBalancer",
                "Ensured load balancer",
            ),
            None,
        );
    }
    set_status(store, SERVICES, svc, &status);
}

/// EKS hostnames carry an AWS region.
const LB_REGION: &str = "us-west-2";
