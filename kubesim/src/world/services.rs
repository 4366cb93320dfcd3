//! Load-balancer status of Services (ClusterIPs and nodePorts are allocated by the store).

use serde_json::{Value, json};

use super::config::LoadBalancerMode;
use super::meta;

/// Annotation overriding the instance's load-balancer mode for one Service (`ip`, `hostname`, `pending`).
pub const LB_MODE_ANNOTATION: &str = "kubesim.rigger.dev/load-balancer";

/// The mode that applies to `svc`.
pub fn lb_mode(svc: &Value, default: &LoadBalancerMode) -> LoadBalancerMode {
    svc["metadata"]["annotations"][LB_MODE_ANNOTATION]
        .as_str()
        .and_then(LoadBalancerMode::parse)
        .unwrap_or_else(|| default.clone())
}

/// True for Services with type LoadBalancer.
pub fn is_load_balancer(svc: &Value) -> bool {
    svc["spec"]["type"] == "LoadBalancer"
}

/// True for Services that expose node ports.
pub fn has_node_ports(svc: &Value) -> bool {
    matches!(
        svc["spec"]["type"].as_str(),
        Some("NodePort" | "LoadBalancer")
    )
}

/// An EKS-style hostname for `svc`: `a<32 hex>-<10 digits>.<region>.elb.amazonaws.com`.
pub fn lb_hostname(svc: &Value, region: &str) -> String {
    let uid = meta::uid(svc).replace('-', "");
    let digits = u64::from(meta::fnv32a(uid.as_bytes())) * 7 % 10_000_000_000;
    format!("a{:0<32.32}-{digits:010}.{region}.elb.amazonaws.com", uid)
}

/// `status.loadBalancer` with one ingress entry.
pub fn lb_status_ip(ip: &str) -> Value {
    json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}})
}

/// `status.loadBalancer` with a hostname.
pub fn lb_status_hostname(host: &str) -> Value {
    json!({"loadBalancer": {"ingress": [{"hostname": host}]}})
}

/// `status.loadBalancer` while pending.
pub fn lb_status_pending() -> Value {
    json!({"loadBalancer": {}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_hostnames() {
        let svc = json!({"metadata": {"uid": "0b6f4a52-5d6e-4c1c-9a6b-1f2e3d4c5b6a", "annotations": {LB_MODE_ANNOTATION: "hostname"}}, "spec": {"type": "LoadBalancer"}});
        assert_eq!(
            lb_mode(&svc, &LoadBalancerMode::Ip),
            LoadBalancerMode::Hostname
        );
        assert_eq!(
            lb_mode(&json!({}), &LoadBalancerMode::Pending),
            LoadBalancerMode::Pending
        );
        let h = lb_hostname(&svc, "us-west-2");
        assert!(h.starts_with("a0b6f4a525d6e4c1c9a6b1f2e3d4c5b6a-"), "{h}");
        assert!(h.ends_with(".us-west-2.elb.amazonaws.com"));
        assert!(is_load_balancer(&svc) && has_node_ports(&svc));
        assert!(!has_node_ports(&json!({"spec": {"type": "ClusterIP"}})));
        assert_eq!(
            lb_status_ip("127.1.1.200")["loadBalancer"]["ingress"][0]["ip"],
            "127.1.1.200"
        );
    }
}
