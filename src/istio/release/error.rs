//! Everything that can stop a download, worded for the person at the terminal, with a hint.

use std::io;
use std::path::PathBuf;

use super::checksum::ChecksumFileError;
use super::platform::PlatformError;
use super::unpack::UnpackError;
use super::version::{Version, VersionError};

/// A failed download. `Display` says what failed; `source()` the cause; [`DownloadError::hint`]
/// what to do about it. Nothing here ever contains a token.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error(transparent)]
    Version(#[from] VersionError),
    #[error(transparent)]
    Platform(#[from] PlatformError),
    #[error("Istio {version} is not available: {url} does not exist (HTTP 404)")]
    NotFound {
        version: Version,
        url: String,
        /// Released versions next to the one asked for, when the releases API could be asked.
        nearest: Vec<Version>,
        /// Why the releases could not be listed, when they could not.
        listing_error: Option<String>,
    },
    #[error("no Istio release matches `{request}`{}", if *.pre { "" } else { " (pre-releases skipped; add --pre to include them)" })]
    NoMatchingRelease { request: String, pre: bool },
    #[error("the release has no checksum file: {url} does not exist (HTTP 404)")]
    ChecksumMissing { url: String },
    #[error("could not read the checksum file {url}: {source}")]
    ChecksumFileInvalid {
        url: String,
        source: ChecksumFileError,
    },
    #[error(
        "checksum mismatch for {file}: expected sha256 {expected}, got {actual}; the download was deleted"
    )]
    ChecksumMismatch {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("the GitHub API rate limit is exhausted ({url}){}", reset_note(*.reset_epoch))]
    RateLimited {
        url: String,
        reset_epoch: Option<u64>,
        authenticated: bool,
    },
    #[error("{url} answered HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("could not resolve the host name `{host}` (no network or DNS failure)")]
    Dns {
        host: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("could not connect to {host}")]
    Connect {
        host: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the TLS handshake with {host} failed")]
    Tls {
        host: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the request to {url} timed out")]
    Timeout {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the request to {url} failed")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the releases API at {url} sent a response rigger could not read: {detail}")]
    BadApiResponse { url: String, detail: String },
    #[error("the download of {url} was cut short after {received}{} bytes", expected.map(|e| format!(" of {e}")).unwrap_or_default())]
    Truncated {
        url: String,
        received: u64,
        expected: Option<u64>,
    },
    #[error("{url} is {size} bytes, over the limit of {limit} bytes")]
    ArchiveTooLarge { url: String, size: u64, limit: u64 },
    #[error("could not unpack {archive}")]
    Unpack {
        archive: String,
        #[source]
        source: UnpackError,
    },
    #[error("{archive} does not have the layout of an Istio release: {detail}")]
    Layout { archive: String, detail: String },
    #[error("{} already exists", path.display())]
    TargetExists { path: PathBuf },
    #[error("the disk is full: could not write {}", path.display())]
    DiskFull {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("could not {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("another rigger is downloading into {}", path.display())]
    CacheBusy { path: PathBuf },
}

fn reset_note(reset_epoch: Option<u64>) -> String {
    let Some(reset) = reset_epoch else {
        return String::new();
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let minutes = reset.saturating_sub(now).div_ceil(60);
    format!("; it resets in about {minutes} minute(s)")
}

impl DownloadError {
    /// A file-system error, turned into [`DownloadError::DiskFull`] when the disk is full.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        let path = path.into();
        if source.kind() == io::ErrorKind::StorageFull || source.raw_os_error() == Some(28) {
            Self::DiskFull { path, source }
        } else {
            Self::Io {
                action,
                path,
                source,
            }
        }
    }

    /// An unpacking failure; a full disk is reported as such.
    pub fn from_unpack(archive: &str, source: UnpackError) -> Self {
        match source {
            UnpackError::Write { path, source }
                if source.kind() == io::ErrorKind::StorageFull
                    || source.raw_os_error() == Some(28) =>
            {
                Self::DiskFull { path, source }
            }
            source => Self::Unpack {
                archive: archive.to_string(),
                source,
            },
        }
    }

    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::Version(_) => {
                "give a version like 1.23.6, v1.23.6, 1.23 (newest patch) or latest".to_string()
            }
            Self::Platform(_) => {
                "choose one with --os linux|osx and --arch amd64|arm64|armv7".to_string()
            }
            Self::NotFound {
                nearest,
                listing_error,
                ..
            } => {
                if !nearest.is_empty() {
                    let list: Vec<String> = nearest.iter().map(ToString::to_string).collect();
                    format!("the nearest released versions are {}", list.join(", "))
                } else if let Some(why) = listing_error {
                    format!("check the version; the list of releases could not be fetched: {why}")
                } else {
                    "check the version with --version latest, or the --mirror URL".to_string()
                }
            }
            Self::NoMatchingRelease { .. } => {
                "list the releases at https://github.com/istio/istio/releases".to_string()
            }
            Self::ChecksumMissing { .. } => {
                "rigger only installs what it can verify; if you trust \
                 the source anyway, pass --insecure-skip-checksum"
                    .to_string()
            }
            Self::ChecksumFileInvalid { .. } => {
                "check that the mirror serves the original .sha256 files".to_string()
            }
            Self::ChecksumMismatch { .. } => {
                "run it again; if it keeps failing, the release or the \
                 mirror serves a different file than the checksum describes"
                    .to_string()
            }
            Self::RateLimited { authenticated, .. } => {
                if *authenticated {
                    "wait for the limit to reset, or pin a version with --version to skip the API"
                        .to_string()
                } else {
                    "set GITHUB_TOKEN to a GitHub token for a higher limit, or pin a version with \
                     --version to skip the API"
                        .to_string()
                }
            }
            Self::Http { status, .. } if *status == 401 || *status == 403 => {
                "check GITHUB_TOKEN and access to the mirror".to_string()
            }
            Self::Http { status, .. } if *status >= 500 => {
                "the server failed; try again later or use --mirror".to_string()
            }
            Self::Http { .. } => return None,
            Self::Dns { .. }
            | Self::Connect { .. }
            | Self::Timeout { .. }
            | Self::Request { .. } => {
                "check the network connection and proxy settings (HTTPS_PROXY), or use --mirror"
                    .to_string()
            }
            Self::Tls { .. } => "check the system clock, any proxy that intercepts TLS, and the \
                 server's certificate"
                .to_string(),
            Self::BadApiResponse { .. } => {
                "pin a version with --version to skip the API".to_string()
            }
            Self::Truncated { .. } => {
                "run it again: the part already downloaded is kept and resumed".to_string()
            }
            Self::ArchiveTooLarge { .. } | Self::Unpack { .. } | Self::Layout { .. } => {
                "this is not a genuine Istio release archive; check the --mirror".to_string()
            }
            Self::TargetExists { .. } => {
                "pass --force to replace it, or --dir to install elsewhere".to_string()
            }
            Self::DiskFull { .. } => "free some space, or choose other places with --dir and \
                 --cache-dir"
                .to_string(),
            Self::Io { .. } => "check the permissions of --dir and --cache-dir".to_string(),
            Self::CacheBusy { .. } => "wait for the other download to finish".to_string(),
        })
    }
}
