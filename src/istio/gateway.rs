//! Building the Gateway and VirtualService that expose a Service through the Istio ingress gateway,
//! the way bookinfo-gateway.yaml does by hand.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The API versions of Istio's networking group rigger can write, newest first.
pub const NETWORKING_VERSIONS: [&str; 2] = ["v1", "v1beta1"];
pub const NETWORKING_GROUP: &str = "networking.istio.io";

/// What `rigger gateway expose` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposeSpec {
    /// The Service to route to, and its namespace (the objects are created there too).
    pub service: String,
    pub namespace: String,
    pub service_port: u16,
    /// Hosts the Gateway and VirtualService accept (`*` for any).
    pub hosts: Vec<String>,
    /// The port of the gateway's listener (the ingress gateway Service port or its targetPort).
    pub gateway_port: u16,
    /// Exact URI matches (`--path`) and prefix matches (`--prefix`); none means every path.
    pub exact_paths: Vec<String>,
    pub prefixes: Vec<String>,
    /// Name of the VirtualService; the Gateway is `<name>-gateway`.
    pub name: String,
    /// Labels selecting the ingress gateway pods.
    pub selector: BTreeMap<String, String>,
    /// `v1` or `v1beta1`.
    pub version: String,
}

impl ExposeSpec {
    pub fn gateway_name(&self) -> String {
        format!("{}-gateway", self.name)
    }

    /// URL paths a user can open, for printing URLs: exact paths, else prefixes, else `/`.
    pub fn example_paths(&self) -> Vec<String> {
        if !self.exact_paths.is_empty() {
            self.exact_paths.clone()
        } else if !self.prefixes.is_empty() {
            self.prefixes.clone()
        } else {
            vec!["/".to_string()]
        }
    }
}

/// Parses `key=value[,key=value]` selectors.
pub fn parse_selector(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            format!("\"{part}\" is not key=value (example: istio=ingressgateway)")
        })?;
        if k.trim().is_empty() {
            return Err(format!("\"{part}\" has an empty key"));
        }
        out.insert(k.trim().to_string(), v.trim().to_string());
    }
    if out.is_empty() {
        return Err("the selector is empty (example: istio=ingressgateway)".into());
    }
    Ok(out)
}

/// Checks paths and names before anything is built.
pub fn validate(spec: &ExposeSpec) -> Result<(), String> {
    for path in spec.exact_paths.iter().chain(&spec.prefixes) {
        if !path.starts_with('/') {
            return Err(format!("the path \"{path}\" must start with /"));
        }
    }
    if spec.hosts.is_empty() {
        return Err("at least one --host is needed (use \"*\" for any)".into());
    }
    if !is_dns_label(&spec.name) || spec.gateway_name().len() > 253 {
        return Err(format!(
            "\"{}\" is not a valid object name (lower-case letters, digits and '-', starting and ending with a letter or digit)",
            spec.name
        ));
    }
    Ok(())
}

fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// The Gateway and the VirtualService, in that order.
pub fn build(spec: &ExposeSpec) -> [Value; 2] {
    let api_version = format!("{NETWORKING_GROUP}/{}", spec.version);
    let labels = json!({"app.kubernetes.io/managed-by": "rigger"});
    let gateway = json!({
        "apiVersion": api_version,
        "kind": "Gateway",
        "metadata": {"name": spec.gateway_name(), "namespace": spec.namespace, "labels": labels},
        "spec": {
            "selector": spec.selector,
            "servers": [{
                "port": {"number": spec.gateway_port, "name": "http", "protocol": "HTTP"},
                "hosts": spec.hosts,
            }],
        },
    });
    let matches: Vec<Value> = spec
        .exact_paths
        .iter()
        .map(|p| json!({"uri": {"exact": p}}))
        .chain(spec.prefixes.iter().map(|p| json!({"uri": {"prefix": p}})))
        .collect();
    let mut route = json!({
        "route": [{"destination": {"host": spec.service, "port": {"number": spec.service_port}}}],
    });
    if !matches.is_empty() {
        route["match"] = Value::Array(matches);
    }
    let virtual_service = json!({
        "apiVersion": api_version,
        "kind": "VirtualService",
        "metadata": {"name": spec.name, "namespace": spec.namespace, "labels": labels},
        "spec": {
            "hosts": spec.hosts,
            "gateways": [spec.gateway_name()],
            "http": [route],
        },
    });
    [gateway, virtual_service]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ExposeSpec {
        ExposeSpec {
            service: "productpage".into(),
            namespace: "bookinfo".into(),
            service_port: 9080,
            hosts: vec!["*".into()],
            gateway_port: 8080,
            exact_paths: vec!["/productpage".into()],
            prefixes: vec!["/static".into()],
            name: "productpage".into(),
            selector: parse_selector("istio=ingressgateway").unwrap(),
            version: "v1".into(),
        }
    }

    #[test]
    fn builds_what_bookinfo_gateway_yaml_does() {
        let [gateway, vs] = build(&spec());
        assert_eq!(gateway["kind"], "Gateway");
        assert_eq!(gateway["apiVersion"], "networking.istio.io/v1");
        assert_eq!(gateway["metadata"]["name"], "productpage-gateway");
        assert_eq!(
            gateway["spec"]["selector"],
            json!({"istio": "ingressgateway"})
        );
        assert_eq!(
            gateway["spec"]["servers"][0]["port"],
            json!({"number": 8080, "name": "http", "protocol": "HTTP"})
        );
        assert_eq!(vs["spec"]["gateways"], json!(["productpage-gateway"]));
        assert_eq!(
            vs["spec"]["http"][0]["match"],
            json!([{"uri": {"exact": "/productpage"}}, {"uri": {"prefix": "/static"}}])
        );
        assert_eq!(
            vs["spec"]["http"][0]["route"][0]["destination"],
            json!({"host": "productpage", "port": {"number": 9080}})
        );
    }

    #[test]
    fn no_paths_means_every_path() {
        let mut s = spec();
        s.exact_paths.clear();
        s.prefixes.clear();
        let [_, vs] = build(&s);
        assert!(vs["spec"]["http"][0].get("match").is_none());
        assert_eq!(s.example_paths(), ["/"]);
    }

    #[test]
    fn validation_and_selectors() {
        let mut s = spec();
        s.exact_paths = vec!["productpage".into()];
        assert!(validate(&s).unwrap_err().contains("must start with /"));
        let mut s = spec();
        s.name = "Bad_Name".into();
        assert!(validate(&s).is_err());
        assert!(parse_selector("istio").is_err());
        assert_eq!(parse_selector("a=b, c=d").unwrap().len(), 2);
    }
}
