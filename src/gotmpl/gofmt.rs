//! Go's `fmt` and `strconv` formatting as templates see it: `%v` of every value kind, `Sprint`
//! spacing, `Sprintf` verbs, float64 printing (`1e+06`), `strconv.Quote`, and JSON float text.

use std::fmt::Write as _;

use super::value::{Value, write_map};

/// Shortest round-trip decimal digits of a finite, non-zero `f` (sign dropped) and the decimal
/// point position: value = 0.DIGITS x 10^dp.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    (digits, exp + 1)
}

fn fmt_e(neg: bool, digits: &str, exp: i32, decimals: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let mut ds: Vec<char> = digits.chars().collect();
    ds.resize(decimals + 1, '0');
    out.push(ds[0]);
    if decimals > 0 {
        out.push('.');
        out.extend(&ds[1..]);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.abs());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32, decimals: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let ds: Vec<char> = digits.chars().collect();
    let digit = |i: i32| -> char {
        if i >= 0 && (i as usize) < ds.len() {
            ds[i as usize]
        } else {
            '0'
        }
    };
    if dp > 0 {
        for i in 0..dp {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals as i32 {
            out.push(digit(dp + i));
        }
    }
    out
}

fn special_float(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        })
    } else {
        None
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `%v` prints for a float64.
pub fn format_float_g(f: f64) -> String {
    if let Some(s) = special_float(f) {
        return s;
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let (digits, dp) = shortest_digits(f);
    let nd = digits.len() as i32;
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        fmt_e(f < 0.0, &digits, exp, (nd - 1).max(0) as usize)
    } else {
        fmt_f(f < 0.0, &digits, dp, (nd - dp).max(0) as usize)
    }
}

/// `strconv.FormatFloat(f, 'f' or 'e', -1, 64)` (shortest digits).
fn format_float_shortest(f: f64, verb: char) -> String {
    if let Some(s) = special_float(f) {
        return s;
    }
    if f == 0.0 {
        let zero = if verb == 'e' { "0e+00" } else { "0" };
        return if f.is_sign_negative() {
            format!("-{zero}")
        } else {
            zero.into()
        };
    }
    let (digits, dp) = shortest_digits(f);
    let nd = digits.len() as i32;
    if verb == 'e' {
        fmt_e(f < 0.0, &digits, dp - 1, (nd - 1).max(0) as usize)
    } else {
        fmt_f(f < 0.0, &digits, dp, (nd - dp).max(0) as usize)
    }
}

/// How Go's `encoding/json` writes a float64.
pub fn format_float_json(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_float_shortest(f, 'e');
        // clean up e-09 to e-9
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        format_float_shortest(f, 'f')
    }
}

/// `%v` of a value, as `fmt.Sprint` prints it.
pub fn sprint_value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&format_float_g(*f)),
        Value::Str(s) => out.push_str(s),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Map(m) => write_map(out, &m.borrow()),
        Value::Object(o) => {
            // a fmt.Stringer prints itself; other structs as {field values...}
            if o.has_method("String")
                && let Some(Ok(Value::Str(s))) = o.call("String", &[])
            {
                out.push_str(&s);
                return;
            }
            match o.to_value() {
                Value::Map(m) => {
                    out.push('{');
                    for (i, v) in m.borrow().values().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        write_value(out, v);
                    }
                    out.push('}');
                }
                other => write_value(out, &other),
            }
        }
    }
}

/// `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        write_value(&mut out, a);
    }
    out
}

/// `fmt.Sprintln(args...)`: always spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_value(&mut out, a);
    }
    out.push('\n');
    out
}

/// `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || u == 0x7f {
        return false;
    }
    if (0x80..0xa0).contains(&u) || u == 0xad {
        return false;
    }
    // Unicode "other" categories we can recognise cheaply: surrogates never reach here; format
    // characters and private use are treated as non-printable like Go.
    !matches!(u, 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff | 0xe000..=0xf8ff | 0xfff9..=0xfffb)
}

#[derive(Default, Clone, Copy)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
}

/// `fmt.Sprintf(format, args...)` for the verbs templates use: `%v %s %d %q %t %f %e %g %x %X %o %b %c %T %%`,
/// with flags, width and precision; wrong types and missing arguments print like Go (`%!d(string=x)`).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut argi = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut flags = Flags::default();
        while i < chars.len() {
            match chars[i] {
                '-' => flags.minus = true,
                '+' => flags.plus = true,
                '#' => flags.sharp = true,
                ' ' => flags.space = true,
                '0' => flags.zero = true,
                _ => break,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        if i < chars.len() && chars[i] == '*' {
            i += 1;
            if let Some(Value::Int(w)) = args.get(argi) {
                width = Some(w.unsigned_abs() as usize);
                if *w < 0 {
                    flags.minus = true;
                }
            } else {
                out.push_str("%!(BADWIDTH)");
            }
            argi += 1;
        } else {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                width = chars[start..i].iter().collect::<String>().parse().ok();
            }
        }
        let mut prec: Option<usize> = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            if i < chars.len() && chars[i] == '*' {
                i += 1;
                if let Some(Value::Int(p)) = args.get(argi) {
                    prec = Some((*p).max(0) as usize);
                } else {
                    out.push_str("%!(BADPREC)");
                }
                argi += 1;
            } else {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                prec = Some(
                    chars[start..i]
                        .iter()
                        .collect::<String>()
                        .parse()
                        .unwrap_or(0),
                );
            }
        }
        if i >= chars.len() {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = chars[i];
        i += 1;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argi) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        argi += 1;
        let body = format_verb(verb, flags, prec, arg);
        pad(&mut out, &body, width, flags, verb, arg);
    }
    if argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (n, a) in args[argi..].iter().enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}={}", a.type_name(), sprint_value(a));
        }
        out.push(')');
    }
    out
}

fn pad(out: &mut String, body: &str, width: Option<usize>, flags: Flags, verb: char, arg: &Value) {
    let len = body.chars().count();
    let Some(w) = width.filter(|w| *w > len) else {
        out.push_str(body);
        return;
    };
    let fill = w - len;
    if flags.minus {
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if flags.zero
        && matches!(arg, Value::Int(_) | Value::Float(_))
        && !matches!(verb, 'v' | 's' | 'q' | 'c' | 't')
    {
        let (sign, digits) = match body.strip_prefix(['-', '+']) {
            Some(rest) => (&body[..1], rest),
            None => ("", body),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(body);
    }
}

fn bad_verb(verb: char, arg: &Value) -> String {
    match arg {
        Value::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", arg.type_name(), sprint_value(arg)),
    }
}

fn sign_prefix(neg: bool, flags: Flags) -> &'static str {
    if neg {
        "-"
    } else if flags.plus {
        "+"
    } else if flags.space {
        " "
    } else {
        ""
    }
}

fn format_int(verb: char, flags: Flags, i: i64) -> Option<String> {
    let neg = i < 0;
    let u = i.unsigned_abs();
    let digits = match verb {
        'd' | 'v' => u.to_string(),
        'x' => format!("{u:x}"),
        'X' => format!("{u:X}"),
        'o' => format!("{u:o}"),
        'O' => format!("0o{u:o}"),
        'b' => format!("{u:b}"),
        'c' => return char::from_u32(i as u32).map(|c| c.to_string()),
        'q' => {
            return char::from_u32(i as u32).map(|c| {
                let q = quote(&c.to_string());
                format!("'{}'", &q[1..q.len() - 1].replace("\\\"", "\""))
            });
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return None,
        _ => return None,
    };
    let prefix = if flags.sharp {
        match verb {
            'x' => "0x",
            'X' => "0X",
            'o' => "0",
            _ => "",
        }
    } else {
        ""
    };
    Some(format!("{}{prefix}{digits}", sign_prefix(neg, flags)))
}

fn format_float(verb: char, flags: Flags, prec: Option<usize>, f: f64) -> Option<String> {
    let body = match (verb, prec) {
        ('v' | 'g', None) => format_float_g(f),
        ('G', None) => format_float_g(f).to_uppercase(),
        ('f' | 'F', p) => {
            if let Some(s) = special_float(f) {
                s
            } else {
                format!("{:.*}", p.unwrap_or(6), f)
            }
        }
        ('e' | 'E', p) => {
            let s = if let Some(s) = special_float(f) {
                s
            } else {
                let r = format!("{:.*e}", p.unwrap_or(6), f);
                let (m, e) = r.split_once('e').unwrap_or((&r, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
            };
            if verb == 'E' { s.to_uppercase() } else { s }
        }
        ('g' | 'G' | 'v', Some(p)) => {
            let p = p.max(1);
            if let Some(s) = special_float(f) {
                s
            } else if f == 0.0 {
                "0".into()
            } else {
                let r = format!("{:.*e}", p - 1, f);
                let (m, e) = r.split_once('e').unwrap_or((&r, "0"));
                let exp: i32 = e.parse().unwrap_or(0);
                let trim = |s: &str| -> String {
                    if s.contains('.') {
                        s.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        s.to_string()
                    }
                };
                if exp < -4 || exp >= p as i32 {
                    format!(
                        "{}e{}{:02}",
                        trim(m),
                        if exp < 0 { '-' } else { '+' },
                        exp.abs()
                    )
                } else {
                    trim(&format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, f))
                }
            }
        }
        _ => return None,
    };
    if !body.starts_with('-') && !body.starts_with('+') && (flags.plus || flags.space) {
        return Some(format!("{}{body}", if flags.plus { "+" } else { " " }));
    }
    if body.starts_with("+Inf") && !flags.plus {
        return Some(body[1..].to_string());
    }
    Some(body)
}

fn format_verb(verb: char, flags: Flags, prec: Option<usize>, arg: &Value) -> String {
    if verb == 'T' {
        return arg.type_name();
    }
    let res = match arg {
        Value::Str(s) => match verb {
            'v' | 's' => Some(match prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            }),
            'q' => Some(if flags.sharp && !s.contains('`') {
                format!("`{s}`")
            } else {
                quote(s)
            }),
            'x' => Some(s.bytes().map(|b| format!("{b:02x}")).collect()),
            'X' => Some(s.bytes().map(|b| format!("{b:02X}")).collect()),
            _ => None,
        },
        Value::Int(i) => format_int(verb, flags, *i),
        Value::Float(f) => format_float(verb, flags, prec, *f),
        Value::Bool(b) => match verb {
            'v' | 't' => Some(b.to_string()),
            _ => None,
        },
        Value::Nil => match verb {
            'v' => Some("<nil>".into()),
            _ => None,
        },
        Value::List(l) => {
            if verb == 'v' || verb == 's' || verb == 'q' || verb == 'd' {
                let items = l.borrow();
                let parts: Vec<String> = items
                    .iter()
                    .map(|it| format_verb(verb, flags, prec, it))
                    .collect();
                Some(format!("[{}]", parts.join(" ")))
            } else {
                None
            }
        }
        Value::Map(m) => {
            if verb == 'v' || verb == 's' || verb == 'd' || verb == 'q' {
                let map = m.borrow();
                let parts: Vec<String> = map
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}:{}",
                            format_verb(verb, flags, prec, &Value::from(k.as_str())),
                            format_verb(verb, flags, prec, v)
                        )
                    })
                    .collect();
                Some(format!("map[{}]", parts.join(" ")))
            } else {
                None
            }
        }
        Value::Object(_) => match verb {
            'v' | 's' => Some(sprint_value(arg)),
            _ => None,
        },
    };
    res.unwrap_or_else(|| bad_verb(verb, arg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(8080.0), "8080");
        assert_eq!(format_float_g(0.5), "0.5");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g(-2.5), "-2.5");
        assert_eq!(format_float_g(0.0), "0");
        assert_eq!(format_float_g(1e21), "1e+21");
        assert_eq!(format_float_g(f64::INFINITY), "+Inf");
    }

    #[test]
    fn json_floats_print_like_encoding_json() {
        assert_eq!(format_float_json(1e6), "1000000");
        assert_eq!(format_float_json(1e21), "1e+21");
        assert_eq!(format_float_json(1e20), "100000000000000000000");
        assert_eq!(format_float_json(0.5), "0.5");
        assert_eq!(format_float_json(1.5e-7), "1.5e-7");
        assert_eq!(format_float_json(0.0), "0");
    }

    #[test]
    fn sprint_spacing() {
        let a = [
            Value::Int(1),
            Value::Int(2),
            Value::from("x"),
            Value::Int(3),
        ];
        assert_eq!(sprint(&a), "1 2x3");
        assert_eq!(sprintln(&a), "1 2 x 3\n");
    }

    #[test]
    fn sprintf_verbs() {
        let s = |f: &str, a: &[Value]| sprintf(f, a);
        assert_eq!(s("%s-%d", &["a".into(), Value::Int(5)]), "a-5");
        assert_eq!(s("%q", &["a\"b".into()]), "\"a\\\"b\"");
        assert_eq!(s("%v", &[Value::Float(1e6)]), "1e+06");
        assert_eq!(s("%d", &[Value::Float(3.0)]), "%!d(float64=3)");
        assert_eq!(s("%s", &[Value::Int(3)]), "%!s(int=3)");
        assert_eq!(s("%d %d", &[Value::Int(3)]), "3 %!d(MISSING)");
        assert_eq!(
            s("%d", &[Value::Int(3), Value::from("x")]),
            "3%!(EXTRA string=x)"
        );
        assert_eq!(
            s("%05d|%-4s|%4s", &[Value::Int(42), "ab".into(), "cd".into()]),
            "00042|ab  |  cd"
        );
        assert_eq!(s("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(s("%t", &[Value::Bool(true)]), "true");
        assert_eq!(s("%x", &[Value::Int(255)]), "ff");
        assert_eq!(s("%v", &[Value::Nil]), "<nil>");
        assert_eq!(s("%s", &[Value::Nil]), "%!s(<nil>)");
        assert_eq!(s("100%%", &[]), "100%");
        assert_eq!(s("%T", &[Value::Float(1.0)]), "float64");
        assert_eq!(s("%g", &[Value::Float(1e6)]), "1e+06");
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\nb\t\"c\"\\"), "\"a\\nb\\t\\\"c\\\"\\\\\"");
        assert_eq!(quote("é"), "\"é\"");
        assert_eq!(quote("\u{1}"), "\"\\x01\"");
    }
}
