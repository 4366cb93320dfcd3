//! SHA-256 checksum files as Istio publishes them (`<hex>  <archive name>`).

use sha2::{Digest, Sha256};

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Hex SHA-256 of a hasher's state.
pub fn finish(hasher: Sha256) -> String {
    hex(&hasher.finalize())
}

/// Hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    finish(Sha256::new_with_prefix(data))
}

/// Why a checksum file was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumFileError {
    #[error("it does not start with a 64-digit SHA-256 hex digest")]
    NoDigest,
    #[error("it is for `{found}`, not `{expected}`")]
    OtherFile { found: String, expected: String },
}

/// Extracts the digest for `archive` from a `.sha256` file: either a bare digest or
/// `sha256sum` output (`<hex>  <name>` or `<hex> *<name>`). Returns it in lowercase.
pub fn parse_checksum_file(text: &str, archive: &str) -> Result<String, ChecksumFileError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or(ChecksumFileError::NoDigest)?;
    let mut parts = line.split_whitespace();
    let digest = parts.next().ok_or(ChecksumFileError::NoDigest)?;
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ChecksumFileError::NoDigest);
    }
    if let Some(name) = parts.next() {
        let name = name.trim_start_matches('*');
        let base = name.rsplit('/').next().unwrap_or(name);
        if base != archive {
            return Err(ChecksumFileError::OtherFile {
                found: base.to_string(),
                expected: archive.to_string(),
            });
        }
    }
    Ok(digest.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(sha256_hex(b""), EMPTY);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn parses_checksum_files() {
        let name = "istio-1.23.6-linux-amd64.tar.gz";
        assert_eq!(
            parse_checksum_file(&format!("{EMPTY}  {name}\n"), name),
            Ok(EMPTY.to_string())
        );
        assert_eq!(
            parse_checksum_file(&format!("{}  *dist/{name}", EMPTY.to_uppercase()), name),
            Ok(EMPTY.to_string())
        );
        assert_eq!(
            parse_checksum_file(&format!("\n{EMPTY}\n"), name),
            Ok(EMPTY.to_string())
        );
        assert_eq!(
            parse_checksum_file("<html>Not Found</html>", name),
            Err(ChecksumFileError::NoDigest)
        );
        assert_eq!(
            parse_checksum_file("", name),
            Err(ChecksumFileError::NoDigest)
        );
        assert!(matches!(
            parse_checksum_file(&format!("{EMPTY}  istio-1.0.0-osx.tar.gz"), name),
            Err(ChecksumFileError::OtherFile { .. })
        ));
    }
}
