//! `--set path=value` overlays, read the way istioctl reads them.
//!
//! Paths are relative to the IstioOperator's `spec` (`values.global.hub`, `components.pilot.enabled`,
//! `meshConfig.accessLogFile`). Elements are separated by `.`; `\.` is a literal dot inside a key
//! (`podAnnotations.prometheus\.io/scrape`); `[N]` picks list item N (N = length appends);
//! `[key:value]` picks the list item whose `key` equals `value` (and adds it when there is none).
//! Both `a[0]` and `a.[0]` are accepted. Values: an integer, a float or a boolean
//! (Go's strconv rules) else a string with `\,` unescaped; a value in matching quotes stays a string.

use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
    Select { key: String, value: String },
}

/// One parsed `--set` flag.
#[derive(Debug, Clone, PartialEq)]
pub struct SetFlag {
    /// The flag as given, for error messages.
    pub raw: String,
    pub path: Vec<Segment>,
    pub value: Value,
}

/// Parses `path=value`.
pub fn parse_flag(raw: &str) -> Result<SetFlag, String> {
    let Some((path, value)) = raw.split_once('=') else {
        return Err(format!("--set {raw}: expected path=value"));
    };
    let path = parse_path(path.trim()).map_err(|e| format!("--set {raw}: {e}"))?;
    Ok(SetFlag {
        raw: raw.to_string(),
        path,
        value: parse_value(value),
    })
}

/// Splits a path into its elements.
pub fn parse_path(text: &str) -> Result<Vec<Segment>, String> {
    if text.is_empty() {
        return Err("the path is empty".to_string());
    }
    let mut segments = Vec::new();
    let mut key = String::new();
    let mut chars = text.chars().peekable();
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                key.push('.');
                chars.next();
            }
            '.' => {
                if key.is_empty() && !after_bracket {
                    return Err(format!("empty element in path {text:?}"));
                }
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                }
                after_bracket = false;
            }
            '[' => {
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                }
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(format!("unclosed [ in path {text:?}"));
                }
                segments.push(bracket(&inner, text)?);
                after_bracket = true;
            }
            c => {
                if after_bracket {
                    return Err(format!("expected . after ] in path {text:?}"));
                }
                key.push(c);
            }
        }
    }
    if !key.is_empty() {
        segments.push(Segment::Key(key));
    } else if !after_bracket {
        return Err(format!("path {text:?} ends with a ."));
    }
    Ok(segments)
}

fn bracket(inner: &str, text: &str) -> Result<Segment, String> {
    if let Ok(index) = inner.trim().parse::<usize>() {
        return Ok(Segment::Index(index));
    }
    match inner.split_once(':') {
        Some((key, value)) if !key.trim().is_empty() => Ok(Segment::Select {
            key: key.trim().to_string(),
            value: unquote(value.trim()).unwrap_or(value.trim()).to_string(),
        }),
        _ => Err(format!(
            "[{inner}] in path {text:?} is neither a list index ([0]) nor a selector ([name:value])"
        )),
    }
}

fn unquote(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    if bytes.len() >= 2
        && (bytes[0] == b'"' || bytes[0] == b'\'')
        && bytes[bytes.len() - 1] == bytes[0]
    {
        Some(&text[1..text.len() - 1])
    } else {
        None
    }
}

/// istioctl's value parsing: int, then float, then bool, else a string.
pub fn parse_value(text: &str) -> Value {
    if let Some(inner) = unquote(text) {
        return Value::String(inner.to_string());
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    match text {
        "t" | "T" | "TRUE" | "true" | "True" => Value::Bool(true),
        "f" | "F" | "FALSE" | "false" | "False" => Value::Bool(false),
        _ => Value::String(text.replace("\\,", ",")),
    }
}

/// Writes `value` at `path` inside `tree`, creating mappings and list items on the way.
pub fn write(tree: &mut Value, path: &[Segment], value: Value) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        *tree = value;
        return Ok(());
    };
    if tree.is_null() {
        *tree = match first {
            Segment::Key(_) => Value::Object(Map::new()),
            _ => Value::Array(Vec::new()),
        };
    }
    let child = match first {
        Segment::Key(key) => {
            let Value::Object(map) = tree else {
                return Err(format!(
                    "cannot set {key}: its parent is {}",
                    describe(tree)
                ));
            };
            map.entry(key.clone()).or_insert(Value::Null)
        }
        Segment::Index(index) => {
            let Value::Array(items) = tree else {
                return Err(format!(
                    "cannot use [{index}]: the value is {}",
                    describe(tree)
                ));
            };
            if *index == items.len() {
                items.push(Value::Null);
            } else if *index > items.len() {
                return Err(format!(
                    "index [{index}] is out of range: the list has {} item(s)",
                    items.len()
                ));
            }
            &mut items[*index]
        }
        Segment::Select { key, value: wanted } => {
            let Value::Array(items) = tree else {
                return Err(format!(
                    "cannot use [{key}:{wanted}]: the value is {}",
                    describe(tree)
                ));
            };
            let found = items
                .iter()
                .position(|item| item.get(key).is_some_and(|v| text_of(v) == *wanted));
            let index = match found {
                Some(i) => i,
                None => {
                    let mut item = Map::new();
                    item.insert(key.clone(), Value::String(wanted.clone()));
                    items.push(Value::Object(item));
                    items.len() - 1
                }
            };
            &mut items[index]
        }
    };
    write(child, rest, value)
}

/// A scalar as `--set` text (strings without quotes).
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "a mapping",
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "empty",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("components.ingressGateways[0].k8s").unwrap(),
            vec![
                key("components"),
                key("ingressGateways"),
                Segment::Index(0),
                key("k8s")
            ]
        );
        assert_eq!(
            parse_path("components.ingressGateways.[name:istio-ingressgateway].enabled").unwrap(),
            vec![
                key("components"),
                key("ingressGateways"),
                Segment::Select {
                    key: "name".into(),
                    value: "istio-ingressgateway".into()
                },
                key("enabled")
            ]
        );
        assert_eq!(
            parse_path(r"components.pilot.k8s.podAnnotations.prometheus\.io/scrape").unwrap(),
            vec![
                key("components"),
                key("pilot"),
                key("k8s"),
                key("podAnnotations"),
                key("prometheus.io/scrape")
            ]
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a.").is_err());
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("a[0").is_err());
        assert!(parse_path("").is_err());
    }

    #[test]
    fn values_follow_istioctl() {
        assert_eq!(parse_value("3"), json!(3));
        assert_eq!(parse_value("0.1"), json!(0.1));
        assert_eq!(parse_value("true"), json!(true));
        assert_eq!(parse_value("1.23.6"), json!("1.23.6"));
        assert_eq!(parse_value("\"1.23\""), json!("1.23"));
        assert_eq!(parse_value("'true'"), json!("true"));
        assert_eq!(parse_value(r"a\,b"), json!("a,b"));
        assert_eq!(parse_value(""), json!(""));
    }

    #[test]
    fn writes_create_and_select() {
        let mut tree = json!({"components": {"ingressGateways": [{"name": "a", "enabled": true}]}});
        for flag in [
            "components.ingressGateways[name:a].enabled=false",
            "components.ingressGateways[name:b].enabled=true",
            "components.ingressGateways[0].k8s.replicaCount=2",
            "values.global.hub=my.registry/istio",
            "meshConfig.accessLogFile=/dev/stdout",
            "a=b=c",
        ] {
            let f = parse_flag(flag).unwrap();
            write(&mut tree, &f.path, f.value).unwrap();
        }
        assert_eq!(
            tree,
            json!({"components": {"ingressGateways": [
                {"name": "a", "enabled": false, "k8s": {"replicaCount": 2}},
                {"name": "b", "enabled": true}]},
              "values": {"global": {"hub": "my.registry/istio"}},
              "meshConfig": {"accessLogFile": "/dev/stdout"},
              "a": "b=c"})
        );
        let f = parse_flag("components.ingressGateways[5].enabled=true").unwrap();
        assert!(
            write(&mut tree, &f.path, f.value)
                .unwrap_err()
                .contains("out of range")
        );
        let f = parse_flag("meshConfig.accessLogFile.x=1").unwrap();
        assert!(
            write(&mut tree, &f.path, f.value)
                .unwrap_err()
                .contains("a string")
        );
        assert!(parse_flag("novalue").is_err());
    }
}
