//! The fake's world: projects, networks, instances, firewall rules, operations, tokens, faults.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::FakeComputeOptions;
use super::errors::{self, ApiError};
use super::time::now_rfc3339;

/// A fault switched on by a test; it applies to every later Compute request until cleared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 403 "Required 'PERMISSION' permission for ..." for requests that need this IAM permission
    /// (`compute.firewalls.create|get|list|update|delete`, `compute.instances.get`, `compute.networks.get`).
    MissingPermission(String),
    /// 403 accessNotConfigured / SERVICE_DISABLED: the Compute Engine API is not enabled.
    ApiNotEnabled,
    /// 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT: the token lacks the compute or cloud-platform scope.
    InsufficientScopes,
    /// Mutations are accepted, but their operation ends `DONE` with this error (code, message).
    OperationError { code: String, message: String },
}

/// Which credential path a token grant came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantKind {
    ServiceAccount,
    AuthorizedUser,
    Metadata,
}

/// One access token handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub kind: GrantKind,
    /// The service account email, the user account, or `default` for the metadata server.
    pub subject: String,
    /// The scope asked for (JWT `scope` claim, or the metadata `scopes` query), if any.
    pub scope: Option<String>,
    /// The access token itself, so tests can check it never shows up in output.
    pub access_token: String,
}

/// One request received by the fake.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub body: Option<Value>,
    /// Whether an `Authorization: Bearer` header was present.
    pub authorized: bool,
    pub status: u16,
}

pub(crate) struct Project {
    pub number: u64,
    pub networks: BTreeMap<String, Value>,
    pub firewalls: BTreeMap<String, Value>,
    /// (zone, name) → instance
    pub instances: BTreeMap<(String, String), Value>,
}

pub(crate) enum Mutation {
    Insert(Value),
    Replace(Value),
    /// (name, id)
    Delete(String, String),
}

pub(crate) struct Operation {
    pub project: String,
    pub name: String,
    pub id: u64,
    pub op_type: &'static str,
    pub target_link: String,
    pub target_id: String,
    pub user: String,
    pub request_id: Option<String>,
    pub insert_time: String,
    pub started: Instant,
    pub end_time: Option<String>,
    pub error: Option<(String, String)>,
    pub mutation: Option<Mutation>,
}

pub(crate) struct State {
    pub base: String,
    pub allow_anonymous: bool,
    pub operation_duration: Duration,
    pub metadata_enabled: bool,
    pub metadata_project: String,
    pub projects: BTreeMap<String, Project>,
    pub operations: Vec<Operation>,
    pub fault: Option<Fault>,
    pub requests: Vec<RecordedRequest>,
    pub grants: Vec<Grant>,
    /// access token → principal
    pub tokens: HashMap<String, String>,
    /// service account email → registered (uses the built-in test key)
    pub service_accounts: BTreeMap<String, ()>,
    /// refresh token → user account
    pub users: HashMap<String, String>,
    pub next_id: u64,
}

impl State {
    pub fn new(options: &FakeComputeOptions, base: &str) -> State {
        let mut state = State {
            base: base.to_string(),
            allow_anonymous: options.allow_anonymous,
            operation_duration: options.operation_duration,
            metadata_enabled: options.metadata_enabled,
            metadata_project: options
                .metadata_project
                .clone()
                .or_else(|| options.projects.first().cloned())
                .unwrap_or_else(|| "test-project".to_string()),
            projects: BTreeMap::new(),
            operations: Vec::new(),
            fault: None,
            requests: Vec::new(),
            grants: Vec::new(),
            tokens: HashMap::new(),
            service_accounts: BTreeMap::new(),
            users: HashMap::new(),
            next_id: 4_000_000_000_000_000_000,
        };
        for p in &options.projects {
            state.add_project(p);
        }
        state
    }

    pub fn id(&mut self) -> u64 {
        self.next_id += 7_919;
        self.next_id
    }

    pub fn random_hex(&mut self, len: usize) -> String {
        let mut bytes = vec![0u8; len.div_ceil(2)];
        // Not security-relevant: a fresh token per grant, unpredictable enough for a fake.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let seed = self.id().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ nanos;
        let mut x = seed | 1;
        for b in &mut bytes {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = (x >> 24) as u8;
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        hex[..len].to_string()
    }

    pub fn project_url(&self, project: &str) -> String {
        format!("{}/compute/v1/projects/{project}", self.base)
    }

    pub fn add_project(&mut self, project: &str) {
        if self.projects.contains_key(project) {
            return;
        }
        let number = 100_000_000_000 + self.projects.len() as u64 * 1_111 + 42;
        self.projects.insert(
            project.to_string(),
            Project {
                number,
                networks: BTreeMap::new(),
                firewalls: BTreeMap::new(),
                instances: BTreeMap::new(),
            },
        );
        self.add_network(project, "default");
    }

    pub fn add_network(&mut self, project: &str, network: &str) {
        self.add_project(project);
        let id = self.id();
        let url = self.project_url(project);
        let value = json!({
            "kind": "compute#network",
            "id": id.to_string(),
            "creationTimestamp": now_rfc3339(),
            "name": network,
            "description": if network == "default" { "Default network for the project" } else { "" },
            "selfLink": format!("{url}/global/networks/{network}"),
            "selfLinkWithId": format!("{url}/global/networks/{id}"),
            "autoCreateSubnetworks": true,
            "routingConfig": { "routingMode": "REGIONAL" },
            "networkFirewallPolicyEnforcementOrder": "AFTER_CLASSIC_FIREWALL",
        });
        if let Some(p) = self.projects.get_mut(project) {
            p.networks.insert(network.to_string(), value);
        }
    }

    pub fn add_instance(&mut self, project: &str, zone: &str, name: &str, tags: &[&str]) {
        self.add_project(project);
        let id = self.id();
        let url = self.project_url(project);
        let index = self.projects[project].instances.len() as u32;
        let value = json!({
            "kind": "compute#instance",
            "id": id.to_string(),
            "creationTimestamp": now_rfc3339(),
            "name": name,
            "tags": { "items": tags, "fingerprint": "42WmSpB8rSM=" },
            "machineType": format!("{url}/zones/{zone}/machineTypes/e2-medium"),
            "status": "RUNNING",
            "zone": format!("{url}/zones/{zone}"),
            "networkInterfaces": [{
                "kind": "compute#networkInterface",
                "network": format!("{url}/global/networks/default"),
                "networkIP": format!("10.128.0.{}", 10 + index),
                "name": "nic0",
                "accessConfigs": [{
                    "kind": "compute#accessConfig",
                    "type": "ONE_TO_ONE_NAT",
                    "name": "External NAT",
                    "natIP": format!("34.70.0.{}", 10 + index),
                    "networkTier": "PREMIUM"
                }],
                "stackType": "IPV4_ONLY"
            }],
            "selfLink": format!("{url}/zones/{zone}/instances/{name}"),
            "labels": {},
            "cpuPlatform": "Intel Broadwell",
            "deletionProtection": false,
        });
        if let Some(p) = self.projects.get_mut(project) {
            p.instances
                .insert((zone.to_string(), name.to_string()), value);
        }
    }

    pub fn register_service_account(&mut self, email: &str) {
        self.service_accounts.insert(email.to_string(), ());
    }

    pub fn register_user(&mut self, account: &str) -> String {
        let token = format!("1//0fake-refresh-{}", self.random_hex(24));
        self.users.insert(token.clone(), account.to_string());
        token
    }

    pub fn issue_token(&mut self, kind: GrantKind, subject: &str, scope: Option<String>) -> String {
        let token = format!("ya29.fake-{}", self.random_hex(40));
        self.tokens.insert(token.clone(), subject.to_string());
        self.grants.push(Grant {
            kind,
            subject: subject.to_string(),
            scope,
            access_token: token.clone(),
        });
        token
    }

    pub fn project(&self, project: &str) -> Result<&Project, ApiError> {
        self.projects
            .get(project)
            .ok_or_else(|| errors::not_found(&format!("projects/{project}")))
    }

    pub fn firewalls(&self, project: &str) -> Vec<Value> {
        self.projects
            .get(project)
            .map(|p| p.firewalls.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether this project's firewall lets a TCP connection from `peer` reach `port` of the
    /// instance named `instance`, as GCE decides for ingress: the matching rule (direction INGRESS,
    /// not disabled, same network, a source range holding `peer`, no target tags or one of the
    /// instance's, the protocol and port) with the lowest priority number wins, a deny winning a
    /// tie; no matching rule means denied (the implied deny-all ingress rule).
    pub fn admits(&self, project: &str, instance: &str, peer: std::net::IpAddr, port: u16) -> bool {
        let Some(p) = self.projects.get(project) else {
            return false;
        };
        let Some(vm) = p
            .instances
            .iter()
            .find(|((_, name), _)| name == instance)
            .map(|(_, v)| v)
        else {
            return false;
        };
        let tags: Vec<&str> = vm["tags"]["items"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let network = vm["networkInterfaces"][0]["network"]
            .as_str()
            .unwrap_or_default();
        let mut best: Option<(i64, bool)> = None;
        for rule in p.firewalls.values() {
            let targets_ok = match rule["targetTags"].as_array() {
                Some(t) if !t.is_empty() => t
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| tags.contains(&t))),
                _ => true,
            };
            let sources_ok = rule["sourceRanges"].as_array().is_some_and(|ranges| {
                ranges
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|r| cidr_contains(r, peer))
            });
            let applies = rule["direction"].as_str().unwrap_or("INGRESS") == "INGRESS"
                && rule["disabled"] != true
                && rule["network"].as_str() == Some(network)
                && targets_ok
                && sources_ok;
            if !applies {
                continue;
            }
            let (entries, allow) = match (rule["allowed"].as_array(), rule["denied"].as_array()) {
                (Some(a), _) => (a, true),
                (None, Some(d)) => (d, false),
                _ => continue,
            };
            if !entries.iter().any(|e| covers(e, port)) {
                continue;
            }
            let priority = rule["priority"].as_i64().unwrap_or(1000);
            best = match best {
                Some((p, a)) if p < priority || (p == priority && !a) => Some((p, a)),
                _ => Some((priority, allow)),
            };
        }
        best.is_some_and(|(_, allow)| allow)
    }

    pub fn firewall(&self, project: &str, name: &str) -> Option<Value> {
        self.projects.get(project)?.firewalls.get(name).cloned()
    }

    pub fn insert_firewall_now(&mut self, project: &str, rule: Value) -> Result<(), ApiError> {
        let rule = self.complete_firewall(project, rule, None)?;
        let name = rule["name"].as_str().unwrap_or_default().to_string();
        if let Some(p) = self.projects.get_mut(project) {
            p.firewalls.insert(name, rule);
        }
        Ok(())
    }

    /// Validates a firewall body and fills the fields the server owns. `existing` keeps id and
    /// creation time on update.
    pub fn complete_firewall(
        &mut self,
        project: &str,
        mut rule: Value,
        existing: Option<&Value>,
    ) -> Result<Value, ApiError> {
        super::compute::validate_firewall(&rule)?;
        let name = rule["name"].as_str().unwrap_or_default().to_string();
        let network_name = match rule.get("network").and_then(Value::as_str) {
            None => "default".to_string(),
            Some(n) => n.rsplit('/').next().unwrap_or(n).to_string(),
        };
        let p = self.project(project)?;
        if !p.networks.contains_key(&network_name) {
            return Err(errors::not_found(&format!(
                "projects/{project}/global/networks/{network_name}"
            )));
        }
        let url = self.project_url(project);
        let id = match existing {
            Some(e) => e["id"].as_str().unwrap_or_default().to_string(),
            None => self.id().to_string(),
        };
        let created = existing
            .and_then(|e| e["creationTimestamp"].as_str())
            .map(str::to_string)
            .unwrap_or_else(now_rfc3339);
        let obj = rule.as_object_mut().expect("validated as an object");
        obj.insert("kind".into(), json!("compute#firewall"));
        obj.insert("id".into(), json!(id));
        obj.insert("creationTimestamp".into(), json!(created));
        obj.insert(
            "network".into(),
            json!(format!("{url}/global/networks/{network_name}")),
        );
        obj.entry("priority").or_insert(json!(1000));
        obj.entry("direction").or_insert(json!("INGRESS"));
        let ingress = obj["direction"] == "INGRESS";
        let has_source = ["sourceRanges", "sourceTags", "sourceServiceAccounts"]
            .iter()
            .any(|k| {
                obj.get(*k)
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            });
        if ingress && !has_source {
            obj.insert("sourceRanges".into(), json!(["0.0.0.0/0"]));
        }
        if !ingress && !obj.contains_key("destinationRanges") {
            obj.insert("destinationRanges".into(), json!(["0.0.0.0/0"]));
        }
        obj.entry("description").or_insert(json!(""));
        obj.entry("logConfig").or_insert(json!({ "enable": false }));
        obj.entry("disabled").or_insert(json!(false));
        obj.insert(
            "selfLink".into(),
            json!(format!("{url}/global/firewalls/{name}")),
        );
        // Empty lists are not returned by the API.
        obj.retain(|_, v| !matches!(v, Value::Array(a) if a.is_empty()) && !v.is_null());
        Ok(rule)
    }

    pub fn new_operation(
        &mut self,
        project: &str,
        op_type: &'static str,
        user: String,
        request_id: Option<String>,
        mutation: Mutation,
    ) -> usize {
        let id = self.id();
        let name = format!(
            "operation-{}-{}-{}-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0),
            self.random_hex(13),
            self.random_hex(8),
            self.random_hex(8)
        );
        let (target, target_id) = match &mutation {
            Mutation::Insert(rule) | Mutation::Replace(rule) => (
                rule["name"].as_str().unwrap_or_default().to_string(),
                rule["id"].as_str().unwrap_or_default().to_string(),
            ),
            Mutation::Delete(name, id) => (name.clone(), id.clone()),
        };
        let target_link = format!("{}/global/firewalls/{target}", self.project_url(project));
        let error = match &self.fault {
            Some(Fault::OperationError { code, message }) => Some((code.clone(), message.clone())),
            _ => None,
        };
        self.operations.push(Operation {
            project: project.to_string(),
            name,
            id,
            op_type,
            target_link,
            target_id,
            user,
            request_id,
            insert_time: now_rfc3339(),
            started: Instant::now(),
            end_time: None,
            error,
            mutation: Some(mutation),
        });
        self.operations.len() - 1
    }

    /// Finishes every operation whose time has come, applying its change (or its error).
    pub fn advance(&mut self, now: Instant) {
        for i in 0..self.operations.len() {
            let op = &self.operations[i];
            if op.end_time.is_some() || now.duration_since(op.started) < self.operation_duration {
                continue;
            }
            let project = op.project.clone();
            let failed = op.error.is_some();
            let mutation = self.operations[i].mutation.take();
            self.operations[i].end_time = Some(now_rfc3339());
            if failed {
                continue;
            }
            let Some(p) = self.projects.get_mut(&project) else {
                continue;
            };
            match mutation {
                Some(Mutation::Insert(rule)) | Some(Mutation::Replace(rule)) => {
                    let name = rule["name"].as_str().unwrap_or_default().to_string();
                    p.firewalls.insert(name, rule);
                }
                Some(Mutation::Delete(name, _)) => {
                    p.firewalls.remove(&name);
                }
                None => {}
            }
        }
    }

    /// A pending insert of this rule name, if any (so two inserts of one name conflict).
    pub fn pending_insert(&self, project: &str, name: &str) -> bool {
        self.operations.iter().any(|op| {
            op.project == project
                && op.end_time.is_none()
                && matches!(&op.mutation, Some(Mutation::Insert(r)) if r["name"] == name)
        })
    }

    pub fn render_operation(&self, index: usize, now: Instant) -> Value {
        let op = &self.operations[index];
        let elapsed = now.duration_since(op.started);
        let status = if op.end_time.is_some() {
            "DONE"
        } else if elapsed < self.operation_duration / 3 {
            "PENDING"
        } else {
            "RUNNING"
        };
        let url = self.project_url(&op.project);
        let mut v = json!({
            "kind": "compute#operation",
            "id": op.id.to_string(),
            "name": op.name,
            "operationType": op.op_type,
            "targetLink": op.target_link,
            "targetId": op.target_id,
            "status": status,
            "user": op.user,
            "progress": if status == "DONE" { 100 } else { 0 },
            "insertTime": op.insert_time,
            "selfLink": format!("{url}/global/operations/{}", op.name),
            "selfLinkWithId": format!("{url}/global/operations/{}", op.id),
        });
        if status != "PENDING" {
            v["startTime"] = json!(op.insert_time);
        }
        if let Some(end) = &op.end_time {
            v["endTime"] = json!(end);
        }
        if status == "DONE"
            && let Some((code, message)) = &op.error
        {
            v["error"] = json!({ "errors": [{ "code": code, "message": message }] });
            v["httpErrorStatusCode"] = json!(400);
            v["httpErrorMessage"] = json!("BAD REQUEST");
        }
        v
    }

    pub fn operations_rendered(&self) -> Vec<Value> {
        let now = Instant::now();
        (0..self.operations.len())
            .map(|i| self.render_operation(i, now))
            .collect()
    }

    pub fn find_operation(&self, project: &str, name: &str) -> Option<usize> {
        self.operations
            .iter()
            .position(|op| op.project == project && (op.name == name || op.id.to_string() == name))
    }

    pub fn find_by_request_id(&self, project: &str, request_id: &str) -> Option<usize> {
        self.operations
            .iter()
            .position(|op| op.project == project && op.request_id.as_deref() == Some(request_id))
    }
}

/// Whether an `allowed`/`denied` entry covers TCP `port` (no ports: every port).
fn covers(entry: &Value, port: u16) -> bool {
    let protocol = entry["IPProtocol"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if protocol != "tcp" && protocol != "all" && protocol != "6" {
        return false;
    }
    match entry["ports"].as_array() {
        None => true,
        Some(ports) if ports.is_empty() => true,
        Some(ports) => ports.iter().filter_map(Value::as_str).any(|p| match p.split_once('-') {
            Some((lo, hi)) => matches!((lo.parse::<u16>(), hi.parse::<u16>()), (Ok(lo), Ok(hi)) if lo <= port && port <= hi),
            None => p.parse::<u16>() == Ok(port),
        }),
    }
}

/// Whether the IPv4 CIDR `range` (or a bare address) holds `ip`.
fn cidr_contains(range: &str, ip: std::net::IpAddr) -> bool {
    let std::net::IpAddr::V4(ip) = ip else {
        return false;
    };
    let (base, bits) = range.split_once('/').unwrap_or((range, "32"));
    let (Ok(base), Ok(bits)) = (base.parse::<std::net::Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    if bits > 32 {
        return false;
    }
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    (u32::from(base) & mask) == (u32::from(ip) & mask)
}

#[cfg(test)]
mod admission_tests {
    use super::*;

    fn state() -> State {
        let mut s = State::new(&crate::gcp::FakeComputeOptions::default(), "http://x");
        s.add_instance("test-project", "us-central1-a", "node-1", &["gke-node"]);
        s
    }

    fn rule(name: &str, extra: Value) -> Value {
        let mut r = json!({"name": name, "network": "global/networks/default",
                           "allowed": [{"IPProtocol": "tcp", "ports": ["30000-30100"]}],
                           "sourceRanges": ["0.0.0.0/0"]});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    }

    const PEER: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn nothing_is_admitted_without_a_rule() {
        assert!(!state().admits("test-project", "node-1", PEER, 30002));
    }

    #[test]
    fn a_matching_allow_rule_admits_its_ports_only() {
        let mut s = state();
        s.insert_firewall_now(
            "test-project",
            rule("allow", json!({"targetTags": ["gke-node"]})),
        )
        .unwrap();
        assert!(s.admits("test-project", "node-1", PEER, 30002));
        assert!(!s.admits("test-project", "node-1", PEER, 8080));
        assert!(!s.admits("test-project", "node-2", PEER, 30002));
    }

    #[test]
    fn tags_sources_disabled_and_deny_priority_are_honoured() {
        let mut s = state();
        s.insert_firewall_now(
            "test-project",
            rule("other-tag", json!({"targetTags": ["web"]})),
        )
        .unwrap();
        s.insert_firewall_now(
            "test-project",
            rule("elsewhere", json!({"sourceRanges": ["10.0.0.0/8"]})),
        )
        .unwrap();
        s.insert_firewall_now("test-project", rule("off", json!({"disabled": true})))
            .unwrap();
        assert!(!s.admits("test-project", "node-1", PEER, 30002));
        s.insert_firewall_now("test-project", rule("on", json!({})))
            .unwrap();
        assert!(s.admits("test-project", "node-1", PEER, 30002));
        s.insert_firewall_now(
            "test-project",
            json!({"name": "deny", "network": "global/networks/default", "priority": 900,
                   "denied": [{"IPProtocol": "all"}], "sourceRanges": ["127.0.0.0/8"]}),
        )
        .unwrap();
        assert!(!s.admits("test-project", "node-1", PEER, 30002));
    }
}
