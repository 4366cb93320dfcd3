//! Safe unpacking of a gzip-compressed tar stream into an empty directory.
//!
//! Every entry is checked before anything is written: no absolute paths, no `..`, nothing written
//! through a symlink, symlinks and hard links must stay inside, no device files or FIFOs, and sizes
//! are bounded. Executable bits are kept; set-uid/set-gid/sticky bits and group/other write are not.
//! After the last entry every symlink is resolved on disk once more, so that a chain of links that
//! only escapes once all of them exist is refused too.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use flate2::read::GzDecoder;
use tar::EntryType;

/// Upper bounds that keep a hostile or broken archive from filling the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest compressed archive accepted.
    pub max_archive_bytes: u64,
    /// Largest single file inside the archive.
    pub max_entry_bytes: u64,
    /// Largest total of all files inside the archive.
    pub max_total_bytes: u64,
    /// Most entries accepted.
    pub max_entries: u64,
}

const GIB: u64 = 1024 * 1024 * 1024;

impl Default for Limits {
    /// Istio archives are about 30 MB compressed and 150 MB unpacked; these are far above that.
    fn default() -> Self {
        Self {
            max_archive_bytes: 2 * GIB,
            max_entry_bytes: 2 * GIB,
            max_total_bytes: 8 * GIB,
            max_entries: 250_000,
        }
    }
}

/// What was unpacked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UnpackStats {
    pub entries: u64,
    /// Bytes of file content written.
    pub bytes: u64,
    /// Names of the top-level entries.
    pub top_level: BTreeSet<String>,
}

/// Why unpacking stopped.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("refused archive entry `{entry}`: {reason}")]
    Unsafe { entry: String, reason: String },
    #[error("refused archive entry `{entry}`: it is {size} bytes, over the limit of {limit} bytes")]
    EntryTooLarge {
        entry: String,
        size: u64,
        limit: u64,
    },
    #[error("refused the archive: it unpacks to more than {limit} bytes")]
    TotalTooLarge { limit: u64 },
    #[error("refused the archive: it has more than {limit} entries")]
    TooManyEntries { limit: u64 },
    #[error("the archive is truncated: {detail}")]
    Truncated { detail: String },
    #[error("the archive is not a valid gzip-compressed tar file: {detail}")]
    Corrupt { detail: String },
    #[error("could not write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("reading the archive stopped: {0}")]
    Source(#[source] io::Error),
}

impl UnpackError {
    /// Classifies an error from the gzip decoder or the tar reader.
    fn from_read(err: io::Error) -> Self {
        let text = err.to_string();
        if err.kind() == io::ErrorKind::UnexpectedEof
            || text.contains("failed to read entire block")
            || text.contains("unexpected EOF")
            || text.contains("failed to read extension")
        {
            return Self::Truncated {
                detail: if err.kind() == io::ErrorKind::UnexpectedEof {
                    "the compressed stream ends early".to_string()
                } else {
                    text
                },
            };
        }
        if err.kind() == io::ErrorKind::Interrupted || err.kind() == io::ErrorKind::BrokenPipe {
            return Self::Source(err);
        }
        Self::Corrupt { detail: text }
    }

    fn unsafe_entry(entry: &Path, reason: impl Into<String>) -> Self {
        Self::Unsafe {
            entry: entry.display().to_string(),
            reason: reason.into(),
        }
    }
}

/// Turns an archive path into a relative path with only normal components.
/// `Ok(None)` means the entry names the root itself (`./`) and is skipped.
fn relative_path(raw: &Path) -> Result<Option<PathBuf>, String> {
    let mut out = PathBuf::new();
    for component in raw.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("its path contains `..`".to_string()),
            Component::RootDir | Component::Prefix(_) => {
                return Err("it has an absolute path".to_string());
            }
        }
    }
    Ok((!out.as_os_str().is_empty()).then_some(out))
}

/// Resolves a relative symlink target against the link's own directory, without touching the disk.
/// `None` when it climbs above the root.
fn resolve_lexically(link: &Path, target: &Path) -> Option<PathBuf> {
    let mut out: Vec<&std::ffi::OsStr> = link
        .parent()
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    for component in target.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

/// Maps a tar mode to the permissions written: executable bits kept, owner can always read and
/// write, no set-uid/set-gid/sticky bits, no group/other write.
pub fn file_mode(mode: u32) -> u32 {
    (mode & 0o755) | 0o600
}

fn dir_mode(mode: u32) -> u32 {
    (mode & 0o755) | 0o700
}

struct Unpacker<'a> {
    root: &'a Path,
    limits: Limits,
    stats: UnpackStats,
    /// Regular files written (relative paths): the only valid hard-link targets.
    files: HashSet<PathBuf>,
    /// Symlinks created (relative paths): never written through, re-checked at the end.
    symlinks: HashSet<PathBuf>,
    buf: Vec<u8>,
}

impl<'a> Unpacker<'a> {
    fn write_err(&self, rel: &Path, source: io::Error) -> UnpackError {
        UnpackError::Write {
            path: self.root.join(rel),
            source,
        }
    }

    /// Refuses entries whose parent directories include a symlink from this archive, then creates
    /// the parent directories.
    fn prepare_parent(&self, rel: &Path) -> Result<(), UnpackError> {
        let mut prefix = PathBuf::new();
        let parents: Vec<_> = rel.parent().map(|p| p.iter().collect()).unwrap_or_default();
        for part in parents {
            prefix.push(part);
            if self.symlinks.contains(&prefix) {
                return Err(UnpackError::unsafe_entry(
                    rel,
                    format!(
                        "it would be written through the symlink `{}`",
                        prefix.display()
                    ),
                ));
            }
        }
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(self.root.join(parent)).map_err(|e| self.write_err(parent, e))?;
        }
        Ok(())
    }

    /// Makes room for a new entry at `rel`: an earlier regular file is replaced (as tar does);
    /// anything else in the way is refused.
    fn clear_slot(&mut self, rel: &Path) -> Result<(), UnpackError> {
        if self.symlinks.contains(rel) {
            return Err(UnpackError::unsafe_entry(
                rel,
                "it would replace a symlink from the same archive",
            ));
        }
        let full = self.root.join(rel);
        match fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => Err(UnpackError::unsafe_entry(
                rel,
                "it would replace a directory from the same archive",
            )),
            Ok(_) => {
                self.files.remove(rel);
                fs::remove_file(&full).map_err(|e| self.write_err(rel, e))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.write_err(rel, e)),
        }
    }

    fn write_file<R: Read>(
        &mut self,
        rel: &Path,
        entry: &mut tar::Entry<'_, R>,
        mode: u32,
        mtime: Option<u64>,
    ) -> Result<(), UnpackError> {
        let size = entry.size();
        if size > self.limits.max_entry_bytes {
            return Err(UnpackError::EntryTooLarge {
                entry: rel.display().to_string(),
                size,
                limit: self.limits.max_entry_bytes,
            });
        }
        if self.stats.bytes.saturating_add(size) > self.limits.max_total_bytes {
            return Err(UnpackError::TotalTooLarge {
                limit: self.limits.max_total_bytes,
            });
        }
        self.prepare_parent(rel)?;
        self.clear_slot(rel)?;
        let full = self.root.join(rel);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(file_mode(mode))
            .open(&full)
            .map_err(|e| self.write_err(rel, e))?;
        let mut written = 0u64;
        loop {
            let n = entry.read(&mut self.buf).map_err(UnpackError::from_read)?;
            if n == 0 {
                break;
            }
            file.write_all(&self.buf[..n])
                .map_err(|e| self.write_err(rel, e))?;
            written += n as u64;
        }
        if written != size {
            return Err(UnpackError::Truncated {
                detail: format!(
                    "`{}` should have {size} bytes but the archive ends after {written}",
                    rel.display()
                ),
            });
        }
        if let Some(secs) = mtime {
            // Best effort, like tar: a timestamp that cannot be set is not worth failing for.
            let _ = file.set_modified(UNIX_EPOCH + Duration::from_secs(secs));
        }
        self.stats.bytes += size;
        self.files.insert(rel.to_path_buf());
        Ok(())
    }

    fn make_dir(&mut self, rel: &Path, mode: u32) -> Result<(), UnpackError> {
        self.prepare_parent(rel)?;
        if self.symlinks.contains(rel) {
            return Err(UnpackError::unsafe_entry(
                rel,
                "it would replace a symlink from the same archive",
            ));
        }
        let full = self.root.join(rel);
        match fs::create_dir(&full) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && full.is_dir() => {}
            Err(e) => return Err(self.write_err(rel, e)),
        }
        fs::set_permissions(&full, fs::Permissions::from_mode(dir_mode(mode)))
            .map_err(|e| self.write_err(rel, e))
    }

    fn make_symlink(&mut self, rel: &Path, target: &Path) -> Result<(), UnpackError> {
        if target.as_os_str().is_empty() {
            return Err(UnpackError::unsafe_entry(
                rel,
                "it is a symlink with no target",
            ));
        }
        if target.is_absolute() {
            return Err(UnpackError::unsafe_entry(
                rel,
                format!(
                    "it is a symlink to the absolute path `{}`",
                    target.display()
                ),
            ));
        }
        if resolve_lexically(rel, target).is_none() {
            return Err(UnpackError::unsafe_entry(
                rel,
                format!(
                    "it is a symlink pointing outside the archive (`{}`)",
                    target.display()
                ),
            ));
        }
        self.prepare_parent(rel)?;
        self.clear_slot(rel)?;
        std::os::unix::fs::symlink(target, self.root.join(rel))
            .map_err(|e| self.write_err(rel, e))?;
        self.symlinks.insert(rel.to_path_buf());
        Ok(())
    }

    fn make_hard_link(&mut self, rel: &Path, target: &Path) -> Result<(), UnpackError> {
        let outside = || {
            UnpackError::unsafe_entry(
                rel,
                format!(
                    "it is a hard link to `{}`, which is not a file earlier in the archive",
                    target.display()
                ),
            )
        };
        let target_rel = match relative_path(target) {
            Ok(Some(path)) => path,
            Ok(None) | Err(_) => return Err(outside()),
        };
        if !self.files.contains(&target_rel) {
            return Err(outside());
        }
        self.prepare_parent(rel)?;
        self.clear_slot(rel)?;
        fs::hard_link(self.root.join(&target_rel), self.root.join(rel))
            .map_err(|e| self.write_err(rel, e))?;
        self.files.insert(rel.to_path_buf());
        Ok(())
    }

    fn entry<R: Read>(&mut self, mut entry: tar::Entry<'_, R>) -> Result<(), UnpackError> {
        let raw = entry.path().map_err(UnpackError::from_read)?.into_owned();
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader | EntryType::XHeader) {
            return Ok(());
        }
        self.stats.entries += 1;
        if self.stats.entries > self.limits.max_entries {
            return Err(UnpackError::TooManyEntries {
                limit: self.limits.max_entries,
            });
        }
        let rel = match relative_path(&raw) {
            Ok(Some(rel)) => rel,
            Ok(None) => return Ok(()),
            Err(reason) => return Err(UnpackError::unsafe_entry(&raw, reason)),
        };
        if let Some(Component::Normal(top)) = rel.components().next() {
            self.stats
                .top_level
                .insert(top.to_string_lossy().into_owned());
        }
        let mode = entry.header().mode().unwrap_or(0o644);
        let mtime = entry.header().mtime().ok();
        match kind {
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => {
                self.write_file(&rel, &mut entry, mode, mtime)
            }
            EntryType::Directory => self.make_dir(&rel, mode),
            EntryType::Symlink | EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(UnpackError::from_read)?
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                if kind == EntryType::Symlink {
                    self.make_symlink(&rel, &target)
                } else {
                    self.make_hard_link(&rel, &target)
                }
            }
            EntryType::Char | EntryType::Block => {
                Err(UnpackError::unsafe_entry(&rel, "it is a device file"))
            }
            EntryType::Fifo => Err(UnpackError::unsafe_entry(&rel, "it is a FIFO (named pipe)")),
            other => Err(UnpackError::unsafe_entry(
                &rel,
                format!(
                    "it has an unsupported entry type ({:?})",
                    other.as_byte() as char
                ),
            )),
        }
    }

    /// Resolves every symlink on disk: a link that exists must lead inside the root.
    fn recheck_symlinks(&self) -> Result<(), UnpackError> {
        let root = fs::canonicalize(self.root).map_err(|e| self.write_err(Path::new(""), e))?;
        let mut links: Vec<&PathBuf> = self.symlinks.iter().collect();
        links.sort();
        for rel in links {
            match fs::canonicalize(self.root.join(rel)) {
                Ok(real) if !real.starts_with(&root) => {
                    return Err(UnpackError::unsafe_entry(
                        rel,
                        "it is a symlink that leads outside the archive through other symlinks",
                    ));
                }
                // Inside, or dangling (then the target was checked to stay inside on paper).
                _ => {}
            }
        }
        Ok(())
    }
}

/// Unpacks the gzip-compressed tar read from `source` into `root` (an existing, empty directory).
/// Reads `source` to its end, so the gzip trailer (CRC and length) is checked too.
pub fn unpack<R: Read>(source: R, root: &Path, limits: Limits) -> Result<UnpackStats, UnpackError> {
    let mut unpacker = Unpacker {
        root,
        limits,
        stats: UnpackStats::default(),
        files: HashSet::new(),
        symlinks: HashSet::new(),
        buf: vec![0; 256 * 1024],
    };
    let mut archive = tar::Archive::new(GzDecoder::new(source));
    for entry in archive.entries().map_err(UnpackError::from_read)? {
        let entry = entry.map_err(UnpackError::from_read)?;
        unpacker.entry(entry)?;
    }
    // Drain what follows the tar end marker so the gzip trailer is verified.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(UnpackError::from_read)?;
    unpacker.recheck_symlinks()?;
    Ok(unpacker.stats)
}

/// Whether the file at `path` exists and is a regular file with an executable bit.
pub fn is_executable_file(path: &Path) -> bool {
    File::open(path)
        .and_then(|f| f.metadata())
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Archive builder shared with the integration tests (raw headers, so hostile entries can be made).
#[cfg(test)]
#[path = "../../../tests/support/tarball.rs"]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{Item, tar_gz};
    use super::*;

    fn unpack_items(items: &[Item<'_>]) -> (tempfile::TempDir, Result<UnpackStats, UnpackError>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        fs::create_dir(&root).unwrap();
        let result = unpack(&tar_gz(items)[..], &root, Limits::default());
        (dir, result)
    }

    fn refused(items: &[Item<'_>], needle: &str) {
        let (dir, result) = unpack_items(items);
        let err = result.expect_err("archive should be refused");
        assert!(err.to_string().contains(needle), "{err}");
        // Nothing was written beside the root.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["root"]);
    }

    #[test]
    fn unpacks_files_dirs_links_and_keeps_exec_bits() {
        let (dir, result) = unpack_items(&[
            Item::Dir("istio-1.23.6/"),
            Item::Dir("istio-1.23.6/bin/"),
            Item::File("istio-1.23.6/bin/istioctl", b"#!/bin/sh\necho hi\n", 0o4755),
            Item::File("istio-1.23.6/manifest.yaml", b"a: 1\n", 0o664),
            Item::File("istio-1.23.6/samples/x/y.yaml", b"b: 2\n", 0o644),
            Item::Symlink("istio-1.23.6/tools/ctl", "../bin/istioctl"),
            Item::HardLink("istio-1.23.6/bin/istioctl2", "istio-1.23.6/bin/istioctl"),
            Item::Symlink("istio-1.23.6/dangling", "nowhere/at/all"),
        ]);
        let stats = result.unwrap();
        let root = dir.path().join("root/istio-1.23.6");
        assert_eq!(
            stats.top_level,
            BTreeSet::from(["istio-1.23.6".to_string()])
        );
        assert_eq!(stats.entries, 8);
        let mode = |p: &str| fs::metadata(root.join(p)).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode("bin/istioctl"), 0o755);
        assert_eq!(mode("manifest.yaml"), 0o644);
        assert!(is_executable_file(&root.join("bin/istioctl")));
        assert!(!is_executable_file(&root.join("manifest.yaml")));
        assert_eq!(
            fs::read(root.join("tools/ctl")).unwrap(),
            b"#!/bin/sh\necho hi\n"
        );
        assert_eq!(
            fs::read(root.join("bin/istioctl2")).unwrap(),
            b"#!/bin/sh\necho hi\n"
        );
        assert_eq!(fs::read(root.join("samples/x/y.yaml")).unwrap(), b"b: 2\n");
    }

    #[test]
    fn refuses_path_traversal_and_absolute_paths() {
        refused(&[Item::File("../evil", b"x", 0o644)], "`..`");
        refused(&[Item::File("a/../../evil", b"x", 0o644)], "`..`");
        refused(&[Item::File("/tmp/evil", b"x", 0o644)], "absolute path");
    }

    #[test]
    fn refuses_symlinks_that_escape() {
        refused(&[Item::Symlink("a/l", "../../x")], "pointing outside");
        refused(
            &[Item::Symlink("l", "/etc/passwd")],
            "absolute path `/etc/passwd`",
        );
        // Writing through a symlink, even one that points inside.
        refused(
            &[
                Item::Dir("d/"),
                Item::Symlink("l", "d"),
                Item::File("l/f", b"x", 0o644),
            ],
            "through the symlink `l`",
        );
        // A chain that only escapes once both links exist.
        refused(
            &[Item::Symlink("x", "t/.."), Item::Symlink("t", ".")],
            "through other symlinks",
        );
        // Replacing a symlink with a file.
        refused(
            &[Item::Symlink("l", "a"), Item::File("l", b"x", 0o644)],
            "replace a symlink",
        );
    }

    #[test]
    fn refuses_hard_links_outside_and_special_files() {
        refused(
            &[Item::HardLink("h", "/etc/passwd")],
            "hard link to `/etc/passwd`",
        );
        refused(&[Item::HardLink("h", "../x")], "hard link to `../x`");
        refused(&[Item::HardLink("h", "not-yet")], "not a file earlier");
        refused(&[Item::Device("dev/null")], "device file");
        refused(&[Item::Fifo("pipe")], "FIFO");
    }

    #[test]
    fn refuses_absurd_sizes_before_writing() {
        refused(&[Item::Claims("big", 1 << 40)], "over the limit");
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            max_total_bytes: 10,
            ..Limits::default()
        };
        let data = tar_gz(&[
            Item::File("a", b"123456", 0o644),
            Item::File("b", b"123456", 0o644),
        ]);
        let err = unpack(&data[..], dir.path(), limits).unwrap_err();
        assert!(err.to_string().contains("more than 10 bytes"), "{err}");
        let limits = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        let err = unpack(&data[..], tempfile::tempdir().unwrap().path(), limits).unwrap_err();
        assert!(err.to_string().contains("more than 1 entries"), "{err}");
    }

    #[test]
    fn reports_truncation_and_garbage() {
        let data = tar_gz(&[Item::File("a/file", &[7u8; 100_000], 0o644)]);
        for cut in [data.len() / 2, data.len() - 4, 12] {
            let dir = tempfile::tempdir().unwrap();
            let err = unpack(&data[..cut], dir.path(), Limits::default()).unwrap_err();
            assert!(err.to_string().contains("truncated"), "cut {cut}: {err}");
        }
        let dir = tempfile::tempdir().unwrap();
        let err = unpack(
            &b"this is not gzip at all"[..],
            dir.path(),
            Limits::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("not a valid gzip-compressed tar"),
            "{err}"
        );
        let err = unpack(
            &super::testing::gzip(&[1u8; 2048])[..],
            dir.path(),
            Limits::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a valid"), "{err}");
    }

    #[test]
    fn later_file_replaces_earlier_file() {
        let (dir, result) = unpack_items(&[
            Item::File("f", b"old", 0o644),
            Item::File("f", b"new", 0o755),
        ]);
        result.unwrap();
        assert_eq!(fs::read(dir.path().join("root/f")).unwrap(), b"new");
    }
}
