//! Nodes and the loopback address block of one kubesim instance.
//!
//! Each instance claims a block `127.X.Y.0/24` (X ≥ 1) by holding a socket on `127.X.Y.254`
//! ([`LEASE_PORT`]), so instances side by side (also in other processes) never share addresses.
//! Inside the block: node InternalIPs `.10+i`, node ExternalIPs `.100+i`, load-balancer IPs `.200–.253`.

use std::net::{Ipv4Addr, TcpListener};

use serde_json::{Value, json};

use super::config::NodeOptions;
use crate::util;

/// Port held on `127.X.Y.254` while an instance owns the block.
pub const LEASE_PORT: u16 = 40_999;
/// Most nodes per instance.
pub const MAX_NODES: usize = 90;
const LB_FIRST: u8 = 200;
const LB_LAST: u8 = 253;

/// The 127.X.Y.0/24 block of an instance; the claim lasts as long as this value.
#[derive(Debug)]
pub struct AddressBlock {
    x: u8,
    y: u8,
    _lease: TcpListener,
}

impl AddressBlock {
    /// Claims `preferred` (when given) or a random free block.
    pub fn claim(preferred: Option<(u8, u8)>) -> anyhow::Result<AddressBlock> {
        if let Some((x, y)) = preferred {
            anyhow::ensure!(
                x != 0,
                "the address block 127.{x}.{y}.0/24 overlaps 127.0.0.0/16; pick X >= 1"
            );
            let lease = TcpListener::bind((Ipv4Addr::new(127, x, y, 254), LEASE_PORT))
                .map_err(|e| anyhow::anyhow!("cannot claim the address block 127.{x}.{y}.0/24 (is another kubesim using it?): {e}"))?;
            return Ok(AddressBlock {
                x,
                y,
                _lease: lease,
            });
        }
        for _ in 0..64 {
            let [a, b] = util::random_bytes::<2>();
            let x = a.max(1);
            if let Ok(lease) = TcpListener::bind((Ipv4Addr::new(127, x, b, 254), LEASE_PORT)) {
                return Ok(AddressBlock {
                    x,
                    y: b,
                    _lease: lease,
                });
            }
        }
        anyhow::bail!("could not claim a free 127.X.Y.0/24 address block for the simulated nodes")
    }

    /// `(X, Y)`.
    pub fn id(&self) -> (u8, u8) {
        (self.x, self.y)
    }

    fn addr(&self, last: u8) -> Ipv4Addr {
        Ipv4Addr::new(127, self.x, self.y, last)
    }

    /// InternalIP of node `i`.
    pub fn internal_ip(&self, i: usize) -> Ipv4Addr {
        self.addr(10 + i.min(MAX_NODES - 1) as u8)
    }

    /// ExternalIP of node `i`.
    pub fn external_ip(&self, i: usize) -> Ipv4Addr {
        self.addr(100 + i.min(MAX_NODES - 1) as u8)
    }

    /// The `k`-th load-balancer address, if the block has one left.
    pub fn lb_ip(&self, k: usize) -> Option<Ipv4Addr> {
        let last = usize::from(LB_FIRST) + k;
        (last <= usize::from(LB_LAST)).then(|| self.addr(last as u8))
    }
}

/// Name of node `i`.
pub fn node_name(opts: &NodeOptions, i: usize) -> String {
    format!("{}{i}", opts.name_prefix)
}

/// The pod CIDR of node `i` (`10.(64+i).0.0/16`).
pub fn pod_cidr(i: usize) -> String {
    format!("10.{}.0.0/16", 64 + i.min(MAX_NODES - 1))
}

/// The `n`-th pod IP on node `i`.
pub fn pod_ip(i: usize, n: u32) -> Ipv4Addr {
    let n = n % (250 * 256);
    Ipv4Addr::new(
        10,
        64 + i.min(MAX_NODES - 1) as u8,
        (n / 250) as u8,
        (n % 250 + 2) as u8,
    )
}

/// The Node object for node `i`.
pub fn node_object(opts: &NodeOptions, block: &AddressBlock, i: usize, now: &str) -> Value {
    let name = node_name(opts, i);
    let region = opts.region();
    let family = opts.instance_type.split('-').next().unwrap_or_default();
    let cond = |t: &str, s: &str, reason: &str, msg: &str| json!({"type": t, "status": s, "reason": reason, "message": msg, "lastHeartbeatTime": now, "lastTransitionTime": now});
    let resources = json!({"cpu": "4", "memory": "16393220Ki", "pods": "110", "ephemeral-storage": "98831908Ki", "hugepages-2Mi": "0"});
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "beta.kubernetes.io/instance-type": opts.instance_type,
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/os": "linux",
                "kubernetes.io/hostname": name,
                "node.kubernetes.io/instance-type": opts.instance_type,
                "topology.kubernetes.io/zone": opts.zone,
                "topology.kubernetes.io/region": region,
                "failure-domain.beta.kubernetes.io/zone": opts.zone,
                "failure-domain.beta.kubernetes.io/region": region,
                "cloud.google.com/gke-nodepool": "default-pool",
                "cloud.google.com/machine-family": family,
            },
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
        },
        "spec": {
            "podCIDR": pod_cidr(i),
            "podCIDRs": [pod_cidr(i)],
            "providerID": format!("gce://{}/{}/{name}", opts.project, opts.zone),
        },
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": block.internal_ip(i).to_string()},
                {"type": "ExternalIP", "address": block.external_ip(i).to_string()},
                {"type": "Hostname", "address": name},
            ],
            "capacity": resources,
            "allocatable": resources,
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": util::uuid(),
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.1.112+",
                "kubeProxyVersion": opts.kubelet_version,
                "kubeletVersion": opts.kubelet_version,
                "machineID": util::uuid().replace('-', ""),
                "operatingSystem": "linux",
                "osImage": "Container-Optimized OS from Google",
                "systemUUID": util::uuid(),
            },
        },
    })
}

/// True when a kubelet version (`v1.33.1`, `1.34`) supports native sidecars by default (≥ 1.33).
pub fn native_sidecars(kubelet_version: &str) -> bool {
    let v = kubelet_version.trim_start_matches('v');
    let mut parts = v.split('.').map(|p| {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u32>()
            .unwrap_or(0)
    });
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_exclusive_and_nodes_carry_addresses() {
        let a = AddressBlock::claim(None).unwrap();
        assert!(
            AddressBlock::claim(Some(a.id())).is_err(),
            "the same block cannot be claimed twice"
        );
        let b = AddressBlock::claim(None).unwrap();
        assert_ne!(a.id(), b.id());
        let opts = NodeOptions::default();
        let n = node_object(&opts, &a, 1, "2024-01-01T00:00:00Z");
        let (x, y) = a.id();
        assert_eq!(n["metadata"]["name"], "gke-kubesim-default-pool-1");
        assert_eq!(
            n["status"]["addresses"][0]["address"],
            format!("127.{x}.{y}.11")
        );
        assert_eq!(
            n["status"]["addresses"][1]["address"],
            format!("127.{x}.{y}.101")
        );
        assert_eq!(
            n["spec"]["providerID"],
            "gce://kubesim-project/us-central1-a/gke-kubesim-default-pool-1"
        );
        assert_eq!(
            n["metadata"]["labels"]["topology.kubernetes.io/zone"],
            "us-central1-a"
        );
        assert_eq!(
            n["metadata"]["labels"]["node.kubernetes.io/instance-type"],
            "e2-standard-4"
        );
        assert_eq!(n["status"]["nodeInfo"]["kubeletVersion"], "v1.32.4");
        // The node address is really bindable.
        let l = TcpListener::bind((a.external_ip(1), 0)).unwrap();
        drop(l);
        assert_eq!(a.lb_ip(0), Some(Ipv4Addr::new(127, x, y, 200)));
        assert_eq!(a.lb_ip(100), None);
    }

    #[test]
    fn pod_ips_and_sidecar_versions() {
        assert_eq!(pod_ip(0, 0), Ipv4Addr::new(10, 64, 0, 2));
        assert_eq!(pod_ip(2, 251), Ipv4Addr::new(10, 66, 1, 3));
        assert!(!native_sidecars("v1.32.4"));
        assert!(native_sidecars("v1.33.0"));
        assert!(native_sidecars("1.34"));
        assert!(native_sidecars("v2.0.0"));
    }
}
