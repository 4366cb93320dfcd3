//! Custom injection templates: Go-template text given in `sidecarInjectorWebhook.templates` (or in
//! the injector ConfigMap), rendered with rigger's Go template engine against the same data
//! istiod gives templates (`SidecarTemplateData`: `.ObjectMeta`, `.Spec`, `.Values`, `.ProxyConfig`,
//! `.MeshConfig`, ...) and Istio's injection functions (`annotation`, `isset`, `valueOrDefault`,
//! `excludeInboundPort`, `fromJSON`, `toYaml`, `indent`, `contains` with Istio's argument order, ...).
//!
//! Kubernetes objects are presented with Go field names (`.Spec.Containers`, `$c.Name`,
//! `$c.ReadinessProbe.HTTPGet.Port`) and Go zero values for fields that are not set, as Go structs
//! would be.

use std::rc::Rc;

use serde_json::Value as Json;

use crate::gotmpl::{FuncMap, Templates, Ty as P, Value, gojson, strval};

use super::gotypes::{Decl, POD_SPEC_TY, Ty};
use super::render::{self, TemplateData};
use super::{InjectError, proxyconfig};

/// Renders a custom template to the partial pod it describes.
pub fn render(name: &str, text: &str, data: &TemplateData) -> Result<Json, InjectError> {
    let field = format!("sidecarInjectorWebhook.templates.{name}");
    let err = |m: String| InjectError {
        field: field.clone(),
        message: m,
    };
    let mut set = Templates::new(funcs(data));
    set.parse(name, text)
        .map_err(|e| err(format!("cannot parse the template: {e}")))?;
    let out = set
        .execute(name, &template_data(data))
        .map_err(|e| err(format!("cannot render the template: {e}")))?;
    let doc = crate::yaml::parse_document(&out, name)
        .map_err(|e| err(format!("the rendered template is not valid YAML: {e}")))?;
    Ok(match doc {
        Json::Null => Json::Object(Default::default()),
        other => other,
    })
}

/// The Go field name of a JSON field (`httpGet` -> `HTTPGet`, `containers` -> `Containers`).
pub fn go_field_name(json: &str) -> String {
    const SPECIAL: &[(&str, &str)] = &[
        ("apiVersion", "APIVersion"),
        ("uid", "UID"),
        ("httpGet", "HTTPGet"),
        ("httpHeaders", "HTTPHeaders"),
        ("tcpSocket", "TCPSocket"),
        ("grpc", "GRPC"),
        ("hostIP", "HostIP"),
        ("hostIPs", "HostIPs"),
        ("podIP", "PodIP"),
        ("podIPs", "PodIPs"),
        ("hostPID", "HostPID"),
        ("hostIPC", "HostIPC"),
        ("dnsPolicy", "DNSPolicy"),
        ("dnsConfig", "DNSConfig"),
        ("os", "OS"),
        ("tty", "TTY"),
        ("seLinuxOptions", "SELinuxOptions"),
        ("setHostnameAsFQDN", "SetHostnameAsFQDN"),
        ("ip", "IP"),
        ("fsGroup", "FSGroup"),
        ("csi", "CSI"),
        ("nfs", "NFS"),
        ("iscsi", "ISCSI"),
        ("rbd", "RBD"),
        ("fc", "FC"),
        ("downwardAPI", "DownwardAPI"),
        ("meshId", "MeshId"),
    ];
    if let Some((_, go)) = SPECIAL.iter().find(|(j, _)| *j == json) {
        return go.to_string();
    }
    let mut c = json.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Fields whose values are maps keyed by user data (their keys are not Go field names).
const DATA_MAPS: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "limits",
    "requests",
    "overhead",
    "matchLabels",
    "proxyMetadata",
    "runtimeValues",
    "data",
];

/// A JSON value as a Go struct of type `ty` would look to a template.
fn go_view(json: Option<&Json>, ty: &Ty, decl: Decl) -> Value {
    let absent = json.is_none_or(Json::is_null);
    match ty {
        Ty::Struct(def) => {
            if absent && decl == Decl::Pointer {
                return Value::Nil;
            }
            let obj = json.and_then(Json::as_object);
            let mut map = std::collections::BTreeMap::new();
            for field in def.fields {
                map.insert(
                    go_field_name(field.name),
                    go_view(obj.and_then(|o| o.get(field.name)), field.ty, field.decl),
                );
            }
            for (k, v) in obj.into_iter().flatten() {
                if def.field(k).is_none() {
                    map.insert(go_field_name(k), generic(k, v));
                }
            }
            Value::new_map(map)
        }
        _ if absent => match (ty, decl) {
            (_, Decl::Pointer) => Value::Nil,
            (Ty::Str | Ty::Quantity, _) => Value::from(""),
            (Ty::Int, _) => Value::Int(0),
            (Ty::Bool, _) => Value::Bool(false),
            _ => Value::Nil,
        },
        Ty::List(item) => Value::new_list(
            json.and_then(Json::as_array)
                .into_iter()
                .flatten()
                .map(|v| go_view(Some(v), item, Decl::Always))
                .collect(),
        ),
        Ty::Map(_) => Value::from_json_typed(json.unwrap_or(&Json::Null)),
        Ty::Opaque => generic("", json.unwrap_or(&Json::Null)),
        _ => Value::from_json_typed(json.unwrap_or(&Json::Null)),
    }
}

/// An untyped JSON value with Go field names on its objects (data maps keep their keys).
fn generic(key: &str, v: &Json) -> Value {
    match v {
        Json::Object(o) if DATA_MAPS.contains(&key) => Value::from_json_typed(v),
        Json::Object(o) => Value::new_map(
            o.iter()
                .map(|(k, v)| (go_field_name(k), generic(k, v)))
                .collect(),
        ),
        Json::Array(a) => Value::new_list(a.iter().map(|v| generic("", v)).collect()),
        other => Value::from_json_typed(other),
    }
}

fn template_data(d: &TemplateData) -> Value {
    let s = d.settings;
    let object_meta = {
        let mut m = std::collections::BTreeMap::new();
        m.insert(
            "Labels".to_string(),
            Value::from_json_typed(&Json::Object(d.labels.clone())),
        );
        m.insert(
            "Annotations".to_string(),
            Value::from_json_typed(&Json::Object(d.annotations.clone())),
        );
        m.insert("Name".to_string(), Value::from(d.pod_name.as_str()));
        m.insert(
            "Namespace".to_string(),
            Value::from(d.deploy_meta.namespace.as_str()),
        );
        Value::new_map(m)
    };
    let mut map = std::collections::BTreeMap::new();
    let kv = |k: &str, v: Value, map: &mut std::collections::BTreeMap<String, Value>| {
        map.insert(k.to_string(), v);
    };
    kv(
        "TypeMeta",
        Value::new_map(
            [
                ("Kind".to_string(), Value::from(d.type_meta.kind.as_str())),
                (
                    "APIVersion".to_string(),
                    Value::from(d.type_meta.api_version.as_str()),
                ),
            ]
            .into(),
        ),
        &mut map,
    );
    kv(
        "DeploymentMeta",
        Value::new_map(
            [
                ("Name".to_string(), Value::from(d.deploy_meta.name.as_str())),
                (
                    "Namespace".to_string(),
                    Value::from(d.deploy_meta.namespace.as_str()),
                ),
            ]
            .into(),
        ),
        &mut map,
    );
    kv("ObjectMeta", object_meta, &mut map);
    kv(
        "Spec",
        go_view(Some(d.spec), &POD_SPEC_TY, Decl::Always),
        &mut map,
    );
    kv(
        "ProxyConfig",
        generic("", &Json::Object(d.proxy_config.clone())),
        &mut map,
    );
    kv("MeshConfig", generic("", &s.mesh), &mut map);
    kv("Values", Value::from_json(&s.values), &mut map);
    kv("Revision", Value::from(s.revision.as_str()), &mut map);
    kv("ProxyImage", Value::from(d.proxy_image.as_str()), &mut map);
    kv(
        "ProxyInitImage",
        Value::from(d.proxy_init_image.as_str()),
        &mut map,
    );
    kv("ProxyUID", Value::Int(d.proxy_uid), &mut map);
    kv("ProxyGID", Value::Int(d.proxy_gid), &mut map);
    kv("NativeSidecars", Value::Bool(s.native_sidecars), &mut map);
    kv(
        "InboundTrafficPolicyMode",
        Value::from(render::inbound_traffic_policy_mode(s)),
        &mut map,
    );
    kv(
        "CompliancePolicy",
        Value::from(
            s.value("/pilot/env/COMPLIANCE_POLICY")
                .map(super::settings::go_sprint)
                .unwrap_or_default()
                .as_str(),
        ),
        &mut map,
    );
    Value::new_map(map)
}

fn string_map(v: &Value) -> Option<std::collections::BTreeMap<String, Value>> {
    v.as_map().map(|m| m.borrow().clone())
}

/// Ports of containers (TCP only), as Istio's `includeInboundPorts`/`applicationPorts`.
fn container_ports(v: &Value, skip_proxy: bool) -> String {
    let Value::List(list) = v else {
        return String::new();
    };
    let mut parts = Vec::new();
    for c in list.borrow().iter() {
        let Some(c) = string_map(c) else { continue };
        if skip_proxy && c.get("Name").map(strval).as_deref() == Some("istio-proxy") {
            continue;
        }
        if let Some(Value::List(ports)) = c.get("Ports") {
            for p in ports.borrow().iter() {
                let Some(p) = string_map(p) else { continue };
                let proto = p.get("Protocol").map(strval).unwrap_or_default();
                if proto == "UDP" || proto == "SCTP" {
                    continue;
                }
                parts.push(p.get("ContainerPort").map(strval).unwrap_or_default());
            }
        }
    }
    parts.join(",")
}

/// Go's `time.Duration.String()` of a protojson duration.
fn go_duration(text: &str) -> String {
    let Ok(ns) = proxyconfig::parse_duration(text) else {
        return text.to_string();
    };
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let ns = ns.abs();
    if ns < 1_000_000_000 {
        let (unit, div) = if ns < 1_000 {
            ("ns", 1)
        } else if ns < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{sign}{}{unit}", trim_fraction(ns as f64 / div as f64));
    }
    let secs = ns as f64 / 1e9;
    let h = (ns / 3_600_000_000_000) as i64;
    let m = ((ns / 60_000_000_000) % 60) as i64;
    let s = secs - (h * 3600 + m * 60) as f64;
    let mut out = sign.to_string();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{}s", trim_fraction(s)));
    out
}

fn trim_fraction(f: f64) -> String {
    let s = format!("{f:.9}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Sprig plus Istio's injection functions (which replace sprig's `contains`, `indent`, `toYaml`, `env`).
fn funcs(d: &TemplateData) -> FuncMap {
    let mut m = FuncMap::sprig();
    let proxy_config_json = Rc::new(proxyconfig::proxy_config_json(d.proxy_config));
    let pilot_env = d.settings.value("/pilot/env").cloned().unwrap_or_default();

    m.insert("isset", &[P::Any, P::Str], None, |a| {
        let key = strval(&a[1]);
        Ok(Value::Bool(
            string_map(&a[0]).is_some_and(|m| m.contains_key(&key)),
        ))
    });
    m.insert("annotation", &[P::Any, P::Str, P::Any], None, |a| {
        let name = strval(&a[1]);
        let found = string_map(&a[0])
            .and_then(|meta| meta.get("Annotations").cloned())
            .and_then(|ann| string_map(&ann))
            .and_then(|ann| ann.get(&name).cloned());
        Ok(match found {
            Some(v) => Value::from(strval(&v)),
            None => Value::from(a[2].to_go_string()),
        })
    });
    m.insert("valueOrDefault", &[P::Any, P::Any], None, |a| {
        let empty = matches!(&a[0], Value::Nil) || a[0].as_str() == Some("");
        Ok(if empty { a[1].clone() } else { a[0].clone() })
    });
    m.insert("excludeInboundPort", &[P::Any, P::Str], None, |a| {
        Ok(Value::from(render::exclude_inbound_port(
            &a[0].to_go_string(),
            &strval(&a[1]),
        )))
    });
    m.insert("includeInboundPorts", &[P::Any], None, |a| {
        Ok(Value::from(container_ports(&a[0], false)))
    });
    m.insert("applicationPorts", &[P::Any], None, |a| {
        Ok(Value::from(container_ports(&a[0], true)))
    });
    m.insert("kubevirtInterfaces", &[P::Str], None, |a| Ok(a[0].clone()));
    for name in ["toJSON", "toJson"] {
        m.insert(name, &[P::Any], None, |a| {
            Ok(Value::from(match &a[0] {
                Value::Nil => "{}".to_string(),
                v => gojson::marshal(v, None, true).unwrap_or_else(|_| "{}".into()),
            }))
        });
    }
    m.insert("fromJSON", &[P::Str], None, |a| {
        Ok(match serde_json::from_str::<Json>(&strval(&a[0])) {
            Ok(v) => Value::from_json(&v),
            Err(_) => Value::from("{}"),
        })
    });
    m.insert("structToJSON", &[P::Any], None, |a| {
        Ok(Value::from(match &a[0] {
            Value::Nil => "{}".to_string(),
            v => gojson::marshal(v, None, true).unwrap_or_else(|_| "{}".into()),
        }))
    });
    m.insert("protoToJSON", &[P::Any], None, move |_| {
        Ok(Value::from(proxy_config_json.as_str()))
    });
    m.insert("toYaml", &[P::Any], None, |a| {
        Ok(Value::from(match a[0].to_json() {
            Ok(j) => crate::yaml::to_go_yaml(&j),
            Err(_) => String::new(),
        }))
    });
    m.insert("indent", &[P::Int, P::Str], None, |a| {
        let n = match a[0] {
            Value::Int(n) => n.max(0) as usize,
            _ => 0,
        };
        let pad = " ".repeat(n);
        let text = strval(&a[1]);
        Ok(Value::from(
            text.split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        l.to_string()
                    } else {
                        format!("{pad}{l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    });
    m.insert("directory", &[P::Str], None, |a| {
        let p = strval(&a[0]);
        Ok(Value::from(match p.rfind('/') {
            Some(i) => p[..=i].to_string(),
            None => String::new(),
        }))
    });
    m.insert("contains", &[P::Str, P::Str], None, |a| {
        Ok(Value::Bool(strval(&a[1]).contains(strval(&a[0]).as_str())))
    });
    m.insert("toLower", &[P::Str], None, |a| {
        Ok(Value::from(strval(&a[0]).to_lowercase()))
    });
    m.insert("appendMultusNetwork", &[P::Str, P::Str], None, |a| {
        Ok(Value::from(render::append_multus_network(
            &strval(&a[0]),
            &strval(&a[1]),
        )))
    });
    m.insert("env", &[P::Str, P::Str], None, move |a| {
        let key = strval(&a[0]);
        Ok(match pilot_env.get(&key).map(super::settings::go_sprint) {
            Some(v) if !v.is_empty() => Value::from(v),
            _ => a[1].clone(),
        })
    });
    m.insert("omitNil", &[P::Any], None, |a| {
        let j = a[0].to_json().unwrap_or(Json::Null);
        Ok(Value::from_json(&omit_nil(&j)))
    });
    m.insert("formatDuration", &[P::Any], None, |a| {
        Ok(Value::from(go_duration(&strval(&a[0]))))
    });
    m
}

fn omit_nil(v: &Json) -> Json {
    match v {
        Json::Object(m) => Json::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), omit_nil(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Normalizes a container list the way the data was built, for tests.
#[cfg(test)]
fn view_of_spec(spec: &Json) -> Value {
    let mut s = spec.clone();
    super::gotypes::normalize(&mut s, &POD_SPEC_TY);
    go_view(Some(&s), &POD_SPEC_TY, Decl::Always)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_names() {
        assert_eq!(go_field_name("containers"), "Containers");
        assert_eq!(go_field_name("httpGet"), "HTTPGet");
        assert_eq!(go_field_name("apiVersion"), "APIVersion");
    }

    #[test]
    fn structs_have_go_zero_values() {
        let v = view_of_spec(&json!({"containers": [{"name": "a"}]}));
        let mut set = Templates::new(FuncMap::sprig());
        set.parse(
            "t",
            "{{ range .Containers }}[{{ .Name }}|{{ .Image }}|{{ .TTY }}|{{ if .ReadinessProbe }}probe{{ else }}none{{ end }}]{{ end }}",
        )
        .unwrap();
        assert_eq!(set.execute("t", &v).unwrap(), "[a||false|none]");
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration("45s"), "45s");
        assert_eq!(go_duration("90s"), "1m30s");
        assert_eq!(go_duration("1.500s"), "1.5s");
        assert_eq!(go_duration("3600s"), "1h0m0s");
    }
}
