//! The HTTP side of the data plane: listeners on a Service's node addresses (nodePorts) and
//! load-balancer address, answering with what the routing decided.
//!
//! A Service whose ready pods are an Istio gateway (an `istio-proxy` container running
//! `proxy router`) routes by Gateway/VirtualService; any other Service answers like kube-proxy
//! forwarding to one of its ready pods.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request as HttpRequest, Response, StatusCode};
use serde_json::Value;

use super::routing::{self, Cluster, GatewayCtx, Outcome, Request};
use crate::store::Store;
use crate::world::istio::injector::string_map;
use crate::world::{ServiceAddresses, ServiceListener};

struct Bound {
    addr: SocketAddr,
    load_balancer: bool,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Bound {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Which Service port a listener serves.
#[derive(Debug, Clone, Copy)]
struct PortInfo {
    port: i64,
    target: Option<i64>,
}

/// Decides whether a connection from a peer (third argument) may reach a node address (first)
/// at a node port (second): a cloud firewall in front of the nodes.
pub type NodeGate = Arc<dyn Fn(Ipv4Addr, u16, std::net::IpAddr) -> bool + Send + Sync>;

/// The data plane of one simulated cluster.
pub struct Ingress {
    store: Store,
    runtime: tokio::runtime::Handle,
    served: Mutex<HashMap<(String, String), Vec<Bound>>>,
    /// Without a gate every node port answers (a cluster with no firewall in front of it).
    node_gate: Mutex<Option<NodeGate>>,
}

impl std::fmt::Debug for Ingress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingress").finish_non_exhaustive()
    }
}

fn meta<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or_default()
}

impl Ingress {
    /// A data plane reading `store`, serving on `runtime`.
    pub fn new(store: Store, runtime: tokio::runtime::Handle) -> Arc<Ingress> {
        Arc::new(Ingress {
            store,
            runtime,
            served: Mutex::new(HashMap::new()),
            node_gate: Mutex::new(None),
        })
    }

    /// Puts a firewall in front of the node ports: connections it refuses are closed unanswered.
    /// Load-balancer addresses are not gated (the cloud opens those itself).
    pub fn guard_node_ports(&self, gate: NodeGate) {
        *self.node_gate.lock().unwrap_or_else(|e| e.into_inner()) = Some(gate);
    }

    fn node_port_admits(&self, addr: SocketAddr, peer: SocketAddr) -> bool {
        let gate = self
            .node_gate
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match (gate, addr.ip()) {
            (Some(gate), std::net::IpAddr::V4(ip)) => gate(ip, addr.port(), peer.ip()),
            _ => true,
        }
    }

    /// The addresses currently served for a Service.
    pub fn addresses(&self, namespace: &str, name: &str) -> Vec<SocketAddr> {
        let served = self.served.lock().unwrap_or_else(|e| e.into_inner());
        served
            .get(&(namespace.to_string(), name.to_string()))
            .map(|l| l.iter().map(|l| l.addr).collect())
            .unwrap_or_default()
    }

    /// Serves `service` on every node address at its nodePorts and, when given, on the
    /// load-balancer address at its ports. Returns `Err` (and serves no load-balancer port) when a
    /// load-balancer port cannot be bound, e.g. a privileged port without root.
    pub fn serve_service(
        self: &Arc<Self>,
        service: &Value,
        nodes: &[Ipv4Addr],
        load_balancer: Option<Ipv4Addr>,
    ) -> Result<(), String> {
        let key = (
            meta(service, "namespace").to_string(),
            meta(service, "name").to_string(),
        );
        let ports = service["spec"]["ports"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let tcp = |p: &&Value| p["protocol"].as_str().unwrap_or("TCP") == "TCP";
        let mut wanted: Vec<(SocketAddr, PortInfo, bool)> = Vec::new();
        for p in ports.iter().filter(tcp) {
            let Some(port) = p["port"].as_i64() else {
                continue;
            };
            let info = PortInfo {
                port,
                target: p["targetPort"].as_i64(),
            };
            if let Some(node_port) = p["nodePort"].as_u64().and_then(|n| u16::try_from(n).ok()) {
                for ip in nodes {
                    wanted.push((SocketAddr::from((*ip, node_port)), info, false));
                }
            }
            if let (Some(ip), Ok(port)) = (load_balancer, u16::try_from(port)) {
                wanted.push((SocketAddr::from((ip, port)), info, true));
            }
        }
        let mut served = self.served.lock().unwrap_or_else(|e| e.into_inner());
        let mut current = served.remove(&key).unwrap_or_default();
        current.retain(|l| wanted.iter().any(|(a, _, _)| *a == l.addr));
        let mut lb_error = None;
        for (addr, info, is_lb) in wanted {
            if current.iter().any(|l| l.addr == addr) {
                continue;
            }
            match self.listen(addr, &key, info, is_lb) {
                Ok(listener) => current.push(listener),
                Err(e) if is_lb => {
                    lb_error.get_or_insert(format!("cannot listen on {addr}: {e}"));
                }
                Err(_) => {}
            }
        }
        if let Some(err) = lb_error {
            // All or nothing on the load balancer: drop its ports, keep the nodePorts.
            current.retain(|l| !l.load_balancer);
            served.insert(key, current);
            return Err(err);
        }
        served.insert(key, current);
        Ok(())
    }

    /// Stops serving a Service.
    pub fn stop_service(&self, namespace: &str, name: &str) {
        self.served
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(namespace.to_string(), name.to_string()));
    }

    fn listen(
        self: &Arc<Self>,
        addr: SocketAddr,
        key: &(String, String),
        info: PortInfo,
        load_balancer: bool,
    ) -> std::io::Result<Bound> {
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let listener = {
            let _guard = self.runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let this = self.clone();
        let key = key.clone();
        let task = self.runtime.spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    continue;
                };
                if !load_balancer && !this.node_port_admits(addr, peer) {
                    // Dropped by the firewall: closed without an answer.
                    drop(stream);
                    continue;
                }
                let this = this.clone();
                let key = key.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req: HttpRequest<Incoming>| {
                        let response = this.answer(&key, info, &req);
                        async move { Ok::<_, Infallible>(response) }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, svc)
                        .await;
                });
            }
        });
        Ok(Bound {
            addr,
            load_balancer,
            task,
        })
    }

    fn answer(
        &self,
        key: &(String, String),
        info: PortInfo,
        req: &HttpRequest<Incoming>,
    ) -> Response<Full<Bytes>> {
        let request = Request {
            host: req
                .headers()
                .get(hyper::header::HOST)
                .and_then(|h| h.to_str().ok())
                .or(req.uri().host())
                .map(|h| h.rsplit_once(':').map_or(h, |(h, _)| h).to_string())
                .unwrap_or_default(),
            path: req.uri().path().to_string(),
            method: req.method().as_str().to_string(),
            headers: req
                .headers()
                .iter()
                .filter_map(|(k, v)| {
                    Some((
                        k.as_str().to_ascii_lowercase(),
                        v.to_str().ok()?.to_string(),
                    ))
                })
                .collect(),
        };
        respond(&decide(
            &self.store,
            &key.0,
            &key.1,
            info.port,
            info.target,
            &request,
            pick(),
        ))
    }
}

/// The data plane as the world's [`ServiceListener`]: the world offers every NodePort and
/// LoadBalancer Service's addresses, and a load balancer whose ports cannot be bound stays pending.
#[derive(Debug, Clone)]
pub struct DataPlane(pub Arc<Ingress>);

impl ServiceListener for DataPlane {
    fn serve(&self, service: &Value, addrs: &ServiceAddresses) -> Result<(), String> {
        self.0
            .serve_service(service, &addrs.nodes, addrs.load_balancer)
    }

    fn stop(&self, namespace: &str, name: &str) {
        self.0.stop_service(namespace, name);
    }
}

fn pick() -> f64 {
    let bytes = crate::util::random_bytes::<8>();
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// What a request to `namespace/service` at `port` gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Through a gateway's routing.
    Gateway {
        /// The gateway Service `namespace/name`.
        gateway: String,
        /// The routing outcome.
        outcome: Outcome,
        /// The request line, for the body.
        request: String,
    },
    /// Straight to a pod of a plain Service.
    Direct {
        /// Service name.
        service: String,
        /// Namespace.
        namespace: String,
        /// Port.
        port: i64,
        /// Serving pod, or None when no pod is ready.
        pod: Option<(String, String)>,
    },
    /// The Service is gone.
    Gone,
}

fn ready(p: &Value) -> bool {
    p["metadata"]["deletionTimestamp"].is_null()
        && p["status"]["phase"] == "Running"
        && p["status"]["conditions"].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

fn is_gateway_pod(p: &Value) -> bool {
    p["spec"]["containers"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["name"] == "istio-proxy" && c["args"][1] == "router")
    })
}

/// Decides the answer for a request (reads the cluster from `store`).
pub fn decide(
    store: &Store,
    namespace: &str,
    name: &str,
    port: i64,
    target: Option<i64>,
    req: &Request,
    pick: f64,
) -> Answer {
    let Ok(svc) = store.get("", "v1", "services", namespace, name) else {
        return Answer::Gone;
    };
    let selector = string_map(
        &serde_json::json!({"metadata": {"labels": svc["spec"]["selector"].clone()}}),
        "labels",
    );
    let mut pods: Vec<Value> = if selector.is_empty() {
        Vec::new()
    } else {
        store
            .list("", "v1", "pods", Some(namespace))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| {
                let labels = string_map(p, "labels");
                selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .filter(ready)
            .collect()
    };
    pods.sort_by(|a, b| meta(a, "name").cmp(meta(b, "name")));
    let request = format!("{} {}", req.method, req.path);
    if let Some(gw_pod) = pods.iter().find(|p| is_gateway_pod(p)) {
        let list = |g: &str, r: &str| -> Vec<Value> {
            ["v1", "v1beta1", "v1alpha3"]
                .iter()
                .find_map(|v| store.list(g, v, r, None).ok())
                .unwrap_or_default()
        };
        let cluster = Cluster {
            gateways: list("networking.istio.io", "gateways"),
            virtual_services: list("networking.istio.io", "virtualservices"),
            destination_rules: list("networking.istio.io", "destinationrules"),
            services: store.list("", "v1", "services", None).unwrap_or_default(),
            pods: store.list("", "v1", "pods", None).unwrap_or_default(),
        };
        let target_port = target.unwrap_or(port);
        let ctx = GatewayCtx {
            namespace: namespace.to_string(),
            pod_labels: string_map(gw_pod, "labels"),
            service_port: port,
            target_port,
        };
        return Answer::Gateway {
            gateway: format!("{namespace}/{name}"),
            outcome: routing::route(&ctx, req, &cluster, pick),
            request,
        };
    }
    let chosen = (!pods.is_empty()).then(|| {
        let p = &pods[((pick * 7919.0) as usize) % pods.len()];
        (
            meta(p, "name").to_string(),
            p["status"]["podIP"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    });
    Answer::Direct {
        service: name.to_string(),
        namespace: namespace.to_string(),
        port,
        pod: chosen,
    }
}

fn text(status: StatusCode, body: String, headers: &[(&str, String)]) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .header("server", "istio-envoy");
    for (k, v) in headers {
        builder = builder.header(*k, v.as_str());
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// The HTTP response for an answer.
pub fn respond(answer: &Answer) -> Response<Full<Bytes>> {
    match answer {
        Answer::Gone => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "no healthy upstream".into(),
            &[],
        ),
        Answer::Direct { pod: None, .. } => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "no healthy upstream".into(),
            &[],
        ),
        Answer::Direct {
            service,
            namespace,
            port,
            pod: Some((pod, ip)),
        } => text(
            StatusCode::OK,
            format!(
                "kubesim: {service}:{port} ({service}.{namespace}.svc.cluster.local) served by pod {pod} ({ip})\n"
            ),
            &[("x-kubesim-pod", pod.clone())],
        ),
        Answer::Gateway {
            gateway,
            outcome,
            request,
        } => match outcome {
            Outcome::Routed {
                upstream,
                pod,
                pod_ip,
            } => {
                let subset = upstream
                    .subset
                    .as_ref()
                    .map(|s| format!(" subset {s}"))
                    .unwrap_or_default();
                text(
                    StatusCode::OK,
                    format!(
                        "kubesim ingress {gateway}: {request} -> {}:{} ({}){subset} served by pod {pod} ({pod_ip}) via VirtualService {}\n",
                        upstream.service,
                        upstream.port,
                        upstream.fqdn(),
                        upstream.virtual_service
                    ),
                    &[
                        (
                            "x-kubesim-upstream",
                            format!("{}:{}", upstream.fqdn(), upstream.port),
                        ),
                        ("x-kubesim-pod", pod.clone()),
                        ("x-envoy-upstream-service-time", "1".into()),
                    ],
                )
            }
            Outcome::NoHealthyUpstream(_) | Outcome::UnknownDestination(_) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "no healthy upstream".into(),
                &[],
            ),
            Outcome::NoRoute => text(StatusCode::NOT_FOUND, String::new(), &[]),
            Outcome::Direct { status, body } => text(
                StatusCode::from_u16(*status).unwrap_or(StatusCode::OK),
                body.clone(),
                &[],
            ),
            Outcome::Redirect { status, location } => text(
                StatusCode::from_u16(*status).unwrap_or(StatusCode::MOVED_PERMANENTLY),
                String::new(),
                &[("location", location.clone())],
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::world::istio::{manifests, spec};

    fn create(store: &Store, obj: &Value) {
        crate::world::istio::testing::create(store, obj).unwrap();
    }

    fn running_pod(store: &Store, ns: &str, name: &str, labels: Value, containers: Value) {
        create(
            store,
            &json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
                              "spec": {"containers": containers}}),
        );
        store
            .modify_status("", "v1", "pods", ns, name, |p| {
                p["status"] = json!({"phase": "Running", "podIP": "10.4.0.2", "conditions": [{"type": "Ready", "status": "True"}]});
            })
            .unwrap();
    }

    /// istio-system/istio-ingressgateway as the operator renders it (Service with the given
    /// nodePorts), a ready gateway pod, and bookinfo's productpage.
    fn mesh(node_port_http: u16) -> Store {
        let store = Store::new(1000);
        let iop = json!({"metadata": {"name": "iop", "namespace": "istio-system"}, "spec": {}});
        let plan = spec::plan(&iop, "docker.io/istio", "1.23.0").unwrap();
        for n in ["istio-system", "bookinfo"] {
            create(
                &store,
                &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}),
            );
        }
        for c in manifests::render(&plan, "iop", "istio-system") {
            for o in c.objects {
                let mut body = o.body.clone();
                if body["kind"] == "Service" && body["metadata"]["name"] == "istio-ingressgateway" {
                    body["spec"]["ports"][1]["nodePort"] = json!(node_port_http);
                }
                if body["kind"] == "Deployment"
                    && body["metadata"]["name"] == "istio-ingressgateway"
                {
                    let t = &body["spec"]["template"];
                    running_pod(
                        &store,
                        "istio-system",
                        "istio-ingressgateway-5f-abcde",
                        t["metadata"]["labels"].clone(),
                        t["spec"]["containers"].clone(),
                    );
                }
                create(&store, &body);
            }
        }
        create(
            &store,
            &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "productpage", "namespace": "bookinfo"},
                               "spec": {"selector": {"app": "productpage"}, "ports": [{"name": "http", "port": 9080}]}}),
        );
        running_pod(
            &store,
            "bookinfo",
            "productpage-v1-7d-xyz",
            json!({"app": "productpage", "version": "v1"}),
            json!([{"name": "productpage", "image": "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2"}]),
        );
        store
    }

    fn bookinfo_gateway(store: &Store) -> bool {
        let Some(path) =
            crate::testkit::fixture("istio/samples/bookinfo/networking/bookinfo-gateway.yaml")
        else {
            return false;
        };
        let docs: Vec<Value> =
            serde_saphyr::from_multiple(&std::fs::read_to_string(path).unwrap()).unwrap();
        for mut d in docs.into_iter().filter(|d| d.is_object()) {
            d["metadata"]["namespace"] = json!("bookinfo");
            create(store, &d);
        }
        true
    }

    async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        let status = out.split(' ').nth(1).unwrap().parse().unwrap();
        (
            status,
            out.split_once("\r\n\r\n")
                .map(|(_, b)| b.to_string())
                .unwrap_or_default(),
        )
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[tokio::test]
    async fn the_gateway_answers_bookinfo_on_its_node_port() {
        let port = free_port();
        let store = mesh(port);
        if !bookinfo_gateway(&store) {
            return;
        }
        let ingress = Ingress::new(store.clone(), tokio::runtime::Handle::current());
        let svc = store
            .get("", "v1", "services", "istio-system", "istio-ingressgateway")
            .unwrap();
        ingress
            .serve_service(&svc, &[Ipv4Addr::LOCALHOST], None)
            .unwrap();
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        assert!(
            ingress
                .addresses("istio-system", "istio-ingressgateway")
                .contains(&addr)
        );
        let (status, body) = get(addr, "/productpage").await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("productpage:9080"), "{body}");
        assert!(body.contains("productpage-v1-7d-xyz"), "{body}");
        assert_eq!(get(addr, "/nothing").await.0, 404);
        store
            .modify_status("", "v1", "pods", "bookinfo", "productpage-v1-7d-xyz", |p| {
                p["status"]["conditions"][0]["status"] = json!("False")
            })
            .unwrap();
        assert_eq!(
            get(addr, "/productpage").await,
            (503, "no healthy upstream".to_string())
        );
        ingress.stop_service("istio-system", "istio-ingressgateway");
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }

    #[tokio::test]
    async fn a_firewall_in_front_of_the_nodes_closes_what_it_does_not_admit() {
        let port = free_port();
        let store = mesh(port);
        if !bookinfo_gateway(&store) {
            return;
        }
        let ingress = Ingress::new(store.clone(), tokio::runtime::Handle::current());
        let open = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let gate_open = open.clone();
        ingress.guard_node_ports(Arc::new(move |ip, p, peer| {
            assert_eq!((ip, p), (Ipv4Addr::LOCALHOST, port));
            assert!(peer.is_loopback());
            gate_open.load(std::sync::atomic::Ordering::SeqCst)
        }));
        let svc = store
            .get("", "v1", "services", "istio-system", "istio-ingressgateway")
            .unwrap();
        ingress
            .serve_service(&svc, &[Ipv4Addr::LOCALHOST], None)
            .unwrap();
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        // Refused: the connection is closed before any answer.
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let _ = s
            .write_all(b"GET /productpage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await;
        let mut out = String::new();
        let _ = s.read_to_string(&mut out).await;
        assert_eq!(out, "");
        // Admitted once the rule exists.
        open.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(get(addr, "/productpage").await.0, 200);
    }

    #[tokio::test]
    async fn a_load_balancer_port_that_cannot_be_bound_is_refused_but_node_ports_serve() {
        let port = free_port();
        let store = mesh(port);
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut svc = store
            .get("", "v1", "services", "istio-system", "istio-ingressgateway")
            .unwrap();
        svc["spec"]["ports"] = json!([{"name": "http2", "port": taken.local_addr().unwrap().port(), "targetPort": 8080, "nodePort": port}]);
        let ingress = Ingress::new(store.clone(), tokio::runtime::Handle::current());
        let err = ingress
            .serve_service(&svc, &[Ipv4Addr::LOCALHOST], Some(Ipv4Addr::LOCALHOST))
            .unwrap_err();
        assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
        assert_eq!(
            ingress.addresses("istio-system", "istio-ingressgateway"),
            vec![SocketAddr::from((Ipv4Addr::LOCALHOST, port))]
        );
        // No Gateway objects: the gateway answers 404.
        assert_eq!(
            get(
                SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                "/productpage"
            )
            .await
            .0,
            404
        );
    }

    #[tokio::test]
    async fn a_plain_service_answers_from_one_of_its_pods() {
        let store = mesh(free_port());
        let port = free_port();
        let svc = json!({"metadata": {"name": "productpage", "namespace": "bookinfo"},
                         "spec": {"selector": {"app": "productpage"}, "ports": [{"port": 9080, "nodePort": port}]}});
        let ingress = Ingress::new(store.clone(), tokio::runtime::Handle::current());
        ingress
            .serve_service(&svc, &[Ipv4Addr::LOCALHOST], None)
            .unwrap();
        let (status, body) = get(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), "/").await;
        assert_eq!(status, 200);
        assert!(
            body.contains("productpage:9080") && body.contains("productpage-v1-7d-xyz"),
            "{body}"
        );
    }
}
