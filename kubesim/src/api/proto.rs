//! Just enough protobuf to read the review kinds kubectl's typed clients POST as
//! `application/vnd.kubernetes.protobuf` (`kubectl auth can-i`, `kubectl auth whoami`).
//! Every other protobuf body is answered with 415.

use serde_json::{Map, Value, json};

use crate::error::ApiError;

const MAGIC: &[u8] = b"k8s\0";

fn bad() -> ApiError {
    ApiError::bad_request("the protobuf body could not be decoded")
}

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, ApiError> {
    let mut out = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).ok_or_else(bad)?;
        *pos += 1;
        out |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(out);
        }
    }
    Err(bad())
}

/// Length-delimited fields of a message by field number (other wire types are skipped).
fn fields(buf: &[u8]) -> Result<Vec<(u64, &[u8])>, ApiError> {
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        match key & 7 {
            0 => {
                varint(buf, &mut pos)?;
            }
            1 => pos += 8,
            5 => pos += 4,
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?).map_err(|_| bad())?;
                let end = pos
                    .checked_add(len)
                    .filter(|e| *e <= buf.len())
                    .ok_or_else(bad)?;
                out.push((key >> 3, &buf[pos..end]));
                pos = end;
            }
            _ => return Err(bad()),
        }
    }
    if pos > buf.len() {
        return Err(bad());
    }
    Ok(out)
}

fn strings(buf: &[u8], names: &[(u64, &str)]) -> Result<Value, ApiError> {
    let mut m = Map::new();
    for (n, bytes) in fields(buf)? {
        if let Some((_, name)) = names.iter().find(|(k, _)| *k == n) {
            let s = String::from_utf8_lossy(bytes).into_owned();
            if !s.is_empty() {
                m.insert(name.to_string(), json!(s));
            }
        }
    }
    Ok(Value::Object(m))
}

fn field(buf: &[u8], n: u64) -> Result<Option<&[u8]>, ApiError> {
    Ok(fields(buf)?
        .into_iter()
        .find(|(k, _)| *k == n)
        .map(|(_, b)| b))
}

/// Decodes a review object from a Kubernetes protobuf envelope into its JSON form.
pub(crate) fn decode_review(kind: &str, body: &[u8]) -> Result<Value, ApiError> {
    let unknown = body.strip_prefix(MAGIC).ok_or_else(bad)?;
    let raw = field(unknown, 2)?.unwrap_or_default();
    let spec_bytes = field(raw, 2)?.unwrap_or_default();
    let spec = match kind {
        "SelfSubjectAccessReview" => {
            let mut spec = Map::new();
            if let Some(ra) = field(spec_bytes, 1)? {
                let names = [
                    (1, "namespace"),
                    (2, "verb"),
                    (3, "group"),
                    (4, "version"),
                    (5, "resource"),
                    (6, "subresource"),
                    (7, "name"),
                ];
                spec.insert("resourceAttributes".into(), strings(ra, &names)?);
            }
            if let Some(nra) = field(spec_bytes, 2)? {
                spec.insert(
                    "nonResourceAttributes".into(),
                    strings(nra, &[(1, "path"), (2, "verb")])?,
                );
            }
            Value::Object(spec)
        }
        "SelfSubjectRulesReview" => strings(spec_bytes, &[(1, "namespace")])?,
        "SelfSubjectReview" => json!({}),
        _ => {
            return Err(ApiError::unsupported_media_type(format!(
                "protobuf bodies are not supported for {kind}"
            )));
        }
    };
    Ok(json!({"metadata": {}, "spec": spec}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_kubectl_can_i() {
        // Captured from `kubectl auth can-i create pods -n foo`.
        let hex = "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f763112175365\
6c665375626a6563744163636573735265766965771 23b0a100a0012001a0022002a0032003800420012\
1d0a1b0a03666f6f1206637265617465 1a0022002a04706f647332003a001a08080012001a0020001a002200";
        let clean: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes: Vec<u8> = (0..clean.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap())
            .collect();
        let v = decode_review("SelfSubjectAccessReview", &bytes).unwrap();
        assert_eq!(
            v["spec"]["resourceAttributes"],
            json!({"namespace": "foo", "verb": "create", "resource": "pods"})
        );
        assert!(decode_review("SelfSubjectAccessReview", b"nope").is_err());
        assert!(decode_review("SelfSubjectAccessReview", b"k8s\0\x12\xff").is_err());
    }
}
