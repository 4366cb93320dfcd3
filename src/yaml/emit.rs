//! A byte-exact reimplementation of what sigs.k8s.io/yaml `Marshal` writes: the value goes
//! through JSON (so numbers are JSON numbers), is re-read by go-yaml v2 and emitted by its
//! libyaml-derived emitter: keys in go-yaml's "natural" order, block style with sequences not
//! indented under their key, `{}`/`[]` for empty collections, go-yaml's quoting decisions,
//! `|`/`|-`/`|+` literal blocks for multi-line strings, and line folding at column 80.

use std::cmp::Ordering;

use serde_json::Value as Json;

use super::resolve::{Resolved, is_base60_float, resolve_plain};
use crate::gotmpl::gofmt::{format_float_g, format_float_json};

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;

/// sigs.k8s.io/yaml `Marshal(v)`: the YAML text, ending in a newline.
pub fn to_go_yaml(value: &Json) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
    };
    e.node(value, Ctx::Root);
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}

/// go-yaml v2's map key order: runs of digits compare as numbers, letters sort after
/// non-letters, otherwise by code point.
pub fn go_yaml_key_cmp(a: &str, b: &str) -> Ordering {
    if go_yaml_key_less(a, b) {
        Ordering::Less
    } else if go_yaml_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn go_yaml_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Root,
    MapKey,
    Value,
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i32,
}

/// The text go-yaml would print for a JSON number (after the JSON round trip).
fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let json = format_float_json(f);
    // go-yaml re-reads the JSON text: integers stay integers, the rest are float64.
    match resolve_plain(&json) {
        Resolved::Int(i) => i.to_string(),
        Resolved::Uint(u) => u.to_string(),
        _ => {
            let s = format_float_g(f);
            match s.as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                _ => s,
            }
        }
    }
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
        || (0x10000..=0x10FFFF).contains(&u)
        || u == 0x85
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = value.chars().collect();
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
    }
    let mut preceded_by_ws = true;
    let n = chars.len();
    for i in 0..n {
        let c = chars[i];
        let followed_by_ws =
            i + 1 >= n || matches!(chars[i + 1], ' ' | '\t') || is_break(chars[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' if followed_by_ws => block_indicators = true,
                '-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_ws => block_indicators = true,
                '#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) || c == '\u{FEFF}' {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = matches!(c, ' ' | '\t' | '\0') || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn node(&mut self, v: &Json, ctx: Ctx) {
        match v {
            Json::Object(map) if !map.is_empty() => {
                let saved = self.indent;
                self.increase_indent(false, false);
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by(|a, b| go_yaml_key_cmp(a, b));
                for k in keys {
                    self.write_indent();
                    self.scalar_str(k, true);
                    self.write_indicator(":", false, false, false);
                    self.node(&map[k.as_str()], Ctx::Value);
                }
                self.indent = saved;
            }
            Json::Array(items) if !items.is_empty() => {
                let saved = self.indent;
                // sequences directly under a mapping key are not indented
                let indentless = ctx == Ctx::Value && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Ctx::Value);
                }
                self.indent = saved;
            }
            Json::Object(_) => {
                self.write_indicator("{", true, true, false);
                self.write_indicator("}", false, false, false);
            }
            Json::Array(_) => {
                self.write_indicator("[", true, true, false);
                self.write_indicator("]", false, false, false);
            }
            Json::Null => self.scalar_plain("null"),
            Json::Bool(b) => self.scalar_plain(if *b { "true" } else { "false" }),
            Json::Number(n) => {
                let t = number_text(n);
                self.scalar_plain(&t);
            }
            Json::String(s) => self.scalar_str(s, ctx == Ctx::MapKey),
        }
    }

    /// A non-string scalar (always plain).
    fn scalar_plain(&mut self, text: &str) {
        let saved = self.indent;
        self.increase_indent(true, false);
        self.write_plain(text, true);
        self.indent = saved;
    }

    fn scalar_str(&mut self, s: &str, simple_key: bool) {
        let can_plain = resolve_plain(s) == Resolved::Str && !is_base60_float(s);
        let mut style = if s.contains('\n') {
            Style::Literal
        } else if can_plain {
            Style::Plain
        } else {
            Style::Double
        };
        let a = analyze(s);
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if !a.block_plain_allowed {
                style = Style::Single;
            }
            if s.is_empty() && simple_key {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::Double;
        }
        let saved = self.indent;
        self.increase_indent(true, false);
        match style {
            Style::Plain => self.write_plain(s, !simple_key),
            Style::Single => self.write_single(s, !simple_key),
            Style::Double => self.write_double(s, !simple_key),
            Style::Literal => self.write_literal(s),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1).is_some_and(|n| *n != ' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let n = chars.len();
        let mut i = 0;
        while i < n {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < n - 1
                    && chars[i + 1] != ' '
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        if breaks {
            self.write_indent();
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        let mut i = 0;
        while i < n {
            let c = chars[i];
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let v = c as u32;
                        let (ind, w) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(ind);
                        for k in (0..w).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(
                                std::char::from_digit(d, 16)
                                    .unwrap_or('0')
                                    .to_ascii_uppercase(),
                            );
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < n - 1 {
                    self.write_indent();
                    if chars[i + 1] == ' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
            i += 1;
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // block scalar hints
        if value.starts_with(' ') || value.starts_with(is_break) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chars: Vec<char> = value.chars().collect();
        let chomp = if chars.is_empty() || !is_break(chars[chars.len() - 1]) {
            Some('-')
        } else if chars.len() == 1 || is_break(chars[chars.len() - 2]) {
            Some('+')
        } else {
            None
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in chars {
            if is_break(c) {
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
        // As libyaml: after a final line break the next node starts on a fresh, indented line
        // without another break.
        self.whitespace = true;
        self.indention = breaks;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_style_sorted_keys() {
        let v = json!({"b": 1, "a": {"y": [1, 2], "x": "s"}, "c": [], "d": {}});
        assert_eq!(
            to_go_yaml(&v),
            "a:\n  x: s\n  \"y\":\n  - 1\n  - 2\nb: 1\nc: []\nd: {}\n"
        );
    }

    #[test]
    fn sequences_of_maps_and_nested_sequences() {
        let v = json!([{"name": "a", "port": 80}, [1, [2, 3]], "x"]);
        assert_eq!(
            to_go_yaml(&v),
            "- name: a\n  port: 80\n- - 1\n  - - 2\n    - 3\n- x\n"
        );
    }

    #[test]
    fn quoting_rules() {
        let v = json!({
            "t": "true", "f": "1.0", "o": "0755", "y": "yes", "e": "", "n": "null",
            "c": "a: b", "d": "- x", "s": "*", "h": "a #b", "ok": "a#b", "sp": " lead",
            "ts": "2024-01-01", "colon": "a:b", "tab": "a\tb", "q": "it's", "bs": "back\\slash",
            "dq": "\"q\"", "v": "1.2.3", "ver": "v1", "pct": "%x"
        });
        let out = to_go_yaml(&v);
        for line in [
            "t: \"true\"",
            "f: \"1.0\"",
            "o: \"0755\"",
            "\"y\": \"yes\"",
            "e: \"\"",
            "\"n\": \"null\"",
            "c: 'a: b'",
            "d: '- x'",
            "s: '*'",
            "h: 'a #b'",
            "ok: a#b",
            "sp: ' lead'",
            "ts: \"2024-01-01\"",
            "colon: a:b",
            "tab: \"a\\tb\"",
            "q: it's",
            "bs: back\\slash",
            "dq: '\"q\"'",
            "v: 1.2.3",
            "ver: v1",
            "pct: '%x'",
        ] {
            assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
        }
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(to_go_yaml(&json!({"a": "x\ny"})), "a: |-\n  x\n  y\n");
        assert_eq!(to_go_yaml(&json!({"a": "x\ny\n"})), "a: |\n  x\n  y\n");
        assert_eq!(to_go_yaml(&json!({"a": "x\n\n"})), "a: |+\n  x\n\n");
        assert_eq!(to_go_yaml(&json!({"a": "x\n\ny"})), "a: |-\n  x\n\n  y\n");
        assert_eq!(to_go_yaml(&json!({"a": " x\ny"})), "a: |2-\n   x\n  y\n");
        // trailing space forbids a block scalar
        assert_eq!(to_go_yaml(&json!({"a": "x \ny"})), "a: \"x \\ny\"\n");
        assert_eq!(to_go_yaml(&json!(["x\ny"])), "- |-\n  x\n  y\n");
        assert_eq!(to_go_yaml(&json!("x\ny")), "|-\n  x\n  y\n");
        // a clipped literal followed by more nodes: no blank line in between
        assert_eq!(
            to_go_yaml(&json!([{"a": "x\n", "b": 1}, {"c": "y\n"}])),
            "- a: |\n    x\n  b: 1\n- c: |\n    y\n"
        );
    }

    #[test]
    fn numbers_after_json_round_trip() {
        assert_eq!(to_go_yaml(&json!({"a": 1e6})), "a: 1000000\n");
        assert_eq!(to_go_yaml(&json!({"a": 0.5})), "a: 0.5\n");
        assert_eq!(to_go_yaml(&json!({"a": 1.5e-7})), "a: 1.5e-07\n");
        assert_eq!(
            to_go_yaml(&json!({"a": 123456789.5})),
            "a: 1.234567895e+08\n"
        );
        assert_eq!(to_go_yaml(&json!({"a": 1e21})), "a: 1e+21\n");
        assert_eq!(
            to_go_yaml(&json!({"a": null, "b": true})),
            "a: null\nb: true\n"
        );
    }

    #[test]
    fn long_plain_strings_fold_at_80() {
        let words = vec!["word"; 30].join(" ");
        let out = to_go_yaml(&json!({ "k": words }));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1, "{out}");
        assert!(lines[1].starts_with("  word"));
        // folding is undone when read back: the text is the same
        assert_eq!(
            lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "),
            format!("k: {words}")
        );
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["b", "a10", "a9", "_x", "A", "a-b", "a.b"];
        keys.sort_by(|a, b| go_yaml_key_cmp(a, b));
        assert_eq!(keys, vec!["_x", "A", "a-b", "a.b", "a9", "a10", "b"]);
    }
}
