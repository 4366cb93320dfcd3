//! Where the ingress gateway can be reached from outside the cluster: the load balancer's IP (GKE,
//! AKS), its hostname (EKS), or — with no load balancer or one still pending — a node address and the
//! port's nodePort (the case that needs a firewall rule).

use k8s_openapi::api::core::v1::{Node, Service, ServicePort};
use serde::Serialize;

/// Which way the address was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressCase {
    /// `status.loadBalancer.ingress[].ip`
    LoadBalancerIp,
    /// `status.loadBalancer.ingress[].hostname`
    LoadBalancerHostname,
    /// A node's ExternalIP (else InternalIP) and the port's nodePort.
    NodePort,
}

impl AddressCase {
    pub fn describe(self) -> &'static str {
        match self {
            AddressCase::LoadBalancerIp => "the load balancer's IP address",
            AddressCase::LoadBalancerHostname => "the load balancer's host name",
            AddressCase::NodePort => "a node address and the NodePort (no load balancer address)",
        }
    }

    /// Only the NodePort case needs a firewall rule; clouds open their own for load balancers.
    pub fn needs_firewall_rule(self) -> bool {
        self == AddressCase::NodePort
    }
}

/// The resolved address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressAddress {
    pub host: String,
    pub port: u16,
    pub case: AddressCase,
    /// The Service port that was picked (its name, number and nodePort).
    pub port_name: String,
    pub service_port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
    /// True when the Service is a LoadBalancer whose address has not been assigned (yet).
    pub load_balancer_pending: bool,
}

impl IngressAddress {
    /// `http://host:port` plus the path (`/` when empty).
    pub fn url(&self, path: &str) -> String {
        let path = if path.is_empty() { "/" } else { path };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("http://{host}:{}{path}", self.port)
    }
}

/// Picks the port: by name, else the one numbered 80, else the first.
pub fn pick_port<'a>(service: &'a Service, name: &str) -> Option<&'a ServicePort> {
    let ports = service.spec.as_ref()?.ports.as_ref()?;
    ports
        .iter()
        .find(|p| p.name.as_deref() == Some(name))
        .or_else(|| ports.iter().find(|p| p.port == 80))
        .or_else(|| ports.first())
}

/// A node address for NodePort access: the first Ready node's ExternalIP, else its InternalIP (any
/// node when none reports Ready).
pub fn node_address(nodes: &[Node]) -> Option<String> {
    let ready = |n: &&Node| {
        n.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    };
    let address_of = |n: &Node, kind: &str| {
        n.status
            .as_ref()
            .and_then(|s| s.addresses.as_ref())
            .and_then(|a| a.iter().find(|a| a.type_ == kind))
            .map(|a| a.address.clone())
    };
    let candidates: Vec<&Node> = {
        let ready: Vec<&Node> = nodes.iter().filter(ready).collect();
        if ready.is_empty() {
            nodes.iter().collect()
        } else {
            ready
        }
    };
    for kind in ["ExternalIP", "InternalIP"] {
        if let Some(address) = candidates.iter().find_map(|n| address_of(n, kind)) {
            return Some(address);
        }
    }
    None
}

/// Resolves the address of a gateway Service. `port_name` selects the Service port (e.g. `http2`).
pub fn resolve(
    service: &Service,
    nodes: &[Node],
    port_name: &str,
) -> Result<IngressAddress, String> {
    let service_name = service.metadata.name.clone().unwrap_or_default();
    let spec = service
        .spec
        .as_ref()
        .ok_or_else(|| format!("service {service_name} has no spec"))?;
    let port = pick_port(service, port_name)
        .ok_or_else(|| format!("service {service_name} has no ports"))?;
    let service_port = u16::try_from(port.port)
        .map_err(|_| format!("service {service_name} has an invalid port"))?;
    let node_port = port.node_port.and_then(|p| u16::try_from(p).ok());
    let kind = spec.type_.as_deref().unwrap_or("ClusterIP");
    let mut address = IngressAddress {
        host: String::new(),
        port: service_port,
        case: AddressCase::LoadBalancerIp,
        port_name: port.name.clone().unwrap_or_default(),
        service_port,
        node_port,
        load_balancer_pending: false,
    };
    if kind == "LoadBalancer" {
        let ingress = service
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .and_then(|i| i.first());
        if let Some(ip) = ingress
            .and_then(|i| i.ip.clone())
            .filter(|ip| !ip.is_empty())
        {
            address.host = ip;
            return Ok(address);
        }
        if let Some(hostname) = ingress
            .and_then(|i| i.hostname.clone())
            .filter(|h| !h.is_empty())
        {
            address.host = hostname;
            address.case = AddressCase::LoadBalancerHostname;
            return Ok(address);
        }
        address.load_balancer_pending = true;
    }
    let Some(node_port) = node_port else {
        return Err(format!(
            "service {service_name} is of type {kind} and has no nodePort, so it cannot be reached from outside the cluster"
        ));
    };
    let host = node_address(nodes).ok_or_else(|| "no node reports an address".to_string())?;
    address.host = host;
    address.port = node_port;
    address.case = AddressCase::NodePort;
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(kind: &str, lb: serde_json::Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
            "spec": {"type": kind, "ports": [
                {"name": "status-port", "port": 15021, "targetPort": 15021, "nodePort": 31021},
                {"name": "http2", "port": 80, "targetPort": 8080, "nodePort": 31380},
                {"name": "https", "port": 443, "targetPort": 8443, "nodePort": 31390}]},
            "status": {"loadBalancer": lb}
        }))
        .unwrap()
    }

    fn nodes() -> Vec<Node> {
        vec![
            serde_json::from_value(json!({"metadata": {"name": "a"}, "status": {
                "conditions": [{"type": "Ready", "status": "False"}],
                "addresses": [{"type": "ExternalIP", "address": "127.9.9.9"}]}})).unwrap(),
            serde_json::from_value(json!({"metadata": {"name": "b"}, "status": {
                "conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": "127.0.1.2"}, {"type": "ExternalIP", "address": "127.0.1.3"}]}})).unwrap(),
        ]
    }

    #[test]
    fn load_balancer_ip() {
        let a = resolve(
            &service("LoadBalancer", json!({"ingress": [{"ip": "127.0.5.1"}]})),
            &nodes(),
            "http2",
        )
        .unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.case),
            ("127.0.5.1", 80, AddressCase::LoadBalancerIp)
        );
        assert_eq!(a.url("/productpage"), "http://127.0.5.1:80/productpage");
    }

    #[test]
    fn load_balancer_hostname() {
        let a = resolve(
            &service(
                "LoadBalancer",
                json!({"ingress": [{"hostname": "abc.elb.amazonaws.com"}]}),
            ),
            &nodes(),
            "http2",
        )
        .unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.case),
            (
                "abc.elb.amazonaws.com",
                80,
                AddressCase::LoadBalancerHostname
            )
        );
    }

    #[test]
    fn pending_load_balancer_falls_back_to_a_ready_nodes_external_ip_and_node_port() {
        let a = resolve(&service("LoadBalancer", json!({})), &nodes(), "http2").unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.case),
            ("127.0.1.3", 31380, AddressCase::NodePort)
        );
        assert!(a.load_balancer_pending);
        assert!(a.case.needs_firewall_rule());
    }

    #[test]
    fn other_port_names_and_cluster_ip() {
        let a = resolve(&service("NodePort", json!({})), &nodes(), "https").unwrap();
        assert_eq!(a.port, 31390);
        assert!(!a.load_balancer_pending);
        let err = resolve(&serde_json::from_value(json!({"metadata": {"name": "x"}, "spec": {"type": "ClusterIP", "ports": [{"port": 80}]}})).unwrap(), &nodes(), "http2").unwrap_err();
        assert!(err.contains("cannot be reached from outside"));
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let a = resolve(
            &service("LoadBalancer", json!({"ingress": [{"ip": "fd00::1"}]})),
            &nodes(),
            "http2",
        )
        .unwrap();
        assert_eq!(a.url(""), "http://[fd00::1]:80/");
    }
}
