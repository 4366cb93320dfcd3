//! Moving archive bytes into the pipeline: from a file (the cache, or the part already downloaded)
//! and from the network, resuming with `Range` requests after a broken connection.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header;

use super::error::DownloadError;
use super::http::{
    Audience, HttpClient, classify, is_transient, retry_note, root_cause, status_error,
};
use super::pipeline::Pipeline;
use crate::progress::Progress;

const FILE_CHUNK: usize = 256 * 1024;

fn unpack_error(archive: &str) -> impl Fn(super::unpack::UnpackError) -> DownloadError + '_ {
    move |source| DownloadError::from_unpack(archive, source)
}

/// Feeds the first `len` bytes of `file` (at `path`) into the pipeline.
pub async fn feed_file(
    file: &mut File,
    path: &Path,
    len: u64,
    total: Option<u64>,
    archive: &str,
    pipeline: &mut Pipeline,
    progress: &dyn Progress,
) -> Result<(), DownloadError> {
    let mut left = len;
    while left > 0 {
        let want = FILE_CHUNK.min(usize::try_from(left).unwrap_or(FILE_CHUNK));
        let mut buf = vec![0u8; want];
        let n = file
            .read(&mut buf)
            .map_err(|e| DownloadError::io("read", path, e))?;
        if n == 0 {
            break;
        }
        buf.truncate(n);
        left -= n as u64;
        pipeline
            .feed(Bytes::from(buf))
            .await
            .map_err(unpack_error(archive))?;
        progress.bytes(pipeline.bytes(), total);
    }
    Ok(())
}

/// `Content-Range: bytes START-END/TOTAL` → (START, TOTAL).
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()))
}

/// Where a network transfer stands.
pub struct Transfer<'a> {
    pub http: &'a HttpClient,
    pub url: &'a str,
    pub archive: &'a str,
    pub max_bytes: u64,
    pub progress: &'a dyn Progress,
}

/// What came back when asking for the archive.
pub enum Streamed {
    /// All bytes went through; the total is what the server announced, when it did.
    Complete,
    /// The server has no such file (HTTP 404).
    NotFound,
}

impl Transfer<'_> {
    fn too_large(&self, size: u64) -> Result<(), DownloadError> {
        if size > self.max_bytes {
            return Err(DownloadError::ArchiveTooLarge {
                url: self.url.to_string(),
                size,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    /// Streams the archive from the byte offset the pipeline has reached, appending to `part`
    /// (when given) and feeding the pipeline. A connection that breaks mid-body is resumed with a
    /// `Range` request (or, when the server ignores ranges, by skipping what is already there).
    pub async fn stream(
        &self,
        mut part: Option<(&mut File, &Path)>,
        pipeline: &mut Pipeline,
    ) -> Result<Streamed, DownloadError> {
        let policy = self.http.retry_policy();
        let mut failures = 0u32;
        let mut announced: Option<u64> = None;
        let mut started = false;
        loop {
            let offset = pipeline.bytes();
            let response = self
                .http
                .get(self.url, Audience::Download, Some(offset), self.progress)
                .await?;
            let status = response.status();
            let mut skip = 0u64;
            match status {
                StatusCode::PARTIAL_CONTENT => {
                    let range = response
                        .headers()
                        .get(header::CONTENT_RANGE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(content_range);
                    match range {
                        Some((start, total)) if start == offset => announced = total.or(announced),
                        _ => {
                            return Err(DownloadError::BadApiResponse {
                                url: self.url.to_string(),
                                detail: format!(
                                    "the server answered a request for bytes from {offset} with another range"
                                ),
                            });
                        }
                    }
                }
                StatusCode::OK => {
                    skip = offset;
                    announced = response.content_length();
                }
                StatusCode::RANGE_NOT_SATISFIABLE if offset > 0 => {
                    // What is there already is everything; the checksum decides whether it is right.
                    return Ok(Streamed::Complete);
                }
                StatusCode::NOT_FOUND => return Ok(Streamed::NotFound),
                _ => {
                    return Err(status_error(self.url, response, self.http.authenticated()).await);
                }
            }
            if let Some(total) = announced {
                self.too_large(total)?;
            }
            if !started {
                self.progress.step(&format!("downloading {}", self.url));
                started = true;
            }
            self.progress.bytes(offset, announced);
            let mut response = response;
            let broke = loop {
                match response.chunk().await {
                    Ok(Some(mut chunk)) => {
                        if skip > 0 {
                            let drop_now = skip.min(chunk.len() as u64);
                            let _ = chunk.split_to(drop_now as usize);
                            skip -= drop_now;
                            if chunk.is_empty() {
                                continue;
                            }
                        }
                        self.too_large(pipeline.bytes() + chunk.len() as u64)?;
                        if let Some((file, path)) = part.as_mut() {
                            file.write_all(&chunk)
                                .map_err(|e| DownloadError::io("write", *path, e))?;
                        }
                        pipeline
                            .feed(chunk)
                            .await
                            .map_err(unpack_error(self.archive))?;
                        self.progress.bytes(pipeline.bytes(), announced);
                    }
                    Ok(None) => match announced {
                        Some(total) if pipeline.bytes() < total => {
                            break format!(
                                "the connection closed after {} of {total} bytes",
                                pipeline.bytes()
                            );
                        }
                        _ => return Ok(Streamed::Complete),
                    },
                    Err(err) => {
                        let err = classify(self.url, err);
                        if !is_transient(&err) {
                            return Err(err);
                        }
                        break format!(
                            "the transfer broke after {} bytes ({})",
                            pipeline.bytes(),
                            root_cause(&err)
                        );
                    }
                }
            };
            failures += 1;
            if failures > policy.retries {
                return Err(DownloadError::Truncated {
                    url: self.url.to_string(),
                    received: pipeline.bytes(),
                    expected: announced,
                });
            }
            let delay = policy.delay(failures);
            self.progress.warn(&retry_note(
                &format!("{broke}; resuming there"),
                failures,
                policy.retries,
                delay,
            ));
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_range() {
        assert_eq!(content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(content_range("items 1-2/3"), None);
    }
}
