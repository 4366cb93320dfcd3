//! The Istio chain end to end with the real kubectl and kube-rs (no rigger): the 1.23 operator
//! installed by hand reconciles an IstioOperator to HEALTHY, labelled namespaces get sidecars on
//! new pods only, and the ingress gateway answers bookinfo's routes over HTTP. Broken operator
//! setups never reconcile.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{Kubectl, TempDir};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::discovery::ApiResource;
use kube::{Client, Config};
use kubesim::world::istio::testing::{OperatorSetup, istio_operator};
use kubesim::{Sim, SimOptions};
use serde_json::{Value, json};

fn cluster(tag: &str) -> Option<Kubectl> {
    cluster_with(tag, SimOptions::cluster())
}

fn cluster_with(tag: &str, options: SimOptions) -> Option<Kubectl> {
    let bin = kubesim::testkit::tool("kubectl")?;
    let sim = Sim::start(options).expect("start kubesim");
    let dir = TempDir::new(tag);
    sim.write_kubeconfig(dir.path().join("kubeconfig"))
        .expect("write kubeconfig");
    Some(Kubectl { sim, bin, dir })
}

/// `kubectl apply -f -` of each object (as JSON).
fn apply(k: &Kubectl, objects: &[Value]) {
    for o in objects {
        k.ok_stdin(&["apply", "-f", "-"], &o.to_string());
    }
}

fn install_operator(k: &Kubectl, setup: &OperatorSetup) {
    install_operator_with(k, setup, json!({"profile": "default"}));
}

fn install_operator_with(k: &Kubectl, setup: &OperatorSetup, iop_spec: Value) {
    apply(k, &setup.objects());
    k.ok(&[
        "rollout",
        "status",
        "deployment/istio-operator",
        "-n",
        &setup.namespace,
        "--timeout=60s",
    ]);
    apply(
        k,
        &[json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}})],
    );
    apply(
        k,
        &[istio_operator("istio-system", "installed-state", iop_spec)],
    );
}

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

fn containers(k: &Kubectl, ns: &str, pod: &str) -> String {
    k.ok(&[
        "get",
        "pod",
        pod,
        "-n",
        ns,
        "-o",
        "jsonpath={.spec.containers[*].name}",
    ])
}

fn pods(k: &Kubectl, ns: &str, selector: &str) -> Vec<String> {
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
    out.split_whitespace().map(str::to_string).collect()
}

fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (
        status,
        out.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default(),
    )
}

async fn client(k: &Kubectl) -> Client {
    let kubeconfig = Kubeconfig::read_from(k.kubeconfig()).unwrap();
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap();
    Client::try_from(config).unwrap()
}

#[test]
fn operator_installs_istio_injects_new_pods_and_the_gateway_routes_bookinfo() {
    let (Some(bookinfo), Some(gateway)) = (
        kubesim::testkit::fixture("istio/samples/bookinfo/platform/kube/bookinfo.yaml"),
        kubesim::testkit::fixture("istio/samples/bookinfo/networking/bookinfo-gateway.yaml"),
    ) else {
        return;
    };
    let Some(k) = cluster("istio-chain") else {
        return;
    };
    install_operator(&k, &OperatorSetup::default());
    k.ok(&[
        "wait",
        "--for=jsonpath={.status.status}=HEALTHY",
        "istiooperator/installed-state",
        "-n",
        "istio-system",
        "--timeout=60s",
    ]);
    let status = k.ok(&[
        "get",
        "iop",
        "installed-state",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.status.componentStatus}",
    ]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(
        status,
        json!({"Base": {"status": "HEALTHY"}, "Pilot": {"status": "HEALTHY"}, "IngressGateways": {"status": "HEALTHY"}})
    );
    let images = k.ok(&[
        "get",
        "deploy",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.items[*].spec.template.spec.containers[*].image}",
    ]);
    assert!(
        images.contains("docker.io/istio/pilot:1.23.0")
            && images.contains("docker.io/istio/proxyv2:1.23.0"),
        "{images}"
    );
    let log = k.ok(&["logs", "deployment/istio-operator", "-n", "istio-operator"]);
    for line in [
        "Reconciling IstioOperator istio-system/installed-state",
        "Creating Deployment istio-system/istiod",
        "✔ Installation complete",
    ] {
        assert!(log.contains(line), "operator log lacks {line:?}:\n{log}");
    }

    // Bookinfo before injection: no sidecars.
    apply(
        &k,
        &[json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bookinfo"}})],
    );
    k.ok(&["apply", "-n", "bookinfo", "-f", bookinfo.to_str().unwrap()]);
    for d in [
        "productpage-v1",
        "details-v1",
        "ratings-v1",
        "reviews-v1",
        "reviews-v2",
        "reviews-v3",
    ] {
        k.ok(&[
            "rollout",
            "status",
            &format!("deployment/{d}"),
            "-n",
            "bookinfo",
            "--timeout=60s",
        ]);
    }
    let old_productpage = pods(&k, "bookinfo", "app=productpage");
    let old_details = pods(&k, "bookinfo", "app=details");
    assert_eq!(
        containers(&k, "bookinfo", &old_productpage[0]),
        "productpage"
    );

    // Label, delete one pod: only the new pod has the sidecar.
    k.ok(&["label", "namespace", "bookinfo", "istio-injection=enabled"]);
    k.ok(&["delete", "pod", &old_productpage[0], "-n", "bookinfo"]);
    let new_productpage = eventually(20, "a new productpage pod", || {
        pods(&k, "bookinfo", "app=productpage")
            .into_iter()
            .find(|p| !old_productpage.contains(p))
    });
    assert_eq!(
        containers(&k, "bookinfo", &new_productpage),
        "productpage istio-proxy"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pods: Api<Pod> = Api::namespaced(client(&k).await, "bookinfo");
        let pod = pods.get(&new_productpage).await.unwrap();
        let annotations = pod.metadata.annotations.unwrap_or_default();
        let status: Value = serde_json::from_str(&annotations["sidecar.istio.io/status"]).unwrap();
        assert_eq!(status["containers"], json!(["istio-proxy"]));
        assert_eq!(status["initContainers"], json!(["istio-init"]));
        let spec = pod.spec.unwrap();
        let proxy = spec
            .containers
            .iter()
            .find(|c| c.name == "istio-proxy")
            .unwrap();
        assert_eq!(
            proxy.image.as_deref(),
            Some("docker.io/istio/proxyv2:1.23.0")
        );
        assert_eq!(
            pod.metadata.labels.unwrap()["security.istio.io/tlsMode"],
            "istio"
        );
        for p in pods
            .list(&ListParams::default().labels("app=details"))
            .await
            .unwrap()
        {
            let names: Vec<String> = p
                .spec
                .unwrap()
                .containers
                .into_iter()
                .map(|c| c.name)
                .collect();
            assert_eq!(
                names,
                ["details"],
                "pods that existed before the label never change"
            );
        }
        let iops: Api<DynamicObject> = Api::namespaced_with(
            client(&k).await,
            "istio-system",
            &ApiResource::from_gvk(&kube::api::GroupVersionKind::gvk(
                "install.istio.io",
                "v1alpha1",
                "IstioOperator",
            )),
        );
        let iop = iops.get("installed-state").await.unwrap();
        assert_eq!(iop.data["status"]["status"], "HEALTHY");
    });
    assert_eq!(pods(&k, "bookinfo", "app=details"), old_details);
    k.ok(&[
        "rollout",
        "status",
        "deployment/productpage-v1",
        "-n",
        "bookinfo",
        "--timeout=60s",
    ]);

    // The gateway routes bookinfo.
    k.ok(&["apply", "-n", "bookinfo", "-f", gateway.to_str().unwrap()]);
    let node_port = k.ok(&[
        "get",
        "svc",
        "istio-ingressgateway",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.spec.ports[?(@.name==\"http2\")].nodePort}",
    ]);
    let node_ip = k.ok(&[
        "get",
        "nodes",
        "-o",
        "jsonpath={.items[0].status.addresses[?(@.type==\"ExternalIP\")].address}",
    ]);
    let node_addr: SocketAddr = format!("{}:{}", node_ip.trim(), node_port.trim())
        .parse()
        .unwrap();
    let (status, body) = http_get(node_addr, "/productpage");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("productpage:9080") && body.contains(&new_productpage),
        "{body}"
    );
    assert_eq!(http_get(node_addr, "/nothing").0, 404);
    // The load balancer address answers too when port 80 could be bound there (root); otherwise it
    // stays pending and clients use the node address.
    let lb_ip = k.ok(&[
        "get",
        "svc",
        "istio-ingressgateway",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.status.loadBalancer.ingress[0].ip}",
    ]);
    if !lb_ip.trim().is_empty() {
        let (status, body) = http_get(
            format!("{}:80", lb_ip.trim()).parse().unwrap(),
            "/productpage",
        );
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("productpage:9080"), "{body}");
    }
}

fn never_healthy(tag: &str, setup: OperatorSetup, log_says: Option<&str>) {
    let Some(k) = cluster(tag) else { return };
    install_operator(&k, &setup);
    // Give a working operator ample time: the default install settles well within this.
    std::thread::sleep(Duration::from_millis(1500));
    let status = k.ok(&[
        "get",
        "iop",
        "installed-state",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.status.status}",
    ]);
    assert_eq!(status.trim(), "", "a broken operator must not reconcile");
    let out = k.run(&["get", "deploy", "istiod", "-n", "istio-system"]);
    assert!(!out.status.success(), "istiod must not exist");
    if let Some(want) = log_says {
        let log = k.ok(&["logs", "deployment/istio-operator", "-n", &setup.namespace]);
        assert!(log.contains(want), "operator log lacks {want:?}:\n{log}");
    }
}

#[test]
fn an_operator_without_its_cluster_role_binding_never_reconciles() {
    never_healthy(
        "istio-no-crb",
        OperatorSetup {
            binding: false,
            ..OperatorSetup::default()
        },
        Some("is forbidden"),
    );
}

#[test]
fn an_operator_watching_another_namespace_never_reconciles() {
    never_healthy(
        "istio-wrong-ns",
        OperatorSetup {
            watch: "istio-operator".into(),
            ..OperatorSetup::default()
        },
        Some("Watching namespaces: istio-operator"),
    );
}

#[test]
fn an_operator_whose_image_cannot_be_pulled_never_reconciles() {
    let Some(k) = cluster("istio-unpullable") else {
        return;
    };
    let setup = OperatorSetup {
        image: "docker.io/istio/operator:1.23.0-doesnotexist".into(),
        ..OperatorSetup::default()
    };
    apply(&k, &setup.objects());
    apply(
        &k,
        &[json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system"}})],
    );
    apply(
        &k,
        &[istio_operator("istio-system", "installed-state", json!({}))],
    );
    eventually(20, "ImagePullBackOff", || {
        let out = k.ok(&[
            "get",
            "pods",
            "-n",
            "istio-operator",
            "-o",
            "jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}",
        ]);
        out.contains("ImagePullBackOff").then_some(())
    });
    let status = k.ok(&[
        "get",
        "iop",
        "installed-state",
        "-n",
        "istio-system",
        "-o",
        "jsonpath={.status.status}",
    ]);
    assert_eq!(status.trim(), "");
}

#[test]
fn new_kubelets_and_the_setting_give_native_sidecars() {
    let mut options = SimOptions::cluster();
    if let Some(world) = options.world.as_mut() {
        world.nodes.kubelet_version = "v1.33.2".into();
    }
    let Some(k) = cluster_with("istio-native", options) else {
        return;
    };
    let env = json!([{"name": "ENABLE_NATIVE_SIDECARS", "value": "true"}]);
    install_operator_with(
        &k,
        &OperatorSetup::default(),
        json!({"profile": "minimal", "components": {"pilot": {"k8s": {"env": env}}}}),
    );
    k.ok(&[
        "wait",
        "--for=jsonpath={.status.status}=HEALTHY",
        "iop/installed-state",
        "-n",
        "istio-system",
        "--timeout=60s",
    ]);
    apply(
        &k,
        &[
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps", "labels": {"istio.io/rev": "default"}}}),
        ],
    );
    apply(
        &k,
        &[
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "apps", "labels": {"app": "web"}},
                       "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}),
        ],
    );
    let inits = k.ok(&[
        "get",
        "pod",
        "web",
        "-n",
        "apps",
        "-o",
        "jsonpath={.spec.initContainers[*].name} {.spec.initContainers[1].restartPolicy}",
    ]);
    assert_eq!(inits.trim(), "istio-init istio-proxy Always");
    assert_eq!(containers(&k, "apps", "web"), "web");
}
