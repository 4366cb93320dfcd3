//! Options of the simulated cluster: nodes, timing, load balancers. Defaults are fast so tests
//! stay quick; every delay can be changed per instance.

use std::time::Duration;

/// How `LoadBalancer` Services get their external address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LoadBalancerMode {
    /// An address in 127.0.0.0/8 unique to this instance (GKE/AKS-like `status.loadBalancer.ingress[].ip`).
    /// Published only when every port of the Service can be served there.
    #[default]
    Ip,
    /// An EKS-like `xxxx.<region>.elb.amazonaws.com` hostname that resolves nowhere.
    Hostname,
    /// Never provisioned: `EXTERNAL-IP` stays `<pending>`.
    Pending,
}

impl LoadBalancerMode {
    /// Parses `ip`, `hostname` or `pending`.
    pub fn parse(s: &str) -> Option<LoadBalancerMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ip" => Some(LoadBalancerMode::Ip),
            "hostname" => Some(LoadBalancerMode::Hostname),
            "pending" => Some(LoadBalancerMode::Pending),
            _ => None,
        }
    }
}

/// Delays of the simulated kubelets and controllers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// From scheduling to containers running (image pull, create, start).
    pub pod_start: Duration,
    /// From `ErrImagePull` to `ImagePullBackOff`.
    pub image_pull_backoff: Duration,
    /// How long a crashing container runs before it exits.
    pub crash_after: Duration,
    /// How long a crashed container waits in `CrashLoopBackOff` before it restarts.
    pub crash_backoff: Duration,
    /// How long a pod with `restartPolicy` Never/OnFailure (Job pods) runs before it succeeds.
    pub job_duration: Duration,
    /// How often time-driven controllers (CronJob schedules, progress deadlines) look again.
    pub resync: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            pod_start: Duration::from_millis(150),
            image_pull_backoff: Duration::from_millis(300),
            crash_after: Duration::from_millis(200),
            crash_backoff: Duration::from_millis(1000),
            job_duration: Duration::from_millis(300),
            resync: Duration::from_secs(1),
        }
    }
}

/// Node settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeOptions {
    /// Number of Ready nodes.
    pub count: usize,
    /// Kubelet version (`v1.32.4`). Native sidecars are on from 1.33 only.
    pub kubelet_version: String,
    /// GCP project in `providerID` (`gce://PROJECT/ZONE/NAME`).
    pub project: String,
    /// Zone (label `topology.kubernetes.io/zone`, `providerID`); the region is the zone without its last part.
    pub zone: String,
    /// Machine type (label `node.kubernetes.io/instance-type`).
    pub instance_type: String,
    /// Node name prefix (`gke-kubesim-default-pool-` gives `gke-kubesim-default-pool-0` ...).
    pub name_prefix: String,
}

impl Default for NodeOptions {
    fn default() -> Self {
        NodeOptions {
            count: 3,
            kubelet_version: "v1.32.4".to_string(),
            project: "kubesim-project".to_string(),
            zone: "us-central1-a".to_string(),
            instance_type: "e2-standard-4".to_string(),
            name_prefix: "gke-kubesim-default-pool-".to_string(),
        }
    }
}

impl NodeOptions {
    /// `us-central1` for zone `us-central1-a`.
    pub fn region(&self) -> String {
        match self.zone.rsplit_once('-') {
            Some((region, _)) => region.to_string(),
            None => self.zone.clone(),
        }
    }
}

/// Everything the simulated world needs to know.
#[derive(Debug, Clone, Default)]
pub struct WorldOptions {
    /// Nodes.
    pub nodes: NodeOptions,
    /// Delays.
    pub timing: Timing,
    /// Load balancer provisioning (changeable at run time with `World::set_load_balancer_mode`).
    pub load_balancer: LoadBalancerMode,
    /// The 127.X.Y.0/24 block of this instance as (X, Y); None = pick a free one.
    pub address_block: Option<(u8, u8)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lb_modes_and_region() {
        assert_eq!(LoadBalancerMode::parse("IP"), Some(LoadBalancerMode::Ip));
        assert_eq!(
            LoadBalancerMode::parse("hostname"),
            Some(LoadBalancerMode::Hostname)
        );
        assert_eq!(
            LoadBalancerMode::parse("pending"),
            Some(LoadBalancerMode::Pending)
        );
        assert_eq!(LoadBalancerMode::parse("nope"), None);
        assert_eq!(NodeOptions::default().region(), "us-central1");
        assert!(Timing::default().pod_start <= Duration::from_millis(300));
    }
}
