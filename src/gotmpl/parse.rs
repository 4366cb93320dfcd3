//! The Go template parser: builds [`Tree`]s from tokens, checks that functions exist and that
//! variables are declared (as Go's parser does), and collects `define`/`block` templates.

use std::rc::Rc;

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe, Pos, Tree};
use super::lex::{LexError, Tok, Token, lex, unquote};

/// A parse failure: the template name, line and Go's message.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub msg: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.msg)
    }
}

/// Parses `text` as template `name`. Returns the main tree first, then every `define`d tree.
/// `has_func` tells whether a function name is known (unknown ones are parse errors, as in Go).
pub fn parse(
    name: &str,
    text: &str,
    has_func: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let text: Rc<str> = Rc::from(text);
    let toks = lex(&text).map_err(|LexError { pos, msg }| ParseError {
        name: name.to_string(),
        line: line_of(&text, pos),
        msg,
    })?;
    let mut p = Parser {
        name: name.to_string(),
        text: text.clone(),
        toks,
        i: 0,
        vars: vec!["$".into()],
        has_func,
        range_depth: 0,
        defs: Vec::new(),
    };
    let root = p.parse_top()?;
    let mut out = vec![Tree {
        name: name.to_string(),
        parse_name: name.to_string(),
        text: text.clone(),
        root,
    }];
    out.append(&mut p.defs);
    Ok(out)
}

fn line_of(text: &str, pos: Pos) -> usize {
    1 + text[..pos.min(text.len())].matches('\n').count()
}

struct Parser<'a> {
    name: String,
    text: Rc<str>,
    toks: Vec<Token>,
    i: usize,
    vars: Vec<String>,
    has_func: &'a dyn Fn(&str) -> bool,
    range_depth: usize,
    defs: Vec<Tree>,
}

enum Stop {
    End,
    Else(Pos),
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Text(t) => format!("{t:?}"),
        Tok::LeftDelim => "<left delim>".into(),
        Tok::RightDelim => "<right delim>".into(),
        Tok::Space => "space".into(),
        Tok::Pipe => "<|>".into(),
        Tok::LeftParen => "<(>".into(),
        Tok::RightParen => "<)>".into(),
        Tok::Declare => "<:=>".into(),
        Tok::Assign => "<=>".into(),
        Tok::Comma => "<,>".into(),
        Tok::Field(f) => format!("<.{f}>"),
        Tok::Dot => "<.>".into(),
        Tok::Variable(v) => format!("<{v}>"),
        Tok::Identifier(i) => format!("<{i}>"),
        Tok::Bool(b) => format!("<{b}>"),
        Tok::Number(n) | Tok::Char(n) => format!("<{n}>"),
        Tok::Str(_, q) => format!("<{q}>"),
        Tok::Eof => "EOF".into(),
        Tok::Block => "<block>".into(),
        Tok::Break => "<break>".into(),
        Tok::Continue => "<continue>".into(),
        Tok::Define => "<define>".into(),
        Tok::Else => "<else>".into(),
        Tok::End => "<end>".into(),
        Tok::If => "<if>".into(),
        Tok::Range => "<range>".into(),
        Tok::Nil => "<nil>".into(),
        Tok::Template => "<template>".into(),
        Tok::With => "<with>".into(),
    }
}

impl Parser<'_> {
    fn err<T>(&self, pos: Pos, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            name: self.name.clone(),
            line: line_of(&self.text, pos),
            msg: msg.into(),
        })
    }

    fn peek(&self) -> &Token {
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek_non_space(&mut self) -> Token {
        while self.peek().tok == Tok::Space {
            self.i += 1;
        }
        self.peek().clone()
    }

    fn next_non_space(&mut self) -> Token {
        self.peek_non_space();
        self.next()
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> Result<T, ParseError> {
        self.err(
            tok.pos,
            format!("unexpected {} in {context}", describe(&tok.tok)),
        )
    }

    fn expect_right(&mut self, context: &str) -> Result<Token, ParseError> {
        let t = self.next_non_space();
        if t.tok != Tok::RightDelim {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> Result<List, ParseError> {
        let mut root = Vec::new();
        loop {
            let t = self.peek().clone();
            match t.tok {
                Tok::Eof => return Ok(root),
                Tok::LeftDelim => {
                    let save = self.i;
                    self.next();
                    let kw = self.next_non_space();
                    if kw.tok == Tok::Define {
                        self.parse_definition(kw.pos)?;
                        continue;
                    }
                    self.i = save;
                }
                _ => {}
            }
            match self.text_or_action()? {
                Ok(node) => root.push(node),
                Err(Stop::End) => return self.err(t.pos, "unexpected {{end}}"),
                Err(Stop::Else(_)) => return self.err(t.pos, "unexpected {{else}}"),
            }
        }
    }

    fn template_name(&mut self, context: &str) -> Result<String, ParseError> {
        let t = self.next_non_space();
        match t.tok {
            Tok::Str(s, _) => Ok(s),
            _ => self.unexpected(&t, context),
        }
    }

    fn parse_definition(&mut self, pos: Pos) -> Result<(), ParseError> {
        let name = self.template_name("define clause")?;
        self.expect_right("define clause")?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Stop::Else(p) = stop {
            return self.err(p, "unexpected {{else}} in define clause");
        }
        let _ = pos;
        self.defs.push(Tree {
            name,
            parse_name: self.name.clone(),
            text: self.text.clone(),
            root: list,
        });
        Ok(())
    }

    /// Nodes up to `{{end}}` or `{{else}}` (which is consumed up to, not including, what follows).
    fn item_list(&mut self) -> Result<(List, Stop), ParseError> {
        let mut list = Vec::new();
        loop {
            let t = self.peek().clone();
            if t.tok == Tok::Eof {
                return self.err(t.pos, "unexpected EOF");
            }
            match self.text_or_action()? {
                Ok(node) => list.push(node),
                Err(stop) => return Ok((list, stop)),
            }
        }
    }

    fn text_or_action(&mut self) -> Result<Result<Node, Stop>, ParseError> {
        let t = self.next();
        match t.tok {
            Tok::Text(s) => Ok(Ok(Node::Text(Rc::from(s)))),
            Tok::LeftDelim => self.action(),
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> Result<Result<Node, Stop>, ParseError> {
        let t = self.next_non_space();
        match t.tok {
            Tok::Block => Ok(Ok(self.block_control(t.pos)?)),
            Tok::Break | Tok::Continue => {
                let is_break = t.tok == Tok::Break;
                let word = if is_break { "break" } else { "continue" };
                self.expect_right(word)?;
                if self.range_depth == 0 {
                    return self.err(t.pos, format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                Ok(Ok(if is_break {
                    Node::Break
                } else {
                    Node::Continue
                }))
            }
            Tok::Else => {
                // `else if` / `else with`: leave the keyword pending for the caller.
                let p = self.peek_non_space();
                if p.tok == Tok::If || p.tok == Tok::With {
                    return Ok(Err(Stop::Else(t.pos)));
                }
                self.expect_right("else")?;
                Ok(Err(Stop::Else(t.pos)))
            }
            Tok::End => {
                self.expect_right("end")?;
                Ok(Err(Stop::End))
            }
            Tok::If => Ok(Ok(Node::If(self.control("if", t.pos)?))),
            Tok::With => Ok(Ok(Node::With(self.control("with", t.pos)?))),
            Tok::Range => Ok(Ok(Node::Range(self.control("range", t.pos)?))),
            Tok::Template => Ok(Ok(self.template_control(t.pos)?)),
            _ => {
                self.backup();
                let pipe = self.pipeline("command", true)?;
                Ok(Ok(Node::Action(pipe)))
            }
        }
    }

    fn block_control(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let name = self.template_name("block clause")?;
        let pipe = self.pipeline("block clause", true)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Stop::Else(p) = stop {
            return self.err(p, "unexpected {{else}} in block clause");
        }
        self.defs.push(Tree {
            name: name.clone(),
            parse_name: self.name.clone(),
            text: self.text.clone(),
            root: list,
        });
        Ok(Node::Template {
            pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let name = self.template_name("template clause")?;
        let pipe = if self.peek_non_space().tok != Tok::RightDelim {
            Some(self.pipeline("template clause", true)?)
        } else {
            self.next();
            None
        };
        Ok(Node::Template { pos, name, pipe })
    }

    fn control(&mut self, context: &str, pos: Pos) -> Result<Branch, ParseError> {
        let nvars = self.vars.len();
        let pipe = self.pipeline(context, true)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let else_list = match stop {
            Stop::End => None,
            Stop::Else(epos) => {
                let p = self.peek_non_space();
                if (context == "if" && p.tok == Tok::If)
                    || (context == "with" && p.tok == Tok::With)
                {
                    // {{else if x}} == {{else}}{{if x}}...{{end}}{{end}}
                    let kw = self.next();
                    let inner = self.control(context, kw.pos)?;
                    Some(vec![if context == "if" {
                        Node::If(inner)
                    } else {
                        Node::With(inner)
                    }])
                } else {
                    let (else_list, stop) = self.item_list()?;
                    if let Stop::Else(p) = stop {
                        return self.err(p, "expected end; found {{else}}");
                    }
                    let _ = epos;
                    Some(else_list)
                }
            }
        };
        self.vars.truncate(nvars);
        Ok(Branch {
            pos,
            pipe,
            list,
            else_list,
        })
    }

    /// A pipeline up to `}}` (or `)` when `at_delim` is false).
    fn pipeline(&mut self, context: &str, at_delim: bool) -> Result<Pipe, ParseError> {
        let start = self.peek_non_space().pos;
        let mut pipe = Pipe {
            pos: start,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // declarations
        loop {
            let v = self.peek_non_space();
            let Tok::Variable(name) = &v.tok else { break };
            let save = self.i;
            self.next();
            let after = self.peek().tok.clone();
            let nxt = self.peek_non_space();
            match nxt.tok {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = nxt.tok == Tok::Assign;
                    self.next();
                    pipe.decl.push(name.clone());
                    self.vars.push(name.clone());
                    break;
                }
                Tok::Comma => {
                    self.next();
                    pipe.decl.push(name.clone());
                    self.vars.push(name.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        let p = self.peek_non_space();
                        if matches!(p.tok, Tok::Variable(_) | Tok::RightDelim | Tok::RightParen) {
                            continue;
                        }
                        return self.err(p.pos, "range can only initialize variables");
                    }
                    return self.err(nxt.pos, format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after;
                    self.i = save;
                    break;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            match &t.tok {
                Tok::RightDelim if at_delim => break,
                Tok::RightParen if !at_delim => break,
                Tok::Bool(_)
                | Tok::Char(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Identifier(_)
                | Tok::Number(_)
                | Tok::Nil
                | Tok::Str(..)
                | Tok::Variable(_)
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&t, context),
            }
        }
        if pipe.cmds.is_empty() {
            return self.err(start, format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::Str(..)
            ) {
                return self.err(
                    c.pos,
                    format!("non executable command in pipeline stage {}", i + 1),
                );
            }
        }
        Ok(pipe)
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                args.push(op);
            }
            let t = self.next();
            match t.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.err(pos, "empty command");
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> Result<Option<Arg>, ParseError> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if !matches!(self.peek().tok, Tok::Field(_)) {
            return Ok(Some(node));
        }
        let cpos = self.peek().pos;
        let mut fields = Vec::new();
        while let Tok::Field(f) = &self.peek().tok {
            fields.push(f.clone());
            self.next();
        }
        Ok(Some(match node {
            // Go re-creates the node at the position of the first chained field
            Arg::Field(_, mut idents) => {
                idents.extend(fields);
                Arg::Field(cpos, idents)
            }
            Arg::Variable(_, name, mut idents) => {
                idents.extend(fields);
                Arg::Variable(cpos, name, idents)
            }
            Arg::Bool(..) | Arg::Str(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.err(
                    cpos,
                    format!("unexpected . after term {:?}", node.to_string()),
                );
            }
            other => Arg::Chain(cpos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>, ParseError> {
        let t = self.next_non_space();
        let pos = t.pos;
        Ok(Some(match t.tok {
            Tok::Identifier(name) => {
                if !(self.has_func)(&name) {
                    return self.err(pos, format!("function {name:?} not defined"));
                }
                Arg::Identifier(pos, name)
            }
            Tok::Dot => Arg::Dot(pos),
            Tok::Nil => Arg::Nil(pos),
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self.err(pos, format!("undefined variable {name:?}"));
                }
                Arg::Variable(pos, name, Vec::new())
            }
            Tok::Field(f) => Arg::Field(pos, vec![f]),
            Tok::Bool(b) => Arg::Bool(pos, b),
            Tok::Number(text) => Arg::Number(pos, self.number(pos, &text)?),
            Tok::Char(text) => {
                let v = unquote(&text[1..text.len() - 1], '\'')
                    .ok()
                    .filter(|s| s.chars().count() == 1)
                    .and_then(|s| s.chars().next());
                let Some(c) = v else {
                    return self.err(pos, format!("malformed character constant: {text}"));
                };
                Arg::Number(
                    pos,
                    Number {
                        text,
                        int: Some(c as i64),
                        float: Some(c as u32 as f64),
                        float_syntax: false,
                    },
                )
            }
            Tok::LeftParen => {
                let pipe = self.pipeline("parenthesized pipeline", false)?;
                Arg::Pipe(pos, Box::new(pipe))
            }
            Tok::Str(val, quoted) => Arg::Str(pos, Rc::from(val), quoted),
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn number(&self, pos: Pos, text: &str) -> Result<Number, ParseError> {
        if text.ends_with('i') {
            return self.err(pos, format!("complex numbers are not supported: {text}"));
        }
        let int = parse_go_int(text);
        let mut float = int.map(|i| i as f64);
        let hex = text.trim_start_matches(['+', '-']).starts_with("0x")
            || text.trim_start_matches(['+', '-']).starts_with("0X");
        let float_syntax = !hex && text.contains(['.', 'e', 'E', 'p', 'P']);
        if float.is_none() {
            float = text.replace('_', "").parse::<f64>().ok();
        }
        let mut int = int;
        if int.is_none()
            && let Some(f) = float
            && f.fract() == 0.0
            && f.abs() < 9.2e18
        {
            int = Some(f as i64);
        }
        if int.is_none() && float.is_none() {
            return self.err(pos, format!("illegal number syntax: {text:?}"));
        }
        Ok(Number {
            text: text.to_string(),
            int,
            float,
            float_syntax,
        })
    }
}

/// `strconv.ParseInt(text, 0, 64)`: sign, 0x/0o/0b prefixes, leading-0 octal, underscores.
pub fn parse_go_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let body = body.replace('_', "");
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    };
    if digits.is_empty() {
        return None;
    }
    let v = i128::from_str_radix(&digits, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}
