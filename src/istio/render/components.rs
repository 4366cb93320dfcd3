//! The components an IstioOperator can turn on (Istio 1.24 and newer), the chart each renders,
//! and how a component's settings become the Helm values of its chart.

use serde_json::{Map, Value};

use super::paths::{get_bool, get_path, set_path};

/// One kind of component.
#[derive(Debug, PartialEq, Eq)]
pub struct ComponentDef {
    /// The user-facing name (istioctl's `operator.istio.io/component` label value).
    pub name: &'static str,
    /// The key under `spec.components`.
    pub spec_name: &'static str,
    /// On when `spec.components.<spec_name>` is absent.
    pub default_on: bool,
    /// A list of components (gateways) rather than one.
    pub multi: bool,
    /// The workload kind and name that `k8s` settings patch.
    pub resource_type: &'static str,
    pub resource_name: &'static str,
    /// The container that `k8s.env`/`resources`/... patch.
    pub container: &'static str,
    /// The chart, relative to `manifests/charts`.
    pub chart: &'static str,
    /// Where this component's settings live in the values (`pilot`, `gateways.istio-ingressgateway`).
    pub values_root: &'static str,
    /// The chart reads its settings at the top level rather than under `values_root`.
    pub flatten_values: bool,
    /// A values path that turns the component on as well.
    pub alt_enablement: Option<&'static str>,
    /// A short description for progress lines.
    pub title: &'static str,
}

impl ComponentDef {
    pub fn is_gateway(&self) -> bool {
        self.spec_name == "ingressGateways" || self.spec_name == "egressGateways"
    }
}

/// Every component, in istioctl's order.
pub static ALL: &[ComponentDef] = &[
    ComponentDef {
        name: "Base",
        spec_name: "base",
        default_on: true,
        multi: false,
        resource_type: "",
        resource_name: "",
        container: "",
        chart: "base",
        values_root: "global",
        flatten_values: false,
        alt_enablement: None,
        title: "Istio core",
    },
    ComponentDef {
        name: "Pilot",
        spec_name: "pilot",
        default_on: true,
        multi: false,
        resource_type: "Deployment",
        resource_name: "istiod",
        container: "discovery",
        chart: "istio-control/istio-discovery",
        values_root: "pilot",
        flatten_values: false,
        alt_enablement: None,
        title: "Istiod",
    },
    ComponentDef {
        name: "IngressGateways",
        spec_name: "ingressGateways",
        default_on: true,
        multi: true,
        resource_type: "Deployment",
        resource_name: "istio-ingressgateway",
        container: "istio-proxy",
        chart: "gateways/istio-ingress",
        values_root: "gateways.istio-ingressgateway",
        flatten_values: false,
        alt_enablement: Some("spec.values.gateways.istio-ingressgateway.enabled"),
        title: "Ingress gateways",
    },
    ComponentDef {
        name: "EgressGateways",
        spec_name: "egressGateways",
        default_on: false,
        multi: true,
        resource_type: "Deployment",
        resource_name: "istio-egressgateway",
        container: "istio-proxy",
        chart: "gateways/istio-egress",
        values_root: "gateways.istio-egressgateway",
        flatten_values: false,
        alt_enablement: Some("spec.values.gateways.istio-egressgateway.enabled"),
        title: "Egress gateways",
    },
    ComponentDef {
        name: "Cni",
        spec_name: "cni",
        default_on: false,
        multi: false,
        resource_type: "DaemonSet",
        resource_name: "istio-cni-node",
        container: "install-cni",
        chart: "istio-cni",
        values_root: "cni",
        flatten_values: false,
        alt_enablement: None,
        title: "CNI",
    },
    ComponentDef {
        name: "Ztunnel",
        spec_name: "ztunnel",
        default_on: false,
        multi: false,
        resource_type: "DaemonSet",
        resource_name: "ztunnel",
        container: "istio-proxy",
        chart: "ztunnel",
        values_root: "ztunnel",
        flatten_values: true,
        alt_enablement: None,
        title: "Ztunnel",
    },
];

/// One enabled instance of a component (a gateway list has one per entry).
#[derive(Debug, Clone)]
pub struct ComponentSpec {
    pub def: &'static ComponentDef,
    /// The gateway name (empty for single components).
    pub name: String,
    pub namespace: String,
    /// The raw `spec.components.<...>` entry (`{}` for a component on by default).
    pub raw: Value,
}

impl ComponentSpec {
    /// The name of the workload the `k8s` settings patch.
    pub fn resource_name(&self, merged: &Value) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        if self.def.spec_name == "pilot" {
            let rev = get_path(merged, "spec.values.revision")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !rev.is_empty() && rev != "default" {
                return format!("{}-{rev}", self.def.resource_name);
            }
        }
        self.def.resource_name.to_string()
    }

    pub fn k8s(&self) -> Option<&Value> {
        self.raw.get("k8s").filter(|v| !v.is_null())
    }

    fn hub(&self) -> Option<&str> {
        self.raw
            .get("hub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    fn tag(&self) -> Option<&Value> {
        self.raw.get("tag").filter(|v| !v.is_null())
    }

    fn label(&self) -> Value {
        match self.raw.get("label") {
            Some(Value::Object(m)) => Value::Object(m.clone()),
            _ => Value::Object(Map::new()),
        }
    }
}

/// The enabled instances of `def` in the merged IstioOperator.
pub fn enabled(def: &'static ComponentDef, merged: &Value) -> Vec<ComponentSpec> {
    let default_ns = get_path(merged, "metadata.namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let alt = def.alt_enablement.is_some_and(|p| get_bool(merged, p));
    let build = |raw: &Value| {
        let mut namespace = raw
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if namespace.is_empty() {
            namespace = default_ns.clone();
        }
        if namespace.is_empty() {
            namespace = "istio-system".to_string();
        }
        ComponentSpec {
            def,
            name: raw
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            namespace,
            raw: if raw.is_object() {
                raw.clone()
            } else {
                Value::Object(Map::new())
            },
        }
    };
    let on = |raw: &Value| raw.get("enabled").and_then(Value::as_bool).unwrap_or(true) || alt;
    let default = || {
        if def.default_on || alt {
            vec![build(&Value::Object(Map::new()))]
        } else {
            Vec::new()
        }
    };
    let path = format!("spec.components.{}", def.spec_name);
    match get_path(merged, &path) {
        None | Some(Value::Null) => default(),
        Some(Value::Array(items)) if def.multi => {
            items.iter().filter(|i| on(i)).map(build).collect()
        }
        Some(raw @ Value::Object(_)) if !def.multi => {
            if on(raw) {
                vec![build(raw)]
            } else {
                Vec::new()
            }
        }
        Some(_) => default(),
    }
}

/// The merged IstioOperator as this component's chart should see it: gateway name, labels and
/// ports, component hub/tag, and flattened values for charts that want them.
pub fn component_values(spec: &ComponentSpec, merged: &Value) -> Value {
    let def = spec.def;
    let mut merged = merged.clone();
    let root = def.values_root;
    if def.is_gateway() {
        set_path(
            &mut merged,
            &format!("spec.values.{root}.name"),
            Value::String(spec.name.clone()),
        );
        set_path(
            &mut merged,
            &format!("spec.values.{root}.labels"),
            spec.label(),
        );
        if let Some(Value::Array(ports)) = spec.k8s().and_then(|k| k.pointer("/service/ports"))
            && !ports.is_empty()
        {
            set_path(
                &mut merged,
                &format!("spec.values.{root}.ports"),
                Value::Array(ports.clone()),
            );
        }
    }
    if let Some(hub) = spec.hub() {
        set_path(
            &mut merged,
            &format!("spec.values.{root}.hub"),
            Value::String(hub.to_string()),
        );
    }
    if let Some(tag) = spec.tag() {
        let text = match tag {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        set_path(
            &mut merged,
            &format!("spec.values.{root}.tag"),
            crate::istio::iop::set::parse_value(&text),
        );
    }
    if def.flatten_values
        && let Some(Value::Object(component)) = get_path(&merged, &format!("spec.values.{root}"))
    {
        let component = component.clone();
        let values = get_path(&merged, "spec.values")
            .cloned()
            .unwrap_or(Value::Null);
        let mut flat = Map::new();
        flat.insert(
            "global".to_string(),
            values.get("global").cloned().unwrap_or(Value::Null),
        );
        if let Value::Object(all) = &values {
            for (k, v) in all {
                if !v.is_object() {
                    flat.insert(k.clone(), v.clone());
                }
            }
        }
        for (k, v) in component {
            flat.insert(k, v);
        }
        set_path(&mut merged, "spec.values", Value::Object(flat));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(spec_name: &str) -> &'static ComponentDef {
        ALL.iter().find(|d| d.spec_name == spec_name).unwrap()
    }

    #[test]
    fn defaults_lists_and_alternative_enablement() {
        let merged = json!({"metadata": {"namespace": "mesh"}, "spec": {"components": {
            "ingressGateways": [{"name": "a", "enabled": true}, {"name": "b", "enabled": false},
                                {"name": "c", "namespace": "gw"}],
            "cni": {"enabled": false}}}});
        let names: Vec<(String, String)> = enabled(def("ingressGateways"), &merged)
            .into_iter()
            .map(|s| (s.name, s.namespace))
            .collect();
        assert_eq!(
            names,
            [("a".into(), "mesh".into()), ("c".into(), "gw".into())]
        );
        assert_eq!(enabled(def("pilot"), &merged).len(), 1);
        assert!(enabled(def("cni"), &merged).is_empty());
        assert!(enabled(def("egressGateways"), &merged).is_empty());
        let alt = json!({"spec": {"values": {"gateways": {"istio-egressgateway": {"enabled": true}}},
            "components": {"egressGateways": [{"name": "e", "enabled": false}]}}});
        let specs = enabled(def("egressGateways"), &alt);
        assert_eq!(specs.len(), 1);
        assert_eq!(specs[0].namespace, "istio-system");
    }

    #[test]
    fn gateway_values_hub_tag_and_flattening() {
        let merged = json!({"spec": {"values": {"global": {"hub": "h"}, "revision": "",
            "ztunnel": {"resourceName": "zt", "x": {"y": 1}}, "pilot": {"a": 1}}}});
        let spec = ComponentSpec {
            def: def("ingressGateways"),
            name: "gw1".into(),
            namespace: "ns".into(),
            raw: json!({"name": "gw1", "label": {"x": "y"}, "hub": "myhub", "tag": 2,
                "k8s": {"service": {"ports": [{"port": 80}]}}}),
        };
        let v = component_values(&spec, &merged);
        let gw = &v["spec"]["values"]["gateways"]["istio-ingressgateway"];
        assert_eq!(
            gw,
            &json!({"name": "gw1", "labels": {"x": "y"}, "ports": [{"port": 80}], "hub": "myhub", "tag": 2})
        );
        let zt = ComponentSpec {
            def: def("ztunnel"),
            name: String::new(),
            namespace: "ns".into(),
            raw: json!({}),
        };
        let v = component_values(&zt, &merged);
        assert_eq!(
            v["spec"]["values"],
            json!({"global": {"hub": "h"}, "revision": "", "resourceName": "zt", "x": {"y": 1}})
        );
    }
}
