//! `rigger download` against a loopback HTTP server that serves release archives built here,
//! honest and hostile. Every failure case checks the message and that nothing was left behind.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::httpd::{Fault, Route, Server};
use support::tarball::{Item, gzip, tar, tar_gz};

const V: &str = "1.23.6";
const ARCHIVE: &str = "istio-1.23.6-linux-amd64.tar.gz";
const ISTIOCTL: &[u8] = b"#!/bin/sh\necho istioctl-fake \"$@\"\n";

fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A release-shaped archive for `version`, with `extra` entries appended.
fn release(version: &str, extra: &[Item<'_>]) -> Vec<u8> {
    let top = format!("istio-{version}");
    let dirs = [
        format!("{top}/"),
        format!("{top}/bin/"),
        format!("{top}/samples/"),
    ];
    let ctl = format!("{top}/bin/istioctl");
    let manifest = format!("{top}/manifest.yaml");
    let big = format!("{top}/samples/data.bin");
    let filler: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut items = vec![
        Item::Dir(&dirs[0]),
        Item::Dir(&dirs[1]),
        Item::Dir(&dirs[2]),
        Item::File(&ctl, ISTIOCTL, 0o755),
        Item::File(&manifest, b"version: 1\n", 0o644),
        Item::File(&big, &filler, 0o644),
    ];
    items.extend_from_slice(extra);
    tar_gz(&items)
}

/// Serves `archive` and its checksum file for `version` under `/mirror/`.
fn serve(server: &Server, version: &str, name: &str, archive: Vec<u8>) {
    let sum = format!("{}  {name}\n", sha256(&archive));
    server.route(&format!("/mirror/{version}/{name}"), Route::ok(archive));
    server.route(&format!("/mirror/{version}/{name}.sha256"), Route::ok(sum));
}

/// A fake GitHub releases API with two pages.
fn serve_api(server: &Server) {
    let page1 = r#"[
        {"tag_name": "1.26.0", "draft": true, "prerelease": false},
        {"tag_name": "1.25.0-rc.0", "draft": false, "prerelease": true},
        {"tag_name": "1.24.0-beta.1", "draft": false, "prerelease": true},
        {"tag_name": "1.24.1", "draft": false, "prerelease": false},
        {"tag_name": "1.24.0", "draft": false, "prerelease": false},
        {"tag_name": "1.23.6", "draft": false, "prerelease": false}
    ]"#;
    let page2 = r#"[
        {"tag_name": "1.23.5", "draft": false, "prerelease": false},
        {"tag_name": "1.23.4", "draft": false, "prerelease": false},
        {"tag_name": "1.22.8", "draft": false, "prerelease": false}
    ]"#;
    let next = format!(
        "<{}/repos/istio/istio/releases?per_page=100&page=2>; rel=\"next\"",
        server.url()
    );
    server.route(
        "/repos/istio/istio/releases?per_page=100",
        Route::ok(page1).header("Link", &next),
    );
    server.route(
        "/repos/istio/istio/releases?per_page=100&page=2",
        Route::ok(page2),
    );
}

struct Env {
    tmp: tempfile::TempDir,
    server: Server,
}

impl Env {
    fn new() -> Self {
        Self {
            tmp: tempfile::tempdir().unwrap(),
            server: Server::start(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.tmp.path().join("tools")
    }

    fn cache(&self) -> PathBuf {
        self.tmp.path().join("cache")
    }

    fn mirror(&self) -> String {
        format!("{}/mirror", self.server.url())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rigger"));
        cmd.arg("download")
            .arg("--dir")
            .arg(self.dir())
            .arg("--cache-dir")
            .arg(self.cache())
            .args(["--os", "linux", "--arch", "amd64", "--retries", "2"])
            .args(args)
            .env("RIGGER_GITHUB_API", self.server.url())
            .env_remove("GITHUB_TOKEN")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs with the mirror and expects failure; returns stderr.
    fn fail(&self, args: &[&str]) -> String {
        let mirror = self.mirror();
        let mut all = vec!["--mirror", &mirror];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(0),
            "stderr: {stderr}\nstdout: {stdout}"
        );
        (stdout, stderr)
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let (stdout, _) = self.ok(&all);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }

    /// Asserts the install directory holds exactly `names` (no staging leftovers).
    fn assert_dir(&self, names: &[&str]) {
        assert_eq!(listing(&self.dir()), names, "in {}", self.dir().display());
        // And nothing escaped next to it.
        let mut around = listing(self.tmp.path());
        around.retain(|n| n != "tools" && n != "cache");
        assert!(around.is_empty(), "left beside the install dir: {around:?}");
    }

    /// Files in the cache for V.
    fn cached(&self) -> Vec<String> {
        listing(&self.cache().join("istio").join(V))
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn archive_requests(env: &Env, name: &str) -> usize {
    env.server
        .seen()
        .iter()
        .filter(|s| s.target.ends_with(name) && s.method == "GET")
        .count()
}

#[test]
fn installs_verifies_and_prints_json_then_serves_from_cache() {
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    let mirror = env.mirror();
    let json = env.json(&["--version", "v1.23.6", "--mirror", &mirror]);
    let target = env.dir().join("istio-1.23.6");
    assert_eq!(json["version"], V);
    assert_eq!(json["path"], target.to_str().unwrap());
    assert_eq!(
        json["istioctl"],
        target.join("bin/istioctl").to_str().unwrap()
    );
    assert_eq!(json["sha256"], sha256(&archive));
    assert_eq!(json["bytes"], archive.len() as u64);
    assert_eq!(json["verified"], true);
    assert_eq!(json["cached"], false);
    assert!(json["seconds"].as_f64().unwrap() >= 0.0);

    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(target.join("bin/istioctl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(
        fs::metadata(target.join("manifest.yaml"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111,
        0
    );
    env.assert_dir(&["istio-1.23.6"]);
    assert_eq!(
        env.cached(),
        [ARCHIVE.to_string(), format!("{ARCHIVE}.sha256")]
    );
    assert_eq!(archive_requests(&env, ARCHIVE), 1);

    // Second time: refused while the target exists, and the target is kept.
    fs::write(target.join("marker"), "mine").unwrap();
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!("error: {} already exists", target.display())),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --force"), "{stderr}");
    assert_eq!(fs::read_to_string(target.join("marker")).unwrap(), "mine");

    // With --force: from the cache (no archive request), verified again, replaced.
    let json = env.json(&["--version", V, "--mirror", &mirror, "--force"]);
    assert_eq!(json["cached"], true);
    assert_eq!(json["verified"], true);
    assert_eq!(json["sha256"], sha256(&archive));
    assert_eq!(archive_requests(&env, ARCHIVE), 1);
    assert!(!target.join("marker").exists());
    env.assert_dir(&["istio-1.23.6"]);
}

#[test]
fn a_damaged_cache_is_detected_and_downloaded_again() {
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    let mirror = env.mirror();
    env.json(&["--version", V, "--mirror", &mirror]);
    let cached = env.cache().join("istio").join(V).join(ARCHIVE);
    let mut bytes = fs::read(&cached).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    fs::write(&cached, bytes).unwrap();
    let out = env.run(&["--version", V, "--mirror", &mirror, "--force", "-o", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("does not match its checksum; downloading it again"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cached"], false);
    assert_eq!(fs::read(&cached).unwrap(), archive);
    assert_eq!(archive_requests(&env, ARCHIVE), 2);
}

#[test]
fn text_and_env_outputs_put_istioctl_on_path() {
    let env = Env::new();
    serve(&env.server, V, ARCHIVE, release(V, &[]));
    let mirror = env.mirror();
    let (stdout, _) = env.ok(&["--version", V, "--mirror", &mirror]);
    let target = env.dir().join("istio-1.23.6");
    assert!(
        stdout.contains(&format!("{}", target.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}", target.join("bin/istioctl").display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "export PATH=\"{}:$PATH\"",
            target.join("bin").display()
        )),
        "{stdout}"
    );

    // `eval "$(rigger download -o env ...)"` makes istioctl callable.
    let rigger = env.command(&["--version", V, "--mirror", &mirror, "--force", "-o", "env"]);
    let args: Vec<String> = std::iter::once(rigger.get_program())
        .chain(rigger.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect();
    let script = format!(
        "eval \"$({})\" && istioctl version && echo \"$ISTIO_HOME\"",
        args.join(" ")
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("RIGGER_GITHUB_API", env.server.url())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout,
        format!("istioctl-fake version\n{}\n", target.display())
    );
}

#[test]
fn latest_comes_from_the_releases_api_and_skips_drafts_and_prereleases() {
    let env = Env::new();
    serve_api(&env.server);
    let name = "istio-1.24.1-linux-amd64.tar.gz";
    serve(&env.server, "1.24.1", name, release("1.24.1", &[]));
    let mirror = env.mirror();
    let json = env.json(&["--mirror", &mirror]);
    assert_eq!(json["version"], "1.24.1");
    // --pre lets the beta win; --dry-run changes nothing.
    let json = env.json(&["--mirror", &mirror, "--pre", "--dry-run"]);
    assert_eq!(json["version"], "1.25.0-rc.0");
    assert_eq!(json["archive"], "istio-1.25.0-rc.0-linux-amd64.tar.gz");
    // A minor version picks its newest patch (found on the second page).
    let json = env.json(&["--mirror", &mirror, "--version", "1.22", "--dry-run"]);
    assert_eq!(json["version"], "1.22.8");
    assert_eq!(listing(&env.dir()), ["istio-1.24.1"]);
}

#[test]
fn github_token_goes_to_the_api_only_and_is_never_shown() {
    let env = Env::new();
    serve_api(&env.server);
    serve(
        &env.server,
        "1.24.1",
        "istio-1.24.1-linux-amd64.tar.gz",
        release("1.24.1", &[]),
    );
    let mirror = env.mirror();
    let out = env
        .command(&["--mirror", &mirror, "-v", "-o", "json"])
        .env("GITHUB_TOKEN", "ghp_topsecret42")
        .output()
        .unwrap();
    assert!(out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains("topsecret42"));
    }
    for seen in env.server.seen() {
        let auth = seen.header("authorization");
        if seen.target.starts_with("/repos/") {
            assert_eq!(auth, Some("Bearer ghp_topsecret42"), "{}", seen.target);
        } else {
            assert_eq!(auth, None, "token sent to the mirror: {}", seen.target);
        }
    }
}

#[test]
fn unknown_version_lists_the_nearest_releases() {
    let env = Env::new();
    serve_api(&env.server);
    let stderr = env.fail(&["--version", "1.23.9"]);
    assert!(
        stderr.contains("error: Istio 1.23.9 is not available:")
            && stderr.contains(
                "/mirror/1.23.9/istio-1.23.9-linux-amd64.tar.gz does not exist (HTTP 404)"
            ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "hint: the nearest released versions are 1.23.4, 1.23.5, 1.23.6, 1.24.0, 1.24.1"
        ),
        "{stderr}"
    );
    env.assert_dir(&[]);
    assert!(listing(&env.cache()).iter().all(|n| n == "istio"));
}

#[test]
fn unknown_version_without_the_api_still_says_what_is_missing() {
    let env = Env::new();
    let stderr = env.fail(&["--version", "1.23.9"]);
    assert!(stderr.contains("Istio 1.23.9 is not available"), "{stderr}");
    assert!(
        stderr.contains("the list of releases could not be fetched"),
        "{stderr}"
    );
    env.assert_dir(&[]);
}

#[test]
fn rate_limit_is_explained_with_a_token_hint() {
    let env = Env::new();
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 600;
    env.server.route(
        "/repos/istio/istio/releases?per_page=100",
        Route::status(
            403,
            r#"{"message": "API rate limit exceeded for 127.0.0.1."}"#,
        )
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", &reset.to_string()),
    );
    let stderr = env.fail(&["--version", "latest"]);
    assert!(
        stderr.contains("error: the GitHub API rate limit is exhausted"),
        "{stderr}"
    );
    assert!(stderr.contains("resets in about 10 minute(s)"), "{stderr}");
    assert!(stderr.contains("hint: set GITHUB_TOKEN"), "{stderr}");
    env.assert_dir(&[]);
}

/// Serves a hostile release (valid checksum) and checks it is refused, nothing is installed, no
/// file escaped, and the archive is not kept in the cache.
fn refuses(extra: &[Item<'_>], needle: &str) {
    let env = Env::new();
    serve(&env.server, V, ARCHIVE, release(V, extra));
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!("error: could not unpack {ARCHIVE}")),
        "{stderr}"
    );
    assert!(stderr.contains(needle), "{needle} not in: {stderr}");
    assert!(
        stderr.contains("hint: this is not a genuine Istio release archive"),
        "{stderr}"
    );
    env.assert_dir(&[]);
    assert!(env.cached().is_empty(), "cache: {:?}", env.cached());
    assert!(!Path::new("/tmp/rigger-evil").exists());
}

#[test]
fn refuses_path_traversal() {
    refuses(
        &[Item::File(
            "istio-1.23.6/../../../../../../../../tmp/rigger-evil",
            b"x",
            0o644,
        )],
        "refused archive entry `istio-1.23.6/../../../../../../../../tmp/rigger-evil`: its path contains `..`",
    );
}

#[test]
fn refuses_absolute_paths() {
    refuses(
        &[Item::File("/tmp/rigger-evil", b"x", 0o644)],
        "refused archive entry `/tmp/rigger-evil`: it has an absolute path",
    );
}

#[test]
fn refuses_symlink_escape() {
    refuses(
        &[Item::Symlink("istio-1.23.6/up", "../..")],
        "refused archive entry `istio-1.23.6/up`: it is a symlink pointing outside the archive (`../..`)",
    );
    refuses(
        &[
            Item::Symlink("istio-1.23.6/etc", "/tmp"),
            Item::File("istio-1.23.6/etc/rigger-evil", b"x", 0o644),
        ],
        "it is a symlink to the absolute path `/tmp`",
    );
    refuses(
        &[
            Item::Symlink("istio-1.23.6/link", "samples"),
            Item::File("istio-1.23.6/link/x", b"x", 0o644),
        ],
        "it would be written through the symlink `istio-1.23.6/link`",
    );
}

#[test]
fn refuses_hard_links_outside() {
    refuses(
        &[Item::HardLink("istio-1.23.6/passwd", "/etc/passwd")],
        "refused archive entry `istio-1.23.6/passwd`: it is a hard link to `/etc/passwd`",
    );
}

#[test]
fn refuses_device_files_and_absurd_sizes() {
    refuses(&[Item::Device("istio-1.23.6/null")], "it is a device file");
    refuses(&[Item::Fifo("istio-1.23.6/pipe")], "it is a FIFO");
    refuses(
        &[Item::Claims("istio-1.23.6/huge", 1 << 42)],
        "it is 4398046511104 bytes, over the limit",
    );
}

#[test]
fn refuses_an_archive_that_is_not_a_release() {
    let env = Env::new();
    serve(
        &env.server,
        V,
        ARCHIVE,
        tar_gz(&[Item::File("README", b"hi", 0o644)]),
    );
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains("does not have the layout of an Istio release"),
        "{stderr}"
    );
    env.assert_dir(&[]);
}

#[test]
fn wrong_checksum_deletes_the_download_and_names_both_hashes() {
    let env = Env::new();
    let archive = release(V, &[]);
    let wrong = "0".repeat(64);
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()),
    );
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}.sha256"),
        Route::ok(format!("{wrong}  {ARCHIVE}\n")),
    );
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!(
            "error: checksum mismatch for {}/{V}/{ARCHIVE}: expected sha256 {wrong}, got {}; the download was deleted",
            env.mirror(),
            sha256(&archive)
        )),
        "{stderr}"
    );
    env.assert_dir(&[]);
    assert!(env.cached().is_empty(), "{:?}", env.cached());
}

#[test]
fn missing_checksum_is_refused_unless_skipped() {
    let env = Env::new();
    let archive = release(V, &[]);
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()),
    );
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!(
            "error: the release has no checksum file: {}/{V}/{ARCHIVE}.sha256 does not exist (HTTP 404)",
            env.mirror()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: rigger only installs what it can verify"),
        "{stderr}"
    );
    assert!(stderr.contains("--insecure-skip-checksum"), "{stderr}");
    env.assert_dir(&[]);

    let mirror = env.mirror();
    let out = env.run(&[
        "--version",
        V,
        "--mirror",
        &mirror,
        "--insecure-skip-checksum",
        "-o",
        "json",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("without verifying it"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verified"], false);
    assert_eq!(json["sha256"], sha256(&archive));
    env.assert_dir(&["istio-1.23.6"]);
    assert!(
        env.cached().is_empty(),
        "unverified archives are not cached"
    );
}

#[test]
fn truncated_transfer_fails_after_retries_and_resumes_later() {
    let env = Env::new();
    let archive = release(V, &[]);
    let half = archive.len() / 2;
    serve(&env.server, V, ARCHIVE, archive.clone());
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()).fault(Fault::CutAfter(half), 1),
    );
    // The first request is cut short, the retry resumes with a range request.
    let mirror = env.mirror();
    let json = env.json(&["--version", V, "--mirror", &mirror]);
    assert_eq!(json["sha256"], sha256(&archive));
    let ranges: Vec<String> = env
        .server
        .seen_for(&format!("/mirror/{V}/{ARCHIVE}"))
        .iter()
        .filter_map(|s| s.header("range").map(str::to_string))
        .collect();
    assert_eq!(ranges, [format!("bytes={half}-")]);

    // Always cut: fails, says how far it got, keeps the part for later, installs nothing.
    let env = Env::new();
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()).fault(Fault::CutAfter(half), u32::MAX),
    );
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}.sha256"),
        Route::ok(format!("{}  {ARCHIVE}\n", sha256(&archive))),
    );
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!(
            "was cut short after {half} of {} bytes",
            archive.len()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: run it again: the part already downloaded is kept"),
        "{stderr}"
    );
    env.assert_dir(&[]);
    let part = format!("{ARCHIVE}.{}.part", &sha256(&archive)[..16]);
    assert_eq!(env.cached(), [part]);
}

#[test]
fn truncated_archive_is_reported_as_such() {
    let env = Env::new();
    let archive = release(V, &[]);
    let cut = archive[..archive.len() - 100].to_vec();
    serve(&env.server, V, ARCHIVE, cut);
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!("error: could not unpack {ARCHIVE}")),
        "{stderr}"
    );
    assert!(stderr.contains("the archive is truncated"), "{stderr}");
    env.assert_dir(&[]);
    assert!(env.cached().is_empty());
}

#[test]
fn garbage_is_not_mistaken_for_an_archive() {
    let env = Env::new();
    serve(&env.server, V, ARCHIVE, gzip(&tar(&[]))[..10].to_vec());
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains("truncated") || stderr.contains("not a valid"),
        "{stderr}"
    );
    env.assert_dir(&[]);
}

#[test]
fn transient_server_errors_are_retried() {
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive).fail_first(2),
    );
    let mirror = env.mirror();
    let (_, stderr) = env.ok(&["--version", V, "--mirror", &mirror]);
    assert!(
        stderr.contains("answered HTTP 503; retrying in"),
        "{stderr}"
    );
    assert!(stderr.contains("(2 of 2)"), "{stderr}");
    env.assert_dir(&["istio-1.23.6"]);
}

#[test]
fn server_that_ignores_ranges_still_resumes_correctly() {
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()).fault(Fault::CutAfter(archive.len() / 3), 1),
    );
    // Later requests ignore Range: rigger skips what it already has.
    let mirror = env.mirror();
    let json = env.json(&["--version", V, "--mirror", &mirror]);
    assert_eq!(json["sha256"], sha256(&archive));
}

#[test]
fn network_failures_are_named() {
    let env = Env::new();
    // Connection refused: a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = env.run(&[
        "--version",
        V,
        "--mirror",
        &format!("http://127.0.0.1:{port}/m"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(&format!("error: could not connect to 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the network connection"),
        "{stderr}"
    );

    // DNS failure.
    let out = env.run(&["--version", V, "--mirror", "http://rigger-test.invalid/m"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("could not resolve the host name `rigger-test.invalid`"),
        "{stderr}"
    );

    // TLS failure: https to a plain-HTTP server.
    let out = env.run(&[
        "--version",
        V,
        "--mirror",
        &format!("https://127.0.0.1:{}/m", env.server.port()),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(&format!(
            "error: the TLS handshake with 127.0.0.1:{} failed",
            env.server.port()
        )),
        "{stderr}"
    );
    env.assert_dir(&[]);
}

#[test]
fn disk_full_is_reported_and_cleaned_up() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    // The partial download lands on /dev/full, where every write fails with ENOSPC.
    let dir = env.cache().join("istio").join(V);
    fs::create_dir_all(&dir).unwrap();
    let part = dir.join(format!("{ARCHIVE}.{}.part", &sha256(&archive)[..16]));
    std::os::unix::fs::symlink("/dev/full", &part).unwrap();
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains("error: the disk is full: could not write"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: free some space"), "{stderr}");
    env.assert_dir(&[]);
    assert!(env.cached().is_empty(), "{:?}", env.cached());
}

#[test]
fn bad_input_is_a_usage_error() {
    let env = Env::new();
    let out = env.run(&["--version", "1.2.x"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`1.2.x` is not a valid Istio version"),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_rigger"))
        .args(["download", "--dry-run", "--arch", "sparc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("unsupported architecture `sparc`: Istio publishes amd64, arm64 and armv7")
    );
    assert!(!env.dir().exists());
}

#[test]
fn dry_run_changes_nothing() {
    let env = Env::new();
    let mirror = env.mirror();
    let (stdout, _) = env.ok(&["--version", V, "--mirror", &mirror, "--dry-run"]);
    assert!(
        stdout.contains(&format!("{mirror}/{V}/{ARCHIVE}")),
        "{stdout}"
    );
    assert!(!env.dir().exists());
    assert!(!env.cache().exists());
    assert!(env.server.seen().is_empty());
}

#[test]
fn interrupt_leaves_nothing_behind_and_the_next_run_resumes() {
    let env = Env::new();
    let archive = release(V, &[]);
    let stall = archive.len() / 2;
    serve(&env.server, V, ARCHIVE, archive.clone());
    env.server.route(
        &format!("/mirror/{V}/{ARCHIVE}"),
        Route::ok(archive.clone()).fault(Fault::StallAfter(stall), 1),
    );
    let mirror = env.mirror();
    let child = env
        .command(&["--version", V, "--mirror", &mirror])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the archive is half through and the staging directory exists.
    let deadline = Instant::now() + Duration::from_secs(30);
    let part = env
        .cache()
        .join("istio")
        .join(V)
        .join(format!("{ARCHIVE}.{}.part", &sha256(&archive)[..16]));
    while fs::metadata(&part).map(|m| m.len()).unwrap_or(0) < stall as u64 {
        assert!(Instant::now() < deadline, "the download never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(listing(&env.dir()).len(), 1, "staging directory expected");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    env.assert_dir(&[]);
    assert_eq!(fs::metadata(&part).unwrap().len(), stall as u64);

    let json = env.json(&["--version", V, "--mirror", &mirror]);
    assert_eq!(json["resumedFrom"], stall as u64);
    assert_eq!(json["sha256"], sha256(&archive));
    let last = env
        .server
        .seen_for(&format!("/mirror/{V}/{ARCHIVE}"))
        .pop()
        .unwrap();
    assert_eq!(last.header("range"), Some(&*format!("bytes={stall}-")));
    env.assert_dir(&["istio-1.23.6"]);
}

#[test]
fn a_second_rigger_on_the_same_download_is_turned_away() {
    let env = Env::new();
    let archive = release(V, &[]);
    serve(&env.server, V, ARCHIVE, archive.clone());
    let dir = env.cache().join("istio").join(V);
    fs::create_dir_all(&dir).unwrap();
    let part = dir.join(format!("{ARCHIVE}.{}.part", &sha256(&archive)[..16]));
    let held = fs::File::create(&part).unwrap();
    held.try_lock().unwrap();
    let stderr = env.fail(&["--version", V]);
    assert!(
        stderr.contains(&format!(
            "error: another rigger is downloading into {}",
            part.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: wait for the other download to finish"),
        "{stderr}"
    );
    env.assert_dir(&[]);
    drop(held);
    env.json(&["--version", V, "--mirror", &env.mirror()]);
    env.assert_dir(&["istio-1.23.6"]);
}
