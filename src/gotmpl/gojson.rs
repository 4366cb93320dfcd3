//! Go's `encoding/json` output for template values: sorted keys, Go float text, HTML-safe
//! escaping by default (`<` as `\u003c`), and `MarshalIndent` layout.

use std::fmt::Write as _;

use super::gofmt::format_float_json;
use super::value::Value;

/// `json.Marshal` (escape_html = true), `json.MarshalIndent(v, "", indent)` with `indent`.
pub fn marshal(v: &Value, indent: Option<&str>, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    write(&mut out, v, indent, 0, escape_html)?;
    Ok(out)
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write(
    out: &mut String,
    v: &Value,
    indent: Option<&str>,
    depth: usize,
    html: bool,
) -> Result<(), String> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(format!(
                    "json: unsupported value: {}",
                    super::gofmt::format_float_g(*f)
                ));
            }
            out.push_str(&format_float_json(*f));
        }
        Value::Str(s) => write_string(out, s, html),
        Value::List(l) => {
            let l = l.borrow();
            if l.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write(out, item, indent, depth + 1, html)?;
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, item, indent, depth + 1, html)?;
            }
            newline(out, indent, depth);
            out.push('}');
        }
        Value::Object(o) => write(out, &o.to_value(), indent, depth, html)?,
    }
    Ok(())
}

fn write_string(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marshal_like_go() {
        let v = Value::from_json(&serde_json::json!({"b": [1, 2.5], "a": "<x>", "c": {}, "d": []}));
        assert_eq!(
            marshal(&v, None, true).unwrap(),
            r#"{"a":"\u003cx\u003e","b":[1,2.5],"c":{},"d":[]}"#
        );
        assert_eq!(
            marshal(&v, Some("  "), false).unwrap(),
            "{\n  \"a\": \"<x>\",\n  \"b\": [\n    1,\n    2.5\n  ],\n  \"c\": {},\n  \"d\": []\n}"
        );
        assert_eq!(marshal(&Value::Float(1e6), None, true).unwrap(), "1000000");
    }
}
