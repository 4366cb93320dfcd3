//! Istio sidecar injection, offline: what `istioctl kube-inject` and istiod's injection webhook do
//! to a pod, reproduced natively (no Go template engine for the built-in templates).
//!
//! # What an injected pod looks like
//!
//! Starting from the user's pod (or pod template), injection with the default `sidecar` template:
//!
//! * **labels**: `security.istio.io/tlsMode: istio`, `service.istio.io/canonical-name` (from the
//!   `service.istio.io/canonical-name`, `app.kubernetes.io/name` or `app` label, else the workload
//!   name) and `service.istio.io/canonical-revision` (`app.kubernetes.io/version`, `version`, or
//!   `latest`); with a network set, `topology.istio.io/network`.
//! * **annotations**: `istio.io/rev`, `kubectl.kubernetes.io/default-container` and
//!   `default-logs-container` (the first app container), the Prometheus scrape annotations pointed
//!   at the agent (`prometheus.io/port: "15020"`, `path: /stats/prometheus`), and
//!   `sidecar.istio.io/status`: JSON naming the injected `initContainers`, `containers`, `volumes`,
//!   `imagePullSecrets` and the `revision`. With CNI, the traffic annotations the CNI plugin reads.
//!   User-supplied `istio-proxy`/`istio-init` containers are recorded in `proxy.istio.io/overrides`.
//! * **init containers**: `istio-init` (iptables setup; `istio-validation` with CNI) and, as a native
//!   sidecar (Kubernetes >= 1.33 by default), `istio-proxy` with `restartPolicy: Always` right after
//!   it, ahead of the user's init containers.
//! * **containers**: the app containers, then `istio-proxy` last when it is not a native sidecar
//!   (first with `holdApplicationUntilProxyStarts`). The app containers' HTTP/TCP/gRPC probes and
//!   HTTP/TCP lifecycle hooks are rewritten to `:15020/app-health/<container>/{readyz,livez,startupz}`
//!   and `/app-lifecycle/<container>/{prestopz,poststartz}`, with the originals in the proxy's
//!   `ISTIO_KUBE_APP_PROBERS` env.
//! * **volumes**: `workload-socket`, `credential-socket`, `workload-certs`, `istio-envoy`,
//!   `istio-data`, `istio-podinfo`, `istio-token`, `istiod-ca-cert`, `istio-ca-crl`, then the user's.
//!
//! [`inject_pod_spec`] is the entry point for a single pod; [`manifest::inject_manifest`] walks
//! multi-document YAML with Deployments, Jobs, Lists and the rest. Settings come from
//! [`settings::SettingsBuilder`] or the control plane's ConfigMaps
//! ([`settings::InjectionSettings::from_configmaps`]); both end up in [`InjectionSettings`].

pub mod compare;
pub mod custom;
pub mod gotypes;
pub mod manifest;
pub mod probes;
pub mod proxyconfig;
pub mod quantity;
pub mod render;
pub mod settings;
pub mod smp;
pub mod validate;

use serde_json::{Map, Value, json};

use gotypes::{CONTAINER_TY, POD_TY, go_json};
pub use settings::{Flavor, InjectionSettings, NativeSidecars, SettingsBuilder};

const STATUS_ANNOTATION: &str = "sidecar.istio.io/status";
const OVERRIDES_ANNOTATION: &str = "proxy.istio.io/overrides";
const PROXY_CONFIG_ANNOTATION: &str = "proxy.istio.io/config";
const PROXY: &str = "istio-proxy";
const INIT: &str = "istio-init";
const VALIDATION: &str = "istio-validation";
const CORE_DUMP: &str = "enable-core-dump";
const DEFAULT_PROXY_UID: i64 = 1337;

/// `apiVersion` and `kind` of the workload that owns the pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeMeta {
    pub api_version: String,
    pub kind: String,
}

/// Name and namespace of the workload that owns the pod (Istio's `DeploymentMeta`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployMeta {
    pub name: String,
    pub namespace: String,
}

/// Who is injecting: `istioctl kube-inject` ignores the injector config's default templates,
/// aliases, injected annotations and policy; the webhook honours them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Caller {
    #[default]
    KubeInject,
    Webhook,
}

/// Where the pod comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodContext {
    pub type_meta: TypeMeta,
    pub deploy_meta: DeployMeta,
    pub caller: Caller,
}

impl PodContext {
    /// The context of a bare Pod: Istio's `GetDeployMetaFromPod` heuristics (the controller owner
    /// reference, with ReplicaSet/Job/ReplicationController names mapped back to their workload).
    pub fn for_pod(pod: &Value) -> PodContext {
        let meta = pod.get("metadata").cloned().unwrap_or_default();
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let mut deploy = DeployMeta {
            name: text(&meta, "name"),
            namespace: text(&meta, "namespace"),
        };
        let mut type_meta = TypeMeta {
            api_version: "v1".into(),
            kind: "Pod".into(),
        };
        let label = |k: &str| {
            meta.pointer(&format!("/labels/{}", k.replace('/', "~1")))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        if !text(&meta, "generateName").is_empty() {
            let controller = meta
                .get("ownerReferences")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|r| r.get("controller") == Some(&Value::Bool(true)));
            if let Some(r) = controller {
                type_meta = TypeMeta {
                    api_version: text(r, "apiVersion"),
                    kind: text(r, "kind"),
                };
                let name = text(r, "name");
                deploy.name = name.clone();
                let hash = label("pod-template-hash");
                let rollout_hash = label("rollouts-pod-template-hash");
                if type_meta.kind == "ReplicaSet" && !hash.is_empty() && name.ends_with(&hash) {
                    deploy.name = name
                        .strip_suffix(&format!("-{hash}"))
                        .unwrap_or(&name)
                        .to_string();
                    type_meta.kind = "Deployment".into();
                } else if type_meta.kind == "ReplicaSet"
                    && !rollout_hash.is_empty()
                    && name.ends_with(&rollout_hash)
                {
                    deploy.name = name
                        .strip_suffix(&format!("-{rollout_hash}"))
                        .unwrap_or(&name)
                        .to_string();
                    type_meta.kind = "Rollout".into();
                    type_meta.api_version = "v1alpha1".into();
                } else if type_meta.kind == "ReplicationController"
                    && !label("deploymentconfig").is_empty()
                {
                    deploy.name = label("deploymentconfig");
                    type_meta.kind = "DeploymentConfig".into();
                } else if type_meta.kind == "Job"
                    && let Some(cron) = cron_job_name(&name)
                {
                    deploy.name = cron;
                    type_meta.kind = "CronJob".into();
                    type_meta.api_version = "batch/v1".into();
                }
            }
        }
        if deploy.name.is_empty() {
            deploy.name = text(&meta, "name");
        }
        PodContext {
            type_meta,
            deploy_meta: deploy,
            caller: Caller::KubeInject,
        }
    }
}

/// `name-<8 to 10 digits>` is a Job created by a CronJob called `name`.
fn cron_job_name(job: &str) -> Option<String> {
    let (base, digits) = job.rsplit_once('-')?;
    (!base.is_empty()
        && (8..=10).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit()))
    .then(|| base.to_string())
}

/// Why a pod is not injected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// `spec.hostNetwork: true`: iptables rules would change the node's networking.
    HostNetwork,
    /// The `sidecar.istio.io/inject` label (preferred) or annotation says no.
    OptedOut { source: &'static str, value: String },
    /// The pod is in `kube-system` or `kube-public`.
    IgnoredNamespace(String),
    /// A `neverInjectSelector` of the injector config matches the pod's labels.
    NeverInjectSelector,
    /// The injector's policy is `disabled` and the pod did not ask for injection.
    PolicyDisabled,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::HostNetwork => write!(f, "it has host networking enabled"),
            SkipReason::OptedOut { source, value } => {
                write!(
                    f,
                    "it has sidecar injection disabled (sidecar.istio.io/inject {source} is {value:?})"
                )
            }
            SkipReason::IgnoredNamespace(ns) => write!(f, "namespace {ns} is never injected"),
            SkipReason::NeverInjectSelector => {
                write!(f, "its labels match the injector's neverInjectSelector")
            }
            SkipReason::PolicyDisabled => write!(
                f,
                "the injector policy is disabled and the pod does not ask for injection"
            ),
        }
    }
}

/// The injection decision for a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Inject,
    Skip(SkipReason),
}

/// Istio's `injectRequired`. `kube-inject` decides with policy `enabled` and no selectors; the
/// webhook uses the injector config's policy and selectors.
pub fn decide(pod: &Value, settings: &InjectionSettings, caller: Caller) -> Decision {
    if pod.pointer("/spec/hostNetwork") == Some(&Value::Bool(true)) {
        return Decision::Skip(SkipReason::HostNetwork);
    }
    let ns = pod
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    if ns == "kube-system" || ns == "kube-public" {
        return Decision::Skip(SkipReason::IgnoredNamespace(ns.to_string()));
    }
    let label = pod
        .pointer("/metadata/labels/sidecar.istio.io~1inject")
        .and_then(Value::as_str);
    let annotation = pod
        .pointer("/metadata/annotations/sidecar.istio.io~1inject")
        .and_then(Value::as_str);
    let (source, selector) = match (label, annotation) {
        (Some(l), _) => ("label", l),
        (None, Some(a)) => ("annotation", a),
        (None, None) => ("", ""),
    };
    let (policy, never, always) = match caller {
        Caller::KubeInject => ("enabled", &[][..], &[][..]),
        Caller::Webhook => (
            settings.config.policy.as_str(),
            settings.config.never_inject_selector.as_slice(),
            settings.config.always_inject_selector.as_slice(),
        ),
    };
    let labels = pod
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let explicit = match selector.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "on" => Some(true),
        "" => None,
        _ => Some(false),
    };
    let inject = match explicit {
        Some(v) => Some(v),
        None if never.iter().any(|s| selector_matches(s, &labels)) => {
            return Decision::Skip(SkipReason::NeverInjectSelector);
        }
        None if always.iter().any(|s| selector_matches(s, &labels)) => Some(true),
        None => None,
    };
    match (policy, inject) {
        ("enabled", None) => Decision::Inject,
        ("disabled", None) => Decision::Skip(SkipReason::PolicyDisabled),
        (_, Some(true)) if policy == "enabled" || policy == "disabled" => Decision::Inject,
        (_, Some(false)) => Decision::Skip(SkipReason::OptedOut {
            source,
            value: selector.to_string(),
        }),
        _ => Decision::Skip(SkipReason::PolicyDisabled),
    }
}

/// A Kubernetes label selector (`matchLabels`, `matchExpressions`) against labels; an empty
/// selector matches nothing, as in Istio.
pub fn selector_matches(selector: &Value, labels: &Map<String, Value>) -> bool {
    let ml = selector.get("matchLabels").and_then(Value::as_object);
    let me = selector.get("matchExpressions").and_then(Value::as_array);
    if ml.is_none_or(|m| m.is_empty()) && me.is_none_or(|e| e.is_empty()) {
        return false;
    }
    let get = |k: &str| labels.get(k).and_then(Value::as_str);
    let labels_ok = ml.into_iter().flatten().all(|(k, v)| get(k) == v.as_str());
    let exprs_ok = me.into_iter().flatten().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => get(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => get(key).is_none_or(|v| !values.contains(&v)),
            "Exists" => get(key).is_some(),
            "DoesNotExist" => get(key).is_none(),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

/// Whether the pod carries Istio's injection status (it was injected before).
pub fn is_injected(pod: &Value) -> bool {
    pod.pointer("/metadata/annotations/sidecar.istio.io~1status")
        .is_some()
}

/// An injection failure, naming the field of the pod it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InjectError {
    /// Path of the offending field relative to the pod, e.g. `metadata.annotations["x"]`.
    pub field: String,
    pub message: String,
}

impl InjectError {
    fn annotation(name: &str, message: impl Into<String>) -> Self {
        InjectError {
            field: format!("metadata.annotations[{name:?}]"),
            message: message.into(),
        }
    }

    fn other(field: &str, message: impl Into<String>) -> Self {
        InjectError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Injects a pod (`{metadata, spec}`, or a whole Pod object) as `istioctl kube-inject` would,
/// returning the injected pod. The pod is injected whether or not [`decide`] would skip it; callers
/// that honour opt-outs check [`decide`] first.
pub fn inject_pod_spec(pod: &Value, settings: &InjectionSettings) -> Result<Value, InjectError> {
    inject_pod(pod, settings, &PodContext::for_pod(pod))
}

/// Injects a pod with an explicit context (the owning workload's kind, name and namespace).
pub fn inject_pod(
    pod: &Value,
    settings: &InjectionSettings,
    ctx: &PodContext,
) -> Result<Value, InjectError> {
    let mut original = json!({
        "metadata": pod.get("metadata").cloned().unwrap_or_else(|| json!({})),
        "spec": pod.get("spec").cloned().unwrap_or_else(|| json!({})),
    });
    gotypes::normalize(&mut original, &POD_TY);
    if let Some((field, value)) = gotypes::first_bad_quantity(&original, &POD_TY, "") {
        return Err(InjectError::other(
            field.trim_start_matches('.'),
            format!("quantity {value:?} is not valid"),
        ));
    }
    let annotations = original
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(e) = validate::validate_annotations(&annotations)
        .into_iter()
        .next()
    {
        return Err(InjectError::annotation(&e.annotation, e.to_string()));
    }

    // The mesh and proxy config of this pod (the proxy.istio.io/config annotation applies on top).
    let mut mesh_pc = settings.proxy_config();
    if let Some(text) = annotations
        .get(PROXY_CONFIG_ANNOTATION)
        .and_then(Value::as_str)
    {
        let doc: Value =
            crate::yaml::parse_document(text, PROXY_CONFIG_ANNOTATION).map_err(|e| {
                InjectError::annotation(PROXY_CONFIG_ANNOTATION, format!("not valid YAML: {e}"))
            })?;
        let overlay = proxyconfig::parse_proxy_config(&doc)
            .map_err(|e| InjectError::annotation(PROXY_CONFIG_ANNOTATION, e.to_string()))?;
        mesh_pc = proxyconfig::merge_proxy_config(&mesh_pc, &overlay);
    }
    let proxy_config = mesh_pc;
    let status_port = proxy_config
        .get("statusPort")
        .and_then(Value::as_i64)
        .unwrap_or(15020);

    // Cluster and network (a topology.istio.io/network label wins).
    let mut proxy_envs: Vec<(String, String)> = Vec::new();
    let cluster = settings
        .value("/global/multiCluster/clusterName")
        .map(settings::go_sprint)
        .unwrap_or_default();
    let mut network = settings
        .value("/global/network")
        .map(settings::go_sprint)
        .unwrap_or_default();
    if let Some(n) = original
        .pointer("/metadata/labels/topology.istio.io~1network")
        .and_then(Value::as_str)
    {
        network = n.to_string();
    }
    if !cluster.is_empty() && cluster != "<nil>" {
        proxy_envs.push(("ISTIO_META_CLUSTER_ID".into(), cluster));
    }
    if !network.is_empty() && network != "<nil>" {
        proxy_envs.push(("ISTIO_META_NETWORK".into(), network));
    }

    let stripped = reinsert_overrides(strip_pod(&original, status_port))?;
    let labels = stripped
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let stripped_annotations = stripped
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let spec = stripped.get("spec").cloned().unwrap_or_default();
    let image_type = annotations
        .get("sidecar.istio.io/proxyImageType")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            proxy_config
                .get("image")
                .and_then(|i| i.get("imageType"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default();
    let data = render::TemplateData {
        settings,
        type_meta: &ctx.type_meta,
        deploy_meta: &ctx.deploy_meta,
        labels: &labels,
        annotations: &stripped_annotations,
        spec: &spec,
        pod_name: stripped
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        proxy_config: &proxy_config,
        proxy_image: image_url(settings, "/global/proxy/image", &image_type),
        proxy_init_image: image_url(settings, "/global/proxy_init/image", &image_type),
        proxy_uid: DEFAULT_PROXY_UID,
        proxy_gid: DEFAULT_PROXY_UID,
    };

    // Run the templates: each is merged onto the pod and onto the template-only pod.
    let mut merged = original.clone();
    let mut template_pod = json!({"metadata": {}, "spec": {}});
    for name in select_templates(&annotations, settings, ctx.caller) {
        let rendered = run_template(&name, &data, settings)?;
        template_pod = smp::merge(template_pod, &rendered, &POD_TY);
        gotypes::normalize(&mut template_pod, &POD_TY);
        // A native sidecar (the template put istio-proxy in initContainers) takes the user's own
        // istio-proxy container along from `containers`.
        if has_container(&template_pod, "initContainers", PROXY)
            && has_container(&merged, "containers", PROXY)
        {
            move_container(&mut merged, PROXY);
        }
        merged = smp::merge(merged, &rendered, &POD_TY);
        gotypes::normalize(&mut merged, &POD_TY);
    }

    reapply_overwritten_containers(&mut merged, &original, &template_pod, &proxy_config)?;
    gotypes::normalize(&mut merged, &POD_TY);

    // Post-processing.
    ensure_map(&mut merged, "labels");
    ensure_map(&mut merged, "annotations");
    overwrite_cluster_info(&mut merged, &proxy_envs);
    apply_prometheus_merge(&mut merged, settings, status_port);
    let rewrite_default = settings
        .value("/sidecarInjectorWebhook/rewriteAppHTTPProbe")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let merged_annotations = merged
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if find_sidecar(&merged).is_some()
        && probes::should_rewrite(&merged_annotations, rewrite_default)
    {
        if let Some(probers) = probes::dump_app_probers(&merged) {
            let previously = merged_annotations.contains_key(STATUS_ANNOTATION);
            if let Some(sidecar) = find_sidecar_mut(&mut merged) {
                let mut env = sidecar
                    .get("env")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                probes::merge_or_append(previously, &mut env, &probers);
                sidecar.insert("env".into(), Value::Array(env));
            }
        }
        probes::rewrite_probes(&mut merged, status_port);
    }
    if let Some((_, network)) = proxy_envs.iter().find(|(k, _)| k == "ISTIO_META_NETWORK") {
        merged["metadata"]["labels"]["topology.istio.io/network"] = Value::String(network.clone());
    }
    merged["metadata"]["annotations"][STATUS_ANNOTATION] =
        Value::String(injection_status(&template_pod, &settings.revision));
    if ctx.caller == Caller::Webhook {
        for (k, v) in &settings.config.injected_annotations {
            merged["metadata"]["annotations"][k] = Value::String(v.clone());
        }
    }
    reorder(&mut merged, settings, &proxy_config);
    gotypes::normalize(&mut merged, &POD_TY);
    Ok(merged)
}

fn ensure_map(pod: &mut Value, key: &str) {
    if !pod["metadata"].get(key).is_some_and(Value::is_object) {
        pod["metadata"][key] = json!({});
    }
}

/// Istio's `imageURL`: `<hub>/<name>:<tag>[-<imageType>]`.
fn image_url(settings: &InjectionSettings, name_pointer: &str, image_type: &str) -> String {
    let hub = settings
        .value("/global/hub")
        .map(settings::go_sprint)
        .unwrap_or_default();
    let tag = match settings.value("/global/tag") {
        None | Some(Value::Null) => String::new(),
        Some(t) => settings::go_sprint(t),
    };
    let name = match settings.value(name_pointer).and_then(Value::as_str) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => "proxyv2".to_string(),
    };
    format!("{hub}/{name}:{}", image_type_tag(&tag, image_type))
}

fn image_type_tag(tag: &str, image_type: &str) -> String {
    if image_type.is_empty() {
        return tag.to_string();
    }
    let mut tag = tag.to_string();
    for known in ["distroless", "debug"] {
        if let Some(t) = tag.strip_suffix(&format!("-{known}")) {
            tag = t.to_string();
            break;
        }
    }
    if image_type == "default" {
        tag
    } else {
        format!("{tag}-{image_type}")
    }
}

fn select_templates(
    annotations: &Map<String, Value>,
    settings: &InjectionSettings,
    caller: Caller,
) -> Vec<String> {
    let names: Vec<String> = match annotations
        .get("inject.istio.io/templates")
        .and_then(Value::as_str)
    {
        Some(a) => a.split(',').map(|n| n.trim().to_string()).collect(),
        None => match caller {
            Caller::KubeInject => vec!["sidecar".to_string()],
            Caller::Webhook => settings.config.default_templates.clone(),
        },
    };
    let aliases = match caller {
        Caller::KubeInject => None,
        Caller::Webhook => Some(&settings.config.aliases),
    };
    names
        .into_iter()
        .flat_map(|n| match aliases.and_then(|a| a.get(&n)) {
            Some(expanded) => expanded.clone(),
            None => vec![n],
        })
        .collect()
}

fn run_template(
    name: &str,
    data: &render::TemplateData,
    settings: &InjectionSettings,
) -> Result<Value, InjectError> {
    let overridden = settings
        .value("/sidecarInjectorWebhook/templates")
        .and_then(Value::as_object)
        .is_some_and(|t| t.contains_key(name));
    let rendered = match name {
        "sidecar" if !overridden => render::sidecar(data),
        "gateway" if !overridden => render::gateway(data),
        _ => {
            return match settings.config.templates.get(name) {
                Some(text) => custom_template(name, text, data),
                None => {
                    let mut known: Vec<&str> = vec!["sidecar", "gateway"];
                    known.extend(
                        settings
                            .config
                            .templates
                            .keys()
                            .map(String::as_str)
                            .filter(|k| *k != "sidecar" && *k != "gateway"),
                    );
                    Err(InjectError::annotation(
                        "inject.istio.io/templates",
                        format!(
                            "requested template {name:?} not found; have {}",
                            known.join(", ")
                        ),
                    ))
                }
            };
        }
    };
    rendered.map_err(|e| InjectError::annotation(&e.annotation, e.to_string()))
}

/// A template given as Go-template text (`sidecarInjectorWebhook.templates` or the injector config).
fn custom_template(
    name: &str,
    text: &str,
    data: &render::TemplateData,
) -> Result<Value, InjectError> {
    custom::render(name, text, data)
}

fn containers_of<'a>(pod: &'a Value, list: &str) -> &'a [Value] {
    pod.pointer(&format!("/spec/{list}"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn container_name(c: &Value) -> &str {
    c.get("name").and_then(Value::as_str).unwrap_or("")
}

fn has_container(pod: &Value, list: &str, name: &str) -> bool {
    containers_of(pod, list)
        .iter()
        .any(|c| container_name(c) == name)
}

/// Moves a container from `containers` to the end of `initContainers`.
fn move_container(pod: &mut Value, name: &str) {
    let Some(Value::Array(containers)) = pod.pointer_mut("/spec/containers") else {
        return;
    };
    let Some(i) = containers.iter().position(|c| container_name(c) == name) else {
        return;
    };
    let c = containers.remove(i);
    let spec = pod["spec"].as_object_mut().expect("pod spec is a map");
    match spec.get_mut("initContainers") {
        Some(Value::Array(init)) => init.push(c),
        _ => {
            spec.insert("initContainers".into(), json!([c]));
        }
    }
}

/// Istio's `FindSidecar`: istio-proxy in containers, else in init containers.
fn find_sidecar(pod: &Value) -> Option<&Value> {
    ["containers", "initContainers"]
        .iter()
        .flat_map(|l| containers_of(pod, l))
        .find(|c| container_name(c) == PROXY)
}

fn find_sidecar_mut(pod: &mut Value) -> Option<&mut Map<String, Value>> {
    let list = if has_container(pod, "containers", PROXY) {
        "containers"
    } else {
        "initContainers"
    };
    pod.pointer_mut(&format!("/spec/{list}"))?
        .as_array_mut()?
        .iter_mut()
        .find(|c| container_name(c) == PROXY)?
        .as_object_mut()
}

/// Names listed in a `sidecar.istio.io/status` annotation under `key`.
fn status_names(pod: &Value, key: &str) -> Option<Vec<String>> {
    let status = pod
        .pointer("/metadata/annotations/sidecar.istio.io~1status")?
        .as_str()?;
    let parsed: Value = serde_json::from_str(status).ok()?;
    Some(
        parsed
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    )
}

/// Istio's `stripPod`: undoes an earlier injection (its containers, its status annotation, and
/// the Prometheus annotations it set) so injection is idempotent.
fn strip_pod(pod: &Value, status_port: i64) -> Value {
    let status = pod
        .pointer("/metadata/annotations/sidecar.istio.io~1status")
        .and_then(Value::as_str);
    if status.is_none_or(|s| serde_json::from_str::<Map<String, Value>>(s).is_err()) {
        return pod.clone();
    }
    let mut out = pod.clone();
    for (list, key) in [
        ("containers", "containers"),
        ("initContainers", "initContainers"),
    ] {
        let names = status_names(pod, key).unwrap_or_default();
        if let Some(Value::Array(items)) = out.pointer_mut(&format!("/spec/{list}")) {
            items.retain(|c| !names.iter().any(|n| n == container_name(c)));
        }
    }
    if let Some(Value::Object(ann)) = out.pointer_mut("/metadata/annotations") {
        if prometheus_value(ann, "prometheus_io_port").as_deref()
            == Some(status_port.to_string().as_str())
        {
            clear_prometheus(ann);
        }
        ann.remove(STATUS_ANNOTATION);
    }
    out
}

fn parse_overrides(pod: &Value) -> Result<(Vec<Value>, Vec<Value>), InjectError> {
    let Some(text) = pod
        .pointer("/metadata/annotations/proxy.istio.io~1overrides")
        .and_then(Value::as_str)
    else {
        return Ok((Vec::new(), Vec::new()));
    };
    let parsed: Value = serde_json::from_str(text).map_err(|e| {
        InjectError::annotation(OVERRIDES_ANNOTATION, format!("not valid JSON: {e}"))
    })?;
    let list = |k: &str| {
        parsed
            .get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    Ok((list("containers"), list("initContainers")))
}

/// Istio's `reinsertOverrides`: puts user-supplied containers recorded at an earlier injection back.
fn reinsert_overrides(mut pod: Value) -> Result<Value, InjectError> {
    let (containers, init) = parse_overrides(&pod)?;
    for (list, items) in [("containers", containers), ("initContainers", init)] {
        for c in items {
            if !has_container(&pod, list, container_name(&c)) {
                match pod["spec"].get_mut(list) {
                    Some(Value::Array(existing)) => existing.push(c),
                    _ => pod["spec"][list] = json!([c]),
                }
            }
        }
    }
    Ok(pod)
}

/// Istio's `reapplyOverwrittenContainers`: user-supplied istio-proxy/istio-init containers (and
/// any other container a template also defines) are merged back over the injected ones, and
/// recorded in `proxy.istio.io/overrides`.
fn reapply_overwritten_containers(
    merged: &mut Value,
    original: &Value,
    template_pod: &Value,
    proxy_config: &Map<String, Value>,
) -> Result<(), InjectError> {
    let (existing_containers, existing_init) = parse_overrides(original)?;
    let already_injected = is_injected(original);
    let injected_containers = if already_injected {
        status_names(original, "containers").unwrap_or_default()
    } else {
        Vec::new()
    };
    let injected_init = if already_injected {
        status_names(original, "initContainers").unwrap_or_default()
    } else {
        Vec::new()
    };
    let find =
        |list: &[Value], name: &str| list.iter().find(|c| container_name(c) == name).cloned();

    let mut overrides_containers = Vec::new();
    let mut overrides_init = Vec::new();
    for (template_list, is_init) in [("containers", false), ("initContainers", true)] {
        for tc in containers_of(template_pod, template_list) {
            let name = container_name(tc);
            let injected = if is_init {
                &injected_init
            } else {
                &injected_containers
            };
            if injected.iter().any(|n| n == name) {
                continue;
            }
            let existing = if is_init {
                &existing_init
            } else {
                &existing_containers
            };
            let user = find(existing, name).or_else(|| {
                if is_init {
                    find(containers_of(original, "containers"), name)
                        .or_else(|| find(containers_of(original, "initContainers"), name))
                } else {
                    find(containers_of(original, "containers"), name)
                }
            });
            let Some(mut overlay) = user else { continue };
            if overlay.get("image").and_then(Value::as_str) == Some("auto") {
                overlay
                    .as_object_mut()
                    .expect("container is a map")
                    .remove("image");
            }
            gotypes::normalize(&mut overlay, &CONTAINER_TY);
            let patch = if is_init {
                json!({"spec": {"initContainers": [overlay.clone()]}})
            } else {
                json!({"spec": {"containers": [overlay.clone()]}})
            };
            *merged = smp::merge(std::mem::take(merged), &patch, &POD_TY);
            gotypes::normalize(merged, &POD_TY);
            if is_init {
                overrides_init.push(overlay);
            } else {
                overrides_containers.push(overlay);
            }
        }
    }
    if !already_injected && (!overrides_containers.is_empty() || !overrides_init.is_empty()) {
        let mut parts = Vec::new();
        let list = |items: &[Value]| {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|c| go_json(c, &CONTAINER_TY))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        if !overrides_containers.is_empty() {
            parts.push(format!("\"containers\":{}", list(&overrides_containers)));
        }
        if !overrides_init.is_empty() {
            parts.push(format!("\"initContainers\":{}", list(&overrides_init)));
        }
        ensure_map(merged, "annotations");
        merged["metadata"]["annotations"][OVERRIDES_ANNOTATION] =
            Value::String(format!("{{{}}}", parts.join(",")));
    }
    adjust_init_container_user(merged, original, proxy_config);
    Ok(())
}

/// Istio's `adjustInitContainerUser`: a user-set runAsUser/runAsGroup on istio-proxy is carried
/// to the iptables `-u` argument and to istio-validation (in TPROXY mode the proxy stays root).
fn adjust_init_container_user(
    merged: &mut Value,
    original: &Value,
    proxy_config: &Map<String, Value>,
) {
    let Some(user) = find_sidecar(original) else {
        return;
    };
    let run_as_user = user
        .pointer("/securityContext/runAsUser")
        .and_then(Value::as_i64);
    let run_as_group = user
        .pointer("/securityContext/runAsGroup")
        .and_then(Value::as_i64);
    if run_as_user.is_none() && run_as_group.is_none() {
        return;
    }
    let Some(init_name) = [INIT, VALIDATION]
        .into_iter()
        .find(|n| has_container(merged, "initContainers", n))
    else {
        return;
    };
    let tproxy = proxy_config.get("interceptionMode").and_then(Value::as_str) == Some("TPROXY")
        || merged
            .pointer("/metadata/annotations/sidecar.istio.io~1interceptionMode")
            .and_then(Value::as_str)
            == Some("TPROXY");
    if tproxy
        && run_as_user.is_some()
        && let Some(sidecar) = find_sidecar_mut(merged)
    {
        sidecar
            .entry("securityContext")
            .or_insert_with(|| json!({}))["runAsUser"] = json!(0);
    }
    let Some(Value::Array(inits)) = merged.pointer_mut("/spec/initContainers") else {
        return;
    };
    let Some(init) = inits.iter_mut().find(|c| container_name(c) == init_name) else {
        return;
    };
    if !tproxy && init_name == VALIDATION {
        let sc = init
            .as_object_mut()
            .expect("container is a map")
            .entry("securityContext")
            .or_insert_with(|| json!({}));
        if let Some(u) = run_as_user {
            sc["runAsUser"] = json!(u);
        }
        if let Some(g) = run_as_group {
            sc["runAsGroup"] = json!(g);
        }
    }
    let Some(uid) = run_as_user.filter(|u| *u != 0) else {
        return;
    };
    if let Some(Value::Array(args)) = init.get_mut("args")
        && let Some(i) = args.iter().position(|a| a == "-u")
        && i + 1 < args.len()
    {
        args[i + 1] = Value::String(uid.to_string());
    }
}

/// Istio's `updateClusterEnvs`: cluster/network env vars move to the end of istio-proxy's env.
fn overwrite_cluster_info(pod: &mut Value, proxy_envs: &[(String, String)]) {
    if proxy_envs.is_empty() {
        return;
    }
    let Some(sidecar) = find_sidecar_mut(pod) else {
        return;
    };
    let mut env: Vec<Value> = sidecar
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| {
            !proxy_envs
                .iter()
                .any(|(k, _)| e.get("name").and_then(Value::as_str) == Some(k))
        })
        .cloned()
        .collect();
    let mut sorted = proxy_envs.to_vec();
    sorted.sort();
    for (k, v) in sorted {
        env.push(json!({"name": k, "value": v}));
    }
    sidecar.insert("env".into(), Value::Array(env));
}

/// Prometheus' `SanitizeLabelName`: anything but `[a-zA-Z0-9_]` becomes `_`.
fn sanitize_label_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn prometheus_value(annotations: &Map<String, Value>, sanitized: &str) -> Option<String> {
    annotations
        .iter()
        .find(|(k, _)| sanitize_label_name(k) == sanitized)
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

fn clear_prometheus(annotations: &mut Map<String, Value>) {
    annotations.retain(|k, _| {
        !matches!(
            sanitize_label_name(k).as_str(),
            "prometheus_io_scrape" | "prometheus_io_port" | "prometheus_io_path"
        )
    });
}

/// Istio's `applyPrometheusMerge`: the app's scrape annotations move into the proxy's
/// `ISTIO_PROMETHEUS_ANNOTATIONS` env and the pod is scraped through the agent instead.
fn apply_prometheus_merge(pod: &mut Value, settings: &InjectionSettings, status_port: i64) {
    let annotations = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let scrape = prometheus_value(&annotations, "prometheus_io_scrape");
    if scrape.as_deref().and_then(validate::parse_bool) == Some(false) {
        return;
    }
    let merge = match annotations
        .get("prometheus.istio.io/merge-metrics")
        .and_then(Value::as_str)
        .and_then(validate::parse_bool)
    {
        Some(b) => b,
        None => settings
            .mesh
            .get("enablePrometheusMerge")
            .and_then(Value::as_bool)
            .unwrap_or(true),
    };
    if !merge {
        return;
    }
    let target = status_port.to_string();
    let port = prometheus_value(&annotations, "prometheus_io_port");
    if port.as_deref() == Some(target.as_str()) {
        return;
    }
    let path = prometheus_value(&annotations, "prometheus_io_path");
    if scrape.is_some() || port.is_some() || path.is_some() {
        let config = format!(
            "{{\"scrape\":{},\"path\":{},\"port\":{}}}",
            Value::String(scrape.unwrap_or_default()),
            Value::String(path.unwrap_or_default()),
            Value::String(port.unwrap_or_default())
        );
        if let Some(sidecar) = find_sidecar_mut(pod) {
            let env = sidecar.entry("env").or_insert_with(|| json!([]));
            if let Value::Array(env) = env {
                env.push(json!({"name": "ISTIO_PROMETHEUS_ANNOTATIONS", "value": config}));
            }
        }
    }
    if let Some(Value::Object(ann)) = pod.pointer_mut("/metadata/annotations") {
        clear_prometheus(ann);
        ann.insert("prometheus.io/port".into(), Value::String(target));
        ann.insert("prometheus.io/path".into(), json!("/stats/prometheus"));
        ann.insert("prometheus.io/scrape".into(), json!("true"));
    }
}

/// The `sidecar.istio.io/status` JSON for what the templates injected.
fn injection_status(template_pod: &Value, revision: &str) -> String {
    let names = |list: &str| -> String {
        let items = containers_of(template_pod, list);
        if items.is_empty() {
            "null".to_string()
        } else {
            Value::Array(items.iter().map(|c| json!(container_name(c))).collect()).to_string()
        }
    };
    let revision = if revision.is_empty() {
        "default"
    } else {
        revision
    };
    format!(
        "{{\"initContainers\":{},\"containers\":{},\"volumes\":{},\"imagePullSecrets\":{},\"revision\":{}}}",
        names("initContainers"),
        names("containers"),
        names("volumes"),
        names("imagePullSecrets"),
        Value::String(revision.to_string())
    )
}

fn modify(list: &mut Vec<Value>, name: &str, first: bool) {
    if let Some(i) = list.iter().position(|c| container_name(c) == name) {
        let c = list.remove(i);
        if first {
            list.insert(0, c);
        } else {
            list.push(c);
        }
    }
}

/// Istio's `reorderPod`: istio-proxy last (first with holdApplicationUntilProxyStarts); for native
/// sidecars `istio-init/istio-validation, istio-proxy, rest`, otherwise `istio-validation, rest,
/// istio-init`.
fn reorder(pod: &mut Value, settings: &InjectionSettings, proxy_config: &Map<String, Value>) {
    let hold = proxy_config.get("holdApplicationUntilProxyStarts") == Some(&Value::Bool(true))
        || settings.value("/global/proxy/holdApplicationUntilProxyStarts")
            == Some(&Value::Bool(true));
    let before: Vec<String> = {
        let mut names = Vec::new();
        if let Some(v) = pod
            .pointer("/metadata/annotations/sidecar.istio.io~1init-containers-before-proxy")
            .and_then(Value::as_str)
            && !v.is_empty()
        {
            for n in format!(",{v}").split(',') {
                if !names.iter().any(|x: &String| x == n) {
                    names.push(n.to_string());
                }
            }
        }
        names
    };
    if let Some(Value::Array(containers)) = pod.pointer_mut("/spec/containers") {
        modify(containers, PROXY, hold);
    }
    let native = has_container(pod, "initContainers", PROXY);
    if let Some(Value::Array(init)) = pod.pointer_mut("/spec/initContainers") {
        if native {
            modify(init, CORE_DUMP, true);
            modify(init, PROXY, true);
            for n in before.iter().rev() {
                modify(init, n, true);
            }
            modify(init, VALIDATION, true);
            modify(init, INIT, true);
        } else {
            modify(init, VALIDATION, true);
            modify(init, INIT, false);
            modify(init, CORE_DUMP, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> InjectionSettings {
        InjectionSettings::defaults(Flavor::Current)
    }

    fn hello() -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello", "labels": {"app": "hello"}},
            "spec": {"containers": [{"name": "hello", "image": "hello:1", "ports": [{"name": "http", "containerPort": 80}]}]}})
    }

    #[test]
    fn native_sidecar_goes_to_init_containers() {
        let out = inject_pod_spec(&hello(), &defaults()).unwrap();
        let init: Vec<&str> = containers_of(&out, "initContainers")
            .iter()
            .map(container_name)
            .collect();
        assert_eq!(init, ["istio-init", "istio-proxy"]);
        assert_eq!(out["spec"]["initContainers"][1]["restartPolicy"], "Always");
        assert_eq!(containers_of(&out, "containers").len(), 1);
        assert_eq!(
            out["metadata"]["labels"]["service.istio.io/canonical-name"],
            "hello"
        );
        assert_eq!(
            out["metadata"]["annotations"]["prometheus.io/port"],
            "15020"
        );
        let image = out["spec"]["initContainers"][1]["image"].as_str().unwrap();
        assert_eq!(
            image,
            format!(
                "docker.io/istio/proxyv2:{}",
                settings::DEFAULT_ISTIO_VERSION
            )
        );
    }

    #[test]
    fn classic_sidecar_goes_last() {
        let mut s = defaults();
        s.native_sidecars = false;
        let out = inject_pod_spec(&hello(), &s).unwrap();
        let names: Vec<&str> = containers_of(&out, "containers")
            .iter()
            .map(container_name)
            .collect();
        assert_eq!(names, ["hello", "istio-proxy"]);
        let status: Value = serde_json::from_str(
            out["metadata"]["annotations"][STATUS_ANNOTATION]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(status["containers"], json!(["istio-proxy"]));
        assert_eq!(status["initContainers"], json!(["istio-init"]));
    }

    #[test]
    fn injection_is_idempotent() {
        let once = inject_pod_spec(&hello(), &defaults()).unwrap();
        let twice = inject_pod_spec(&once, &defaults()).unwrap();
        assert_eq!(once, twice);
    }

    #[test]
    fn decisions_explain_themselves() {
        let s = defaults();
        let mut p = hello();
        assert_eq!(decide(&p, &s, Caller::KubeInject), Decision::Inject);
        p["metadata"]["annotations"] = json!({"sidecar.istio.io/inject": "false"});
        assert!(matches!(
            decide(&p, &s, Caller::KubeInject),
            Decision::Skip(SkipReason::OptedOut {
                source: "annotation",
                ..
            })
        ));
        p["metadata"]["labels"]["sidecar.istio.io/inject"] = json!("true");
        assert_eq!(decide(&p, &s, Caller::KubeInject), Decision::Inject);
        let mut h = hello();
        h["spec"]["hostNetwork"] = json!(true);
        assert_eq!(
            decide(&h, &s, Caller::KubeInject),
            Decision::Skip(SkipReason::HostNetwork)
        );
    }

    #[test]
    fn invalid_annotation_names_the_field() {
        let mut p = hello();
        p["metadata"]["annotations"] =
            json!({"traffic.sidecar.istio.io/includeOutboundIPRanges": "bad"});
        let e = inject_pod_spec(&p, &defaults()).unwrap_err();
        assert_eq!(
            e.field,
            "metadata.annotations[\"traffic.sidecar.istio.io/includeOutboundIPRanges\"]"
        );
        assert!(e.message.contains("includeIPRanges"));
    }

    #[test]
    fn deploy_meta_from_owner_references() {
        let pod = json!({"metadata": {"name": "web-7d9f-abcde", "generateName": "web-7d9f-", "labels": {"pod-template-hash": "7d9f"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9f", "controller": true}]}});
        let ctx = PodContext::for_pod(&pod);
        assert_eq!(ctx.deploy_meta.name, "web");
        assert_eq!(ctx.type_meta.kind, "Deployment");
        let job = json!({"metadata": {"generateName": "nightly-28475040-", "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "nightly-28475040", "controller": true}]}});
        let ctx = PodContext::for_pod(&job);
        assert_eq!(
            (ctx.deploy_meta.name.as_str(), ctx.type_meta.kind.as_str()),
            ("nightly", "CronJob")
        );
    }

    #[test]
    fn otel_semantic_convention_attributes() {
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.set("meshConfig.extensionProviders[0].name=otel").unwrap();
        b.set("meshConfig.extensionProviders[0].opentelemetry.serviceAttributeEnrichment=OTEL_SEMANTIC_CONVENTIONS")
            .unwrap();
        let s = b.build(None).unwrap();
        let mut pod = hello();
        pod["metadata"]["namespace"] = json!("shop");
        pod["metadata"]["labels"]["app.kubernetes.io/version"] = json!("v1.2.3");
        let out = inject_pod_spec(&pod, &s).unwrap();
        let env = find_sidecar(&out).unwrap()["env"]
            .as_array()
            .unwrap()
            .clone();
        let otel = env
            .iter()
            .find(|e| e["name"] == "OTEL_RESOURCE_ATTRIBUTES")
            .unwrap();
        assert_eq!(
            otel["value"],
            "service.namespace=shop,service.version=v1.2.3,service.instance.id=shop.$(POD_NAME).hello"
        );
        let plain = inject_pod_spec(&hello(), &defaults()).unwrap();
        assert!(!plain.to_string().contains("OTEL_RESOURCE_ATTRIBUTES"));
    }

    fn with_annotations(annotations: Value) -> Value {
        let mut p = hello();
        p["metadata"]["annotations"] = annotations;
        p
    }

    fn container<'a>(pod: &'a Value, name: &str) -> &'a Value {
        find_in(pod, name).unwrap_or_else(|| panic!("no container {name}"))
    }

    fn find_in<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
        ["containers", "initContainers"]
            .iter()
            .flat_map(|l| containers_of(pod, l))
            .find(|c| container_name(c) == name)
    }

    fn env_of(c: &Value, name: &str) -> Option<String> {
        c["env"]
            .as_array()?
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].as_str().unwrap_or("").to_string())
    }

    fn args_of(c: &Value) -> Vec<String> {
        c["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn resource_annotations_replace_the_default_resources() {
        let p = with_annotations(
            json!({"sidecar.istio.io/proxyCPU": "200m", "sidecar.istio.io/proxyMemoryLimit": "2048Mi"}),
        );
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        let r = &container(&out, PROXY)["resources"];
        assert_eq!(
            r,
            &json!({"requests": {"cpu": "200m"}, "limits": {"memory": "2Gi"}})
        );
        let bad = with_annotations(json!({"sidecar.istio.io/proxyCPU": "lots"}));
        let e = inject_pod_spec(&bad, &defaults()).unwrap_err();
        assert!(e.field.contains("sidecar.istio.io/proxyCPU"), "{e}");
    }

    #[test]
    fn traffic_and_status_annotations_reach_iptables_and_probes() {
        let p = with_annotations(json!({
            "traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.0/8",
            "traffic.sidecar.istio.io/excludeOutboundPorts": "25",
            "traffic.sidecar.istio.io/includeOutboundPorts": "443",
            "traffic.sidecar.istio.io/excludeInterfaces": "eth1",
            "istio.io/reroute-virtual-interfaces": "veth0",
            "status.sidecar.istio.io/port": "0",
            "sidecar.istio.io/agentLogLevel": "default:debug",
        }));
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        let args = args_of(container(&out, INIT));
        for pair in [
            ["-i", "10.0.0.0/8"],
            ["-q", "443"],
            ["-o", "25"],
            ["-k", "veth0"],
            ["-c", "eth1"],
            ["-d", "15090,15021"],
        ] {
            let i = args
                .iter()
                .position(|a| a == pair[0])
                .unwrap_or_else(|| panic!("{args:?}"));
            assert_eq!(args[i + 1], pair[1], "{args:?}");
        }
        assert!(args.contains(&"--log_output_level=default:debug".to_string()));
        let proxy = container(&out, PROXY);
        assert!(proxy.get("readinessProbe").is_none() && proxy.get("startupProbe").is_none());
    }

    #[test]
    fn tproxy_and_cni_change_privileges() {
        let p = with_annotations(json!({"sidecar.istio.io/interceptionMode": "TPROXY"}));
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        let sc = &container(&out, PROXY)["securityContext"];
        assert_eq!(sc["capabilities"]["add"], json!(["NET_ADMIN"]));
        assert_eq!(
            (sc["runAsUser"].as_i64(), sc["runAsNonRoot"].as_bool()),
            (Some(0), Some(false))
        );

        let mut b = SettingsBuilder::new(Flavor::Current);
        b.set("components.cni.enabled=true").unwrap();
        b.set("values.cni.provider=multus").unwrap();
        let cni = b.build(None).unwrap();
        let out = inject_pod_spec(&hello(), &cni).unwrap();
        let v = container(&out, VALIDATION);
        assert!(args_of(v).contains(&"--run-validation".to_string()));
        assert_eq!(v["securityContext"]["runAsUser"], 1337);
        let ann = &out["metadata"]["annotations"];
        assert_eq!(ann["k8s.v1.cni.cncf.io/networks"], "default/istio-cni");
        assert_eq!(ann["traffic.sidecar.istio.io/excludeInboundPorts"], "15020");
        assert!(find_in(&out, INIT).is_none());
    }

    #[test]
    fn interception_none_without_native_sidecars_has_no_init_container() {
        let mut s = defaults();
        s.native_sidecars = false;
        let p = with_annotations(json!({"sidecar.istio.io/interceptionMode": "NONE"}));
        let out = inject_pod_spec(&p, &s).unwrap();
        assert!(out["spec"].get("initContainers").is_none());
        assert_eq!(
            env_of(container(&out, PROXY), "ISTIO_META_INTERCEPTION_MODE").as_deref(),
            Some("NONE")
        );
    }

    #[test]
    fn user_volumes_bootstrap_override_and_pull_policy() {
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.set("values.global.imagePullPolicy=Always").unwrap();
        b.set("values.global.mountMtlsCerts=true").unwrap();
        let s = b.build(None).unwrap();
        let p = with_annotations(json!({
            "sidecar.istio.io/userVolume": r#"{"extra":{"secret":{"secretName":"x"}}}"#,
            "sidecar.istio.io/userVolumeMount": r#"{"extra":{"mountPath":"/extra","readOnly":true}}"#,
            "sidecar.istio.io/bootstrapOverride": "my-bootstrap",
        }));
        let out = inject_pod_spec(&p, &s).unwrap();
        let proxy = container(&out, PROXY);
        assert_eq!(proxy["imagePullPolicy"], "Always");
        let mounts = proxy["volumeMounts"].as_array().unwrap();
        assert!(
            mounts
                .iter()
                .any(|m| m == &json!({"name": "extra", "mountPath": "/extra", "readOnly": true}))
        );
        assert!(
            mounts
                .iter()
                .any(|m| m["name"] == "custom-bootstrap-volume")
        );
        assert!(mounts.iter().any(|m| m["name"] == "istio-certs"));
        let volumes = out["spec"]["volumes"].as_array().unwrap();
        assert!(
            volumes
                .iter()
                .any(|v| v == &json!({"name": "extra", "secret": {"secretName": "x"}}))
        );
        assert!(volumes.iter().any(|v| v
            == &json!({"name": "custom-bootstrap-volume", "configMap": {"name": "my-bootstrap"}})));
        assert!(
            volumes
                .iter()
                .any(|v| v["secret"]["secretName"] == "istio.default")
        );
        assert_eq!(
            env_of(proxy, "ISTIO_BOOTSTRAP_OVERRIDE").as_deref(),
            Some("/etc/istio/custom-bootstrap/custom_bootstrap.json")
        );
    }

    #[test]
    fn network_and_cluster_env_move_to_the_end() {
        let mut b = SettingsBuilder::new(Flavor::Current);
        b.set("values.global.network=net1").unwrap();
        b.set("values.global.multiCluster.clusterName=c1").unwrap();
        let s = b.build(None).unwrap();
        let out = inject_pod_spec(&hello(), &s).unwrap();
        let env = container(&out, PROXY)["env"].as_array().unwrap().clone();
        let names: Vec<&str> = env.iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert_eq!(
            &names[names.len() - 2..],
            ["ISTIO_META_CLUSTER_ID", "ISTIO_META_NETWORK"]
        );
        assert_eq!(
            out["metadata"]["labels"]["topology.istio.io/network"],
            "net1"
        );
    }

    #[test]
    fn prometheus_annotations_move_into_the_proxy() {
        let p = with_annotations(
            json!({"prometheus.io/scrape": "true", "prometheus.io/port": "9090", "prometheus.io/path": "/m"}),
        );
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        assert_eq!(
            env_of(container(&out, PROXY), "ISTIO_PROMETHEUS_ANNOTATIONS").as_deref(),
            Some(r#"{"scrape":"true","path":"/m","port":"9090"}"#)
        );
        assert_eq!(
            out["metadata"]["annotations"]["prometheus.io/port"],
            "15020"
        );
        let off = with_annotations(json!({"prometheus.io/scrape": "false"}));
        let out = inject_pod_spec(&off, &defaults()).unwrap();
        assert_eq!(
            out["metadata"]["annotations"]["prometheus.io/scrape"],
            "false"
        );
        assert!(
            out["metadata"]["annotations"]
                .get("prometheus.io/port")
                .is_none()
        );
    }

    #[test]
    fn gateway_template_and_istio_1_23() {
        let mut p = with_annotations(json!({"inject.istio.io/templates": "gateway"}));
        p["spec"]["containers"] = json!([{"name": "istio-proxy", "image": "auto"}]);
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        assert_eq!(args_of(container(&out, PROXY))[1], "router");
        assert!(find_in(&out, INIT).is_none());
        assert!(out["spec"]["securityContext"]["sysctls"].is_array());
        let unknown = with_annotations(json!({"inject.istio.io/templates": "nope"}));
        assert!(
            inject_pod_spec(&unknown, &defaults())
                .unwrap_err()
                .message
                .contains("not found")
        );

        let old = InjectionSettings::defaults(Flavor::V1_23);
        let p = with_annotations(
            json!({"sidecar.istio.io/enableCoreDump": "true", "sidecar.istio.io/nativeSidecar": "true"}),
        );
        let out = inject_pod_spec(&p, &old).unwrap();
        let init: Vec<&str> = containers_of(&out, "initContainers")
            .iter()
            .map(container_name)
            .collect();
        assert_eq!(
            init,
            ["istio-init", "enable-core-dump"],
            "1.23 ignores the nativeSidecar annotation"
        );
        let env = container(&out, PROXY)["env"].as_array().unwrap();
        assert!(env.iter().any(|e| e["name"] == "GOMAXPROCS"));
        assert_eq!(
            container(&out, PROXY)["securityContext"]["readOnlyRootFilesystem"],
            false
        );
    }

    #[test]
    fn hold_application_puts_the_proxy_first_with_a_post_start_hook() {
        let mut s = defaults();
        s.native_sidecars = false;
        let p = with_annotations(
            json!({"proxy.istio.io/config": "holdApplicationUntilProxyStarts: true"}),
        );
        let out = inject_pod_spec(&p, &s).unwrap();
        assert_eq!(container_name(&out["spec"]["containers"][0]), PROXY);
        assert_eq!(
            container(&out, PROXY)["lifecycle"]["postStart"]["exec"]["command"],
            json!(["pilot-agent", "wait"])
        );
        assert_eq!(
            env_of(container(&out, PROXY), "PROXY_CONFIG").as_deref(),
            Some("{\"holdApplicationUntilProxyStarts\":true}\n")
        );
    }

    #[test]
    fn user_supplied_proxy_fields_win_and_are_recorded() {
        let mut p = hello();
        p["spec"]["containers"].as_array_mut().unwrap().push(json!({
            "name": "istio-proxy", "image": "auto", "securityContext": {"runAsUser": 1234}, "args": ["custom"]}));
        let out = inject_pod_spec(&p, &defaults()).unwrap();
        let proxy = container(&out, PROXY);
        assert_eq!(proxy["args"], json!(["custom"]));
        assert_eq!(proxy["securityContext"]["runAsUser"], 1234);
        assert!(proxy["image"].as_str().unwrap().contains("proxyv2"));
        let args = args_of(container(&out, INIT));
        assert_eq!(
            args[args.iter().position(|a| a == "-u").unwrap() + 1],
            "1234"
        );
        assert_eq!(
            out["metadata"]["annotations"][OVERRIDES_ANNOTATION],
            r#"{"initContainers":[{"name":"istio-proxy","args":["custom"],"resources":{},"securityContext":{"runAsUser":1234}}]}"#
        );
    }

    #[test]
    fn image_types_replace_known_suffixes() {
        assert_eq!(image_type_tag("1.12", "distroless"), "1.12-distroless");
        assert_eq!(
            image_type_tag("1.12-debug", "distroless"),
            "1.12-distroless"
        );
        assert_eq!(image_type_tag("1.12-distroless", "default"), "1.12");
        assert_eq!(image_type_tag("1.12", ""), "1.12");
    }
}
