//! The built-in installation profiles of Istio 1.23 and the components each one turns on, plus the
//! list of components an IstioOperator asks for once its profile is applied.

use serde_json::{Value, json};

use super::merge;

/// Profiles the 1.23 operator knows.
pub const PROFILES: &[&str] = &[
    "ambient",
    "default",
    "demo",
    "empty",
    "minimal",
    "openshift",
    "openshift-ambient",
    "preview",
    "remote",
    "stable",
];

/// The `components` a profile sets (the default profile underneath every other one).
pub fn profile_components(profile: &str) -> Option<Value> {
    let default = json!({
        "base": {"enabled": true},
        "pilot": {"enabled": true},
        "ingressGateways": [{"name": "istio-ingressgateway", "enabled": true}],
        "egressGateways": [{"name": "istio-egressgateway", "enabled": false}],
    });
    let no_ingress =
        json!({"ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}]});
    let layer = match profile {
        "default" | "preview" | "stable" => json!({}),
        "demo" => json!({"egressGateways": [{"name": "istio-egressgateway", "enabled": true}]}),
        "minimal" => no_ingress,
        "empty" => json!({"base": {"enabled": false}, "pilot": {"enabled": false},
            "ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}]}),
        "remote" => json!({"base": {"enabled": false}, "pilot": {"enabled": false},
            "ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}],
            "istiodRemote": {"enabled": true}}),
        "ambient" => json!({"cni": {"enabled": true}, "ztunnel": {"enabled": true},
            "ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}]}),
        "openshift" => json!({"cni": {"enabled": true, "namespace": "kube-system"}}),
        "openshift-ambient" => json!({
            "cni": {"enabled": true, "namespace": "kube-system"},
            "ztunnel": {"enabled": true, "namespace": "kube-system"},
            "ingressGateways": [{"name": "istio-ingressgateway", "enabled": false}]}),
        _ => return None,
    };
    Some(overlay_components(default, &layer))
}

/// Overlays components, merging gateway lists by gateway name (a user's extra gateway keeps the
/// profile's gateways; one with the same name changes it).
pub fn overlay_components(mut base: Value, layer: &Value) -> Value {
    let Some(layer) = layer.as_object() else {
        return base;
    };
    for (key, value) in layer {
        if matches!(key.as_str(), "ingressGateways" | "egressGateways")
            && let (Some(Value::Array(existing)), Value::Array(added)) = (base.get_mut(key), value)
        {
            for gateway in added {
                let name = gateway.get("name").and_then(Value::as_str);
                match existing
                    .iter_mut()
                    .find(|g| name.is_some() && g.get("name").and_then(Value::as_str) == name)
                {
                    Some(found) => merge::overlay(found, gateway.clone()),
                    None => existing.push(gateway.clone()),
                }
            }
            continue;
        }
        if let Some(obj) = base.as_object_mut() {
            match obj.get_mut(key) {
                Some(existing) => merge::overlay(existing, value.clone()),
                None => {
                    obj.insert(key.clone(), value.clone());
                }
            }
        }
    }
    base
}

/// What kind of workload a component runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// CRDs and cluster-wide resources only.
    None,
    Deployment,
    DaemonSet,
}

/// A component the IstioOperator asks for, with the names its resources get.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Component {
    /// The key in the IstioOperator's `status.componentStatus` (Base, Pilot, IngressGateways, ...).
    pub status_key: &'static str,
    /// Its name as shown to people (istiod, istio-ingressgateway, istio-cni-node, ...).
    pub name: String,
    pub namespace: String,
    pub workload: Workload,
    /// Whether it has a Service of the same name that should have endpoints.
    pub service: bool,
}

/// The components `spec` turns on, with its profile applied underneath.
pub fn enabled_components(spec: &Value, default_namespace: &str) -> Vec<Component> {
    let profile = spec
        .get("profile")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let base = profile_components(profile)
        .unwrap_or_else(|| profile_components("default").unwrap_or_default());
    let components = overlay_components(base, spec.get("components").unwrap_or(&Value::Null));
    let revision = spec.get("revision").and_then(Value::as_str).unwrap_or("");
    let istio_namespace = spec
        .get("namespace")
        .and_then(Value::as_str)
        .or_else(|| {
            spec.pointer("/values/global/istioNamespace")
                .and_then(Value::as_str)
        })
        .unwrap_or(default_namespace)
        .to_string();
    let enabled = |c: &Value| c.get("enabled").and_then(Value::as_bool).unwrap_or(false);
    let namespace = |c: &Value| {
        c.get("namespace")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| istio_namespace.clone())
    };
    let suffixed = |name: &str| {
        if revision.is_empty() {
            name.to_string()
        } else {
            format!("{name}-{revision}")
        }
    };
    let mut out = Vec::new();
    let single: [(&str, &'static str, String, Workload, bool); 5] = [
        ("base", "Base", "base".to_string(), Workload::None, false),
        (
            "pilot",
            "Pilot",
            suffixed("istiod"),
            Workload::Deployment,
            true,
        ),
        (
            "istiodRemote",
            "IstiodRemote",
            "istiod-remote".to_string(),
            Workload::None,
            false,
        ),
        (
            "cni",
            "Cni",
            "istio-cni-node".to_string(),
            Workload::DaemonSet,
            false,
        ),
        (
            "ztunnel",
            "Ztunnel",
            "ztunnel".to_string(),
            Workload::DaemonSet,
            false,
        ),
    ];
    for (key, status_key, name, workload, service) in single {
        if let Some(c) = components.get(key).filter(|c| enabled(c)) {
            out.push(Component {
                status_key,
                name,
                namespace: namespace(c),
                workload,
                service,
            });
        }
    }
    for (key, status_key) in [
        ("ingressGateways", "IngressGateways"),
        ("egressGateways", "EgressGateways"),
    ] {
        for gateway in components
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|g| enabled(g))
        {
            let Some(name) = gateway.get("name").and_then(Value::as_str) else {
                continue;
            };
            out.push(Component {
                status_key,
                name: name.to_string(),
                namespace: namespace(gateway),
                workload: Workload::Deployment,
                service: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(spec: Value) -> Vec<String> {
        enabled_components(&spec, "istio-system")
            .into_iter()
            .map(|c| format!("{}/{}", c.namespace, c.name))
            .collect()
    }

    #[test]
    fn profiles_turn_on_their_components() {
        assert_eq!(
            names(json!({})),
            [
                "istio-system/base",
                "istio-system/istiod",
                "istio-system/istio-ingressgateway"
            ]
        );
        assert_eq!(names(json!({"profile": "empty"})), Vec::<String>::new());
        assert_eq!(
            names(json!({"profile": "demo", "revision": "canary"})),
            [
                "istio-system/base",
                "istio-system/istiod-canary",
                "istio-system/istio-ingressgateway",
                "istio-system/istio-egressgateway"
            ]
        );
        assert_eq!(
            names(
                json!({"profile": "empty", "components": {"ingressGateways": [
                {"name": "istio-ingressgateway", "enabled": true, "namespace": "my-namespace"}]}})
            ),
            ["my-namespace/istio-ingressgateway"]
        );
        assert_eq!(
            names(json!({"profile": "openshift-ambient"})),
            [
                "istio-system/base",
                "istio-system/istiod",
                "kube-system/istio-cni-node",
                "kube-system/ztunnel"
            ]
        );
    }

    /// Our profile table agrees with Istio's own 1.23 profile files (each overlaid on default.yaml).
    #[test]
    fn profile_table_matches_the_1_23_profiles() {
        let Some(dir) = kubesim::testkit::fixture("istio/profiles/1.23.0") else {
            return;
        };
        let read = |name: &str| -> Value {
            let text = std::fs::read_to_string(dir.join(format!("{name}.yaml"))).unwrap();
            let docs = crate::yaml::parse_located(&text).unwrap();
            docs[0]
                .value
                .pointer("/spec/components")
                .cloned()
                .unwrap_or(json!({}))
        };
        let default = read("default");
        for profile in PROFILES {
            let theirs = overlay_components(default.clone(), &read(profile));
            // Resolve both through the same code, on top of a profile that enables nothing.
            let a = names(json!({"profile": "empty", "components": theirs}));
            let b = names(
                json!({"profile": "empty", "components": profile_components(profile).unwrap()}),
            );
            assert_eq!(a, b, "profile {profile}");
        }
    }
}
