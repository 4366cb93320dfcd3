//! `semverCompare` as sprig implements it with Masterminds/semver v3: `||` alternatives of
//! comma/space separated comparisons (`=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`, wildcards,
//! `a - b` ranges). Pre-release versions only satisfy constraints that mention a pre-release.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<String>,
}

impl Version {
    fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let s = s.split('+').next()?;
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, p.split('.').map(String::from).collect()),
            None => (s, Vec::new()),
        };
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map(|p| p.parse().ok()).unwrap_or(Some(0))?;
        let patch = parts.next().map(|p| p.parse().ok()).unwrap_or(Some(0))?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    fn cmp(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(o.pre.iter()) {
                        let ord = match (a.parse::<u64>(), b.parse::<u64>()) {
                            (Ok(x), Ok(y)) => x.cmp(&y),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            _ => a.cmp(b),
                        };
                        if ord != Ordering::Equal {
                            return ord;
                        }
                    }
                    self.pre.len().cmp(&o.pre.len())
                }
            })
    }
}

/// One comparison, with wildcard positions recorded (`1.2.x` -> minor known, patch wild).
struct Cmp {
    op: String,
    v: Version,
    /// number of specified components (1..=3)
    given: usize,
}

fn parse_cmp(s: &str) -> Result<Cmp, String> {
    let s = s.trim();
    let op_len = s
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(s.len());
    let op = s[..op_len].trim().to_string();
    let ver = s[op_len..].trim();
    let ver_main = ver.trim_start_matches(['v', 'V']);
    let core = ver_main.split(['-', '+']).next().unwrap_or("");
    let comps: Vec<&str> = core.split('.').collect();
    let given = comps
        .iter()
        .take_while(|c| !matches!(**c, "x" | "X" | "*" | ""))
        .count();
    let filled: Vec<String> = (0..3)
        .map(|i| {
            comps
                .get(i)
                .filter(|c| i < given && !c.is_empty())
                .map(|c| c.to_string())
                .unwrap_or_else(|| "0".into())
        })
        .collect();
    let rest = &ver_main[core.len()..];
    let text = format!("{}{rest}", filled.join("."));
    let v = Version::parse(&text).ok_or_else(|| format!("improper constraint: {s}"))?;
    Ok(Cmp { op, v, given })
}

fn bump(v: &Version, level: usize) -> Version {
    match level {
        0 => Version {
            major: v.major + 1,
            minor: 0,
            patch: 0,
            pre: vec![],
        },
        1 => Version {
            major: v.major,
            minor: v.minor + 1,
            patch: 0,
            pre: vec![],
        },
        _ => Version {
            major: v.major,
            minor: v.minor,
            patch: v.patch + 1,
            pre: vec![],
        },
    }
}

fn check(c: &Cmp, v: &Version) -> bool {
    if !v.pre.is_empty() && c.v.pre.is_empty() {
        return false;
    }
    let ord = v.cmp(&c.v);
    let wild = c.given < 3;
    match c.op.as_str() {
        "" | "=" | "==" => {
            if wild {
                ord != Ordering::Less
                    && v.cmp(&bump(&c.v, c.given.saturating_sub(1).min(2))) == Ordering::Less
                    || c.given == 0
            } else {
                ord == Ordering::Equal
            }
        }
        "!=" => {
            if wild {
                !(ord != Ordering::Less
                    && v.cmp(&bump(&c.v, c.given.saturating_sub(1).min(2))) == Ordering::Less)
            } else {
                ord != Ordering::Equal
            }
        }
        ">" => {
            if wild {
                v.cmp(&bump(&c.v, c.given.saturating_sub(1).min(2))) != Ordering::Less
            } else {
                ord == Ordering::Greater
            }
        }
        "<" => ord == Ordering::Less,
        ">=" | "=>" => ord != Ordering::Less,
        "<=" | "=<" => {
            if wild {
                v.cmp(&bump(&c.v, c.given.saturating_sub(1).min(2))) == Ordering::Less
            } else {
                ord != Ordering::Greater
            }
        }
        "~" | "~>" => {
            let upper = if c.given <= 1 {
                bump(&c.v, 0)
            } else {
                bump(&c.v, 1)
            };
            ord != Ordering::Less && v.cmp(&upper) == Ordering::Less
        }
        "^" => {
            let upper = if c.v.major > 0 || c.given <= 1 {
                bump(&c.v, 0)
            } else if c.v.minor > 0 || c.given == 2 {
                bump(&c.v, 1)
            } else {
                bump(&c.v, 2)
            };
            ord != Ordering::Less && v.cmp(&upper) == Ordering::Less
        }
        _ => false,
    }
}

/// Whether `version` satisfies `constraint`.
pub fn compare(constraint: &str, version: &str) -> Result<bool, String> {
    let v = Version::parse(version).ok_or_else(|| "Invalid Semantic Version".to_string())?;
    for alt in constraint.split("||") {
        let mut cmps = Vec::new();
        // hyphen ranges "a - b"
        let alt = alt.trim();
        if let Some((lo, hi)) = alt.split_once(" - ") {
            cmps.push(parse_cmp(&format!(">={}", lo.trim()))?);
            cmps.push(parse_cmp(&format!("<={}", hi.trim()))?);
        } else {
            // join operators separated from their version by spaces, then split on , or space
            let mut tokens: Vec<String> = Vec::new();
            for tok in alt.split([',', ' ']).filter(|t| !t.is_empty()) {
                if let Some(last) = tokens.last_mut()
                    && last.chars().all(|c| "<>=!~^".contains(c))
                {
                    last.push_str(tok);
                    continue;
                }
                tokens.push(tok.to_string());
            }
            for t in tokens {
                cmps.push(parse_cmp(&t)?);
            }
        }
        if cmps.iter().all(|c| check(c, &v)) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::compare;

    #[test]
    fn constraints() {
        assert!(compare(">=1.21-0", "v1.32.0").unwrap());
        assert!(compare(">=1.21-0", "1.21.3-gke.100").unwrap());
        assert!(!compare(">=1.21", "1.21.3-gke.100").unwrap());
        assert!(compare("~1.2.3", "1.2.9").unwrap());
        assert!(!compare("~1.2.3", "1.3.0").unwrap());
        assert!(compare("^1.2", "1.9.0").unwrap());
        assert!(compare("1.2.x", "1.2.7").unwrap());
        assert!(compare("<1.25.0, >=1.20.0", "1.22.1").unwrap());
        assert!(compare("<1.0 || >=2.0", "2.1.0").unwrap());
        assert!(compare("1.0 - 2.0", "1.5.0").unwrap());
        assert!(compare(">= 1.30", "1.32.0").unwrap());
    }
}
