//! The shape of an IstioOperator (install.istio.io/v1alpha1, as of Istio 1.23): which fields exist
//! and what type each holds. istioctl and the operator reject unknown fields everywhere except in
//! the free-form parts (`values`, `meshConfig`, `unvalidatedValues`, labels/annotations, overlay
//! values), and so does rigger, before anything reaches the cluster.

use serde_json::Value;

/// What a value at some path may be.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    /// A mapping with exactly these fields.
    Object(&'static [(&'static str, Schema)]),
    /// A mapping with these typed fields; other fields are allowed (object metadata).
    OpenObject(&'static [(&'static str, Schema)]),
    /// Any mapping (free-form configuration such as `values` or `meshConfig`).
    AnyObject,
    /// A mapping of strings to strings (labels, annotations, nodeSelector).
    StringMap,
    /// A mapping of names to quantities (resources limits/requests).
    QuantityMap,
    /// A list whose items all have this shape.
    List(&'static Schema),
    String,
    Bool,
    Integer,
    Number,
    /// An integer or a string (a port name or a percentage).
    IntOrString,
    /// A Kubernetes quantity: `500m`, `2Gi` or a number.
    Quantity,
    /// A string or a number (an image tag such as `1.23.0` or `1.23`).
    StringOrNumber,
    /// Anything at all.
    Any,
}

use Schema::*;

/// One problem found in a document: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: std::string::String,
    pub message: std::string::String,
}

/// Checks `value` against `schema`, collecting every problem (not just the first).
pub fn check(value: &Value, schema: &Schema, path: &str, problems: &mut Vec<Problem>) {
    if value.is_null() {
        return; // an explicit null means "not set", as in istioctl
    }
    let mut problem = |message: std::string::String| {
        problems.push(Problem {
            path: path.to_string(),
            message,
        })
    };
    match schema {
        Object(fields) | OpenObject(fields) => {
            let Some(map) = value.as_object() else {
                return problem(expected("a mapping", value));
            };
            for (key, item) in map {
                let child = join(path, key);
                match fields.iter().find(|(name, _)| name == key) {
                    Some((_, schema)) => check(item, schema, &child, problems),
                    None if matches!(schema, OpenObject(_)) => {}
                    None => problems.push(Problem {
                        path: child,
                        message: unknown_field(key, fields),
                    }),
                }
            }
        }
        AnyObject if !value.is_object() => problem(expected("a mapping", value)),
        StringMap | QuantityMap => {
            let Some(map) = value.as_object() else {
                return problem(expected("a mapping", value));
            };
            let item_schema = if matches!(schema, StringMap) {
                String
            } else {
                Quantity
            };
            for (key, item) in map {
                check(item, &item_schema, &join(path, key), problems);
            }
        }
        List(item_schema) => {
            let Some(items) = value.as_array() else {
                return problem(expected("a list", value));
            };
            for (i, item) in items.iter().enumerate() {
                check(item, item_schema, &format!("{path}[{i}]"), problems);
            }
        }
        String if !value.is_string() => problem(expected("a string", value)),
        Bool if !value.is_boolean() => problem(expected("a boolean (true or false)", value)),
        Integer if !(value.is_i64() || value.is_u64()) => problem(expected("an integer", value)),
        Number if !value.is_number() => problem(expected("a number", value)),
        IntOrString if !(value.is_i64() || value.is_u64() || value.is_string()) => {
            problem(expected("an integer or a string", value))
        }
        Quantity | StringOrNumber if !(value.is_number() || value.is_string()) => {
            problem(expected("a string or a number", value))
        }
        _ => {}
    }
}

/// `a.b` + `c` → `a.b.c`.
pub fn join(path: &str, key: &str) -> std::string::String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn expected(what: &str, found: &Value) -> std::string::String {
    let kind = match found {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    };
    format!("expected {what}, found {kind}")
}

fn unknown_field(key: &str, fields: &[(&str, Schema)]) -> std::string::String {
    let best = fields
        .iter()
        .map(|(name, _)| {
            (
                edit_distance(&key.to_lowercase(), &name.to_lowercase()),
                *name,
            )
        })
        .min();
    match best {
        Some((distance, name)) if distance <= 2.max(key.len() / 4) => {
            format!("unknown field (did you mean \"{name}\"?)")
        }
        _ => "unknown field".to_string(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

// ---- Kubernetes types used in `k8s:` settings -------------------------------------------------

const STRINGS: Schema = List(&String);

const RESOURCES: Schema = Object(&[
    ("limits", QuantityMap),
    ("requests", QuantityMap),
    ("claims", List(&AnyObject)),
]);

const TOLERATION: Schema = Object(&[
    ("key", String),
    ("operator", String),
    ("value", String),
    ("effect", String),
    ("tolerationSeconds", Integer),
]);

/// A list of Kubernetes tolerations (also checked inside Helm values).
pub const TOLERATIONS: Schema = List(&TOLERATION);

const OBJECT_FIELD_SELECTOR: Schema = Object(&[("apiVersion", String), ("fieldPath", String)]);
const RESOURCE_FIELD_SELECTOR: Schema = Object(&[
    ("containerName", String),
    ("resource", String),
    ("divisor", Quantity),
]);
const KEY_SELECTOR: Schema = Object(&[("name", String), ("key", String), ("optional", Bool)]);
const ENV_VAR_SOURCE: Schema = Object(&[
    ("fieldRef", OBJECT_FIELD_SELECTOR),
    ("resourceFieldRef", RESOURCE_FIELD_SELECTOR),
    ("configMapKeyRef", KEY_SELECTOR),
    ("secretKeyRef", KEY_SELECTOR),
]);
const ENV_VAR: Schema = Object(&[
    ("name", String),
    ("value", String),
    ("valueFrom", ENV_VAR_SOURCE),
]);

const LABEL_SELECTOR_REQUIREMENT: Schema =
    Object(&[("key", String), ("operator", String), ("values", STRINGS)]);
const LABEL_SELECTOR: Schema = Object(&[
    ("matchLabels", StringMap),
    ("matchExpressions", List(&LABEL_SELECTOR_REQUIREMENT)),
]);
const NODE_SELECTOR_TERM: Schema = Object(&[
    ("matchExpressions", List(&LABEL_SELECTOR_REQUIREMENT)),
    ("matchFields", List(&LABEL_SELECTOR_REQUIREMENT)),
]);
const PREFERRED_SCHEDULING_TERM: Schema =
    Object(&[("weight", Integer), ("preference", NODE_SELECTOR_TERM)]);
const NODE_AFFINITY: Schema = Object(&[
    (
        "requiredDuringSchedulingIgnoredDuringExecution",
        Object(&[("nodeSelectorTerms", List(&NODE_SELECTOR_TERM))]),
    ),
    (
        "preferredDuringSchedulingIgnoredDuringExecution",
        List(&PREFERRED_SCHEDULING_TERM),
    ),
]);
const POD_AFFINITY_TERM: Schema = Object(&[
    ("labelSelector", LABEL_SELECTOR),
    ("namespaces", STRINGS),
    ("topologyKey", String),
    ("namespaceSelector", LABEL_SELECTOR),
    ("matchLabelKeys", STRINGS),
    ("mismatchLabelKeys", STRINGS),
]);
const WEIGHTED_POD_AFFINITY_TERM: Schema =
    Object(&[("weight", Integer), ("podAffinityTerm", POD_AFFINITY_TERM)]);
const POD_AFFINITY: Schema = Object(&[
    (
        "requiredDuringSchedulingIgnoredDuringExecution",
        List(&POD_AFFINITY_TERM),
    ),
    (
        "preferredDuringSchedulingIgnoredDuringExecution",
        List(&WEIGHTED_POD_AFFINITY_TERM),
    ),
]);
const AFFINITY: Schema = Object(&[
    ("nodeAffinity", NODE_AFFINITY),
    ("podAffinity", POD_AFFINITY),
    ("podAntiAffinity", POD_AFFINITY),
]);

const HPA_SPEC: Schema = Object(&[
    (
        "scaleTargetRef",
        Object(&[("kind", String), ("name", String), ("apiVersion", String)]),
    ),
    ("minReplicas", Integer),
    ("maxReplicas", Integer),
    ("targetCPUUtilizationPercentage", Integer),
    ("metrics", List(&AnyObject)),
    ("behavior", AnyObject),
]);

const PDB_SPEC: Schema = Object(&[
    ("minAvailable", IntOrString),
    ("maxUnavailable", IntOrString),
    ("selector", LABEL_SELECTOR),
    ("unhealthyPodEvictionPolicy", String),
]);

const HTTP_HEADER: Schema = Object(&[("name", String), ("value", String)]);
const PROBE: Schema = Object(&[
    ("exec", Object(&[("command", STRINGS)])),
    (
        "httpGet",
        Object(&[
            ("path", String),
            ("port", IntOrString),
            ("host", String),
            ("scheme", String),
            ("httpHeaders", List(&HTTP_HEADER)),
        ]),
    ),
    (
        "tcpSocket",
        Object(&[("port", IntOrString), ("host", String)]),
    ),
    ("grpc", Object(&[("port", Integer), ("service", String)])),
    ("initialDelaySeconds", Integer),
    ("timeoutSeconds", Integer),
    ("periodSeconds", Integer),
    ("successThreshold", Integer),
    ("failureThreshold", Integer),
    ("terminationGracePeriodSeconds", Integer),
]);

const SERVICE_PORT: Schema = Object(&[
    ("name", String),
    ("protocol", String),
    ("appProtocol", String),
    ("port", Integer),
    ("targetPort", IntOrString),
    ("nodePort", Integer),
]);
const SERVICE_SPEC: Schema = Object(&[
    ("ports", List(&SERVICE_PORT)),
    ("selector", StringMap),
    ("clusterIP", String),
    ("clusterIPs", STRINGS),
    ("type", String),
    ("externalIPs", STRINGS),
    ("sessionAffinity", String),
    ("loadBalancerIP", String),
    ("loadBalancerSourceRanges", STRINGS),
    ("loadBalancerClass", String),
    ("externalName", String),
    ("externalTrafficPolicy", String),
    ("internalTrafficPolicy", String),
    ("healthCheckNodePort", Integer),
    ("publishNotReadyAddresses", Bool),
    ("sessionAffinityConfig", AnyObject),
    ("ipFamilies", STRINGS),
    ("ipFamilyPolicy", String),
    ("allocateLoadBalancerNodePorts", Bool),
    ("trafficDistribution", String),
]);

const STRATEGY: Schema = Object(&[
    ("type", String),
    (
        "rollingUpdate",
        Object(&[("maxUnavailable", IntOrString), ("maxSurge", IntOrString)]),
    ),
]);

const POD_SECURITY_CONTEXT: Schema = Object(&[
    ("seLinuxOptions", AnyObject),
    ("windowsOptions", AnyObject),
    ("runAsUser", Integer),
    ("runAsGroup", Integer),
    ("runAsNonRoot", Bool),
    ("supplementalGroups", List(&Integer)),
    ("supplementalGroupsPolicy", String),
    ("fsGroup", Integer),
    (
        "sysctls",
        List(&Object(&[("name", String), ("value", String)])),
    ),
    ("fsGroupChangePolicy", String),
    ("seccompProfile", AnyObject),
    ("appArmorProfile", AnyObject),
    ("seLinuxChangePolicy", String),
]);

const OVERLAY_PATCH: Schema = Object(&[("path", String), ("value", Any)]);
const OVERLAY: Schema = Object(&[
    ("apiVersion", String),
    ("kind", String),
    ("name", String),
    ("patches", List(&OVERLAY_PATCH)),
]);

/// `k8s:` of a component: the Kubernetes settings of its Deployment/DaemonSet and Service.
pub const K8S: Schema = Object(&[
    ("affinity", AFFINITY),
    ("env", List(&ENV_VAR)),
    ("hpaSpec", HPA_SPEC),
    ("imagePullPolicy", String),
    ("nodeSelector", StringMap),
    ("podDisruptionBudget", PDB_SPEC),
    ("podAnnotations", StringMap),
    ("priorityClassName", String),
    ("readinessProbe", PROBE),
    ("replicaCount", Integer),
    ("resources", RESOURCES),
    ("service", SERVICE_SPEC),
    ("strategy", STRATEGY),
    ("tolerations", List(&TOLERATION)),
    ("serviceAnnotations", StringMap),
    ("securityContext", POD_SECURITY_CONTEXT),
    ("volumes", List(&AnyObject)),
    ("volumeMounts", List(&AnyObject)),
    ("overlays", List(&OVERLAY)),
]);

// ---- IstioOperator ----------------------------------------------------------------------------

const BASE_COMPONENT: Schema = Object(&[("enabled", Bool), ("k8s", K8S)]);
const COMPONENT: Schema = Object(&[
    ("enabled", Bool),
    ("namespace", String),
    ("hub", String),
    ("tag", StringOrNumber),
    ("spec", AnyObject),
    ("k8s", K8S),
]);
const GATEWAY: Schema = Object(&[
    ("enabled", Bool),
    ("namespace", String),
    ("name", String),
    ("label", StringMap),
    ("hub", String),
    ("tag", StringOrNumber),
    ("k8s", K8S),
]);
const COMPONENTS: Schema = Object(&[
    ("base", BASE_COMPONENT),
    ("pilot", COMPONENT),
    ("cni", COMPONENT),
    ("ztunnel", COMPONENT),
    ("istiodRemote", COMPONENT),
    ("ingressGateways", List(&GATEWAY)),
    ("egressGateways", List(&GATEWAY)),
]);

/// `spec:` of an IstioOperator.
pub const SPEC: Schema = Object(&[
    ("profile", String),
    ("installPackagePath", String),
    ("hub", String),
    ("tag", StringOrNumber),
    ("resourceSuffix", String),
    ("namespace", String),
    ("revision", String),
    ("compatibilityVersion", String),
    ("meshConfig", AnyObject),
    ("components", COMPONENTS),
    ("values", AnyObject),
    ("unvalidatedValues", AnyObject),
]);

const METADATA: Schema = OpenObject(&[
    ("name", String),
    ("namespace", String),
    ("labels", StringMap),
    ("annotations", StringMap),
]);

/// A whole IstioOperator object.
pub const ISTIO_OPERATOR: Schema = Object(&[
    ("apiVersion", String),
    ("kind", String),
    ("metadata", METADATA),
    ("spec", SPEC),
    ("status", Any),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(value: Value) -> Vec<(std::string::String, std::string::String)> {
        let mut found = Vec::new();
        check(&value, &ISTIO_OPERATOR, "", &mut found);
        found.into_iter().map(|p| (p.path, p.message)).collect()
    }

    #[test]
    fn accepts_real_settings() {
        let iop = json!({
            "apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
            "metadata": {"name": "x", "namespace": "istio-system", "uid": "u"},
            "spec": {"profile": "demo", "tag": 1.23, "meshConfig": {"accessLogFile": "/dev/stdout"},
              "values": {"global": {"anything": [1, 2]}},
              "components": {"pilot": {"k8s": {"resources": {"requests": {"cpu": "1000m", "memory": 4096}},
                  "hpaSpec": {"maxReplicas": 10, "minReplicas": 2},
                  "env": [{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                  "overlays": [{"kind": "Deployment", "name": "istiod", "patches": [{"path": "a.b", "value": {"x": 1}}]}]}},
                "ingressGateways": [{"name": "gw", "enabled": true, "label": {"app": "gw"},
                  "k8s": {"service": {"ports": [{"port": 80, "targetPort": 8080, "name": "http"}]},
                          "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
                          "strategy": {"rollingUpdate": {"maxSurge": "100%"}}}}]}}
        });
        assert_eq!(problems(iop), vec![]);
    }

    #[test]
    fn reports_unknown_fields_and_wrong_types_with_paths() {
        let iop = json!({
            "apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
            "spec": {"components": {"ingressGateways": [{"k8s": {"tolerations": [{"thats": 1}]}}],
                "pilot": {"enabled": "yes", "k8s": {"replicaCount": "two", "resoures": {}}}},
              "values": 3}
        });
        let found = problems(iop);
        assert!(found.contains(&(
            "spec.components.ingressGateways[0].k8s.tolerations[0].thats".into(),
            "unknown field".into()
        )));
        assert!(found.contains(&(
            "spec.components.pilot.enabled".into(),
            "expected a boolean (true or false), found the string \"yes\"".into()
        )));
        assert!(found.contains(&(
            "spec.components.pilot.k8s.replicaCount".into(),
            "expected an integer, found the string \"two\"".into()
        )));
        assert!(found.contains(&(
            "spec.components.pilot.k8s.resoures".into(),
            "unknown field (did you mean \"resources\"?)".into()
        )));
        assert!(found.contains(&(
            "spec.values".into(),
            "expected a mapping, found the number 3".into()
        )));
        assert_eq!(found.len(), 5, "{found:?}");
    }
}
