//! One pass over the archive bytes: each chunk is hashed and handed to an unpacker thread that
//! gunzips and untars it while the next chunk is being received.

use std::io::{self, Read};
use std::path::PathBuf;
use std::thread::JoinHandle;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::checksum;
use super::unpack::{Limits, UnpackError, UnpackStats, unpack};

/// Chunks in flight between the network and the unpacker.
const QUEUE: usize = 64;

/// `Read` over chunks from the channel. An empty chunk marks the regular end; a channel closed
/// without it means the download was abandoned, which the reader reports as an error so the
/// unpacker never mistakes a cut-off stream for a complete one.
struct ChannelReader {
    rx: mpsc::Receiver<Bytes>,
    current: Bytes,
    finished: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            if self.finished {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(chunk) if chunk.is_empty() => self.finished = true,
                Some(chunk) => self.current = chunk,
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "the download stopped before the end of the archive",
                    ));
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// What one pass produced.
#[derive(Debug)]
pub struct PassResult {
    pub sha256: String,
    pub bytes: u64,
    pub unpacked: Result<UnpackStats, UnpackError>,
}

/// Hashes chunks and feeds them to the unpacker thread. Dropping it stops and joins the thread,
/// so nothing writes into the staging directory after the pipeline is gone.
pub struct Pipeline {
    hasher: Sha256,
    bytes: u64,
    tx: Option<mpsc::Sender<Bytes>>,
    worker: Option<JoinHandle<Result<UnpackStats, UnpackError>>>,
}

impl Pipeline {
    /// Starts the unpacker thread, writing into `root`.
    pub fn start(root: PathBuf, limits: Limits) -> io::Result<Self> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let mut reader = ChannelReader {
            rx,
            current: Bytes::new(),
            finished: false,
        };
        let worker = std::thread::Builder::new()
            .name("rigger-unpack".to_string())
            .spawn(move || {
                let result = unpack(&mut reader, &root, limits);
                // Bytes after the gzip stream are hashed but not unpacked; keep taking them so
                // the sender never blocks on a full queue.
                if result.is_ok() {
                    let _ = io::copy(&mut reader, &mut io::sink());
                }
                result
            })?;
        Ok(Self {
            hasher: Sha256::new(),
            bytes: 0,
            tx: Some(tx),
            worker: Some(worker),
        })
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Hashes `chunk` and queues it for the unpacker. When the unpacker has stopped with an error,
    /// returns that error.
    pub async fn feed(&mut self, chunk: Bytes) -> Result<(), UnpackError> {
        if chunk.is_empty() {
            return Ok(());
        }
        self.hasher.update(&chunk);
        self.bytes += chunk.len() as u64;
        let sent = match &self.tx {
            Some(tx) => tx.send(chunk).await.is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The unpacker hung up: it finished early or failed. Either way it has its say now.
        match self.join().await {
            Err(err) => Err(err),
            Ok(_) => Err(UnpackError::Corrupt {
                detail: "data continues after the end of the compressed archive".to_string(),
            }),
        }
    }

    async fn join(&mut self) -> Result<UnpackStats, UnpackError> {
        self.tx = None;
        let Some(worker) = self.worker.take() else {
            return Err(UnpackError::Source(io::Error::other(
                "the unpacker already stopped",
            )));
        };
        match tokio::task::spawn_blocking(move || worker.join()).await {
            Ok(Ok(result)) => result,
            _ => Err(UnpackError::Source(io::Error::other(
                "the unpacker thread panicked",
            ))),
        }
    }

    /// Marks the end of the archive, waits for the unpacker and returns the digest.
    pub async fn finish(mut self) -> PassResult {
        if let Some(tx) = &self.tx {
            // If the unpacker is gone already, `join` reports why.
            let _ = tx.send(Bytes::new()).await;
        }
        let unpacked = self.join().await;
        let hasher = std::mem::take(&mut self.hasher);
        PassResult {
            sha256: checksum::finish(hasher),
            bytes: self.bytes,
            unpacked,
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(worker) = self.worker.take() {
            // The reader fails on its next read now that the channel is closed; wait for that so
            // that the staging directory can be removed with nothing still writing into it.
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::unpack::testing::{Item, tar_gz};
    use super::*;

    #[tokio::test]
    async fn hashes_and_unpacks_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let data = tar_gz(&[Item::File(
            "istio-1.0.0/bin/istioctl",
            &[3u8; 300_000],
            0o755,
        )]);
        let mut pipeline = Pipeline::start(dir.path().to_path_buf(), Limits::default()).unwrap();
        for chunk in data.chunks(7_000) {
            pipeline.feed(Bytes::copy_from_slice(chunk)).await.unwrap();
        }
        let result = pipeline.finish().await;
        assert_eq!(result.sha256, checksum::sha256_hex(&data));
        assert_eq!(result.bytes, data.len() as u64);
        assert_eq!(result.unpacked.unwrap().bytes, 300_000);
        assert_eq!(
            std::fs::read(dir.path().join("istio-1.0.0/bin/istioctl"))
                .unwrap()
                .len(),
            300_000
        );
    }

    #[tokio::test]
    async fn a_hostile_entry_stops_the_feed() {
        let dir = tempfile::tempdir().unwrap();
        let mut data = tar_gz(&[Item::File("../evil", b"x", 0o644)]);
        data.extend(vec![0u8; 2_000_000]);
        let mut pipeline = Pipeline::start(dir.path().to_path_buf(), Limits::default()).unwrap();
        let mut failed = None;
        for chunk in data.chunks(1000) {
            if let Err(err) = pipeline.feed(Bytes::copy_from_slice(chunk)).await {
                failed = Some(err);
                break;
            }
        }
        let err = failed.expect("the feed should stop");
        assert!(err.to_string().contains("`..`"), "{err}");
    }

    #[tokio::test]
    async fn dropping_mid_stream_joins_the_unpacker() {
        let dir = tempfile::tempdir().unwrap();
        let data = tar_gz(&[Item::File("a/b", &[1u8; 500_000], 0o644)]);
        let mut pipeline = Pipeline::start(dir.path().to_path_buf(), Limits::default()).unwrap();
        pipeline
            .feed(Bytes::copy_from_slice(&data[..data.len() / 2]))
            .await
            .unwrap();
        drop(pipeline);
        // The worker is joined: removing the directory now races with nothing.
        std::fs::remove_dir_all(dir.path()).unwrap();
        assert!(!dir.path().exists());
    }
}
