//! Google Cloud: Application Default Credentials, project lookup, and a Compute Engine client for
//! firewall rules. No gcloud at run time.

pub mod compute;
pub mod credentials;
pub mod env;
pub mod firewall;
pub mod project;

use std::time::Duration;

/// The HTTP client for Google APIs: rustls with ring, sensible timeouts.
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    // Harmless when main.rs already installed it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("rigger/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| anyhow::anyhow!("building the HTTP client: {e}"))
}
