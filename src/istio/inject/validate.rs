//! Validation of the pod annotations Istio checks before injecting (`AnnotationValidation`).

use std::net::IpAddr;

use serde_json::{Map, Value};

use super::proxyconfig;

/// An annotation with a value Istio refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value '{value}' for annotation '{annotation}': {reason}")]
pub struct AnnotationError {
    pub annotation: String,
    pub value: String,
    pub reason: String,
}

type Check = fn(&str) -> Result<(), String>;

const CHECKS: &[(&str, Check)] = &[
    ("sidecar.istio.io/interceptionMode", interception_mode),
    ("status.sidecar.istio.io/port", status_port),
    (
        "readiness.status.sidecar.istio.io/initialDelaySeconds",
        uint32,
    ),
    ("readiness.status.sidecar.istio.io/periodSeconds", uint32),
    ("readiness.status.sidecar.istio.io/failureThreshold", uint32),
    (
        "traffic.sidecar.istio.io/includeOutboundIPRanges",
        include_ip_ranges,
    ),
    (
        "traffic.sidecar.istio.io/excludeOutboundIPRanges",
        exclude_ip_ranges,
    ),
    (
        "traffic.sidecar.istio.io/includeInboundPorts",
        include_inbound_ports,
    ),
    (
        "traffic.sidecar.istio.io/excludeInboundPorts",
        exclude_inbound_ports,
    ),
    (
        "traffic.sidecar.istio.io/includeOutboundPorts",
        include_outbound_ports,
    ),
    (
        "traffic.sidecar.istio.io/excludeOutboundPorts",
        exclude_outbound_ports,
    ),
    ("prometheus.istio.io/merge-metrics", boolean),
    ("proxy.istio.io/config", proxy_config),
];

/// Checks every annotation Istio validates; returns all failures, in annotation-name order.
pub fn validate_annotations(annotations: &Map<String, Value>) -> Vec<AnnotationError> {
    let mut errors = Vec::new();
    for (name, value) in annotations {
        let Some((_, check)) = CHECKS.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Err(reason) = check(&text) {
            errors.push(AnnotationError {
                annotation: name.clone(),
                value: text,
                reason,
            });
        }
    }
    errors
}

fn interception_mode(mode: &str) -> Result<(), String> {
    match mode {
        "REDIRECT" | "TPROXY" | "NONE" => Ok(()),
        _ => Err(format!(
            "interceptionMode invalid, use REDIRECT,TPROXY,NONE: {mode}"
        )),
    }
}

fn status_port(port: &str) -> Result<(), String> {
    parse_port(port)
        .map(|_| ())
        .map_err(|e| format!("excludeInboundPorts invalid: {e}"))
}

fn uint32(v: &str) -> Result<(), String> {
    v.parse::<u32>()
        .map(|_| ())
        .map_err(|_| format!("strconv.ParseUint: parsing {v:?}: invalid syntax"))
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn boolean(v: &str) -> Result<(), String> {
    parse_bool(v)
        .map(|_| ())
        .ok_or_else(|| format!("strconv.ParseBool: parsing {v:?}: invalid syntax"))
}

fn include_ip_ranges(v: &str) -> Result<(), String> {
    if v == "*" {
        return Ok(());
    }
    cidr_list(v).map_err(|e| format!("includeIPRanges invalid: {e}"))
}

fn exclude_ip_ranges(v: &str) -> Result<(), String> {
    cidr_list(v).map_err(|e| format!("excludeIPRanges invalid: {e}"))
}

fn include_inbound_ports(v: &str) -> Result<(), String> {
    if v == "*" {
        return Ok(());
    }
    port_list("includeInboundPorts", v)
}

fn exclude_inbound_ports(v: &str) -> Result<(), String> {
    port_list("excludeInboundPorts", v)
}

fn include_outbound_ports(v: &str) -> Result<(), String> {
    port_list("includeOutboundPorts", v)
}

fn exclude_outbound_ports(v: &str) -> Result<(), String> {
    port_list("excludeOutboundPorts", v)
}

fn proxy_config(v: &str) -> Result<(), String> {
    let doc: Value = crate::yaml::parse_document(v, "proxy.istio.io/config")
        .map_err(|e| format!("failed to convert to apply proxy config: {e}"))?;
    let overlay = proxyconfig::parse_proxy_config(&doc)
        .map_err(|e| format!("failed to convert to apply proxy config: {e}"))?;
    let merged = proxyconfig::merge_proxy_config(&proxyconfig::default_proxy_config(), &overlay);
    proxyconfig::validate_proxy_config(&merged).map_err(|e| e.to_string())
}

fn cidr_list(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Ok(());
    }
    for cidr in v.split(',') {
        parse_prefix(cidr).map_err(|e| {
            format!("failed parsing cidr '{cidr}': netip.ParsePrefix({cidr:?}): {e}")
        })?;
    }
    Ok(())
}

fn parse_prefix(cidr: &str) -> Result<(), String> {
    let (addr, bits) = cidr.rsplit_once('/').ok_or("no '/'")?;
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("ParseAddr({addr:?}): unable to parse IP"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if bits.is_empty()
        || bits.len() > 1 && bits.starts_with('0')
        || !bits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("bad bits after slash: {bits:?}"));
    }
    match bits.parse::<u32>() {
        Ok(b) if b <= max => Ok(()),
        _ => Err("prefix length out of range".to_string()),
    }
}

/// Parses one port (0..65535) as Istio does.
pub fn parse_port(port: &str) -> Result<u16, String> {
    port.trim().parse::<u16>().map_err(|_| {
        format!(
            "failed parsing port '{port}': strconv.ParseUint: parsing {:?}: invalid syntax",
            port.trim()
        )
    })
}

fn port_list(parameter: &str, ports: &str) -> Result<(), String> {
    let ports = ports.trim();
    if ports.is_empty() {
        return Ok(());
    }
    for p in ports.split(',') {
        parse_port(p)
            .map_err(|e| format!("{parameter} invalid: failed parsing port '{p}': {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errs(v: Value) -> Vec<AnnotationError> {
        validate_annotations(v.as_object().unwrap())
    }

    #[test]
    fn good_values_pass() {
        assert!(
            errs(json!({
                "traffic.sidecar.istio.io/includeOutboundIPRanges": "127.0.0.1/24,10.96.0.1/24",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges": "",
                "traffic.sidecar.istio.io/includeInboundPorts": "*",
                "traffic.sidecar.istio.io/excludeInboundPorts": "4,5,6",
                "status.sidecar.istio.io/port": "0",
                "readiness.status.sidecar.istio.io/periodSeconds": "200",
                "sidecar.istio.io/interceptionMode": "TPROXY",
                "prometheus.istio.io/merge-metrics": "false",
                "proxy.istio.io/config": "discoveryAddress: foo:123\nconcurrency: 0\n",
                "unrelated": "whatever",
            }))
            .is_empty()
        );
    }

    #[test]
    fn bad_values_name_the_annotation() {
        let e = errs(json!({"traffic.sidecar.istio.io/includeOutboundIPRanges": "bad"}));
        assert_eq!(e.len(), 1);
        assert!(
            e[0].to_string().to_lowercase().contains("includeipranges"),
            "{}",
            e[0]
        );
        let e = errs(json!({"traffic.sidecar.istio.io/excludeInboundPorts": "*"}));
        assert!(
            e[0].to_string()
                .to_lowercase()
                .contains("excludeinboundports"),
            "{}",
            e[0]
        );
        for (k, v) in [
            ("sidecar.istio.io/interceptionMode", "BOGUS"),
            ("status.sidecar.istio.io/port", "70000"),
            ("readiness.status.sidecar.istio.io/failureThreshold", "-1"),
            ("prometheus.istio.io/merge-metrics", "maybe"),
            ("proxy.istio.io/config", "notAField: 1"),
            (
                "traffic.sidecar.istio.io/excludeOutboundIPRanges",
                "10.0.0.0/33",
            ),
        ] {
            assert_eq!(errs(json!({ k: v })).len(), 1, "{k}={v}");
        }
    }
}
