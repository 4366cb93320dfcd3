//! The objects the operator creates for a [`Plan`], component by component, as Istio 1.23's charts
//! render them (the parts clients look at: names, labels, images, ports, selectors, data).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::injector;
use super::spec::{Component, Gateway, GatewayKind, Plan};

/// Label naming the IstioOperator that owns an object.
pub const OWNER_NAME: &str = "install.operator.istio.io/owning-resource";
/// Label naming the owning IstioOperator's namespace.
pub const OWNER_NAMESPACE: &str = "install.operator.istio.io/owning-resource-namespace";
/// Label naming the component.
pub const COMPONENT: &str = "operator.istio.io/component";

/// One object to create: where it lives in the API and the object itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// API group.
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Plural resource.
    pub resource: &'static str,
    /// The object (with apiVersion, kind, metadata).
    pub body: Value,
}

impl Object {
    /// `Kind namespace/name` for log lines.
    pub fn describe(&self) -> String {
        let ns = self.body["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default();
        let name = self.body["metadata"]["name"].as_str().unwrap_or_default();
        let kind = self.body["kind"].as_str().unwrap_or_default();
        if ns.is_empty() {
            format!("{kind} {name}")
        } else {
            format!("{kind} {ns}/{name}")
        }
    }
}

/// The resources (group, version, plural) the operator may own objects of, for pruning.
pub const OWNED_KINDS: &[(&str, &str, &str)] = &[
    ("apps", "v1", "deployments"),
    ("", "v1", "services"),
    ("", "v1", "configmaps"),
    ("", "v1", "serviceaccounts"),
    (
        "admissionregistration.k8s.io",
        "v1",
        "mutatingwebhookconfigurations",
    ),
    ("rbac.authorization.k8s.io", "v1", "clusterroles"),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions"),
];

/// A component's objects.
#[derive(Debug, Clone)]
pub struct ComponentObjects {
    /// `Base`, `Pilot`, `IngressGateways`, ...
    pub component: &'static str,
    /// Objects in creation order.
    pub objects: Vec<Object>,
    /// Deployments `(namespace, name)` that must be Available for the component to be healthy.
    pub workloads: Vec<(String, String)>,
}

struct Ctx<'a> {
    plan: &'a Plan,
    owner: &'a str,
    owner_ns: &'a str,
}

impl Ctx<'_> {
    fn labels(&self, component: &str) -> Value {
        json!({
            OWNER_NAME: self.owner,
            OWNER_NAMESPACE: self.owner_ns,
            COMPONENT: component,
            "operator.istio.io/managed": "Reconcile",
            "operator.istio.io/version": self.plan.tag,
            "install.operator.istio.io/owning-resource": self.owner,
            "istio.io/rev": self.plan.rev_label(),
            "release": "istio",
        })
    }

    fn meta(&self, component: &str, name: &str, namespace: Option<&str>, extra: &Value) -> Value {
        let mut labels = self.labels(component);
        super::spec::merge(&mut labels, extra);
        let mut m = json!({"name": name, "labels": labels});
        if let Some(ns) = namespace {
            m["namespace"] = json!(ns);
        }
        m
    }
}

fn obj(group: &'static str, version: &'static str, resource: &'static str, body: Value) -> Object {
    Object {
        group,
        version,
        resource,
        body,
    }
}

/// CRDs of the base component: (group, plural, kind, versions).
const CRDS: &[(&str, &str, &str, &[&str])] = &[
    (
        "networking.istio.io",
        "gateways",
        "Gateway",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "virtualservices",
        "VirtualService",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "destinationrules",
        "DestinationRule",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "serviceentries",
        "ServiceEntry",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "sidecars",
        "Sidecar",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "envoyfilters",
        "EnvoyFilter",
        &["v1alpha3"],
    ),
    (
        "networking.istio.io",
        "workloadentries",
        "WorkloadEntry",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "workloadgroups",
        "WorkloadGroup",
        &["v1", "v1beta1", "v1alpha3"],
    ),
    (
        "networking.istio.io",
        "proxyconfigs",
        "ProxyConfig",
        &["v1beta1"],
    ),
    (
        "security.istio.io",
        "peerauthentications",
        "PeerAuthentication",
        &["v1", "v1beta1"],
    ),
    (
        "security.istio.io",
        "requestauthentications",
        "RequestAuthentication",
        &["v1", "v1beta1"],
    ),
    (
        "security.istio.io",
        "authorizationpolicies",
        "AuthorizationPolicy",
        &["v1", "v1beta1"],
    ),
    (
        "telemetry.istio.io",
        "telemetries",
        "Telemetry",
        &["v1", "v1alpha1"],
    ),
    (
        "extensions.istio.io",
        "wasmplugins",
        "WasmPlugin",
        &["v1alpha1"],
    ),
];

fn short_names(plural: &str) -> Vec<&'static str> {
    match plural {
        "gateways" => vec!["gw"],
        "virtualservices" => vec!["vs"],
        "destinationrules" => vec!["dr"],
        "serviceentries" => vec!["se"],
        "workloadentries" => vec!["we"],
        "workloadgroups" => vec!["wg"],
        "peerauthentications" => vec!["pa"],
        "requestauthentications" => vec!["ra"],
        "authorizationpolicies" => vec!["ap"],
        _ => vec![],
    }
}

fn crd(ctx: &Ctx, group: &str, plural: &str, kind: &str, versions: &[&str]) -> Object {
    let singular = kind.to_ascii_lowercase();
    let versions: Vec<Value> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({"name": v, "served": true, "storage": i == 0, "subresources": {"status": {}},
                   "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}})
        })
        .collect();
    obj(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ctx.meta("Base", &format!("{plural}.{group}"), None, &json!({"app": "istio-pilot", "chart": "istio"})),
            "spec": {
                "group": group,
                "names": {"kind": kind, "listKind": format!("{kind}List"), "plural": plural, "singular": singular,
                          "shortNames": short_names(plural), "categories": ["istio-io", group.split('.').next().unwrap_or_default().to_string() + "-istio-io"]},
                "scope": "Namespaced",
                "versions": versions,
            }
        }),
    )
}

fn deployment(
    ctx: &Ctx,
    component: &str,
    name: &str,
    c: &Component,
    labels: &Value,
    container: Value,
    service_account: &str,
) -> Object {
    let mut pod_annotations = json!({"prometheus.io/port": "15020", "prometheus.io/scrape": "true", "sidecar.istio.io/inject": "false"});
    for (k, v) in &c.k8s.pod_annotations {
        pod_annotations[k] = json!(v);
    }
    let mut template_labels = labels.clone();
    template_labels["sidecar.istio.io/inject"] = json!("false");
    template_labels["istio.io/rev"] = json!(ctx.plan.rev_label());
    template_labels["service.istio.io/canonical-name"] = labels["app"].clone();
    template_labels["service.istio.io/canonical-revision"] = json!(ctx.plan.tag);
    obj(
        "apps",
        "v1",
        "deployments",
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": ctx.meta(component, name, Some(&c.namespace), labels),
            "spec": {
                "replicas": c.k8s.replicas.unwrap_or(1),
                "selector": {"matchLabels": labels},
                "strategy": {"rollingUpdate": {"maxSurge": "100%", "maxUnavailable": "25%"}},
                "template": {
                    "metadata": {"labels": template_labels, "annotations": pod_annotations},
                    "spec": {"serviceAccountName": service_account, "containers": [container]}
                }
            }
        }),
    )
}

fn service_account(ctx: &Ctx, component: &str, name: &str, namespace: &str) -> Object {
    obj(
        "",
        "v1",
        "serviceaccounts",
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": ctx.meta(component, name, Some(namespace), &json!({}))}),
    )
}

fn base(ctx: &Ctx) -> ComponentObjects {
    let mut objects: Vec<Object> = CRDS
        .iter()
        .map(|(g, p, k, v)| crd(ctx, g, p, k, v))
        .collect();
    objects.push(service_account(
        ctx,
        "Base",
        "istio-reader-service-account",
        &ctx.plan.namespace,
    ));
    ComponentObjects {
        component: "Base",
        objects,
        workloads: vec![],
    }
}

fn resources_or(c: &Component, default: Value) -> Value {
    c.k8s.resources.clone().unwrap_or(default)
}

fn pilot(ctx: &Ctx, c: &Component) -> ComponentObjects {
    let plan = ctx.plan;
    let ns = c.namespace.as_str();
    let name = plan.revised("istiod");
    let labels = json!({"app": "istiod", "istio": "pilot", "istio.io/rev": plan.rev_label()});
    let mut env = vec![
        json!({"name": "REVISION", "value": plan.rev_label()}),
        json!({"name": "PILOT_CERT_PROVIDER", "value": "istiod"}),
        json!({"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}),
        json!({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}),
        json!({"name": "SERVICE_ACCOUNT", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.serviceAccountName"}}}),
        json!({"name": "KUBECONFIG", "value": "/var/run/secrets/remote/config"}),
        json!({"name": "ISTIOD_ADDR", "value": format!("{name}.{ns}.svc:15012")}),
        json!({"name": "CLUSTER_ID", "value": "Kubernetes"}),
    ];
    env.extend(c.k8s.env.iter().cloned());
    let container = json!({
        "name": "discovery",
        "image": format!("{}/pilot:{}", c.hub, c.tag),
        "args": ["discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain", "cluster.local", "--keepaliveMaxServerConnectionAge", "30m"],
        "ports": [
            {"containerPort": 8080, "protocol": "TCP"},
            {"containerPort": 15010, "protocol": "TCP"},
            {"containerPort": 15017, "protocol": "TCP"},
        ],
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}, "initialDelaySeconds": 1, "periodSeconds": 3, "timeoutSeconds": 5},
        "env": env,
        "resources": resources_or(c, json!({"requests": {"cpu": "500m", "memory": "2048Mi"}})),
    });
    let mut objects = vec![service_account(ctx, "Pilot", &name, ns)];
    objects.push(obj(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterroles",
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": ctx.meta("Pilot", &format!("istiod-clusterrole-{}", plan.revised(ns)), None, &json!({"app": "istiod"})),
               "rules": [
                   {"apiGroups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["get", "list", "watch", "update", "patch"]},
                   {"apiGroups": ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"], "resources": ["*"], "verbs": ["get", "watch", "list"]},
                   {"apiGroups": [""], "resources": ["pods", "nodes", "services", "namespaces", "endpoints"], "verbs": ["get", "list", "watch"]},
                   {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create", "get", "list", "watch", "update"]},
               ]}),
    ));
    objects.push(obj(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": ctx.meta("Pilot", &format!("istiod-clusterrole-{}", plan.revised(ns)), None, &json!({"app": "istiod"})),
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": format!("istiod-clusterrole-{}", plan.revised(ns))},
               "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]}),
    ));
    let mesh =
        serde_saphyr::to_string(&plan.mesh_config).unwrap_or_else(|_| plan.mesh_config.to_string());
    objects.push(obj(
        "",
        "v1",
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": ctx.meta("Pilot", &plan.revised("istio"), Some(ns), &json!({"app": "istiod"})),
               "data": {"mesh": mesh, "meshNetworks": "networks: {}"}}),
    ));
    let policy = if plan.values["global"]["proxy"]["autoInject"].as_str() == Some("disabled") {
        "disabled"
    } else {
        "enabled"
    };
    let config = format!(
        "# defaultTemplates defines the default template to use for pods that do not explicitly specify a template\n\
         defaultTemplates: [sidecar]\npolicy: {policy}\nalwaysInjectSelector:\n  []\nneverInjectSelector:\n  []\n\
         injectedAnnotations:\ntemplate: \"{{{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}}}\"\n\
         templates:\n  sidecar: |\n    # the istio-init and istio-proxy containers (simulated by kubesim)\n"
    );
    objects.push(obj(
        "",
        "v1",
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": ctx.meta("Pilot", &plan.revised("istio-sidecar-injector"), Some(ns), &json!({"app": "sidecar-injector"})),
               "data": {"config": config, "values": serde_json::to_string_pretty(&plan.values).unwrap_or_default()}}),
    ));
    objects.push(deployment(
        ctx, "Pilot", &name, c, &labels, container, &name,
    ));
    objects.push(obj(
        "",
        "v1",
        "services",
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": ctx.meta("Pilot", &name, Some(ns), &json!({"app": "istiod", "istio": "pilot"})),
               "spec": {"type": "ClusterIP", "selector": {"app": "istiod", "istio.io/rev": plan.rev_label()},
                        "ports": [
                            {"name": "grpc-xds", "port": 15010, "protocol": "TCP", "targetPort": 15010},
                            {"name": "https-dns", "port": 15012, "protocol": "TCP", "targetPort": 15012},
                            {"name": "https-webhook", "port": 443, "protocol": "TCP", "targetPort": 15017},
                            {"name": "http-monitoring", "port": 15014, "protocol": "TCP", "targetPort": 15014},
                        ]}}),
    ));
    let mwc_name = {
        let mut n = plan.revised("istio-sidecar-injector");
        if ns != "istio-system" {
            n = format!("{n}-{ns}");
        }
        n
    };
    objects.push(obj(
        "admissionregistration.k8s.io",
        "v1",
        "mutatingwebhookconfigurations",
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
               "metadata": ctx.meta("Pilot", &mwc_name, None, &json!({"app": "sidecar-injector"})),
               "webhooks": injector::webhooks(&plan.revision, &name, ns, "")}),
    ));
    ComponentObjects {
        component: "Pilot",
        objects,
        workloads: vec![(ns.to_string(), name)],
    }
}

fn gateway(ctx: &Ctx, g: &Gateway) -> Vec<Object> {
    let c = &g.component;
    let ns = c.namespace.as_str();
    let labels: BTreeMap<String, String> = g.labels.clone();
    let labels = json!(labels);
    let component = g.kind.component();
    let sa = format!("{}-service-account", g.name);
    let mut container_ports: Vec<Value> = vec![json!({"containerPort": 15021, "protocol": "TCP"})];
    for p in &g.ports {
        if let Some(t) = p["targetPort"].as_i64()
            && !container_ports.iter().any(|c| c["containerPort"] == t)
        {
            container_ports.push(json!({"containerPort": t, "protocol": "TCP"}));
        }
    }
    container_ports
        .push(json!({"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}));
    let mut env = vec![
        json!({"name": "PILOT_CERT_PROVIDER", "value": "istiod"}),
        json!({"name": "CA_ADDR", "value": format!("{}.{}.svc:15012", ctx.plan.revised("istiod"), ctx.plan.namespace)}),
        json!({"name": "ISTIO_META_WORKLOAD_NAME", "value": g.name}),
        json!({"name": "ISTIO_META_OWNER", "value": format!("kubernetes://apis/apps/v1/namespaces/{ns}/deployments/{}", g.name)}),
        json!({"name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"}),
    ];
    env.extend(c.k8s.env.iter().cloned());
    let container = json!({
        "name": "istio-proxy",
        "image": format!("{}/proxyv2:{}", c.hub, c.tag),
        "args": ["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning",
                 "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"],
        "ports": container_ports,
        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021, "scheme": "HTTP"}, "failureThreshold": 30,
                           "initialDelaySeconds": 1, "periodSeconds": 2, "timeoutSeconds": 1},
        "env": env,
        "resources": resources_or(c, json!({"limits": {"cpu": "2000m", "memory": "1024Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}})),
    });
    let mut annotations = json!({});
    for (k, v) in &c.k8s.service_annotations {
        annotations[k] = json!(v);
    }
    let mut svc_meta = ctx.meta(component, &g.name, Some(ns), &labels);
    svc_meta["annotations"] = annotations;
    vec![
        service_account(ctx, component, &sa, ns),
        deployment(ctx, component, &g.name, c, &labels, container, &sa),
        obj(
            "",
            "v1",
            "services",
            json!({"apiVersion": "v1", "kind": "Service", "metadata": svc_meta,
                   "spec": {"type": g.service_type, "selector": labels, "ports": g.ports}}),
        ),
    ]
}

/// Every component's objects, in installation order (base, pilot, gateways).
pub fn render(plan: &Plan, owner: &str, owner_ns: &str) -> Vec<ComponentObjects> {
    let ctx = Ctx {
        plan,
        owner,
        owner_ns,
    };
    let mut out = Vec::new();
    if plan.base.is_some() {
        out.push(base(&ctx));
    }
    if let Some(c) = &plan.pilot {
        out.push(pilot(&ctx, c));
    }
    for kind in [GatewayKind::Ingress, GatewayKind::Egress] {
        let gws: Vec<&Gateway> = plan.gateways.iter().filter(|g| g.kind == kind).collect();
        if gws.is_empty() {
            continue;
        }
        let mut objects = Vec::new();
        let mut workloads = Vec::new();
        for g in gws {
            objects.extend(gateway(&ctx, g));
            workloads.push((g.component.namespace.clone(), g.name.clone()));
        }
        out.push(ComponentObjects {
            component: kind.component(),
            objects,
            workloads,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::istio::spec;

    fn rendered(spec_json: Value) -> Vec<ComponentObjects> {
        let iop = json!({"metadata": {"name": "installed-state", "namespace": "istio-system"}, "spec": spec_json});
        render(
            &spec::plan(&iop, "docker.io/istio", "1.23.0").unwrap(),
            "installed-state",
            "istio-system",
        )
    }

    fn find<'a>(cs: &'a [ComponentObjects], kind: &str, name: &str) -> &'a Value {
        cs.iter()
            .flat_map(|c| &c.objects)
            .map(|o| &o.body)
            .find(|b| b["kind"] == kind && b["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    }

    #[test]
    fn default_profile_renders_crds_istiod_and_the_ingress_gateway() {
        let cs = rendered(json!({}));
        let names: Vec<_> = cs.iter().map(|c| c.component).collect();
        assert_eq!(names, ["Base", "Pilot", "IngressGateways"]);
        let crd = find(
            &cs,
            "CustomResourceDefinition",
            "virtualservices.networking.istio.io",
        );
        let versions: Vec<_> = crd["spec"]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(versions, ["v1", "v1beta1", "v1alpha3"]);
        find(
            &cs,
            "CustomResourceDefinition",
            "authorizationpolicies.security.istio.io",
        );
        find(
            &cs,
            "CustomResourceDefinition",
            "telemetries.telemetry.istio.io",
        );
        find(
            &cs,
            "CustomResourceDefinition",
            "wasmplugins.extensions.istio.io",
        );
        let istiod = find(&cs, "Deployment", "istiod");
        assert_eq!(istiod["metadata"]["namespace"], "istio-system");
        assert_eq!(
            istiod["spec"]["template"]["spec"]["containers"][0]["image"],
            "docker.io/istio/pilot:1.23.0"
        );
        assert_eq!(
            istiod["spec"]["template"]["metadata"]["labels"]["app"],
            "istiod"
        );
        assert_eq!(
            istiod["spec"]["template"]["metadata"]["labels"]["istio.io/rev"],
            "default"
        );
        find(&cs, "Service", "istiod");
        let mesh = find(&cs, "ConfigMap", "istio");
        assert!(
            mesh["data"]["mesh"]
                .as_str()
                .unwrap()
                .contains("discoveryAddress")
        );
        let inj = find(&cs, "ConfigMap", "istio-sidecar-injector");
        let values: Value = serde_json::from_str(inj["data"]["values"].as_str().unwrap()).unwrap();
        assert_eq!(values["global"]["hub"], "docker.io/istio");
        assert!(
            inj["data"]["config"]
                .as_str()
                .unwrap()
                .contains("policy: enabled")
        );
        let mwc = find(
            &cs,
            "MutatingWebhookConfiguration",
            "istio-sidecar-injector",
        );
        assert_eq!(mwc["webhooks"].as_array().unwrap().len(), 4);
        let svc = find(&cs, "Service", "istio-ingressgateway");
        assert_eq!(svc["spec"]["type"], "LoadBalancer");
        assert_eq!(
            svc["spec"]["selector"],
            json!({"app": "istio-ingressgateway", "istio": "ingressgateway"})
        );
        assert_eq!(
            svc["spec"]["ports"][1],
            json!({"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080})
        );
        let gw = find(&cs, "Deployment", "istio-ingressgateway");
        let c = &gw["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["image"], "docker.io/istio/proxyv2:1.23.0");
        assert_eq!(c["args"][1], "router");
        assert_eq!(
            gw["spec"]["template"]["metadata"]["labels"]["istio"],
            "ingressgateway"
        );
        assert_eq!(
            gw["spec"]["template"]["spec"]["serviceAccountName"],
            "istio-ingressgateway-service-account"
        );
        for c in &cs {
            for o in &c.objects {
                assert_eq!(
                    o.body["metadata"]["labels"][OWNER_NAME],
                    "installed-state",
                    "{}",
                    o.describe()
                );
                assert_eq!(o.body["metadata"]["labels"][COMPONENT], c.component);
            }
        }
        assert_eq!(
            cs[1].workloads,
            [("istio-system".to_string(), "istiod".to_string())]
        );
        assert_eq!(
            cs[2].workloads,
            [(
                "istio-system".to_string(),
                "istio-ingressgateway".to_string()
            )]
        );
    }

    #[test]
    fn revisions_and_custom_namespaces_rename_control_plane_objects() {
        let cs = rendered(
            json!({"revision": "canary", "profile": "minimal", "values": {"global": {"istioNamespace": "mesh"}}}),
        );
        let d = find(&cs, "Deployment", "istiod-canary");
        assert_eq!(d["metadata"]["namespace"], "mesh");
        find(&cs, "ConfigMap", "istio-sidecar-injector-canary");
        find(&cs, "ConfigMap", "istio-canary");
        let mwc = find(
            &cs,
            "MutatingWebhookConfiguration",
            "istio-sidecar-injector-canary-mesh",
        );
        assert_eq!(mwc["webhooks"].as_array().unwrap().len(), 2);
        assert_eq!(
            mwc["webhooks"][0]["clientConfig"]["service"]["name"],
            "istiod-canary"
        );
    }

    #[test]
    fn gateway_overrides_reach_the_service_and_deployment() {
        let cs = rendered(
            json!({"profile": "demo", "components": {"ingressGateways": [{"name": "istio-ingressgateway", "enabled": true,
            "k8s": {"replicaCount": 2, "service": {"type": "NodePort"}, "serviceAnnotations": {"x": "y"}}}]}}),
        );
        let svc = find(&cs, "Service", "istio-ingressgateway");
        assert_eq!(svc["spec"]["type"], "NodePort");
        assert_eq!(svc["metadata"]["annotations"]["x"], "y");
        assert_eq!(
            find(&cs, "Deployment", "istio-ingressgateway")["spec"]["replicas"],
            2
        );
        let egress = find(&cs, "Service", "istio-egressgateway");
        assert_eq!(egress["spec"]["type"], "ClusterIP");
        assert_eq!(egress["metadata"]["labels"]["istio"], "egressgateway");
    }
}
