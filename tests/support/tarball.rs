//! Builds tar.gz archives for tests, including entries the `tar` builder would refuse.
#![allow(dead_code)]

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

#[derive(Clone, Copy, Debug)]
pub enum Item<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    HardLink(&'a str, &'a str),
    Device(&'a str),
    Fifo(&'a str),
    /// A file header that claims `size` bytes, followed by no data.
    Claims(&'a str, u64),
}

fn raw_header(path: &str, kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    let name = &mut header.as_old_mut().name;
    name.fill(0);
    name[..path.len()].copy_from_slice(path.as_bytes());
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(1_700_000_000);
    header
}

fn set_link(header: &mut tar::Header, target: &str) {
    let link = &mut header.as_old_mut().linkname;
    link.fill(0);
    link[..target.len()].copy_from_slice(target.as_bytes());
}

/// An uncompressed tar with the given items (raw headers: no path checks).
pub fn tar(items: &[Item<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        let (mut header, data): (tar::Header, &[u8]) = match item {
            Item::File(p, d, m) => (
                raw_header(p, tar::EntryType::Regular, d.len() as u64, *m),
                d,
            ),
            Item::Dir(p) => (raw_header(p, tar::EntryType::Directory, 0, 0o755), &[]),
            Item::Symlink(p, t) => {
                let mut h = raw_header(p, tar::EntryType::Symlink, 0, 0o777);
                set_link(&mut h, t);
                (h, &[])
            }
            Item::HardLink(p, t) => {
                let mut h = raw_header(p, tar::EntryType::Link, 0, 0o644);
                set_link(&mut h, t);
                (h, &[])
            }
            Item::Device(p) => (raw_header(p, tar::EntryType::Char, 0, 0o644), &[]),
            Item::Fifo(p) => (raw_header(p, tar::EntryType::Fifo, 0, 0o644), &[]),
            Item::Claims(p, size) => (raw_header(p, tar::EntryType::Regular, *size, 0o644), &[]),
        };
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

pub fn tar_gz(items: &[Item<'_>]) -> Vec<u8> {
    gzip(&tar(items))
}
