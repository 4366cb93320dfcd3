//! `rigger download` against curl + tar (+ sha256sum) on the same ~100 MB release-shaped archive,
//! served from the same loopback server, in the same run. Run with `cargo bench --bench download`
//! (optionally `RIGGER_BENCH_MB=100 RIGGER_BENCH_ROUNDS=5`). Prints a Markdown table.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/support/httpd.rs"]
mod httpd;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use httpd::{Route, Server};

const VERSION: &str = "1.99.0";
const ARCHIVE: &str = "istio-1.99.0-linux-amd64.tar.gz";
const TEXT: &[u8] = b"func (s *Server) Run() error { return nil }\n";

/// xorshift64*: fast, deterministic filler that gzip cannot shrink.
struct Noise(u64);

impl Noise {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let v = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

fn add(builder: &mut tar::Builder<impl Write>, path: &str, data: &[u8], mode: u32) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    header.set_mtime(1_700_000_000);
    header.set_entry_type(tar::EntryType::Regular);
    builder.append_data(&mut header, path, data).unwrap();
}

/// An Istio-shaped release: a big, mostly incompressible `bin/istioctl`, a few hundred small
/// compressible YAML files under samples/ and manifests/. About `mb` MB compressed.
fn release(mb: usize) -> Vec<u8> {
    let top = format!("istio-{VERSION}");
    let enc = GzEncoder::new(Vec::new(), Compression::new(6));
    let mut builder = tar::Builder::new(enc);
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    // Binaries compress to roughly 3/4 of their size here (3 parts noise, 1 part text).
    let mut istioctl = vec![0u8; mb * 1024 * 1024 * 4 / 3];
    for block in istioctl.chunks_mut(64 * 1024) {
        let split = block.len() * 3 / 4;
        noise.fill(&mut block[..split]);
        for (i, b) in block[split..].iter_mut().enumerate() {
            *b = TEXT[i % TEXT.len()];
        }
    }
    add(
        &mut builder,
        &format!("{top}/bin/istioctl"),
        &istioctl,
        0o755,
    );
    let yaml: Vec<u8> = b"apiVersion: v1\nkind: Service\nmetadata:\n  name: productpage\n"
        .iter()
        .copied()
        .cycle()
        .take(12_000)
        .collect();
    for i in 0..400 {
        let dir = if i % 2 == 0 { "samples" } else { "manifests" };
        add(
            &mut builder,
            &format!("{top}/{dir}/d{}/f{i}.yaml", i % 20),
            &yaml,
            0o644,
        );
    }
    add(
        &mut builder,
        &format!("{top}/manifest.yaml"),
        b"version: 1.99.0\n",
        0o644,
    );
    builder.into_inner().unwrap().finish().unwrap()
}

fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn timed(mut cmd: Command) -> Duration {
    let start = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(script);
    cmd
}

fn fresh(dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    dir.to_path_buf()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("download: bench");
        return;
    }
    let mb: usize = std::env::var("RIGGER_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let rounds: usize = std::env::var("RIGGER_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    for tool in ["curl", "tar", "sha256sum", "tee"] {
        if kubesim::testkit::find_on_path(tool).is_none() {
            eprintln!("note: skipping the download benchmark: `{tool}` is not on PATH");
            return;
        }
    }
    eprintln!("building a ~{mb} MB release archive...");
    let archive = release(mb);
    let bytes = archive.len();
    let server = Server::start();
    let path = format!("/mirror/{VERSION}/{ARCHIVE}");
    server.route(
        &format!("{path}.sha256"),
        Route::ok(format!("{}  {ARCHIVE}\n", sha256(&archive))),
    );
    server.route(&path, Route::ok(archive));
    let url = format!("{}{path}", server.url());
    let mirror = format!("{}/mirror", server.url());
    let work = tempfile::tempdir().unwrap();
    let w = work.path();

    let rigger = |cache: &Path, dir: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rigger"));
        cmd.args([
            "download",
            "--version",
            VERSION,
            "--os",
            "linux",
            "--arch",
            "amd64",
        ])
        .args(["--no-progress", "-q", "--force", "--mirror", &mirror])
        .arg("--dir")
        .arg(dir)
        .arg("--cache-dir")
        .arg(cache);
        cmd
    };

    let mut r_fresh = Vec::new();
    let mut r_cached = Vec::new();
    let mut curl_tar = Vec::new();
    let mut curl_tar_sha = Vec::new();
    // Warm-up round (page cache, server threads), not counted.
    for round in 0..=rounds {
        let dir = fresh(&w.join("rigger"));
        let cache = fresh(&w.join("cache"));
        let t_rigger = timed(rigger(&cache, &dir));
        let t_cached = timed(rigger(&cache, &dir));

        let dir = fresh(&w.join("curl"));
        let t_curl = timed(sh(&format!(
            "curl -sSfL '{url}' | tar xz -C '{}'",
            dir.display()
        )));

        let dir = fresh(&w.join("curl-sha"));
        let t_curl_sha = timed(sh(&format!(
            "curl -sSfL '{url}' | tee '{dir}/{ARCHIVE}' | tar xz -C '{dir}' && \
             curl -sSfL '{url}.sha256' > '{dir}/{ARCHIVE}.sha256' && \
             cd '{dir}' && sha256sum -c --quiet '{ARCHIVE}.sha256'",
            dir = dir.display()
        )));
        if round > 0 {
            r_fresh.push(t_rigger);
            r_cached.push(t_cached);
            curl_tar.push(t_curl);
            curl_tar_sha.push(t_curl_sha);
        }
    }
    let (rf, rc, ct, cs) = (
        median(r_fresh),
        median(r_cached),
        median(curl_tar),
        median(curl_tar_sha),
    );
    let secs = |d: Duration| d.as_secs_f64();
    let rate = |d: Duration| bytes as f64 / 1e6 / secs(d);
    println!(
        "archive: {:.1} MB compressed, {rounds} rounds, median wall time\n",
        bytes as f64 / 1e6
    );
    println!("| tool | verifies sha256 | seconds | MB/s | rigger ÷ tool |");
    println!("|---|---|---|---|---|");
    for (name, verifies, d) in [
        ("rigger download (fresh)", "yes", rf),
        ("rigger download (cached)", "yes", rc),
        ("curl | tar xz", "no", ct),
        ("curl | tee | tar xz + sha256sum", "yes", cs),
    ] {
        println!(
            "| {name} | {verifies} | {:.3} | {:.0} | {:.2} |",
            secs(d),
            rate(d),
            secs(rf) / secs(d)
        );
    }
}
