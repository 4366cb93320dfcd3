//! Helm's `--set` syntax (helm.sh/helm/v3/pkg/strvals): `a.b=c`, `list[0]=x`, `a[1].b=c`,
//! `a={x,y}`, several assignments separated by `,`, backslash escapes (`\,`, `\.`, `\=`), and
//! typed values (`true`/`false`/`null`, integers without leading zeros become int64;
//! everything else, floats included, stays a string). `--set-string` keeps every value a string.

use std::collections::BTreeMap;

use super::value::{MapRef, Value};

const MAX_INDEX: usize = 65536;
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How values are typed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// `--set`: Helm's typedVal.
    Typed,
    /// `--set-string`: always strings.
    String,
}

/// Parses `line` (one `--set` argument) into `data`, as Helm's `strvals.ParseInto`.
pub fn parse_into(line: &str, data: &MapRef, mode: Mode) -> Result<(), String> {
    let mut p = P {
        s: line.chars().collect(),
        i: 0,
        mode,
    };
    loop {
        match p.key(data, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Err(e)) => return Err(e),
        }
    }
}

/// Parses one `--set` argument into a new map.
pub fn parse(line: &str, mode: Mode) -> Result<MapRef, String> {
    let data = match Value::empty_map() {
        Value::Map(m) => m,
        _ => unreachable!("empty_map is a map"),
    };
    parse_into(line, &data, mode)?;
    Ok(data)
}

enum Stop {
    Eof,
    Err(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Self {
        Stop::Err(s)
    }
}

struct P {
    s: Vec<char>,
    i: usize,
    mode: Mode,
}

fn typed_val(v: &str, mode: Mode) -> Value {
    if mode == Mode::String {
        return Value::from(v);
    }
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if v == "0" {
        return Value::Int(0);
    }
    if !v.is_empty()
        && !v.starts_with('0')
        && let Ok(i) = v.parse::<i64>()
    {
        return Value::Int(i);
    }
    Value::from(v)
}

fn set(data: &MapRef, key: &str, val: Value) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().insert(key.to_string(), val);
}

fn set_index(list: &mut Vec<Value>, i: usize, val: Value) -> Result<(), String> {
    if i > MAX_INDEX {
        return Err(format!(
            "index of {i} is greater than maximum supported index of {MAX_INDEX}"
        ));
    }
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    Ok(())
}

fn new_map() -> MapRef {
    std::rc::Rc::new(std::cell::RefCell::new(BTreeMap::new()))
}

impl P {
    /// Reads up to one of `stop` (consumed), honouring backslash escapes.
    /// Returns the text, the stop rune (None at end of input).
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        while self.i < self.s.len() {
            let c = self.s[self.i];
            self.i += 1;
            if c == '\\' {
                if self.i < self.s.len() {
                    out.push(self.s[self.i]);
                    self.i += 1;
                }
                continue;
            }
            if stop.contains(&c) {
                return (out, Some(c));
            }
            out.push(c);
        }
        (out, None)
    }

    fn key(&mut self, data: &MapRef, level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None => {
                if k.is_empty() {
                    return Err(Stop::Eof);
                }
                Err(Stop::Err(format!("key {k:?} has no value")))
            }
            Some('[') => {
                let i = self.key_index()?;
                let existing = data.borrow().get(&k).cloned();
                let mut list = match existing {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.borrow().clone(),
                    Some(other) => {
                        return Err(Stop::Err(format!(
                            "unable to parse key: interface conversion: interface {{}} is {}, not []interface {{}}",
                            other.type_name()
                        )));
                    }
                };
                let res = self.list_item(&mut list, i, level);
                set(data, &k, Value::new_list(list));
                res
            }
            Some('=') => match self.val_list() {
                Ok(Some(vl)) => {
                    set(data, &k, Value::new_list(vl));
                    Ok(())
                }
                Ok(None) => {
                    let (rs, end) = self.until(&[',']);
                    set(data, &k, typed_val(&rs, self.mode));
                    if end.is_none() {
                        Err(Stop::Eof)
                    } else {
                        Ok(())
                    }
                }
                Err(Stop::Eof) => {
                    set(data, &k, Value::from(""));
                    Err(Stop::Eof)
                }
                Err(e) => Err(e),
            },
            Some(',') => {
                set(data, &k, Value::from(""));
                Err(Stop::Err(format!(
                    "key {k:?} has no value (cannot end with ,)"
                )))
            }
            Some(_) => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(Stop::Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let existing = data.borrow().get(&k).cloned();
                let inner = match existing {
                    None => new_map(),
                    Some(Value::Map(m)) => m,
                    Some(other) => {
                        return Err(Stop::Err(format!(
                            "unable to parse key: interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                            other.type_name()
                        )));
                    }
                };
                let e = self.key(&inner, level);
                if e.is_ok() && inner.borrow().is_empty() {
                    return Err(Stop::Err(format!("key map {k:?} has no value")));
                }
                if !inner.borrow().is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Result<usize, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Stop::Err("error parsing index: EOF".into()));
        }
        let i: i64 = v.parse().map_err(|_| {
            Stop::Err(format!(
                "error parsing index: strconv.Atoi: parsing {v:?}: invalid syntax"
            ))
        })?;
        if i < 0 {
            return Err(Stop::Err(format!("negative {i} index not allowed")));
        }
        Ok(i as usize)
    }

    /// `{a,b}` list syntax; `Ok(None)` when the value is not a list.
    fn val_list(&mut self) -> Result<Option<Vec<Value>>, Stop> {
        if self.i >= self.s.len() {
            return Err(Stop::Eof);
        }
        if self.s[self.i] != '{' {
            return Ok(None);
        }
        self.i += 1;
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(Stop::Err("list must terminate with '}'".into())),
                Some('}') => {
                    if self.i < self.s.len() && self.s[self.i] == ',' {
                        self.i += 1;
                    }
                    list.push(typed_val(&rs, self.mode));
                    return Ok(Some(list));
                }
                Some(_) => list.push(typed_val(&rs, self.mode)),
            }
        }
    }

    fn list_item(&mut self, list: &mut Vec<Value>, i: usize, level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return Err(Stop::Err(format!(
                "unexpected data at end of array index: {k:?}"
            )));
        }
        match last {
            None => Err(Stop::Eof),
            Some('=') => match self.val_list() {
                Ok(Some(vl)) => Ok(set_index(list, i, Value::new_list(vl))?),
                Err(Stop::Eof) => Ok(set_index(list, i, Value::from(""))?),
                Ok(None) => {
                    let (rs, end) = self.until(&[',']);
                    set_index(list, i, typed_val(&rs, self.mode))?;
                    if end.is_none() {
                        Err(Stop::Eof)
                    } else {
                        Ok(())
                    }
                }
                Err(e) => Err(e),
            },
            Some('[') => {
                let next_i = self.key_index()?;
                let mut inner = match list.get(i) {
                    Some(Value::List(l)) => l.borrow().clone(),
                    None | Some(Value::Nil) => Vec::new(),
                    Some(other) => {
                        return Err(Stop::Err(format!(
                            "unable to parse key: interface conversion: interface {{}} is {}, not []interface {{}}",
                            other.type_name()
                        )));
                    }
                };
                let res = self.list_item(&mut inner, next_i, level);
                set_index(list, i, Value::new_list(inner))?;
                res
            }
            Some(_) => {
                let inner = match list.get(i) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => new_map(),
                };
                let e = self.key(&inner, level);
                set_index(list, i, Value::Map(inner))?;
                e
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(line: &str) -> serde_json::Value {
        Value::Map(parse(line, Mode::Typed).unwrap())
            .to_json()
            .unwrap()
    }

    #[test]
    fn helm_set_syntax() {
        assert_eq!(
            json("a.b=c,d=1"),
            serde_json::json!({"a": {"b": "c"}, "d": 1})
        );
        assert_eq!(
            json("a[0]=x,a[2]=z"),
            serde_json::json!({"a": ["x", null, "z"]})
        );
        assert_eq!(
            json("a[1].b=true"),
            serde_json::json!({"a": [null, {"b": true}]})
        );
        assert_eq!(
            json("a={x,y},b=2"),
            serde_json::json!({"a": ["x", "y"], "b": 2})
        );
        assert_eq!(json("a=1\\,2"), serde_json::json!({"a": "1,2"}));
        assert_eq!(json("a\\.b=c"), serde_json::json!({"a.b": "c"}));
        assert_eq!(
            json("f=1.5,z=007,n=null,e="),
            serde_json::json!({"f": "1.5", "z": "007", "n": null, "e": ""})
        );
        assert_eq!(json("a=x=y"), serde_json::json!({"a": "x=y"}));
    }

    #[test]
    fn set_string_keeps_strings() {
        let m = parse("a=1,b=true", Mode::String).unwrap();
        assert_eq!(
            Value::Map(m).to_json().unwrap(),
            serde_json::json!({"a": "1", "b": "true"})
        );
    }

    #[test]
    fn errors() {
        assert!(
            parse("a", Mode::Typed)
                .unwrap_err()
                .contains("has no value")
        );
        assert!(parse("a[-1]=x", Mode::Typed).is_err());
        assert!(parse("a[x]=1", Mode::Typed).is_err());
        assert!(
            parse("a={x", Mode::Typed)
                .unwrap_err()
                .contains("terminate")
        );
    }

    #[test]
    fn into_existing_map() {
        let m = parse("a.b=1", Mode::Typed).unwrap();
        parse_into("a.c=2,a.b=3", &m, Mode::Typed).unwrap();
        assert_eq!(
            Value::Map(m).to_json().unwrap(),
            serde_json::json!({"a": {"b": 3, "c": 2}})
        );
    }
}
