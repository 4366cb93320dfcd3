//! Firewall rules as rigger wants them: client-side validation, the exact Compute API request body,
//! and the difference between an existing rule and the wanted one.

use serde::Serialize;
use serde_json::{Value, json};

/// The rule `rigger firewall allow` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub name: String,
    pub network: String,
    pub protocol: String,
    /// Ports or ranges as the API writes them: `"31380"`, `"8000-8080"`.
    pub ports: Vec<String>,
    pub source_ranges: Vec<String>,
    pub target_tags: Vec<String>,
    pub priority: u32,
    pub description: String,
}

/// Protocols the Compute API names (a number 0-255 is accepted too).
const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "esp", "ah", "sctp", "ipip", "all"];
const PORT_PROTOCOLS: &[&str] = &["tcp", "udp", "sctp", "all"];

/// Checks everything the API would reject, before any call. Returns every problem found, one per line.
pub fn validate(spec: &RuleSpec) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if !is_gce_name(&spec.name) {
        problems.push(format!(
            "rule name {:?} is not valid: use 1-63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
            spec.name
        ));
    }
    if !is_gce_name(&spec.network) {
        problems.push(format!("network name {:?} is not valid", spec.network));
    }
    let protocol = spec.protocol.as_str();
    if !PROTOCOLS.contains(&protocol) && protocol.parse::<u8>().is_err() {
        problems.push(format!(
            "protocol {protocol:?} is not valid: use one of {} or an IP protocol number 0-255",
            PROTOCOLS.join(", ")
        ));
    } else if !spec.ports.is_empty() && !PORT_PROTOCOLS.contains(&protocol) {
        problems.push(format!(
            "ports can only be given for tcp, udp, sctp or all, not {protocol}"
        ));
    }
    if spec.ports.is_empty() && PORT_PROTOCOLS.contains(&protocol) && protocol != "all" {
        problems.push("no port given: pass --port (or --from-gateway)".to_string());
    }
    for port in &spec.ports {
        if let Err(why) = parse_port_range(port) {
            problems.push(why);
        }
    }
    for range in &spec.source_ranges {
        if let Err(why) = parse_cidr(range) {
            problems.push(why);
        }
    }
    for tag in &spec.target_tags {
        if !is_gce_name(tag) {
            problems.push(format!(
                "target tag {tag:?} is not valid: use 1-63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen"
            ));
        }
    }
    if spec.priority > 65535 {
        problems.push(format!(
            "priority {} is not valid: use 0-65535",
            spec.priority
        ));
    }
    if spec.description.chars().count() > 2048 {
        problems.push("description is longer than 2048 characters".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, the Compute resource name rule (tags follow it too).
pub fn is_gce_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

/// `P` or `LO-HI`, each 1-65535, LO ≤ HI. Returns (lo, hi).
pub fn parse_port_range(text: &str) -> Result<(u16, u16), String> {
    let port = |p: &str| -> Result<u16, String> {
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && p.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(n as u16)
            }
            _ => Err(format!(
                "port {text:?} is not valid: ports are numbers from 1 to 65535"
            )),
        }
    };
    match text.split_once('-') {
        None => port(text).map(|p| (p, p)),
        Some((lo, hi)) => {
            let (lo, hi) = (port(lo)?, port(hi)?);
            if lo > hi {
                Err(format!(
                    "port range {text:?} is not valid: {lo} is greater than {hi}"
                ))
            } else {
                Ok((lo, hi))
            }
        }
    }
}

/// An IPv4/IPv6 address or CIDR range. Host bits set after the prefix are refused (the API would
/// quietly widen or reject them, and either surprises people).
pub fn parse_cidr(text: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("source range {text:?} is not valid: {why}"));
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return bad("expected an IP address or CIDR range such as 203.0.113.0/24");
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let Some(prefix) = prefix else { return Ok(()) };
    let Ok(bits) = prefix.parse::<u32>() else {
        return bad("the prefix length after / must be a number");
    };
    if bits > max || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return bad(&format!("the prefix length must be 0-{max}"));
    }
    let host_bits_set = match ip {
        std::net::IpAddr::V4(v4) => {
            let n = u32::from(v4);
            bits < 32 && n & (u32::MAX >> bits) != 0
        }
        std::net::IpAddr::V6(v6) => {
            let n = u128::from(v6);
            bits < 128 && n & (u128::MAX >> bits) != 0
        }
    };
    if host_bits_set {
        return bad(
            "address bits are set beyond the prefix length (did you mean the network address?)",
        );
    }
    Ok(())
}

/// The exact body of `firewalls.insert` / `firewalls.update` for this rule.
pub fn request_body(spec: &RuleSpec, project: &str) -> Value {
    let mut body = json!({
        "name": spec.name,
        "network": format!("projects/{project}/global/networks/{}", spec.network),
        "direction": "INGRESS",
        "priority": spec.priority,
        "allowed": [allowed_entry(spec)],
        "sourceRanges": spec.source_ranges,
    });
    if !spec.target_tags.is_empty() {
        body["targetTags"] = json!(spec.target_tags);
    }
    if !spec.description.is_empty() {
        body["description"] = json!(spec.description);
    }
    body
}

fn allowed_entry(spec: &RuleSpec) -> Value {
    if spec.ports.is_empty() {
        json!({ "IPProtocol": spec.protocol })
    } else {
        json!({ "IPProtocol": spec.protocol, "ports": spec.ports })
    }
}

/// One field that differs between the rule in the project and the wanted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub current: Value,
    pub wanted: Value,
}

/// Compares an existing rule (as the API returns it) with the wanted body. Order inside lists does
/// not matter; server-filled defaults (empty description, logConfig off, not disabled) are not
/// differences.
pub fn diff(existing: &Value, wanted: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut push = |field: &str, current: Value, wanted: Value| {
        changes.push(FieldChange {
            field: field.to_string(),
            current,
            wanted,
        })
    };
    let last_segment = |v: &Value| {
        v.as_str()
            .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            .unwrap_or_else(|| "default".to_string())
    };
    let (have_net, want_net) = (
        last_segment(&existing["network"]),
        last_segment(&wanted["network"]),
    );
    if have_net != want_net {
        push("network", json!(have_net), json!(want_net));
    }
    let text = |v: &Value, default: &str| v.as_str().unwrap_or(default).to_string();
    if text(&existing["direction"], "INGRESS") != text(&wanted["direction"], "INGRESS") {
        push(
            "direction",
            existing["direction"].clone(),
            wanted["direction"].clone(),
        );
    }
    let priority = |v: &Value| v.as_u64().unwrap_or(1000);
    if priority(&existing["priority"]) != priority(&wanted["priority"]) {
        push(
            "priority",
            existing["priority"].clone(),
            wanted["priority"].clone(),
        );
    }
    if normal_rules(&existing["allowed"]) != normal_rules(&wanted["allowed"]) {
        push(
            "allowed",
            existing["allowed"].clone(),
            wanted["allowed"].clone(),
        );
    }
    for field in [
        "denied",
        "sourceRanges",
        "targetTags",
        "sourceTags",
        "sourceServiceAccounts",
        "targetServiceAccounts",
        "destinationRanges",
    ] {
        if field == "destinationRanges" && text(&wanted["direction"], "INGRESS") == "INGRESS" {
            continue; // the API fills it for egress only; meaningless on ingress
        }
        if field == "denied" {
            if normal_rules(&existing[field]) != normal_rules(&wanted[field]) {
                push(field, existing[field].clone(), wanted[field].clone());
            }
            continue;
        }
        if sorted_strings(&existing[field]) != sorted_strings(&wanted[field]) {
            push(field, or_empty(&existing[field]), or_empty(&wanted[field]));
        }
    }
    if text(&existing["description"], "") != text(&wanted["description"], "") {
        push(
            "description",
            json!(text(&existing["description"], "")),
            json!(text(&wanted["description"], "")),
        );
    }
    if existing["disabled"].as_bool().unwrap_or(false) {
        push("disabled", json!(true), json!(false));
    }
    changes
}

fn or_empty(v: &Value) -> Value {
    if v.is_null() { json!([]) } else { v.clone() }
}

fn sorted_strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// `[{IPProtocol, ports}]` as a sorted set of (protocol, port) pairs, ranges kept as written.
fn normal_rules(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in v.as_array().into_iter().flatten() {
        let proto = entry["IPProtocol"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        let ports = sorted_strings(&entry["ports"]);
        if ports.is_empty() {
            out.push((proto.clone(), String::new()));
        }
        for p in ports {
            out.push((proto.clone(), p));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `tcp:80,tcp:8000-8080` — the way gcloud shows the allowed list.
pub fn rules_summary(rules: &Value) -> String {
    let mut parts = Vec::new();
    for entry in rules.as_array().into_iter().flatten() {
        let proto = entry["IPProtocol"].as_str().unwrap_or_default();
        let ports = entry["ports"].as_array().filter(|p| !p.is_empty());
        match ports {
            None => parts.push(proto.to_string()),
            Some(ports) => {
                for p in ports {
                    parts.push(format!("{proto}:{}", p.as_str().unwrap_or_default()));
                }
            }
        }
    }
    parts.join(",")
}

/// A random version-4 UUID for `requestId` (retries with the same id are applied once).
pub fn request_id() -> String {
    use ring::rand::SecureRandom as _;
    let mut b = [0u8; 16];
    // SystemRandom only fails when the OS has no randomness; fall back to the clock then.
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(1);
        b = nanos.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RuleSpec {
        RuleSpec {
            name: "allow-gateway-http".into(),
            network: "default".into(),
            protocol: "tcp".into(),
            ports: vec!["31380".into()],
            source_ranges: vec!["0.0.0.0/0".into()],
            target_tags: vec!["gke-node".into()],
            priority: 1000,
            description: String::new(),
        }
    }

    #[test]
    fn a_good_rule_validates() {
        assert_eq!(validate(&spec()), Ok(()));
    }

    #[test]
    fn every_problem_is_reported() {
        let mut s = spec();
        s.name = "Allow_HTTP".into();
        s.ports = vec![
            "0".into(),
            "70000".into(),
            "90-80".into(),
            "8000-8080".into(),
        ];
        s.source_ranges = vec![
            "10.0.0.0/33".into(),
            "10.0.0.1/8".into(),
            "nonsense".into(),
            "2001:db8::/32".into(),
        ];
        s.target_tags = vec!["Bad Tag".into()];
        s.priority = 70000;
        let problems = validate(&s).unwrap_err();
        assert_eq!(problems.len(), 9, "{problems:#?}");
        assert!(problems[0].contains("rule name \"Allow_HTTP\""));
        assert!(problems.iter().any(|p| p.contains("90 is greater than 80")));
        assert!(problems.iter().any(|p| p.contains("beyond the prefix")));
    }

    #[test]
    fn names_follow_the_api_pattern() {
        assert!(is_gce_name("a"));
        assert!(is_gce_name("allow-1"));
        assert!(is_gce_name(&"a".repeat(63)));
        assert!(!is_gce_name(&"a".repeat(64)));
        assert!(!is_gce_name("-a"));
        assert!(!is_gce_name("a-"));
        assert!(!is_gce_name("9a"));
        assert!(!is_gce_name(""));
    }

    #[test]
    fn ports_and_protocols() {
        assert_eq!(parse_port_range("80"), Ok((80, 80)));
        assert_eq!(parse_port_range("1-65535"), Ok((1, 65535)));
        assert!(parse_port_range("+80").is_err());
        assert!(parse_port_range("").is_err());
        let mut s = spec();
        s.protocol = "icmp".into();
        assert!(validate(&s).unwrap_err()[0].contains("ports can only be given"));
        s.ports.clear();
        assert_eq!(validate(&s), Ok(()));
        s.protocol = "tcp".into();
        assert!(validate(&s).unwrap_err()[0].contains("no port given"));
    }

    #[test]
    fn the_request_body_is_exact() {
        let body = request_body(&spec(), "p1");
        assert_eq!(
            body,
            json!({
                "name": "allow-gateway-http",
                "network": "projects/p1/global/networks/default",
                "direction": "INGRESS",
                "priority": 1000,
                "allowed": [{"IPProtocol": "tcp", "ports": ["31380"]}],
                "sourceRanges": ["0.0.0.0/0"],
                "targetTags": ["gke-node"],
            })
        );
    }

    #[test]
    fn an_identical_rule_has_no_diff_even_with_server_fields() {
        let wanted = request_body(&spec(), "p1");
        let existing = json!({
            "kind": "compute#firewall", "id": "1", "name": "allow-gateway-http",
            "network": "https://compute.googleapis.com/compute/v1/projects/p1/global/networks/default",
            "priority": 1000, "direction": "INGRESS", "description": "", "disabled": false,
            "logConfig": {"enable": false},
            "allowed": [{"IPProtocol": "tcp", "ports": ["31380"]}],
            "sourceRanges": ["0.0.0.0/0"], "targetTags": ["gke-node"], "selfLink": "x"
        });
        assert_eq!(diff(&existing, &wanted), vec![]);
    }

    #[test]
    fn differences_are_named() {
        let wanted = request_body(&spec(), "p1");
        let existing = json!({
            "name": "allow-gateway-http", "network": "projects/p1/global/networks/default",
            "priority": 900, "direction": "INGRESS",
            "allowed": [{"IPProtocol": "tcp", "ports": ["80"]}],
            "sourceRanges": ["10.0.0.0/8"], "disabled": true
        });
        let fields: Vec<String> = diff(&existing, &wanted)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "priority",
                "allowed",
                "sourceRanges",
                "targetTags",
                "disabled"
            ]
        );
    }

    #[test]
    fn summaries_and_request_ids() {
        assert_eq!(
            rules_summary(
                &json!([{"IPProtocol":"tcp","ports":["80","443"]},{"IPProtocol":"icmp"}])
            ),
            "tcp:80,tcp:443,icmp"
        );
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, request_id());
    }
}
