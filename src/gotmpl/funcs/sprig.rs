//! The sprig v3 functions (Masterminds/sprig) that charts use, with sprig's argument order and
//! edge cases (e.g. `default` treats every empty value as unset; `mergeOverwrite` follows mergo).

use std::collections::BTreeMap;

use base64::Engine as _;

use super::{FuncMap, Ty, arg_int, arg_str};
use crate::gotmpl::gofmt;
use crate::gotmpl::value::{MapRef, Value, strval};

/// cast.ToInt64 as sprig uses it: floats truncate, strings parse (base prefixes allowed),
/// bools are 0/1, everything else is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => {
            if f.is_nan() {
                0
            } else {
                *f as i64
            }
        }
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => crate::gotmpl::parse::parse_go_int(&trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// cast.ToFloat64.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn trim_zero_decimal(s: &str) -> String {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return s[..i - 1].to_string();
                }
                return s.to_string();
            }
            b'0' => found_zero = true,
            _ => return s.to_string(),
        }
    }
    s.to_string()
}

/// mergo's notion of an empty value (nil, false, 0, "", empty map or list).
fn mergo_empty(v: &Value) -> bool {
    v.is_empty()
}

/// mergo.Merge(&dst, src) (with `overwrite`, mergo.WithOverride) on `map[string]interface{}`:
/// nested maps merge in place, other values fill only empty slots unless overwriting.
pub fn merge_into(dst: &MapRef, src: &MapRef, overwrite: bool) {
    if std::rc::Rc::ptr_eq(dst, src) {
        return;
    }
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, sv) in entries {
        if sv.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(k, Value::Nil);
            }
            continue;
        }
        let dv = dst.borrow().get(&k).cloned();
        if let (Value::Map(sm), Some(Value::Map(dm))) = (&sv, &dv) {
            merge_into(dm, sm, overwrite);
        }
        if let Some(d) = &dv
            && !mergo_empty(d)
        {
            if matches!(sv, Value::List(_)) {
                if overwrite {
                    dst.borrow_mut().insert(k, sv);
                }
                continue;
            }
            if matches!((&sv, d), (Value::Map(_), Value::Map(_))) {
                continue;
            }
        }
        if overwrite || dv.as_ref().is_none_or(mergo_empty) {
            dst.borrow_mut().insert(k, sv);
        }
    }
}

fn merge_fn(args: Vec<Value>, overwrite: bool) -> Value {
    let Some(Value::Map(dst)) = args.first().cloned() else {
        return args.first().cloned().unwrap_or_default();
    };
    for src in &args[1..] {
        if let Value::Map(s) = src {
            merge_into(&dst, s, overwrite);
        }
    }
    Value::Map(dst)
}

fn as_list(v: &Value, func: &str) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(format!("Cannot {func} on type {}", other.type_name())),
    }
}

/// sprig's strslice: a list's elements as strings (nils dropped), a string as itself.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l
            .borrow()
            .iter()
            .filter(|x| !x.is_nil())
            .map(strval)
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

fn str_list(items: Vec<String>) -> Value {
    Value::new_list(items.into_iter().map(Value::from).collect())
}

fn go_trim_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        // strings.Title: ASCII letters, digits and '_' join words; other ASCII separates them;
        // beyond ASCII, letters and digits join and spaces separate
        let is_sep = if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            !(c.is_alphanumeric()) && c.is_whitespace()
        };
        if !prev_letter && !is_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = !is_sep;
    }
    out
}

fn regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pattern).map_err(|e| format!("error parsing regexp: {e}"))
}

fn dig(args: Vec<Value>) -> Result<Value, String> {
    if args.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let n = args.len();
    let Value::Map(mut dict) = args[n - 1].clone() else {
        return Err(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            args[n - 1].type_name()
        ));
    };
    let default = args[n - 2].clone();
    let keys: Vec<String> = args[..n - 2]
        .iter()
        .map(|k| match k {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(format!(
                "interface conversion: interface {{}} is {}, not string",
                other.type_name()
            )),
        })
        .collect::<Result<_, _>>()?;
    for (i, k) in keys.iter().enumerate() {
        let step = dict.borrow().get(k).cloned();
        let Some(step) = step else { return Ok(default) };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        match step {
            Value::Map(m) => dict = m,
            other => {
                return Err(format!(
                    "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                    other.type_name()
                ));
            }
        }
    }
    Ok(default)
}

fn int_range(start: i64, stop: i64, step: i64) -> Value {
    let mut out = Vec::new();
    if step == 0 {
        return Value::new_list(out);
    }
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(Value::Int(i));
        i += step;
    }
    Value::new_list(out)
}

fn list_has(list: &[Value], needle: &Value) -> bool {
    list.iter().any(|x| deep_equal(x, needle))
}

/// reflect.DeepEqual for template values.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => std::rc::Rc::ptr_eq(x, y),
        _ => false,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
        Value::Object(_) => "ptr",
    }
}

fn map_arg(v: &Value) -> Option<MapRef> {
    match v {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

fn abbrev(width: i64, s: &str) -> String {
    if width < 4 || s.chars().count() as i64 <= width {
        return s.to_string();
    }
    let keep: String = s.chars().take((width - 3) as usize).collect();
    format!("{keep}...")
}

fn wrap_with(width: usize, sep: &str, s: &str) -> String {
    // goutils.WrapCustom(str, width, sep, true)
    let mut out = String::new();
    for (li, line) in s.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        let mut cur = String::new();
        for word in line.split(' ') {
            if cur.is_empty() {
                cur.push_str(word);
            } else if cur.chars().count() + 1 + word.chars().count() <= width {
                cur.push(' ');
                cur.push_str(word);
            } else {
                out.push_str(&cur);
                out.push_str(sep);
                cur = word.to_string();
            }
        }
        out.push_str(&cur);
    }
    out
}

pub(super) fn register(m: &mut FuncMap) {
    use Ty::{Any, Bool, Int, Map, Str};
    // --- defaults and flow
    m.insert("default", &[Any], Some(Any), |a| {
        if a.len() < 2 || a[1].is_empty() {
            Ok(a[0].clone())
        } else {
            Ok(a[1].clone())
        }
    });
    m.insert("empty", &[Any], None, |a| Ok(Value::Bool(a[0].is_empty())));
    m.insert("coalesce", &[], Some(Any), |a| {
        Ok(a.into_iter().find(|v| !v.is_empty()).unwrap_or_default())
    });
    m.insert("all", &[], Some(Any), |a| {
        Ok(Value::Bool(a.iter().all(|v| !v.is_empty())))
    });
    m.insert("any", &[], Some(Any), |a| {
        Ok(Value::Bool(a.iter().any(|v| !v.is_empty())))
    });
    m.insert("ternary", &[Any, Any, Bool], None, |a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    m.insert("fail", &[Str], None, |a| Err(arg_str(&a, 0)));
    m.insert("deepCopy", &[Any], None, |a| Ok(a[0].deep_copy()));
    m.insert("mustDeepCopy", &[Any], None, |a| Ok(a[0].deep_copy()));
    m.insert("typeOf", &[Any], None, |a| {
        Ok(Value::from(a[0].type_name()))
    });
    m.insert("kindOf", &[Any], None, |a| Ok(Value::from(kind_of(&a[0]))));
    m.insert("kindIs", &[Str, Any], None, |a| {
        Ok(Value::Bool(arg_str(&a, 0) == kind_of(&a[1])))
    });
    m.insert("typeIs", &[Str, Any], None, |a| {
        Ok(Value::Bool(arg_str(&a, 0) == a[1].type_name()))
    });
    m.insert("typeIsLike", &[Str, Any], None, |a| {
        let t = a[1].type_name();
        let want = arg_str(&a, 0);
        Ok(Value::Bool(want == t || want == format!("*{t}")))
    });
    m.insert("deepEqual", &[Any, Any], None, |a| {
        Ok(Value::Bool(deep_equal(&a[0], &a[1])))
    });

    // --- conversions
    m.insert("toString", &[Any], None, |a| Ok(Value::from(strval(&a[0]))));
    m.insert("toStrings", &[Any], None, |a| Ok(str_list(strslice(&a[0]))));
    m.insert("int", &[Any], None, |a| Ok(Value::Int(to_int64(&a[0]))));
    m.insert("int64", &[Any], None, |a| Ok(Value::Int(to_int64(&a[0]))));
    m.insert("float64", &[Any], None, |a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    m.insert("atoi", &[Str], None, |a| {
        Ok(Value::Int(arg_str(&a, 0).parse().unwrap_or(0)))
    });
    m.insert("toDecimal", &[Any], None, |a| {
        Ok(Value::Int(
            i64::from_str_radix(&strval(&a[0]), 8).unwrap_or(0),
        ))
    });

    // --- strings
    m.insert("trim", &[Str], None, |a| {
        Ok(Value::from(go_trim_space(&arg_str(&a, 0))))
    });
    m.insert("trimAll", &[Str, Str], None, |a| {
        let cut: Vec<char> = arg_str(&a, 0).chars().collect();
        Ok(Value::from(arg_str(&a, 1).trim_matches(cut.as_slice())))
    });
    m.insert("trimPrefix", &[Str, Str], None, |a| {
        let (p, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::from(s.strip_prefix(p.as_str()).unwrap_or(&s)))
    });
    m.insert("trimSuffix", &[Str, Str], None, |a| {
        let (p, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::from(s.strip_suffix(p.as_str()).unwrap_or(&s)))
    });
    m.insert("upper", &[Str], None, |a| {
        Ok(Value::from(arg_str(&a, 0).to_uppercase()))
    });
    m.insert("lower", &[Str], None, |a| {
        Ok(Value::from(arg_str(&a, 0).to_lowercase()))
    });
    m.insert("title", &[Str], None, |a| {
        Ok(Value::from(title(&arg_str(&a, 0))))
    });
    m.insert("untitle", &[Str], None, |a| {
        let s = arg_str(&a, 0);
        let mut out = String::new();
        let mut prev_space = true;
        for c in s.chars() {
            if prev_space && !c.is_whitespace() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            prev_space = c.is_whitespace();
        }
        Ok(Value::from(out))
    });
    m.insert("repeat", &[Int, Str], None, |a| {
        let n = arg_int(&a, 0);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        Ok(Value::from(arg_str(&a, 1).repeat(n as usize)))
    });
    m.insert("replace", &[Str, Str, Str], None, |a| {
        let (old, new, src) = (arg_str(&a, 0), arg_str(&a, 1), arg_str(&a, 2));
        if old.is_empty() {
            // strings.Replace with empty old inserts `new` around every rune
            let mut out = new.clone();
            for c in src.chars() {
                out.push(c);
                out.push_str(&new);
            }
            return Ok(Value::from(out));
        }
        Ok(Value::from(src.replace(&old, &new)))
    });
    m.insert("contains", &[Str, Str], None, |a| {
        Ok(Value::Bool(arg_str(&a, 1).contains(&arg_str(&a, 0))))
    });
    m.insert("hasPrefix", &[Str, Str], None, |a| {
        Ok(Value::Bool(arg_str(&a, 1).starts_with(&arg_str(&a, 0))))
    });
    m.insert("hasSuffix", &[Str, Str], None, |a| {
        Ok(Value::Bool(arg_str(&a, 1).ends_with(&arg_str(&a, 0))))
    });
    m.insert("trunc", &[Int, Str], None, |a| {
        let (c, s) = (arg_int(&a, 0), arg_str(&a, 1));
        let len = s.len() as i64;
        let out = if c < 0 && len + c > 0 {
            &s.as_bytes()[(len + c) as usize..]
        } else if c >= 0 && len > c {
            &s.as_bytes()[..c as usize]
        } else {
            s.as_bytes()
        };
        Ok(Value::from(String::from_utf8_lossy(out).into_owned()))
    });
    m.insert("substr", &[Int, Int, Str], None, |a| {
        let (start, end, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
        let b = s.as_bytes();
        let len = b.len() as i64;
        let out = if start < 0 {
            &b[..end.clamp(0, len) as usize]
        } else if end < 0 || end > len {
            &b[start.min(len) as usize..]
        } else {
            &b[start.min(end) as usize..end as usize]
        };
        Ok(Value::from(String::from_utf8_lossy(out).into_owned()))
    });
    m.insert("indent", &[Int, Str], None, |a| {
        let pad = " ".repeat(arg_int(&a, 0).max(0) as usize);
        Ok(Value::from(format!(
            "{pad}{}",
            arg_str(&a, 1).replace('\n', &format!("\n{pad}"))
        )))
    });
    m.insert("nindent", &[Int, Str], None, |a| {
        let pad = " ".repeat(arg_int(&a, 0).max(0) as usize);
        Ok(Value::from(format!(
            "\n{pad}{}",
            arg_str(&a, 1).replace('\n', &format!("\n{pad}"))
        )))
    });
    m.insert("nospace", &[Str], None, |a| {
        Ok(Value::from(
            arg_str(&a, 0)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        ))
    });
    m.insert("quote", &[], Some(Any), |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| gofmt::quote(&strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    m.insert("squote", &[], Some(Any), |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    m.insert("cat", &[], Some(Any), |a| {
        let parts: Vec<Value> = a.into_iter().filter(|v| !v.is_nil()).collect();
        let mut out = String::new();
        for (i, v) in parts.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&v.to_go_string());
        }
        Ok(Value::from(out))
    });
    m.insert("abbrev", &[Int, Str], None, |a| {
        Ok(Value::from(abbrev(arg_int(&a, 0), &arg_str(&a, 1))))
    });
    m.insert("wrap", &[Int, Str], None, |a| {
        Ok(Value::from(wrap_with(
            arg_int(&a, 0).max(1) as usize,
            "\n",
            &arg_str(&a, 1),
        )))
    });
    m.insert("wrapWith", &[Int, Str, Str], None, |a| {
        Ok(Value::from(wrap_with(
            arg_int(&a, 0).max(1) as usize,
            &arg_str(&a, 1),
            &arg_str(&a, 2),
        )))
    });
    m.insert("plural", &[Str, Str, Int], None, |a| {
        Ok(if arg_int(&a, 2) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    m.insert("initials", &[Str], None, |a| {
        Ok(Value::from(
            arg_str(&a, 0)
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect::<String>(),
        ))
    });
    m.insert("split", &[Str, Str], None, |a| {
        let (sep, s) = (arg_str(&a, 0), arg_str(&a, 1));
        let mut out = BTreeMap::new();
        for (i, p) in go_split(&s, &sep).into_iter().enumerate() {
            out.insert(format!("_{i}"), Value::from(p));
        }
        Ok(Value::new_map(out))
    });
    m.insert("splitn", &[Str, Int, Str], None, |a| {
        let (sep, n, s) = (arg_str(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
        let parts: Vec<String> = if n < 0 {
            go_split(&s, &sep)
        } else {
            s.splitn(n as usize, sep.as_str())
                .map(String::from)
                .collect()
        };
        let mut out = BTreeMap::new();
        for (i, p) in parts.into_iter().enumerate() {
            out.insert(format!("_{i}"), Value::from(p));
        }
        Ok(Value::new_map(out))
    });
    m.insert("splitList", &[Str, Str], None, |a| {
        Ok(str_list(go_split(&arg_str(&a, 1), &arg_str(&a, 0))))
    });
    m.insert("join", &[Str, Any], None, |a| {
        Ok(Value::from(strslice(&a[1]).join(&arg_str(&a, 0))))
    });
    m.insert("sortAlpha", &[Any], None, |a| {
        let mut items = strslice(&a[0]);
        items.sort();
        Ok(str_list(items))
    });
    m.insert("snakecase", &[Str], None, |a| {
        Ok(Value::from(snake(&arg_str(&a, 0), '_')))
    });
    m.insert("kebabcase", &[Str], None, |a| {
        Ok(Value::from(snake(&arg_str(&a, 0), '-')))
    });
    m.insert("camelcase", &[Str], None, |a| {
        Ok(Value::from(
            arg_str(&a, 0)
                .split('_')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().chain(c).collect(),
                        None => String::new(),
                    }
                })
                .collect::<String>(),
        ))
    });

    // --- regular expressions (Go RE2 syntax is close to Rust's regex)
    m.insert("regexMatch", &[Str, Str], None, |a| {
        Ok(Value::Bool(
            regex(&arg_str(&a, 0))?.is_match(&arg_str(&a, 1)),
        ))
    });
    m.insert("mustRegexMatch", &[Str, Str], None, |a| {
        Ok(Value::Bool(
            regex(&arg_str(&a, 0))?.is_match(&arg_str(&a, 1)),
        ))
    });
    m.insert("regexFind", &[Str, Str], None, |a| {
        let re = regex(&arg_str(&a, 0))?;
        let s = arg_str(&a, 1);
        Ok(Value::from(
            re.find(&s)
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        ))
    });
    m.insert("regexFindAll", &[Str, Str, Int], None, |a| {
        let re = regex(&arg_str(&a, 0))?;
        let s = arg_str(&a, 1);
        let n = arg_int(&a, 2);
        let all = re.find_iter(&s).map(|m| m.as_str().to_string());
        let items: Vec<String> = if n < 0 {
            all.collect()
        } else {
            all.take(n as usize).collect()
        };
        Ok(str_list(items))
    });
    m.insert("regexReplaceAll", &[Str, Str, Str], None, |a| {
        let re = regex(&arg_str(&a, 0))?;
        let repl = go_expand_template(&arg_str(&a, 2));
        Ok(Value::from(
            re.replace_all(&arg_str(&a, 1), repl.as_str()).into_owned(),
        ))
    });
    m.insert("regexReplaceAllLiteral", &[Str, Str, Str], None, |a| {
        let re = regex(&arg_str(&a, 0))?;
        Ok(Value::from(
            re.replace_all(&arg_str(&a, 1), regex::NoExpand(&arg_str(&a, 2)))
                .into_owned(),
        ))
    });
    m.insert("regexSplit", &[Str, Str, Int], None, |a| {
        let re = regex(&arg_str(&a, 0))?;
        let s = arg_str(&a, 1);
        let n = arg_int(&a, 2);
        let items: Vec<String> = if n < 0 {
            re.split(&s).map(String::from).collect()
        } else {
            re.splitn(&s, n as usize).map(String::from).collect()
        };
        Ok(str_list(items))
    });
    m.insert("regexQuoteMeta", &[Str], None, |a| {
        Ok(Value::from(regex::escape(&arg_str(&a, 0))))
    });

    // --- encodings
    m.insert("b64enc", &[Str], None, |a| {
        Ok(Value::from(
            base64::engine::general_purpose::STANDARD.encode(arg_str(&a, 0)),
        ))
    });
    m.insert("b64dec", &[Str], None, |a| {
        Ok(Value::from(
            match base64::engine::general_purpose::STANDARD.decode(arg_str(&a, 0)) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => e.to_string(),
            },
        ))
    });

    m.insert("sha256sum", &[Str], None, |a| {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(arg_str(&a, 0).as_bytes());
        Ok(Value::from(
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        ))
    });
    m.insert("adler32sum", &[Str], None, |a| {
        let (mut x, mut y) = (1u32, 0u32);
        for b in arg_str(&a, 0).bytes() {
            x = (x + u32::from(b)) % 65521;
            y = (y + x) % 65521;
        }
        Ok(Value::from(((y << 16) | x).to_string()))
    });

    // --- lists
    m.insert("list", &[], Some(Any), |a| Ok(Value::new_list(a)));
    m.insert("tuple", &[], Some(Any), |a| Ok(Value::new_list(a)));
    m.insert("has", &[Any, Any], None, |a| match &a[1] {
        Value::Nil => Ok(Value::Bool(false)),
        Value::List(l) => Ok(Value::Bool(list_has(&l.borrow(), &a[0]))),
        other => Err(format!("Cannot find has on type {}", other.type_name())),
    });
    m.insert("first", &[Any], None, |a| {
        Ok(as_list(&a[0], "find first")?
            .first()
            .cloned()
            .unwrap_or_default())
    });
    m.insert("last", &[Any], None, |a| {
        Ok(as_list(&a[0], "find last")?
            .last()
            .cloned()
            .unwrap_or_default())
    });
    m.insert("rest", &[Any], None, |a| {
        let l = as_list(&a[0], "find rest")?;
        Ok(if l.is_empty() {
            Value::Nil
        } else {
            Value::new_list(l[1..].to_vec())
        })
    });
    m.insert("initial", &[Any], None, |a| {
        let l = as_list(&a[0], "find initial")?;
        Ok(if l.is_empty() {
            Value::Nil
        } else {
            Value::new_list(l[..l.len() - 1].to_vec())
        })
    });
    for name in ["append", "push", "mustAppend", "mustPush"] {
        m.insert(name, &[Any, Any], None, |a| {
            let mut l = as_list(&a[0], "push")?;
            l.push(a[1].clone());
            Ok(Value::new_list(l))
        });
    }
    m.insert("prepend", &[Any, Any], None, |a| {
        let mut l = as_list(&a[0], "prepend")?;
        l.insert(0, a[1].clone());
        Ok(Value::new_list(l))
    });
    m.insert("concat", &[], Some(Any), |a| {
        let mut out = Vec::new();
        for l in &a {
            out.extend(as_list(l, "concat")?);
        }
        Ok(Value::new_list(out))
    });
    m.insert("reverse", &[Any], None, |a| {
        let mut l = as_list(&a[0], "reverse")?;
        l.reverse();
        Ok(Value::new_list(l))
    });
    m.insert("uniq", &[Any], None, |a| {
        let mut out: Vec<Value> = Vec::new();
        for v in as_list(&a[0], "uniq")? {
            if !list_has(&out, &v) {
                out.push(v);
            }
        }
        Ok(Value::new_list(out))
    });
    m.insert("compact", &[Any], None, |a| {
        Ok(Value::new_list(
            as_list(&a[0], "compact")?
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect(),
        ))
    });
    m.insert("without", &[Any], Some(Any), |a| {
        let omit = &a[1..];
        Ok(Value::new_list(
            as_list(&a[0], "find without")?
                .into_iter()
                .filter(|v| !list_has(omit, v))
                .collect(),
        ))
    });
    m.insert("until", &[Int], None, |a| {
        let n = arg_int(&a, 0);
        Ok(int_range(0, n, if n < 0 { -1 } else { 1 }))
    });
    m.insert("untilStep", &[Int, Int, Int], None, |a| {
        Ok(int_range(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2)))
    });
    m.insert("seq", &[], Some(Int), |a| {
        let nums: Vec<i64> = a.iter().map(to_int64).collect();
        let (start, step, end) = match nums.as_slice() {
            [] => return Ok(Value::from("")),
            [end] => (1, 1, *end),
            [start, end] => (*start, if end >= start { 1 } else { -1 }, *end),
            [start, step, end, ..] => (*start, *step, *end),
        };
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i <= end) || (step < 0 && i >= end) {
            out.push(i.to_string());
            i += step;
        }
        Ok(Value::from(out.join(" ")))
    });

    // --- dicts
    m.insert("dict", &[], Some(Any), |a| {
        let mut out = BTreeMap::new();
        let mut i = 0;
        while i < a.len() {
            let key = strval(&a[i]);
            let val = if i + 1 < a.len() {
                a[i + 1].clone()
            } else {
                Value::from("")
            };
            out.insert(key, val);
            i += 2;
        }
        Ok(Value::new_map(out))
    });
    m.insert("set", &[Map, Str, Any], None, |a| {
        if let Some(map) = map_arg(&a[0]) {
            map.borrow_mut().insert(arg_str(&a, 1), a[2].clone());
        }
        Ok(a[0].clone())
    });
    m.insert("unset", &[Map, Str], None, |a| {
        if let Some(map) = map_arg(&a[0]) {
            map.borrow_mut().remove(&arg_str(&a, 1));
        }
        Ok(a[0].clone())
    });
    m.insert("hasKey", &[Map, Str], None, |a| {
        Ok(Value::Bool(
            map_arg(&a[0]).is_some_and(|m| m.borrow().contains_key(&arg_str(&a, 1))),
        ))
    });
    m.insert("get", &[Map, Str], None, |a| {
        Ok(map_arg(&a[0])
            .and_then(|m| m.borrow().get(&arg_str(&a, 1)).cloned())
            .unwrap_or_else(|| Value::from("")))
    });
    m.insert("keys", &[], Some(Map), |a| {
        let mut out = Vec::new();
        for d in a.iter().filter_map(map_arg) {
            out.extend(d.borrow().keys().cloned());
        }
        Ok(str_list(out))
    });
    m.insert("values", &[Map], None, |a| {
        Ok(Value::new_list(
            map_arg(&a[0])
                .map(|m| m.borrow().values().cloned().collect())
                .unwrap_or_default(),
        ))
    });
    m.insert("pick", &[Map], Some(Str), |a| {
        let mut out = BTreeMap::new();
        if let Some(src) = map_arg(&a[0]) {
            let src = src.borrow();
            for k in a[1..].iter().map(strval) {
                if let Some(v) = src.get(&k) {
                    out.insert(k, v.clone());
                }
            }
        }
        Ok(Value::new_map(out))
    });
    m.insert("omit", &[Map], Some(Str), |a| {
        let drop: Vec<String> = a[1..].iter().map(strval).collect();
        let out = map_arg(&a[0])
            .map(|m| {
                m.borrow()
                    .iter()
                    .filter(|(k, _)| !drop.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Value::new_map(out))
    });
    m.insert("pluck", &[Str], Some(Map), |a| {
        let key = arg_str(&a, 0);
        Ok(Value::new_list(
            a[1..]
                .iter()
                .filter_map(map_arg)
                .filter_map(|m| m.borrow().get(&key).cloned())
                .collect(),
        ))
    });
    m.insert("dig", &[], Some(Any), dig);
    m.insert("merge", &[Map], Some(Map), |a| Ok(merge_fn(a, false)));
    m.insert("mustMerge", &[Map], Some(Map), |a| Ok(merge_fn(a, false)));
    m.insert("mergeOverwrite", &[Map], Some(Map), |a| {
        Ok(merge_fn(a, true))
    });
    m.insert("mustMergeOverwrite", &[Map], Some(Map), |a| {
        Ok(merge_fn(a, true))
    });

    // --- math (sprig converts through cast.ToInt64 and returns int64)
    m.insert("add", &[], Some(Any), |a| {
        Ok(Value::Int(a.iter().map(to_int64).sum()))
    });
    m.insert("add1", &[Any], None, |a| {
        Ok(Value::Int(to_int64(&a[0]) + 1))
    });
    m.insert("sub", &[Any, Any], None, |a| {
        Ok(Value::Int(to_int64(&a[0]) - to_int64(&a[1])))
    });
    m.insert("mul", &[Any], Some(Any), |a| {
        Ok(Value::Int(a.iter().map(to_int64).product()))
    });
    m.insert("div", &[Any, Any], None, |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int(to_int64(&a[0]) / d))
    });
    m.insert("mod", &[Any, Any], None, |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int(to_int64(&a[0]) % d))
    });
    m.insert("max", &[Any], Some(Any), |a| {
        Ok(Value::Int(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    m.insert("min", &[Any], Some(Any), |a| {
        Ok(Value::Int(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    m.insert("addf", &[], Some(Any), |a| {
        Ok(Value::Float(a.iter().map(to_float64).sum()))
    });
    m.insert("subf", &[Any], Some(Any), |a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .fold(to_float64(&a[0]), |acc, v| acc - to_float64(v)),
        ))
    });
    m.insert("mulf", &[Any], Some(Any), |a| {
        Ok(Value::Float(a.iter().map(to_float64).product()))
    });
    m.insert("divf", &[Any], Some(Any), |a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .fold(to_float64(&a[0]), |acc, v| acc / to_float64(v)),
        ))
    });
    m.insert("floor", &[Any], None, |a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    m.insert("ceil", &[Any], None, |a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    m.insert("round", &[Any, Int], Some(Any), |a| {
        let p = 10f64.powi(arg_int(&a, 1) as i32);
        Ok(Value::Float((to_float64(&a[0]) * p).round() / p))
    });

    // --- semver
    m.insert("semverCompare", &[Str, Str], None, |a| {
        super::super::semver::compare(&arg_str(&a, 0), &arg_str(&a, 1)).map(Value::Bool)
    });
}

/// strings.Split: an empty separator splits into UTF-8 characters.
fn go_split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(|c| c.to_string()).collect();
    }
    s.split(sep).map(String::from).collect()
}

fn snake(s: &str, sep: char) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            if i > 0
                && (chars[i - 1].is_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase()))
            {
                out.push(sep);
            }
            out.extend(c.to_lowercase());
        } else if *c == ' ' || *c == '-' || *c == '_' {
            out.push(sep);
        } else {
            out.push(*c);
        }
    }
    out
}

/// Go's regexp Expand syntax (`$1`, `${name}`) maps onto Rust's, except that Go reads `$1x` as
/// the group named `1x`; keep it as Rust reads it, which matches for the usual `${1}` form.
fn go_expand_template(s: &str) -> String {
    s.to_string()
}
