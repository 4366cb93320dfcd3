//! Istio releases: which version, which archive, and installing it safely.
//!
//! [`plan`] resolves what to fetch (a version from the GitHub releases API when asked for `latest`
//! or `1.23`, the archive name for the platform, the URLs on GitHub or a mirror). [`install`] then
//! fetches the published `.sha256`, streams the archive once through SHA-256 and a gunzip+untar
//! thread into a staging directory next to the target, checks the digest, and renames the result
//! into place. Archives are kept in a cache (re-verified on every use); a broken transfer is resumed
//! from the partial file with `Range` requests.

pub mod checksum;
pub mod error;
pub mod fetch;
pub mod github;
pub mod http;
pub mod pipeline;
pub mod platform;
pub mod staging;
pub mod unpack;
pub mod version;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::progress::{Progress, Silent};
pub use error::DownloadError;
pub use http::{HttpClient, HttpOptions, RetryPolicy};
pub use platform::{Arch, Os};
pub use unpack::Limits;
pub use version::{Version, VersionRequest};

use fetch::{Streamed, Transfer, feed_file};
use http::{Audience, error_line, status_error};
use pipeline::Pipeline;
use staging::Staging;

/// Where GitHub serves Istio's release assets: `$BASE/$VERSION/$ARCHIVE`.
pub const GITHUB_DOWNLOADS: &str = "https://github.com/istio/istio/releases/download";

/// Longest checksum file accepted.
const MAX_CHECKSUM_FILE: u64 = 64 * 1024;

/// What to download and where to put it.
#[derive(Clone, Debug)]
pub struct Request {
    pub version: VersionRequest,
    /// Let `latest` and `1.23` pick pre-releases.
    pub pre: bool,
    pub os: Os,
    pub arch: Arch,
    /// The directory that receives `istio-$VERSION/`.
    pub dir: PathBuf,
    /// A server with GitHub's layout (`$MIRROR/$VERSION/$ARCHIVE`); GitHub when `None`.
    pub mirror: Option<String>,
    /// Base URL of the GitHub API (for `latest` and for suggesting versions).
    pub api_base: String,
    /// Where archives are kept between runs.
    pub cache_dir: PathBuf,
    /// Replace an existing `istio-$VERSION/`.
    pub force: bool,
    /// Do not fetch or check the `.sha256` file.
    pub skip_checksum: bool,
    pub limits: Limits,
}

/// The resolved download: everything known before a byte of the archive moves.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub version: String,
    pub os: String,
    pub arch: String,
    pub archive: String,
    pub url: String,
    /// `None` with `--insecure-skip-checksum`.
    pub checksum_url: Option<String>,
    /// `DIR/istio-$VERSION`, absolute.
    pub target: PathBuf,
    pub cache_file: PathBuf,
    pub target_exists: bool,
}

/// A finished installation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Installed {
    pub version: String,
    /// The installation directory (`DIR/istio-$VERSION`).
    pub path: PathBuf,
    pub istioctl: PathBuf,
    /// The directory to put on `PATH`.
    pub bin_dir: PathBuf,
    /// SHA-256 of the archive.
    pub sha256: String,
    /// Whether the digest was checked against the release's `.sha256`.
    pub verified: bool,
    /// Size of the archive.
    pub bytes: u64,
    /// Wall-clock time of the installation.
    pub seconds: f64,
    /// Served from the cache without a download.
    pub cached: bool,
    /// Bytes taken from an earlier, interrupted download.
    pub resumed_from: u64,
    pub url: String,
    pub archive: String,
}

/// `$BASE/$VERSION/$ARCHIVE`.
pub fn release_url(base: &str, version: &str, archive: &str) -> String {
    format!("{}/{version}/{archive}", base.trim_end_matches('/'))
}

/// Resolves the version and works out names, URLs and paths. Only `latest`/`1.23` touch the
/// network (the releases API).
pub async fn plan(
    http: &HttpClient,
    request: &Request,
    progress: &dyn Progress,
) -> Result<Plan, DownloadError> {
    let version = github::resolve(
        http,
        &request.api_base,
        &request.version,
        request.pre,
        progress,
    )
    .await?
    .to_string();
    let parsed: Version = version.parse()?;
    let archive = platform::archive_name(&parsed, request.os, request.arch);
    let base = request.mirror.as_deref().unwrap_or(GITHUB_DOWNLOADS);
    let url = release_url(base, &version, &archive);
    let dir = std::path::absolute(&request.dir)
        .map_err(|e| DownloadError::io("resolve", &request.dir, e))?;
    let target = dir.join(format!("istio-{version}"));
    Ok(Plan {
        checksum_url: (!request.skip_checksum).then(|| format!("{url}.sha256")),
        cache_file: request
            .cache_dir
            .join("istio")
            .join(&version)
            .join(&archive),
        target_exists: fs::symlink_metadata(&target).is_ok(),
        os: request.os.to_string(),
        arch: request.arch.to_string(),
        version,
        archive,
        url,
        target,
    })
}

/// The file beside `path` with `suffix` appended to its name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_quietly(path: &Path) {
    let _ = fs::remove_file(path);
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(checksum::finish(hasher));
        }
        hasher.update(&buf[..n]);
    }
}

/// The result of one pass over the archive before it is committed.
struct Outcome {
    sha256: String,
    bytes: u64,
    verified: bool,
    cached: bool,
    resumed_from: u64,
}

struct Installer<'a> {
    http: &'a HttpClient,
    request: &'a Request,
    plan: &'a Plan,
    progress: &'a dyn Progress,
}

impl Installer<'_> {
    fn staging(&self) -> Result<(Staging, Pipeline), DownloadError> {
        let parent = self.plan.target.parent().unwrap_or(Path::new("."));
        let staging = Staging::create(parent, &format!("istio-{}", self.plan.version))?;
        let pipeline = Pipeline::start(staging.root().to_path_buf(), self.request.limits)
            .map_err(|e| DownloadError::io("start the unpacker for", staging.root(), e))?;
        Ok((staging, pipeline))
    }

    fn commit(&self, staging: Staging, stats: &unpack::UnpackStats) -> Result<(), DownloadError> {
        staging.commit(
            &self.plan.archive,
            &stats.top_level,
            &self.plan.target,
            self.request.force,
        )
    }

    /// Installs from the cache when it holds the archive and its checksum and they agree.
    /// `Ok(None)`: not cached (or the cached copy was bad and has been removed).
    async fn try_cache(&self) -> Result<Option<Outcome>, DownloadError> {
        let cache_file = &self.plan.cache_file;
        let sum_file = sibling(cache_file, ".sha256");
        let (Ok(text), Ok(mut file)) = (fs::read_to_string(&sum_file), File::open(cache_file))
        else {
            return Ok(None);
        };
        let discard = |why: &str| {
            self.progress.warn(&format!(
                "the cached {} {why}; downloading it again",
                self.plan.archive
            ));
            remove_quietly(cache_file);
            remove_quietly(&sum_file);
        };
        let Ok(expected) = checksum::parse_checksum_file(&text, &self.plan.archive) else {
            discard("has an unreadable checksum file");
            return Ok(None);
        };
        let len = file
            .metadata()
            .map_err(|e| DownloadError::io("read", cache_file, e))?
            .len();
        self.progress.step(&format!(
            "using the cached archive {} (verifying it again)",
            cache_file.display()
        ));
        let (staging, mut pipeline) = self.staging()?;
        let fed = feed_file(
            &mut file,
            cache_file,
            len,
            Some(len),
            &self.plan.archive,
            &mut pipeline,
            self.progress,
        )
        .await;
        let (sha256, unpacked) = match fed {
            Ok(()) => {
                let pass = pipeline.finish().await;
                (pass.sha256, pass.unpacked)
            }
            // Stopped early: the digest of the whole file tells a damaged cache from a bad release.
            Err(DownloadError::Unpack { source, .. }) => {
                drop(pipeline);
                let sha =
                    hash_file(cache_file).map_err(|e| DownloadError::io("read", cache_file, e))?;
                (sha, Err(source))
            }
            Err(other) => return Err(other),
        };
        if sha256 != expected {
            discard("does not match its checksum");
            return Ok(None);
        }
        let stats = unpacked.map_err(|e| DownloadError::from_unpack(&self.plan.archive, e))?;
        self.commit(staging, &stats)?;
        Ok(Some(Outcome {
            sha256,
            bytes: len,
            verified: true,
            cached: true,
            resumed_from: 0,
        }))
    }

    /// The expected digest and the checksum file's text, or `None` with `--insecure-skip-checksum`.
    async fn checksum(&self) -> Result<Option<(String, String)>, DownloadError> {
        let Some(url) = &self.plan.checksum_url else {
            self.progress.warn(
                "--insecure-skip-checksum: the archive will be installed without verifying it",
            );
            return Ok(None);
        };
        self.progress.step(&format!("fetching {url}"));
        let response = self
            .http
            .get(url, Audience::Download, None, self.progress)
            .await?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            // Is the whole version missing, or only its checksum?
            let probe = self
                .http
                .get(&self.plan.url, Audience::Download, None, self.progress)
                .await?;
            if probe.status() == reqwest::StatusCode::NOT_FOUND {
                return Err(self.not_found().await);
            }
            return Err(DownloadError::ChecksumMissing { url: url.clone() });
        }
        if !status.is_success() {
            return Err(status_error(url, response, false).await);
        }
        let invalid = |source| DownloadError::ChecksumFileInvalid {
            url: url.clone(),
            source,
        };
        if response.content_length().unwrap_or(0) > MAX_CHECKSUM_FILE {
            return Err(invalid(checksum::ChecksumFileError::NoDigest));
        }
        let text = response.text().await.map_err(|e| http::classify(url, e))?;
        let digest = checksum::parse_checksum_file(&text, &self.plan.archive).map_err(invalid)?;
        Ok(Some((digest, text)))
    }

    /// A "not found" error listing the nearest released versions when the API can tell.
    async fn not_found(&self) -> DownloadError {
        let version: Version = match self.plan.version.parse() {
            Ok(v) => v,
            Err(e) => return e.into(),
        };
        self.progress
            .step("listing Istio releases to suggest the nearest versions");
        let (nearest, listing_error) = match github::nearest_releases(
            self.http,
            &self.request.api_base,
            &version,
            self.progress,
        )
        .await
        {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(error_line(&e))),
        };
        DownloadError::NotFound {
            version,
            url: self.plan.url.clone(),
            nearest,
            listing_error,
        }
    }

    /// Downloads (resuming a partial file when there is one for this digest), verifies, unpacks,
    /// caches and commits.
    async fn download(&self, expected: Option<(String, String)>) -> Result<Outcome, DownloadError> {
        let cache_file = &self.plan.cache_file;
        let cache_dir = cache_file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(cache_dir).map_err(|e| DownloadError::io("create", cache_dir, e))?;
        // The partial file is named after the digest it must end up with, so a resume never mixes
        // bytes of two different archives.
        let part_path = match &expected {
            Some((digest, _)) => sibling(cache_file, &format!(".{}.part", &digest[..16])),
            None => sibling(cache_file, ".unverified.part"),
        };
        let mut part = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&part_path)
            .map_err(|e| DownloadError::io("create", &part_path, e))?;
        if let Err(fs::TryLockError::WouldBlock) = part.try_lock() {
            return Err(DownloadError::CacheBusy { path: part_path });
        }
        let result = self
            .download_into(&mut part, &part_path, expected.as_ref())
            .await;
        match &result {
            Ok(_) => {}
            // Worth resuming next time.
            Err(
                DownloadError::Truncated { .. }
                | DownloadError::Connect { .. }
                | DownloadError::Timeout { .. }
                | DownloadError::Request { .. }
                | DownloadError::Tls { .. }
                | DownloadError::Dns { .. }
                | DownloadError::Http { .. },
            ) if expected.is_some() && part.metadata().is_ok_and(|m| m.len() > 0) => {}
            Err(_) => remove_quietly(&part_path),
        }
        let (outcome, stats, staging) = result?;
        drop(part);
        match &expected {
            Some((_, text)) => {
                let sum_file = sibling(cache_file, ".sha256");
                fs::write(&sum_file, text).map_err(|e| DownloadError::io("write", &sum_file, e))?;
                fs::rename(&part_path, cache_file)
                    .map_err(|e| DownloadError::io("move into the cache", cache_file, e))?;
            }
            // An unverified archive is not kept: a later run could not verify it either.
            None => remove_quietly(&part_path),
        }
        self.commit(staging, &stats)?;
        Ok(outcome)
    }

    async fn download_into(
        &self,
        part: &mut File,
        part_path: &Path,
        expected: Option<&(String, String)>,
    ) -> Result<(Outcome, unpack::UnpackStats, Staging), DownloadError> {
        let read_err = |e| DownloadError::io("read", part_path, e);
        let mut have = part.metadata().map_err(read_err)?.len();
        if expected.is_none() && have > 0 {
            part.set_len(0)
                .map_err(|e| DownloadError::io("truncate", part_path, e))?;
            have = 0;
        }
        // A resumed pass that fails verification is retried once from scratch.
        loop {
            let resumed_from = have;
            let (staging, mut pipeline) = self.staging()?;
            part.seek(SeekFrom::Start(0)).map_err(read_err)?;
            if have > 0 {
                self.progress.step(&format!(
                    "resuming the download of {} at byte {have}",
                    self.plan.archive
                ));
                feed_file(
                    part,
                    part_path,
                    have,
                    None,
                    &self.plan.archive,
                    &mut pipeline,
                    self.progress,
                )
                .await?;
            }
            part.seek(SeekFrom::End(0)).map_err(read_err)?;
            let transfer = Transfer {
                http: self.http,
                url: &self.plan.url,
                archive: &self.plan.archive,
                max_bytes: self.request.limits.max_archive_bytes,
                progress: self.progress,
            };
            let streamed = transfer
                .stream(Some((part, part_path)), &mut pipeline)
                .await;
            if let Streamed::NotFound = streamed? {
                return Err(self.not_found().await);
            }
            let pass = pipeline.finish().await;
            if let Some((digest, _)) = expected
                && pass.sha256 != *digest
            {
                if resumed_from > 0 {
                    self.progress
                        .warn("the resumed download does not match the checksum; starting over");
                    part.set_len(0)
                        .map_err(|e| DownloadError::io("truncate", part_path, e))?;
                    have = 0;
                    continue;
                }
                return Err(DownloadError::ChecksumMismatch {
                    file: self.plan.url.clone(),
                    expected: digest.clone(),
                    actual: pass.sha256,
                });
            }
            let stats = pass
                .unpacked
                .map_err(|e| DownloadError::from_unpack(&self.plan.archive, e))?;
            let outcome = Outcome {
                sha256: pass.sha256,
                bytes: pass.bytes,
                verified: expected.is_some(),
                cached: false,
                resumed_from,
            };
            return Ok((outcome, stats, staging));
        }
    }
}

/// Installs the planned release: from the cache when possible, otherwise downloaded, verified
/// and unpacked in one pass. On failure or when the future is dropped (Ctrl-C), the target is
/// untouched and the staging directory is gone; a partial download stays in the cache to resume.
pub async fn install(
    http: &HttpClient,
    request: &Request,
    plan: &Plan,
    progress: &dyn Progress,
) -> Result<Installed, DownloadError> {
    let started = Instant::now();
    if !request.force && fs::symlink_metadata(&plan.target).is_ok() {
        return Err(DownloadError::TargetExists {
            path: plan.target.clone(),
        });
    }
    if let Some(parent) = plan.target.parent() {
        fs::create_dir_all(parent).map_err(|e| DownloadError::io("create", parent, e))?;
    }
    let installer = Installer {
        http,
        request,
        plan,
        progress,
    };
    let outcome = match installer.try_cache().await? {
        Some(outcome) => outcome,
        None => {
            let expected = installer.checksum().await?;
            installer.download(expected).await?
        }
    };
    let bin_dir = plan.target.join("bin");
    Ok(Installed {
        version: plan.version.clone(),
        path: plan.target.clone(),
        istioctl: bin_dir.join("istioctl"),
        bin_dir,
        sha256: outcome.sha256,
        verified: outcome.verified,
        bytes: outcome.bytes,
        seconds: started.elapsed().as_secs_f64(),
        cached: outcome.cached,
        resumed_from: outcome.resumed_from,
        url: plan.url.clone(),
        archive: plan.archive.clone(),
    })
}

/// The default cache directory: `$XDG_CACHE_HOME/rigger`, else `~/.cache/rigger`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    non_empty("XDG_CACHE_HOME")
        .filter(|p| p.is_absolute())
        .map(|p| p.join("rigger"))
        .or_else(|| non_empty("HOME").map(|home| home.join(".cache").join("rigger")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_github_and_mirror_urls() {
        assert_eq!(
            release_url(
                GITHUB_DOWNLOADS,
                "1.23.6",
                "istio-1.23.6-linux-amd64.tar.gz"
            ),
            "https://github.com/istio/istio/releases/download/1.23.6/istio-1.23.6-linux-amd64.tar.gz"
        );
        assert_eq!(
            release_url(
                "http://mirror.local/istio/",
                "1.5.10",
                "istio-1.5.10-linux.tar.gz"
            ),
            "http://mirror.local/istio/1.5.10/istio-1.5.10-linux.tar.gz"
        );
    }

    #[test]
    fn sibling_appends_to_the_file_name() {
        assert_eq!(
            sibling(Path::new("/c/a.tar.gz"), ".sha256"),
            PathBuf::from("/c/a.tar.gz.sha256")
        );
    }

    #[tokio::test]
    async fn plans_an_exact_version_without_the_network() {
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let request = Request {
            version: "v1.23.6".parse().unwrap(),
            pre: false,
            os: Os::Osx,
            arch: Arch::Arm64,
            dir: PathBuf::from("relative/dir"),
            mirror: Some("http://127.0.0.1:9/m/".to_string()),
            api_base: "http://127.0.0.1:9".to_string(),
            cache_dir: PathBuf::from("/cache"),
            force: false,
            skip_checksum: false,
            limits: Limits::default(),
        };
        let plan = plan(&http, &request, &Silent).await.unwrap();
        assert_eq!(plan.version, "1.23.6");
        assert_eq!(plan.archive, "istio-1.23.6-osx-arm64.tar.gz");
        assert_eq!(
            plan.url,
            "http://127.0.0.1:9/m/1.23.6/istio-1.23.6-osx-arm64.tar.gz"
        );
        assert_eq!(
            plan.checksum_url.as_deref(),
            Some(&*format!("{}.sha256", plan.url))
        );
        assert!(plan.target.is_absolute());
        assert!(plan.target.ends_with("relative/dir/istio-1.23.6"));
        assert_eq!(
            plan.cache_file,
            PathBuf::from("/cache/istio/1.23.6/istio-1.23.6-osx-arm64.tar.gz")
        );
    }
}
