//! Executes parsed templates with Go's text/template semantics (Helm runs it with
//! `missingkey=zero`): field chains on maps and host objects, variables and their scopes,
//! if/with/range/break/continue, `template`, pipelines with typed function arguments,
//! and `<no value>` for missing values.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{Arg, Branch, Command, List, Node, Pipe, Pos, Tree};
use super::funcs::{Func, FuncMap, Special, Ty};
use super::gofmt;
use super::parse::{ParseError, parse};
use super::value::Value;

/// Go's limit on nested template calls.
const MAX_EXEC_DEPTH: usize = 100_000;

/// A template error: a parse error, or an execution error with Go's location and context.
#[derive(Debug, Clone)]
pub enum Error {
    Parse(ParseError),
    Exec {
        /// `file:line:col` (or just the template name when there is no node).
        location: String,
        /// The executing template's name.
        name: String,
        /// The node being evaluated (truncated like Go), or empty.
        context: String,
        msg: String,
    },
    /// An error outside a template (e.g. "no template named X").
    Other(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Parse(p) => write!(f, "{p}"),
            Error::Exec {
                location,
                name,
                context,
                msg,
            } => {
                if context.is_empty() {
                    write!(f, "template: {location}: {msg}")
                } else {
                    write!(
                        f,
                        "template: {location}: executing {name:?} at <{context}>: {msg}"
                    )
                }
            }
            Error::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// A set of named templates sharing one function map (Go's `*template.Template` family).
#[derive(Clone)]
pub struct Templates {
    trees: HashMap<String, Rc<Tree>>,
    funcs: Rc<FuncMap>,
    /// `missingkey=error` instead of Helm's default `missingkey=zero`.
    pub strict: bool,
}

impl Templates {
    /// An empty set using `funcs`.
    pub fn new(funcs: FuncMap) -> Self {
        Templates {
            trees: HashMap::new(),
            funcs: Rc::new(funcs),
            strict: false,
        }
    }

    /// The function map.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Parses `text` as template `name`, adding it and the templates it `define`s. A later
    /// definition replaces an earlier one unless it is empty (Go's rule).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let funcs = self.funcs.clone();
        let trees = parse(name, text, &|f| funcs.contains(f)).map_err(Error::Parse)?;
        for tree in trees {
            add_tree(&mut self.trees, tree);
        }
        Ok(())
    }

    /// Whether a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// Names of all templates (unordered).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(String::as_str)
    }

    /// Executes template `name` with `data` as dot and returns the output.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        let mut exec = Exec::new(self);
        exec.execute_template(name, data.clone())
    }
}

fn add_tree(trees: &mut HashMap<String, Rc<Tree>>, tree: Tree) {
    if let Some(old) = trees.get(&tree.name)
        && tree.is_empty()
        && !old.is_empty()
    {
        return;
    }
    trees.insert(tree.name.clone(), Rc::new(tree));
}

/// What a function sees while it runs: the template set, for `include` and `tpl`.
pub struct Exec<'a> {
    set: &'a Templates,
    /// Templates defined by `tpl` strings, innermost last.
    overlays: Vec<HashMap<String, Rc<Tree>>>,
    include_counts: HashMap<String, usize>,
    depth: usize,
}

/// A value plus whether it is a nil held in an `interface{}` slot (a map element or a range
/// element): Go refuses to evaluate a field on those, but silently yields nothing on a plain nil.
#[derive(Clone)]
struct Slot {
    v: Value,
    /// The value sits in an `interface{}` slot (a map or list element); Go names its type
    /// `interface {}` in field errors.
    iface: bool,
    /// A nil held in an `interface{}` slot.
    iface_nil: bool,
}

impl Slot {
    fn plain(v: Value) -> Slot {
        Slot {
            v,
            iface: false,
            iface_nil: false,
        }
    }
    fn elem(v: Value) -> Slot {
        let iface_nil = v.is_nil();
        Slot {
            v,
            iface: true,
            iface_nil,
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

struct Frame {
    tree: Rc<Tree>,
    vars: Vec<(String, Slot)>,
    /// The node being evaluated, for error locations; its text is looked up only on error.
    pos: Pos,
    kind: CtxKind,
}

/// Which kind of node `Frame::pos` points at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CtxKind {
    None,
    Arg,
    Cmd,
    Pipe,
    Range,
    Template,
}

/// The text Go shows as `<context>` for the node of `kind` at `pos` (errors only, so a walk is fine).
fn context_text(tree: &Tree, pos: Pos, kind: CtxKind) -> String {
    fn in_list(list: &List, pos: Pos, kind: CtxKind) -> Option<String> {
        list.iter().find_map(|n| in_node(n, pos, kind))
    }
    fn in_node(node: &Node, pos: Pos, kind: CtxKind) -> Option<String> {
        match node {
            Node::Text(_) | Node::Break | Node::Continue => None,
            Node::Action(p) => in_pipe(p, pos, kind),
            Node::If(b) | Node::With(b) | Node::Range(b) => {
                if kind == CtxKind::Range && b.pos == pos {
                    return Some(format!("{{{{range {}}}}}", b.pipe));
                }
                in_pipe(&b.pipe, pos, kind)
                    .or_else(|| in_list(&b.list, pos, kind))
                    .or_else(|| b.else_list.as_ref().and_then(|l| in_list(l, pos, kind)))
            }
            Node::Template { pos: p, name, pipe } => {
                if kind == CtxKind::Template && *p == pos {
                    return Some(format!("{{{{template {name:?}}}}}"));
                }
                pipe.as_ref().and_then(|pp| in_pipe(pp, pos, kind))
            }
        }
    }
    fn in_pipe(p: &Pipe, pos: Pos, kind: CtxKind) -> Option<String> {
        if kind == CtxKind::Pipe && p.pos == pos {
            return Some(p.to_string());
        }
        p.cmds.iter().find_map(|c| in_cmd(c, pos, kind))
    }
    fn in_cmd(c: &Command, pos: Pos, kind: CtxKind) -> Option<String> {
        if kind == CtxKind::Cmd && c.pos == pos {
            return Some(c.to_string());
        }
        c.args.iter().find_map(|a| in_arg(a, pos, kind))
    }
    fn in_arg(a: &Arg, pos: Pos, kind: CtxKind) -> Option<String> {
        if kind == CtxKind::Arg && a.pos() == pos {
            return Some(a.to_string());
        }
        match a {
            Arg::Pipe(_, p) => in_pipe(p, pos, kind),
            Arg::Chain(_, n, _) => in_arg(n, pos, kind),
            _ => None,
        }
    }
    if kind == CtxKind::None {
        return String::new();
    }
    in_list(&tree.root, pos, kind)
        .or_else(|| {
            // commands built while evaluating (an identifier used as an argument) are that argument
            (kind == CtxKind::Cmd)
                .then(|| in_list(&tree.root, pos, CtxKind::Arg))
                .flatten()
        })
        .unwrap_or_default()
}

type R<T> = Result<T, Error>;

impl<'a> Exec<'a> {
    fn new(set: &'a Templates) -> Self {
        Exec {
            set,
            overlays: Vec::new(),
            include_counts: HashMap::new(),
            depth: 0,
        }
    }

    fn lookup(&self, name: &str) -> Option<Rc<Tree>> {
        for o in self.overlays.iter().rev() {
            if let Some(t) = o.get(name) {
                return Some(t.clone());
            }
        }
        self.set.trees.get(name).cloned()
    }

    /// Runs a named template (Go's `ExecuteTemplate`), as `include` does.
    pub fn execute_template(&mut self, name: &str, data: Value) -> R<String> {
        let Some(tree) = self.lookup(name) else {
            return Err(Error::Other(format!(
                "template: no template {name:?} associated with template {name:?}"
            )));
        };
        let mut out = String::new();
        self.run_tree(tree, Slot::plain(data), &mut out)?;
        Ok(out)
    }

    /// Helm's `include`: runs a named template, counting nesting to stop runaway recursion.
    pub fn include(&mut self, name: &str, data: Value) -> Result<String, String> {
        let count = self.include_counts.entry(name.to_string()).or_insert(0);
        if *count > 1000 {
            return Err(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            ));
        }
        *count += 1;
        let res = self.execute_template(name, data);
        if let Some(c) = self.include_counts.get_mut(name) {
            *c -= 1;
        }
        res.map_err(|e| e.to_string())
    }

    /// Helm's `tpl`: parses `text` as a template (its `define`s visible only inside it) and runs
    /// it with `data`; the result has `<no value>` removed.
    pub fn tpl(&mut self, text: &str, data: Value, name: &str) -> Result<String, String> {
        let funcs = self.set.funcs.clone();
        let trees = parse(name, text, &|f| funcs.contains(f)).map_err(|e| e.to_string())?;
        let mut overlay = HashMap::new();
        let mut main = None;
        for (i, t) in trees.into_iter().enumerate() {
            if i == 0 {
                main = Some(Rc::new(t));
            } else {
                add_tree(&mut overlay, t);
            }
        }
        self.overlays.push(overlay);
        let mut out = String::new();
        let res = match main {
            Some(tree) => self.run_tree(tree, Slot::plain(data), &mut out),
            None => Ok(()),
        };
        self.overlays.pop();
        match res {
            Ok(()) => Ok(out.replace("<no value>", "")),
            Err(e) => Err(format!(
                "error during tpl function execution for {text:?}: {e}"
            )),
        }
    }

    /// The name of the template a `tpl` call should parse under (Helm uses the caller's name).
    fn run_tree(&mut self, tree: Rc<Tree>, dot: Slot, out: &mut String) -> R<()> {
        if self.depth >= MAX_EXEC_DEPTH {
            return Err(Error::Other(format!(
                "template: {}: exceeded maximum template depth ({MAX_EXEC_DEPTH})",
                tree.name
            )));
        }
        self.depth += 1;
        let mut frame = Frame {
            tree: tree.clone(),
            vars: vec![("$".into(), dot.clone())],
            pos: 0,
            kind: CtxKind::None,
        };
        let res = self.walk_list(&mut frame, &dot, &tree.root, out);
        self.depth -= 1;
        res.map(|_| ())
    }

    fn errorf(&self, frame: &Frame, msg: impl Into<String>) -> Error {
        let (line, col) = frame.tree.location(frame.pos);
        let mut context = context_text(&frame.tree, frame.pos, frame.kind);
        if context.chars().count() > 20 {
            context = format!("{}...", context.chars().take(20).collect::<String>());
        }
        Error::Exec {
            location: format!("{}:{line}:{col}", frame.tree.parse_name),
            name: frame.tree.name.clone(),
            context,
            msg: msg.into(),
        }
    }

    fn at(frame: &mut Frame, pos: Pos, kind: CtxKind) {
        frame.pos = pos;
        frame.kind = kind;
    }

    fn walk_list(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        list: &List,
        out: &mut String,
    ) -> R<Flow> {
        for node in list {
            match self.walk(frame, dot, node, out)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, frame: &mut Frame, dot: &Slot, node: &Node, out: &mut String) -> R<Flow> {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Action(pipe) => {
                let v = self.eval_pipeline(frame, dot, pipe)?;
                if pipe.decl.is_empty() {
                    print_value(out, &v);
                }
            }
            Node::If(b) => return self.walk_if_with(frame, dot, b, false, out),
            Node::With(b) => return self.walk_if_with(frame, dot, b, true, out),
            Node::Range(b) => return self.walk_range(frame, dot, b, out),
            Node::Template { pos, name, pipe } => {
                Self::at(frame, *pos, CtxKind::Template);
                let Some(tree) = self.lookup(name) else {
                    return Err(self.errorf(frame, format!("template {name:?} not defined")));
                };
                let new_dot = match pipe {
                    Some(p) => self.eval_pipeline(frame, dot, p)?,
                    None => Value::Nil,
                };
                self.run_tree(tree, Slot::plain(new_dot), out)?;
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_with(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        b: &Branch,
        is_with: bool,
        out: &mut String,
    ) -> R<Flow> {
        let mark = frame.vars.len();
        let val = self.eval_pipeline(frame, dot, &b.pipe)?;
        let res = if val.truthy() {
            if is_with {
                let d = Slot::plain(val);
                self.walk_list(frame, &d, &b.list, out)
            } else {
                self.walk_list(frame, dot, &b.list, out)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(frame, dot, e, out)
        } else {
            Ok(Flow::Normal)
        };
        frame.vars.truncate(mark);
        res
    }

    fn walk_range(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        b: &Branch,
        out: &mut String,
    ) -> R<Flow> {
        let mark = frame.vars.len();
        Self::at(frame, b.pos, CtxKind::Range);
        let val = self.eval_pipeline(frame, dot, &b.pipe)?;
        let items: Vec<(Value, Value)> = match &val {
            Value::List(l) => l
                .borrow()
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), v.clone()))
                .collect(),
            Value::Map(m) => m
                .borrow()
                .iter()
                .map(|(k, v)| (Value::from(k.as_str()), v.clone()))
                .collect(),
            Value::Int(n) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.errorf(
                        frame,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                (0..*n).map(|i| (Value::Int(i), Value::Int(i))).collect()
            }
            Value::Nil => Vec::new(),
            Value::Object(o) if o.range_entries().is_some() => {
                o.range_entries().unwrap_or_default()
            }
            other => {
                return Err(self.errorf(
                    frame,
                    format!("range can't iterate over {}", other.to_go_string()),
                ));
            }
        };
        let mut result = Ok(Flow::Normal);
        if items.is_empty() {
            if let Some(e) = &b.else_list {
                result = self.walk_list(frame, dot, e, out);
            }
        } else {
            let ndecl = b.pipe.decl.len();
            for (index, elem) in items {
                let elem_slot = Slot::elem(elem);
                if ndecl > 0 {
                    if b.pipe.is_assign {
                        if ndecl > 1 {
                            self.set_var(frame, &b.pipe.decl[0], Slot::plain(index.clone()))?;
                            self.set_var(frame, &b.pipe.decl[1], elem_slot.clone())?;
                        } else {
                            self.set_var(frame, &b.pipe.decl[0], elem_slot.clone())?;
                        }
                    } else {
                        // the declared variables are the top of the stack: [..., first, second]
                        let n = frame.vars.len();
                        if ndecl > 1 {
                            frame.vars[n - 1].1 = elem_slot.clone();
                            frame.vars[n - 2].1 = Slot::plain(index.clone());
                        } else {
                            frame.vars[n - 1].1 = elem_slot.clone();
                        }
                    }
                }
                let inner = frame.vars.len();
                let flow = self.walk_list(frame, &elem_slot, &b.list, out);
                frame.vars.truncate(inner);
                match flow {
                    Ok(Flow::Break) => break,
                    Ok(_) => {}
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
        }
        frame.vars.truncate(mark);
        result
    }

    fn set_var(&self, frame: &mut Frame, name: &str, v: Slot) -> R<()> {
        for (n, slot) in frame.vars.iter_mut().rev() {
            if n == name {
                *slot = v;
                return Ok(());
            }
        }
        Err(self.errorf(frame, format!("undefined variable: {name}")))
    }

    fn var_value(&self, frame: &Frame, name: &str) -> R<Slot> {
        for (n, slot) in frame.vars.iter().rev() {
            if n == name {
                return Ok(slot.clone());
            }
        }
        Err(self.errorf(frame, format!("undefined variable: {name}")))
    }

    fn eval_pipeline(&mut self, frame: &mut Frame, dot: &Slot, pipe: &Pipe) -> R<Value> {
        Self::at(frame, pipe.pos, CtxKind::Pipe);
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(frame, dot, cmd, value.take())?;
            value = Some(v.v);
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(frame, name, Slot::plain(value.clone()))?;
            } else {
                frame.vars.push((name.clone(), Slot::plain(value.clone())));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, frame: &Frame, args: &[Arg], has_final: bool) -> R<()> {
        if args.len() > 1 || has_final {
            return Err(self.errorf(
                frame,
                format!("can't give argument to non-function {}", args[0]),
            ));
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        cmd: &Command,
        fin: Option<Value>,
    ) -> R<Slot> {
        let first = &cmd.args[0];
        match first {
            Arg::Field(pos, idents) => {
                Self::at(frame, *pos, CtxKind::Arg);
                let recv = dot.clone();
                self.eval_field_chain(frame, dot, recv, idents, &cmd.args, fin)
            }
            Arg::Chain(pos, node, fields) => {
                Self::at(frame, *pos, CtxKind::Arg);
                let recv = self.eval_chain_receiver(frame, dot, node)?;
                self.eval_field_chain(frame, dot, recv, fields, &cmd.args, fin)
            }
            Arg::Identifier(pos, name) => {
                Self::at(frame, *pos, CtxKind::Arg);
                self.eval_function(frame, dot, name, cmd, fin)
            }
            Arg::Pipe(_, p) => {
                self.not_a_function(frame, &cmd.args, fin.is_some())?;
                Ok(Slot::plain(self.eval_pipeline(frame, dot, p)?))
            }
            Arg::Variable(pos, name, fields) => {
                Self::at(frame, *pos, CtxKind::Arg);
                let v = self.var_value(frame, name)?;
                if fields.is_empty() {
                    self.not_a_function(frame, &cmd.args, fin.is_some())?;
                    return Ok(v);
                }
                self.eval_field_chain(frame, dot, v, fields, &cmd.args, fin)
            }
            other => {
                Self::at(frame, other.pos(), CtxKind::Arg);
                self.not_a_function(frame, &cmd.args, fin.is_some())?;
                Ok(Slot::plain(match other {
                    Arg::Bool(_, b) => Value::Bool(*b),
                    Arg::Dot(_) => return Ok(dot.clone()),
                    Arg::Nil(_) => return Err(self.errorf(frame, "nil is not a command")),
                    Arg::Number(_, n) => ideal_constant(n).map_err(|m| self.errorf(frame, m))?,
                    Arg::Str(_, s, _) => Value::Str(s.clone()),
                    _ => Value::Nil,
                }))
            }
        }
    }

    fn eval_chain_receiver(&mut self, frame: &mut Frame, dot: &Slot, node: &Arg) -> R<Slot> {
        match node {
            Arg::Nil(_) => {
                Err(self.errorf(frame, format!("indirection through explicit nil in {node}")))
            }
            Arg::Pipe(_, p) => Ok(Slot::plain(self.eval_pipeline(frame, dot, p)?)),
            Arg::Identifier(_, name) => {
                let cmd = Command {
                    pos: node.pos(),
                    args: vec![node.clone()],
                };
                self.eval_function(frame, dot, name, &cmd, None)
            }
            other => Ok(Slot::plain(self.eval_arg(frame, dot, Ty::Any, other)?)),
        }
    }

    fn eval_field_chain(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        mut recv: Slot,
        idents: &[String],
        args: &[Arg],
        fin: Option<Value>,
    ) -> R<Slot> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            recv = self.eval_field(frame, dot, ident, &[], None, recv)?;
        }
        self.eval_field(frame, dot, &idents[n - 1], args, fin, recv)
    }

    fn eval_field(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        name: &str,
        args: &[Arg],
        fin: Option<Value>,
        recv: Slot,
    ) -> R<Slot> {
        let has_args = args.len() > 1 || fin.is_some();
        match &recv.v {
            Value::Nil if recv.iface_nil => Err(self.errorf(
                frame,
                format!("nil pointer evaluating interface {{}}.{name}"),
            )),
            Value::Nil => Ok(Slot::plain(Value::Nil)),
            Value::Map(m) => {
                if has_args {
                    return Err(
                        self.errorf(frame, format!("{name} is not a method but has arguments"))
                    );
                }
                match m.borrow().get(name) {
                    Some(v) => Ok(Slot::elem(v.clone())),
                    None => Ok(Slot::elem(Value::Nil)),
                }
            }
            Value::Object(o) => {
                if o.has_method(name) {
                    let mut argv = Vec::new();
                    for a in args.iter().skip(1) {
                        argv.push(self.eval_arg(frame, dot, Ty::Any, a)?);
                    }
                    if let Some(f) = fin {
                        argv.push(f);
                    }
                    return match o.call(name, &argv) {
                        Some(Ok(v)) => Ok(Slot::plain(v)),
                        Some(Err(e)) => {
                            Err(self.errorf(frame, format!("error calling {name}: {e}")))
                        }
                        None => Err(self.errorf(
                            frame,
                            format!("can't evaluate field {name} in type {}", o.type_name()),
                        )),
                    };
                }
                match o.field(name) {
                    Some(v) => {
                        if has_args {
                            return Err(self.errorf(
                                frame,
                                format!("{name} has arguments but cannot be invoked as function"),
                            ));
                        }
                        Ok(Slot::elem(v))
                    }
                    None => Err(self.errorf(
                        frame,
                        format!("can't evaluate field {name} in type {}", o.type_name()),
                    )),
                }
            }
            other => {
                let typ = if recv.iface {
                    "interface {}".to_string()
                } else {
                    other.type_name()
                };
                Err(self.errorf(frame, format!("can't evaluate field {name} in type {typ}")))
            }
        }
    }

    fn eval_function(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        name: &str,
        cmd: &Command,
        fin: Option<Value>,
    ) -> R<Slot> {
        let Some(func) = self.set.funcs.get(name) else {
            return Err(self.errorf(frame, format!("{name:?} is not a defined function")));
        };
        let args = &cmd.args[1..];
        // and/or short-circuit and return the deciding operand itself.
        if let Special::And | Special::Or = func.special {
            let is_or = matches!(func.special, Special::Or);
            if args.is_empty() && fin.is_none() {
                Self::at(frame, cmd.pos, CtxKind::Cmd);
                return Err(self.errorf(
                    frame,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut last = Value::Nil;
            for a in args {
                let v = self.eval_arg(frame, dot, Ty::Value, a)?;
                if v.truthy() == is_or {
                    return Ok(Slot::plain(v));
                }
                last = v;
            }
            if let Some(f) = fin {
                return Ok(Slot::plain(f));
            }
            return Ok(Slot::plain(last));
        }
        let argv = self.build_args(frame, dot, name, &func, cmd, args, fin)?;
        Self::at(frame, cmd.pos, CtxKind::Cmd);
        match (func.imp)(self, argv) {
            Ok(v) => Ok(Slot::elem(v)),
            Err(e) => Err(self.errorf(frame, format!("error calling {name}: {e}"))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build_args(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        name: &str,
        func: &Func,
        cmd: &Command,
        args: &[Arg],
        fin: Option<Value>,
    ) -> R<Vec<Value>> {
        let nfixed = func.params.len();
        let total = args.len() + usize::from(fin.is_some());
        let ok = match func.variadic {
            Some(_) => total >= nfixed,
            None => total == nfixed,
        };
        if !ok {
            Self::at(frame, cmd.pos, CtxKind::Cmd);
            let want = if func.variadic.is_some() {
                format!("at least {nfixed}")
            } else {
                nfixed.to_string()
            };
            return Err(self.errorf(
                frame,
                format!("wrong number of args for {name}: want {want} got {total}"),
            ));
        }
        let ty_at = |i: usize| -> Ty {
            if i < nfixed {
                func.params[i]
            } else {
                func.variadic.unwrap_or(Ty::Any)
            }
        };
        let mut argv = Vec::with_capacity(total);
        for (i, a) in args.iter().enumerate() {
            argv.push(self.eval_arg(frame, dot, ty_at(i), a)?);
        }
        if let Some(f) = fin {
            let ty = ty_at(args.len());
            argv.push(self.validate(frame, Slot::plain(f), ty)?);
        }
        Ok(argv)
    }

    /// Go's validateType: checks a computed value against a parameter type.
    fn validate(&self, frame: &Frame, s: Slot, ty: Ty) -> R<Value> {
        if s.v.is_nil() {
            if ty.can_be_nil() {
                return Ok(Value::Nil);
            }
            if s.iface_nil {
                return Err(self.errorf(
                    frame,
                    format!(
                        "wrong type for value; expected {}; got interface {{}}",
                        ty.go_name()
                    ),
                ));
            }
            return Err(self.errorf(frame, format!("invalid value; expected {}", ty.go_name())));
        }
        if ty.accepts(&s.v) {
            return Ok(s.v);
        }
        Err(self.errorf(
            frame,
            format!(
                "wrong type for value; expected {}; got {}",
                ty.go_name(),
                s.v.type_name()
            ),
        ))
    }

    fn eval_arg(&mut self, frame: &mut Frame, dot: &Slot, ty: Ty, arg: &Arg) -> R<Value> {
        Self::at(frame, arg.pos(), CtxKind::Arg);
        let computed = match arg {
            Arg::Dot(_) => Some(dot.clone()),
            Arg::Field(_, idents) => Some(self.eval_field_chain(
                frame,
                dot,
                dot.clone(),
                idents,
                std::slice::from_ref(arg),
                None,
            )?),
            Arg::Variable(_, name, fields) => {
                let v = self.var_value(frame, name)?;
                if fields.is_empty() {
                    Some(v)
                } else {
                    Some(self.eval_field_chain(
                        frame,
                        dot,
                        v,
                        fields,
                        std::slice::from_ref(arg),
                        None,
                    )?)
                }
            }
            Arg::Pipe(_, p) => Some(Slot::plain(self.eval_pipeline(frame, dot, p)?)),
            Arg::Identifier(_, name) => {
                let cmd = Command {
                    pos: arg.pos(),
                    args: vec![arg.clone()],
                };
                Some(self.eval_function(frame, dot, name, &cmd, None)?)
            }
            Arg::Chain(_, node, fields) => {
                let recv = self.eval_chain_receiver(frame, dot, node)?;
                Some(self.eval_field_chain(
                    frame,
                    dot,
                    recv,
                    fields,
                    std::slice::from_ref(arg),
                    None,
                )?)
            }
            _ => None,
        };
        if let Some(s) = computed {
            Self::at(frame, arg.pos(), CtxKind::Arg);
            return self.validate(frame, s, ty);
        }
        // constants
        match (arg, ty) {
            (Arg::Nil(_), t) if t.can_be_nil() => Ok(Value::Nil),
            (Arg::Nil(_), t) => {
                Err(self.errorf(frame, format!("cannot assign nil to {}", t.go_name())))
            }
            (Arg::Bool(_, b), Ty::Bool | Ty::Any | Ty::Value) => Ok(Value::Bool(*b)),
            (Arg::Str(_, s, _), Ty::Str | Ty::Any | Ty::Value) => Ok(Value::Str(s.clone())),
            (Arg::Number(_, n), Ty::Int) => match n.int {
                Some(i) => Ok(Value::Int(i)),
                None => Err(self.errorf(frame, format!("expected integer; found {}", n.text))),
            },
            (Arg::Number(_, n), Ty::Float) => match n.float {
                Some(f) => Ok(Value::Float(f)),
                None => Err(self.errorf(frame, format!("expected float; found {}", n.text))),
            },
            (Arg::Number(_, n), Ty::Any | Ty::Value) => {
                ideal_constant(n).map_err(|m| self.errorf(frame, m))
            }
            (other, Ty::Bool) => Err(self.errorf(frame, format!("expected bool; found {other}"))),
            (other, Ty::Str) => Err(self.errorf(frame, format!("expected string; found {other}"))),
            (other, Ty::Int) => Err(self.errorf(frame, format!("expected integer; found {other}"))),
            (other, Ty::Float) => Err(self.errorf(frame, format!("expected float; found {other}"))),
            (other, t) => Err(self.errorf(
                frame,
                format!("can't handle {other} for arg of type {}", t.go_name()),
            )),
        }
    }
}

/// A number constant passed as `interface{}`: float64 when written like a float, else int.
fn ideal_constant(n: &super::ast::Number) -> Result<Value, String> {
    if n.float_syntax
        && let Some(f) = n.float
    {
        return Ok(Value::Float(f));
    }
    if let Some(i) = n.int {
        return Ok(Value::Int(i));
    }
    if let Some(f) = n.float {
        return Ok(Value::Float(f));
    }
    Err(format!("{} overflows int", n.text))
}

/// Prints a pipeline result: nothing-values as `<no value>`, everything else with `fmt.Sprint`.
fn print_value(out: &mut String, v: &Value) {
    match v {
        Value::Nil => out.push_str("<no value>"),
        Value::Str(s) => out.push_str(s),
        other => out.push_str(&gofmt::sprint_value(other)),
    }
}
