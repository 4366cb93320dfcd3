//! Istio release versions: parsing (semver-ish, `v` prefix tolerated), ordering, and what a user may
//! ask for (`latest`, `1.23`, `1.23.6`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A release version such as `1.23.6` or `1.24.0-beta.1`. Ordered by semver precedence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Pre-release identifiers (`beta.1` → `["beta", "1"]`); empty for a stable release.
    pub pre: Vec<String>,
}

/// Why a version string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid Istio version: {reason}")]
pub struct VersionError {
    pub input: String,
    pub reason: String,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
            pre: Vec::new(),
        }
    }

    /// True for `1.24.0-beta.1`, `1.22.0-rc.0` and the like.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// `(major, minor)` compares below `(major, minor)` of `other`.
    pub fn minor_below(&self, major: u64, minor: u64) -> bool {
        (self.major, self.minor) < (major, minor)
    }
}

fn numeric(part: &str, what: &str, input: &str) -> Result<u64, VersionError> {
    let err = |reason: String| VersionError {
        input: input.to_string(),
        reason,
    };
    if part.is_empty() {
        return Err(err(format!("the {what} number is missing")));
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(format!("the {what} number `{part}` is not a number")));
    }
    part.parse()
        .map_err(|_| err(format!("the {what} number `{part}` is too large")))
}

/// Splits `v1.23.6-beta.1+build` into the numeric core and the pre-release part, after checking the
/// characters. Build metadata (`+...`) is refused: Istio never publishes it.
fn split_core(input: &str) -> Result<(&str, Option<&str>), VersionError> {
    let err = |reason: &str| VersionError {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(err("it is empty"));
    }
    let body = trimmed
        .strip_prefix('v')
        .or_else(|| trimmed.strip_prefix('V'))
        .unwrap_or(trimmed);
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
    {
        return Err(err(&format!(
            "it contains `{bad}`; expected something like 1.23.6"
        )));
    }
    Ok(match body.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (body, None),
    })
}

fn parse_pre(pre: &str, input: &str) -> Result<Vec<String>, VersionError> {
    let idents: Vec<String> = pre.split('.').map(str::to_string).collect();
    if idents.iter().any(String::is_empty) {
        return Err(VersionError {
            input: input.to_string(),
            reason: format!("the pre-release part `{pre}` has an empty identifier"),
        });
    }
    Ok(idents)
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let (core, pre) = split_core(input)?;
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() != 3 {
            return Err(VersionError {
                input: input.to_string(),
                reason: format!(
                    "expected MAJOR.MINOR.PATCH such as 1.23.6, found {} number(s)",
                    parts.len()
                ),
            });
        }
        Ok(Self {
            major: numeric(parts[0], "major", input)?,
            minor: numeric(parts[1], "minor", input)?,
            patch: numeric(parts[2], "patch", input)?,
            pre: pre
                .map(|p| parse_pre(p, input))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre.join("."))?;
        }
        Ok(())
    }
}

fn cmp_ident(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&other.pre) {
                        let ord = cmp_ident(a, b);
                        if ord != Ordering::Equal {
                            return ord;
                        }
                    }
                    self.pre.len().cmp(&other.pre.len())
                }
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What the user asked for with `--version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionRequest {
    /// The newest release (stable unless pre-releases are allowed).
    Latest,
    /// The newest patch release of `MAJOR.MINOR`.
    Minor { major: u64, minor: u64 },
    /// Exactly this version.
    Exact(Version),
}

impl FromStr for VersionRequest {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.trim().eq_ignore_ascii_case("latest") {
            return Ok(Self::Latest);
        }
        let (core, pre) = split_core(input)?;
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() == 2 && pre.is_none() {
            return Ok(Self::Minor {
                major: numeric(parts[0], "major", input)?,
                minor: numeric(parts[1], "minor", input)?,
            });
        }
        input.parse().map(Self::Exact)
    }
}

impl fmt::Display for VersionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Latest => f.write_str("latest"),
            Self::Minor { major, minor } => write!(f, "{major}.{minor}"),
            Self::Exact(v) => v.fmt(f),
        }
    }
}

impl VersionRequest {
    /// True when `version` satisfies this request, given whether pre-releases count.
    pub fn matches(&self, version: &Version, allow_pre: bool) -> bool {
        match self {
            Self::Exact(v) => v == version,
            Self::Latest => allow_pre || !version.is_prerelease(),
            Self::Minor { major, minor } => {
                version.major == *major
                    && version.minor == *minor
                    && (allow_pre || !version.is_prerelease())
            }
        }
    }
}

/// The versions nearest to `wanted` among `available` (sorted ascending, deduplicated): up to
/// `below` versions just under it and up to `above` just over it, in ascending order.
pub fn nearest(
    wanted: &Version,
    available: &[Version],
    below: usize,
    above: usize,
) -> Vec<Version> {
    let mut sorted: Vec<Version> = available.to_vec();
    sorted.sort();
    sorted.dedup();
    let split = sorted.partition_point(|v| v < wanted);
    let start = split.saturating_sub(below);
    let end = (split + above).min(sorted.len());
    let mut out: Vec<Version> = sorted[start..split].to_vec();
    out.extend(sorted[split..end].iter().filter(|v| *v != wanted).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn parses_plain_and_prefixed_versions() {
        assert_eq!(v("1.23.6"), Version::new(1, 23, 6));
        assert_eq!(v("v1.23.6"), Version::new(1, 23, 6));
        assert_eq!(v(" V1.5.10 "), Version::new(1, 5, 10));
        let pre = v("1.24.0-beta.1");
        assert_eq!(pre.pre, vec!["beta", "1"]);
        assert!(pre.is_prerelease());
        assert_eq!(pre.to_string(), "1.24.0-beta.1");
        assert_eq!(v("v1.23.6").to_string(), "1.23.6");
    }

    #[test]
    fn refuses_malformed_versions_with_a_reason() {
        for (input, needle) in [
            ("", "empty"),
            ("1.2", "found 2"),
            ("1.2.3.4", "found 4"),
            ("1.x.3", "minor number `x`"),
            ("1.2.3-", "empty identifier"),
            ("1.2.3-a..b", "empty identifier"),
            ("1.2.3+meta", "contains `+`"),
            ("../1.2.3", "contains `/`"),
            ("1.2.3 4", "contains ` `"),
            ("99999999999999999999.1.1", "too large"),
        ] {
            let err = input.parse::<Version>().unwrap_err();
            assert!(err.to_string().contains(needle), "{input}: {err}");
            assert!(err.to_string().contains("not a valid Istio version"));
        }
    }

    #[test]
    fn orders_by_semver_precedence() {
        let mut list = [
            v("1.10.0"),
            v("1.9.9"),
            v("1.10.0-rc.1"),
            v("1.10.0-alpha.2"),
            v("1.10.0-alpha.10"),
            v("1.10.0-beta"),
            v("1.2.0"),
        ];
        list.sort();
        let shown: Vec<String> = list.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "1.2.0",
                "1.9.9",
                "1.10.0-alpha.2",
                "1.10.0-alpha.10",
                "1.10.0-beta",
                "1.10.0-rc.1",
                "1.10.0"
            ]
        );
    }

    #[test]
    fn parses_requests() {
        assert_eq!("latest".parse(), Ok(VersionRequest::Latest));
        assert_eq!("LATEST".parse(), Ok(VersionRequest::Latest));
        assert_eq!(
            "1.23".parse(),
            Ok(VersionRequest::Minor {
                major: 1,
                minor: 23
            })
        );
        assert_eq!("v1.23.6".parse(), Ok(VersionRequest::Exact(v("1.23.6"))));
        assert!("1".parse::<VersionRequest>().is_err());
        assert!("lates".parse::<VersionRequest>().is_err());
    }

    #[test]
    fn requests_match_versions() {
        let minor = VersionRequest::Minor {
            major: 1,
            minor: 23,
        };
        assert!(minor.matches(&v("1.23.6"), false));
        assert!(!minor.matches(&v("1.23.0-rc.0"), false));
        assert!(minor.matches(&v("1.23.0-rc.0"), true));
        assert!(!minor.matches(&v("1.24.0"), false));
        assert!(VersionRequest::Latest.matches(&v("1.24.0"), false));
        assert!(!VersionRequest::Latest.matches(&v("1.25.0-beta.0"), false));
    }

    #[test]
    fn nearest_lists_neighbours_on_both_sides() {
        let all: Vec<Version> = [
            "1.22.8", "1.23.4", "1.23.5", "1.23.6", "1.24.0", "1.24.1", "1.24.2",
        ]
        .iter()
        .map(|s| v(s))
        .collect();
        let near = nearest(&v("1.23.9"), &all, 3, 2);
        let shown: Vec<String> = near.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["1.23.4", "1.23.5", "1.23.6", "1.24.0", "1.24.1"]);
        assert_eq!(nearest(&v("0.1.0"), &all, 3, 2).len(), 2);
        assert_eq!(nearest(&v("9.0.0"), &all, 3, 2).len(), 3);
        assert!(nearest(&v("1.0.0"), &[], 3, 2).is_empty());
    }
}
