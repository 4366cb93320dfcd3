//! The parse tree of a Go template (the shape of Go's `text/template/parse` nodes).

use std::fmt;
use std::rc::Rc;

/// A byte offset into the template text (used for `line:col` in error messages).
pub type Pos = usize;

/// A sequence of nodes.
pub type List = Vec<Node>;

#[derive(Debug, Clone)]
pub enum Node {
    Text(Rc<str>),
    /// `{{ pipeline }}`
    Action(Pipe),
    If(Branch),
    With(Branch),
    Range(Branch),
    /// `{{ template "name" pipeline }}`
    Template {
        pos: Pos,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

/// The common shape of if/with/range: a pipeline, a body and an optional else body.
#[derive(Debug, Clone)]
pub struct Branch {
    pub pos: Pos,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

/// A pipeline with optional variable declarations: `$x := a | b c`.
#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

/// One command of a pipeline: a function/method call or a single operand.
#[derive(Debug, Clone)]
pub struct Command {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

/// A parsed number constant with every interpretation Go's parser records.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub float: Option<f64>,
    /// Written like a float (`1.0`, `1e3`): becomes a float64 when passed as `interface{}`.
    pub float_syntax: bool,
}

#[derive(Debug, Clone)]
pub enum Arg {
    /// `.` (dot)
    Dot(Pos),
    Nil(Pos),
    Bool(Pos, bool),
    Number(Pos, Number),
    Str(Pos, Rc<str>, String),
    /// `.A.B`
    Field(Pos, Vec<String>),
    /// `$x.A.B` (`name` includes the `$`)
    Variable(Pos, String, Vec<String>),
    /// A function name.
    Identifier(Pos, String),
    /// `(pipeline)`
    Pipe(Pos, Box<Pipe>),
    /// `(pipeline).A.B` or `$x.A` style chains on a term.
    Chain(Pos, Box<Arg>, Vec<String>),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::Str(p, _, _)
            | Arg::Field(p, _)
            | Arg::Variable(p, _, _)
            | Arg::Identifier(p, _)
            | Arg::Pipe(p, _)
            | Arg::Chain(p, _, _) => *p,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::Str(_, _, quoted) => f.write_str(quoted),
            Arg::Field(_, idents) => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable(_, name, idents) => {
                f.write_str(name)?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Identifier(_, name) => f.write_str(name),
            Arg::Pipe(_, p) => write!(f, "({p})"),
            Arg::Chain(_, node, idents) => {
                if matches!(**node, Arg::Pipe(..)) {
                    write!(f, "{node}")?;
                } else {
                    write!(f, "({node})")?;
                }
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(_, p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// One parsed template: its name, the text it came from (for line numbers) and its body.
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    /// The name of the file the text came from (differs from `name` for `define`d templates).
    pub parse_name: String,
    pub text: Rc<str>,
    pub root: List,
}

impl Tree {
    /// `line:col` of a byte offset, as Go's ErrorContext reports it (col counts from 0).
    pub fn location(&self, pos: Pos) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text[..pos];
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        (line, col)
    }

    /// Whether the body is only whitespace text (Go keeps an existing template over an empty one).
    pub fn is_empty(&self) -> bool {
        self.root.iter().all(|n| match n {
            Node::Text(t) => t.trim().is_empty(),
            _ => false,
        })
    }
}
