//! The built-in injection templates, written natively: `sidecar` (istio-init or istio-validation plus
//! istio-proxy, volumes, labels and annotations) and `gateway` (istio-proxy as a router).
//!
//! Each function returns the partial pod the Go template of Istio's istiod chart would render for
//! the same inputs (`files/injection-template.yaml` and `files/gateway-injection-template.yaml`),
//! including its `null`s, which the strategic merge then applies on top of the user's pod. Every
//! annotation and value the template reads is read here, under the same conditions.

use serde_json::{Map, Value, json};

use super::gotypes::{self, CONTAINER_PORT_TY};
use super::proxyconfig;
use super::settings::{Flavor, InjectionSettings, go_sprint};
use super::{DeployMeta, TypeMeta, quantity};

/// The inputs of a template: Istio's `SidecarTemplateData`.
pub struct TemplateData<'a> {
    pub settings: &'a InjectionSettings,
    pub type_meta: &'a TypeMeta,
    pub deploy_meta: &'a DeployMeta,
    pub labels: &'a Map<String, Value>,
    pub annotations: &'a Map<String, Value>,
    /// The pod spec being injected (already stripped of an earlier injection).
    pub spec: &'a Value,
    /// The pod's own name (`metadata.name`), often empty in a pod template.
    pub pod_name: String,
    pub proxy_config: &'a Map<String, Value>,
    pub proxy_image: String,
    pub proxy_init_image: String,
    pub proxy_uid: i64,
    pub proxy_gid: i64,
}

/// A rendering error: an annotation whose value the template cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value '{value}' for annotation '{annotation}': {reason}")]
pub struct RenderError {
    pub annotation: String,
    pub value: String,
    pub reason: String,
}

const MULTUS_NETWORK: &str = "default/istio-cni";

impl TemplateData<'_> {
    fn flavor(&self) -> Flavor {
        self.settings.flavor
    }

    fn ann(&self, name: &str) -> Option<&str> {
        self.annotations.get(name).and_then(Value::as_str)
    }

    fn isset(&self, name: &str) -> bool {
        self.annotations.contains_key(name)
    }

    /// Istio's `annotation` template function: the annotation, or the default printed with `fmt.Sprint`.
    fn annotation(&self, name: &str, default: Option<&Value>) -> String {
        match self.ann(name) {
            Some(v) => v.to_string(),
            None => default
                .map(go_sprint)
                .unwrap_or_else(|| "<nil>".to_string()),
        }
    }

    fn label(&self, name: &str) -> &str {
        self.labels.get(name).and_then(Value::as_str).unwrap_or("")
    }

    fn val(&self, pointer: &str) -> Option<&Value> {
        self.settings.values.pointer(pointer)
    }

    /// `.Values.x` printed with `fmt.Sprint` (missing is `<no value>` in Go templates; treated as empty).
    fn val_s(&self, pointer: &str) -> String {
        match self.val(pointer) {
            Some(Value::Null) | None => String::new(),
            Some(v) => go_sprint(v),
        }
    }

    /// Go template truthiness of `.Values.x`.
    fn truthy(&self, pointer: &str) -> bool {
        truthy(self.val(pointer))
    }

    fn pc_str(&self, key: &str) -> Option<&str> {
        self.proxy_config.get(key).and_then(Value::as_str)
    }

    fn interception_mode_default(&self) -> String {
        self.pc_str("interceptionMode")
            .unwrap_or("REDIRECT")
            .to_string()
    }

    fn interception_mode(&self) -> String {
        self.ann("sidecar.istio.io/interceptionMode")
            .map(str::to_string)
            .unwrap_or_else(|| self.interception_mode_default())
    }

    fn status_port(&self) -> String {
        self.annotation(
            "status.sidecar.istio.io/port",
            self.val("/global/proxy/statusPort"),
        )
    }

    fn proxy_metadata(&self) -> Vec<(String, String)> {
        match self.proxy_config.get("proxyMetadata") {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), go_sprint(v))).collect(),
            _ => Vec::new(),
        }
    }

    fn cni_enabled(&self) -> bool {
        let pilot = self.truthy("/pilot/cni/enabled");
        match self.flavor() {
            Flavor::Current => pilot,
            Flavor::V1_23 => pilot || self.truthy("/istio_cni/enabled"),
        }
    }

    fn native(&self) -> bool {
        match self.flavor() {
            Flavor::V1_23 => self.settings.native_sidecars,
            Flavor::Current => {
                let setting = match self.ann("sidecar.istio.io/nativeSidecar") {
                    Some(v) if !v.is_empty() => v.to_string(),
                    _ => self.settings.native_sidecars.to_string(),
                };
                setting != "false"
            }
        }
    }

    fn tproxy(&self) -> bool {
        self.flavor() == Flavor::Current && self.interception_mode() == "TPROXY"
    }

    fn cap_net_bind_service(&self) -> bool {
        self.annotation(
            "sidecar.istio.io/capNetBindService",
            self.val("/global/proxy/capNetBindService"),
        ) == "true"
    }

    /// Names of the pod's containers other than istio-proxy.
    fn app_containers(&self) -> Vec<String> {
        containers(self.spec)
            .iter()
            .filter_map(|c| c.get("name").and_then(Value::as_str))
            .filter(|n| *n != "istio-proxy")
            .map(str::to_string)
            .collect()
    }

    fn int_annotation(&self, name: &str, default: &str) -> Result<Value, RenderError> {
        let text = self.annotation(name, self.val(default));
        text.trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| RenderError {
                annotation: name.to_string(),
                value: text.clone(),
                reason: "not an integer".to_string(),
            })
    }

    fn image(&self, values_image: &str, computed: &str) -> String {
        let img = self.annotation("sidecar.istio.io/proxyImage", self.val(values_image));
        if img.contains('/') {
            img
        } else {
            computed.to_string()
        }
    }

    fn pull_policy(&self, container: &mut Map<String, Value>) {
        let p = self.val_s("/global/imagePullPolicy");
        if !p.is_empty() {
            container.insert("imagePullPolicy".into(), Value::String(p));
        }
    }

    /// The `resources` sub-template.
    fn resources(&self) -> Result<Value, RenderError> {
        const CPU: &str = "sidecar.istio.io/proxyCPU";
        const MEM: &str = "sidecar.istio.io/proxyMemory";
        const CPU_LIMIT: &str = "sidecar.istio.io/proxyCPULimit";
        const MEM_LIMIT: &str = "sidecar.istio.io/proxyMemoryLimit";
        if [CPU, MEM, CPU_LIMIT, MEM_LIMIT]
            .iter()
            .any(|a| self.isset(a))
        {
            let mut out = Map::new();
            for (section, cpu, mem) in [("requests", CPU, MEM), ("limits", CPU_LIMIT, MEM_LIMIT)] {
                if self.isset(cpu) || self.isset(mem) {
                    let mut m = Map::new();
                    for (res, ann) in [("cpu", cpu), ("memory", mem)] {
                        if let Some(v) = self.ann(ann) {
                            quantity::canonicalize(v).map_err(|e| RenderError {
                                annotation: ann.to_string(),
                                value: v.to_string(),
                                reason: e.to_string(),
                            })?;
                            m.insert(res.into(), Value::String(v.to_string()));
                        }
                    }
                    out.insert(section.into(), Value::Object(m));
                }
            }
            return Ok(Value::Object(out));
        }
        match self.val("/global/proxy/resources") {
            Some(r) if truthy(Some(r)) => Ok(match self.flavor() {
                Flavor::Current => omit_nil(r),
                Flavor::V1_23 => r.clone(),
            }),
            _ => Ok(Value::Null),
        }
    }

    fn seccomp(&self, sc: &mut Map<String, Value>) {
        if self.flavor() == Flavor::Current && self.truthy("/global/proxy/seccompProfile") {
            sc.insert(
                "seccompProfile".into(),
                self.val("/global/proxy/seccompProfile")
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }

    fn exclude_inbound_ports(&self) -> String {
        exclude_inbound_port(
            &self.status_port(),
            &self.annotation(
                "traffic.sidecar.istio.io/excludeInboundPorts",
                self.val("/global/proxy/excludeInboundPorts"),
            ),
        )
    }

    fn include_outbound_ports(&self) -> Option<String> {
        const A: &str = "traffic.sidecar.istio.io/includeOutboundPorts";
        (self.isset(A) || !self.val_s("/global/proxy/includeOutboundPorts").is_empty())
            .then(|| self.annotation(A, self.val("/global/proxy/includeOutboundPorts")))
    }

    fn exclude_outbound_ports(&self) -> Option<String> {
        const A: &str = "traffic.sidecar.istio.io/excludeOutboundPorts";
        (self.isset(A) || !self.val_s("/global/proxy/excludeOutboundPorts").is_empty())
            .then(|| self.annotation(A, self.val("/global/proxy/excludeOutboundPorts")))
    }

    fn trust_domain(&self) -> String {
        let mesh = self
            .settings
            .mesh
            .get("trustDomain")
            .and_then(Value::as_str)
            .unwrap_or("");
        if mesh.is_empty() {
            self.val_s("/global/trustDomain")
        } else {
            mesh.to_string()
        }
    }

    fn canonical_labels(&self, trim_all: bool) -> (String, String) {
        let name = [
            self.label("service.istio.io/canonical-name"),
            self.label("app.kubernetes.io/name"),
            self.label("app"),
            self.deploy_meta.name.as_str(),
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("");
        let name: String = name.chars().take(63).collect();
        let name = if trim_all {
            name.trim_matches(['-', '_', '.']).to_string()
        } else {
            name.strip_suffix('-').unwrap_or(&name).to_string()
        };
        let revision = [
            self.label("service.istio.io/canonical-revision"),
            self.label("app.kubernetes.io/version"),
            self.label("version"),
            "latest",
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("latest")
        .to_string();
        (name, revision)
    }

    fn default_container_annotations(&self, annotations: &mut Map<String, Value>) {
        if let Some(first) = self.app_containers().first() {
            for key in [
                "kubectl.kubernetes.io/default-logs-container",
                "kubectl.kubernetes.io/default-container",
            ] {
                if !self.isset(key) {
                    annotations.insert(key.into(), Value::String(first.clone()));
                }
            }
        }
    }

    fn pod_ports_env(&self) -> String {
        let mut lines = vec!["[".to_string()];
        let mut first = true;
        for c in containers(self.spec) {
            for p in c
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let mut p = p.clone();
                gotypes::normalize(&mut p, &CONTAINER_PORT_TY);
                let js = gotypes::go_json(&p, &CONTAINER_PORT_TY);
                lines.push(format!("    {}{}", if first { "" } else { "," }, js));
                first = false;
            }
        }
        lines.push("]".to_string());
        lines.join("\n")
    }

    fn ca_addr(&self) -> String {
        let ca = self.val_s("/global/caAddress");
        if !ca.is_empty() {
            return ca;
        }
        let rev = self.val_s("/revision");
        let istiod = if rev.is_empty() {
            "istiod".to_string()
        } else {
            format!("istiod-{rev}")
        };
        format!(
            "{istiod}.{}.svc:15012",
            self.val_s("/global/istioNamespace")
        )
    }

    fn mesh_id(&self) -> Option<String> {
        let id = self.val_s("/global/meshID");
        if !id.is_empty() {
            return Some(id);
        }
        let td = self.trust_domain();
        (!td.is_empty()).then_some(td)
    }

    fn owner(&self) -> Option<String> {
        (!self.type_meta.api_version.is_empty() && !self.deploy_meta.name.is_empty()).then(|| {
            let ns = if self.deploy_meta.namespace.is_empty() {
                "default"
            } else {
                &self.deploy_meta.namespace
            };
            format!(
                "kubernetes://apis/{}/namespaces/{ns}/{}s/{}",
                self.type_meta.api_version,
                self.type_meta.kind.to_lowercase(),
                self.deploy_meta.name
            )
        })
    }

    fn compliance_policy(&self) -> String {
        self.val_s("/pilot/env/COMPLIANCE_POLICY")
    }
}

fn containers(spec: &Value) -> &[Value] {
    spec.get("containers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Go template truthiness.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// Istio's `omitNil` template function: drops null entries of maps, recursively.
fn omit_nil(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), omit_nil(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(omit_nil).collect()),
        other => other.clone(),
    }
}

/// Istio's `excludeInboundPort`: adds the status port to the excluded inbound ports.
pub fn exclude_inbound_port(port: &str, excluded: &str) -> String {
    let port = port.trim();
    if port.is_empty() || port == "0" {
        return excluded.to_string();
    }
    let mut out = Vec::new();
    for p in excluded.split(',') {
        if p == port {
            return excluded.to_string();
        }
        let p = p.trim();
        if !p.is_empty() {
            out.push(p.to_string());
        }
    }
    out.push(port.to_string());
    out.join(",")
}

/// Istio's `appendMultusNetwork`: adds `network` to a `k8s.v1.cni.cncf.io/networks` value.
pub fn append_multus_network(existing: &str, network: &str) -> String {
    if existing.is_empty() {
        return network.to_string();
    }
    if let Some(i) = existing.rfind(']') {
        let parsed: Result<Vec<Map<String, Value>>, _> = serde_json::from_str(existing);
        return match parsed {
            Err(_) => existing.to_string(),
            Ok(nets)
                if nets
                    .iter()
                    .any(|n| n.get("name").and_then(Value::as_str) == Some(network)) =>
            {
                existing.to_string()
            }
            Ok(_) => format!(
                "{}, {{\"name\": \"{network}\"}}{}",
                &existing[..i],
                &existing[i..]
            ),
        };
    }
    if existing.split(',').any(|n| n.trim() == network) {
        return existing.to_string();
    }
    format!("{existing}, {network}")
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn env(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "value": value.into()})
}

fn env_field(name: &str, path: &str) -> Value {
    json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}})
}

fn env_resource(name: &str, resource: &str, divisor: bool) -> Value {
    let mut r = json!({"resource": resource});
    if divisor {
        r["divisor"] = s("1");
    }
    json!({"name": name, "valueFrom": {"resourceFieldRef": r}})
}

fn empty_dir_volume(name: &str, empty_dir: Value) -> Value {
    json!({"name": name, "emptyDir": empty_dir})
}

/// Parses a JSON annotation the template ranges over (`sidecar.istio.io/userVolume`, ...).
/// Go's `fromJSON` turns bad JSON into the string "{}", which renders nothing.
fn json_annotation(data: &TemplateData, name: &str) -> Vec<(String, Value)> {
    let Some(text) = data.ann(name) else {
        return Vec::new();
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m.into_iter().collect(),
        Ok(Value::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// The `sidecar` template.
pub fn sidecar(data: &TemplateData) -> Result<Value, RenderError> {
    let flavor = data.flavor();
    let native = data.native();
    let tproxy = data.tproxy();
    let cap_bind = data.cap_net_bind_service();
    let mode = data.interception_mode();
    let cni = data.cni_enabled();
    let status_port = data.status_port();
    let metadata_env = data.proxy_metadata();

    // --- metadata ---
    let mut labels = Map::new();
    let tls_mode = match data.label("security.istio.io/tlsMode") {
        "" => "istio",
        v => v,
    };
    labels.insert("security.istio.io/tlsMode".into(), s(tls_mode));
    if flavor == Flavor::Current
        && metadata_env
            .iter()
            .any(|(k, v)| k == "ISTIO_META_ENABLE_HBONE" && v == "true")
    {
        let tunnel = match data.label("networking.istio.io/tunnel") {
            "" => "http",
            v => v,
        };
        labels.insert("networking.istio.io/tunnel".into(), s(tunnel));
    }
    let (cname, crev) = data.canonical_labels(flavor == Flavor::Current);
    labels.insert("service.istio.io/canonical-name".into(), s(cname));
    labels.insert("service.istio.io/canonical-revision".into(), s(crev));

    let mut annotations = Map::new();
    let rev = if data.settings.revision.is_empty() {
        "default"
    } else {
        &data.settings.revision
    };
    annotations.insert("istio.io/rev".into(), s(rev));
    data.default_container_annotations(&mut annotations);
    if cni {
        let multus = match flavor {
            Flavor::Current => data.val_s("/pilot/cni/provider") == "multus",
            Flavor::V1_23 => {
                data.val_s("/pilot/cni/provider") == "multus"
                    || data.val_s("/istio_cni/provider") == "multus"
                    || !data.truthy("/istio_cni/chained")
            }
        };
        if multus {
            let existing = data.ann("k8s.v1.cni.cncf.io/networks").unwrap_or("");
            annotations.insert(
                "k8s.v1.cni.cncf.io/networks".into(),
                s(append_multus_network(existing, MULTUS_NETWORK)),
            );
        }
        annotations.insert("sidecar.istio.io/interceptionMode".into(), s(mode.clone()));
        for (ann, val) in [
            (
                "traffic.sidecar.istio.io/includeOutboundIPRanges",
                "/global/proxy/includeIPRanges",
            ),
            (
                "traffic.sidecar.istio.io/excludeOutboundIPRanges",
                "/global/proxy/excludeIPRanges",
            ),
        ] {
            let v = data.annotation(ann, data.val(val));
            if !v.is_empty() {
                annotations.insert(ann.into(), s(v));
            }
        }
        let include_inbound = data.annotation(
            "traffic.sidecar.istio.io/includeInboundPorts",
            data.val("/global/proxy/includeInboundPorts"),
        );
        if flavor == Flavor::Current || !include_inbound.is_empty() {
            annotations.insert(
                "traffic.sidecar.istio.io/includeInboundPorts".into(),
                s(include_inbound),
            );
        }
        annotations.insert(
            "traffic.sidecar.istio.io/excludeInboundPorts".into(),
            s(data.exclude_inbound_ports()),
        );
        if let Some(v) = data.include_outbound_ports() {
            annotations.insert("traffic.sidecar.istio.io/includeOutboundPorts".into(), s(v));
        }
        if let Some(v) = data.exclude_outbound_ports() {
            annotations.insert("traffic.sidecar.istio.io/excludeOutboundPorts".into(), s(v));
        }
        let mut copied = vec!["traffic.sidecar.istio.io/kubevirtInterfaces"];
        if flavor == Flavor::Current {
            copied.push("istio.io/reroute-virtual-interfaces");
        }
        copied.push("traffic.sidecar.istio.io/excludeInterfaces");
        for ann in copied {
            if let Some(v) = data.ann(ann).filter(|v| !v.is_empty()) {
                annotations.insert(ann.into(), s(v));
            }
        }
    }

    // --- spec ---
    let hold = (data.proxy_config.get("holdApplicationUntilProxyStarts")
        == Some(&Value::Bool(true))
        || data.truthy("/global/proxy/holdApplicationUntilProxyStarts"))
        && !native;
    let resources = data.resources()?;
    let mut init_containers: Vec<Value> = Vec::new();
    let no_init_container = flavor == Flavor::Current && mode == "NONE" && !native;
    if mode != "NONE" {
        init_containers.push(init_container(
            data,
            &mode,
            cni,
            tproxy,
            &resources,
            &metadata_env,
        ));
    }
    if flavor == Flavor::V1_23
        && data.annotation(
            "sidecar.istio.io/enableCoreDump",
            data.val("/global/proxy/enableCoreDump"),
        ) == "true"
    {
        let mut c = Map::new();
        c.insert("name".into(), s("enable-core-dump"));
        c.insert(
            "args".into(),
            json!(["-c", "sysctl -w kernel.core_pattern=/var/lib/istio/data/core.proxy && ulimit -c unlimited"]),
        );
        c.insert("command".into(), json!(["/bin/sh"]));
        c.insert(
            "image".into(),
            s(data.image("/global/proxy_init/image", &data.proxy_image)),
        );
        data.pull_policy(&mut c);
        c.insert("resources".into(), resources.clone());
        c.insert(
            "securityContext".into(),
            json!({"allowPrivilegeEscalation": true, "capabilities": {"add": ["SYS_ADMIN"], "drop": ["ALL"]},
                "privileged": true, "readOnlyRootFilesystem": false, "runAsGroup": 0, "runAsNonRoot": false, "runAsUser": 0}),
        );
        init_containers.push(Value::Object(c));
    }

    let proxy = proxy_container(
        data,
        native,
        hold,
        tproxy,
        cap_bind,
        &status_port,
        &resources,
        &metadata_env,
    )?;
    let mut spec = Map::new();
    let mut proxy_in_containers = None;
    if native {
        init_containers.push(proxy);
    } else {
        proxy_in_containers = Some(proxy);
    }
    if no_init_container {
        spec.insert("initContainers".into(), json!([]));
    } else {
        spec.insert(
            "initContainers".into(),
            if init_containers.is_empty() {
                Value::Null
            } else {
                Value::Array(init_containers)
            },
        );
    }
    if let Some(p) = proxy_in_containers {
        spec.insert("containers".into(), json!([p]));
    }
    spec.insert("volumes".into(), Value::Array(sidecar_volumes(data)));
    if let Some(secrets) = image_pull_secrets(data) {
        spec.insert("imagePullSecrets".into(), secrets);
    }
    Ok(json!({
        "metadata": {"labels": labels, "annotations": annotations},
        "spec": spec,
    }))
}

fn init_container(
    data: &TemplateData,
    mode: &str,
    cni: bool,
    tproxy: bool,
    resources: &Value,
    metadata_env: &[(String, String)],
) -> Value {
    let flavor = data.flavor();
    let mut c = Map::new();
    c.insert(
        "name".into(),
        s(if cni {
            "istio-validation"
        } else {
            "istio-init"
        }),
    );
    let computed = match flavor {
        Flavor::Current => &data.proxy_init_image,
        Flavor::V1_23 => &data.proxy_image,
    };
    c.insert(
        "image".into(),
        s(data.image("/global/proxy_init/image", computed)),
    );

    let mesh_port = |key: &str, default: &str| -> String {
        match data.settings.mesh.get(key).and_then(Value::as_i64) {
            Some(p) if p != 0 => p.to_string(),
            _ => default.to_string(),
        }
    };
    let uid = if tproxy {
        "1337".to_string()
    } else {
        data.proxy_uid.to_string()
    };
    let mut args: Vec<String> = vec![
        "istio-iptables".into(),
        "-p".into(),
        mesh_port("proxyListenPort", "15001"),
        "-z".into(),
        mesh_port("proxyInboundListenPort", "15006"),
        "-u".into(),
        uid,
        "-m".into(),
        mode.to_string(),
        "-i".into(),
        data.annotation(
            "traffic.sidecar.istio.io/includeOutboundIPRanges",
            data.val("/global/proxy/includeIPRanges"),
        ),
        "-x".into(),
        data.annotation(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            data.val("/global/proxy/excludeIPRanges"),
        ),
        "-b".into(),
        data.annotation(
            "traffic.sidecar.istio.io/includeInboundPorts",
            data.val("/global/proxy/includeInboundPorts"),
        ),
        "-d".into(),
    ];
    let excluded = data.exclude_inbound_ports();
    args.push(if excluded.is_empty() {
        "15090,15021".into()
    } else {
        format!("15090,15021,{excluded}")
    });
    if let Some(v) = data.include_outbound_ports() {
        args.extend(["-q".into(), v]);
    }
    if let Some(v) = data.exclude_outbound_ports() {
        args.extend(["-o".into(), v]);
    }
    let reroute = (flavor == Flavor::Current)
        .then(|| data.ann("istio.io/reroute-virtual-interfaces"))
        .flatten();
    if let Some(v) = reroute.or_else(|| data.ann("traffic.sidecar.istio.io/kubevirtInterfaces")) {
        args.extend(["-k".into(), v.to_string()]);
    }
    if let Some(v) = data.ann("traffic.sidecar.istio.io/excludeInterfaces") {
        args.extend(["-c".into(), v.to_string()]);
    }
    args.push(format!(
        "--log_output_level={}",
        data.annotation(
            "sidecar.istio.io/agentLogLevel",
            data.val("/global/logging/level")
        )
    ));
    if data.truthy("/global/logAsJson") {
        args.push("--log_as_json".into());
    }
    if cni {
        args.extend(["--run-validation".into(), "--skip-rule-apply".into()]);
    } else if flavor == Flavor::Current && data.truthy("/global/proxy_init/forceApplyIptables") {
        args.push("--force-apply".into());
    }
    if flavor == Flavor::Current && data.truthy("/global/nativeNftables") {
        args.push("--native-nftables".into());
    }
    c.insert("args".into(), json!(args));
    data.pull_policy(&mut c);
    if !metadata_env.is_empty() {
        c.insert(
            "env".into(),
            Value::Array(
                metadata_env
                    .iter()
                    .map(|(k, v)| env(k, v.clone()))
                    .collect(),
            ),
        );
    }
    c.insert("resources".into(), resources.clone());

    let privileged = data
        .val("/global/proxy/privileged")
        .cloned()
        .unwrap_or(Value::Bool(false));
    let mut sc = Map::new();
    sc.insert("allowPrivilegeEscalation".into(), privileged.clone());
    sc.insert("privileged".into(), privileged);
    if cni {
        sc.insert("capabilities".into(), json!({"drop": ["ALL"]}));
        let (uid, gid) = if tproxy {
            (1337, 1337)
        } else {
            (data.proxy_uid, data.proxy_gid)
        };
        sc.insert("readOnlyRootFilesystem".into(), json!(true));
        sc.insert("runAsGroup".into(), json!(gid));
        sc.insert("runAsUser".into(), json!(uid));
        sc.insert("runAsNonRoot".into(), json!(true));
    } else {
        sc.insert(
            "capabilities".into(),
            json!({"add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]}),
        );
        sc.insert("readOnlyRootFilesystem".into(), json!(false));
        sc.insert("runAsGroup".into(), json!(0));
        sc.insert("runAsNonRoot".into(), json!(false));
        sc.insert("runAsUser".into(), json!(0));
    }
    data.seccomp(&mut sc);
    c.insert("securityContext".into(), Value::Object(sc));
    Value::Object(c)
}

#[allow(clippy::too_many_arguments)]
fn proxy_container(
    data: &TemplateData,
    native: bool,
    hold: bool,
    tproxy: bool,
    cap_bind: bool,
    status_port: &str,
    resources: &Value,
    metadata_env: &[(String, String)],
) -> Result<Value, RenderError> {
    let flavor = data.flavor();
    let mut c = Map::new();
    c.insert("name".into(), s("istio-proxy"));
    c.insert(
        "image".into(),
        s(data.image("/global/proxy/image", &data.proxy_image)),
    );
    if native {
        c.insert("restartPolicy".into(), s("Always"));
    }
    c.insert(
        "ports".into(),
        json!([{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}]),
    );
    c.insert("args".into(), json!(proxy_args(data, "sidecar")));

    if data.truthy("/global/proxy/lifecycle") {
        c.insert(
            "lifecycle".into(),
            data.val("/global/proxy/lifecycle")
                .cloned()
                .unwrap_or_default(),
        );
    } else if hold {
        c.insert(
            "lifecycle".into(),
            json!({"postStart": {"exec": {"command": ["pilot-agent", "wait"]}}}),
        );
    } else if native {
        c.insert(
            "lifecycle".into(),
            json!({"preStop": {"exec": {"command": ["pilot-agent", "request", format!("--debug-port={status_port}"), "POST", "drain"]}}}),
        );
    }

    let mut envs = Vec::new();
    if flavor == Flavor::Current && inbound_traffic_policy_mode(data.settings) == "localhost" {
        envs.push(env("REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION", "true"));
    }
    envs.extend(common_env_head(data, flavor == Flavor::Current));
    envs.push(env(
        "ISTIO_META_APP_CONTAINERS",
        data.app_containers().join(","),
    ));
    envs.push(env_resource(
        "GOMEMLIMIT",
        "limits.memory",
        flavor == Flavor::Current,
    ));
    if flavor == Flavor::V1_23 {
        envs.push(env_resource("GOMAXPROCS", "limits.cpu", false));
    }
    compliance_env(data, &mut envs);
    envs.push(env("ISTIO_META_CLUSTER_ID", cluster_id(data)));
    envs.push(env_field("ISTIO_META_NODE_NAME", "spec.nodeName"));
    let intercept = match data.ann("sidecar.istio.io/interceptionMode") {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => data.interception_mode_default(),
    };
    envs.push(env("ISTIO_META_INTERCEPTION_MODE", intercept));
    if data.truthy("/global/network") {
        envs.push(env("ISTIO_META_NETWORK", data.val_s("/global/network")));
    }
    let workload = match flavor {
        Flavor::Current => match data.label("service.istio.io/workload-name") {
            "" => data.deploy_meta.name.clone(),
            v => v.to_string(),
        },
        Flavor::V1_23 => data.deploy_meta.name.clone(),
    };
    if !workload.is_empty() {
        envs.push(env("ISTIO_META_WORKLOAD_NAME", workload));
    }
    common_env_tail(data, &mut envs);
    if flavor == Flavor::Current
        && let Some(attrs) = otel_resource_attributes(data)
    {
        envs.push(env("OTEL_RESOURCE_ATTRIBUTES", attrs));
    }
    if data.val_s("/global/proxy/tracer") == "datadog" {
        for (k, v) in json_annotation(data, "apm.datadoghq.com/env") {
            envs.push(env(&k, go_sprint(&v)));
        }
    }
    for (k, v) in metadata_env {
        envs.push(env(k, v.clone()));
    }
    c.insert("env".into(), Value::Array(envs));
    data.pull_policy(&mut c);

    if status_port != "0" {
        if data.truthy("/global/proxy/startupProbe/enabled") {
            let threshold = data
                .val("/global/proxy/startupProbe/failureThreshold")
                .cloned()
                .unwrap_or(Value::Null);
            c.insert(
                "startupProbe".into(),
                json!({"httpGet": {"path": "/healthz/ready", "port": 15021}, "initialDelaySeconds": 0,
                    "periodSeconds": 1, "timeoutSeconds": 3, "failureThreshold": threshold}),
            );
        }
        c.insert(
            "readinessProbe".into(),
            json!({
                "httpGet": {"path": "/healthz/ready", "port": 15021},
                "initialDelaySeconds": data.int_annotation("readiness.status.sidecar.istio.io/initialDelaySeconds", "/global/proxy/readinessInitialDelaySeconds")?,
                "periodSeconds": data.int_annotation("readiness.status.sidecar.istio.io/periodSeconds", "/global/proxy/readinessPeriodSeconds")?,
                "timeoutSeconds": 3,
                "failureThreshold": data.int_annotation("readiness.status.sidecar.istio.io/failureThreshold", "/global/proxy/readinessFailureThreshold")?,
            }),
        );
    }

    let privileged = data
        .val("/global/proxy/privileged")
        .cloned()
        .unwrap_or(Value::Bool(false));
    let mut sc = Map::new();
    if metadata_env
        .iter()
        .any(|(k, v)| k == "IPTABLES_TRACE_LOGGING" && v == "true")
    {
        sc = json!({"allowPrivilegeEscalation": true, "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
            "privileged": true, "readOnlyRootFilesystem": true, "runAsGroup": data.proxy_gid,
            "runAsNonRoot": false, "runAsUser": 0})
        .as_object()
        .cloned()
        .unwrap_or_default();
    } else {
        let tproxy_caps = match flavor {
            Flavor::Current => tproxy,
            Flavor::V1_23 => data.interception_mode() == "TPROXY",
        };
        let mut caps = Map::new();
        let mut add = Vec::new();
        if tproxy_caps {
            add.push("NET_ADMIN");
        }
        if cap_bind {
            add.push("NET_BIND_SERVICE");
        }
        if !add.is_empty() {
            caps.insert("add".into(), json!(add));
        }
        caps.insert("drop".into(), json!(["ALL"]));
        sc.insert("allowPrivilegeEscalation".into(), privileged.clone());
        sc.insert("capabilities".into(), Value::Object(caps));
        sc.insert("privileged".into(), privileged);
        let read_only = match flavor {
            Flavor::Current => true,
            Flavor::V1_23 => {
                data.annotation(
                    "sidecar.istio.io/enableCoreDump",
                    data.val("/global/proxy/enableCoreDump"),
                ) != "true"
            }
        };
        sc.insert("readOnlyRootFilesystem".into(), json!(read_only));
        if tproxy_caps || cap_bind {
            sc.insert("runAsNonRoot".into(), json!(false));
            sc.insert("runAsUser".into(), json!(0));
            let gid = if flavor == Flavor::Current {
                1337
            } else {
                data.proxy_gid
            };
            sc.insert("runAsGroup".into(), json!(gid));
        } else {
            sc.insert("runAsNonRoot".into(), json!(true));
            sc.insert("runAsUser".into(), json!(data.proxy_uid));
            sc.insert("runAsGroup".into(), json!(data.proxy_gid));
        }
    }
    data.seccomp(&mut sc);
    c.insert("securityContext".into(), Value::Object(sc));
    c.insert("resources".into(), resources.clone());
    c.insert("volumeMounts".into(), Value::Array(sidecar_mounts(data)));
    Ok(Value::Object(c))
}

fn proxy_args(data: &TemplateData, kind: &str) -> Vec<String> {
    let mut args = vec![
        "proxy".to_string(),
        kind.to_string(),
        "--domain".to_string(),
        format!(
            "$(POD_NAMESPACE).svc.{}",
            data.val_s("/global/proxy/clusterDomain")
        ),
        format!(
            "--proxyLogLevel={}",
            data.annotation(
                "sidecar.istio.io/logLevel",
                data.val("/global/proxy/logLevel")
            )
        ),
        format!(
            "--proxyComponentLogLevel={}",
            data.annotation(
                "sidecar.istio.io/componentLogLevel",
                data.val("/global/proxy/componentLogLevel")
            )
        ),
        format!(
            "--log_output_level={}",
            data.annotation(
                "sidecar.istio.io/agentLogLevel",
                data.val("/global/logging/level")
            )
        ),
    ];
    if data.truthy("/global/sts/servicePort") {
        args.push(format!(
            "--stsPort={}",
            data.val_s("/global/sts/servicePort")
        ));
    }
    if data.truthy("/global/logAsJson") {
        args.push("--log_as_json".into());
    }
    if kind == "sidecar" && data.truthy("/global/proxy/outlierLogPath") {
        args.push(format!(
            "--outlierLogPath={}",
            data.val_s("/global/proxy/outlierLogPath")
        ));
    }
    args
}

/// `PILOT_CERT_PROVIDER` ... `ISTIO_META_POD_PORTS`, shared by both templates.
fn common_env_head(data: &TemplateData, divisor: bool) -> Vec<Value> {
    vec![
        env(
            "PILOT_CERT_PROVIDER",
            data.val_s("/global/pilotCertProvider"),
        ),
        env("CA_ADDR", data.ca_addr()),
        env_field("POD_NAME", "metadata.name"),
        env_field("POD_NAMESPACE", "metadata.namespace"),
        env_field("INSTANCE_IP", "status.podIP"),
        env_field("SERVICE_ACCOUNT", "spec.serviceAccountName"),
        env_field("HOST_IP", "status.hostIP"),
        env_resource("ISTIO_CPU_LIMIT", "limits.cpu", divisor),
        env(
            "PROXY_CONFIG",
            format!("{}\n", proxyconfig::proxy_config_json(data.proxy_config)),
        ),
        env("ISTIO_META_POD_PORTS", data.pod_ports_env()),
    ]
}

fn compliance_env(data: &TemplateData, envs: &mut Vec<Value>) {
    let policy = data.compliance_policy();
    if !policy.is_empty() {
        envs.push(env("COMPLIANCE_POLICY", policy.clone()));
        if data.flavor() == Flavor::Current && policy == "fips-140-3" {
            envs.push(env("GODEBUG", "fips140=only"));
        }
    }
}

fn cluster_id(data: &TemplateData) -> String {
    match data.val_s("/global/multiCluster/clusterName") {
        s if s.is_empty() => "Kubernetes".to_string(),
        s => s,
    }
}

/// `ISTIO_META_OWNER` ... `TRUST_DOMAIN`, shared by both templates.
fn common_env_tail(data: &TemplateData, envs: &mut Vec<Value>) {
    if let Some(owner) = data.owner() {
        envs.push(env("ISTIO_META_OWNER", owner));
    }
    if data.isset("sidecar.istio.io/bootstrapOverride") {
        envs.push(env(
            "ISTIO_BOOTSTRAP_OVERRIDE",
            "/etc/istio/custom-bootstrap/custom_bootstrap.json",
        ));
    }
    if let Some(id) = data.mesh_id() {
        envs.push(env("ISTIO_META_MESH_ID", id));
    }
    let td = data.trust_domain();
    if !td.is_empty() {
        envs.push(env("TRUST_DOMAIN", td));
    }
}

/// Istio's `otelResourceAttributes`: with an OpenTelemetry tracing provider whose
/// `serviceAttributeEnrichment` is `OTEL_SEMANTIC_CONVENTIONS`, the OpenTelemetry service attributes
/// of the Kubernetes semantic conventions: `service.namespace` (annotation, else the namespace),
/// `service.version` (annotation, `app.kubernetes.io/version` label, else the image tag/digest of a
/// single app container) and `service.instance.id` (annotation, else `<namespace>.<pod>.<container>`).
fn otel_resource_attributes(data: &TemplateData) -> Option<String> {
    let enabled = data
        .settings
        .mesh
        .get("extensionProviders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| {
            p.pointer("/opentelemetry/serviceAttributeEnrichment")
                .and_then(Value::as_str)
                == Some("OTEL_SEMANTIC_CONVENTIONS")
        });
    if !enabled {
        return None;
    }
    const PREFIX: &str = "resource.opentelemetry.io/";
    let ann = |k: &str| {
        data.ann(&format!("{PREFIX}{k}"))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let namespace = match data.deploy_meta.namespace.as_str() {
        "" => "$(POD_NAMESPACE)".to_string(),
        ns => ns.to_string(),
    };
    let apps: Vec<&Value> = containers(data.spec)
        .iter()
        .filter(|c| c.get("name").and_then(Value::as_str) != Some("istio-proxy"))
        .collect();
    let mut attrs = vec![format!(
        "service.namespace={}",
        ann("service.namespace").unwrap_or_else(|| namespace.clone())
    )];
    let version = ann("service.version")
        .or_else(|| {
            Some(data.label("app.kubernetes.io/version").to_string()).filter(|v| !v.is_empty())
        })
        .or_else(|| match apps.as_slice() {
            [only] => image_version(only.get("image").and_then(Value::as_str).unwrap_or("")),
            _ => None,
        });
    if let Some(v) = version {
        attrs.push(format!("service.version={v}"));
    }
    let instance = ann("service.instance.id").or_else(|| {
        apps.first()
            .and_then(|c| c.get("name").and_then(Value::as_str))
            .map(|c| format!("{namespace}.$(POD_NAME).{c}"))
    });
    if let Some(i) = instance {
        attrs.push(format!("service.instance.id={i}"));
    }
    Some(attrs.join(","))
}

/// The version an image reference names: `tag@digest`, the digest, or the tag.
fn image_version(image: &str) -> Option<String> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last
        .split_once(':')
        .map(|(_, t)| t)
        .filter(|t| !t.is_empty());
    match (tag, digest) {
        (Some(t), Some(d)) => Some(format!("{t}@{d}")),
        (None, Some(d)) => Some(d.to_string()),
        (Some(t), None) => Some(t.to_string()),
        (None, None) => None,
    }
}

fn lightstep_tls(data: &TemplateData) -> Option<String> {
    if data.val_s("/global/proxy/tracer") != "lightstep" {
        return None;
    }
    let tls = data.proxy_config.get("tracing")?.get("tlsSettings")?;
    if !truthy(Some(tls)) {
        return None;
    }
    let ca = tls
        .get("caCertificates")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(match ca.rfind('/') {
        Some(i) => ca[..=i].to_string(),
        None => String::new(),
    })
}

fn sidecar_mounts(data: &TemplateData) -> Vec<Value> {
    let flavor = data.flavor();
    let mut m = vec![
        json!({"name": "workload-socket", "mountPath": "/var/run/secrets/workload-spiffe-uds"}),
        json!({"name": "credential-socket", "mountPath": "/var/run/secrets/credential-uds"}),
    ];
    if data.val_s("/global/caName") == "GkeWorkloadCertificate" {
        m.push(json!({"name": "gke-workload-certificate", "mountPath": "/var/run/secrets/workload-spiffe-credentials", "readOnly": true}));
    } else {
        m.push(json!({"name": "workload-certs", "mountPath": "/var/run/secrets/workload-spiffe-credentials"}));
    }
    let provider = data.val_s("/global/pilotCertProvider");
    if provider == "istiod" {
        m.push(json!({"mountPath": "/var/run/secrets/istio", "name": "istiod-ca-cert"}));
        if flavor == Flavor::Current {
            m.push(json!({"mountPath": "/var/run/secrets/istio/crl", "name": "istio-ca-crl"}));
        }
    }
    if flavor == Flavor::V1_23 && provider == "kubernetes" {
        m.push(json!({"mountPath": "/var/run/secrets/istio/kubernetes", "name": "kube-ca-cert"}));
    }
    m.push(json!({"mountPath": "/var/lib/istio/data", "name": "istio-data"}));
    if data.isset("sidecar.istio.io/bootstrapOverride") {
        m.push(
            json!({"mountPath": "/etc/istio/custom-bootstrap", "name": "custom-bootstrap-volume"}),
        );
    }
    m.push(json!({"mountPath": "/etc/istio/proxy", "name": "istio-envoy"}));
    m.push(json!({"mountPath": "/var/run/secrets/tokens", "name": "istio-token"}));
    if data.truthy("/global/mountMtlsCerts") {
        m.push(json!({"mountPath": "/etc/certs/", "name": "istio-certs", "readOnly": true}));
    }
    m.push(json!({"name": "istio-podinfo", "mountPath": "/etc/istio/pod"}));
    if let Some(dir) = lightstep_tls(data) {
        m.push(json!({"mountPath": dir, "name": "lightstep-certs", "readOnly": true}));
    }
    for (name, value) in json_annotation(data, "sidecar.istio.io/userVolumeMount") {
        m.push(named(name, value));
    }
    m
}

fn named(name: String, value: Value) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), Value::String(name));
    if let Value::Object(fields) = value {
        for (k, v) in fields {
            if k != "name" {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

fn ca_cert_volume(data: &TemplateData) -> Value {
    let trust_bundle = data.val_s("/global/trustBundleName");
    if data.flavor() == Flavor::Current
        && data.val("/pilot/env/ENABLE_CLUSTER_TRUST_BUNDLE_API") == Some(&Value::Bool(true))
    {
        let name = if trust_bundle.is_empty() {
            "root-cert".to_string()
        } else {
            trust_bundle
        };
        return json!({"name": "istiod-ca-cert", "projected": {"sources": [
            {"clusterTrustBundle": {"name": format!("istio.io:istiod-ca:{name}"), "path": "root-cert.pem"}}]}});
    }
    let name = if trust_bundle.is_empty() || data.flavor() == Flavor::V1_23 {
        "istio-ca-root-cert".to_string()
    } else {
        trust_bundle
    };
    json!({"name": "istiod-ca-cert", "configMap": {"name": name}})
}

fn token_volume(data: &TemplateData) -> Value {
    json!({"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
        "path": "istio-token", "expirationSeconds": 43200, "audience": data.val_s("/global/sds/token/aud")}}]}})
}

fn podinfo_volume() -> Value {
    json!({"name": "istio-podinfo", "downwardAPI": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
        {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}}]}})
}

fn mtls_certs_volume(data: &TemplateData) -> Value {
    let sa = data
        .spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let secret = if sa.is_empty() {
        "istio.default".to_string()
    } else {
        format!("istio.{sa}")
    };
    json!({"name": "istio-certs", "secret": {"optional": true, "secretName": secret}})
}

fn sidecar_volumes(data: &TemplateData) -> Vec<Value> {
    let flavor = data.flavor();
    let mut v = vec![
        empty_dir_volume("workload-socket", Value::Null),
        empty_dir_volume("credential-socket", Value::Null),
    ];
    if data.val_s("/global/caName") == "GkeWorkloadCertificate" {
        v.push(json!({"name": "gke-workload-certificate", "csi": {"driver": "workloadcertificates.security.cloud.google.com"}}));
    } else {
        v.push(empty_dir_volume("workload-certs", Value::Null));
    }
    if let Some(cm) = data.ann("sidecar.istio.io/bootstrapOverride") {
        v.push(json!({"name": "custom-bootstrap-volume", "configMap": {"name": cm}}));
    }
    v.push(empty_dir_volume("istio-envoy", json!({"medium": "Memory"})));
    v.push(empty_dir_volume("istio-data", json!({})));
    v.push(podinfo_volume());
    v.push(token_volume(data));
    let provider = data.val_s("/global/pilotCertProvider");
    if provider == "istiod" {
        v.push(ca_cert_volume(data));
    }
    if flavor == Flavor::Current {
        let crl = match data.val_s("/pilot/crlConfigMapName") {
            s if s.is_empty() => "istio-ca-crl".to_string(),
            s => s,
        };
        v.push(json!({"name": "istio-ca-crl", "configMap": {"name": crl, "optional": true}}));
    }
    if flavor == Flavor::V1_23 && provider == "kubernetes" {
        v.push(json!({"name": "kube-ca-cert", "configMap": {"name": "kube-root-ca.crt"}}));
    }
    if data.truthy("/global/mountMtlsCerts") {
        v.push(mtls_certs_volume(data));
    }
    for (name, value) in json_annotation(data, "sidecar.istio.io/userVolume") {
        v.push(named(name, value));
    }
    if lightstep_tls(data).is_some() {
        v.push(json!({"name": "lightstep-certs", "secret": {"optional": true, "secretName": "lightstep.cacert"}}));
    }
    v
}

fn image_pull_secrets(data: &TemplateData) -> Option<Value> {
    match data.val("/global/imagePullSecrets") {
        Some(Value::Array(list)) if !list.is_empty() => Some(Value::Array(
            list.iter().map(|n| json!({"name": go_sprint(n)})).collect(),
        )),
        _ => None,
    }
}

/// Istio's `InboundTrafficPolicyMode`: `localhost` or `passthrough`.
pub fn inbound_traffic_policy_mode(settings: &InjectionSettings) -> &'static str {
    match settings
        .mesh
        .pointer("/inboundTrafficPolicy/mode")
        .and_then(Value::as_str)
    {
        Some("LOCALHOST") => "localhost",
        _ => "passthrough",
    }
}

/// The `gateway` template (istio-proxy as a router, no init container).
pub fn gateway(data: &TemplateData) -> Result<Value, RenderError> {
    let flavor = data.flavor();
    let (cname, crev) = data.canonical_labels(false);
    let mut annotations = Map::new();
    let rev = if data.settings.revision.is_empty() {
        "default"
    } else {
        &data.settings.revision
    };
    annotations.insert("istio.io/rev".into(), s(rev));
    data.default_container_annotations(&mut annotations);

    let security_context = match data.val("/gateways/securityContext") {
        Some(sc) if truthy(Some(sc)) => sc.clone(),
        _ => json!({"sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]}),
    };

    let mut c = Map::new();
    c.insert("name".into(), s("istio-proxy"));
    c.insert(
        "image".into(),
        s(data.image("/global/proxy/image", &data.proxy_image)),
    );
    c.insert(
        "ports".into(),
        json!([{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}]),
    );
    c.insert("args".into(), json!(proxy_args(data, "router")));
    if data.truthy("/global/proxy/lifecycle") {
        c.insert(
            "lifecycle".into(),
            data.val("/global/proxy/lifecycle")
                .cloned()
                .unwrap_or_default(),
        );
    }
    c.insert(
        "securityContext".into(),
        json!({"runAsUser": data.proxy_uid, "runAsGroup": data.proxy_gid}),
    );
    let mut envs = common_env_head(data, flavor == Flavor::Current);
    envs.push(env_resource(
        "GOMEMLIMIT",
        "limits.memory",
        flavor == Flavor::Current,
    ));
    if flavor == Flavor::V1_23 {
        envs.push(env_resource("GOMAXPROCS", "limits.cpu", false));
    }
    compliance_env(data, &mut envs);
    envs.push(env(
        "ISTIO_META_APP_CONTAINERS",
        data.app_containers().join(","),
    ));
    envs.push(env("ISTIO_META_CLUSTER_ID", cluster_id(data)));
    envs.push(env_field("ISTIO_META_NODE_NAME", "spec.nodeName"));
    envs.push(env(
        "ISTIO_META_INTERCEPTION_MODE",
        data.interception_mode_default(),
    ));
    if data.truthy("/global/network") {
        envs.push(env("ISTIO_META_NETWORK", data.val_s("/global/network")));
    }
    if !data.deploy_meta.name.is_empty() {
        envs.push(env(
            "ISTIO_META_WORKLOAD_NAME",
            data.deploy_meta.name.clone(),
        ));
    }
    common_env_tail(data, &mut envs);
    for (k, v) in data.proxy_metadata() {
        envs.push(env(&k, v));
    }
    c.insert("env".into(), Value::Array(envs));
    data.pull_policy(&mut c);
    c.insert(
        "readinessProbe".into(),
        json!({"httpGet": {"path": "/healthz/ready", "port": 15021},
            "initialDelaySeconds": data.val("/global/proxy/readinessInitialDelaySeconds").cloned().unwrap_or(Value::Null),
            "periodSeconds": data.val("/global/proxy/readinessPeriodSeconds").cloned().unwrap_or(Value::Null),
            "timeoutSeconds": 3,
            "failureThreshold": data.val("/global/proxy/readinessFailureThreshold").cloned().unwrap_or(Value::Null)}),
    );

    let mut mounts = vec![
        json!({"name": "workload-socket", "mountPath": "/var/run/secrets/workload-spiffe-uds"}),
        json!({"name": "credential-socket", "mountPath": "/var/run/secrets/credential-uds"}),
    ];
    let gke = data.val_s("/global/caName") == "GkeWorkloadCertificate";
    if gke {
        mounts.push(json!({"name": "gke-workload-certificate", "mountPath": "/var/run/secrets/workload-spiffe-credentials", "readOnly": true}));
    } else {
        mounts.push(json!({"name": "workload-certs", "mountPath": "/var/run/secrets/workload-spiffe-credentials"}));
    }
    let istiod = data.val_s("/global/pilotCertProvider") == "istiod";
    if istiod {
        mounts.push(json!({"mountPath": "/var/run/secrets/istio", "name": "istiod-ca-cert"}));
    }
    mounts.push(json!({"mountPath": "/var/lib/istio/data", "name": "istio-data"}));
    if data.isset("sidecar.istio.io/bootstrapOverride") {
        mounts.push(
            json!({"mountPath": "/etc/istio/custom-bootstrap", "name": "custom-bootstrap-volume"}),
        );
    }
    mounts.push(json!({"mountPath": "/etc/istio/proxy", "name": "istio-envoy"}));
    mounts.push(json!({"mountPath": "/var/run/secrets/tokens", "name": "istio-token"}));
    if data.truthy("/global/mountMtlsCerts") {
        mounts.push(json!({"mountPath": "/etc/certs/", "name": "istio-certs", "readOnly": true}));
    }
    mounts.push(json!({"name": "istio-podinfo", "mountPath": "/etc/istio/pod"}));
    c.insert("volumeMounts".into(), Value::Array(mounts));

    let mut volumes = vec![
        empty_dir_volume("workload-socket", Value::Null),
        empty_dir_volume("credential-socket", json!({})),
    ];
    if gke {
        volumes.push(json!({"name": "gke-workload-certificate", "csi": {"driver": "workloadcertificates.security.cloud.google.com"}}));
    } else {
        volumes.push(empty_dir_volume("workload-certs", json!({})));
    }
    if let Some(cm) = data.ann("sidecar.istio.io/bootstrapOverride") {
        volumes.push(json!({"name": "custom-bootstrap-volume", "configMap": {"name": cm}}));
    }
    volumes.push(empty_dir_volume("istio-envoy", json!({"medium": "Memory"})));
    volumes.push(empty_dir_volume("istio-data", json!({})));
    volumes.push(podinfo_volume());
    volumes.push(token_volume(data));
    if istiod {
        volumes.push(ca_cert_volume(data));
    }
    if data.truthy("/global/mountMtlsCerts") {
        volumes.push(mtls_certs_volume(data));
    }

    let mut spec = Map::new();
    spec.insert("securityContext".into(), security_context);
    spec.insert("containers".into(), json!([Value::Object(c)]));
    spec.insert("volumes".into(), Value::Array(volumes));
    if let Some(secrets) = image_pull_secrets(data) {
        spec.insert("imagePullSecrets".into(), secrets);
    }
    Ok(json!({
        "metadata": {
            "labels": {"service.istio.io/canonical-name": cname, "service.istio.io/canonical-revision": crev},
            "annotations": annotations,
        },
        "spec": spec,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_inbound_port_adds_status_port_once() {
        assert_eq!(exclude_inbound_port("15020", ""), "15020");
        assert_eq!(exclude_inbound_port("15020", "4,5,6"), "4,5,6,15020");
        assert_eq!(exclude_inbound_port("15020", "15020,1"), "15020,1");
        assert_eq!(exclude_inbound_port("0", "1,2"), "1,2");
        assert_eq!(exclude_inbound_port("", " 1 , 2 "), " 1 , 2 ");
    }

    #[test]
    fn image_versions() {
        assert_eq!(
            image_version("fake.docker.io/x/hello:1.0").as_deref(),
            Some("1.0")
        );
        assert_eq!(image_version("localhost:5000/hello").as_deref(), None);
        assert_eq!(
            image_version("hello:1.0@sha256:ab").as_deref(),
            Some("1.0@sha256:ab")
        );
        assert_eq!(
            image_version("hello@sha256:ab").as_deref(),
            Some("sha256:ab")
        );
    }

    #[test]
    fn multus_networks_are_appended_once() {
        assert_eq!(append_multus_network("", "istio-cni"), "istio-cni");
        assert_eq!(
            append_multus_network("macvlan-conf-1", "istio-cni"),
            "macvlan-conf-1, istio-cni"
        );
        assert_eq!(
            append_multus_network(r#"[{"name": "macvlan-conf-1"}]"#, "istio-cni"),
            r#"[{"name": "macvlan-conf-1"}, {"name": "istio-cni"}]"#
        );
        let done = r#"[{"name": "istio-cni"}]"#;
        assert_eq!(append_multus_network(done, "istio-cni"), done);
        assert_eq!(
            append_multus_network("a, istio-cni", "istio-cni"),
            "a, istio-cni"
        );
    }
}
