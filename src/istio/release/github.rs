//! Istio's releases on the GitHub releases API: which versions exist, and which is the newest.

use serde::Deserialize;

use super::error::DownloadError;
use super::http::{Audience, HttpClient, status_error};
use super::version::{Version, VersionRequest, nearest};
use crate::progress::Progress;

/// The public GitHub API.
pub const GITHUB_API: &str = "https://api.github.com";

/// How many pages of 100 releases are read at most (Istio has published about 600).
const MAX_PAGES: usize = 10;

#[derive(Debug, Deserialize)]
struct ApiRelease {
    tag_name: String,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    prerelease: bool,
}

/// One published release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub version: Version,
    /// Marked as a pre-release on GitHub, or has a pre-release version.
    pub prerelease: bool,
}

/// Reads the `rel="next"` URL from a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// Releases from one page of the API, drafts left out; tags that are not versions are skipped.
fn parse_page(url: &str, body: &[u8]) -> Result<Vec<Release>, DownloadError> {
    let page: Vec<ApiRelease> =
        serde_json::from_slice(body).map_err(|e| DownloadError::BadApiResponse {
            url: url.to_string(),
            detail: e.to_string(),
        })?;
    Ok(page
        .into_iter()
        .filter(|r| !r.draft)
        .filter_map(|r| {
            let version: Version = r.tag_name.parse().ok()?;
            Some(Release {
                prerelease: r.prerelease || version.is_prerelease(),
                version,
            })
        })
        .collect())
}

/// Lists Istio's releases newest-first (as the API orders them), page by page, until `enough`
/// says the pages read so far are enough or the pages run out.
pub async fn list_releases(
    http: &HttpClient,
    api_base: &str,
    progress: &dyn Progress,
    mut enough: impl FnMut(&[Release]) -> bool,
) -> Result<Vec<Release>, DownloadError> {
    let mut url = format!(
        "{}/repos/istio/istio/releases?per_page=100",
        api_base.trim_end_matches('/')
    );
    let mut releases = Vec::new();
    for _ in 0..MAX_PAGES {
        let response = http.get(&url, Audience::Api, None, progress).await?;
        if !response.status().is_success() {
            return Err(status_error(&url, response, http.authenticated()).await);
        }
        let next = response
            .headers()
            .get(reqwest::header::LINK)
            .and_then(|v| v.to_str().ok())
            .and_then(next_link);
        let body = response
            .bytes()
            .await
            .map_err(|e| super::http::classify(&url, e))?;
        releases.extend(parse_page(&url, &body)?);
        match next {
            Some(next) if !enough(&releases) => url = next,
            _ => break,
        }
    }
    Ok(releases)
}

/// The newest release that satisfies `request` in `releases`.
pub fn pick(releases: &[Release], request: &VersionRequest, pre: bool) -> Option<Version> {
    releases
        .iter()
        .filter(|r| pre || !r.prerelease)
        .map(|r| &r.version)
        .filter(|v| request.matches(v, pre))
        .max()
        .cloned()
}

/// Turns `latest` or `1.23` into a concrete version by asking the API; an exact version is
/// returned as is without a request.
pub async fn resolve(
    http: &HttpClient,
    api_base: &str,
    request: &VersionRequest,
    pre: bool,
    progress: &dyn Progress,
) -> Result<Version, DownloadError> {
    if let VersionRequest::Exact(version) = request {
        return Ok(version.clone());
    }
    progress.step(&format!(
        "resolving Istio version `{request}` from the GitHub releases API"
    ));
    // Releases come newest first, so the newest match is on the first page that has a match.
    let releases = list_releases(http, api_base, progress, |seen| {
        pick(seen, request, pre).is_some()
    })
    .await?;
    pick(&releases, request, pre).ok_or_else(|| DownloadError::NoMatchingRelease {
        request: request.to_string(),
        pre,
    })
}

/// The released versions closest to `wanted` (for a "not found" message).
pub async fn nearest_releases(
    http: &HttpClient,
    api_base: &str,
    wanted: &Version,
    progress: &dyn Progress,
) -> Result<Vec<Version>, DownloadError> {
    let releases = list_releases(http, api_base, progress, |_| false).await?;
    let candidates: Vec<Version> = releases
        .into_iter()
        .filter(|r| !r.prerelease || wanted.is_prerelease())
        .map(|r| r.version)
        .collect();
    Ok(nearest(wanted, &candidates, 3, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_next_links() {
        let link = r#"<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/releases?per_page=100&page=7>; rel="last""#;
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/repositories/1/releases?per_page=100&page=2")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="prev""#), None);
    }

    #[test]
    fn parses_pages_and_picks_versions() {
        let body = br#"[
            {"tag_name": "1.25.0-beta.0", "draft": false, "prerelease": true},
            {"tag_name": "1.24.2", "draft": false, "prerelease": false},
            {"tag_name": "1.26.0", "draft": true, "prerelease": false},
            {"tag_name": "1.23.6", "draft": false, "prerelease": false},
            {"tag_name": "1.24.3-rc.1", "draft": false, "prerelease": false},
            {"tag_name": "not-a-version", "draft": false, "prerelease": false},
            {"tag_name": "1.23.5", "draft": false, "prerelease": false, "extra": 1}
        ]"#;
        let releases = parse_page("u", body).unwrap();
        assert_eq!(releases.len(), 5);
        let latest = VersionRequest::Latest;
        assert_eq!(
            pick(&releases, &latest, false).unwrap().to_string(),
            "1.24.2"
        );
        assert_eq!(
            pick(&releases, &latest, true).unwrap().to_string(),
            "1.25.0-beta.0"
        );
        let minor = VersionRequest::Minor {
            major: 1,
            minor: 23,
        };
        assert_eq!(
            pick(&releases, &minor, false).unwrap().to_string(),
            "1.23.6"
        );
        let none = VersionRequest::Minor { major: 1, minor: 9 };
        assert_eq!(pick(&releases, &none, false), None);
        let err = parse_page("https://api/x", b"{\"message\": \"Not Found\"}").unwrap_err();
        assert!(err.to_string().contains("https://api/x"), "{err}");
    }
}
