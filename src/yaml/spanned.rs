//! Multi-document YAML → `serde_json::Value` with a path → location index.
//!
//! Paths are written the way validation errors show them: `spec.components.ingressGateways[0].k8s`.
//! Scalars resolve as go-yaml v2 resolves them ([`resolve_plain`]); quoted scalars and `!!str` stay
//! strings. Anchors, aliases and `<<` merge keys are supported.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::{Map, Number, Value};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use super::{Resolved, resolve_plain};

/// A 1-based line and column in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)
    }
}

/// Where each path of a document came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locations(BTreeMap<String, Location>);

impl Locations {
    /// The location of exactly this path, if it was written in the source.
    pub fn get(&self, path: &str) -> Option<Location> {
        self.0.get(path).copied()
    }

    /// The location of this path or of the closest enclosing path that exists in the source
    /// (a missing field is reported at its parent).
    pub fn nearest(&self, path: &str) -> Option<Location> {
        let mut path = path;
        loop {
            if let Some(found) = self.0.get(path) {
                return Some(*found);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// One YAML document: its value, where its parts came from, and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedDocument {
    pub value: Value,
    pub locations: Locations,
    pub line: usize,
}

impl LocatedDocument {
    /// True when the document holds nothing (an empty file, only comments, a bare `---`).
    pub fn is_empty(&self) -> bool {
        self.value.is_null()
    }
}

/// Malformed YAML: the parser's message and where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub location: Location,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} column {}: {}",
            self.location.line, self.location.column, self.message
        )
    }
}

impl std::error::Error for SyntaxError {}

/// Parses every document of `text`. Empty documents are kept (as `Value::Null`) so callers can say
/// "document 2 is empty"; a file with no content at all gives one empty document.
pub fn parse_located(text: &str) -> Result<Vec<LocatedDocument>, SyntaxError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            message: e.info(),
            location: Location {
                line: e.marker().line(),
                column: e.marker().col() + 1,
            },
        })?;
        let at = Location {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        builder.event(event, at)?;
    }
    if builder.documents.is_empty() {
        builder.documents.push(LocatedDocument {
            value: Value::Null,
            locations: Locations::default(),
            line: 1,
        });
    }
    Ok(builder.documents)
}

enum Frame {
    Map {
        map: Map<String, Value>,
        path: String,
        anchor: usize,
        key: Option<(String, Location)>,
    },
    Seq {
        items: Vec<Value>,
        path: String,
        anchor: usize,
    },
}

#[derive(Default)]
struct Builder {
    documents: Vec<LocatedDocument>,
    stack: Vec<Frame>,
    locations: BTreeMap<String, Location>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    doc_line: usize,
    content_line: Option<usize>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, at: Location) -> Result<(), SyntaxError> {
        if self.stack.is_empty()
            && self.content_line.is_none()
            && matches!(
                event,
                Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..)
            )
        {
            self.content_line = Some(at.line);
        }
        match event {
            Event::DocumentStart(..) => {
                self.locations.clear();
                self.anchors.clear();
                self.root = None;
                self.doc_line = at.line;
                self.content_line = None;
            }
            Event::DocumentEnd => {
                self.documents.push(LocatedDocument {
                    value: self.root.take().unwrap_or(Value::Null),
                    locations: Locations(std::mem::take(&mut self.locations)),
                    line: self.content_line.take().unwrap_or(self.doc_line).max(1),
                });
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| t.suffix().to_string());
                // A scalar in key position becomes the pending key.
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut()
                    && key.is_none()
                {
                    *key = Some((text.into_owned(), at));
                    return Ok(());
                }
                let value = resolve_scalar(&text, style, tag_suffix.as_deref());
                if anchor != 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.complete(value, at)?;
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut()
                    && key.is_none()
                {
                    *key = Some((scalar_text(&value), at));
                    return Ok(());
                }
                self.complete(value, at)?;
            }
            Event::MappingStart(_, anchor, _) => {
                let path = self.child_path(at)?;
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    path,
                    anchor,
                    key: None,
                });
            }
            Event::SequenceStart(_, anchor, _) => {
                let path = self.child_path(at)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    path,
                    anchor,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Map { map, anchor, .. }) => (Value::Object(map), anchor),
                    Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                    None => return Ok(()),
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.attach(value);
            }
            _ => {}
        }
        Ok(())
    }

    /// The path of the node about to start, recording its location. Errors on complex keys.
    fn child_path(&mut self, at: Location) -> Result<String, SyntaxError> {
        match self.stack.last() {
            None => Ok(String::new()),
            Some(Frame::Map { key: None, .. }) => Err(SyntaxError {
                message: "a mapping or list used as a key is not supported".to_string(),
                location: at,
            }),
            Some(Frame::Map {
                key: Some((key, key_at)),
                path,
                ..
            }) => {
                let child = join_key(path, key);
                let key_at = *key_at;
                self.locations.insert(child.clone(), key_at);
                Ok(child)
            }
            Some(Frame::Seq { items, path, .. }) => {
                let child = format!("{path}[{}]", items.len());
                self.locations.insert(child.clone(), at);
                Ok(child)
            }
        }
    }

    /// A scalar or alias finished: record where it is and attach it.
    fn complete(&mut self, value: Value, at: Location) -> Result<(), SyntaxError> {
        if !self.stack.is_empty() {
            self.child_path(at)?;
        }
        self.attach(value);
        Ok(())
    }

    fn attach(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => {
                let Some((name, _)) = key.take() else { return };
                if name == "<<" {
                    merge_key(map, value);
                } else {
                    map.insert(name, value);
                }
            }
        }
    }
}

/// `<<: *anchor` (or a list of anchors): copy entries the mapping does not set itself.
fn merge_key(map: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(entries) = source {
            for (k, v) in entries {
                map.entry(k).or_insert(v);
            }
        }
    }
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Resolution of one scalar the way go-yaml v2 does it (what istioctl and kubectl read).
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_string()),
        Some("null") => return Value::Null,
        Some("bool") | Some("int") | Some("float") => {}
        Some(_) => return Value::String(text.to_string()),
        None if style != ScalarStyle::Plain => return Value::String(text.to_string()),
        None => {}
    }
    match resolve_plain(text) {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Number(i.into()),
        Resolved::Uint(u) => Value::Number(u.into()),
        Resolved::Float(f) => Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_string())),
        Resolved::Timestamp | Resolved::Merge | Resolved::Str => Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_locations() {
        let text = "\
apiVersion: v1
spec:
  list:
  - name: a
    port: 80
  - \"8080\"
  flag: true
  ratio: 0.5
  empty:
  hex: 0x1F
  tag: 1.23.0
";
        let docs = parse_located(text).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(
            d.value,
            json!({"apiVersion":"v1","spec":{"list":[{"name":"a","port":80},"8080"],"flag":true,"ratio":0.5,"empty":null,"hex":31,"tag":"1.23.0"}})
        );
        assert_eq!(d.locations.get("spec").unwrap().line, 2);
        assert_eq!(d.locations.get("spec.list[0]").unwrap().line, 4);
        assert_eq!(d.locations.get("spec.list[0].port").unwrap().line, 5);
        assert_eq!(d.locations.get("spec.list[1]").unwrap().line, 6);
        assert_eq!(d.locations.get("spec.tag").unwrap().line, 11);
        assert_eq!(
            d.locations.nearest("spec.list[0].port.nope").unwrap().line,
            5
        );
        assert_eq!(d.locations.nearest("zzz"), None);
    }

    #[test]
    fn several_documents_and_empty_ones() {
        let docs = parse_located("a: 1\n---\n# only a comment\n---\nb: [1, 2]\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[1].is_empty());
        assert_eq!(docs[2].value, json!({"b":[1,2]}));
        assert_eq!(docs[2].line, 5);
        assert_eq!(docs[2].locations.get("b[1]").unwrap().line, 5);

        let empty = parse_located("").unwrap();
        assert_eq!(empty.len(), 1);
        assert!(empty[0].is_empty());
        assert!(parse_located("# nothing\n").unwrap()[0].is_empty());
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let docs =
            parse_located("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\ncopy: *b\n").unwrap();
        assert_eq!(
            docs[0].value,
            json!({"base":{"x":1,"y":2},"other":{"y":3,"x":1},"copy":{"x":1,"y":2}})
        );
    }

    #[test]
    fn tags_and_quoting_keep_strings() {
        let docs = parse_located("a: !!str 12\nb: '12'\nc: 12\nd: -7\ne: 1e3\nf: .5\n").unwrap();
        assert_eq!(
            docs[0].value,
            json!({"a":"12","b":"12","c":12,"d":-7,"e":1000.0,"f":0.5})
        );
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let err = parse_located("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.location.line >= 2, "{err}");
        let err = parse_located("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(err.location.line, 2, "{err}");
    }
}
