//! Template functions: Go's builtins, the sprig subset charts use, and (in [`super::helm`])
//! Helm's own. Each function declares Go parameter types so arguments are checked and literal
//! constants converted the way Go's reflection-based calls do.

mod builtins;
mod sprig;

use std::collections::HashMap;
use std::rc::Rc;

use super::exec::Exec;
use super::value::Value;

pub use builtins::{compare_eq, compare_lt};
pub use sprig::{merge_into, to_float64, to_int64};

/// A Go parameter type as far as templates can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`
    Any,
    /// `reflect.Value` (Go builtins such as eq, index, len)
    Value,
    Str,
    Int,
    Float,
    Bool,
    /// `map[string]interface{}`
    Map,
    /// `[]interface{}`
    List,
}

impl Ty {
    /// Go's spelling, for error messages.
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Value => "reflect.Value",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::Map => "map[string]interface {}",
            Ty::List => "[]interface {}",
        }
    }

    /// Whether an untyped nil may be passed.
    pub fn can_be_nil(self) -> bool {
        matches!(self, Ty::Any | Ty::Value | Ty::Map | Ty::List)
    }

    /// Whether a (non-nil) value is assignable.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Ty::Any | Ty::Value => true,
            Ty::Str => matches!(v, Value::Str(_)),
            Ty::Int => matches!(v, Value::Int(_)),
            Ty::Float => matches!(v, Value::Float(_)),
            Ty::Bool => matches!(v, Value::Bool(_)),
            Ty::Map => matches!(v, Value::Map(_)),
            Ty::List => matches!(v, Value::List(_)),
        }
    }
}

/// Functions the executor treats specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    None,
    /// `and`: short-circuit, returns the first falsy operand or the last one.
    And,
    /// `or`: short-circuit, returns the first truthy operand or the last one.
    Or,
}

/// The body of a function: gets the checked arguments and the running executor.
pub type FuncImpl = Rc<dyn Fn(&mut Exec<'_>, Vec<Value>) -> Result<Value, String>>;

/// A template function with its Go signature.
#[derive(Clone)]
pub struct Func {
    pub params: Vec<Ty>,
    /// Type of the `...` parameter, if variadic.
    pub variadic: Option<Ty>,
    pub special: Special,
    pub imp: FuncImpl,
}

/// Named functions available to templates (Go's `template.FuncMap`).
#[derive(Clone, Default)]
pub struct FuncMap {
    map: HashMap<String, Rc<Func>>,
}

impl FuncMap {
    /// An empty map (not even Go's builtins).
    pub fn empty() -> Self {
        FuncMap::default()
    }

    /// Go's builtin functions (and, or, not, len, index, slice, print, printf, println, eq, ne,
    /// lt, le, gt, ge, html, js, urlquery).
    pub fn go_builtins() -> Self {
        let mut m = FuncMap::default();
        builtins::register(&mut m);
        m
    }

    /// Go builtins plus the sprig functions (Helm's `sprig.TxtFuncMap()` minus env access).
    pub fn sprig() -> Self {
        let mut m = Self::go_builtins();
        sprig::register(&mut m);
        m
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub fn get(&self, name: &str) -> Option<Rc<Func>> {
        self.map.get(name).cloned()
    }

    /// Adds or replaces a function that needs the executor (like `include`).
    pub fn insert_with_exec(
        &mut self,
        name: &str,
        params: &[Ty],
        variadic: Option<Ty>,
        f: impl Fn(&mut Exec<'_>, Vec<Value>) -> Result<Value, String> + 'static,
    ) {
        self.map.insert(
            name.to_string(),
            Rc::new(Func {
                params: params.to_vec(),
                variadic,
                special: Special::None,
                imp: Rc::new(f),
            }),
        );
    }

    /// Adds or replaces a plain function.
    pub fn insert(
        &mut self,
        name: &str,
        params: &[Ty],
        variadic: Option<Ty>,
        f: impl Fn(Vec<Value>) -> Result<Value, String> + 'static,
    ) {
        self.insert_with_exec(name, params, variadic, move |_, a| f(a));
    }

    fn insert_special(&mut self, name: &str, special: Special) {
        self.map.insert(
            name.to_string(),
            Rc::new(Func {
                params: vec![Ty::Value],
                variadic: Some(Ty::Value),
                special,
                imp: Rc::new(|_, _| Ok(Value::Nil)),
            }),
        );
    }
}

/// Argument helpers for function bodies (types were checked by the executor).
pub(crate) fn arg_str(args: &[Value], i: usize) -> String {
    match args.get(i) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    }
}

pub(crate) fn arg_int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n)) => *n,
        _ => 0,
    }
}
