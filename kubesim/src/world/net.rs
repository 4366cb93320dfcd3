//! Where Services really answer: the hook between the world (which decides addresses) and a data
//! plane (kubesim's ingress, which listens on them).
//!
//! The world calls a [`ServiceListener`] for every NodePort/LoadBalancer Service whenever it
//! changes. For a LoadBalancer in `ip` mode the world only publishes the address when the listener
//! says it serves every port there; otherwise the load balancer stays pending and the world logs
//! why. Without a registered listener the world probes with [`can_bind`].

use std::net::{Ipv4Addr, TcpListener};

use serde_json::Value;

/// Addresses the world offers a Service at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAddresses {
    /// ExternalIPs of the nodes (serve `nodePort`s there).
    pub nodes: Vec<Ipv4Addr>,
    /// The load-balancer address to serve the Service's `port`s at (mode `ip` only).
    pub load_balancer: Option<Ipv4Addr>,
}

/// A data plane serving Services at their addresses.
pub trait ServiceListener: Send + Sync {
    /// Serve (or keep serving) `service` (the full object) at `addrs`. Return `Err(reason)` when a
    /// load-balancer port cannot be served: the load balancer then stays pending.
    fn serve(&self, service: &Value, addrs: &ServiceAddresses) -> Result<(), String>;
    /// Stop serving a Service (deleted, or no longer NodePort/LoadBalancer).
    fn stop(&self, namespace: &str, name: &str);
}

/// Whether a TCP listener can be bound at `ip:port` right now (binding a port below 1024 needs root
/// or CAP_NET_BIND_SERVICE).
pub fn can_bind(ip: Ipv4Addr, port: u16) -> Result<(), String> {
    TcpListener::bind((ip, port))
        .map(drop)
        .map_err(|e| format!("cannot bind {ip}:{port}: {e}"))
}

/// The default decision without a data plane: every load-balancer port must be bindable.
pub fn probe_ports(service: &Value, ip: Ipv4Addr) -> Result<(), String> {
    for p in service["spec"]["ports"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if p["protocol"].as_str().unwrap_or("TCP") != "TCP" {
            continue;
        }
        let port = p["port"]
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| format!("invalid port {}", p["port"]))?;
        can_bind(ip, port)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn probing_detects_taken_ports() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        assert!(can_bind(Ipv4Addr::LOCALHOST, port).is_err());
        let svc = json!({"spec": {"ports": [{"port": port}]}});
        let err = probe_ports(&svc, Ipv4Addr::LOCALHOST).unwrap_err();
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
        drop(taken);
        assert!(
            probe_ports(
                &json!({"spec": {"ports": [{"port": 0}]}}),
                Ipv4Addr::LOCALHOST
            )
            .is_ok()
        );
    }
}
