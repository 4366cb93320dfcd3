//! Istio's `ProxyConfig` (the mesh-wide `meshConfig.defaultConfig`, overridable per pod with the
//! `proxy.istio.io/config` annotation) and the parts of `MeshConfig` injection reads.
//!
//! Both are kept as protobuf-JSON shaped `serde_json` maps (camelCase keys, durations as `"45s"`,
//! enums by name). Merging follows Istio: a field set by the overlay replaces the field below it,
//! except `proxyMetadata`, which is merged key by key. [`proxy_config_json`] writes the
//! `PROXY_CONFIG` value the way Istio does: fields in proto declaration order, fields equal to the
//! built-in defaults left out.

use serde_json::{Map, Value, json};

/// The kind of a ProxyConfig field, for parsing and printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Int,
    /// google.protobuf.Int32Value / UInt32Value: printed even when zero.
    IntWrapper,
    /// google.protobuf.BoolValue: printed even when false.
    BoolWrapper,
    Duration,
    Enum(&'static [&'static str]),
    Message,
    StrMap,
    StrList,
}

/// ProxyConfig fields in proto declaration order (the order protojson writes them in).
const FIELDS: &[(&str, Kind)] = &[
    ("configPath", Kind::Str),
    ("binaryPath", Kind::Str),
    ("serviceCluster", Kind::Str),
    (
        "tracingServiceName",
        Kind::Enum(&[
            "APP_LABEL_AND_NAMESPACE",
            "CANONICAL_NAME_ONLY",
            "CANONICAL_NAME_AND_NAMESPACE",
        ]),
    ),
    ("drainDuration", Kind::Duration),
    ("parentShutdownDuration", Kind::Duration),
    ("discoveryAddress", Kind::Str),
    ("discoveryRefreshDelay", Kind::Duration),
    ("zipkinAddress", Kind::Str),
    ("statsdUdpAddress", Kind::Str),
    ("envoyMetricsServiceAddress", Kind::Str),
    ("proxyAdminPort", Kind::Int),
    ("availabilityZone", Kind::Str),
    (
        "controlPlaneAuthPolicy",
        Kind::Enum(&["NONE", "MUTUAL_TLS", "INHERIT"]),
    ),
    ("customConfigFile", Kind::Str),
    ("statNameLength", Kind::Int),
    ("concurrency", Kind::IntWrapper),
    ("proxyBootstrapTemplatePath", Kind::Str),
    (
        "interceptionMode",
        Kind::Enum(&["REDIRECT", "TPROXY", "NONE"]),
    ),
    ("tracing", Kind::Message),
    ("sds", Kind::Message),
    ("envoyAccessLogService", Kind::Message),
    ("envoyMetricsService", Kind::Message),
    ("proxyMetadata", Kind::StrMap),
    ("runtimeValues", Kind::StrMap),
    ("statusPort", Kind::Int),
    ("extraStatTags", Kind::StrList),
    ("gatewayTopology", Kind::Message),
    ("terminationDrainDuration", Kind::Duration),
    ("meshId", Kind::Str),
    ("readinessProbe", Kind::Message),
    ("proxyStatsMatcher", Kind::Message),
    ("holdApplicationUntilProxyStarts", Kind::BoolWrapper),
    ("caCertificatesPem", Kind::StrList),
    ("image", Kind::Message),
    ("privateKeyProvider", Kind::Message),
    ("proxyHeaders", Kind::Message),
    ("fileFlushInterval", Kind::Duration),
    ("fileFlushMinSizeKb", Kind::IntWrapper),
    ("statsCompression", Kind::Message),
];

fn kind_of(field: &str) -> Option<Kind> {
    FIELDS
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, k)| *k)
}

/// Istio's `mesh.DefaultProxyConfig()`: what a proxy gets when nothing is configured.
pub fn default_proxy_config() -> Map<String, Value> {
    match json!({
        "configPath": "./etc/istio/proxy",
        "binaryPath": "/usr/local/bin/envoy",
        "serviceCluster": "istio-proxy",
        "drainDuration": "45s",
        "terminationDrainDuration": "5s",
        "proxyAdminPort": 15000,
        "controlPlaneAuthPolicy": "MUTUAL_TLS",
        "discoveryAddress": "istiod.istio-system.svc:15012",
        "statNameLength": 189,
        "statusPort": 15020,
        "concurrency": 2,
        "tracing": {"zipkin": {"address": "zipkin.istio-system:9411"}},
    }) {
        Value::Object(m) => m,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Istio's `mesh.DefaultMeshConfig()`, limited to what injection reads.
pub fn default_mesh_config() -> Value {
    json!({
        "proxyListenPort": 15001,
        "proxyInboundListenPort": 15006,
        "trustDomain": "cluster.local",
        "rootNamespace": "istio-system",
        "enablePrometheusMerge": true,
        "inboundTrafficPolicy": {"mode": "PASSTHROUGH"},
        "defaultConfig": Value::Object(default_proxy_config()),
    })
}

/// Why a ProxyConfig document is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProxyConfigError {
    #[error("not a YAML/JSON object: {0}")]
    NotAnObject(String),
    #[error("unknown field \"{0}\" in ProxyConfig")]
    UnknownField(String),
    #[error("field {field}: {reason}")]
    BadField { field: String, reason: String },
}

fn bad(field: &str, reason: impl Into<String>) -> ProxyConfigError {
    ProxyConfigError::BadField {
        field: field.to_string(),
        reason: reason.into(),
    }
}

fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks and normalizes one ProxyConfig document (from YAML): camelCase keys, durations in
/// protojson form, enums by name, ports and wrappers as numbers.
pub fn parse_proxy_config(doc: &Value) -> Result<Map<String, Value>, ProxyConfigError> {
    let map = match doc {
        Value::Object(m) => m,
        Value::Null => return Ok(Map::new()),
        other => return Err(ProxyConfigError::NotAnObject(other.to_string())),
    };
    let mut out = Map::new();
    for (key, value) in map {
        let key = camel(key);
        let kind = kind_of(&key).ok_or_else(|| ProxyConfigError::UnknownField(key.clone()))?;
        if value.is_null() {
            continue;
        }
        let v = match kind {
            Kind::Str => match value {
                Value::String(_) => value.clone(),
                Value::Number(n) => Value::String(n.to_string()),
                _ => return Err(bad(&key, "expected a string")),
            },
            Kind::Int | Kind::IntWrapper => {
                Value::from(as_int(value).ok_or_else(|| bad(&key, "expected an integer"))?)
            }
            Kind::BoolWrapper => match value {
                Value::Bool(_) => value.clone(),
                Value::String(s) if s == "true" || s == "false" => Value::Bool(s == "true"),
                _ => return Err(bad(&key, "expected true or false")),
            },
            Kind::Duration => {
                let text = value
                    .as_str()
                    .ok_or_else(|| bad(&key, "expected a duration such as \"45s\""))?;
                Value::String(format_duration(
                    parse_duration(text).map_err(|e| bad(&key, e))?,
                ))
            }
            Kind::Enum(names) => match value {
                Value::String(s) if names.contains(&s.as_str()) => value.clone(),
                Value::Number(n) => n
                    .as_u64()
                    .and_then(|i| names.get(i as usize))
                    .map(|s| Value::String(s.to_string()))
                    .ok_or_else(|| bad(&key, format!("expected one of {}", names.join(", "))))?,
                _ => return Err(bad(&key, format!("expected one of {}", names.join(", ")))),
            },
            Kind::Message => match value {
                Value::Object(_) => value.clone(),
                _ => return Err(bad(&key, "expected an object")),
            },
            Kind::StrMap => match value {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), Value::String(scalar_text(v))))
                        .collect(),
                ),
                _ => return Err(bad(&key, "expected a map of strings")),
            },
            Kind::StrList => match value {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|v| Value::String(scalar_text(v)))
                        .collect(),
                ),
                _ => return Err(bad(&key, "expected a list of strings")),
            },
        };
        out.insert(key, v);
    }
    Ok(out)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Istio's `applyProxyConfig`: fields of `overlay` replace those of `base`; `proxyMetadata` merges.
pub fn merge_proxy_config(
    base: &Map<String, Value>,
    overlay: &Map<String, Value>,
) -> Map<String, Value> {
    let mut out = base.clone();
    for (k, v) in overlay {
        if k == "proxyMetadata"
            && let (Some(Value::Object(old)), Value::Object(new)) = (base.get(k), v)
        {
            let mut merged = old.clone();
            merged.extend(new.clone());
            out.insert(k.clone(), Value::Object(merged));
            continue;
        }
        out.insert(k.clone(), v.clone());
    }
    out
}

/// Validates a ProxyConfig as Istio's agent validation does for the settings injection relies on.
pub fn validate_proxy_config(pc: &Map<String, Value>) -> Result<(), ProxyConfigError> {
    let port = |field: &str| -> Result<(), ProxyConfigError> {
        if let Some(p) = pc.get(field).and_then(Value::as_i64)
            && !(1..=65535).contains(&p)
        {
            return Err(bad(
                field,
                format!("port number {p} must be in the range 1..65535"),
            ));
        }
        Ok(())
    };
    port("proxyAdminPort")?;
    port("statusPort")?;
    if let Some(addr) = pc.get("discoveryAddress").and_then(Value::as_str) {
        let (host, p) = addr
            .rsplit_once(':')
            .ok_or_else(|| bad("discoveryAddress", format!("{addr:?} is not host:port")))?;
        let p: u32 = p
            .parse()
            .map_err(|_| bad("discoveryAddress", format!("{addr:?} has an invalid port")))?;
        if host.is_empty() || !(1..=65535).contains(&p) {
            return Err(bad(
                "discoveryAddress",
                format!("{addr:?} is not host:port"),
            ));
        }
    }
    for field in [
        "drainDuration",
        "terminationDrainDuration",
        "parentShutdownDuration",
    ] {
        if let Some(d) = pc.get(field).and_then(Value::as_str)
            && parse_duration(d).is_ok_and(|ns| ns < 1_000_000)
        {
            return Err(bad(field, "duration must be at least 1ms"));
        }
    }
    if let Some(n) = pc.get("concurrency").and_then(Value::as_i64)
        && n < 0
    {
        return Err(bad("concurrency", "concurrency must not be negative"));
    }
    Ok(())
}

/// The `PROXY_CONFIG` JSON: fields in proto order, zero values and built-in defaults left out.
pub fn proxy_config_json(pc: &Map<String, Value>) -> String {
    let defaults = default_proxy_config();
    // Fields Istio's cleanProxyConfig compares against the defaults.
    const CLEANED: &[&str] = &[
        "configPath",
        "binaryPath",
        "controlPlaneAuthPolicy",
        "serviceCluster",
        "drainDuration",
        "terminationDrainDuration",
        "parentShutdownDuration",
        "discoveryAddress",
        "envoyMetricsService",
        "envoyAccessLogService",
        "tracing",
        "proxyAdminPort",
        "statNameLength",
        "statusPort",
        "concurrency",
    ];
    let mut parts = Vec::new();
    let mut emit = |key: &str, value: &Value, kind: Option<Kind>| {
        if CLEANED.contains(&key) && defaults.get(key) == Some(value) {
            return;
        }
        let zero = match (kind, value) {
            (Some(Kind::IntWrapper | Kind::BoolWrapper), _) => false,
            (Some(Kind::Enum(names)), Value::String(s)) => names.first() == Some(&s.as_str()),
            (_, Value::String(s)) => s.is_empty(),
            (_, Value::Number(n)) => n.as_f64() == Some(0.0),
            (_, Value::Bool(b)) => !b,
            (_, Value::Array(a)) => a.is_empty(),
            (Some(Kind::StrMap), Value::Object(o)) => o.is_empty(),
            (_, Value::Null) => true,
            _ => false,
        };
        if !zero {
            parts.push(format!("{}:{}", Value::String(key.into()), value));
        }
    };
    for (name, kind) in FIELDS {
        if let Some(v) = pc.get(*name) {
            emit(name, v, Some(*kind));
        }
    }
    for (k, v) in pc {
        if kind_of(k).is_none() {
            emit(k, v, None);
        }
    }
    super::gotypes::go_escape(&format!("{{{}}}", parts.join(",")))
}

/// Parses a Go duration (`45s`, `1m30s`, `500ms`, `1.5h`) into nanoseconds.
pub fn parse_duration(text: &str) -> Result<i128, String> {
    let s = text.trim();
    let err = || format!("invalid duration {text:?}");
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(err)?;
        if num_end == 0 {
            return Err(err());
        }
        let number: f64 = rest[..num_end].parse().map_err(|_| err())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale: f64 = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(err()),
        };
        rest = &rest[unit_end..];
        total += number * scale;
    }
    let ns = total.round() as i128;
    Ok(if negative { -ns } else { ns })
}

/// Formats nanoseconds the way protojson writes a google.protobuf.Duration (`23s`, `1.500s`).
pub fn format_duration(ns: i128) -> String {
    let sign = if ns < 0 { "-" } else { "" };
    let ns = ns.abs();
    let (secs, frac) = (ns / 1_000_000_000, ns % 1_000_000_000);
    if frac == 0 {
        format!("{sign}{secs}s")
    } else if frac % 1_000_000 == 0 {
        format!("{sign}{secs}.{:03}s", frac / 1_000_000)
    } else if frac % 1_000 == 0 {
        format!("{sign}{secs}.{:06}s", frac / 1_000)
    } else {
        format!("{sign}{secs}.{frac:09}s")
    }
}

/// Istio's `ApplyMeshConfig`: top-level fields of `overlay` replace those of `base`, and
/// `defaultConfig` is merged like a ProxyConfig annotation.
pub fn apply_mesh_config(base: &Value, overlay: &Value) -> Result<Value, ProxyConfigError> {
    let mut out = base.as_object().cloned().unwrap_or_default();
    let Value::Object(overlay) = overlay else {
        return match overlay {
            Value::Null => Ok(Value::Object(out)),
            other => Err(ProxyConfigError::NotAnObject(other.to_string())),
        };
    };
    for (k, v) in overlay {
        let key = camel(k);
        if key == "defaultConfig" {
            let pc = parse_proxy_config(v)?;
            let prev = out
                .get("defaultConfig")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            out.insert(key, Value::Object(merge_proxy_config(&prev, &pc)));
        } else if v.is_null() {
            out.remove(&key);
        } else {
            out.insert(key, v.clone());
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pc(v: Value) -> Map<String, Value> {
        parse_proxy_config(&v).unwrap()
    }

    #[test]
    fn defaults_print_as_empty_object() {
        assert_eq!(proxy_config_json(&default_proxy_config()), "{}");
    }

    #[test]
    fn annotation_fields_print_in_proto_order_and_metadata_merges() {
        let mesh = merge_proxy_config(
            &default_proxy_config(),
            &pc(
                json!({"proxyMetadata": {"ISTIO_META_TLS_CLIENT_KEY": "/etc/identity/client/keys/client-key.pem"}}),
            ),
        );
        let annotated = merge_proxy_config(
            &mesh,
            &pc(
                json!({"proxyMetadata": {"FOO": "bar", "ISTIO_META_TLS_CLIENT_KEY": "/etc/identity2/client/keys/client-key.pem"},
                "concurrency": 0, "discoveryAddress": "foo:123"}),
            ),
        );
        assert_eq!(
            proxy_config_json(&annotated),
            r#"{"discoveryAddress":"foo:123","concurrency":0,"proxyMetadata":{"FOO":"bar","ISTIO_META_TLS_CLIENT_KEY":"/etc/identity2/client/keys/client-key.pem"}}"#
        );
    }

    #[test]
    fn zero_enums_are_left_out_and_durations_use_protojson_form() {
        let c = merge_proxy_config(
            &default_proxy_config(),
            &pc(
                json!({"interceptionMode": "REDIRECT", "drainDuration": "23s", "terminationDrainDuration": "1500ms"}),
            ),
        );
        assert_eq!(
            proxy_config_json(&c),
            r#"{"drainDuration":"23s","terminationDrainDuration":"1.500s"}"#
        );
        let t = merge_proxy_config(
            &default_proxy_config(),
            &pc(json!({"interception_mode": "TPROXY"})),
        );
        assert_eq!(proxy_config_json(&t), r#"{"interceptionMode":"TPROXY"}"#);
    }

    #[test]
    fn unknown_fields_and_bad_values_are_errors() {
        assert!(parse_proxy_config(&json!({"nope": 1})).is_err());
        assert!(parse_proxy_config(&json!({"drainDuration": "soon"})).is_err());
        let bad_addr = pc(json!({"discoveryAddress": "nohost"}));
        assert!(validate_proxy_config(&bad_addr).is_err());
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1m30s").unwrap(), 90_000_000_000);
        assert_eq!(parse_duration("500ms").unwrap(), 500_000_000);
        assert_eq!(format_duration(45_000_000_000), "45s");
    }
}
