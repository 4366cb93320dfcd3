//! Routing decisions of the simulated ingress gateway, from the Gateway, VirtualService and
//! DestinationRule objects in the cluster, the way Istio's gateway Envoy routes HTTP.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::world::istio::injector::string_map;

/// The gateway a request arrived at.
#[derive(Debug, Clone)]
pub struct GatewayCtx {
    /// Namespace of the gateway workload.
    pub namespace: String,
    /// Labels of the gateway's pods (what `Gateway.spec.selector` is matched against).
    pub pod_labels: BTreeMap<String, String>,
    /// The Service port the request came in on.
    pub service_port: i64,
    /// That port's targetPort (the gateway container port).
    pub target_port: i64,
}

/// The parts of an HTTP request routing looks at.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Host (`:authority`), without the port.
    pub host: String,
    /// Path without the query.
    pub path: String,
    /// Method.
    pub method: String,
    /// Headers with lower-case names.
    pub headers: Vec<(String, String)>,
}

/// The cluster objects routing reads.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    /// networking.istio.io Gateways.
    pub gateways: Vec<Value>,
    /// networking.istio.io VirtualServices.
    pub virtual_services: Vec<Value>,
    /// networking.istio.io DestinationRules.
    pub destination_rules: Vec<Value>,
    /// Services.
    pub services: Vec<Value>,
    /// Pods.
    pub pods: Vec<Value>,
}

/// A chosen upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// Service name.
    pub service: String,
    /// Service namespace.
    pub namespace: String,
    /// Service port.
    pub port: i64,
    /// Subset, if the route named one.
    pub subset: Option<String>,
    /// `namespace/name` of the VirtualService that routed.
    pub virtual_service: String,
}

impl Upstream {
    /// `name.namespace.svc.cluster.local`.
    pub fn fqdn(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.service, self.namespace)
    }
}

/// What the gateway does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Forwarded to a ready pod of the destination.
    Routed {
        /// Destination.
        upstream: Upstream,
        /// Name of the serving pod.
        pod: String,
        /// Its IP.
        pod_ip: String,
    },
    /// The destination has no ready endpoints (503 `no healthy upstream`).
    NoHealthyUpstream(Upstream),
    /// The destination host or port does not exist (503 as Envoy answers for an unknown cluster).
    UnknownDestination(String),
    /// No Gateway server, host or route matches (404).
    NoRoute,
    /// `directResponse`.
    Direct {
        /// Status code.
        status: u16,
        /// Body.
        body: String,
    },
    /// `redirect`.
    Redirect {
        /// Status code.
        status: u16,
        /// Location header.
        location: String,
    },
}

fn meta<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or_default()
}

/// Istio host matching: `*`, exact (case-insensitive), or a `*.suffix` wildcard.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.rsplit_once('/').map_or(pattern, |(_, h)| h);
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return host.len() > suffix.len()
            && host
                .to_ascii_lowercase()
                .ends_with(&suffix.to_ascii_lowercase());
    }
    pattern.eq_ignore_ascii_case(host)
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The Gateways (as `namespace/name`) that have a server on this gateway for the request's port
/// and host.
pub fn matching_gateways(gw: &GatewayCtx, req: &Request, gateways: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for g in gateways {
        let selector = g["spec"]["selector"].as_object();
        let selected = match selector {
            Some(sel) if !sel.is_empty() => sel
                .iter()
                .all(|(k, v)| gw.pod_labels.get(k).map(String::as_str) == v.as_str()),
            // An empty selector selects every gateway workload in the Gateway's namespace.
            _ => meta(g, "namespace") == gw.namespace,
        };
        if !selected {
            continue;
        }
        let servers = g["spec"]["servers"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let serves = servers.iter().any(|s| {
            let number = s["port"]["number"].as_i64();
            let protocol = s["port"]["protocol"]
                .as_str()
                .unwrap_or("HTTP")
                .to_ascii_uppercase();
            let plain_http = matches!(protocol.as_str(), "HTTP" | "HTTP2" | "GRPC");
            plain_http
                && (number == Some(gw.service_port) || number == Some(gw.target_port))
                && strings(&s["hosts"])
                    .iter()
                    .any(|h| host_matches(h, &req.host))
        });
        if serves {
            out.push(format!("{}/{}", meta(g, "namespace"), meta(g, "name")));
        }
    }
    out
}

/// Does a VirtualService's `gateways` entry name this Gateway (`ns/name` or a short name in the
/// VirtualService's namespace)?
fn vs_binds(entry: &str, vs_namespace: &str, gateway: &str) -> bool {
    if entry == "mesh" {
        return false;
    }
    let qualified = if entry.contains('/') {
        entry.to_string()
    } else if let Some((name, ns)) = entry.split_once('.') {
        // `name.namespace[.svc.cluster.local]`
        format!("{}/{name}", ns.split('.').next().unwrap_or_default())
    } else {
        format!("{vs_namespace}/{entry}")
    };
    qualified == gateway
}

fn string_match(m: &Value, value: Option<&str>, ignore_case: bool) -> bool {
    let Some(value) = value else { return false };
    let fold = |s: &str| {
        if ignore_case {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    if let Some(exact) = m["exact"].as_str() {
        return fold(exact) == fold(value);
    }
    if let Some(prefix) = m["prefix"].as_str() {
        return fold(value).starts_with(&fold(prefix));
    }
    if let Some(re) = m["regex"].as_str() {
        return regex_lite::Regex::new(&format!("^(?:{re})$")).is_ok_and(|r| r.is_match(value));
    }
    true
}

fn request_matches(m: &Value, req: &Request, gw: &GatewayCtx) -> bool {
    let ignore_case = m["ignoreUriCase"].as_bool() == Some(true);
    if !m["uri"].is_null() && !string_match(&m["uri"], Some(&req.path), ignore_case) {
        return false;
    }
    if !m["method"].is_null() && !string_match(&m["method"], Some(&req.method), false) {
        return false;
    }
    if !m["authority"].is_null() && !string_match(&m["authority"], Some(&req.host), false) {
        return false;
    }
    if let Some(port) = m["port"].as_i64()
        && port != gw.service_port
        && port != gw.target_port
    {
        return false;
    }
    if let Some(gws) = m["gateways"].as_array()
        && gws.is_empty()
    {
        return false;
    }
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if let Some(hs) = m["headers"].as_object()
        && !hs
            .iter()
            .all(|(name, cond)| string_match(cond, header(name), false))
    {
        return false;
    }
    if let Some(hs) = m["withoutHeaders"].as_object()
        && hs
            .iter()
            .any(|(name, cond)| string_match(cond, header(name), false))
    {
        return false;
    }
    true
}

/// Resolves a destination host of a VirtualService in `vs_namespace` to a Service `(name, namespace)`.
fn resolve_host<'a>(host: &'a str, vs_namespace: &'a str) -> (&'a str, &'a str) {
    let trimmed = host
        .strip_suffix(".svc.cluster.local")
        .or(host.strip_suffix(".svc"))
        .unwrap_or(host);
    match trimmed.split_once('.') {
        Some((name, ns)) if !ns.contains('.') => (name, ns),
        Some(_) => (host, vs_namespace),
        None => (trimmed, vs_namespace),
    }
}

fn pod_ready(pod: &Value) -> bool {
    pod["metadata"]["deletionTimestamp"].is_null()
        && pod["status"]["phase"].as_str() == Some("Running")
        && pod["status"]["conditions"].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

/// Chooses the route for a request. `pick` in [0, 1) selects among weighted destinations and
/// among ready pods.
pub fn route(gw: &GatewayCtx, req: &Request, cluster: &Cluster, pick: f64) -> Outcome {
    let gateways = matching_gateways(gw, req, &cluster.gateways);
    if gateways.is_empty() {
        return Outcome::NoRoute;
    }
    let mut vss: Vec<&Value> = cluster.virtual_services.iter().collect();
    vss.sort_by(|a, b| {
        meta(a, "creationTimestamp")
            .cmp(meta(b, "creationTimestamp"))
            .then(meta(a, "name").cmp(meta(b, "name")))
    });
    for vs in vss {
        let ns = meta(vs, "namespace");
        let bound = strings(&vs["spec"]["gateways"]);
        let bound_gateway = gateways
            .iter()
            .find(|g| bound.iter().any(|e| vs_binds(e, ns, g)));
        if bound_gateway.is_none()
            || !strings(&vs["spec"]["hosts"])
                .iter()
                .any(|h| host_matches(h, &req.host))
        {
            continue;
        }
        let routes = vs["spec"]["http"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for r in routes {
            let matches = r["match"].as_array().map(Vec::as_slice).unwrap_or_default();
            let matched = matches.is_empty()
                || matches.iter().any(|m| {
                    request_matches(m, req, gw)
                        && m["gateways"].as_array().is_none_or(|gws| {
                            gws.iter()
                                .filter_map(Value::as_str)
                                .any(|e| gateways.iter().any(|g| vs_binds(e, ns, g)))
                        })
                });
            if !matched {
                continue;
            }
            if let Some(d) = r.get("directResponse").filter(|d| d.is_object()) {
                let status = d["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(200);
                let body = d["body"]["string"].as_str().unwrap_or_default().to_string();
                return Outcome::Direct { status, body };
            }
            if let Some(rd) = r.get("redirect").filter(|d| d.is_object()) {
                let status = rd["redirectCode"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(301);
                let host = rd["authority"].as_str().unwrap_or(&req.host);
                let path = rd["uri"].as_str().unwrap_or(&req.path);
                return Outcome::Redirect {
                    status,
                    location: format!("http://{host}{path}"),
                };
            }
            let dests = r["route"].as_array().map(Vec::as_slice).unwrap_or_default();
            let Some(dest) = pick_weighted(dests, pick) else {
                return Outcome::NoRoute;
            };
            return to_upstream(dest, ns, vs, cluster, pick);
        }
    }
    Outcome::NoRoute
}

fn pick_weighted(dests: &[Value], pick: f64) -> Option<&Value> {
    let weights: Vec<f64> = dests
        .iter()
        .map(|d| {
            d["weight"]
                .as_f64()
                .unwrap_or(if dests.len() == 1 { 100.0 } else { 0.0 })
        })
        .collect();
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return dests.first();
    }
    let mut at = pick.clamp(0.0, 0.999_999) * total;
    for (d, w) in dests.iter().zip(weights) {
        if at < w {
            return Some(d);
        }
        at -= w;
    }
    dests.last()
}

fn to_upstream(
    dest: &Value,
    vs_namespace: &str,
    vs: &Value,
    cluster: &Cluster,
    pick: f64,
) -> Outcome {
    let host = dest["destination"]["host"].as_str().unwrap_or_default();
    let (name, namespace) = resolve_host(host, vs_namespace);
    let Some(svc) = cluster
        .services
        .iter()
        .find(|s| meta(s, "name") == name && meta(s, "namespace") == namespace)
    else {
        return Outcome::UnknownDestination(host.to_string());
    };
    let ports = svc["spec"]["ports"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let port = match dest["destination"]["port"]["number"].as_i64() {
        Some(p) => p,
        None if ports.len() == 1 => ports[0]["port"].as_i64().unwrap_or(80),
        None => return Outcome::UnknownDestination(host.to_string()),
    };
    if !ports.iter().any(|p| p["port"].as_i64() == Some(port)) {
        return Outcome::UnknownDestination(format!("{host}:{port}"));
    }
    let subset = dest["destination"]["subset"].as_str().map(str::to_string);
    let upstream = Upstream {
        service: name.to_string(),
        namespace: namespace.to_string(),
        port,
        subset: subset.clone(),
        virtual_service: format!("{}/{}", meta(vs, "namespace"), meta(vs, "name")),
    };
    let mut want: BTreeMap<String, String> = string_map(
        &serde_json::json!({"metadata": {"labels": svc["spec"]["selector"].clone()}}),
        "labels",
    );
    if want.is_empty() {
        // A Service without a selector has no endpoints from pods.
        return Outcome::NoHealthyUpstream(upstream);
    }
    if let Some(subset) = &subset {
        let rule = cluster.destination_rules.iter().find(|dr| {
            let (n, ns) = resolve_host(
                dr["spec"]["host"].as_str().unwrap_or_default(),
                meta(dr, "namespace"),
            );
            n == name && ns == namespace
        });
        let Some(labels) = rule.and_then(|dr| {
            dr["spec"]["subsets"]
                .as_array()?
                .iter()
                .find(|s| s["name"].as_str() == Some(subset.as_str()))
                .map(|s| s["labels"].clone())
        }) else {
            // Envoy has no cluster for an undefined subset.
            return Outcome::NoHealthyUpstream(upstream);
        };
        want.extend(string_map(
            &serde_json::json!({"metadata": {"labels": labels}}),
            "labels",
        ));
    }
    let mut ready: Vec<&Value> = cluster
        .pods
        .iter()
        .filter(|p| meta(p, "namespace") == namespace && pod_ready(p))
        .filter(|p| {
            let labels = string_map(p, "labels");
            want.iter().all(|(k, v)| labels.get(k) == Some(v))
        })
        .collect();
    ready.sort_by_key(|p| meta(p, "name"));
    if ready.is_empty() {
        return Outcome::NoHealthyUpstream(upstream);
    }
    let index = ((pick.clamp(0.0, 0.999_999) * 7919.0) as usize) % ready.len();
    let pod = ready[index];
    Outcome::Routed {
        upstream,
        pod: meta(pod, "name").to_string(),
        pod_ip: pod["status"]["podIP"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn gw() -> GatewayCtx {
        GatewayCtx {
            namespace: "istio-system".into(),
            pod_labels: [("app", "istio-ingressgateway"), ("istio", "ingressgateway")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            service_port: 80,
            target_port: 8080,
        }
    }

    fn get(path: &str) -> Request {
        Request {
            host: "35.1.2.3".into(),
            path: path.into(),
            method: "GET".into(),
            headers: vec![],
        }
    }

    fn pod(name: &str, ns: &str, labels: Value, ready: bool) -> Value {
        json!({"metadata": {"name": name, "namespace": ns, "labels": labels},
               "status": {"phase": "Running", "podIP": "10.0.0.9",
                          "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}})
    }

    fn svc(name: &str, ns: &str, port: i64, selector: Value) -> Value {
        json!({"metadata": {"name": name, "namespace": ns}, "spec": {"selector": selector, "ports": [{"port": port, "targetPort": port}]}})
    }

    fn bookinfo() -> Cluster {
        let gateway = json!({"metadata": {"name": "bookinfo-gateway", "namespace": "bookinfo"},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 8080, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}});
        let vs = json!({"metadata": {"name": "bookinfo", "namespace": "bookinfo"},
            "spec": {"hosts": ["*"], "gateways": ["bookinfo-gateway"], "http": [{
                "match": [{"uri": {"exact": "/productpage"}}, {"uri": {"prefix": "/static"}}, {"uri": {"regex": "/api/v[0-9]+/products"}}],
                "route": [{"destination": {"host": "productpage", "port": {"number": 9080}}}]}]}});
        Cluster {
            gateways: vec![gateway],
            virtual_services: vec![vs],
            destination_rules: vec![],
            services: vec![svc(
                "productpage",
                "bookinfo",
                9080,
                json!({"app": "productpage"}),
            )],
            pods: vec![pod(
                "productpage-v1-abc",
                "bookinfo",
                json!({"app": "productpage", "version": "v1"}),
                true,
            )],
        }
    }

    #[test]
    fn bookinfo_routes_productpage_by_target_port_and_404s_the_rest() {
        let c = bookinfo();
        match route(&gw(), &get("/productpage"), &c, 0.3) {
            Outcome::Routed { upstream, pod, .. } => {
                assert_eq!(
                    (
                        upstream.service.as_str(),
                        upstream.namespace.as_str(),
                        upstream.port
                    ),
                    ("productpage", "bookinfo", 9080)
                );
                assert_eq!(pod, "productpage-v1-abc");
                assert_eq!(upstream.virtual_service, "bookinfo/bookinfo");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            route(&gw(), &get("/static/x.css"), &c, 0.0),
            Outcome::Routed { .. }
        ));
        assert!(matches!(
            route(&gw(), &get("/api/v1/products"), &c, 0.0),
            Outcome::Routed { .. }
        ));
        assert_eq!(route(&gw(), &get("/nothing"), &c, 0.0), Outcome::NoRoute);
        assert_eq!(
            route(&gw(), &get("/productpage/x"), &c, 0.0),
            Outcome::NoRoute
        );
    }

    #[test]
    fn a_gateway_port_matching_the_service_port_works_too_and_others_do_not() {
        let mut c = bookinfo();
        c.gateways[0]["spec"]["servers"][0]["port"]["number"] = json!(80);
        assert!(matches!(
            route(&gw(), &get("/productpage"), &c, 0.0),
            Outcome::Routed { .. }
        ));
        c.gateways[0]["spec"]["servers"][0]["port"]["number"] = json!(9999);
        assert_eq!(
            route(&gw(), &get("/productpage"), &c, 0.0),
            Outcome::NoRoute
        );
    }

    #[test]
    fn the_gateway_selector_must_match_this_gateways_pods() {
        let mut c = bookinfo();
        c.gateways[0]["spec"]["selector"] = json!({"istio": "ingress"});
        assert_eq!(
            route(&gw(), &get("/productpage"), &c, 0.0),
            Outcome::NoRoute
        );
    }

    #[test]
    fn no_ready_endpoints_is_503_and_unknown_hosts_are_reported() {
        let mut c = bookinfo();
        c.pods[0]["status"]["conditions"][0]["status"] = json!("False");
        assert!(matches!(
            route(&gw(), &get("/productpage"), &c, 0.0),
            Outcome::NoHealthyUpstream(_)
        ));
        c.services.clear();
        assert_eq!(
            route(&gw(), &get("/productpage"), &c, 0.0),
            Outcome::UnknownDestination("productpage".into())
        );
    }

    #[test]
    fn hosts_gateway_references_and_headers() {
        let mut c = bookinfo();
        c.gateways[0]["spec"]["servers"][0]["hosts"] = json!(["*.example.com"]);
        c.virtual_services[0]["spec"]["hosts"] = json!(["shop.example.com"]);
        c.virtual_services[0]["spec"]["gateways"] = json!(["bookinfo/bookinfo-gateway"]);
        c.virtual_services[0]["spec"]["http"][0]["match"] =
            json!([{"uri": {"prefix": "/"}, "headers": {"end-user": {"exact": "jason"}}}]);
        let mut req = get("/productpage");
        req.host = "shop.example.com".into();
        assert_eq!(
            route(&gw(), &req, &c, 0.0),
            Outcome::NoRoute,
            "header missing"
        );
        req.headers.push(("end-user".into(), "jason".into()));
        assert!(matches!(
            route(&gw(), &req, &c, 0.0),
            Outcome::Routed { .. }
        ));
        req.host = "other.example.com".into();
        assert_eq!(route(&gw(), &req, &c, 0.0), Outcome::NoRoute, "vs host");
        req.host = "example.org".into();
        assert_eq!(
            route(&gw(), &req, &c, 0.0),
            Outcome::NoRoute,
            "gateway host"
        );
        c.virtual_services[0]["spec"]["gateways"] = json!(["mesh"]);
        req.host = "shop.example.com".into();
        assert_eq!(route(&gw(), &req, &c, 0.0), Outcome::NoRoute, "mesh only");
    }

    #[test]
    fn weights_and_subsets_choose_the_destination() {
        let mut c = bookinfo();
        c.services
            .push(svc("reviews", "bookinfo", 9080, json!({"app": "reviews"})));
        c.pods.push(pod(
            "reviews-v1-a",
            "bookinfo",
            json!({"app": "reviews", "version": "v1"}),
            true,
        ));
        c.pods.push(pod(
            "reviews-v2-a",
            "bookinfo",
            json!({"app": "reviews", "version": "v2"}),
            true,
        ));
        c.destination_rules.push(json!({"metadata": {"name": "reviews", "namespace": "bookinfo"},
            "spec": {"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}}));
        c.virtual_services[0]["spec"]["http"] = json!([{"route": [
            {"destination": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v1"}, "weight": 75},
            {"destination": {"host": "reviews.bookinfo", "subset": "v2", "port": {"number": 9080}}, "weight": 25}]}]);
        let pod_of = |pick| match route(&gw(), &get("/reviews"), &c, pick) {
            Outcome::Routed { pod, .. } => pod,
            other => panic!("{other:?}"),
        };
        assert_eq!(pod_of(0.1), "reviews-v1-a");
        assert_eq!(pod_of(0.74), "reviews-v1-a");
        assert_eq!(pod_of(0.8), "reviews-v2-a");
        c.virtual_services[0]["spec"]["http"][0]["route"][0]["destination"]["subset"] = json!("v9");
        assert!(matches!(
            route(&gw(), &get("/reviews"), &c, 0.1),
            Outcome::NoHealthyUpstream(_)
        ));
    }

    #[test]
    fn direct_responses_and_redirects() {
        let mut c = bookinfo();
        c.virtual_services[0]["spec"]["http"] = json!([
            {"match": [{"uri": {"exact": "/old"}}], "redirect": {"uri": "/new"}},
            {"directResponse": {"status": 418, "body": {"string": "teapot"}}}]);
        assert_eq!(
            route(&gw(), &get("/old"), &c, 0.0),
            Outcome::Redirect {
                status: 301,
                location: "http://35.1.2.3/new".into()
            }
        );
        assert_eq!(
            route(&gw(), &get("/x"), &c, 0.0),
            Outcome::Direct {
                status: 418,
                body: "teapot".into()
            }
        );
    }

    #[test]
    fn host_patterns() {
        assert!(host_matches("*", "a.b"));
        assert!(host_matches("*.b.com", "a.b.com"));
        assert!(!host_matches("*.b.com", "b.com"));
        assert!(host_matches("ns/A.b.com", "a.b.com"));
        assert!(!host_matches("a.b.com", "c.b.com"));
        assert_eq!(
            resolve_host("productpage", "bookinfo"),
            ("productpage", "bookinfo")
        );
        assert_eq!(
            resolve_host("reviews.other", "bookinfo"),
            ("reviews", "other")
        );
        assert_eq!(
            resolve_host("reviews.other.svc.cluster.local", "bookinfo"),
            ("reviews", "other")
        );
        assert!(vs_binds("istio-system/gw", "bookinfo", "istio-system/gw"));
        assert!(vs_binds("gw", "bookinfo", "bookinfo/gw"));
        assert!(!vs_binds("gw", "bookinfo", "istio-system/gw"));
        assert!(vs_binds(
            "gw.istio-system.svc.cluster.local",
            "bookinfo",
            "istio-system/gw"
        ));
    }
}
