//! The shape of the Kubernetes Go types that injection touches (Pod, PodSpec, Container and the
//! types inside them): field order, `omitempty`, pointer-ness, quantities and strategic-merge keys.
//!
//! Istio runs every step of injection through these Go structs, which has visible effects on the
//! output: zero values of `omitempty` fields disappear (`initialDelaySeconds: 0`), quantities are
//! canonicalized (`2000m` -> `2`), a container always has `resources: {}`, and JSON written by Go
//! (the `proxy.istio.io/overrides` annotation, `ISTIO_META_POD_PORTS`) has fields in struct order.
//! This module reproduces those effects on `serde_json::Value`s. Fields it does not know are kept
//! as they are (so newer Kubernetes fields pass through) and sorted after the known ones.

use serde_json::{Map, Value};

use super::quantity;

/// The type of a field.
#[derive(Debug)]
pub enum Ty {
    Str,
    Int,
    Bool,
    /// `resource.Quantity`: a string (or number) canonicalized on output.
    Quantity,
    /// `intstr.IntOrString`: kept as written (number or string).
    IntOrString,
    Struct(&'static StructDef),
    List(&'static Ty),
    /// `map[string]T`
    Map(&'static Ty),
    /// Anything else: kept exactly as written.
    Opaque,
}

/// How a field is declared in Go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decl {
    /// A value field with `omitempty`: its zero value is left out.
    OmitEmpty,
    /// A value field without `omitempty`: always written, zero value included.
    Always,
    /// A pointer field: left out when absent or null, written as is otherwise (even `false`/`0`).
    Pointer,
}

/// The strategic-merge-patch strategy of a list field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Lists are replaced by the patch (the default).
    Replace,
    /// Lists of maps are merged by this key.
    ByKey(&'static str),
    /// Lists of scalars are merged as a set.
    Set,
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: &'static Ty,
    pub decl: Decl,
    pub merge: Merge,
}

#[derive(Debug)]
pub struct StructDef {
    pub fields: &'static [Field],
}

impl StructDef {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, ty: &'static Ty, decl: Decl) -> Field {
    Field {
        name,
        ty,
        decl,
        merge: Merge::Replace,
    }
}

const fn keyed(name: &'static str, ty: &'static Ty, key: &'static str) -> Field {
    Field {
        name,
        ty,
        decl: Decl::OmitEmpty,
        merge: Merge::ByKey(key),
    }
}

use Decl::{Always, OmitEmpty, Pointer};

static STR: Ty = Ty::Str;
static INT: Ty = Ty::Int;
static BOOL: Ty = Ty::Bool;
static OPAQUE: Ty = Ty::Opaque;
static INT_OR_STRING: Ty = Ty::IntOrString;
static QUANTITY: Ty = Ty::Quantity;
static STR_LIST: Ty = Ty::List(&STR);
static STR_MAP: Ty = Ty::Map(&STR);
static RESOURCE_LIST: Ty = Ty::Map(&QUANTITY);

// --- Pod ---------------------------------------------------------------------------------------

pub static POD: StructDef = StructDef {
    fields: &[
        f("apiVersion", &STR, OmitEmpty),
        f("kind", &STR, OmitEmpty),
        f("metadata", &OBJECT_META_TY, Always),
        f("spec", &POD_SPEC_TY, Always),
        f("status", &OPAQUE, Always),
    ],
};
pub static POD_TY: Ty = Ty::Struct(&POD);

pub static OBJECT_META: StructDef = StructDef {
    fields: &[
        f("name", &STR, OmitEmpty),
        f("generateName", &STR, OmitEmpty),
        f("namespace", &STR, OmitEmpty),
        f("labels", &STR_MAP, OmitEmpty),
        f("annotations", &STR_MAP, OmitEmpty),
        keyed("ownerReferences", &OPAQUE_LIST, "uid"),
        Field {
            name: "finalizers",
            ty: &STR_LIST,
            decl: OmitEmpty,
            merge: Merge::Set,
        },
    ],
};
static OBJECT_META_TY: Ty = Ty::Struct(&OBJECT_META);
static OPAQUE_LIST: Ty = Ty::List(&OPAQUE);

pub static POD_SPEC: StructDef = StructDef {
    fields: &[
        keyed("volumes", &VOLUME_LIST, "name"),
        keyed("initContainers", &CONTAINER_LIST, "name"),
        keyed("containers", &CONTAINER_LIST, "name"),
        keyed("ephemeralContainers", &OPAQUE_LIST, "name"),
        f("restartPolicy", &STR, OmitEmpty),
        f("terminationGracePeriodSeconds", &INT, Pointer),
        f("activeDeadlineSeconds", &INT, Pointer),
        f("dnsPolicy", &STR, OmitEmpty),
        f("nodeSelector", &STR_MAP, OmitEmpty),
        f("serviceAccountName", &STR, OmitEmpty),
        f("serviceAccount", &STR, OmitEmpty),
        f("automountServiceAccountToken", &BOOL, Pointer),
        f("nodeName", &STR, OmitEmpty),
        f("hostNetwork", &BOOL, OmitEmpty),
        f("hostPID", &BOOL, OmitEmpty),
        f("hostIPC", &BOOL, OmitEmpty),
        f("shareProcessNamespace", &BOOL, Pointer),
        f("securityContext", &OPAQUE, Pointer),
        keyed("imagePullSecrets", &LOCAL_OBJECT_REFERENCE_LIST, "name"),
        f("hostname", &STR, OmitEmpty),
        f("subdomain", &STR, OmitEmpty),
        f("affinity", &OPAQUE, Pointer),
        f("schedulerName", &STR, OmitEmpty),
        f("tolerations", &OPAQUE_LIST, OmitEmpty),
        keyed("hostAliases", &OPAQUE_LIST, "ip"),
        f("priorityClassName", &STR, OmitEmpty),
        f("priority", &INT, Pointer),
        f("dnsConfig", &OPAQUE, Pointer),
        f("readinessGates", &OPAQUE_LIST, OmitEmpty),
        f("runtimeClassName", &STR, Pointer),
        f("enableServiceLinks", &BOOL, Pointer),
        f("preemptionPolicy", &STR, Pointer),
        f("overhead", &RESOURCE_LIST, OmitEmpty),
        keyed("topologySpreadConstraints", &OPAQUE_LIST, "topologyKey"),
        f("setHostnameAsFQDN", &BOOL, Pointer),
        f("os", &OPAQUE, Pointer),
        f("hostUsers", &BOOL, Pointer),
        keyed("schedulingGates", &OPAQUE_LIST, "name"),
        keyed("resourceClaims", &OPAQUE_LIST, "name"),
        f("resources", &RESOURCES_TY, Pointer),
        f("hostnameOverride", &STR, Pointer),
    ],
};
pub static POD_SPEC_TY: Ty = Ty::Struct(&POD_SPEC);

static LOCAL_OBJECT_REFERENCE: StructDef = StructDef {
    fields: &[f("name", &STR, OmitEmpty)],
};
static LOCAL_OBJECT_REFERENCE_TY: Ty = Ty::Struct(&LOCAL_OBJECT_REFERENCE);
static LOCAL_OBJECT_REFERENCE_LIST: Ty = Ty::List(&LOCAL_OBJECT_REFERENCE_TY);

/// A volume: its name, and one volume source (kept as written, `null` sources dropped).
static VOLUME: StructDef = StructDef {
    fields: &[f("name", &STR, Always)],
};
static VOLUME_TY: Ty = Ty::Struct(&VOLUME);
static VOLUME_LIST: Ty = Ty::List(&VOLUME_TY);

// --- Container ---------------------------------------------------------------------------------

pub static CONTAINER: StructDef = StructDef {
    fields: &[
        f("name", &STR, Always),
        f("image", &STR, OmitEmpty),
        f("command", &STR_LIST, OmitEmpty),
        f("args", &STR_LIST, OmitEmpty),
        f("workingDir", &STR, OmitEmpty),
        keyed("ports", &CONTAINER_PORT_LIST, "containerPort"),
        f("envFrom", &OPAQUE_LIST, OmitEmpty),
        keyed("env", &ENV_VAR_LIST, "name"),
        f("resources", &RESOURCES_TY, Always),
        f("resizePolicy", &OPAQUE_LIST, OmitEmpty),
        f("restartPolicy", &STR, Pointer),
        f("restartPolicyRules", &OPAQUE_LIST, OmitEmpty),
        keyed("volumeMounts", &VOLUME_MOUNT_LIST, "mountPath"),
        keyed("volumeDevices", &OPAQUE_LIST, "devicePath"),
        f("livenessProbe", &PROBE_TY, Pointer),
        f("readinessProbe", &PROBE_TY, Pointer),
        f("startupProbe", &PROBE_TY, Pointer),
        f("lifecycle", &LIFECYCLE_TY, Pointer),
        f("terminationMessagePath", &STR, OmitEmpty),
        f("terminationMessagePolicy", &STR, OmitEmpty),
        f("imagePullPolicy", &STR, OmitEmpty),
        f("securityContext", &SECURITY_CONTEXT_TY, Pointer),
        f("stdin", &BOOL, OmitEmpty),
        f("stdinOnce", &BOOL, OmitEmpty),
        f("tty", &BOOL, OmitEmpty),
    ],
};
pub static CONTAINER_TY: Ty = Ty::Struct(&CONTAINER);
static CONTAINER_LIST: Ty = Ty::List(&CONTAINER_TY);

pub static CONTAINER_PORT: StructDef = StructDef {
    fields: &[
        f("name", &STR, OmitEmpty),
        f("hostPort", &INT, OmitEmpty),
        f("containerPort", &INT, Always),
        f("protocol", &STR, OmitEmpty),
        f("hostIP", &STR, OmitEmpty),
    ],
};
pub static CONTAINER_PORT_TY: Ty = Ty::Struct(&CONTAINER_PORT);
static CONTAINER_PORT_LIST: Ty = Ty::List(&CONTAINER_PORT_TY);

static ENV_VAR: StructDef = StructDef {
    fields: &[
        f("name", &STR, Always),
        f("value", &STR, OmitEmpty),
        f("valueFrom", &ENV_VAR_SOURCE_TY, Pointer),
    ],
};
static ENV_VAR_TY: Ty = Ty::Struct(&ENV_VAR);
static ENV_VAR_LIST: Ty = Ty::List(&ENV_VAR_TY);

static ENV_VAR_SOURCE: StructDef = StructDef {
    fields: &[
        f("fieldRef", &FIELD_SELECTOR_TY, Pointer),
        f("resourceFieldRef", &RESOURCE_FIELD_SELECTOR_TY, Pointer),
        f("configMapKeyRef", &OPAQUE, Pointer),
        f("secretKeyRef", &OPAQUE, Pointer),
        f("fileKeyRef", &OPAQUE, Pointer),
    ],
};
static ENV_VAR_SOURCE_TY: Ty = Ty::Struct(&ENV_VAR_SOURCE);

static FIELD_SELECTOR: StructDef = StructDef {
    fields: &[
        f("apiVersion", &STR, OmitEmpty),
        f("fieldPath", &STR, Always),
    ],
};
static FIELD_SELECTOR_TY: Ty = Ty::Struct(&FIELD_SELECTOR);

static RESOURCE_FIELD_SELECTOR: StructDef = StructDef {
    fields: &[
        f("containerName", &STR, OmitEmpty),
        f("resource", &STR, Always),
        // A Quantity is a struct in Go: `omitempty` does not drop it, so a missing divisor is "0".
        f("divisor", &QUANTITY, Always),
    ],
};
static RESOURCE_FIELD_SELECTOR_TY: Ty = Ty::Struct(&RESOURCE_FIELD_SELECTOR);

static RESOURCES: StructDef = StructDef {
    fields: &[
        f("limits", &RESOURCE_LIST, OmitEmpty),
        f("requests", &RESOURCE_LIST, OmitEmpty),
        f("claims", &OPAQUE_LIST, OmitEmpty),
    ],
};
static RESOURCES_TY: Ty = Ty::Struct(&RESOURCES);

static VOLUME_MOUNT: StructDef = StructDef {
    fields: &[
        f("name", &STR, Always),
        f("readOnly", &BOOL, OmitEmpty),
        f("recursiveReadOnly", &STR, Pointer),
        f("mountPath", &STR, Always),
        f("subPath", &STR, OmitEmpty),
        f("mountPropagation", &STR, Pointer),
        f("subPathExpr", &STR, OmitEmpty),
    ],
};
static VOLUME_MOUNT_TY: Ty = Ty::Struct(&VOLUME_MOUNT);
static VOLUME_MOUNT_LIST: Ty = Ty::List(&VOLUME_MOUNT_TY);

pub static PROBE: StructDef = StructDef {
    fields: &[
        f("exec", &EXEC_ACTION_TY, Pointer),
        f("httpGet", &HTTP_GET_ACTION_TY, Pointer),
        f("tcpSocket", &TCP_SOCKET_ACTION_TY, Pointer),
        f("grpc", &GRPC_ACTION_TY, Pointer),
        f("initialDelaySeconds", &INT, OmitEmpty),
        f("timeoutSeconds", &INT, OmitEmpty),
        f("periodSeconds", &INT, OmitEmpty),
        f("successThreshold", &INT, OmitEmpty),
        f("failureThreshold", &INT, OmitEmpty),
        f("terminationGracePeriodSeconds", &INT, Pointer),
    ],
};
static PROBE_TY: Ty = Ty::Struct(&PROBE);

static EXEC_ACTION: StructDef = StructDef {
    fields: &[f("command", &STR_LIST, OmitEmpty)],
};
static EXEC_ACTION_TY: Ty = Ty::Struct(&EXEC_ACTION);

pub static HTTP_GET_ACTION: StructDef = StructDef {
    fields: &[
        f("path", &STR, OmitEmpty),
        f("port", &INT_OR_STRING, Always),
        f("host", &STR, OmitEmpty),
        f("scheme", &STR, OmitEmpty),
        f("httpHeaders", &OPAQUE_LIST, OmitEmpty),
    ],
};
pub static HTTP_GET_ACTION_TY: Ty = Ty::Struct(&HTTP_GET_ACTION);

pub static TCP_SOCKET_ACTION: StructDef = StructDef {
    fields: &[
        f("port", &INT_OR_STRING, Always),
        f("host", &STR, OmitEmpty),
    ],
};
pub static TCP_SOCKET_ACTION_TY: Ty = Ty::Struct(&TCP_SOCKET_ACTION);

pub static GRPC_ACTION: StructDef = StructDef {
    fields: &[f("port", &INT, Always), f("service", &STR, Pointer)],
};
pub static GRPC_ACTION_TY: Ty = Ty::Struct(&GRPC_ACTION);

static LIFECYCLE: StructDef = StructDef {
    fields: &[
        f("postStart", &LIFECYCLE_HANDLER_TY, Pointer),
        f("preStop", &LIFECYCLE_HANDLER_TY, Pointer),
        f("stopSignal", &STR, Pointer),
    ],
};
static LIFECYCLE_TY: Ty = Ty::Struct(&LIFECYCLE);

static LIFECYCLE_HANDLER: StructDef = StructDef {
    fields: &[
        f("exec", &EXEC_ACTION_TY, Pointer),
        f("httpGet", &HTTP_GET_ACTION_TY, Pointer),
        f("tcpSocket", &TCP_SOCKET_ACTION_TY, Pointer),
        f("sleep", &OPAQUE, Pointer),
    ],
};
static LIFECYCLE_HANDLER_TY: Ty = Ty::Struct(&LIFECYCLE_HANDLER);

static SECURITY_CONTEXT: StructDef = StructDef {
    fields: &[
        f("capabilities", &CAPABILITIES_TY, Pointer),
        f("privileged", &BOOL, Pointer),
        f("seLinuxOptions", &OPAQUE, Pointer),
        f("windowsOptions", &OPAQUE, Pointer),
        f("runAsUser", &INT, Pointer),
        f("runAsGroup", &INT, Pointer),
        f("runAsNonRoot", &BOOL, Pointer),
        f("readOnlyRootFilesystem", &BOOL, Pointer),
        f("allowPrivilegeEscalation", &BOOL, Pointer),
        f("procMount", &STR, Pointer),
        f("seccompProfile", &OPAQUE, Pointer),
        f("appArmorProfile", &OPAQUE, Pointer),
    ],
};
static SECURITY_CONTEXT_TY: Ty = Ty::Struct(&SECURITY_CONTEXT);

static CAPABILITIES: StructDef = StructDef {
    fields: &[
        f("add", &STR_LIST, OmitEmpty),
        f("drop", &STR_LIST, OmitEmpty),
    ],
};
static CAPABILITIES_TY: Ty = Ty::Struct(&CAPABILITIES);

// --- normalization -----------------------------------------------------------------------------

/// The zero value Go writes for a field declared `Always` that is missing.
fn zero(ty: &Ty) -> Option<Value> {
    match ty {
        Ty::Str => Some(Value::String(String::new())),
        Ty::Int => Some(Value::from(0)),
        Ty::Bool => Some(Value::Bool(false)),
        Ty::Quantity => Some(Value::String("0".into())),
        Ty::Struct(def) => {
            let mut m = Map::new();
            fill_struct(&mut m, def);
            Some(Value::Object(m))
        }
        _ => None,
    }
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn fill_struct(map: &mut Map<String, Value>, def: &StructDef) {
    for field in def.fields {
        if field.decl == Decl::Always
            && !map.contains_key(field.name)
            && let Some(z) = zero(field.ty)
        {
            map.insert(field.name.to_string(), z);
        }
    }
}

/// Makes `value` look like it went through the Go type `ty` and back: drops `null`s and the zero
/// values of `omitempty` fields, fills in zero values Go always writes, canonicalizes quantities.
pub fn normalize(value: &mut Value, ty: &Ty) {
    match ty {
        Ty::Struct(def) => {
            let Value::Object(map) = value else { return };
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(field) = def.field(&key) else {
                    // Unknown fields (and volume sources) are kept, except explicit nulls.
                    if map.get(&key).is_some_and(Value::is_null) {
                        map.remove(&key);
                    }
                    continue;
                };
                let v = map.get_mut(&key).expect("key listed above");
                if v.is_null() {
                    map.remove(&key);
                    continue;
                }
                normalize(v, field.ty);
                if field.decl == Decl::OmitEmpty && is_zero(v) {
                    map.remove(&key);
                }
            }
            fill_struct(map, def);
        }
        Ty::List(item) => {
            if let Value::Array(items) = value {
                for v in items.iter_mut() {
                    normalize(v, item);
                }
            }
        }
        Ty::Map(item) => {
            if let Value::Object(map) = value {
                for v in map.values_mut() {
                    normalize(v, item);
                }
            }
        }
        Ty::Quantity => {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return,
            };
            if let Ok(c) = quantity::canonicalize(&text) {
                *value = Value::String(c);
            }
        }
        Ty::Str => {
            // Go would refuse a number here; be lenient and keep its text.
            if let Value::Number(n) = value {
                *value = Value::String(n.to_string());
            } else if let Value::Bool(b) = value {
                *value = Value::String(b.to_string());
            }
        }
        Ty::Int | Ty::Bool | Ty::IntOrString | Ty::Opaque => {}
    }
}

/// Checks that every quantity under `value` parses, returning the path of the first bad one.
pub fn first_bad_quantity(value: &Value, ty: &Ty, path: &str) -> Option<(String, String)> {
    match (ty, value) {
        (Ty::Quantity, Value::String(s)) => quantity::canonicalize(s)
            .is_err()
            .then(|| (path.to_string(), s.clone())),
        (Ty::Struct(def), Value::Object(map)) => map.iter().find_map(|(k, v)| {
            def.field(k)
                .and_then(|fd| first_bad_quantity(v, fd.ty, &format!("{path}.{k}")))
        }),
        (Ty::List(item), Value::Array(items)) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_bad_quantity(v, item, &format!("{path}[{i}]"))),
        (Ty::Map(item), Value::Object(map)) => map
            .iter()
            .find_map(|(k, v)| first_bad_quantity(v, item, &format!("{path}.{k}"))),
        _ => None,
    }
}

// --- Go JSON -----------------------------------------------------------------------------------

/// Writes `value` as Go's `encoding/json` would write the Go type `ty`: fields in struct order,
/// map keys sorted, no spaces. `value` should already be normalized.
pub fn go_json(value: &Value, ty: &Ty) -> String {
    let mut out = String::new();
    write_go_json(&mut out, value, ty);
    out
}

fn write_go_json(out: &mut String, value: &Value, ty: &Ty) {
    match (ty, value) {
        (Ty::Struct(def), Value::Object(map)) => {
            out.push('{');
            let mut first = true;
            let mut emit = |out: &mut String, key: &str, v: &Value, t: &Ty| {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(key.to_string()).to_string());
                out.push(':');
                write_go_json(out, v, t);
            };
            for field in def.fields {
                if let Some(v) = map.get(field.name) {
                    emit(out, field.name, v, field.ty);
                }
            }
            for (k, v) in map {
                if def.field(k).is_none() {
                    emit(out, k, v, &OPAQUE);
                }
            }
            out.push('}');
        }
        (Ty::List(item), Value::Array(items)) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(out, v, item);
            }
            out.push(']');
        }
        (Ty::Map(item), Value::Object(map)) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_go_json(out, v, item);
            }
            out.push('}');
        }
        _ => out.push_str(&go_escape(&value.to_string())),
    }
}

/// Go's encoder escapes `<`, `>` and `&` in strings (HTML-safe output); serde_json does not.
pub fn go_escape(json: &str) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json.to_string();
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_drops_omitempty_zeros_and_canonicalizes() {
        let mut c = json!({
            "name": "istio-proxy",
            "image": "",
            "tty": false,
            "resources": {"limits": {"cpu": "2000m", "memory": "1024Mi"}},
            "readinessProbe": {"httpGet": {"port": 15021, "path": "/healthz/ready"}, "initialDelaySeconds": 0},
            "securityContext": {"privileged": false, "runAsUser": 0},
            "env": [{"name": "A", "value": ""}, {"name": "B", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}],
            "unknownField": {"x": 1},
        });
        normalize(&mut c, &CONTAINER_TY);
        assert_eq!(
            c,
            json!({
                "name": "istio-proxy",
                "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
                "readinessProbe": {"httpGet": {"port": 15021, "path": "/healthz/ready"}},
                "securityContext": {"privileged": false, "runAsUser": 0},
                "env": [{"name": "A"}, {"name": "B", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "0"}}}],
                "unknownField": {"x": 1},
            })
        );
    }

    #[test]
    fn go_json_uses_struct_field_order() {
        let mut c = json!({"name": "istio-proxy", "imagePullPolicy": "IfNotPresent"});
        normalize(&mut c, &CONTAINER_TY);
        assert_eq!(
            go_json(&c, &CONTAINER_TY),
            r#"{"name":"istio-proxy","resources":{},"imagePullPolicy":"IfNotPresent"}"#
        );
        let p = json!({"containerPort": 80, "name": "http"});
        assert_eq!(
            go_json(&p, &CONTAINER_PORT_TY),
            r#"{"name":"http","containerPort":80}"#
        );
    }
}
