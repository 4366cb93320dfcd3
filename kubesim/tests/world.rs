//! The simulated cluster's behaviour, driven by the real kubectl and kube-rs: rollouts, restarts,
//! image pull failures, services, nodes, load balancers and faults.

mod common;

use std::time::{Duration, Instant};

use common::{Kubectl, TempDir};
use kubesim::world::{FaultConfig, LoadBalancerMode, ServiceAddresses, ServiceListener};
use kubesim::{Sim, SimOptions};
use serde_json::{Value, json};

fn cluster(tag: &str, opts: SimOptions) -> Option<Kubectl> {
    let bin = kubesim::testkit::tool("kubectl")?;
    let sim = Sim::start(opts).expect("start kubesim");
    let dir = TempDir::new(tag);
    sim.write_kubeconfig(dir.path().join("kubeconfig"))
        .expect("write kubeconfig");
    Some(Kubectl { sim, bin, dir })
}

fn namespace(k: &Kubectl, name: &str) {
    common::namespace(&k.sim, name);
}

/// Polls `f` until it returns Some, for at most `secs`.
fn eventually<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn deployment_yaml(name: &str, image: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: {image}\n        ports:\n        - containerPort: 8080\n          name: http\n"
    )
}

fn pod_names(k: &Kubectl, ns: &str, selector: &str) -> Vec<String> {
    let out = k.ok(&[
        "get",
        "pods",
        "-n",
        ns,
        "-l",
        selector,
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ]);
    let mut v: Vec<String> = out.split_whitespace().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn bookinfo_rolls_out_restarts_and_gets_endpoints() {
    let Some(file) =
        kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml")
    else {
        return;
    };
    let Some(k) = cluster("bookinfo", SimOptions::cluster()) else {
        return;
    };
    namespace(&k, "bookinfo");
    k.ok(&["apply", "-n", "bookinfo", "-f", file.to_str().unwrap()]);
    let deployments = k.ok(&[
        "get",
        "deploy",
        "-n",
        "bookinfo",
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ]);
    let deployments: Vec<&str> = deployments.split_whitespace().collect();
    assert_eq!(deployments.len(), 6, "{deployments:?}");
    for d in &deployments {
        let out = k.ok(&[
            "rollout",
            "status",
            &format!("deployment/{d}"),
            "-n",
            "bookinfo",
            "--timeout=30s",
        ]);
        assert!(out.contains("successfully rolled out"), "{out}");
    }
    k.ok(&[
        "wait",
        "--for=condition=Available",
        "deployment",
        "--all",
        "-n",
        "bookinfo",
        "--timeout=30s",
    ]);
    let pods = k.ok(&["get", "pods", "-n", "bookinfo"]);
    assert_eq!(pods.matches("Running").count(), 6, "{pods}");
    assert_eq!(pods.matches("1/1").count(), 6, "{pods}");

    // Services: ClusterIPs and endpoints from the ready pods.
    let svc: Value =
        serde_json::from_str(&k.ok(&["get", "svc", "productpage", "-n", "bookinfo", "-o", "json"]))
            .unwrap();
    assert!(
        svc["spec"]["clusterIP"]
            .as_str()
            .unwrap()
            .starts_with("10.96."),
        "{svc}"
    );
    let pod_ip = k.ok(&[
        "get",
        "pods",
        "-n",
        "bookinfo",
        "-l",
        "app=productpage",
        "-o",
        "jsonpath={.items[0].status.podIP}",
    ]);
    let ep = eventually(10, "productpage endpoints", || {
        let ep = k.ok(&["get", "endpoints", "productpage", "-n", "bookinfo"]);
        ep.contains(&format!("{pod_ip}:9080")).then_some(ep)
    });
    assert!(ep.contains("productpage"), "{ep}");
    let reviews = k.ok(&[
        "get",
        "endpointslices",
        "-n",
        "bookinfo",
        "-l",
        "kubernetes.io/service-name=reviews",
        "-o",
        "json",
    ]);
    let slices: Value = serde_json::from_str(&reviews).unwrap();
    assert_eq!(
        slices["items"][0]["endpoints"].as_array().unwrap().len(),
        3,
        "reviews v1, v2, v3"
    );

    // Restart: new pods replace the old ones.
    let before = pod_names(&k, "bookinfo", "app=productpage");
    k.ok(&[
        "rollout",
        "restart",
        "deployment/productpage-v1",
        "-n",
        "bookinfo",
    ]);
    k.ok(&[
        "rollout",
        "status",
        "deployment/productpage-v1",
        "-n",
        "bookinfo",
        "--timeout=30s",
    ]);
    let after = eventually(10, "old productpage pods to go", || {
        let now = pod_names(&k, "bookinfo", "app=productpage");
        (now.len() == 1).then_some(now)
    });
    assert_ne!(before, after, "restart must produce a new pod");
    let rs = k.ok(&[
        "get",
        "rs",
        "-n",
        "bookinfo",
        "-l",
        "app=productpage",
        "-o",
        "jsonpath={.items[*].status.replicas}",
    ]);
    let mut counts: Vec<&str> = rs.split_whitespace().collect();
    counts.sort();
    assert_eq!(counts, vec!["0", "1"], "old ReplicaSet scaled to zero");
    let history = k.ok(&[
        "rollout",
        "history",
        "deployment/productpage-v1",
        "-n",
        "bookinfo",
    ]);
    assert!(history.contains('2'), "{history}");
    let events = k.ok(&["get", "events", "-n", "bookinfo"]);
    for reason in [
        "Scheduled",
        "Pulled",
        "Created",
        "Started",
        "ScalingReplicaSet",
        "SuccessfulCreate",
    ] {
        assert!(events.contains(reason), "missing {reason} in\n{events}");
    }
}

#[test]
fn unpullable_image_shows_image_pull_backoff() {
    let Some(k) = cluster("pullbackoff", SimOptions::cluster()) else {
        return;
    };
    namespace(&k, "demo");
    k.ok_stdin(
        &["apply", "-n", "demo", "-f", "-"],
        &deployment_yaml("broken", "example.com/app:doesnotexist", 1),
    );
    let table = eventually(10, "ImagePullBackOff", || {
        let t = k.ok(&["get", "pods", "-n", "demo"]);
        t.contains("ImagePullBackOff").then_some(t)
    });
    assert!(table.contains("0/1"), "{table}");
    let describe = k.ok(&["describe", "pod", "-n", "demo", "-l", "app=broken"]);
    for needle in [
        "ImagePullBackOff",
        "Back-off pulling image \"example.com/app:doesnotexist\"",
        "Failed to pull image",
        "Scheduled",
    ] {
        assert!(describe.contains(needle), "missing {needle} in\n{describe}");
    }
    let err = k.fails(&[
        "rollout",
        "status",
        "deployment/broken",
        "-n",
        "demo",
        "--timeout=1s",
    ]);
    assert!(
        err.contains("timed out") || err.contains("exceeded"),
        "{err}"
    );
    let err = k.fails(&[
        "wait",
        "--for=condition=Available",
        "deployment/broken",
        "-n",
        "demo",
        "--timeout=1s",
    ]);
    assert!(err.contains("timed out"), "{err}");
}

#[test]
fn crashing_pods_loop_with_restarts() {
    let mut opts = SimOptions::cluster();
    if let Some(w) = opts.world.as_mut() {
        w.timing.crash_after = Duration::from_millis(50);
        w.timing.crash_backoff = Duration::from_millis(200);
    }
    let Some(k) = cluster("crash", opts) else {
        return;
    };
    namespace(&k, "demo");
    k.ok_stdin(
        &["apply", "-n", "demo", "-f", "-"],
        &deployment_yaml("crashy", "busybox:crashloop", 1),
    );
    let table = eventually(10, "CrashLoopBackOff with restarts", || {
        let t = k.ok(&["get", "pods", "-n", "demo", "-o", "json"]);
        let v: Value = serde_json::from_str(&t).ok()?;
        let cs = &v["items"][0]["status"]["containerStatuses"][0];
        (cs["restartCount"].as_i64()? >= 2).then_some(t)
    });
    assert!(table.contains("restartCount"));
    eventually(10, "CrashLoopBackOff in the table", || {
        k.ok(&["get", "pods", "-n", "demo"])
            .contains("CrashLoopBackOff")
            .then_some(())
    });
    let describe = k.ok(&["describe", "pod", "-n", "demo", "-l", "app=crashy"]);
    assert!(
        describe.contains("Back-off restarting failed container app"),
        "{describe}"
    );
}

#[test]
fn nodes_are_ready_with_loopback_addresses() {
    let Some(k) = cluster("nodes", SimOptions::cluster()) else {
        return;
    };
    let world = k.sim.world().expect("world").clone();
    let wide = eventually(10, "nodes", || {
        let t = k.ok(&["get", "nodes", "-o", "wide"]);
        (t.matches(" Ready ").count() == 3).then_some(t)
    });
    let n0 = &world.nodes()[0];
    assert!(
        wide.contains(&n0.internal_ip.to_string()) && wide.contains(&n0.external_ip.to_string()),
        "{wide}"
    );
    assert!(wide.contains("v1.32.4"), "{wide}");
    let node: Value =
        serde_json::from_str(&k.ok(&["get", "node", &n0.name, "-o", "json"])).unwrap();
    assert_eq!(
        node["spec"]["providerID"],
        format!("gce://kubesim-project/us-central1-a/{}", n0.name)
    );
    assert_eq!(
        node["metadata"]["labels"]["topology.kubernetes.io/zone"],
        "us-central1-a"
    );
    // A second instance gets a different block.
    let other = Sim::start(SimOptions::cluster()).unwrap();
    assert_ne!(
        other.world().unwrap().address_block(),
        world.address_block()
    );
    std::net::TcpListener::bind((n0.external_ip, 0))
        .expect("node addresses are bindable loopback addresses");
}

struct Refuse;
impl ServiceListener for Refuse {
    fn serve(&self, service: &Value, addrs: &ServiceAddresses) -> Result<(), String> {
        match addrs.load_balancer {
            Some(ip) => Err(format!(
                "cannot bind {ip}:{}: permission denied",
                service["spec"]["ports"][0]["port"]
            )),
            None => Ok(()),
        }
    }
    fn stop(&self, _namespace: &str, _name: &str) {}
}

#[test]
fn services_get_node_ports_and_load_balancers() {
    let Some(k) = cluster("lb", SimOptions::cluster()) else {
        return;
    };
    let world = k.sim.world().expect("world").clone();
    namespace(&k, "demo");
    let svc = |name: &str, ty: &str, annotations: Value| {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "annotations": annotations},
            "spec": {"type": ty, "selector": {"app": name}, "ports": [{"name": "http", "port": 8080, "targetPort": 8080}]}})
    };
    let store = k.sim.store();
    store
        .create(
            "",
            "v1",
            "services",
            "demo",
            svc("np", "NodePort", json!({})),
        )
        .unwrap();
    store
        .create(
            "",
            "v1",
            "services",
            "demo",
            svc("lb", "LoadBalancer", json!({})),
        )
        .unwrap();
    store
        .create(
            "",
            "v1",
            "services",
            "demo",
            svc(
                "eks",
                "LoadBalancer",
                json!({"kubesim.rigger.dev/load-balancer": "hostname"}),
            ),
        )
        .unwrap();
    store
        .create(
            "",
            "v1",
            "services",
            "demo",
            svc(
                "never",
                "LoadBalancer",
                json!({"kubesim.rigger.dev/load-balancer": "pending"}),
            ),
        )
        .unwrap();
    let (x, y) = world.address_block();
    let table = eventually(10, "load balancer addresses", || {
        let t = k.ok(&["get", "svc", "-n", "demo"]);
        (t.contains(&format!("127.{x}.{y}.200")) && t.contains("elb.amazonaws.com")).then_some(t)
    });
    let np: Value =
        serde_json::from_str(&k.ok(&["get", "svc", "np", "-n", "demo", "-o", "json"])).unwrap();
    let port = np["spec"]["ports"][0]["nodePort"].as_u64().unwrap();
    assert!((30000..=32767).contains(&port), "{np}");
    let never = table.lines().find(|l| l.starts_with("never")).unwrap();
    assert!(never.contains("<pending>"), "{table}");

    // A data plane that cannot bind the port keeps the load balancer pending and says why.
    world.set_service_listener(std::sync::Arc::new(Refuse));
    store
        .create(
            "",
            "v1",
            "services",
            "demo",
            svc("refused", "LoadBalancer", json!({})),
        )
        .unwrap();
    let event = eventually(10, "SyncLoadBalancerFailed", || {
        let e = k.ok(&[
            "get",
            "events",
            "-n",
            "demo",
            "--field-selector",
            "involvedObject.name=refused",
        ]);
        e.contains("SyncLoadBalancerFailed").then_some(e)
    });
    assert!(event.contains("permission denied"), "{event}");
    let refused = k.ok(&["get", "svc", "refused", "-n", "demo"]);
    assert!(refused.contains("<pending>"), "{refused}");

    // Switching the mode at run time revisits existing load balancers.
    world.set_load_balancer_mode(LoadBalancerMode::Pending);
    eventually(10, "lb pending", || {
        k.ok(&["get", "svc", "lb", "-n", "demo"])
            .contains("<pending>")
            .then_some(())
    });
}

#[test]
fn statefulsets_daemonsets_and_jobs_run() {
    let Some(k) = cluster("workloads", SimOptions::cluster()) else {
        return;
    };
    namespace(&k, "demo");
    let yaml = r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "agent:1"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: once, image: "busybox:1.36"}]
"#;
    k.ok_stdin(&["apply", "-n", "demo", "-f", "-"], yaml);
    k.ok(&[
        "rollout",
        "status",
        "statefulset/db",
        "-n",
        "demo",
        "--timeout=30s",
    ]);
    k.ok(&[
        "rollout",
        "status",
        "daemonset/agent",
        "-n",
        "demo",
        "--timeout=30s",
    ]);
    k.ok(&[
        "wait",
        "--for=condition=complete",
        "job/once",
        "-n",
        "demo",
        "--timeout=30s",
    ]);
    assert_eq!(pod_names(&k, "demo", "app=db"), vec!["db-0", "db-1"]);
    assert_eq!(pod_names(&k, "demo", "app=agent").len(), 3, "one per node");
    let job = k.ok(&["get", "pods", "-n", "demo", "-l", "job-name=once"]);
    assert!(job.contains("Completed"), "{job}");
    // A bare pod is gone as soon as it is deleted.
    k.ok_stdin(&["apply", "-n", "demo", "-f", "-"], "apiVersion: v1\nkind: Pod\nmetadata: {name: bare}\nspec: {containers: [{name: c, image: nginx}]}\n");
    k.ok(&[
        "wait",
        "--for=condition=Ready",
        "pod/bare",
        "-n",
        "demo",
        "--timeout=30s",
    ]);
    k.ok(&["delete", "pod", "bare", "-n", "demo", "--timeout=10s"]);
    assert!(k.sim.store().get("", "v1", "pods", "demo", "bare").is_err());
}

async fn kube_client(sim: &Sim) -> kube::Client {
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    kube::Client::try_from(config).unwrap()
}

fn create_deployment(sim: &Sim, ns: &str, name: &str) {
    let yaml = deployment_yaml(name, "nginx:1.27", 2);
    let obj: Value = serde_saphyr::from_str(&yaml).unwrap();
    sim.store()
        .create("apps", "v1", "deployments", ns, obj)
        .unwrap();
}

#[test]
fn kube_rs_waits_for_completed_deployments() {
    use k8s_openapi::api::apps::v1::Deployment;
    use kube::runtime::wait::{await_condition, conditions::is_deployment_completed};
    let sim = Sim::start(SimOptions::cluster()).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    common::namespace(&sim, "demo");
    create_deployment(&sim, "demo", "web");
    let done = rt.block_on(async {
        let api: kube::Api<Deployment> = kube::Api::namespaced(kube_client(&sim).await, "demo");
        tokio::time::timeout(
            Duration::from_secs(20),
            await_condition(api, "web", is_deployment_completed()),
        )
        .await
    });
    let d = done
        .expect("completes in time")
        .expect("watch works")
        .expect("exists");
    assert_eq!(d.status.unwrap().available_replicas, Some(2));
}

#[test]
fn with_faults_kubectl_retries_and_kube_rs_watchers_converge() {
    use futures::StreamExt;
    use k8s_openapi::api::apps::v1::Deployment;
    use kube::runtime::{WatchStreamExt, watcher};
    let Some(k) = cluster("faults", SimOptions::cluster()) else {
        return;
    };
    namespace(&k, "demo");
    // kubectl (client-go) retries 429 and 5xx answers that carry Retry-After.
    k.sim
        .faults()
        .set(FaultConfig::parse("errors=0.34,codes=503/429,retry-after=1,latency=5ms").unwrap());
    k.ok_stdin(
        &["apply", "-n", "demo", "-f", "-"],
        &deployment_yaml("web", "nginx:1.27", 2),
    );
    k.ok(&[
        "rollout",
        "status",
        "deployment/web",
        "-n",
        "demo",
        "--timeout=60s",
    ]);
    k.ok(&["get", "pods", "-n", "demo"]);
    assert!(k.sim.faults().injected() > 0, "faults were injected");
    assert!(
        k.sim
            .requests()
            .iter()
            .any(|r| r.status == 503 || r.status == 429)
    );

    // kube-rs: watches dropped after a few events, failing lists and watches, and an API that
    // goes away for a moment; a watcher with backoff still sees a scale-up complete. The
    // Deployment is rolled out before the faults start and scaled only once the watcher has
    // listed it, so the watcher must live through the faults to see the scale-up, however fast
    // the machine.
    k.ok_stdin(
        &["apply", "-n", "demo", "-f", "-"],
        &deployment_yaml("api", "nginx:1.27", 1),
    );
    k.ok(&[
        "rollout",
        "status",
        "deployment/api",
        "-n",
        "demo",
        "--timeout=60s",
    ]);
    k.sim.faults().set(
        FaultConfig::parse("errors.list=0.5,errors.watch=0.5,codes=500/503,watch-events=2")
            .unwrap(),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = rt.block_on(kube_client(&k.sim));
    let api: kube::Api<Deployment> = kube::Api::namespaced(client, "demo");
    let sim_faults = k.sim.faults().clone();
    let seen = rt.block_on(async {
        let stream = watcher(api, watcher::Config::default().fields("metadata.name=api"))
            .default_backoff()
            .applied_objects();
        let mut stream = std::pin::pin!(stream);
        let mut scaled = false;
        let fut = async {
            while let Some(item) = stream.next().await {
                let Ok(d) = item else { continue };
                if !scaled {
                    // The first (listed) state: scale up, then take the API away for a moment.
                    scaled = true;
                    k.ok(&["scale", "deployment/api", "--replicas=3", "-n", "demo"]);
                    sim_faults.take_down(Some(Duration::from_millis(500)));
                    continue;
                }
                let status = d.status.as_ref();
                let done = status.and_then(|s| s.available_replicas) == Some(3)
                    && status.and_then(|s| s.conditions.as_ref()).is_some_and(|c| {
                        c.iter().any(|c| {
                            c.type_ == "Progressing"
                                && c.reason.as_deref() == Some("NewReplicaSetAvailable")
                        })
                    });
                if done {
                    return true;
                }
            }
            false
        };
        tokio::time::timeout(Duration::from_secs(30), fut)
            .await
            .unwrap_or(false)
    });
    assert!(seen, "the watcher converged despite faults");
    let requests = k.sim.requests();
    let watches = requests
        .iter()
        .filter(|r| r.path.ends_with("/deployments") && r.query.contains("watch=true"))
        .count();
    assert!(
        watches >= 2,
        "dropped watches were re-established ({watches} watch requests)"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.status >= 500 && r.path.ends_with("/deployments")),
        "list/watch errors were injected"
    );
    k.sim.faults().clear();
}

#[test]
fn faults_are_off_by_default_and_the_api_comes_back() {
    let Some(k) = cluster("comeback", SimOptions::cluster()) else {
        return;
    };
    k.ok(&["get", "nodes"]);
    assert!(
        k.sim.requests().iter().all(|r| r.status < 400),
        "no injected errors by default"
    );
    k.sim.faults().take_down(None);
    let err = k.fails(&["get", "nodes", "--request-timeout=2s"]);
    assert!(!err.is_empty());
    k.sim.faults().bring_back();
    let nodes = k.ok(&["get", "nodes"]);
    assert!(nodes.contains("Ready"), "{nodes}");
}
