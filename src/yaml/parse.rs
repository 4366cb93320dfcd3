//! Reading YAML the way sigs.k8s.io/yaml (go-yaml v2 underneath) does: YAML 1.1 scalar
//! resolution, anchors/aliases and `<<` merge keys, non-string keys turned into strings, and
//! errors that name the file and line.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value as Json};

use super::resolve::{Resolved, resolve_plain};

/// A YAML syntax or conversion error at a place in a named file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub msg: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: line {}: {}", self.file, self.line, self.msg)
    }
}

impl std::error::Error for YamlError {}

/// Parses every document of a YAML stream. An empty document is `null`.
pub fn parse_documents(text: &str, file: &str) -> Result<Vec<Json>, YamlError> {
    let mut loader = Loader {
        parser: Parser::new_from_str(text),
        file,
        anchors: HashMap::new(),
    };
    let mut docs = Vec::new();
    loop {
        let (ev, span) = loader.next()?;
        match ev {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                loader.anchors.clear();
                let (ev, span) = loader.next()?;
                if matches!(ev, Event::DocumentEnd) {
                    docs.push(Json::Null);
                    continue;
                }
                docs.push(loader.node(ev, span)?);
            }
            _ => return Err(loader.err(&span, "unexpected event")),
        }
    }
    Ok(docs)
}

/// Parses the first document (what go-yaml's `Unmarshal` reads); an empty input is `null`.
pub fn parse_document(text: &str, file: &str) -> Result<Json, YamlError> {
    Ok(parse_documents(text, file)?
        .into_iter()
        .next()
        .unwrap_or(Json::Null))
}

struct Loader<'a> {
    parser: Parser<'a, granit_parser::StrInput<'a>>,
    file: &'a str,
    anchors: HashMap<usize, Json>,
}

impl<'a> Loader<'a> {
    fn err(&self, span: &Span, msg: impl Into<String>) -> YamlError {
        YamlError {
            file: self.file.to_string(),
            line: span.start.line(),
            col: span.start.col(),
            msg: msg.into(),
        }
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.parser.next_event() {
            Some(Ok((Event::Comment(..), _))) => self.next(),
            Some(Ok(pair)) => Ok(pair),
            Some(Err(e)) => Err(YamlError {
                file: self.file.to_string(),
                line: e.marker().line(),
                col: e.marker().col(),
                msg: e.info(),
            }),
            None => Ok((Event::StreamEnd, Span::default())),
        }
    }

    fn remember(&mut self, anchor: usize, v: &Json) {
        if anchor != 0 {
            self.anchors.insert(anchor, v.clone());
        }
    }

    fn node(&mut self, ev: Event<'a>, span: Span) -> Result<Json, YamlError> {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| {
                    if t.is_yaml_core_schema() {
                        t.suffix().to_string()
                    } else {
                        format!("!{}", t.suffix())
                    }
                });
                let v = self.scalar(&text, style, tag_suffix.as_deref(), &span)?;
                self.remember(anchor, &v);
                Ok(v)
            }
            Event::SequenceStart(_, anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, span)?);
                }
                let v = Json::Array(items);
                self.remember(anchor, &v);
                Ok(v)
            }
            Event::MappingStart(_, anchor, _) => {
                let mut map = Map::new();
                loop {
                    let (ev, kspan) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let is_merge =
                        matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let key = self.node(ev, kspan)?;
                    let (vev, vspan) = self.next()?;
                    let val = self.node(vev, vspan)?;
                    if is_merge {
                        self.merge(&mut map, val, &kspan)?;
                        continue;
                    }
                    map.insert(key_string(&key), val);
                }
                let v = Json::Object(map);
                self.remember(anchor, &v);
                Ok(v)
            }
            Event::Alias(id) => self
                .anchors
                .get(&id)
                .cloned()
                .ok_or_else(|| self.err(&span, "unknown anchor referenced")),
            _ => Err(self.err(&span, "did not find expected node content")),
        }
    }

    fn merge(&self, map: &mut Map<String, Json>, val: Json, span: &Span) -> Result<(), YamlError> {
        match val {
            Json::Object(m) => {
                for (k, v) in m {
                    map.insert(k, v);
                }
                Ok(())
            }
            Json::Array(items) => {
                for item in items.into_iter().rev() {
                    self.merge(map, item, span)?;
                }
                Ok(())
            }
            _ => Err(self.err(
                span,
                "map merge requires map or sequence of maps as the value",
            )),
        }
    }

    fn scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&str>,
        span: &Span,
    ) -> Result<Json, YamlError> {
        let resolved = match tag {
            Some("str") | Some("binary") => Resolved::Str,
            Some("null") => Resolved::Null,
            Some("bool" | "int" | "float" | "timestamp") => resolve_plain(text),
            Some(_) => Resolved::Str,
            None if style == ScalarStyle::Plain => resolve_plain(text),
            None => Resolved::Str,
        };
        Ok(match resolved {
            Resolved::Null => Json::Null,
            Resolved::Bool(b) => Json::Bool(b),
            Resolved::Int(i) => Json::Number(i.into()),
            Resolved::Uint(u) => Json::Number(u.into()),
            Resolved::Float(f) => match Number::from_f64(f) {
                Some(n) => Json::Number(n),
                None => return Err(self.err(span, format!("json: unsupported value: {text}"))),
            },
            Resolved::Timestamp | Resolved::Str | Resolved::Merge => Json::String(text.to_string()),
        })
    }
}

/// sigs.k8s.io/yaml turns non-string keys into strings.
fn key_string(key: &Json) -> String {
    match key {
        Json::String(s) => s.clone(),
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                crate::gotmpl::gofmt::format_float_g(n.as_f64().unwrap_or(0.0))
            }
        }
        other => other.to_string(),
    }
}

/// Splits a multi-document stream the way Istio's tooling does: every line starting with
/// `---` ends a document; documents are whitespace-trimmed and empty ones dropped.
pub fn split_documents(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut active = String::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with("---") {
            parts.push(std::mem::take(&mut active));
        } else {
            active.push_str(line);
            active.push('\n');
        }
    }
    // a trailing newline yields one empty final "line" that bufio.Scanner would not report
    if text.ends_with('\n') && active.ends_with('\n') {
        active.pop();
    }
    if !active.is_empty() {
        parts.push(active);
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_go_yaml_v2_scalars() {
        let v = parse_document(
            "a: yes\nb: 0755\nc: '1'\nd: 1.5\ne:\nf: ~\ng: [1, two]\non: x\nh: !!str 12\n",
            "v.yaml",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"a": true, "b": 493, "c": "1", "d": 1.5, "e": null, "f": null, "g": [1, "two"], "true": "x", "h": "12"})
        );
    }

    #[test]
    fn anchors_and_merge_keys() {
        let v = parse_document(
            "base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\nl: *b\n",
            "v.yaml",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"base": {"x": 1, "z": 2}, "d": {"x": 1, "z": 3}, "l": {"x": 1, "z": 2}})
        );
        // YAML 1.1: a plain `y` key is the boolean true, which sigs.k8s.io/yaml spells "true"
        assert_eq!(
            parse_document("y: 1", "v.yaml").unwrap(),
            json!({"true": 1})
        );
    }

    #[test]
    fn multi_documents_and_errors_name_file_and_line() {
        let docs = parse_documents("a: 1\n---\nb: 2\n---\n", "m.yaml").unwrap();
        assert_eq!(docs[0], json!({"a": 1}));
        assert_eq!(docs[1], json!({"b": 2}));
        let err = parse_documents("a: 1\nb: [1, 2\n", "bad.yaml").unwrap_err();
        assert_eq!(err.file, "bad.yaml");
        assert!(err.line >= 2, "{err}");
        assert!(err.to_string().starts_with("bad.yaml: line "), "{err}");
    }

    #[test]
    fn split_like_istio() {
        let parts = split_documents("---\na: 1\n--- # c\n\nb: 2\n---\n\n");
        assert_eq!(parts, vec!["a: 1".to_string(), "b: 2".to_string()]);
        assert!(split_documents("").is_empty());
    }
}
