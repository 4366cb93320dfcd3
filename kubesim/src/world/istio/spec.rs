//! Interpreting an IstioOperator (install.istio.io/v1alpha1) the way the Istio 1.23 operator
//! does: validate the spec, start from its profile, overlay the components, and work out what to
//! install where with which images.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::profile;

/// Why a spec cannot be installed (shown in `status.message` with status ERROR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(msg: impl Into<String>) -> SpecError {
    SpecError(msg.into())
}

/// Kubernetes-level settings of a component (`components.X.k8s`), the ones the simulation honours.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct K8s {
    /// `replicaCount`.
    pub replicas: Option<i64>,
    /// `resources`.
    pub resources: Option<Value>,
    /// `env` (list of EnvVar).
    pub env: Vec<Value>,
    /// `service.type`.
    pub service_type: Option<String>,
    /// `service.ports` (replaces the default ports).
    pub service_ports: Option<Vec<Value>>,
    /// `serviceAnnotations`.
    pub service_annotations: BTreeMap<String, String>,
    /// `podAnnotations`.
    pub pod_annotations: BTreeMap<String, String>,
}

/// One enabled component with its placement and images.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Namespace it is installed in.
    pub namespace: String,
    /// Image hub.
    pub hub: String,
    /// Image tag.
    pub tag: String,
    /// Kubernetes settings.
    pub k8s: K8s,
}

/// Ingress or egress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayKind {
    /// `components.ingressGateways`.
    Ingress,
    /// `components.egressGateways`.
    Egress,
}

impl GatewayKind {
    /// `ingressgateway` / `egressgateway`.
    pub fn short(self) -> &'static str {
        match self {
            GatewayKind::Ingress => "ingressgateway",
            GatewayKind::Egress => "egressgateway",
        }
    }

    /// Component name in `status.componentStatus`.
    pub fn component(self) -> &'static str {
        match self {
            GatewayKind::Ingress => "IngressGateways",
            GatewayKind::Egress => "EgressGateways",
        }
    }
}

/// One enabled gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    /// Ingress or egress.
    pub kind: GatewayKind,
    /// Deployment and Service name.
    pub name: String,
    /// Pod and Service labels (selector = these).
    pub labels: BTreeMap<String, String>,
    /// Service type.
    pub service_type: String,
    /// Service ports.
    pub ports: Vec<Value>,
    /// Placement, images and settings.
    pub component: Component,
}

/// What an IstioOperator asks to be installed.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Profile name.
    pub profile: String,
    /// Revision (`""` = the default revision).
    pub revision: String,
    /// The Istio namespace (istiod's).
    pub namespace: String,
    /// Default hub.
    pub hub: String,
    /// Default tag.
    pub tag: String,
    /// Base (CRDs), when enabled.
    pub base: Option<Component>,
    /// Pilot (istiod), when enabled.
    pub pilot: Option<Component>,
    /// CNI node agent, when enabled.
    pub cni: Option<Component>,
    /// ztunnel node agent, when enabled.
    pub ztunnel: Option<Component>,
    /// Remote istiod (webhook only), when enabled.
    pub istiod_remote: Option<Component>,
    /// Enabled gateways, ingress first.
    pub gateways: Vec<Gateway>,
    /// Effective Helm values (what the injector ConfigMap's `values` carries).
    pub values: Value,
    /// Effective MeshConfig.
    pub mesh_config: Value,
}

impl Plan {
    /// The value of the `istio.io/rev` label: the revision or `default`.
    pub fn rev_label(&self) -> &str {
        if self.revision.is_empty() {
            "default"
        } else {
            &self.revision
        }
    }

    /// `name` with `-<revision>` appended when a revision is set (istiod, its ConfigMaps).
    pub fn revised(&self, name: &str) -> String {
        if self.revision.is_empty() {
            name.to_string()
        } else {
            format!("{name}-{}", self.revision)
        }
    }

    /// Components in `status.componentStatus` order with their enablement.
    pub fn component_names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.base.is_some() {
            out.push("Base");
        }
        if self.pilot.is_some() {
            out.push("Pilot");
        }
        if self.cni.is_some() {
            out.push("Cni");
        }
        if self.ztunnel.is_some() {
            out.push("Ztunnel");
        }
        if self.istiod_remote.is_some() {
            out.push("IstiodRemote");
        }
        for kind in [GatewayKind::Ingress, GatewayKind::Egress] {
            if self.gateways.iter().any(|g| g.kind == kind) {
                out.push(kind.component());
            }
        }
        out
    }
}

const SPEC_FIELDS: &[&str] = &[
    "profile",
    "installPackagePath",
    "hub",
    "tag",
    "resourceSuffix",
    "namespace",
    "revision",
    "defaultRevision",
    "compatibilityVersion",
    "meshConfig",
    "components",
    "values",
    "unvalidatedValues",
];
const COMPONENTS: &[&str] = &[
    "base",
    "pilot",
    "cni",
    "ztunnel",
    "istiodRemote",
    "ingressGateways",
    "egressGateways",
];
const COMPONENT_FIELDS: &[&str] = &["enabled", "namespace", "hub", "tag", "spec", "k8s", "label"];
const GATEWAY_FIELDS: &[&str] = &["name", "enabled", "namespace", "hub", "tag", "label", "k8s"];
const K8S_FIELDS: &[&str] = &[
    "affinity",
    "env",
    "hpaSpec",
    "imagePullPolicy",
    "nodeSelector",
    "podDisruptionBudget",
    "podAnnotations",
    "priorityClassName",
    "readinessProbe",
    "replicaCount",
    "resources",
    "service",
    "strategy",
    "tolerations",
    "serviceAnnotations",
    "securityContext",
    "volumes",
    "volumeMounts",
    "overlays",
];

fn check_fields(obj: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), SpecError> {
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(bad(format!("unknown field \"{key}\" in {what}")));
        }
    }
    Ok(())
}

fn object<'a>(v: &'a Value, path: &str) -> Result<Option<&'a Map<String, Value>>, SpecError> {
    match v {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        other => Err(bad(format!(
            "{path}: expected an object, got {}",
            type_name(other)
        ))),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn opt_string(v: &Value, path: &str) -> Result<Option<String>, SpecError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(bad(format!(
            "{path}: expected a string, got {}",
            type_name(other)
        ))),
    }
}

/// Tags may be written as numbers in YAML (`tag: 1.23`).
fn opt_tag(v: &Value, path: &str) -> Result<Option<String>, SpecError> {
    match v {
        Value::Number(n) => Ok(Some(n.to_string())),
        other => opt_string(other, path),
    }
}

fn opt_bool(v: &Value, path: &str) -> Result<Option<bool>, SpecError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        other => Err(bad(format!(
            "{path}: expected a boolean, got {}",
            type_name(other)
        ))),
    }
}

fn string_map(v: &Value, path: &str) -> Result<BTreeMap<String, String>, SpecError> {
    let mut out = BTreeMap::new();
    if let Some(m) = object(v, path)? {
        for (k, v) in m {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(bad(format!(
                        "{path}.{k}: expected a string, got {}",
                        type_name(other)
                    )));
                }
            };
            out.insert(k.clone(), s);
        }
    }
    Ok(out)
}

const SERVICE_TYPES: &[&str] = &["ClusterIP", "NodePort", "LoadBalancer"];

fn parse_ports(v: &Value, path: &str) -> Result<Vec<Value>, SpecError> {
    let Value::Array(items) = v else {
        return Err(bad(format!(
            "{path}: expected an array, got {}",
            type_name(v)
        )));
    };
    let mut out = Vec::new();
    for (i, p) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let m =
            object(p, &at)?.ok_or_else(|| bad(format!("{at}: expected an object, got null")))?;
        let port = match m.get("port") {
            Some(Value::Number(n)) => n.as_i64().filter(|p| (1..=65535).contains(p)),
            _ => None,
        }
        .ok_or_else(|| {
            bad(format!(
                "{at}.port: expected a port number between 1 and 65535"
            ))
        })?;
        let mut port_obj = Map::new();
        if let Some(name) =
            opt_string(m.get("name").unwrap_or(&Value::Null), &format!("{at}.name"))?
        {
            port_obj.insert("name".into(), json!(name));
        }
        port_obj.insert("port".into(), json!(port));
        let target = match m.get("targetPort") {
            None | Some(Value::Null) => json!(port),
            Some(Value::Number(n)) if n.as_i64().is_some() => json!(n),
            Some(Value::String(s)) => json!(s),
            Some(other) => {
                return Err(bad(format!(
                    "{at}.targetPort: expected a number or a name, got {}",
                    type_name(other)
                )));
            }
        };
        port_obj.insert("targetPort".into(), target);
        port_obj.insert(
            "protocol".into(),
            json!(
                opt_string(
                    m.get("protocol").unwrap_or(&Value::Null),
                    &format!("{at}.protocol")
                )?
                .unwrap_or("TCP".into())
            ),
        );
        match m.get("nodePort") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_i64().is_some() => {
                port_obj.insert("nodePort".into(), json!(n));
            }
            Some(other) => {
                return Err(bad(format!(
                    "{at}.nodePort: expected a number, got {}",
                    type_name(other)
                )));
            }
        }
        out.push(Value::Object(port_obj));
    }
    Ok(out)
}

fn parse_k8s(v: &Value, path: &str) -> Result<K8s, SpecError> {
    let mut k = K8s::default();
    let Some(m) = object(v, path)? else {
        return Ok(k);
    };
    check_fields(m, K8S_FIELDS, &format!("{path} (KubernetesResourcesSpec)"))?;
    let field = |name: &str| m.get(name).unwrap_or(&Value::Null);
    k.replicas = match field("replicaCount") {
        Value::Null => None,
        Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
        other => {
            return Err(bad(format!(
                "{path}.replicaCount: expected an integer, got {}",
                type_name(other)
            )));
        }
    };
    if let Some(r) = object(field("resources"), &format!("{path}.resources"))? {
        k.resources = Some(Value::Object(r.clone()));
    }
    match field("env") {
        Value::Null => {}
        Value::Array(items) => k.env = items.clone(),
        other => {
            return Err(bad(format!(
                "{path}.env: expected an array, got {}",
                type_name(other)
            )));
        }
    }
    if let Some(svc) = object(field("service"), &format!("{path}.service"))? {
        let null = Value::Null;
        if let Some(t) = opt_string(
            svc.get("type").unwrap_or(&null),
            &format!("{path}.service.type"),
        )? {
            if !SERVICE_TYPES.contains(&t.as_str()) {
                return Err(bad(format!(
                    "{path}.service.type: unsupported value \"{t}\""
                )));
            }
            k.service_type = Some(t);
        }
        if let Some(ports) = svc.get("ports").filter(|p| !p.is_null()) {
            k.service_ports = Some(parse_ports(ports, &format!("{path}.service.ports"))?);
        }
    }
    k.service_annotations = string_map(
        field("serviceAnnotations"),
        &format!("{path}.serviceAnnotations"),
    )?;
    k.pod_annotations = string_map(field("podAnnotations"), &format!("{path}.podAnnotations"))?;
    Ok(k)
}

/// Deep-merges `overlay` into `base` (objects merge, everything else replaces).
pub fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn default_ports(kind: GatewayKind) -> Vec<Value> {
    let mut ports = Vec::new();
    if kind == GatewayKind::Ingress {
        ports.push(
            json!({"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021}),
        );
    }
    ports.push(json!({"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080}));
    ports.push(json!({"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}));
    ports
}

/// Splits an image reference `hub/name:tag` into `(hub, name, tag)`.
pub fn split_image(image: &str) -> Option<(&str, &str, &str)> {
    let (repo, tag) = match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (image, "latest"),
    };
    let (hub, name) = repo.rsplit_once('/')?;
    Some((hub, name, tag))
}

/// Interprets an IstioOperator object. `default_hub`/`default_tag` are the operator's own (the
/// images it was built to install).
pub fn plan(iop: &Value, default_hub: &str, default_tag: &str) -> Result<Plan, SpecError> {
    let null = Value::Null;
    let spec = object(iop.get("spec").unwrap_or(&null), "spec")?
        .cloned()
        .unwrap_or_default();
    check_fields(&spec, SPEC_FIELDS, "IstioOperatorSpec")?;
    let field = |name: &str| spec.get(name).unwrap_or(&null);

    let profile_name = opt_string(field("profile"), "spec.profile")?.unwrap_or_default();
    let profile = profile::profile(&profile_name).ok_or_else(|| {
        bad(format!(
            "profile \"{profile_name}\" not found; known profiles: {}",
            known_profiles()
        ))
    })?;

    let values_in = object(field("values"), "spec.values")?
        .cloned()
        .map(Value::Object)
        .unwrap_or(json!({}));
    let mesh_in = object(field("meshConfig"), "spec.meshConfig")?
        .cloned()
        .map(Value::Object)
        .unwrap_or(json!({}));
    let global = values_in.get("global").unwrap_or(&null);
    if !global.is_null() && !global.is_object() {
        return Err(bad(format!(
            "spec.values.global: expected an object, got {}",
            type_name(global)
        )));
    }
    let hub = opt_string(field("hub"), "spec.hub")?
        .or(opt_string(
            global.get("hub").unwrap_or(&null),
            "spec.values.global.hub",
        )?)
        .unwrap_or_else(|| default_hub.to_string());
    let tag = opt_tag(field("tag"), "spec.tag")?
        .or(opt_tag(
            global.get("tag").unwrap_or(&null),
            "spec.values.global.tag",
        )?)
        .unwrap_or_else(|| default_tag.to_string());
    let revision = opt_string(field("revision"), "spec.revision")?
        .or(opt_string(
            values_in.get("revision").unwrap_or(&null),
            "spec.values.revision",
        )?)
        .unwrap_or_default();
    let namespace = opt_string(field("namespace"), "spec.namespace")?
        .or(opt_string(
            global.get("istioNamespace").unwrap_or(&null),
            "spec.values.global.istioNamespace",
        )?)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "istio-system".to_string());

    let components = object(field("components"), "spec.components")?
        .cloned()
        .unwrap_or_default();
    check_fields(&components, COMPONENTS, "IstioComponentSpec")?;

    let single = |key: &str,
                  enabled_by_profile: bool,
                  ns: Option<&str>|
     -> Result<Option<Component>, SpecError> {
        let path = format!("spec.components.{key}");
        let c = object(components.get(key).unwrap_or(&null), &path)?
            .cloned()
            .unwrap_or_default();
        check_fields(&c, COMPONENT_FIELDS, &format!("{path} (ComponentSpec)"))?;
        let get = |f: &str| c.get(f).unwrap_or(&null);
        let enabled =
            opt_bool(get("enabled"), &format!("{path}.enabled"))?.unwrap_or(enabled_by_profile);
        string_map(get("label"), &format!("{path}.label"))?;
        let component = Component {
            namespace: opt_string(get("namespace"), &format!("{path}.namespace"))?
                .or(ns.map(str::to_string))
                .unwrap_or_else(|| namespace.clone()),
            hub: opt_string(get("hub"), &format!("{path}.hub"))?.unwrap_or_else(|| hub.clone()),
            tag: opt_tag(get("tag"), &format!("{path}.tag"))?.unwrap_or_else(|| tag.clone()),
            k8s: parse_k8s(get("k8s"), &format!("{path}.k8s"))?,
        };
        Ok(enabled.then_some(component))
    };

    let base = single("base", profile.base, None)?;
    let pilot = single("pilot", profile.pilot, None)?;
    let cni = single("cni", profile.cni, profile.node_agent_namespace)?;
    let ztunnel = single("ztunnel", profile.ztunnel, profile.node_agent_namespace)?;
    let istiod_remote = single("istiodRemote", profile.istiod_remote, None)?;

    let gateway_values = values_in.get("gateways").unwrap_or(&null);
    let mut gateways = Vec::new();
    for (kind, key, defaults) in [
        (GatewayKind::Ingress, "ingressGateways", profile.ingress),
        (GatewayKind::Egress, "egressGateways", profile.egress),
    ] {
        let path = format!("spec.components.{key}");
        // Profile entries first, then the spec's, merged by name.
        let mut entries: Vec<(String, bool, Map<String, Value>)> = defaults
            .iter()
            .map(|(n, e)| (n.to_string(), *e, Map::new()))
            .collect();
        match components.get(key).unwrap_or(&null) {
            Value::Null => {}
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{path}[{i}]");
                    let m = object(item, &at)?.cloned().unwrap_or_default();
                    check_fields(&m, GATEWAY_FIELDS, &format!("{at} (GatewaySpec)"))?;
                    let name = opt_string(m.get("name").unwrap_or(&null), &format!("{at}.name"))?
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| format!("istio-{}", kind.short()));
                    let enabled =
                        opt_bool(m.get("enabled").unwrap_or(&null), &format!("{at}.enabled"))?;
                    match entries.iter_mut().find(|(n, _, _)| *n == name) {
                        Some(entry) => {
                            entry.1 = enabled.unwrap_or(entry.1);
                            entry.2 = m;
                        }
                        None => entries.push((name, enabled.unwrap_or(false), m)),
                    }
                }
            }
            other => {
                return Err(bad(format!(
                    "{path}: expected an array, got {}",
                    type_name(other)
                )));
            }
        }
        let chart_key = format!("istio-{}", kind.short());
        let chart = gateway_values.get(&chart_key).unwrap_or(&null);
        let chart_path = format!("spec.values.gateways.{chart_key}");
        let chart = object(chart, &chart_path)?.cloned().unwrap_or_default();
        for (name, enabled, m) in entries {
            if !enabled {
                continue;
            }
            let at = format!("{path}[name={name}]");
            let get = |f: &str| m.get(f).unwrap_or(&null);
            let mut labels = BTreeMap::from([
                ("app".to_string(), format!("istio-{}", kind.short())),
                ("istio".to_string(), kind.short().to_string()),
            ]);
            labels.extend(string_map(
                chart.get("labels").unwrap_or(&null),
                &format!("{chart_path}.labels"),
            )?);
            labels.extend(string_map(get("label"), &format!("{at}.label"))?);
            let k8s = parse_k8s(get("k8s"), &format!("{at}.k8s"))?;
            let chart_type = opt_string(
                chart.get("type").unwrap_or(&null),
                &format!("{chart_path}.type"),
            )?;
            let default_type = match kind {
                GatewayKind::Ingress => "LoadBalancer",
                GatewayKind::Egress => "ClusterIP",
            };
            let service_type = k8s
                .service_type
                .clone()
                .or(chart_type)
                .unwrap_or_else(|| default_type.to_string());
            if !SERVICE_TYPES.contains(&service_type.as_str()) {
                return Err(bad(format!(
                    "{chart_path}.type: unsupported value \"{service_type}\""
                )));
            }
            let ports = match (&k8s.service_ports, chart.get("ports")) {
                (Some(p), _) => p.clone(),
                (None, Some(p)) if !p.is_null() => parse_ports(p, &format!("{chart_path}.ports"))?,
                _ => default_ports(kind),
            };
            gateways.push(Gateway {
                kind,
                name,
                labels,
                service_type,
                ports,
                component: Component {
                    namespace: opt_string(get("namespace"), &format!("{at}.namespace"))?
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| namespace.clone()),
                    hub: opt_string(get("hub"), &format!("{at}.hub"))?
                        .unwrap_or_else(|| hub.clone()),
                    tag: opt_tag(get("tag"), &format!("{at}.tag"))?.unwrap_or_else(|| tag.clone()),
                    k8s,
                },
            });
        }
    }

    let mut values = json!({
        "global": {
            "hub": hub,
            "tag": tag,
            "istioNamespace": namespace,
            "imagePullSecrets": [],
            "imagePullPolicy": "",
            "meshID": "",
            "network": "",
            "proxy": {"image": "proxyv2", "autoInject": "enabled", "clusterDomain": "cluster.local",
                      "privileged": false, "logLevel": "warning"},
            "proxy_init": {"image": "proxyv2"},
        },
        "pilot": {"env": {}},
        "sidecarInjectorWebhook": {"enableNamespacesByDefault": false, "rewriteAppHTTPProbe": true,
                                   "defaultTemplates": []},
        "revision": revision,
    });
    merge(&mut values, &values_in);
    values["global"]["hub"] = json!(hub);
    values["global"]["tag"] = json!(tag);
    values["global"]["istioNamespace"] = json!(namespace);
    values["revision"] = json!(revision);
    if let Some(p) = &pilot {
        for env in &p.k8s.env {
            if let (Some(n), Some(v)) = (env["name"].as_str(), env.get("value")) {
                values["pilot"]["env"][n] = v.clone();
            }
        }
    }
    let mut mesh_config = json!({
        "defaultConfig": {
            "discoveryAddress": format!("{}.{namespace}.svc:15012", if revision.is_empty() { "istiod".to_string() } else { format!("istiod-{revision}") }),
        },
        "enablePrometheusMerge": true,
        "rootNamespace": namespace,
        "trustDomain": "cluster.local",
    });
    merge(&mut mesh_config, &mesh_in);

    Ok(Plan {
        profile: profile.name.to_string(),
        revision,
        namespace,
        hub,
        tag,
        base,
        pilot,
        cni,
        ztunnel,
        istiod_remote,
        gateways,
        values,
        mesh_config,
    })
}

fn known_profiles() -> String {
    profile::PROFILES
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iop(spec: Value) -> Value {
        json!({"apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
               "metadata": {"name": "x", "namespace": "istio-system"}, "spec": spec})
    }

    fn plan_of(spec: Value) -> Plan {
        plan(&iop(spec), "docker.io/istio", "1.23.0").unwrap()
    }

    #[test]
    fn the_default_profile_installs_base_pilot_and_one_load_balanced_ingress() {
        let p = plan_of(json!({"profile": "default"}));
        assert_eq!(p.component_names(), ["Base", "Pilot", "IngressGateways"]);
        assert_eq!(
            (p.hub.as_str(), p.tag.as_str()),
            ("docker.io/istio", "1.23.0")
        );
        assert_eq!(p.namespace, "istio-system");
        let gw = &p.gateways[0];
        assert_eq!(gw.name, "istio-ingressgateway");
        assert_eq!(gw.service_type, "LoadBalancer");
        assert_eq!(gw.labels["app"], "istio-ingressgateway");
        assert_eq!(gw.labels["istio"], "ingressgateway");
        let ports: Vec<_> = gw
            .ports
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap(),
                    p["port"].as_i64().unwrap(),
                    p["targetPort"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            ports,
            [
                ("status-port", 15021, 15021),
                ("http2", 80, 8080),
                ("https", 443, 8443)
            ]
        );
        assert_eq!(p.rev_label(), "default");
        assert_eq!(p.revised("istiod"), "istiod");
    }

    #[test]
    fn an_empty_spec_is_the_default_profile() {
        assert_eq!(
            plan_of(json!({})).component_names(),
            ["Base", "Pilot", "IngressGateways"]
        );
        assert_eq!(
            plan(&json!({"metadata": {"name": "x"}}), "h", "t")
                .unwrap()
                .profile,
            "default"
        );
    }

    #[test]
    fn demo_adds_egress_and_minimal_and_empty_drop_gateways() {
        let demo = plan_of(json!({"profile": "demo"}));
        assert_eq!(
            demo.component_names(),
            ["Base", "Pilot", "IngressGateways", "EgressGateways"]
        );
        let egress = demo
            .gateways
            .iter()
            .find(|g| g.kind == GatewayKind::Egress)
            .unwrap();
        assert_eq!(egress.service_type, "ClusterIP");
        assert_eq!(egress.labels["istio"], "egressgateway");
        assert_eq!(egress.ports.len(), 2);
        assert_eq!(
            plan_of(json!({"profile": "minimal"})).component_names(),
            ["Base", "Pilot"]
        );
        assert!(
            plan_of(json!({"profile": "empty"}))
                .component_names()
                .is_empty()
        );
    }

    #[test]
    fn hub_and_tag_come_from_the_spec_then_values_then_the_operator() {
        let p = plan_of(json!({"hub": "my.io/istio", "tag": "1.23.2"}));
        assert_eq!((p.hub.as_str(), p.tag.as_str()), ("my.io/istio", "1.23.2"));
        let p = plan_of(json!({"values": {"global": {"hub": "v.io/x", "tag": 1.23}}}));
        assert_eq!((p.hub.as_str(), p.tag.as_str()), ("v.io/x", "1.23"));
        assert_eq!(p.values["global"]["hub"], "v.io/x");
        let p = plan_of(json!({"components": {"pilot": {"hub": "c.io/p", "tag": "t"}}}));
        let pilot = p.pilot.unwrap();
        assert_eq!((pilot.hub.as_str(), pilot.tag.as_str()), ("c.io/p", "t"));
    }

    #[test]
    fn gateways_merge_by_name_and_honour_namespace_labels_and_service_overrides() {
        let p = plan_of(
            json!({"profile": "empty", "components": {"ingressGateways": [
                {"name": "istio-ingressgateway", "enabled": true, "label": {"aaa": "x", "istio": "custom"}},
                {"name": "ilb", "enabled": true, "namespace": "edge",
                 "k8s": {"service": {"type": "NodePort", "ports": [{"port": 8060, "name": "tcp"}, {"port": 80, "targetPort": 8080, "name": "http2", "nodePort": 31000}]},
                         "serviceAnnotations": {"a": "b"}}},
                {"name": "off", "enabled": false},
                {"name": "unstated"},
            ]}}),
        );
        let names: Vec<_> = p.gateways.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["istio-ingressgateway", "ilb"]);
        assert_eq!(p.gateways[0].labels["aaa"], "x");
        assert_eq!(p.gateways[0].labels["istio"], "custom");
        let ilb = &p.gateways[1];
        assert_eq!(ilb.component.namespace, "edge");
        assert_eq!(ilb.service_type, "NodePort");
        assert_eq!(ilb.ports[0]["targetPort"], 8060);
        assert_eq!(ilb.ports[1]["nodePort"], 31000);
        assert_eq!(ilb.component.k8s.service_annotations["a"], "b");
    }

    #[test]
    fn disabling_the_default_ingress_and_values_gateway_overrides() {
        let p = plan_of(
            json!({"components": {"ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}]}}),
        );
        assert_eq!(p.component_names(), ["Base", "Pilot"]);
        let p = plan_of(
            json!({"values": {"gateways": {"istio-ingressgateway": {"type": "NodePort"}}}}),
        );
        assert_eq!(p.gateways[0].service_type, "NodePort");
    }

    #[test]
    fn revisions_name_things_and_reach_the_values() {
        let p = plan_of(json!({"revision": "canary", "namespace": "mesh"}));
        assert_eq!(p.rev_label(), "canary");
        assert_eq!(p.revised("istiod"), "istiod-canary");
        assert_eq!(p.values["revision"], "canary");
        assert_eq!(p.namespace, "mesh");
        assert_eq!(
            p.mesh_config["defaultConfig"]["discoveryAddress"],
            "istiod-canary.mesh.svc:15012"
        );
    }

    #[test]
    fn pilot_env_reaches_the_values_and_mesh_config_merges() {
        let p = plan_of(
            json!({"components": {"pilot": {"k8s": {"env": [{"name": "ENABLE_NATIVE_SIDECARS", "value": "true"}]}}},
                               "meshConfig": {"accessLogFile": "/dev/stdout"}}),
        );
        assert_eq!(p.values["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"], "true");
        assert_eq!(p.mesh_config["accessLogFile"], "/dev/stdout");
        assert_eq!(
            p.mesh_config["defaultConfig"]["discoveryAddress"],
            "istiod.istio-system.svc:15012"
        );
    }

    #[test]
    fn invalid_specs_say_what_is_wrong() {
        let err = |spec: Value| plan(&iop(spec), "h", "t").unwrap_err().0;
        assert!(
            err(json!({"components": {"mixer": {"enabled": true}}}))
                .contains("unknown field \"mixer\"")
        );
        assert!(
            err(json!({"components": {"pilot": {"enabled": "yes"}}}))
                .contains("spec.components.pilot.enabled: expected a boolean")
        );
        assert!(
            err(json!({"components": {"ingressGateways": {"name": "x"}}}))
                .contains("expected an array")
        );
        assert!(err(json!({"profile": "nope"})).contains("profile \"nope\" not found"));
        assert!(err(json!({"bogus": 1})).contains("unknown field \"bogus\" in IstioOperatorSpec"));
        assert!(err(json!({"components": {"ingressGateways": [{"name": "g", "enabled": true, "k8s": {"service": {"type": "Weird"}}}]}})).contains("unsupported value \"Weird\""));
        assert!(err(json!({"components": {"ingressGateways": [{"name": "g", "enabled": true, "k8s": {"service": {"ports": [{"port": "http"}]}}}]}})).contains("port number"));
        assert!(
            err(json!({"components": {"pilot": {"k8s": {"replicaCount": "two"}}}}))
                .contains("replicaCount")
        );
        assert!(
            err(json!({"components": {"pilot": {"k8s": {"nonsense": 1}}}}))
                .contains("unknown field \"nonsense\"")
        );
        assert!(err(json!({"values": "x"})).contains("spec.values: expected an object"));
    }

    #[test]
    fn images_split_into_hub_name_and_tag() {
        assert_eq!(
            split_image("docker.io/istio/operator:1.23.0"),
            Some(("docker.io/istio", "operator", "1.23.0"))
        );
        assert_eq!(
            split_image("localhost:5000/istio/operator"),
            Some(("localhost:5000/istio", "operator", "latest"))
        );
        assert_eq!(split_image("operator:1.0"), None);
    }
}
