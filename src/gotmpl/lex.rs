//! The Go template lexer: text, `{{`/`}}` actions with `{{-`/`-}}` trimming, comments, and the
//! tokens inside actions.

use super::ast::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    LeftDelim,
    RightDelim,
    Space,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    /// `.name` (value without the dot)
    Field(String),
    Dot,
    /// `$name` or `$`
    Variable(String),
    Identifier(String),
    Bool(bool),
    Number(String),
    /// A char constant (`'a'`), kept as written.
    Char(String),
    /// A string constant: the unquoted value and the quoted source text.
    Str(String, String),
    // keywords
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Nil,
    Template,
    With,
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// A lexing failure at a byte offset.
#[derive(Debug)]
pub struct LexError {
    pub pos: Pos,
    pub msg: String,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// Splits template text into tokens.
pub fn lex(input: &str) -> Result<Vec<Token>, LexError> {
    let mut l = Lexer {
        input,
        pos: 0,
        toks: Vec::new(),
        paren_depth: 0,
    };
    l.run()?;
    Ok(l.toks)
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    toks: Vec<Token>,
    paren_depth: usize,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn emit(&mut self, tok: Tok, pos: Pos) {
        self.toks.push(Token { tok, pos });
    }

    fn err<T>(&self, pos: Pos, msg: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            pos,
            msg: msg.into(),
        })
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            // text up to the next left delimiter
            let start = self.pos;
            match self.rest().find(LEFT) {
                None => {
                    if self.pos < self.input.len() {
                        self.emit(Tok::Text(self.rest().to_string()), start);
                    }
                    self.pos = self.input.len();
                    self.emit(Tok::Eof, self.pos);
                    return Ok(());
                }
                Some(off) => {
                    let delim_at = self.pos + off;
                    let mut text = &self.input[start..delim_at];
                    let after = &self.input[delim_at + LEFT.len()..];
                    let trim = has_left_trim(after);
                    if trim {
                        text = text.trim_end_matches(is_space);
                    }
                    if !text.is_empty() {
                        self.emit(Tok::Text(text.to_string()), start);
                    }
                    self.pos = delim_at + LEFT.len();
                    let marker = if trim { 2 } else { 0 };
                    if self.input[self.pos + marker..].starts_with("/*") {
                        self.pos += marker;
                        self.lex_comment(delim_at)?;
                        continue;
                    }
                    self.emit(Tok::LeftDelim, delim_at);
                    self.pos += marker;
                    self.paren_depth = 0;
                    self.lex_inside()?;
                }
            }
        }
    }

    /// After the right delimiter: skip leading spaces of the following text when trimming.
    fn after_right(&mut self, trim: bool) {
        if trim {
            let rest = self.rest();
            let trimmed = rest.trim_start_matches(is_space);
            self.pos += rest.len() - trimmed.len();
        }
    }

    fn at_right_delim(&self) -> Option<(bool, usize)> {
        let rest = self.rest();
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            return Some((true, 2 + RIGHT.len()));
        }
        if rest.starts_with(RIGHT) {
            return Some((false, RIGHT.len()));
        }
        None
    }

    fn lex_comment(&mut self, delim_at: Pos) -> Result<(), LexError> {
        let Some(end) = self.rest().find("*/") else {
            return self.err(delim_at, "unclosed comment");
        };
        self.pos += end + 2;
        match self.at_right_delim() {
            Some((trim, len)) => {
                self.pos += len;
                self.after_right(trim);
                Ok(())
            }
            None => self.err(delim_at, "comment ends before closing delimiter"),
        }
    }

    fn lex_inside(&mut self) -> Result<(), LexError> {
        loop {
            if self.paren_depth == 0
                && let Some((trim, len)) = self.at_right_delim()
            {
                let p = self.pos;
                self.pos += len;
                self.emit(Tok::RightDelim, p);
                self.after_right(trim);
                return Ok(());
            }
            let start = self.pos;
            let Some(c) = self.peek() else {
                return self.err(start, "unclosed action");
            };
            match c {
                c if is_space(c) => {
                    // a space run; stop before " -}}" so the delimiter is seen
                    let rest = self.rest();
                    let mut n = 0;
                    for (i, ch) in rest.char_indices() {
                        if !is_space(ch) {
                            break;
                        }
                        if has_right_trim(&rest[i..]) && rest[i + 2..].starts_with(RIGHT) {
                            break;
                        }
                        n = i + ch.len_utf8();
                    }
                    if n == 0 {
                        // the space belongs to the trim marker
                        if self.paren_depth > 0 {
                            return self.err(start, "unclosed left paren");
                        }
                        continue;
                    }
                    self.pos += n;
                    self.emit(Tok::Space, start);
                }
                '=' => {
                    self.pos += 1;
                    self.emit(Tok::Assign, start);
                }
                ':' => {
                    if self.rest().starts_with(":=") {
                        self.pos += 2;
                        self.emit(Tok::Declare, start);
                    } else {
                        return self.err(start, "expected :=");
                    }
                }
                '|' => {
                    self.pos += 1;
                    self.emit(Tok::Pipe, start);
                }
                ',' => {
                    self.pos += 1;
                    self.emit(Tok::Comma, start);
                }
                '"' => self.lex_quote(start)?,
                '`' => {
                    let Some(end) = self.rest()[1..].find('`') else {
                        return self.err(start, "unterminated raw quoted string");
                    };
                    let raw = &self.rest()[..end + 2];
                    let val = raw[1..raw.len() - 1].replace('\r', "");
                    self.pos += raw.len();
                    self.emit(Tok::Str(val, raw.to_string()), start);
                }
                '\'' => self.lex_char(start)?,
                '$' => {
                    self.pos += 1;
                    let name = self.scan_alnum();
                    self.emit(Tok::Variable(format!("${name}")), start);
                    self.check_terminator(start)?;
                }
                '.' => {
                    let next = self.rest()[1..].chars().next();
                    if next.is_some_and(|d| d.is_ascii_digit()) {
                        self.lex_number(start)?;
                    } else {
                        self.pos += 1;
                        let name = self.scan_alnum();
                        if name.is_empty() {
                            self.emit(Tok::Dot, start);
                        } else {
                            self.emit(Tok::Field(name), start);
                            self.check_terminator(start)?;
                        }
                    }
                }
                '+' | '-' | '0'..='9' => self.lex_number(start)?,
                '(' => {
                    self.pos += 1;
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen, start);
                }
                ')' => {
                    self.pos += 1;
                    if self.paren_depth == 0 {
                        return self.err(start, "unexpected right paren");
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen, start);
                }
                c if is_alnum(c) => {
                    let word = self.scan_alnum();
                    let tok = match word.as_str() {
                        "block" => Tok::Block,
                        "break" => Tok::Break,
                        "continue" => Tok::Continue,
                        "define" => Tok::Define,
                        "else" => Tok::Else,
                        "end" => Tok::End,
                        "if" => Tok::If,
                        "range" => Tok::Range,
                        "nil" => Tok::Nil,
                        "template" => Tok::Template,
                        "with" => Tok::With,
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        _ => Tok::Identifier(word),
                    };
                    self.emit(tok, start);
                    self.check_terminator(start)?;
                }
                c => return self.err(start, format!("unrecognized character in action: {c:?}")),
            }
        }
    }

    fn scan_alnum(&mut self) -> String {
        let rest = self.rest();
        let n = rest
            .char_indices()
            .find(|(_, c)| !is_alnum(*c))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        self.pos += n;
        rest[..n].to_string()
    }

    fn check_terminator(&self, start: Pos) -> Result<(), LexError> {
        let rest = self.rest();
        match rest.chars().next() {
            None => Ok(()),
            Some(c) if is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '=') => {
                Ok(())
            }
            Some(_) if rest.starts_with(RIGHT) => Ok(()),
            Some(c) => self.err(start, format!("bad character {c:?}")),
        }
    }

    fn lex_number(&mut self, start: Pos) -> Result<(), LexError> {
        let b = self.rest().as_bytes();
        let mut i = 0;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let mut digits: &[u8] = b"0123456789_";
        let mut decimal = true;
        if i < b.len() && b[i] == b'0' {
            i += 1;
            if i < b.len() && (b[i] == b'x' || b[i] == b'X') {
                i += 1;
                digits = b"0123456789abcdefABCDEF_";
                decimal = false;
            } else if i < b.len() && (b[i] == b'o' || b[i] == b'O') {
                i += 1;
                digits = b"01234567_";
                decimal = false;
            } else if i < b.len() && (b[i] == b'b' || b[i] == b'B') {
                i += 1;
                digits = b"01_";
                decimal = false;
            }
        }
        let run = |i: &mut usize, set: &[u8]| {
            while *i < b.len() && set.contains(&b[*i]) {
                *i += 1;
            }
        };
        run(&mut i, digits);
        if i < b.len() && b[i] == b'.' {
            i += 1;
            run(&mut i, digits);
        }
        if decimal && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            run(&mut i, b"0123456789_");
        }
        if digits.len() == 23 && i < b.len() && (b[i] == b'p' || b[i] == b'P') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            run(&mut i, b"0123456789_");
        }
        if i < b.len() && b[i] == b'i' {
            i += 1;
        }
        let text = self.rest()[..i].to_string();
        self.pos += i;
        if self.peek().is_some_and(is_alnum) {
            let bad = format!("{text}{}", self.peek().unwrap_or(' '));
            return self.err(start, format!("bad number syntax: {bad:?}"));
        }
        if text == "+" || text == "-" || text.is_empty() {
            return self.err(start, format!("bad number syntax: {text:?}"));
        }
        self.emit(Tok::Number(text), start);
        Ok(())
    }

    fn lex_quote(&mut self, start: Pos) -> Result<(), LexError> {
        let rest = self.rest();
        let mut escaped = false;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '\n' => return self.err(start, "unterminated quoted string"),
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return self.err(start, "unterminated quoted string");
        };
        let quoted = &rest[..=end];
        let val = unquote(&quoted[1..quoted.len() - 1], '"')
            .map_err(|m| LexError { pos: start, msg: m })?;
        self.pos += quoted.len();
        self.emit(Tok::Str(val, quoted.to_string()), start);
        Ok(())
    }

    fn lex_char(&mut self, start: Pos) -> Result<(), LexError> {
        let rest = self.rest();
        let mut escaped = false;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '\n' => return self.err(start, "unterminated character constant"),
                '\'' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return self.err(start, "unterminated character constant");
        };
        let text = rest[..=end].to_string();
        self.pos += text.len();
        self.emit(Tok::Char(text), start);
        Ok(())
    }
}

/// Go's `strconv.Unquote` body handling for `"..."` and `'...'`.
pub fn unquote(body: &str, quote: char) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..n {
            let c = chars.next().ok_or("invalid syntax")?;
            v = v * 16 + c.to_digit(16).ok_or("invalid syntax")?;
        }
        Ok(v)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == quote {
                return Err("invalid syntax".into());
            }
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or("invalid syntax")?;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' if quote == '"' => out.push('"'),
            '\'' if quote == '\'' => out.push('\''),
            'x' => {
                let v = hex(&mut chars, 2)?;
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
            }
            'u' => {
                let v = hex(&mut chars, 4)?;
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
            }
            'U' => {
                let v = hex(&mut chars, 8)?;
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars
                        .next()
                        .and_then(|c| c.to_digit(8))
                        .ok_or("invalid syntax")?;
                    v = v * 8 + d;
                }
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
            }
            _ => return Err("invalid syntax".into()),
        }
    }
    Ok(out)
}
