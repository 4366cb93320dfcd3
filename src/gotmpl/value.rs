//! The values a template works on, modelled on what Helm hands to Go's text/template: `nil`, bool,
//! int, float64, string, `[]interface{}`, `map[string]interface{}` and a few host objects
//! (`.Release`, `.Chart`, `.Files`, ...). Maps and lists are shared by reference, as in Go, so
//! `set $.Values "k" v` changes the map every other holder sees.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::gofmt;

/// A Go map (`map[string]interface{}`): shared, mutable, iterated in key order as Go templates do.
pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;
/// A Go slice (`[]interface{}`): shared and mutable.
pub type ListRef = Rc<RefCell<Vec<Value>>>;

/// A host object with Go-style fields and methods (`.Release.Name`, `.Files.Get "x"`).
pub trait Object {
    /// The Go type name, used in error messages (`chartutil.Release`).
    fn type_name(&self) -> &str;
    /// A field, or `None` when the type has no such field.
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls a method; `None` when the type has no such method.
    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    /// Whether a method of that name exists (methods win over fields in Go).
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// Key/element pairs when the object can be ranged over (e.g. `.Files.Glob`).
    fn range_entries(&self) -> Option<Vec<(Value, Value)>> {
        None
    }
    /// The value `toYaml`/`toJson` see (Go marshals exported struct fields).
    fn to_value(&self) -> Value;
}

/// A template value.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped nil (also "no value").
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`/`int64`.
    Int(i64),
    /// Go `float64` (every number that came through YAML or JSON is one, as in Helm).
    Float(f64),
    Str(Rc<str>),
    List(ListRef),
    Map(MapRef),
    Object(Rc<dyn Object>),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", self.type_name(), gofmt::sprint_value(self))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Rc::from(s))
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl Value {
    /// A new shared map.
    pub fn new_map(map: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(map)))
    }
    /// A new shared list.
    pub fn new_list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }
    /// An empty map.
    pub fn empty_map() -> Value {
        Value::new_map(BTreeMap::new())
    }

    /// Go's type name as `%T` and error messages print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name().to_string(),
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&MapRef> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Go template truthiness: false, 0, nil, and empty strings, maps and slices are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Object(_) => true,
        }
    }

    /// Sprig's `empty`: like falsiness (structs are never empty).
    pub fn is_empty(&self) -> bool {
        !self.truthy()
    }

    /// A deep copy (sprig `deepCopy`, copystructure semantics): maps and lists are duplicated.
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l) => Value::new_list(l.borrow().iter().map(Value::deep_copy).collect()),
            Value::Map(m) => Value::new_map(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy()))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Same underlying map or list (Go pointer identity), or equal scalars.
    pub fn same_ref(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b),
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Converts a JSON value the way Go's `encoding/json` decodes into `interface{}`:
    /// every number becomes a float64 (this is what Helm's values and `fromYaml` produce).
    pub fn from_json(json: &serde_json::Value) -> Value {
        Self::from_json_with(json, false)
    }

    /// Converts a JSON value keeping integers as Go ints (for values built in Rust, e.g. `--set`).
    pub fn from_json_typed(json: &serde_json::Value) -> Value {
        Self::from_json_with(json, true)
    }

    fn from_json_with(json: &serde_json::Value, keep_ints: bool) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if keep_ints && let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else {
                    Value::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::from(s.as_str()),
            serde_json::Value::Array(a) => Value::new_list(
                a.iter()
                    .map(|v| Self::from_json_with(v, keep_ints))
                    .collect(),
            ),
            serde_json::Value::Object(o) => Value::new_map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Self::from_json_with(v, keep_ints)))
                    .collect(),
            ),
        }
    }

    /// What Go's `json.Marshal` sees: map keys sorted, NaN/Inf refused.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Value::Nil => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(format!(
                        "json: unsupported value: {}",
                        gofmt::format_float_g(*f)
                    ));
                }
                serde_json::Number::from_f64(*f)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null)
            }
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::List(l) => serde_json::Value::Array(
                l.borrow()
                    .iter()
                    .map(Value::to_json)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m.borrow().iter() {
                    out.insert(k.clone(), v.to_json()?);
                }
                serde_json::Value::Object(out)
            }
            Value::Object(o) => o.to_value().to_json()?,
        })
    }

    /// Go's `fmt.Sprint` of one value.
    pub fn to_go_string(&self) -> String {
        gofmt::sprint_value(self)
    }
}

/// Sprig's `strval`/`toString`: strings as they are, everything else through `fmt.Sprintf("%v")`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => other.to_go_string(),
    }
}

/// `fmt.Sprint` of a map: `map[a:1 b:2]`.
pub(crate) fn write_map(out: &mut String, map: &BTreeMap<String, Value>) {
    out.push_str("map[");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{k}:{}", gofmt::sprint_value(v));
    }
    out.push(']');
}
