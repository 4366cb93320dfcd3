//! The sidecar injector: which pods a MutatingWebhookConfiguration of istiod selects, and what
//! injection does to a pod (Istio 1.23 shape: `istio-init`, `istio-proxy`, the status annotation,
//! labels and volumes, matching the kube-inject golden files' container names, args, ports and env).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::store::admission::{Hook, Operation, Request, View};

/// Evaluates a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`) against labels.
/// A missing/null selector selects everything.
pub fn selector_matches(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    if let Some(m) = selector["matchLabels"].as_object()
        && !m
            .iter()
            .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
    {
        return false;
    }
    let exprs = selector["matchExpressions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    exprs.iter().all(|e| {
        let key = e["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = e["values"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let have = labels.get(key).map(String::as_str);
        match e["operator"].as_str().unwrap_or_default() {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => have.is_none_or(|h| !values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        }
    })
}

/// The labels (or annotations) of an object as a map.
pub fn string_map(obj: &Value, field: &str) -> BTreeMap<String, String> {
    obj["metadata"][field]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The webhooks istiod's injector registers for a revision (what the operator writes into the
/// MutatingWebhookConfiguration): namespace- and object-selected variants, as Istio 1.23 does.
pub fn webhooks(
    revision: &str,
    istiod_service: &str,
    namespace: &str,
    ca_bundle: &str,
) -> Vec<Value> {
    let client = |path: &str| json!({"service": {"name": istiod_service, "namespace": namespace, "path": path, "port": 443}, "caBundle": ca_bundle});
    let rule = json!([{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}]);
    let common = |name: String, path: &str, ns_sel: Value, obj_sel: Value| {
        json!({
            "name": name,
            "clientConfig": client(path),
            "sideEffects": "None",
            "rules": rule,
            "failurePolicy": "Fail",
            "reinvocationPolicy": "Never",
            "admissionReviewVersions": ["v1"],
            "namespaceSelector": ns_sel,
            "objectSelector": obj_sel,
        })
    };
    let not_false =
        json!({"key": "sidecar.istio.io/inject", "operator": "NotIn", "values": ["false"]});
    let rev = if revision.is_empty() {
        "default"
    } else {
        revision
    };
    let path = "/inject";
    let mut out = vec![
        common(
            "rev.namespace.sidecar-injector.istio.io".into(),
            path,
            json!({"matchExpressions": [
                {"key": "istio.io/rev", "operator": "In", "values": [rev]},
                {"key": "istio-injection", "operator": "DoesNotExist"}]}),
            json!({"matchExpressions": [not_false]}),
        ),
        common(
            "rev.object.sidecar-injector.istio.io".into(),
            path,
            json!({"matchExpressions": [
                {"key": "istio.io/rev", "operator": "DoesNotExist"},
                {"key": "istio-injection", "operator": "DoesNotExist"}]}),
            json!({"matchExpressions": [not_false, {"key": "istio.io/rev", "operator": "In", "values": [rev]}]}),
        ),
    ];
    if revision.is_empty() {
        out.push(common(
            "namespace.sidecar-injector.istio.io".into(),
            path,
            json!({"matchExpressions": [{"key": "istio-injection", "operator": "In", "values": ["enabled"]}]}),
            json!({"matchExpressions": [not_false]}),
        ));
        out.push(common(
            "object.sidecar-injector.istio.io".into(),
            path,
            json!({"matchExpressions": [
                {"key": "istio-injection", "operator": "DoesNotExist"},
                {"key": "istio.io/rev", "operator": "DoesNotExist"}]}),
            json!({"matchExpressions": [
                {"key": "sidecar.istio.io/inject", "operator": "In", "values": ["true"]},
                {"key": "istio.io/rev", "operator": "DoesNotExist"}]}),
        ));
    }
    out
}

/// Whether any webhook of a MutatingWebhookConfiguration is called for a pod CREATE.
pub fn webhook_selects(
    mwc: &Value,
    ns_labels: &BTreeMap<String, String>,
    pod_labels: &BTreeMap<String, String>,
) -> bool {
    let hooks = mwc["webhooks"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    hooks.iter().any(|h| {
        let for_pods = h["rules"].as_array().is_some_and(|rules| {
            rules.iter().any(|r| {
                let has = |f: &str, want: &str| {
                    r[f].as_array()
                        .is_some_and(|a| a.iter().any(|v| v == want || v == "*"))
                };
                has("operations", "CREATE") && has("resources", "pods") && has("apiGroups", "")
            })
        });
        for_pods
            && selector_matches(&h["namespaceSelector"], ns_labels)
            && selector_matches(&h["objectSelector"], pod_labels)
    })
}

/// Namespaces the injector never touches.
pub const IGNORED_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// Why a selected pod is still left alone, or None to inject.
pub fn skip_reason(pod: &Value, namespace: &str, policy_enabled: bool) -> Option<&'static str> {
    if IGNORED_NAMESPACES.contains(&namespace) {
        return Some("ignored namespace");
    }
    if pod["spec"]["hostNetwork"].as_bool() == Some(true) {
        return Some("host network");
    }
    if pod["metadata"]["annotations"]["sidecar.istio.io/status"].is_string() {
        return Some("already injected");
    }
    let flag = pod["metadata"]["labels"]["sidecar.istio.io/inject"]
        .as_str()
        .or(pod["metadata"]["annotations"]["sidecar.istio.io/inject"].as_str())
        .map(|s| s.to_ascii_lowercase());
    match flag.as_deref() {
        Some("false" | "n" | "no" | "off") => Some("pod opted out"),
        Some("true" | "y" | "yes" | "on") => None,
        _ if policy_enabled => None,
        _ => Some("injection policy is disabled and the pod did not opt in"),
    }
}

/// What injection needs from the injector ConfigMap, the mesh config and the cluster.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `data.values` of `istio-sidecar-injector` (Helm values, JSON).
    pub values: Value,
    /// istiod's address for certificates (`CA_ADDR`), e.g. `istiod.istio-system.svc:15012`.
    pub ca_addr: String,
    /// Revision of the injector (`""` = default).
    pub revision: String,
    /// Lowest kubelet version of the cluster's nodes, `(major, minor)`.
    pub kubelet: Option<(u32, u32)>,
}

impl Settings {
    fn image(&self, key: &str) -> String {
        let global = &self.values["global"];
        let image = global[key]["image"].as_str().unwrap_or("proxyv2");
        if image.contains('/') {
            return image.to_string();
        }
        let hub = global["hub"].as_str().unwrap_or("docker.io/istio");
        let tag = match &global["tag"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => "latest".into(),
        };
        format!("{hub}/{image}:{tag}")
    }

    /// `<hub>/proxyv2:<tag>` (or `values.global.proxy.image` when it is a full reference).
    pub fn proxy_image(&self) -> String {
        self.image("proxy")
    }

    /// Whether the proxy goes into initContainers with `restartPolicy: Always`: the pod's
    /// `sidecar.istio.io/nativeSidecar` annotation or `ENABLE_NATIVE_SIDECARS` in istiod's env
    /// asks for it, and every kubelet is at least 1.33.
    pub fn native_sidecar(&self, pod: &Value) -> bool {
        let kubelets_ok = self.kubelet.is_some_and(|v| v >= (1, 33));
        let env = self.values["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"].clone();
        let by_env = matches!(env.as_str(), Some("true" | "auto")) || env.as_bool() == Some(true);
        match pod["metadata"]["annotations"]["sidecar.istio.io/nativeSidecar"].as_str() {
            Some("false") => false,
            Some("true") => kubelets_ok,
            _ => by_env && kubelets_ok,
        }
    }

    /// `values.global.proxy.autoInject` is not `disabled`.
    pub fn policy_enabled(&self) -> bool {
        self.values["global"]["proxy"]["autoInject"].as_str() != Some("disabled")
    }
}

fn workload(pod: &Value, namespace: &str) -> (String, String) {
    let owner = pod["metadata"]["ownerReferences"]
        .as_array()
        .and_then(|refs| {
            refs.iter()
                .find(|r| r["controller"].as_bool() == Some(true))
                .or(refs.first())
        });
    let pod_name = pod["metadata"]["name"]
        .as_str()
        .or(pod["metadata"]["generateName"].as_str())
        .unwrap_or_default();
    let Some(owner) = owner else {
        return (
            pod_name.trim_end_matches('-').to_string(),
            format!("kubernetes://apis/v1/namespaces/{namespace}/pods/{pod_name}"),
        );
    };
    let kind = owner["kind"].as_str().unwrap_or_default();
    let name = owner["name"].as_str().unwrap_or_default();
    let api = owner["apiVersion"].as_str().unwrap_or("v1");
    if kind == "ReplicaSet"
        && let Some(hash) = pod["metadata"]["labels"]["pod-template-hash"].as_str()
        && let Some(deployment) = name.strip_suffix(&format!("-{hash}"))
    {
        return (
            deployment.to_string(),
            format!("kubernetes://apis/apps/v1/namespaces/{namespace}/deployments/{deployment}"),
        );
    }
    let plural = format!("{}s", kind.to_ascii_lowercase());
    (
        name.to_string(),
        format!("kubernetes://apis/{api}/namespaces/{namespace}/{plural}/{name}"),
    )
}

fn field_env(name: &str, path: &str) -> Value {
    json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}})
}

fn resource_env(name: &str, resource: &str) -> Value {
    json!({"name": name, "valueFrom": {"resourceFieldRef": {"divisor": "0", "resource": resource}}})
}

fn pod_ports(containers: &[Value]) -> String {
    let ports: Vec<String> = containers
        .iter()
        .flat_map(|c| c["ports"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            let mut parts = Vec::new();
            if let Some(n) = p["name"].as_str() {
                parts.push(format!("\"name\":{}", json!(n)));
            }
            parts.push(format!("\"containerPort\":{}", p["containerPort"]));
            if let Some(proto) = p["protocol"].as_str() {
                parts.push(format!("\"protocol\":{}", json!(proto)));
            }
            format!("    {{{}}}", parts.join(","))
        })
        .collect();
    if ports.is_empty() {
        "[\n]".to_string()
    } else {
        format!("[\n{}\n]", ports.join("\n,"))
    }
}

fn resources() -> Value {
    json!({"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "128Mi"}})
}

const VOLUMES: &[&str] = &[
    "workload-socket",
    "credential-socket",
    "workload-certs",
    "istio-envoy",
    "istio-data",
    "istio-podinfo",
    "istio-token",
    "istiod-ca-cert",
];

fn volumes() -> Vec<Value> {
    vec![
        json!({"name": "workload-socket", "emptyDir": {}}),
        json!({"name": "credential-socket", "emptyDir": {}}),
        json!({"name": "workload-certs", "emptyDir": {}}),
        json!({"name": "istio-envoy", "emptyDir": {"medium": "Memory"}}),
        json!({"name": "istio-data", "emptyDir": {}}),
        json!({"name": "istio-podinfo", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}}]}}),
        json!({"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
            "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}}),
        json!({"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}}),
    ]
}

fn volume_mounts() -> Value {
    json!([
        {"mountPath": "/var/run/secrets/workload-spiffe-uds", "name": "workload-socket"},
        {"mountPath": "/var/run/secrets/credential-uds", "name": "credential-socket"},
        {"mountPath": "/var/run/secrets/workload-spiffe-credentials", "name": "workload-certs"},
        {"mountPath": "/var/run/secrets/istio", "name": "istiod-ca-cert"},
        {"mountPath": "/var/lib/istio/data", "name": "istio-data"},
        {"mountPath": "/etc/istio/proxy", "name": "istio-envoy"},
        {"mountPath": "/var/run/secrets/tokens", "name": "istio-token"},
        {"mountPath": "/etc/istio/pod", "name": "istio-podinfo"},
    ])
}

/// Rewrites the HTTP probes of the pod's own containers to go through the agent (port 15020), as
/// Istio does with `rewriteAppHTTPProbe`, and returns the `ISTIO_KUBE_APP_PROBERS` value.
fn rewrite_probes(spec: &mut Value) -> Option<String> {
    let mut probers = serde_json::Map::new();
    for list in ["initContainers", "containers"] {
        let Some(cs) = spec[list].as_array_mut() else {
            continue;
        };
        for c in cs.iter_mut() {
            let name = c["name"].as_str().unwrap_or_default().to_string();
            if list == "initContainers" && c["restartPolicy"].as_str() != Some("Always") {
                continue;
            }
            for (probe, suffix) in [
                ("readinessProbe", "readyz"),
                ("livenessProbe", "livez"),
                ("startupProbe", "startupz"),
            ] {
                let Some(http) = c[probe].get("httpGet").filter(|h| h.is_object()).cloned() else {
                    continue;
                };
                let path = format!("/app-health/{name}/{suffix}");
                let mut entry = json!({"httpGet": http});
                if let Some(t) = c[probe].get("timeoutSeconds") {
                    entry["timeoutSeconds"] = t.clone();
                }
                probers.insert(path.clone(), entry);
                c[probe]["httpGet"] = json!({"path": path, "port": 15020});
            }
        }
    }
    (!probers.is_empty()).then(|| Value::Object(probers).to_string())
}

/// Injects the sidecar into a pod (stored form, as admitted on CREATE) in `namespace`.
pub fn inject(pod: &mut Value, namespace: &str, settings: &Settings) {
    let image = settings.proxy_image();
    let init_image = settings.image("proxy_init");
    let native = settings.native_sidecar(pod);
    let rev = if settings.revision.is_empty() {
        "default"
    } else {
        settings.revision.as_str()
    };
    let app_containers = pod["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let app_names: Vec<&str> = app_containers
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let (workload_name, owner) = workload(pod, namespace);
    let labels = string_map(pod, "labels");
    let canonical_name = [
        "service.istio.io/canonical-name",
        "app.kubernetes.io/name",
        "app",
    ]
    .iter()
    .find_map(|k| labels.get(*k).cloned())
    .unwrap_or_else(|| workload_name.clone());
    let canonical_rev = [
        "service.istio.io/canonical-revision",
        "app.kubernetes.io/version",
        "version",
    ]
    .iter()
    .find_map(|k| labels.get(*k).cloned())
    .unwrap_or_else(|| "latest".to_string());
    let mesh_id = settings.values["global"]["meshID"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("cluster.local");
    let cluster_id = settings.values["global"]["multiCluster"]["clusterName"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("Kubernetes");
    let log_level = settings.values["global"]["proxy"]["logLevel"]
        .as_str()
        .unwrap_or("warning");

    let init = json!({
        "name": "istio-init",
        "image": init_image,
        "args": ["istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "",
                 "-b", "*", "-d", "15090,15021,15020", "--log_output_level=default:info"],
        "resources": resources(),
        "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]},
                            "privileged": false, "readOnlyRootFilesystem": false, "runAsGroup": 0, "runAsNonRoot": false, "runAsUser": 0},
    });
    let env = vec![
        json!({"name": "PILOT_CERT_PROVIDER", "value": "istiod"}),
        json!({"name": "CA_ADDR", "value": settings.ca_addr}),
        field_env("POD_NAME", "metadata.name"),
        field_env("POD_NAMESPACE", "metadata.namespace"),
        field_env("INSTANCE_IP", "status.podIP"),
        field_env("SERVICE_ACCOUNT", "spec.serviceAccountName"),
        field_env("HOST_IP", "status.hostIP"),
        resource_env("ISTIO_CPU_LIMIT", "limits.cpu"),
        json!({"name": "PROXY_CONFIG", "value": "{}\n"}),
        json!({"name": "ISTIO_META_POD_PORTS", "value": pod_ports(&app_containers)}),
        json!({"name": "ISTIO_META_APP_CONTAINERS", "value": app_names.join(",")}),
        resource_env("GOMEMLIMIT", "limits.memory"),
        resource_env("GOMAXPROCS", "limits.cpu"),
        json!({"name": "ISTIO_META_CLUSTER_ID", "value": cluster_id}),
        field_env("ISTIO_META_NODE_NAME", "spec.nodeName"),
        json!({"name": "ISTIO_META_INTERCEPTION_MODE", "value": "REDIRECT"}),
        json!({"name": "ISTIO_META_WORKLOAD_NAME", "value": workload_name}),
        json!({"name": "ISTIO_META_OWNER", "value": owner}),
        json!({"name": "ISTIO_META_MESH_ID", "value": mesh_id}),
        json!({"name": "TRUST_DOMAIN", "value": "cluster.local"}),
    ];
    let probe = |period: u64, failures: u64| json!({"failureThreshold": failures, "httpGet": {"path": "/healthz/ready", "port": 15021}, "periodSeconds": period, "timeoutSeconds": 3});
    let mut proxy = json!({
        "name": "istio-proxy",
        "image": image,
        "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", format!("--proxyLogLevel={log_level}"),
                 "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"],
        "env": env,
        "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
        "readinessProbe": probe(15, 4),
        "startupProbe": probe(1, 600),
        "resources": resources(),
        "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "privileged": false,
                            "readOnlyRootFilesystem": true, "runAsGroup": 1337, "runAsNonRoot": true, "runAsUser": 1337},
        "volumeMounts": volume_mounts(),
    });

    let rewrite = settings.values["sidecarInjectorWebhook"]["rewriteAppHTTPProbe"].as_bool()
        != Some(false)
        && pod["metadata"]["annotations"]["sidecar.istio.io/rewriteAppHTTPProbers"].as_str()
            != Some("false");
    let spec = &mut pod["spec"];
    if rewrite
        && let Some(probers) = rewrite_probes(spec)
        && let Some(env) = proxy["env"].as_array_mut()
    {
        env.push(json!({"name": "ISTIO_KUBE_APP_PROBERS", "value": probers}));
    }
    let mut inits = vec![init];
    if native {
        proxy["restartPolicy"] = json!("Always");
        proxy["lifecycle"] = json!({"preStop": {"exec": {"command": ["pilot-agent", "request", "--debug-port=15020", "POST", "drain"]}}});
        inits.push(proxy);
    } else if let Some(cs) = spec["containers"].as_array_mut() {
        cs.push(proxy);
    }
    inits.extend(
        spec["initContainers"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    spec["initContainers"] = Value::Array(inits);
    let mut vols = spec["volumes"].as_array().cloned().unwrap_or_default();
    vols.extend(volumes());
    spec["volumes"] = Value::Array(vols);
    let secrets: Vec<String> = settings.values["global"]["imagePullSecrets"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().or(s["name"].as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !secrets.is_empty() {
        let mut existing = spec["imagePullSecrets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for s in &secrets {
            if !existing.iter().any(|e| e["name"] == json!(s)) {
                existing.push(json!({"name": s}));
            }
        }
        spec["imagePullSecrets"] = Value::Array(existing);
    }

    let list = |items: &[&str]| {
        if items.is_empty() {
            "null".to_string()
        } else {
            json!(items).to_string()
        }
    };
    let status = format!(
        "{{\"initContainers\":{},\"containers\":{},\"volumes\":{},\"imagePullSecrets\":{},\"revision\":{}}}",
        if native {
            list(&["istio-init", "istio-proxy"])
        } else {
            list(&["istio-init"])
        },
        if native {
            list(&[])
        } else {
            list(&["istio-proxy"])
        },
        list(VOLUMES),
        list(&secrets.iter().map(String::as_str).collect::<Vec<_>>()),
        json!(rev),
    );
    let meta = &mut pod["metadata"];
    if !meta["annotations"].is_object() {
        meta["annotations"] = json!({});
    }
    let ann = &mut meta["annotations"];
    let first = app_names.first().copied().unwrap_or_default();
    for (k, v) in [
        ("istio.io/rev", rev),
        ("kubectl.kubernetes.io/default-container", first),
        ("kubectl.kubernetes.io/default-logs-container", first),
        ("prometheus.io/path", "/stats/prometheus"),
        ("prometheus.io/port", "15020"),
        ("prometheus.io/scrape", "true"),
    ] {
        if ann[k].is_null() {
            ann[k] = json!(v);
        }
    }
    ann["sidecar.istio.io/status"] = json!(status);
    if !meta["labels"].is_object() {
        meta["labels"] = json!({});
    }
    let l = &mut meta["labels"];
    l["security.istio.io/tlsMode"] = json!("istio");
    l["service.istio.io/canonical-name"] = json!(canonical_name);
    l["service.istio.io/canonical-revision"] = json!(canonical_rev);
}

/// The lowest kubelet version among the nodes, `(major, minor)`.
pub fn min_kubelet(nodes: &[Value]) -> Option<(u32, u32)> {
    nodes
        .iter()
        .filter_map(|n| {
            let v = n["status"]["nodeInfo"]["kubeletVersion"].as_str()?;
            let mut parts = v.trim_start_matches('v').split('.');
            let major = parts.next()?.parse().ok()?;
            let minor = parts
                .next()?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()?;
            Some((major, minor))
        })
        .min()
}

/// Injects a pod being created in `namespace`, when an istiod injector webhook selects it: the
/// MutatingWebhookConfiguration points at a Service whose istiod Deployment (a `pilot` image) is
/// Available, and the injector ConfigMap of that revision exists. Returns the revision injected.
pub fn admit_pod(view: &View<'_>, namespace: &str, pod: &mut Value) -> Option<String> {
    let ns_obj = view.get("", "namespaces", "", namespace)?;
    let ns_labels = string_map(&ns_obj, "labels");
    let pod_labels = string_map(pod, "labels");
    let mut mwcs = view.list(
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        None,
    );
    mwcs.sort_by(|a, b| {
        a["metadata"]["name"]
            .as_str()
            .cmp(&b["metadata"]["name"].as_str())
    });
    for mwc in &mwcs {
        if !webhook_selects(mwc, &ns_labels, &pod_labels) {
            continue;
        }
        let service = &mwc["webhooks"][0]["clientConfig"]["service"];
        let (Some(svc), Some(svc_ns)) = (service["name"].as_str(), service["namespace"].as_str())
        else {
            continue;
        };
        let Some(istiod) = view.get("apps", "deployments", svc_ns, svc) else {
            continue;
        };
        let runs_pilot = istiod["spec"]["template"]["spec"]["containers"]
            .as_array()
            .is_some_and(|cs| {
                cs.iter().any(|c| {
                    c["image"]
                        .as_str()
                        .and_then(super::spec::split_image)
                        .is_some_and(|(_, name, _)| name == "pilot")
                })
            });
        if !runs_pilot || !super::operator::deployment_available(&istiod) {
            continue;
        }
        let rev_label = istiod["metadata"]["labels"]["istio.io/rev"]
            .as_str()
            .unwrap_or("default");
        let revision = if rev_label == "default" {
            String::new()
        } else {
            rev_label.to_string()
        };
        let cm_name = if revision.is_empty() {
            "istio-sidecar-injector".to_string()
        } else {
            format!("istio-sidecar-injector-{revision}")
        };
        let Some(cm) = view.get("", "configmaps", svc_ns, &cm_name) else {
            continue;
        };
        let values: Value = cm["data"]["values"]
            .as_str()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_else(|| json!({}));
        let config = cm["data"]["config"].as_str().unwrap_or_default();
        let nodes: Vec<Value> = view
            .list("", "nodes", None)
            .iter()
            .map(|n| (**n).clone())
            .collect();
        let settings = Settings {
            values,
            ca_addr: format!("{svc}.{svc_ns}.svc:15012"),
            revision,
            kubelet: min_kubelet(&nodes),
        };
        let policy_enabled =
            settings.policy_enabled() && !config.lines().any(|l| l.trim() == "policy: disabled");
        if skip_reason(pod, namespace, policy_enabled).is_some() {
            return None;
        }
        inject(pod, namespace, &settings);
        return Some(rev_label.to_string());
    }
    None
}

/// The admission hook that injects pods on create (register it with
/// [`Store::add_admission_hook`](crate::store::Store::add_admission_hook)). Updates never inject:
/// pods that existed before never change.
pub fn admission_hook() -> Hook {
    Arc::new(|req: &Request<'_>, obj: &mut Value| {
        let def = req.resource;
        if req.operation == Operation::Create && def.group.is_empty() && def.plural == "pods" {
            let ns = if req.namespace.is_empty() {
                obj["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("default")
                    .to_string()
            } else {
                req.namespace.to_string()
            };
            admit_pod(&req.view, &ns, obj);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(kubelet: (u32, u32), native_env: bool) -> Settings {
        let mut values = json!({"global": {"hub": "docker.io/istio", "tag": "1.23.0", "proxy": {"image": "proxyv2"},
                                           "proxy_init": {"image": "proxyv2"}, "imagePullSecrets": []},
                                "pilot": {"env": {}}});
        if native_env {
            values["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"] = json!("true");
        }
        Settings {
            values,
            ca_addr: "istiod.istio-system.svc:15012".into(),
            revision: String::new(),
            kubelet: Some(kubelet),
        }
    }

    fn hello_pod() -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "hello-5d8f7-abcde", "namespace": "default",
                            "labels": {"app": "hello", "pod-template-hash": "5d8f7"},
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "hello-5d8f7", "controller": true, "uid": "u"}]},
               "spec": {"containers": [{"name": "hello", "image": "fake.docker.io/google-samples/hello-go-gke:1.0",
                                         "ports": [{"name": "http", "containerPort": 80}]}]}})
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn classic_injection_matches_the_golden_shape() {
        let mut pod = hello_pod();
        inject(&mut pod, "default", &settings((1, 32), true));
        let spec = &pod["spec"];
        let names = |f: &str| {
            spec[f]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("containers"), ["hello", "istio-proxy"]);
        assert_eq!(names("initContainers"), ["istio-init"]);
        let proxy = &spec["containers"][1];
        assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.23.0");
        assert_eq!(proxy["args"][0], "proxy");
        assert!(proxy.get("restartPolicy").is_none());
        let env: Vec<&str> = proxy["env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert!(env.contains(&"ISTIO_META_WORKLOAD_NAME") && env.contains(&"CA_ADDR"));
        let env_value = |n: &str| {
            proxy["env"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["name"] == n)
                .unwrap()["value"]
                .clone()
        };
        assert_eq!(env_value("ISTIO_META_WORKLOAD_NAME"), "hello");
        assert_eq!(
            env_value("ISTIO_META_OWNER"),
            "kubernetes://apis/apps/v1/namespaces/default/deployments/hello"
        );
        assert_eq!(
            env_value("ISTIO_META_POD_PORTS"),
            "[\n    {\"name\":\"http\",\"containerPort\":80}\n]"
        );
        assert_eq!(spec["initContainers"][0]["args"][0], "istio-iptables");
        let ann = &pod["metadata"]["annotations"];
        assert_eq!(
            ann["sidecar.istio.io/status"],
            "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"workload-socket\",\"credential-socket\",\"workload-certs\",\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"default\"}"
        );
        assert_eq!(ann["kubectl.kubernetes.io/default-container"], "hello");
        let l = &pod["metadata"]["labels"];
        assert_eq!(l["security.istio.io/tlsMode"], "istio");
        assert_eq!(l["service.istio.io/canonical-name"], "hello");
        assert_eq!(l["service.istio.io/canonical-revision"], "latest");
        assert_eq!(spec["volumes"].as_array().unwrap().len(), 8);
    }

    #[test]
    fn native_placement_needs_the_setting_and_new_kubelets() {
        let mut pod = hello_pod();
        inject(&mut pod, "default", &settings((1, 33), true));
        let inits: Vec<_> = pod["spec"]["initContainers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(inits, ["istio-init", "istio-proxy"]);
        assert_eq!(pod["spec"]["initContainers"][1]["restartPolicy"], "Always");
        assert_eq!(pod["spec"]["containers"].as_array().unwrap().len(), 1);
        assert!(
            pod["metadata"]["annotations"]["sidecar.istio.io/status"]
                .as_str()
                .unwrap()
                .contains("\"containers\":null")
        );
        assert!(!settings((1, 33), false).native_sidecar(&hello_pod()));
        let mut opted = hello_pod();
        opted["metadata"]["annotations"] = json!({"sidecar.istio.io/nativeSidecar": "true"});
        assert!(settings((1, 34), false).native_sidecar(&opted));
        assert!(!settings((1, 30), false).native_sidecar(&opted));
    }

    #[test]
    fn full_proxy_image_and_pull_secrets_from_values() {
        let mut s = settings((1, 32), false);
        s.values["global"]["proxy"]["image"] = json!("my.io/custom/proxy:9");
        s.values["global"]["imagePullSecrets"] = json!(["regcred"]);
        let mut pod = hello_pod();
        inject(&mut pod, "default", &s);
        assert_eq!(
            pod["spec"]["containers"][1]["image"],
            "my.io/custom/proxy:9"
        );
        assert_eq!(
            pod["spec"]["initContainers"][0]["image"],
            "docker.io/istio/proxyv2:1.23.0"
        );
        assert_eq!(
            pod["spec"]["imagePullSecrets"],
            json!([{"name": "regcred"}])
        );
        assert!(
            pod["metadata"]["annotations"]["sidecar.istio.io/status"]
                .as_str()
                .unwrap()
                .contains("\"imagePullSecrets\":[\"regcred\"]")
        );
    }

    #[test]
    fn webhooks_select_by_namespace_label_revision_and_opt_out() {
        let mwc = json!({"webhooks": webhooks("", "istiod", "istio-system", "")});
        let none = labels(&[]);
        assert!(webhook_selects(
            &mwc,
            &labels(&[("istio-injection", "enabled")]),
            &none
        ));
        assert!(!webhook_selects(
            &mwc,
            &labels(&[("istio-injection", "disabled")]),
            &none
        ));
        assert!(!webhook_selects(&mwc, &none, &none));
        assert!(!webhook_selects(
            &mwc,
            &labels(&[("istio-injection", "enabled")]),
            &labels(&[("sidecar.istio.io/inject", "false")])
        ));
        assert!(webhook_selects(
            &mwc,
            &labels(&[("istio.io/rev", "default")]),
            &none
        ));
        assert!(!webhook_selects(
            &mwc,
            &labels(&[("istio.io/rev", "canary")]),
            &none
        ));
        assert!(!webhook_selects(
            &mwc,
            &labels(&[("istio-injection", "disabled"), ("istio.io/rev", "default")]),
            &none
        ));
        assert!(webhook_selects(
            &mwc,
            &none,
            &labels(&[("sidecar.istio.io/inject", "true")])
        ));
        let canary = json!({"webhooks": webhooks("canary", "istiod-canary", "istio-system", "")});
        assert!(webhook_selects(
            &canary,
            &labels(&[("istio.io/rev", "canary")]),
            &none
        ));
        assert!(!webhook_selects(
            &canary,
            &labels(&[("istio-injection", "enabled")]),
            &none
        ));
    }

    #[test]
    fn opt_outs_and_host_network_are_skipped() {
        let mut pod = hello_pod();
        assert_eq!(skip_reason(&pod, "default", true), None);
        assert_eq!(
            skip_reason(&pod, "kube-system", true),
            Some("ignored namespace")
        );
        assert!(skip_reason(&pod, "default", false).is_some());
        pod["metadata"]["annotations"] = json!({"sidecar.istio.io/inject": "false"});
        assert_eq!(skip_reason(&pod, "default", true), Some("pod opted out"));
        let mut host = hello_pod();
        host["spec"]["hostNetwork"] = json!(true);
        assert_eq!(skip_reason(&host, "default", true), Some("host network"));
        let mut done = hello_pod();
        inject(&mut done, "default", &settings((1, 32), false));
        assert_eq!(
            skip_reason(&done, "default", true),
            Some("already injected")
        );
    }

    /// The pod template of a kube-inject golden input and its injected output (Istio 1.23).
    fn golden(name: &str) -> Option<(Value, Value)> {
        let input = crate::testkit::fixture(&format!("istio/inject/1.23.0/testdata/{name}"))?;
        let output =
            crate::testkit::fixture(&format!("istio/inject/1.23.0/testdata/{name}.injected"))?;
        let read = |p: std::path::PathBuf| -> Value {
            let docs: Vec<Value> =
                serde_saphyr::from_multiple(&std::fs::read_to_string(p).unwrap()).unwrap();
            docs.into_iter().find(|d| !d.is_null()).unwrap()
        };
        Some((read(input), read(output)))
    }

    fn names(containers: &Value) -> Vec<String> {
        containers
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| c["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn env_names(c: &Value) -> Vec<String> {
        names(&c["env"])
    }

    #[test]
    fn injection_agrees_with_the_kube_inject_golden_files() {
        for (file, native) in [("hello.yaml", false), ("native-sidecar.yaml", true)] {
            let Some((input, want)) = golden(file) else {
                return;
            };
            let (mut pod, want_pod) = if input["kind"] == "Deployment" {
                let mut pod = json!({"metadata": input["spec"]["template"]["metadata"].clone(), "spec": input["spec"]["template"]["spec"].clone()});
                let name = input["metadata"]["name"].as_str().unwrap();
                pod["metadata"]["name"] = json!(format!("{name}-abc12-xyz"));
                pod["metadata"]["labels"]["pod-template-hash"] = json!("abc12");
                pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-abc12"), "controller": true}]);
                (pod, want["spec"]["template"].clone())
            } else {
                (input.clone(), want.clone())
            };
            let mut s = settings((1, 33), native);
            s.values["global"]["hub"] = json!("gcr.io/istio-testing");
            s.values["global"]["tag"] = json!("latest");
            inject(&mut pod, "default", &s);
            let (got, want) = (&pod["spec"], &want_pod["spec"]);
            assert_eq!(
                names(&got["containers"]),
                names(&want["containers"]),
                "{file}"
            );
            assert_eq!(
                names(&got["initContainers"]),
                names(&want["initContainers"]),
                "{file}"
            );
            assert_eq!(names(&got["volumes"]), names(&want["volumes"]), "{file}");
            let all = |spec: &Value| -> Vec<Value> {
                let mut v = spec["initContainers"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                v.extend(spec["containers"].as_array().cloned().unwrap_or_default());
                v
            };
            for (g, w) in all(got).iter().zip(all(want).iter()) {
                let name = w["name"].as_str().unwrap();
                if !name.starts_with("istio-") {
                    continue;
                }
                for field in [
                    "image",
                    "args",
                    "ports",
                    "volumeMounts",
                    "securityContext",
                    "resources",
                    "readinessProbe",
                    "restartPolicy",
                ] {
                    assert_eq!(g[field], w[field], "{file}: {name}.{field}");
                }
                assert_eq!(env_names(g), env_names(w), "{file}: {name} env");
                let values = |c: &Value| -> Vec<Value> {
                    c["env"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .map(|e| e["value"].clone())
                        .collect()
                };
                assert_eq!(values(g), values(w), "{file}: {name} env values");
            }
            for key in [
                "sidecar.istio.io/status",
                "istio.io/rev",
                "kubectl.kubernetes.io/default-container",
                "prometheus.io/port",
            ] {
                assert_eq!(
                    pod["metadata"]["annotations"][key], want_pod["metadata"]["annotations"][key],
                    "{file}: {key}"
                );
            }
            for key in [
                "security.istio.io/tlsMode",
                "service.istio.io/canonical-name",
                "service.istio.io/canonical-revision",
            ] {
                assert_eq!(
                    pod["metadata"]["labels"][key], want_pod["metadata"]["labels"][key],
                    "{file}: {key}"
                );
            }
        }
    }

    #[test]
    fn bare_pods_are_their_own_workload() {
        let mut pod = json!({"metadata": {"name": "solo", "labels": {"version": "v2"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}});
        inject(&mut pod, "ns", &settings((1, 32), false));
        let env = pod["spec"]["containers"][1]["env"]
            .as_array()
            .unwrap()
            .clone();
        let owner = env
            .iter()
            .find(|e| e["name"] == "ISTIO_META_OWNER")
            .unwrap();
        assert_eq!(
            owner["value"],
            "kubernetes://apis/v1/namespaces/ns/pods/solo"
        );
        assert_eq!(
            pod["metadata"]["labels"]["service.istio.io/canonical-name"],
            "solo"
        );
        assert_eq!(
            pod["metadata"]["labels"]["service.istio.io/canonical-revision"],
            "v2"
        );
    }
}
