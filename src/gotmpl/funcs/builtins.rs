//! Go's text/template builtin functions.

use super::{FuncMap, Special, Ty, arg_str};
use crate::gotmpl::gofmt;
use crate::gotmpl::value::Value;

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Str(_) => Kind::Str,
        _ => Kind::Invalid,
    }
}

fn eq_pair(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        if !a.is_nil() && !b.is_nil() {
            return Err(BAD_COMPARISON.into());
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Nil, other) | (other, Value::Nil) => other.is_nil(),
        (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_)) => {
            return Err(format!(
                "non-comparable type {}: {}",
                b.to_go_string(),
                b.type_name()
            ));
        }
        (Value::Object(x), Value::Object(y)) => std::rc::Rc::ptr_eq(x, y),
        _ => {
            return Err(format!(
                "non-comparable types {}: {}, {}: {}",
                a.to_go_string(),
                a.type_name(),
                b.type_name(),
                b.to_go_string()
            ));
        }
    })
}

/// Go's `eq arg1 arg2...`: true when arg1 equals any of the others.
pub fn compare_eq(a: &Value, others: &[Value]) -> Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".into());
    }
    for b in others {
        if eq_pair(a, b)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's `lt a b`.
pub fn compare_lt(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.into());
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::Str(x), Value::Str(y)) => Ok(x < y),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}

fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if compare_lt(a, b)? {
        return Ok(true);
    }
    eq_pair(a, b)
}

fn index_arg(index: &Value, len: usize, what: &str) -> Result<usize, String> {
    let x = match index {
        Value::Int(i) => *i,
        Value::Nil => return Err(format!("cannot index {what} with nil")),
        other => {
            return Err(format!(
                "cannot index {what} with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as usize >= len {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// Go's `index item i j...`.
fn index(args: Vec<Value>) -> Result<Value, String> {
    let mut item = args[0].clone();
    if item.is_nil() {
        return Err("index of untyped nil".into());
    }
    for idx in &args[1..] {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let l = l.borrow();
                l[index_arg(idx, l.len(), "slice/array")?].clone()
            }
            Value::Str(s) => {
                let i = index_arg(idx, s.len(), "string")?;
                Value::Int(i64::from(s.as_bytes()[i]))
            }
            Value::Map(m) => match idx {
                Value::Str(k) => m.borrow().get(&**k).cloned().unwrap_or(Value::Nil),
                Value::Nil => Value::Nil,
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(args: Vec<Value>) -> Result<Value, String> {
    let item = &args[0];
    let idx: Vec<i64> = args[1..]
        .iter()
        .map(|v| match v {
            Value::Int(i) => Ok(*i),
            other => Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )),
        })
        .collect::<Result<_, _>>()?;
    if idx.len() > 3 {
        return Err(format!("too many slice indexes: {}", idx.len()));
    }
    let len = match item {
        Value::Str(s) => s.len(),
        Value::List(l) => l.borrow().len(),
        Value::Nil => return Err("slice of untyped nil".into()),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut bounds = [0usize, len, len];
    for (i, x) in idx.iter().enumerate() {
        if *x < 0 || *x as usize > len {
            return Err(format!("index out of range: {x}"));
        }
        bounds[i] = *x as usize;
    }
    if bounds[0] > bounds[1] {
        return Err(format!(
            "invalid slice index: {} > {}",
            bounds[0], bounds[1]
        ));
    }
    Ok(match item {
        Value::Str(s) => {
            if idx.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            Value::from(String::from_utf8_lossy(&s.as_bytes()[bounds[0]..bounds[1]]).into_owned())
        }
        Value::List(l) => Value::new_list(l.borrow()[bounds[0]..bounds[1]].to_vec()),
        _ => Value::Nil,
    })
}

fn eval_args_string(args: &[Value]) -> String {
    if let [Value::Str(s)] = args {
        return s.to_string();
    }
    gofmt::sprint(args)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(super) fn register(m: &mut FuncMap) {
    m.insert_special("and", Special::And);
    m.insert_special("or", Special::Or);
    m.insert("not", &[Ty::Value], None, |a| {
        Ok(Value::Bool(!a[0].truthy()))
    });
    m.insert("len", &[Ty::Value], None, |a| match &a[0] {
        Value::Str(s) => Ok(Value::Int(s.len() as i64)),
        Value::List(l) => Ok(Value::Int(l.borrow().len() as i64)),
        Value::Map(m) => Ok(Value::Int(m.borrow().len() as i64)),
        Value::Nil => Err("len of nil pointer".into()),
        other => Err(format!("len of type {}", other.type_name())),
    });
    m.insert("index", &[Ty::Value], Some(Ty::Value), index);
    m.insert("slice", &[Ty::Value], Some(Ty::Value), slice);
    m.insert("print", &[], Some(Ty::Any), |a| {
        Ok(Value::from(gofmt::sprint(&a)))
    });
    m.insert("println", &[], Some(Ty::Any), |a| {
        Ok(Value::from(gofmt::sprintln(&a)))
    });
    m.insert("printf", &[Ty::Str], Some(Ty::Any), |a| {
        Ok(Value::from(gofmt::sprintf(&arg_str(&a, 0), &a[1..])))
    });
    m.insert("eq", &[Ty::Value], Some(Ty::Value), |a| {
        Ok(Value::Bool(compare_eq(&a[0], &a[1..])?))
    });
    m.insert("ne", &[Ty::Value, Ty::Value], None, |a| {
        Ok(Value::Bool(!eq_pair(&a[0], &a[1])?))
    });
    m.insert("lt", &[Ty::Value, Ty::Value], None, |a| {
        Ok(Value::Bool(compare_lt(&a[0], &a[1])?))
    });
    m.insert("le", &[Ty::Value, Ty::Value], None, |a| {
        Ok(Value::Bool(le(&a[0], &a[1])?))
    });
    m.insert("gt", &[Ty::Value, Ty::Value], None, |a| {
        Ok(Value::Bool(!le(&a[0], &a[1])?))
    });
    m.insert("ge", &[Ty::Value, Ty::Value], None, |a| {
        Ok(Value::Bool(!compare_lt(&a[0], &a[1])?))
    });
    m.insert("html", &[], Some(Ty::Any), |a| {
        Ok(Value::from(html_escape(&eval_args_string(&a))))
    });
    m.insert("js", &[], Some(Ty::Any), |a| {
        Ok(Value::from(js_escape(&eval_args_string(&a))))
    });
    m.insert("urlquery", &[], Some(Ty::Any), |a| {
        Ok(Value::from(query_escape(&eval_args_string(&a))))
    });
}
