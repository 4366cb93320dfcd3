//! The Istio domain: pure logic, unit-tested without a cluster. Never prints.

pub mod direct;
pub mod gateway;
pub mod ingress;
pub mod inject;
pub mod iop;
pub mod operator;
pub mod release;
pub mod render;
pub mod sidecar;

/// The tag of an image reference (`docker.io/istio/proxyv2:1.23.6` → `1.23.6`), ignoring registry
/// ports and digests.
pub fn image_tag(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next()?;
    let last_segment = without_digest.rsplit('/').next()?;
    last_segment.split_once(':').map(|(_, tag)| tag)
}

#[cfg(test)]
mod tests {
    #[test]
    fn image_tags() {
        use super::image_tag;
        assert_eq!(image_tag("docker.io/istio/pilot:1.23.6"), Some("1.23.6"));
        assert_eq!(
            image_tag("localhost:5000/istio/pilot:1.30.3-distroless"),
            Some("1.30.3-distroless")
        );
        assert_eq!(image_tag("localhost:5000/istio/pilot"), None);
        assert_eq!(image_tag("gcr.io/x/pilot:1.2@sha256:abc"), Some("1.2"));
    }
}
