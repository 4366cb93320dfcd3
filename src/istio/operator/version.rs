//! Which Istio versions the in-cluster operator exists for.
//!
//! The operator shipped up to Istio 1.23.x (1.23.0 is the last release with
//! `manifests/charts/istio-operator`); `istioctl operator init` is gone from 1.24 on.

use std::fmt;

/// The newest minor release that ships the operator.
pub const LAST_OPERATOR_MINOR: (u64, u64) = (1, 23);
/// The operator tag `rigger operator init` installs by default.
pub const DEFAULT_TAG: &str = "1.23.6";
pub const DEFAULT_HUB: &str = "docker.io/istio";

/// A tag the operator path cannot serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooNew {
    pub tag: String,
}

impl fmt::Display for TooNew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Istio {} has no in-cluster operator: the operator shipped up to Istio 1.23.x and was removed in 1.24, \
             so there is no operator image or IstioOperator controller for this version",
            self.tag
        )
    }
}

impl std::error::Error for TooNew {}

impl TooNew {
    /// What to do instead.
    pub fn hint(&self) -> String {
        format!(
            "install Istio {} without the operator (`istioctl install` from that release renders and applies the \
             charts directly), or stay on the operator path with a 1.23 tag such as --tag {DEFAULT_TAG}",
            self.tag
        )
    }
}

/// `(major, minor)` of a version-like tag (`1.23.6`, `1.23`, `1.24.0-beta.1`, `1.23.6-distroless`);
/// `None` for tags that are not versions (`latest`, a commit hash).
pub fn major_minor(tag: &str) -> Option<(u64, u64)> {
    let tag = tag.trim().trim_start_matches('v');
    let mut parts = tag.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Refuses tags of Istio 1.24 and newer; tags that are not versions are allowed.
pub fn check_operator_tag(tag: &str) -> Result<(), TooNew> {
    match major_minor(tag) {
        Some(version) if version > LAST_OPERATOR_MINOR => Err(TooNew {
            tag: tag.to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(major_minor("1.23.6"), Some((1, 23)));
        assert_eq!(major_minor("v1.24"), Some((1, 24)));
        assert_eq!(major_minor("1.24.0-beta.1"), Some((1, 24)));
        assert_eq!(major_minor("latest"), None);
        for ok in [
            "1.23.6",
            "1.23",
            "1.5.0",
            "1.23.6-distroless",
            "latest",
            "abc123",
        ] {
            assert!(check_operator_tag(ok).is_ok(), "{ok}");
        }
        for refused in ["1.24.0", "1.30.3", "2.0.0", "1.24-alpha"] {
            let err = check_operator_tag(refused).unwrap_err();
            assert!(err.to_string().contains("removed in 1.24"));
            assert!(err.hint().contains("istioctl install"));
        }
    }
}
