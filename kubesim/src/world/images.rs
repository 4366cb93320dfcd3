//! Image conventions of the simulated kubelet.
//!
//! - **Unpullable**: an image whose name or tag contains `unpullable` or `doesnotexist`, or whose
//!   registry is `invalid.example` (or any host ending in `.invalid`). Such a container stays
//!   Waiting with `ErrImagePull`, then `ImagePullBackOff`.
//! - **Crash**: an image whose tag or name contains `crashloop`, or a container with env
//!   `KUBESIM_CRASH=1` (or `true`). Such a container runs briefly, exits with code 1 and, with
//!   restartPolicy Always/OnFailure, goes into `CrashLoopBackOff` with a growing restartCount.

use serde_json::Value;

/// Splits `registry/repo:tag@digest` loosely into (registry or "", name, tag or "").
fn parts(image: &str) -> (&str, &str, &str) {
    let image = image.split('@').next().unwrap_or_default();
    let (registry, rest) = match image.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first, rest)
        }
        _ => ("", image),
    };
    let last = rest.rsplit('/').next().unwrap_or(rest);
    let (name_len, tag) = match last.rsplit_once(':') {
        Some((_, tag)) => (rest.len() - tag.len() - 1, tag),
        None => (rest.len(), ""),
    };
    (registry, &rest[..name_len], tag)
}

/// True when the image can never be pulled (see the module docs).
pub fn unpullable(image: &str) -> bool {
    let (registry, name, tag) = parts(image);
    let registry_host = registry
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let marked = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("unpullable") || s.contains("doesnotexist")
    };
    image.trim().is_empty()
        || registry_host == "invalid.example"
        || registry_host.ends_with(".invalid")
        || marked(name)
        || marked(tag)
}

/// True when the container crashes after starting (see the module docs).
pub fn crashes(container: &Value) -> bool {
    let image = container["image"].as_str().unwrap_or_default();
    let (_, name, tag) = parts(image);
    let env_crash = container["env"].as_array().is_some_and(|env| {
        env.iter().any(|e| {
            e["name"] == "KUBESIM_CRASH" && matches!(e["value"].as_str(), Some("1" | "true"))
        })
    });
    env_crash || name.contains("crashloop") || tag.contains("crashloop")
}

/// A stable fake digest for an image (for `imageID`).
pub fn image_id(image: &str) -> String {
    let repo = image.split('@').next().unwrap_or_default();
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    let repo = if repo.contains('/') {
        repo.to_string()
    } else {
        format!("docker.io/library/{repo}")
    };
    format!("{repo}@sha256:{}", hex64(image))
}

/// 64 hex characters derived from `seed`.
pub fn hex64(seed: &str) -> String {
    (0..8u32)
        .map(|i| {
            format!(
                "{:08x}",
                super::meta::fnv32a(format!("{i}:{seed}").as_bytes())
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unpullable_convention() {
        for bad in [
            "nginx:unpullable",
            "example.com/doesnotexist:1.0",
            "invalid.example/app:1",
            "registry.invalid:5000/x/y:2",
            "docker.io/unpullable-app",
            "",
        ] {
            assert!(unpullable(bad), "{bad}");
        }
        for good in [
            "nginx",
            "nginx:1.25",
            "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2",
            "localhost:5000/app:v1",
            "gcr.io/p/app@sha256:abc",
        ] {
            assert!(!unpullable(good), "{good}");
        }
    }

    #[test]
    fn crash_convention() {
        assert!(crashes(&json!({"image": "busybox:crashloop"})));
        assert!(crashes(&json!({"image": "example.com/crashloop-app:1"})));
        assert!(crashes(
            &json!({"image": "busybox", "env": [{"name": "KUBESIM_CRASH", "value": "1"}]})
        ));
        assert!(!crashes(
            &json!({"image": "busybox", "env": [{"name": "KUBESIM_CRASH", "value": "0"}]})
        ));
        assert!(!crashes(&json!({"image": "busybox:1.36"})));
    }

    #[test]
    fn image_ids_are_stable_digests() {
        assert!(image_id("nginx:1.25").starts_with("docker.io/library/nginx@sha256:"));
        assert!(image_id("localhost:5000/app").starts_with("localhost:5000/app@sha256:"));
        assert_eq!(image_id("x:1"), image_id("x:1"));
        assert_eq!(hex64("a").len(), 64);
    }
}
