//! Injection settings: the Helm values, mesh config, injector config and revision that decide what
//! an injected pod looks like, and the two ways to get them.
//!
//! * [`SettingsBuilder`]: like `istioctl kube-inject` without a cluster. The embedded defaults of the
//!   chosen Istio version, then an IstioOperator's `spec.values`/`spec.meshConfig` (`--iop`), then
//!   `--set path=value`, then `--hub/--tag/--revision`.
//! * [`InjectionSettings::from_configmaps`]: the installed control plane's `istio-sidecar-injector`
//!   ConfigMap (`data.config`, `data.values`) and `istio` ConfigMap (`data.mesh`), as istiod reads them.
//!
//! The builder renders the same three documents the ConfigMaps hold and goes through the same
//! constructor, so both sources are treated alike.

use std::collections::BTreeMap;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value, json};

use super::proxyconfig::{self, apply_mesh_config, default_mesh_config};

/// The Istio release rigger targets by default; its defaults are embedded here.
pub const DEFAULT_ISTIO_VERSION: &str = "1.30.3";
/// The image registry of released Istio images.
pub const DEFAULT_HUB: &str = "docker.io/istio";

/// Which generation of Istio's injection template to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Istio 1.23.x: native sidecars only with `ENABLE_NATIVE_SIDECARS=true`, `enable-core-dump`,
    /// `GOMAXPROCS`, no CRL volume.
    V1_23,
    /// Istio 1.24 and newer (the golden files' template).
    Current,
}

impl Flavor {
    /// The flavor for an image tag: `1.23.x` and older get the 1.23 template, anything else
    /// (newer versions, `latest`, custom tags) the current one.
    pub fn for_tag(tag: &str) -> Flavor {
        let mut parts = tag.trim_start_matches('v').split(['.', '-']);
        let major = parts.next().and_then(|p| p.parse::<u32>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
        match (major, minor) {
            (Some(1), Some(m)) if m <= 23 => Flavor::V1_23,
            _ => Flavor::Current,
        }
    }
}

/// Whether `istio-proxy` runs as a native sidecar (an init container with `restartPolicy: Always`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NativeSidecars {
    /// Istio's `ENABLE_NATIVE_SIDECARS=auto`: on when every node's kubelet is 1.33 or newer
    /// (offline: the version's default, on for current Istio, off for 1.23).
    #[default]
    Auto,
    On,
    Off,
}

impl NativeSidecars {
    /// Resolves the mode. An explicit `pilot.env.ENABLE_NATIVE_SIDECARS` in the values wins over
    /// `auto`; `kubelets` are the nodes' kubelet versions when a cluster is at hand.
    pub fn resolve(self, flavor: Flavor, values: &Value, kubelets: Option<&[String]>) -> bool {
        match self {
            NativeSidecars::On => return true,
            NativeSidecars::Off => return false,
            NativeSidecars::Auto => {}
        }
        let env = values.pointer("/pilot/env/ENABLE_NATIVE_SIDECARS");
        match env.map(|v| match v {
            Value::String(s) => s.to_ascii_lowercase(),
            other => other.to_string(),
        }) {
            Some(s) if s == "true" => return true,
            Some(s) if s == "false" => return false,
            _ => {}
        }
        match flavor {
            Flavor::V1_23 => false,
            Flavor::Current => match kubelets {
                None => true,
                Some([]) => false,
                Some(versions) => versions.iter().all(|v| kubelet_at_least(v, 1, 33)),
            },
        }
    }
}

fn kubelet_at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.trim_start_matches('v').split(['.', '-', '+']);
    let ma = parts
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(0);
    let mi = parts
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(0);
    (ma, mi) >= (major, minor)
}

/// The injector's own configuration (`data.config` of `istio-sidecar-injector`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InjectorConfig {
    /// `enabled` or `disabled`: the default for pods that say nothing.
    pub policy: String,
    /// Templates used when a pod does not name any (`inject.istio.io/templates`).
    pub default_templates: Vec<String>,
    /// Names that stand for several templates.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Label selectors that force injection off / on for pods that say nothing.
    pub never_inject_selector: Vec<Value>,
    pub always_inject_selector: Vec<Value>,
    /// Annotations added to every injected pod.
    pub injected_annotations: BTreeMap<String, String>,
    /// Go-template texts of templates the config carries. `sidecar` and `gateway` are implemented
    /// natively unless the values override them; other names are rendered from this text.
    pub templates: BTreeMap<String, String>,
}

impl InjectorConfig {
    fn parse(doc: &Value) -> Result<Self> {
        let str_list = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut cfg = InjectorConfig {
            policy: doc
                .get("policy")
                .and_then(Value::as_str)
                .unwrap_or("enabled")
                .to_string(),
            default_templates: str_list(doc.get("defaultTemplates")),
            never_inject_selector: doc
                .get("neverInjectSelector")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            always_inject_selector: doc
                .get("alwaysInjectSelector")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            ..Default::default()
        };
        if cfg.default_templates.is_empty() {
            cfg.default_templates = vec!["sidecar".to_string()];
        }
        if let Some(Value::Object(aliases)) = doc.get("aliases") {
            for (k, v) in aliases {
                cfg.aliases.insert(k.clone(), str_list(Some(v)));
            }
        }
        if let Some(Value::Object(ann)) = doc.get("injectedAnnotations") {
            for (k, v) in ann {
                cfg.injected_annotations.insert(
                    k.clone(),
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                );
            }
        }
        if let Some(Value::Object(t)) = doc.get("templates") {
            for (k, v) in t {
                if let Some(text) = v.as_str() {
                    cfg.templates.insert(k.clone(), text.to_string());
                }
            }
        }
        Ok(cfg)
    }
}

/// Everything injection needs besides the pod.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectionSettings {
    pub flavor: Flavor,
    /// Helm values in the shape of `data.values`: `global`, `sidecarInjectorWebhook`, `revision`,
    /// `pilot.cni`, `pilot.env`, `gateways`.
    pub values: Value,
    /// MeshConfig (protobuf-JSON shape) with Istio's defaults filled in.
    pub mesh: Value,
    pub config: InjectorConfig,
    /// The revision injecting (`istio.io/rev`); empty means `default`.
    pub revision: String,
    /// Whether `istio-proxy` goes to `initContainers` as a native sidecar.
    pub native_sidecars: bool,
}

impl InjectionSettings {
    /// Settings from the installed control plane's ConfigMaps: `config` is `istio-sidecar-injector`'s
    /// `data.config` (YAML), `values` its `data.values` (JSON), `mesh` the `istio` ConfigMap's
    /// `data.mesh` (YAML). The flavor follows `values.global.tag`.
    pub fn from_configmaps(
        config: &str,
        values: &str,
        mesh: &str,
        native: NativeSidecars,
        kubelets: Option<&[String]>,
    ) -> Result<Self> {
        let config_doc: Value = parse_yaml(config, "data.config")
            .context("cannot read the injector config (data.config)")?;
        let values: Value = parse_yaml(values, "data.values")
            .context("cannot read the injector values (data.values)")?;
        let mesh_doc: Value =
            parse_yaml(mesh, "data.mesh").context("cannot read the mesh config (data.mesh)")?;
        let tag = values
            .pointer("/global/tag")
            .map(go_sprint)
            .unwrap_or_default();
        let flavor = Flavor::for_tag(&tag);
        Self::assemble(flavor, values, &config_doc, &mesh_doc, native, kubelets)
    }

    fn assemble(
        flavor: Flavor,
        mut values: Value,
        config_doc: &Value,
        mesh_doc: &Value,
        native: NativeSidecars,
        kubelets: Option<&[String]>,
    ) -> Result<Self> {
        if !values.is_object() {
            values = json!({});
        }
        let mut config = InjectorConfig::parse(config_doc)?;
        // Templates given in values (sidecarInjectorWebhook.templates) win, as the chart does.
        if let Some(Value::Object(t)) = values.pointer("/sidecarInjectorWebhook/templates") {
            for (k, v) in t {
                if let Some(text) = v.as_str() {
                    config.templates.insert(k.clone(), text.to_string());
                }
            }
        }
        let mesh = apply_mesh_config(&default_mesh_config(), mesh_doc)
            .map_err(|e| anyhow!("invalid mesh config: {e}"))?;
        if let Some(Value::Object(pc)) = mesh.get("defaultConfig") {
            proxyconfig::validate_proxy_config(pc)
                .map_err(|e| anyhow!("invalid meshConfig.defaultConfig: {e}"))?;
        }
        let revision = values
            .get("revision")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let native_sidecars = native.resolve(flavor, &values, kubelets);
        Ok(InjectionSettings {
            flavor,
            values,
            mesh,
            config,
            revision,
            native_sidecars,
        })
    }

    /// The settings of `version`'s defaults with nothing overridden.
    pub fn defaults(flavor: Flavor) -> Self {
        SettingsBuilder::new(flavor)
            .build(None)
            .expect("the embedded defaults are valid")
    }

    /// A value under `values`, by path (`/global/proxy/statusPort`).
    pub fn value(&self, pointer: &str) -> Option<&Value> {
        self.values.pointer(pointer)
    }

    /// The mesh-wide ProxyConfig (`meshConfig.defaultConfig`).
    pub fn proxy_config(&self) -> Map<String, Value> {
        self.mesh
            .get("defaultConfig")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

fn parse_yaml(text: &str, what: &str) -> Result<Value> {
    Ok(crate::yaml::parse_document(text, what)?)
}

/// Go's `fmt.Sprint` of a Helm value (numbers come from JSON, so they are float64 in Go:
/// `15020`, `1.5`, `1e+06`; a missing value prints `<nil>`).
pub fn go_sprint(v: &Value) -> String {
    crate::gotmpl::Value::from_json(v).to_go_string()
}

/// Builds settings like `istioctl kube-inject` does without a cluster.
#[derive(Debug, Clone)]
pub struct SettingsBuilder {
    flavor: Option<Flavor>,
    /// The IstioOperator `spec` accumulated from `--iop` files and `--set`.
    spec: Value,
    hub: Option<String>,
    tag: Option<String>,
    revision: Option<String>,
    native: NativeSidecars,
}

impl SettingsBuilder {
    /// Starts from `flavor`'s embedded defaults.
    pub fn new(flavor: Flavor) -> Self {
        SettingsBuilder {
            flavor: Some(flavor),
            spec: json!({}),
            hub: None,
            tag: None,
            revision: None,
            native: NativeSidecars::Auto,
        }
    }

    /// Starts without a fixed flavor: it follows the final tag (`--tag 1.23.0` gives 1.23's defaults).
    pub fn for_tag() -> Self {
        SettingsBuilder {
            flavor: None,
            ..Self::new(Flavor::Current)
        }
    }

    pub fn hub(&mut self, hub: impl Into<String>) -> &mut Self {
        self.hub = Some(hub.into());
        self
    }

    pub fn tag(&mut self, tag: impl Into<String>) -> &mut Self {
        self.tag = Some(tag.into());
        self
    }

    pub fn revision(&mut self, revision: impl Into<String>) -> &mut Self {
        self.revision = Some(revision.into());
        self
    }

    pub fn native_sidecars(&mut self, mode: NativeSidecars) -> &mut Self {
        self.native = mode;
        self
    }

    /// Overlays an IstioOperator document (its `spec`).
    pub fn iop(&mut self, yaml: &str) -> Result<&mut Self> {
        let doc: Value = parse_yaml(yaml, "IstioOperator")
            .context("the IstioOperator file is not valid YAML")?;
        let spec = match doc.get("spec") {
            Some(spec) => spec.clone(),
            None if doc.get("kind").is_some() => json!({}),
            None => doc,
        };
        if !spec.is_object() && !spec.is_null() {
            bail!("the IstioOperator spec must be a mapping");
        }
        for key in spec.as_object().into_iter().flatten().map(|(k, _)| k) {
            check_spec_root(key)?;
        }
        deep_merge(&mut self.spec, &spec);
        Ok(self)
    }

    /// Applies one `--set path=value` (IstioOperator paths: `values.global.proxy.image=x`,
    /// `meshConfig.defaultConfig.interceptionMode=TPROXY`, `components.cni.enabled=true`, `hub=...`).
    pub fn set(&mut self, assignment: &str) -> Result<&mut Self> {
        let (path, raw) = assignment
            .split_once('=')
            .ok_or_else(|| anyhow!("--set {assignment:?}: expected path=value"))?;
        let path = path.trim().strip_prefix("spec.").unwrap_or(path.trim());
        let segments = split_path(path);
        let Some(root) = segments.first() else {
            bail!("--set {assignment:?}: empty path");
        };
        check_spec_root(root).with_context(|| format!("--set {assignment:?}"))?;
        set_path(&mut self.spec, &segments, parse_set_value(raw))
            .with_context(|| format!("--set {assignment:?}"))?;
        Ok(self)
    }

    /// Builds the settings; `kubelets` (node kubelet versions) decide `--native-sidecars auto`
    /// when a cluster is at hand.
    pub fn build(&self, kubelets: Option<&[String]>) -> Result<InjectionSettings> {
        let spec = &self.spec;
        let tag = self
            .tag
            .clone()
            .or_else(|| spec.get("tag").map(go_sprint))
            .or_else(|| spec.pointer("/values/global/tag").map(go_sprint));
        let flavor = self
            .flavor
            .unwrap_or_else(|| Flavor::for_tag(tag.as_deref().unwrap_or(DEFAULT_ISTIO_VERSION)));
        let mut values = default_values(flavor);
        if let Some(Value::Object(v)) = spec.get("values") {
            for (k, val) in v {
                match k.as_str() {
                    "global"
                    | "sidecarInjectorWebhook"
                    | "revision"
                    | "gateways"
                    | "istio_cni"
                    | "pilot" => {
                        coalesce(
                            values
                                .as_object_mut()
                                .expect("values are a map")
                                .entry(k.clone())
                                .or_insert(Value::Null),
                            val,
                        );
                    }
                    // The istiod chart's own `cni` values are what the injector sees as `pilot.cni`.
                    "cni" => {
                        if let Some(p) = val.get("provider") {
                            set_path(
                                &mut values,
                                &["pilot".into(), "cni".into(), "provider".into()],
                                p.clone(),
                            )?;
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(enabled) = spec.pointer("/components/cni/enabled") {
            set_path(
                &mut values,
                &["pilot".into(), "cni".into(), "enabled".into()],
                enabled.clone(),
            )?;
            if flavor == Flavor::V1_23 {
                set_path(
                    &mut values,
                    &["istio_cni".into(), "enabled".into()],
                    enabled.clone(),
                )?;
            }
        }
        if let Some(hub) = self.hub.clone().or_else(|| spec.get("hub").map(go_sprint)) {
            values["global"]["hub"] = Value::String(hub);
        }
        if let Some(tag) = self
            .tag
            .clone()
            .or_else(|| spec.get("tag").cloned().map(|t| go_sprint(&t)))
        {
            values["global"]["tag"] = Value::String(tag);
        }
        if let Some(rev) = self
            .revision
            .clone()
            .or_else(|| spec.get("revision").map(go_sprint))
        {
            values["revision"] = Value::String(rev);
        }
        let mut mesh = chart_mesh(&values);
        if let Some(user) = spec.get("meshConfig") {
            deep_merge(&mut mesh, user);
        }
        if let Some(user) = spec.pointer("/values/meshConfig") {
            deep_merge(&mut mesh, user);
        }
        let config = chart_injector_config(&values);
        InjectionSettings::assemble(flavor, values, &config, &mesh, self.native, kubelets)
    }
}

fn check_spec_root(root: &str) -> Result<()> {
    const KNOWN: &[&str] = &[
        "hub",
        "tag",
        "revision",
        "meshConfig",
        "values",
        "components",
        "profile",
        "namespace",
        "installPackagePath",
        "compatibilityVersion",
        "unvalidatedValues",
    ];
    if KNOWN.contains(&root) {
        Ok(())
    } else {
        bail!(
            "unknown IstioOperator field {root:?} (known: {})",
            KNOWN.join(", ")
        )
    }
}

/// Splits `a.b.c` (with `\.` for a literal dot) into segments.
fn split_path(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                cur.push('.');
                chars.next();
            }
            '.' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// `--set` values: `true`/`false`, integers and floats become typed, everything else a string.
fn parse_set_value(raw: &str) -> Value {
    let raw = raw.trim();
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => {
            if let Ok(i) = raw.parse::<i64>() {
                return Value::from(i);
            }
            if raw.contains('.')
                && !raw.contains(',')
                && let Ok(f) = raw.parse::<f64>()
                && raw.chars().filter(|c| *c == '.').count() == 1
            {
                return Value::from(f);
            }
            if (raw.starts_with('{') || raw.starts_with('['))
                && let Ok(v) = serde_json::from_str::<Value>(raw)
            {
                return v;
            }
            Value::String(raw.to_string())
        }
    }
}

/// Sets `value` at `segments` under `root`, creating maps on the way (`name[0]` indexes lists).
fn set_path(root: &mut Value, segments: &[String], value: Value) -> Result<()> {
    let mut cur = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => {
                let idx: usize = rest
                    .trim_end_matches(']')
                    .parse()
                    .map_err(|_| anyhow!("bad list index in {seg:?}"))?;
                (n, Some(idx))
            }
            None => (seg.as_str(), None),
        };
        if !cur.is_object() {
            *cur = json!({});
        }
        let map = cur.as_object_mut().expect("made a map above");
        let slot = map.entry(name.to_string()).or_insert(Value::Null);
        let slot = match index {
            None => slot,
            Some(idx) => {
                if !slot.is_array() {
                    *slot = json!([]);
                }
                let list = slot.as_array_mut().expect("made a list above");
                while list.len() <= idx {
                    list.push(Value::Null);
                }
                &mut list[idx]
            }
        };
        if last {
            *slot = value;
            return Ok(());
        }
        cur = slot;
    }
    Ok(())
}

/// Helm's coalescing of user values over chart defaults: maps merge recursively, a `null` removes
/// the default, anything else replaces it.
pub fn coalesce(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(k);
                } else {
                    coalesce(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Helm's `mergeOverwrite`: maps merge recursively, anything else is replaced.
pub fn deep_merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                deep_merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The embedded defaults: the Helm values of the istiod chart that injection reads, for a released
/// Istio of this flavor (images from docker.io/istio at the release's version).
pub fn default_values(flavor: Flavor) -> Value {
    let tag = match flavor {
        Flavor::Current => DEFAULT_ISTIO_VERSION,
        Flavor::V1_23 => "1.23.6",
    };
    let mut v = json!({
        "global": {
            "hub": DEFAULT_HUB,
            "tag": tag,
            "variant": "",
            "imagePullPolicy": "",
            "imagePullSecrets": [],
            "istioNamespace": "istio-system",
            "logAsJson": false,
            "logging": {"level": "default:info"},
            "proxy": {
                "image": "proxyv2",
                "autoInject": "enabled",
                "clusterDomain": "cluster.local",
                "componentLogLevel": "misc:error",
                "excludeInboundPorts": "",
                "includeInboundPorts": "*",
                "includeIPRanges": "*",
                "excludeIPRanges": "",
                "includeOutboundPorts": "",
                "excludeOutboundPorts": "",
                "logLevel": "warning",
                "outlierLogPath": "",
                "privileged": false,
                "seccompProfile": {},
                "readinessFailureThreshold": 4,
                "readinessInitialDelaySeconds": 0,
                "readinessPeriodSeconds": 15,
                "startupProbe": {"enabled": true, "failureThreshold": 600},
                "resources": {
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                    "limits": {"cpu": "2000m", "memory": "1024Mi"},
                },
                "statusPort": 15020,
                "tracer": "none",
            },
            "proxy_init": {"image": "proxyv2"},
            "remotePilotAddress": "",
            "caAddress": "",
            "meshID": "",
            "meshNetworks": {},
            "mountMtlsCerts": false,
            "multiCluster": {"clusterName": ""},
            "network": "",
            "pilotCertProvider": "istiod",
            "sds": {"token": {"aud": "istio-ca"}},
            "sts": {"servicePort": 0},
            "caName": "",
        },
        "sidecarInjectorWebhook": {
            "neverInjectSelector": [],
            "alwaysInjectSelector": [],
            "injectedAnnotations": {},
            "enableNamespacesByDefault": false,
            "reinvocationPolicy": "Never",
            "rewriteAppHTTPProbe": true,
            "templates": {},
            "defaultTemplates": [],
        },
        "revision": "",
        "pilot": {"cni": {"enabled": false, "provider": "default"}, "env": {}},
        "gateways": {"securityContext": {}, "seccompProfile": {}},
    });
    match flavor {
        Flavor::Current => {
            v["global"]["nativeNftables"] = json!(false);
            v["global"]["proxy_init"]["forceApplyIptables"] = json!(false);
        }
        Flavor::V1_23 => {
            v["global"]["proxy"]["enableCoreDump"] = json!(false);
            v["istio_cni"] = json!({"chained": true, "provider": "default"});
        }
    }
    v
}

/// The mesh config the istiod chart writes into the `istio` ConfigMap for these values (before the
/// user's `meshConfig` is merged over it).
fn chart_mesh(values: &Value) -> Value {
    let g = |p: &str| values.pointer(p);
    let s = |p: &str| g(p).map(go_sprint).unwrap_or_default();
    let ns = {
        let n = s("/global/istioNamespace");
        if n.is_empty() {
            "istio-system".to_string()
        } else {
            n
        }
    };
    let mut default_config = Map::new();
    let mesh_id = s("/global/meshID");
    if !mesh_id.is_empty() {
        default_config.insert("meshId".into(), Value::String(mesh_id));
    }
    let variant = match s("/global/proxy/variant") {
        v if !v.is_empty() && v != "<nil>" => v,
        _ => s("/global/variant"),
    };
    if !variant.is_empty() && variant != "<nil>" {
        default_config.insert("image".into(), json!({"imageType": variant}));
    }
    let tracer = s("/global/proxy/tracer");
    let tracing = match tracer.as_str() {
        "none" => None,
        "lightstep" => Some(json!({"lightstep": {
            "address": s("/global/tracer/lightstep/address"),
            "accessToken": s("/global/tracer/lightstep/accessToken")}})),
        "zipkin" => {
            let a = s("/global/tracer/zipkin/address");
            let a = if a.is_empty() || a == "<nil>" {
                format!("zipkin.{ns}:9411")
            } else {
                a
            };
            Some(json!({"zipkin": {"address": a}}))
        }
        "datadog" => {
            let a = s("/global/tracer/datadog/address");
            let a = if a.is_empty() || a == "<nil>" {
                "$(HOST_IP):8126".to_string()
            } else {
                a
            };
            Some(json!({"datadog": {"address": a}}))
        }
        "stackdriver" => Some(
            json!({"stackdriver": {"debug": false, "maxNumberOfAttributes": 200,
            "maxNumberOfAnnotations": 200, "maxNumberOfMessageEvents": 200}}),
        ),
        _ => Some(json!({})),
    };
    if let Some(t) = tracing {
        default_config.insert("tracing".into(), t);
    }
    let rev = s("/revision");
    let istiod = if rev.is_empty() {
        "istiod".to_string()
    } else {
        format!("istiod-{rev}")
    };
    default_config.insert(
        "discoveryAddress".into(),
        Value::String(format!("{istiod}.{ns}.svc:15012")),
    );
    json!({
        "trustDomain": "cluster.local",
        "rootNamespace": ns,
        "defaultProviders": {"metrics": ["prometheus"]},
        "enablePrometheusMerge": true,
        "defaultConfig": Value::Object(default_config),
    })
}

/// The injector config the istiod chart writes for these values (templates other than the built-in
/// `sidecar`/`gateway` come from `sidecarInjectorWebhook.templates`).
fn chart_injector_config(values: &Value) -> Value {
    let swh = values
        .get("sidecarInjectorWebhook")
        .cloned()
        .unwrap_or_default();
    let defaults = swh
        .get("defaultTemplates")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .cloned()
        .unwrap_or_else(|| vec![json!("sidecar")]);
    json!({
        "defaultTemplates": defaults,
        "policy": values.pointer("/global/proxy/autoInject").cloned().unwrap_or(json!("enabled")),
        "alwaysInjectSelector": swh.get("alwaysInjectSelector").cloned().unwrap_or(json!([])),
        "neverInjectSelector": swh.get("neverInjectSelector").cloned().unwrap_or(json!([])),
        "injectedAnnotations": swh.get("injectedAnnotations").cloned().unwrap_or(json!({})),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavor_follows_the_tag() {
        assert_eq!(Flavor::for_tag("1.23.0"), Flavor::V1_23);
        assert_eq!(Flavor::for_tag("1.22.1-distroless"), Flavor::V1_23);
        assert_eq!(Flavor::for_tag("1.24.0"), Flavor::Current);
        assert_eq!(Flavor::for_tag("latest"), Flavor::Current);
    }

    #[test]
    fn native_sidecars_auto() {
        let v = default_values(Flavor::Current);
        assert!(NativeSidecars::Auto.resolve(Flavor::Current, &v, None));
        assert!(!NativeSidecars::Auto.resolve(Flavor::V1_23, &v, None));
        let old = vec!["v1.32.4".to_string(), "v1.33.0".to_string()];
        assert!(!NativeSidecars::Auto.resolve(Flavor::Current, &v, Some(&old)));
        let new = vec!["v1.33.0".to_string(), "v1.34.0".to_string()];
        assert!(NativeSidecars::Auto.resolve(Flavor::Current, &v, Some(&new)));
        let mut off = v.clone();
        off["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"] = json!("false");
        assert!(!NativeSidecars::Auto.resolve(Flavor::Current, &off, Some(&new)));
        assert!(NativeSidecars::On.resolve(Flavor::V1_23, &v, None));
    }

    #[test]
    fn set_paths_reach_values_and_mesh() {
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.set("values.global.proxy.image=proxyTest").unwrap();
        b.set("meshConfig.defaultConfig.interceptionMode=TPROXY")
            .unwrap();
        b.set("components.cni.enabled=true").unwrap();
        b.set("values.cni.provider=multus").unwrap();
        b.set("values.global.proxy.statusPort=123").unwrap();
        b.revision("canary");
        let s = b.build(None).unwrap();
        assert_eq!(s.values["global"]["proxy"]["image"], "proxyTest");
        assert_eq!(s.values["global"]["proxy"]["statusPort"], 123);
        assert_eq!(
            s.values["pilot"]["cni"],
            json!({"enabled": true, "provider": "multus"})
        );
        assert_eq!(s.mesh["defaultConfig"]["interceptionMode"], "TPROXY");
        assert_eq!(
            s.mesh["defaultConfig"]["discoveryAddress"],
            "istiod-canary.istio-system.svc:15012"
        );
        assert_eq!(s.revision, "canary");
        assert!(
            SettingsBuilder::new(Flavor::Current)
                .set("bogus.x=1")
                .is_err()
        );
        assert!(
            SettingsBuilder::new(Flavor::Current)
                .set("novalue")
                .is_err()
        );
    }

    #[test]
    fn iop_overlays_values_and_templates() {
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.iop("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    global:\n      imagePullSecrets: [barSecret]\n    sidecarInjectorWebhook:\n      templates:\n        custom: |\n          metadata: {}\n")
            .unwrap();
        let s = b.build(None).unwrap();
        assert_eq!(s.values["global"]["imagePullSecrets"], json!(["barSecret"]));
        assert_eq!(
            s.config.templates.get("custom").map(String::as_str),
            Some("metadata: {}\n")
        );
        assert_eq!(s.config.default_templates, vec!["sidecar"]);
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.iop("spec:\n  values:\n    global:\n      proxy:\n        resources:\n          limits:\n            cpu: null\n")
            .unwrap();
        let s = b.build(None).unwrap();
        assert_eq!(
            s.values["global"]["proxy"]["resources"]["limits"],
            json!({"memory": "1024Mi"})
        );
    }

    #[test]
    fn configmap_form_is_accepted() {
        let s = InjectionSettings::from_configmaps(
            "defaultTemplates: [sidecar]\npolicy: enabled\ntemplates:\n  grpc: \"x\"\n",
            r#"{"global": {"hub": "gcr.io/istio-release", "tag": "1.23.2", "proxy": {"statusPort": 15020}}, "revision": ""}"#,
            "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\ntrustDomain: example.org\n",
            NativeSidecars::Auto,
            None,
        )
        .unwrap();
        assert_eq!(s.flavor, Flavor::V1_23);
        assert!(!s.native_sidecars);
        assert_eq!(s.mesh["trustDomain"], "example.org");
        assert_eq!(s.mesh["proxyListenPort"], 15001);
        assert!(s.config.templates.contains_key("grpc"));
    }

    #[test]
    fn go_number_printing() {
        assert_eq!(go_sprint(&json!(15020)), "15020");
        assert_eq!(go_sprint(&json!(1.5)), "1.5");
        assert_eq!(go_sprint(&json!(true)), "true");
        assert_eq!(go_sprint(&Value::Null), "<nil>");
    }
}
