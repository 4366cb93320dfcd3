//! Google Application Default Credentials, in the documented order:
//! 1. `GOOGLE_APPLICATION_CREDENTIALS` names a JSON file: a service-account key (a signed RS256 JWT is
//!    exchanged at the file's `token_uri`) or an `authorized_user` (its refresh token is exchanged);
//! 2. the gcloud ADC file, `$CLOUDSDK_CONFIG/application_default_credentials.json` or
//!    `~/.config/gcloud/application_default_credentials.json`;
//! 3. the GCE metadata server (`GCE_METADATA_HOST` honoured, else `metadata.google.internal`).
//!
//! Access tokens live in memory only: [`AccessToken`] has no Display and a redacted Debug.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::env::Env;
use crate::error::UserError;

/// The scope rigger asks for: the Compute API accepts cloud-platform.
pub const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const DEFAULT_METADATA_HOST: &str = "metadata.google.internal";

/// An OAuth access token. Never printed: no Display, and Debug shows `AccessToken(***)`.
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    /// The `Authorization` header value.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

/// Where the credentials came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A service-account key file.
    ServiceAccount { email: String, file: PathBuf },
    /// An `authorized_user` file (from `gcloud auth application-default login`).
    AuthorizedUser { file: PathBuf },
    /// The GCE metadata server at this host.
    Metadata { host: String },
}

#[derive(Debug, Clone)]
enum Kind {
    ServiceAccount {
        key: ServiceAccountKey,
    },
    AuthorizedUser {
        client_id: String,
        client_secret: String,
        refresh_token: String,
        token_uri: String,
    },
    Metadata {
        host: String,
    },
}

#[derive(Clone, Deserialize)]
struct ServiceAccountKey {
    client_email: String,
    private_key: String,
    #[serde(default)]
    private_key_id: Option<String>,
    #[serde(default)]
    token_uri: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .finish_non_exhaustive()
    }
}

/// Credentials found by [`Credentials::discover`], with a cached token.
#[derive(Debug)]
pub struct Credentials {
    source: Source,
    kind: Kind,
    /// The project the credentials name (service-account `project_id`, `quota_project_id`).
    file_project: Option<String>,
    http: reqwest::Client,
    cached: Mutex<Option<(AccessToken, Instant)>>,
}

impl Credentials {
    /// Finds credentials in ADC order. Reads files, and for the metadata server checks that it answers.
    pub async fn discover(env: &Env, http: &reqwest::Client) -> anyhow::Result<Credentials> {
        if let Some(path) = env.var("GOOGLE_APPLICATION_CREDENTIALS") {
            let path = PathBuf::from(path);
            return Credentials::from_file(&path, http).with_context(|| {
                format!(
                    "loading the credentials named by GOOGLE_APPLICATION_CREDENTIALS ({})",
                    path.display()
                )
            });
        }
        if let Some(dir) = env.gcloud_config_dir() {
            let path = dir.join("application_default_credentials.json");
            if path.is_file() {
                return Credentials::from_file(&path, http).with_context(|| {
                    format!(
                        "loading the gcloud application default credentials ({})",
                        path.display()
                    )
                });
            }
        }
        let explicit = env.var("GCE_METADATA_HOST");
        let host = explicit.unwrap_or(DEFAULT_METADATA_HOST).to_string();
        // Off GCE the default host does not resolve or answer: give up quickly then.
        let probe_timeout = if explicit.is_some() {
            Duration::from_secs(5)
        } else {
            Duration::from_secs(2)
        };
        match probe_metadata(http, &host, probe_timeout).await {
            Ok(()) => Ok(Credentials {
                source: Source::Metadata { host: host.clone() },
                kind: Kind::Metadata { host },
                file_project: None,
                http: http.clone(),
                cached: Mutex::new(None),
            }),
            Err(why) => Err(UserError::failure(format!(
                "no Google Cloud credentials found (no GOOGLE_APPLICATION_CREDENTIALS, no gcloud application default credentials, and the metadata server at {host} {why})"
            ))
            .with_hint(
                "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run on a GCE VM / GKE node",
            )
            .into()),
        }
    }

    /// Reads a credentials JSON file (service_account or authorized_user).
    pub fn from_file(path: &Path, http: &reqwest::Client) -> anyhow::Result<Credentials> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| UserError::input(format!("{} is not valid JSON: {e}", path.display())))?;
        let kind_name = value["type"].as_str().unwrap_or_default();
        let (source, kind, file_project) = match kind_name {
            "service_account" => {
                let key: ServiceAccountKey =
                    serde_json::from_value(value.clone()).map_err(|e| {
                        UserError::input(format!(
                            "{} is not a complete service-account key: {e}",
                            path.display()
                        ))
                    })?;
                // Fail now, not at the first call, when the key cannot be used.
                signing_key(&key.private_key)?;
                let project = key.project_id.clone();
                (
                    Source::ServiceAccount {
                        email: key.client_email.clone(),
                        file: path.to_path_buf(),
                    },
                    Kind::ServiceAccount { key },
                    project,
                )
            }
            "authorized_user" => {
                let field = |name: &str| -> anyhow::Result<String> {
                    value[name].as_str().map(str::to_string).ok_or_else(|| {
                        UserError::input(format!("{} has no {name:?}", path.display())).into()
                    })
                };
                (
                    Source::AuthorizedUser {
                        file: path.to_path_buf(),
                    },
                    Kind::AuthorizedUser {
                        client_id: field("client_id")?,
                        client_secret: field("client_secret")?,
                        refresh_token: field("refresh_token")?,
                        token_uri: value["token_uri"]
                            .as_str()
                            .unwrap_or(DEFAULT_TOKEN_URI)
                            .to_string(),
                    },
                    value["quota_project_id"].as_str().map(str::to_string),
                )
            }
            "" => {
                return Err(UserError::input(format!(
                    "{} has no \"type\" field: it is not a Google credentials file",
                    path.display()
                ))
                .into());
            }
            other => {
                return Err(UserError::input(format!(
                    "credentials of type {other:?} ({}) are not supported; rigger supports service_account and authorized_user files and the metadata server",
                    path.display()
                ))
                .with_hint("create a service-account key (`gcloud iam service-accounts keys create`) or run `gcloud auth application-default login`")
                .into());
            }
        };
        Ok(Credentials {
            source,
            kind,
            file_project,
            http: http.clone(),
            cached: Mutex::new(None),
        })
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Who is calling, in words ("service account x@p.iam.gserviceaccount.com (from FILE)").
    pub fn describe(&self) -> String {
        match &self.source {
            Source::ServiceAccount { email, file } => {
                format!("service account {email} (key file {})", file.display())
            }
            Source::AuthorizedUser { file } => {
                format!("the user credentials in {}", file.display())
            }
            Source::Metadata { host } => {
                format!("the VM's default service account (metadata server {host})")
            }
        }
    }

    /// The project the credentials belong to: the key file's project, or the metadata server's.
    pub async fn project(&self) -> Option<String> {
        if let Some(p) = &self.file_project {
            return Some(p.clone());
        }
        let Kind::Metadata { host } = &self.kind else {
            return None;
        };
        let response = self
            .http
            .get(format!(
                "http://{host}/computeMetadata/v1/project/project-id"
            ))
            .header("Metadata-Flavor", "Google")
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        let text = response.text().await.ok()?;
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// A valid access token, fetched once and reused until a minute before it expires.
    pub async fn access_token(&self) -> anyhow::Result<AccessToken> {
        let mut cached = self.cached.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let (token, lifetime) = self.fetch().await?;
        let until = Instant::now() + lifetime.saturating_sub(Duration::from_secs(60));
        *cached = Some((token.clone(), until));
        Ok(token)
    }

    async fn fetch(&self) -> anyhow::Result<(AccessToken, Duration)> {
        match &self.kind {
            Kind::ServiceAccount { key } => {
                let token_uri = key
                    .token_uri
                    .clone()
                    .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string());
                let assertion = sign_jwt(key, &token_uri, SystemTime::now())?;
                let form = [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    ("assertion", assertion.as_str()),
                ];
                let request = self.http.post(&token_uri).form(&form);
                exchange(
                    request,
                    &token_uri,
                    "the service-account key",
                    &self.describe(),
                )
                .await
            }
            Kind::AuthorizedUser {
                client_id,
                client_secret,
                refresh_token,
                token_uri,
            } => {
                let form = [
                    ("grant_type", "refresh_token"),
                    ("client_id", client_id.as_str()),
                    ("client_secret", client_secret.as_str()),
                    ("refresh_token", refresh_token.as_str()),
                ];
                let request = self.http.post(token_uri).form(&form);
                exchange(request, token_uri, "the refresh token", &self.describe()).await
            }
            Kind::Metadata { host } => {
                let url = format!(
                    "http://{host}/computeMetadata/v1/instance/service-accounts/default/token"
                );
                let request = self
                    .http
                    .get(&url)
                    .query(&[("scopes", SCOPE)])
                    .header("Metadata-Flavor", "Google");
                exchange(request, &url, "the metadata server", &self.describe()).await
            }
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Sends a token request and reads `{access_token, expires_in}`; errors name the endpoint and the
/// OAuth error, never a secret.
async fn exchange(
    request: reqwest::RequestBuilder,
    endpoint: &str,
    what: &str,
    who: &str,
) -> anyhow::Result<(AccessToken, Duration)> {
    let response = request
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| {
            UserError::failure(format!(
                "could not reach the token endpoint {endpoint} to exchange {what} for an access token: {}",
                super::compute::transport_reason(&e)
            ))
        })?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_success() {
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let error = parsed["error"].as_str().unwrap_or("");
        let description = parsed["error_description"].as_str().unwrap_or("");
        let detail = match (error, description) {
            ("", "") => format!("HTTP {}", status.as_u16()),
            (e, "") => e.to_string(),
            ("", d) => d.to_string(),
            (e, d) => format!("{e}: {d}"),
        };
        let hint = match (what, error) {
            ("the refresh token", "invalid_grant") => {
                "the login has expired or was revoked: run `gcloud auth application-default login` again"
            }
            ("the service-account key", "invalid_grant") => {
                "the key may have been deleted or disabled, or the clock is off; create a new key with `gcloud iam service-accounts keys create`"
            }
            _ => "check the credentials, or point GOOGLE_APPLICATION_CREDENTIALS at other ones",
        };
        return Err(UserError::failure(format!(
            "the token endpoint {endpoint} refused {what} of {who}: {detail}"
        ))
        .with_hint(hint)
        .into());
    }
    let token: TokenResponse = serde_json::from_str(&body).map_err(|_| {
        UserError::failure(format!(
            "the token endpoint {endpoint} sent an answer without an access token"
        ))
    })?;
    Ok((
        AccessToken(token.access_token),
        Duration::from_secs(token.expires_in.unwrap_or(3600)),
    ))
}

async fn probe_metadata(
    http: &reqwest::Client,
    host: &str,
    timeout: Duration,
) -> Result<(), String> {
    let response = http
        .get(format!(
            "http://{host}/computeMetadata/v1/instance/service-accounts/default/email"
        ))
        .header("Metadata-Flavor", "Google")
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| format!("did not answer ({})", super::compute::transport_reason(&e)))?;
    let flavor = response
        .headers()
        .get("metadata-flavor")
        .and_then(|v| v.to_str().ok())
        == Some("Google");
    if response.status().is_success() && flavor {
        Ok(())
    } else if !flavor {
        Err("answered, but not as a GCE metadata server".to_string())
    } else {
        Err(format!(
            "has no default service account (HTTP {})",
            response.status().as_u16()
        ))
    }
}

fn signing_key(pem: &str) -> anyhow::Result<ring::signature::RsaKeyPair> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    let der = STANDARD
        .decode(body)
        .map_err(|_| UserError::input("the service-account private_key is not valid PEM"))?;
    ring::signature::RsaKeyPair::from_pkcs8(&der).map_err(|e| {
        UserError::input(format!(
            "the service-account private_key is not a PKCS#8 RSA key ({e})"
        ))
        .into()
    })
}

/// The RS256-signed JWT a service account exchanges for an access token (RFC 7523).
fn sign_jwt(key: &ServiceAccountKey, audience: &str, now: SystemTime) -> anyhow::Result<String> {
    let iat = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    if let Some(kid) = &key.private_key_id {
        header["kid"] = serde_json::json!(kid);
    }
    let claims = serde_json::json!({
        "iss": key.client_email,
        "scope": SCOPE,
        "aud": audience,
        "iat": iat,
        "exp": iat + 3600,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let pair = signing_key(&key.private_key)?;
    let mut signature = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| anyhow::anyhow!("signing the service-account JWT failed"))?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ServiceAccountKey {
        ServiceAccountKey {
            client_email: "sa@p.iam.gserviceaccount.com".into(),
            private_key: kubesim::gcp::TEST_SERVICE_ACCOUNT_KEY_PEM.into(),
            private_key_id: Some("kid1".into()),
            token_uri: None,
            project_id: Some("p".into()),
        }
    }

    #[test]
    fn jwt_has_the_claims_google_expects_and_verifies() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let jwt = sign_jwt(&key(), "https://oauth2.googleapis.com/token", now).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(
            header,
            serde_json::json!({"alg":"RS256","typ":"JWT","kid":"kid1"})
        );
        assert_eq!(claims["iss"], "sa@p.iam.gserviceaccount.com");
        assert_eq!(claims["aud"], "https://oauth2.googleapis.com/token");
        assert_eq!(claims["scope"], SCOPE);
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            3600
        );
        use ring::signature::KeyPair as _;
        let pair = signing_key(&key().private_key).unwrap();
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            pair.public_key().as_ref().to_vec(),
        );
        let signed = &jwt[..jwt.rfind('.').unwrap()];
        public
            .verify(
                signed.as_bytes(),
                &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
            )
            .unwrap();
    }

    #[test]
    fn tokens_do_not_leak_through_debug() {
        let t = AccessToken("ya29.secret".into());
        assert_eq!(format!("{t:?}"), "AccessToken(***)");
        assert!(!format!("{:?}", key()).contains("PRIVATE KEY"));
    }

    #[test]
    fn a_broken_key_is_an_input_error() {
        let e = signing_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
            .unwrap_err();
        assert_eq!(crate::error::render(&e).exit, crate::error::Exit::Usage);
    }
}
