use super::*;

const MS: Duration = Duration::from_millis(1);

fn pod(containers: Value, init: Value, policy: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "demo", "uid": "pod-uid"},
        "spec": {"containers": containers, "initContainers": init, "restartPolicy": policy, "nodeName": "node-0"},
        "status": {"phase": "Pending"}})
}

fn at(p: &Value, ms: u64) -> PodStep {
    let place = Placement {
        node: "node-0",
        host_ip: "127.1.2.10",
        pod_ip: "10.64.0.5",
        scheduled_at: SystemTime::UNIX_EPOCH,
        elapsed: MS * ms as u32,
    };
    step(p, &place, &Timing::default(), "2024-01-01T00:00:00Z")
}

/// Applies steps at the given times, returning the last step and all events.
fn run(mut p: Value, times: &[u64]) -> (Value, Vec<EventSpec>) {
    let mut events = Vec::new();
    for t in times {
        let s = at(&p, *t);
        p["status"] = s.status;
        events.extend(s.events);
    }
    (p, events)
}

fn cond<'a>(p: &'a Value, t: &str) -> &'a str {
    meta::condition(p, t)
        .and_then(|c| c["status"].as_str())
        .unwrap_or("")
}

fn reasons(events: &[EventSpec]) -> Vec<&str> {
    events.iter().map(|e| e.reason.as_str()).collect()
}

#[test]
fn a_normal_pod_creates_then_runs_ready() {
    let p = pod(
        json!([{"name": "app", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}]),
        json!([]),
        "Always",
    );
    let s = at(&p, 10);
    assert_eq!(s.status["phase"], "Pending");
    assert_eq!(
        s.status["containerStatuses"][0]["state"]["waiting"]["reason"],
        "ContainerCreating"
    );
    assert_eq!(s.wake, Some(Timing::default().pod_start));
    assert!(s.status.get("podIP").is_none());
    let (p, events) = run(p, &[10, 200]);
    let st = &p["status"];
    assert_eq!(st["phase"], "Running");
    assert_eq!(st["podIP"], "10.64.0.5");
    assert_eq!(st["hostIP"], "127.1.2.10");
    assert_eq!(st["containerStatuses"][0]["ready"], true);
    assert_eq!(st["containerStatuses"][0]["started"], true);
    assert!(
        st["containerStatuses"][0]["containerID"]
            .as_str()
            .unwrap()
            .starts_with("containerd://")
    );
    for c in [
        "Ready",
        "ContainersReady",
        "Initialized",
        "PodScheduled",
        "PodReadyToStartContainers",
    ] {
        assert_eq!(cond(&p, c), "True", "{c}");
    }
    assert_eq!(reasons(&events), vec!["Pulled", "Created", "Started"]);
    assert_eq!(at(&p, 200).wake, None);
    // Looking again changes nothing and emits nothing.
    let again = at(&p, 5000);
    assert_eq!(again.status, p["status"]);
    assert!(again.events.is_empty());
}

#[test]
fn an_unpullable_image_backs_off() {
    let p = pod(
        json!([{"name": "app", "image": "example.com/app:doesnotexist", "imagePullPolicy": "IfNotPresent"}]),
        json!([]),
        "Always",
    );
    let (p1, ev1) = run(p, &[0, 200]);
    assert_eq!(p1["status"]["phase"], "Pending");
    assert_eq!(
        p1["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
        "ErrImagePull"
    );
    assert_eq!(reasons(&ev1), vec!["Pulling", "Failed", "Failed"]);
    assert!(
        ev1[1].warning
            && ev1[1]
                .message
                .contains("Failed to pull image \"example.com/app:doesnotexist\"")
    );
    let (p2, ev2) = run(p1, &[1000]);
    let w = &p2["status"]["containerStatuses"][0]["state"]["waiting"];
    assert_eq!(w["reason"], "ImagePullBackOff");
    assert_eq!(
        w["message"],
        "Back-off pulling image \"example.com/app:doesnotexist\""
    );
    assert_eq!(reasons(&ev2), vec!["BackOff", "Failed"]);
    assert_eq!(cond(&p2, "Ready"), "False");
    assert_eq!(
        meta::condition(&p2, "Ready").unwrap()["message"],
        "containers with unready status: [app]"
    );
    assert_eq!(at(&p2, 1000).wake, None);
}

#[test]
fn a_crashing_container_loops_with_restarts() {
    let p = pod(
        json!([{"name": "app", "image": "busybox:crashloop"}]),
        json!([]),
        "Always",
    );
    let t = Timing::default();
    let start = t.pod_start.as_millis() as u64;
    let cycle = (t.crash_after + t.crash_backoff).as_millis() as u64;
    let (p1, ev) = run(
        p,
        &[0, start + 10, start + t.crash_after.as_millis() as u64 + 10],
    );
    let cs = &p1["status"]["containerStatuses"][0];
    assert_eq!(cs["state"]["waiting"]["reason"], "CrashLoopBackOff");
    assert_eq!(cs["restartCount"], 1);
    assert_eq!(cs["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(p1["status"]["phase"], "Running");
    assert!(reasons(&ev).contains(&"BackOff"));
    let (p2, ev2) = run(p1, &[start + cycle + 10]);
    let cs = &p2["status"]["containerStatuses"][0];
    assert!(cs["state"]["running"].is_object());
    assert_eq!(cs["restartCount"], 1);
    assert_eq!(reasons(&ev2), vec!["Pulled", "Created", "Started"]);
    let (p3, _) = run(
        p2,
        &[start + 3 * cycle + t.crash_after.as_millis() as u64 + 10],
    );
    assert_eq!(p3["status"]["containerStatuses"][0]["restartCount"], 4);
}

#[test]
fn job_pods_complete_and_crashing_ones_fail() {
    let p = pod(
        json!([{"name": "app", "image": "busybox"}]),
        json!([]),
        "Never",
    );
    let (done, _) = run(p, &[0, 200, 5000]);
    assert_eq!(done["status"]["phase"], "Succeeded");
    assert_eq!(
        done["status"]["containerStatuses"][0]["state"]["terminated"]["reason"],
        "Completed"
    );
    assert_eq!(
        meta::condition(&done, "Ready").unwrap()["reason"],
        "PodCompleted"
    );
    let p = pod(
        json!([{"name": "app", "image": "busybox", "env": [{"name": "KUBESIM_CRASH", "value": "1"}]}]),
        json!([]),
        "Never",
    );
    let (failed, _) = run(p, &[0, 5000]);
    assert_eq!(failed["status"]["phase"], "Failed");
    assert_eq!(
        failed["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"],
        1
    );
}

#[test]
fn init_containers_complete_and_native_sidecars_run() {
    let p = pod(
        json!([{"name": "app", "image": "nginx"}]),
        json!([{"name": "istio-init", "image": "proxyv2"}, {"name": "istio-proxy", "image": "proxyv2", "restartPolicy": "Always"}]),
        "Always",
    );
    let early = at(&p, 0);
    assert_eq!(
        early.status["initContainerStatuses"][0]["state"]["waiting"]["reason"],
        "PodInitializing"
    );
    assert_eq!(
        early.status["containerStatuses"][0]["state"]["waiting"]["reason"],
        "PodInitializing"
    );
    let (p, _) = run(p, &[0, 500]);
    let init = &p["status"]["initContainerStatuses"];
    assert_eq!(init[0]["state"]["terminated"]["reason"], "Completed");
    assert!(init[1]["state"]["running"].is_object());
    assert_eq!(init[1]["ready"], true);
    assert_eq!(p["status"]["phase"], "Running");
    assert_eq!(cond(&p, "Ready"), "True");
}

#[test]
fn an_unpullable_init_container_blocks_the_pod() {
    let p = pod(
        json!([{"name": "app", "image": "nginx"}]),
        json!([{"name": "setup", "image": "invalid.example/setup:1"}]),
        "Always",
    );
    let (p, _) = run(p, &[0, 200]);
    assert_eq!(p["status"]["phase"], "Pending");
    assert_eq!(
        p["status"]["initContainerStatuses"][0]["state"]["waiting"]["reason"],
        "ErrImagePull"
    );
    assert_eq!(
        p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
        "PodInitializing"
    );
    assert_eq!(cond(&p, "Initialized"), "False");
}

#[test]
fn scheduling_honours_node_selectors_and_load() {
    let node = |name: &str, zone: &str| json!({"metadata": {"name": name, "labels": {"zone": zone}}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    let nodes = vec![node("a", "z1"), node("b", "z2"), node("c", "z2")];
    let p = json!({"spec": {}});
    let load = |n: &str| {
        if n == "a" {
            3
        } else if n == "b" {
            1
        } else {
            0
        }
    };
    assert_eq!(meta::name(choose_node(&p, &nodes, &load).unwrap()), "c");
    let p = json!({"spec": {"nodeSelector": {"zone": "z1"}}});
    assert_eq!(meta::name(choose_node(&p, &nodes, &load).unwrap()), "a");
    let p = json!({"spec": {"nodeSelector": {"zone": "z9"}}});
    assert!(choose_node(&p, &nodes, &load).is_none());
    let st = unschedulable_status(&p, 3, "now");
    assert_eq!(st["conditions"][0]["reason"], "Unschedulable");
}

#[test]
fn qos_classes() {
    assert_eq!(
        qos_class(&json!({"spec": {"containers": [{"name": "a"}]}})),
        "BestEffort"
    );
    assert_eq!(
        qos_class(&json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "1"}}}]}})),
        "Burstable"
    );
    assert_eq!(
        qos_class(
            &json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})
        ),
        "Guaranteed"
    );
}
