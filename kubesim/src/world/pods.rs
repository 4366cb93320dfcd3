//! The simulated kubelet: a pod's status as a pure function of its spec and the time since it was
//! scheduled, plus the events its transitions produce.
//!
//! Timeline (see [`Timing`]): until `pod_start` containers are `ContainerCreating`; then they run
//! and are ready — unless their image is unpullable (`ErrImagePull`, then `ImagePullBackOff`
//! after `image_pull_backoff`), they crash (run `crash_after`, then `CrashLoopBackOff` for
//! `crash_backoff`, restart, ...) or the pod's restartPolicy is Never/OnFailure (containers
//! complete after `job_duration`). Regular init containers complete at once; native sidecars
//! (init containers with `restartPolicy: Always`) run beside the app containers.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::config::Timing;
use super::events::EventSpec;
use super::images;
use super::meta::{self, CondTimes};
use crate::util;

/// Where and when a pod runs.
#[derive(Debug, Clone)]
pub struct Placement<'a> {
    /// Node name.
    pub node: &'a str,
    /// The node's InternalIP.
    pub host_ip: &'a str,
    /// The pod's IP (the node's for hostNetwork pods).
    pub pod_ip: &'a str,
    /// When the pod was scheduled.
    pub scheduled_at: SystemTime,
    /// Time since then.
    pub elapsed: Duration,
}

/// The kubelet's view of a pod now.
#[derive(Debug, Clone)]
pub struct PodStep {
    /// The full `status`.
    pub status: Value,
    /// Events for transitions since the previous status.
    pub events: Vec<EventSpec>,
    /// Elapsed time (since scheduling) at which the status changes next.
    pub wake: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Waiting(&'static str, String),
    Running {
        started: Duration,
    },
    Terminated {
        code: i64,
        reason: &'static str,
        started: Duration,
        finished: Duration,
    },
}

struct Container<'a> {
    spec: &'a Value,
    name: &'a str,
    image: &'a str,
    init: bool,
    sidecar: bool,
}

struct Computed {
    state: State,
    last: Option<State>,
    restarts: i64,
    ready: bool,
}

fn ts(base: SystemTime, offset: Duration) -> String {
    util::rfc3339(base + offset)
}

fn state_json(s: &State, base: SystemTime, container_id: &str) -> Value {
    match s {
        State::Waiting(reason, msg) => {
            let mut w = json!({"reason": reason});
            if !msg.is_empty() {
                w["message"] = json!(msg);
            }
            json!({"waiting": w})
        }
        State::Running { started } => json!({"running": {"startedAt": ts(base, *started)}}),
        State::Terminated {
            code,
            reason,
            started,
            finished,
        } => json!({"terminated": {
            "exitCode": code, "reason": reason, "startedAt": ts(base, *started), "finishedAt": ts(base, *finished),
            "containerID": container_id,
        }}),
    }
}

fn restart_policy(pod: &Value) -> &str {
    pod["spec"]["restartPolicy"].as_str().unwrap_or("Always")
}

/// QoS class from requests and limits.
pub fn qos_class(pod: &Value) -> &'static str {
    let cs: Vec<&Value> = ["containers", "initContainers"]
        .iter()
        .flat_map(|l| {
            pod["spec"][*l]
                .as_array()
                .map(|a| a.iter().collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect();
    let any = cs.iter().any(|c| {
        c["resources"]["requests"]
            .as_object()
            .is_some_and(|m| !m.is_empty())
            || c["resources"]["limits"]
                .as_object()
                .is_some_and(|m| !m.is_empty())
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = cs.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let lim = &c["resources"]["limits"][*r];
            let req = &c["resources"]["requests"][*r];
            !lim.is_null() && (req.is_null() || req == lim)
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn container_id(pod: &Value, name: &str, restarts: i64) -> String {
    format!(
        "containerd://{}",
        images::hex64(&format!("{}/{name}/{restarts}", meta::uid(pod)))
    )
}

/// Computes the kubelet's status of `pod` at `place.elapsed` and the events since `pod`'s current status.
pub fn step(pod: &Value, place: &Placement<'_>, timing: &Timing, now: &str) -> PodStep {
    let t = place.elapsed;
    let start = timing.pod_start;
    let policy = restart_policy(pod);
    let mut containers = Vec::new();
    for (list, init) in [("initContainers", true), ("containers", false)] {
        for c in pod["spec"][list]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            containers.push(Container {
                spec: c,
                name: c["name"].as_str().unwrap_or_default(),
                image: c["image"].as_str().unwrap_or_default(),
                init,
                sidecar: init && c["restartPolicy"] == "Always",
            });
        }
    }
    let mut wake: Vec<Duration> = Vec::new();
    // A regular init container that cannot be pulled blocks everything after it.
    let blocking_init = containers
        .iter()
        .position(|c| c.init && !c.sidecar && images::unpullable(c.image));
    let mut computed = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let blocked = blocking_init.is_some_and(|b| i > b);
        let st = if t < start {
            wake.push(start);
            let reason = if c.init
                || blocking_init.is_some()
                || containers.iter().any(|c| c.init && !c.sidecar)
            {
                "PodInitializing"
            } else {
                "ContainerCreating"
            };
            Computed {
                state: State::Waiting(reason, String::new()),
                last: None,
                restarts: 0,
                ready: false,
            }
        } else if blocked {
            Computed {
                state: State::Waiting("PodInitializing", String::new()),
                last: None,
                restarts: 0,
                ready: false,
            }
        } else if images::unpullable(c.image) {
            let backoff = start + timing.image_pull_backoff;
            if t < backoff {
                wake.push(backoff);
                let msg = format!(
                    "failed to pull and unpack image \"{}\": failed to resolve reference \"{}\": {}: not found",
                    c.image, c.image, c.image
                );
                Computed {
                    state: State::Waiting("ErrImagePull", msg),
                    last: None,
                    restarts: 0,
                    ready: false,
                }
            } else {
                let msg = format!("Back-off pulling image \"{}\"", c.image);
                Computed {
                    state: State::Waiting("ImagePullBackOff", msg),
                    last: None,
                    restarts: 0,
                    ready: false,
                }
            }
        } else if c.init && !c.sidecar {
            Computed {
                state: State::Terminated {
                    code: 0,
                    reason: "Completed",
                    started: start,
                    finished: start,
                },
                last: None,
                restarts: 0,
                ready: false,
            }
        } else if images::crashes(c.spec) {
            let run = timing.crash_after.max(Duration::from_millis(1));
            let cycle = run + timing.crash_backoff;
            let u = t - start;
            let restarts_allowed = policy != "Never" || c.sidecar;
            if !restarts_allowed {
                if u < run {
                    wake.push(start + run);
                    Computed {
                        state: State::Running { started: start },
                        last: None,
                        restarts: 0,
                        ready: false,
                    }
                } else {
                    Computed {
                        state: State::Terminated {
                            code: 1,
                            reason: "Error",
                            started: start,
                            finished: start + run,
                        },
                        last: None,
                        restarts: 0,
                        ready: false,
                    }
                }
            } else {
                let k = (u.as_nanos() / cycle.as_nanos()) as u32;
                let r = u - cycle * k;
                let began = start + cycle * k;
                let prev = |n: u32| State::Terminated {
                    code: 1,
                    reason: "Error",
                    started: start + cycle * n,
                    finished: start + cycle * n + run,
                };
                if r < run {
                    wake.push(began + run);
                    let last = (k > 0).then(|| prev(k - 1));
                    Computed {
                        state: State::Running { started: began },
                        last,
                        restarts: i64::from(k),
                        ready: false,
                    }
                } else {
                    wake.push(began + cycle);
                    let msg = format!(
                        "back-off {}s restarting failed container={} pod={}_{}({})",
                        timing.crash_backoff.as_secs().max(1),
                        c.name,
                        meta::name(pod),
                        meta::namespace(pod),
                        meta::uid(pod)
                    );
                    Computed {
                        state: State::Waiting("CrashLoopBackOff", msg),
                        last: Some(prev(k)),
                        restarts: i64::from(k) + 1,
                        ready: false,
                    }
                }
            }
        } else if !c.init && policy != "Always" {
            let done = start + timing.job_duration;
            if t < done {
                wake.push(done);
                Computed {
                    state: State::Running { started: start },
                    last: None,
                    restarts: 0,
                    ready: true,
                }
            } else {
                Computed {
                    state: State::Terminated {
                        code: 0,
                        reason: "Completed",
                        started: start,
                        finished: done,
                    },
                    last: None,
                    restarts: 0,
                    ready: false,
                }
            }
        } else {
            Computed {
                state: State::Running { started: start },
                last: None,
                restarts: 0,
                ready: true,
            }
        };
        computed.push(st);
    }
    // Sidecars stop once every app container has finished.
    let apps_done = containers
        .iter()
        .zip(&computed)
        .filter(|(c, _)| !c.init)
        .all(|(_, s)| matches!(s.state, State::Terminated { .. }));
    let any_app = containers.iter().any(|c| !c.init);
    if apps_done && any_app {
        let finished = containers
            .iter()
            .zip(&computed)
            .filter_map(|(c, s)| match s.state {
                State::Terminated { finished, .. } if !c.init => Some(finished),
                _ => None,
            })
            .max()
            .unwrap_or(start);
        for (c, s) in containers.iter().zip(computed.iter_mut()) {
            if c.sidecar && matches!(s.state, State::Running { .. }) {
                s.state = State::Terminated {
                    code: 0,
                    reason: "Completed",
                    started: start,
                    finished,
                };
                s.ready = false;
            }
        }
    }

    let old = &pod["status"];
    let mut events = Vec::new();
    let mut init_statuses = Vec::new();
    let mut statuses = Vec::new();
    for (c, s) in containers.iter().zip(&computed) {
        let cid = container_id(pod, c.name, s.restarts);
        let mut cs = json!({
            "name": c.name,
            "image": c.image,
            "imageID": "",
            "ready": s.ready,
            "restartCount": s.restarts,
            "started": matches!(s.state, State::Running { .. }),
            "state": state_json(&s.state, place.scheduled_at, &cid),
            "lastState": s.last.as_ref().map(|l| state_json(l, place.scheduled_at, &container_id(pod, c.name, s.restarts - 1))).unwrap_or(json!({})),
        });
        if matches!(s.state, State::Running { .. } | State::Terminated { .. }) || s.last.is_some() {
            cs["imageID"] = json!(images::image_id(c.image));
            cs["containerID"] = json!(cid);
        }
        let list = if c.init {
            "initContainers"
        } else {
            "containers"
        };
        let old_list = if c.init {
            "initContainerStatuses"
        } else {
            "containerStatuses"
        };
        let previous = old[old_list]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == c.name));
        events.extend(transition_events(pod, c, s, previous, list));
        if c.init {
            init_statuses.push(cs);
        } else {
            statuses.push(cs);
        }
    }

    // Phase.
    let app: Vec<(&Container, &Computed)> = containers
        .iter()
        .zip(&computed)
        .filter(|(c, _)| !c.init)
        .collect();
    let init_pending = containers.iter().zip(&computed).any(|(c, s)| {
        c.init && !c.sidecar && !matches!(s.state, State::Terminated { code: 0, .. })
    });
    let phase = if t < start || init_pending {
        "Pending"
    } else if !app.is_empty()
        && app
            .iter()
            .all(|(_, s)| matches!(s.state, State::Terminated { .. }))
    {
        if app
            .iter()
            .all(|(_, s)| matches!(s.state, State::Terminated { code: 0, .. }))
        {
            "Succeeded"
        } else {
            "Failed"
        }
    } else if app.iter().any(|(_, s)| {
        matches!(&s.state, State::Waiting(r, _) if *r != "CrashLoopBackOff") && s.restarts == 0
    }) {
        "Pending"
    } else {
        "Running"
    };

    let mut status = json!({"phase": phase});
    let started = t >= start;
    let unready: Vec<&str> = containers
        .iter()
        .zip(&computed)
        .filter(|(c, s)| (!c.init || c.sidecar) && !s.ready)
        .map(|(c, _)| c.name)
        .collect();
    let incomplete: Vec<&str> = containers
        .iter()
        .zip(&computed)
        .filter(|(c, s)| {
            c.init && !c.sidecar && !matches!(s.state, State::Terminated { code: 0, .. })
        })
        .map(|(c, _)| c.name)
        .collect();
    status["conditions"] = old["conditions"].clone();
    let (ready, ready_reason, ready_msg) = if matches!(phase, "Succeeded" | "Failed") {
        ("False", "PodCompleted", String::new())
    } else if unready.is_empty() {
        ("True", "", String::new())
    } else {
        (
            "False",
            "ContainersNotReady",
            format!("containers with unready status: [{}]", unready.join(" ")),
        )
    };
    let set = |status: &mut Value, ty: &str, v: &str, reason: &str, msg: &str| {
        meta::set_condition(status, ty, v, reason, msg, now, CondTimes::Pod)
    };
    set(
        &mut status,
        "PodReadyToStartContainers",
        if started { "True" } else { "False" },
        "",
        "",
    );
    if incomplete.is_empty() {
        set(&mut status, "Initialized", "True", "", "");
    } else {
        set(
            &mut status,
            "Initialized",
            "False",
            "ContainersNotInitialized",
            &format!(
                "containers with incomplete status: [{}]",
                incomplete.join(" ")
            ),
        );
    }
    set(&mut status, "Ready", ready, ready_reason, &ready_msg);
    set(
        &mut status,
        "ContainersReady",
        ready,
        ready_reason,
        &ready_msg,
    );
    set(&mut status, "PodScheduled", "True", "", "");
    sort_conditions(&mut status);
    status["hostIP"] = json!(place.host_ip);
    status["hostIPs"] = json!([{"ip": place.host_ip}]);
    if started {
        status["podIP"] = json!(place.pod_ip);
        status["podIPs"] = json!([{"ip": place.pod_ip}]);
    }
    status["startTime"] = json!(util::rfc3339(place.scheduled_at));
    if !init_statuses.is_empty() {
        status["initContainerStatuses"] = json!(init_statuses);
    }
    status["containerStatuses"] = json!(statuses);
    status["qosClass"] = json!(qos_class(pod));
    let wake = wake.into_iter().filter(|w| *w > t).min();
    PodStep {
        status,
        events,
        wake,
    }
}

const CONDITION_ORDER: [&str; 5] = [
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
];

fn sort_conditions(status: &mut Value) {
    if let Some(conds) = status["conditions"].as_array_mut() {
        conds.sort_by_key(|c| {
            CONDITION_ORDER
                .iter()
                .position(|t| c["type"] == *t)
                .unwrap_or(CONDITION_ORDER.len())
        });
    }
}

fn state_reason(cs: Option<&Value>) -> (&str, i64) {
    let Some(cs) = cs else { return ("", 0) };
    let restarts = cs["restartCount"].as_i64().unwrap_or(0);
    let st = &cs["state"];
    if st["running"].is_object() {
        ("running", restarts)
    } else if st["terminated"].is_object() {
        ("terminated", restarts)
    } else {
        (st["waiting"]["reason"].as_str().unwrap_or(""), restarts)
    }
}

fn transition_events(
    pod: &Value,
    c: &Container<'_>,
    s: &Computed,
    previous: Option<&Value>,
    list: &str,
) -> Vec<EventSpec> {
    let (old, old_restarts) = state_reason(previous);
    let mut out = Vec::new();
    let ev = |e: EventSpec| e.container(list, c.name);
    let pulled = |out: &mut Vec<EventSpec>| {
        if c.spec["imagePullPolicy"] == "Always" {
            out.push(ev(EventSpec::normal(
                "kubelet",
                "Pulling",
                format!("Pulling image \"{}\"", c.image),
            )));
            out.push(ev(EventSpec::normal(
                "kubelet",
                "Pulled",
                format!(
                    "Successfully pulled image \"{}\" in 112ms (112ms including waiting)",
                    c.image
                ),
            )));
        } else {
            out.push(ev(EventSpec::normal(
                "kubelet",
                "Pulled",
                format!("Container image \"{}\" already present on machine", c.image),
            )));
        }
    };
    let started = |out: &mut Vec<EventSpec>| {
        out.push(ev(EventSpec::normal(
            "kubelet",
            "Created",
            format!("Created container: {}", c.name),
        )));
        out.push(ev(EventSpec::normal(
            "kubelet",
            "Started",
            format!("Started container {}", c.name),
        )));
    };
    match &s.state {
        State::Running { .. } | State::Terminated { .. }
            if !matches!(old, "running" | "terminated") || s.restarts > old_restarts =>
        {
            pulled(&mut out);
            started(&mut out);
        }
        State::Waiting("ErrImagePull", msg) if old != "ErrImagePull" => {
            out.push(ev(EventSpec::normal(
                "kubelet",
                "Pulling",
                format!("Pulling image \"{}\"", c.image),
            )));
            out.push(ev(EventSpec::warning(
                "kubelet",
                "Failed",
                format!("Failed to pull image \"{}\": {msg}", c.image),
            )));
            out.push(ev(EventSpec::warning(
                "kubelet",
                "Failed",
                "Error: ErrImagePull",
            )));
        }
        State::Waiting("ImagePullBackOff", _) if old != "ImagePullBackOff" => {
            if old != "ErrImagePull" {
                out.push(ev(EventSpec::warning(
                    "kubelet",
                    "Failed",
                    format!("Failed to pull image \"{}\": not found", c.image),
                )));
            }
            out.push(ev(EventSpec::normal(
                "kubelet",
                "BackOff",
                format!("Back-off pulling image \"{}\"", c.image),
            )));
            out.push(ev(EventSpec::warning(
                "kubelet",
                "Failed",
                "Error: ImagePullBackOff",
            )));
        }
        State::Waiting("CrashLoopBackOff", _)
            if old != "CrashLoopBackOff" || old_restarts != s.restarts =>
        {
            if !matches!(old, "running" | "CrashLoopBackOff") {
                pulled(&mut out);
                started(&mut out);
            }
            out.push(ev(EventSpec::warning(
                "kubelet",
                "BackOff",
                format!(
                    "Back-off restarting failed container {} in pod {}_{}({})",
                    c.name,
                    meta::name(pod),
                    meta::namespace(pod),
                    meta::uid(pod)
                ),
            )));
        }
        _ => {}
    }
    out
}

/// Scheduling: the node for `pod` among `nodes` (name, labels), the least loaded first; None when
/// no node fits the pod's nodeSelector. `load` gives the number of pods per node.
pub fn choose_node<'a>(
    pod: &Value,
    nodes: &'a [Value],
    load: &dyn Fn(&str) -> usize,
) -> Option<&'a Value> {
    let selector = pod["spec"]["nodeSelector"].as_object();
    nodes
        .iter()
        .filter(|n| meta::condition(n, "Ready").is_some_and(|c| c["status"] == "True"))
        .filter(|n| n["spec"]["unschedulable"].as_bool() != Some(true))
        .filter(|n| {
            selector.is_none_or(|sel| sel.iter().all(|(k, v)| n["metadata"]["labels"][k] == *v))
        })
        .min_by_key(|n| (load(meta::name(n)), meta::name(n).to_string()))
}

/// The status of a pod no node fits.
pub fn unschedulable_status(pod: &Value, node_count: usize, now: &str) -> Value {
    let mut status = pod["status"].clone();
    if !status.is_object() {
        status = json!({});
    }
    status["phase"] = json!("Pending");
    let msg = format!(
        "0/{node_count} nodes are available: {node_count} node(s) didn't match Pod's node affinity/selector. preemption: 0/{node_count} nodes are available: {node_count} Preemption is not helpful for scheduling."
    );
    meta::set_condition(
        &mut status,
        "PodScheduled",
        "False",
        "Unschedulable",
        &msg,
        now,
        CondTimes::Pod,
    );
    status["qosClass"] = json!(qos_class(pod));
    status
}

#[cfg(test)]
mod tests;
