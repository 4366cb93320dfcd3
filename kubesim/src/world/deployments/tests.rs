use super::*;
use crate::world::replicasets;

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "demo", "uid": "d-uid", "generation": 1},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": image}]}}},
    })
}

/// A tiny cluster: ReplicaSets whose pods become ready at once; returns the number of rounds.
struct Sim {
    deploy: Value,
    rss: Vec<Value>,
    /// (rs name, pod count) after each round, for invariant checks.
    max_total_pods: i64,
    min_available: i64,
}

impl Sim {
    fn new(deploy: Value) -> Sim {
        Sim {
            deploy,
            rss: Vec::new(),
            max_total_pods: 0,
            min_available: i64::MAX,
        }
    }

    fn round(&mut self, ready: bool) -> DeployPlan {
        let plan = plan(&self.deploy, &self.rss, SystemTime::now());
        if let Some(rs) = &plan.create {
            let mut rs = rs.clone();
            rs["metadata"]["creationTimestamp"] =
                json!(format!("2024-01-01T00:00:{:02}Z", self.rss.len()));
            self.rss.push(rs);
        }
        for (name, n) in &plan.scale {
            let rs = self.rss.iter_mut().find(|r| meta::name(r) == name).unwrap();
            rs["spec"]["replicas"] = json!(n);
        }
        self.rss
            .retain(|r| !plan.delete.iter().any(|d| d == meta::name(r)));
        // ReplicaSet controller + kubelet: pods appear (ready or not) instantly.
        let mut total = 0;
        let mut available = 0;
        for rs in &mut self.rss {
            let want = rs["spec"]["replicas"].as_i64().unwrap();
            let had_ready = rs["status"]["readyReplicas"]
                .as_i64()
                .unwrap_or(0)
                .min(want);
            let pods: Vec<Value> = (0..want)
                .map(|i| {
                    let r = ready || i < had_ready;
                    json!({"metadata": {"name": format!("p{i}")}, "spec": {"nodeName": "n"},
                        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if r { "True" } else { "False" }}]}})
                })
                .collect();
            let p = replicasets::plan(rs, &pods);
            rs["status"] = p.status;
            total += want;
            available += rs["status"]["availableReplicas"].as_i64().unwrap_or(0);
        }
        self.max_total_pods = self.max_total_pods.max(total);
        self.min_available = self.min_available.min(available);
        self.deploy["status"] = plan.status.clone();
        plan
    }

    fn converge(&mut self) -> usize {
        for i in 0..50 {
            let before = (self.rss.clone(), self.deploy.clone());
            self.round(true);
            if before == (self.rss.clone(), self.deploy.clone()) {
                return i;
            }
        }
        panic!("did not converge");
    }
}

#[test]
fn a_new_deployment_gets_one_replica_set_and_completes() {
    let mut sim = Sim::new(deployment(3, "nginx:1"));
    let first = sim.round(true);
    let rs = first.create.as_ref().expect("creates a ReplicaSet");
    let hash = meta::label(rs, "pod-template-hash").unwrap().to_string();
    assert_eq!(meta::name(rs), format!("web-{hash}"));
    assert_eq!(
        rs["spec"]["selector"]["matchLabels"]["pod-template-hash"],
        hash.as_str()
    );
    assert_eq!(
        rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"],
        hash.as_str()
    );
    assert_eq!(rs["metadata"]["annotations"][REVISION], "1");
    assert_eq!(rs["metadata"]["ownerReferences"][0]["uid"], "d-uid");
    assert_eq!(rs["spec"]["replicas"], 3);
    assert_eq!(
        first.events[0].message,
        format!("Scaled up replica set web-{hash} from 0 to 3")
    );
    assert_eq!(
        meta::condition(&sim.deploy, "Progressing").unwrap()["reason"],
        "NewReplicaSetCreated"
    );
    sim.converge();
    let s = &sim.deploy["status"];
    assert_eq!(s["replicas"], 3);
    assert_eq!(s["updatedReplicas"], 3);
    assert_eq!(s["readyReplicas"], 3);
    assert_eq!(s["availableReplicas"], 3);
    assert_eq!(s["observedGeneration"], 1);
    assert!(s.get("unavailableReplicas").is_none());
    let p = meta::condition(&sim.deploy, "Progressing").unwrap();
    assert_eq!(p["reason"], "NewReplicaSetAvailable");
    assert_eq!(
        p["message"],
        format!("ReplicaSet \"web-{hash}\" has successfully progressed.")
    );
    assert_eq!(
        meta::condition(&sim.deploy, "Available").unwrap()["status"],
        "True"
    );
    assert!(rollout_complete(&sim.deploy));
}

#[test]
fn a_template_change_rolls_within_surge_and_unavailability() {
    let mut sim = Sim::new(deployment(4, "nginx:1"));
    sim.converge();
    sim.max_total_pods = 0;
    sim.min_available = i64::MAX;
    sim.deploy["spec"]["template"]["metadata"]["annotations"] =
        json!({"kubectl.kubernetes.io/restartedAt": "now"});
    sim.deploy["metadata"]["generation"] = json!(2);
    sim.converge();
    assert_eq!(sim.rss.len(), 2);
    let (old, new): (Vec<&Value>, Vec<&Value>) = sim
        .rss
        .iter()
        .partition(|r| r["metadata"]["annotations"][REVISION] == "1");
    assert_eq!(old[0]["spec"]["replicas"], 0);
    assert_eq!(new[0]["spec"]["replicas"], 4);
    assert_eq!(new[0]["metadata"]["annotations"][REVISION], "2");
    assert_eq!(
        new[0]["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
        "now"
    );
    // 25% of 4: surge 1, unavailable 1.
    assert!(
        sim.max_total_pods <= 5,
        "surge exceeded: {}",
        sim.max_total_pods
    );
    assert!(
        sim.min_available >= 3,
        "too many unavailable: {}",
        sim.min_available
    );
    assert_eq!(sim.deploy["status"]["observedGeneration"], 2);
    assert!(rollout_complete(&sim.deploy));
}

#[test]
fn a_rollout_waits_for_new_pods_to_be_ready() {
    let mut sim = Sim::new(deployment(2, "nginx:1"));
    sim.converge();
    sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    sim.deploy["metadata"]["generation"] = json!(2);
    for _ in 0..10 {
        sim.round(false);
    }
    let old = sim
        .rss
        .iter()
        .find(|r| r["metadata"]["annotations"][REVISION] == "1")
        .unwrap();
    assert!(
        old["spec"]["replicas"].as_i64().unwrap() >= 2,
        "old pods kept while new ones are not ready"
    );
    assert!(!rollout_complete(&sim.deploy));
    assert_eq!(
        meta::condition(&sim.deploy, "Progressing").unwrap()["reason"],
        "ReplicaSetUpdated"
    );
    sim.converge();
    assert!(rollout_complete(&sim.deploy));
}

#[test]
fn recreate_scales_old_down_first() {
    let mut d = deployment(2, "nginx:1");
    d["spec"]["strategy"] = json!({"type": "Recreate"});
    let mut sim = Sim::new(d);
    sim.converge();
    sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    let p = sim.round(true);
    let created = p.create.expect("new ReplicaSet");
    assert_eq!(created["spec"]["replicas"], 0);
    assert!(p.scale.iter().any(|(_, n)| *n == 0));
    sim.converge();
    assert!(rollout_complete(&sim.deploy));
}

#[test]
fn scaling_and_rollback_reuse_replica_sets() {
    let mut sim = Sim::new(deployment(2, "nginx:1"));
    sim.converge();
    sim.deploy["spec"]["replicas"] = json!(5);
    sim.converge();
    assert_eq!(sim.rss.len(), 1);
    assert_eq!(sim.deploy["status"]["availableReplicas"], 5);
    sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    sim.converge();
    sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1");
    let p = sim.round(true);
    assert!(p.create.is_none(), "the old ReplicaSet is reused");
    assert_eq!(p.revisions.len(), 1);
    assert_eq!(p.revisions[0].1, "3");
    sim.converge();
    assert_eq!(sim.rss.len(), 2);
    assert!(rollout_complete(&sim.deploy));
}

#[test]
fn history_limit_deletes_old_empty_replica_sets() {
    let mut d = deployment(1, "nginx:1");
    d["spec"]["revisionHistoryLimit"] = json!(1);
    let mut sim = Sim::new(d);
    for v in 1..=4 {
        sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] =
            json!(format!("nginx:{v}"));
        sim.converge();
    }
    assert_eq!(sim.rss.len(), 2);
}

#[test]
fn zero_replicas_is_complete_and_available() {
    let mut sim = Sim::new(deployment(0, "nginx:1"));
    sim.converge();
    assert!(rollout_complete(&sim.deploy));
    assert_eq!(
        meta::condition(&sim.deploy, "Available").unwrap()["status"],
        "True"
    );
    assert_eq!(
        meta::condition(&sim.deploy, "Progressing").unwrap()["reason"],
        "NewReplicaSetAvailable"
    );
}

#[test]
fn a_stalled_rollout_exceeds_its_deadline() {
    let mut d = deployment(1, "nginx:unpullable");
    d["spec"]["progressDeadlineSeconds"] = json!(5);
    let mut sim = Sim::new(d);
    for _ in 0..3 {
        sim.round(false);
    }
    let later = SystemTime::now() + Duration::from_secs(30);
    let p = plan(&sim.deploy, &sim.rss, later);
    let mut d = sim.deploy.clone();
    d["status"] = p.status;
    let c = meta::condition(&d, "Progressing").unwrap();
    assert_eq!(c["status"], "False");
    assert_eq!(c["reason"], "ProgressDeadlineExceeded");
    assert_eq!(meta::condition(&d, "Available").unwrap()["status"], "False");
}

#[test]
fn paused_deployments_do_not_roll() {
    let mut sim = Sim::new(deployment(1, "nginx:1"));
    sim.converge();
    sim.deploy["spec"]["paused"] = json!(true);
    sim.deploy["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    let p = sim.round(true);
    assert!(p.create.is_none() && p.scale.is_empty());
    assert_eq!(
        meta::condition(&sim.deploy, "Progressing").unwrap()["reason"],
        "DeploymentPaused"
    );
}
