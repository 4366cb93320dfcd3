//! The OAuth 2.0 token endpoint and the GCE metadata server.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::errors::{self, ApiError};
use super::server::Reply;
use super::state::{GrantKind, State};

/// `POST /token` with a form body.
pub fn token(state: &mut State, form: &BTreeMap<String, String>) -> Result<Value, ApiError> {
    let grant_type = form
        .get("grant_type")
        .map(String::as_str)
        .unwrap_or_default();
    let (kind, subject, scope) = match grant_type {
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            let assertion = form.get("assertion").ok_or_else(|| {
                errors::oauth("invalid_request", "Missing required parameter: assertion")
            })?;
            let (email, scope) = check_jwt(state, assertion)?;
            (GrantKind::ServiceAccount, email, Some(scope))
        }
        "refresh_token" => {
            let refresh = form
                .get("refresh_token")
                .map(String::as_str)
                .unwrap_or_default();
            if form.get("client_id").is_none_or(|c| c.is_empty())
                || form.get("client_secret").is_none_or(|c| c.is_empty())
            {
                return Err(errors::oauth(
                    "invalid_client",
                    "The OAuth client was not found.",
                ));
            }
            let account = state
                .users
                .get(refresh)
                .cloned()
                .ok_or_else(|| errors::oauth("invalid_grant", "Bad Request"))?;
            (
                GrantKind::AuthorizedUser,
                account,
                form.get("scope").cloned(),
            )
        }
        other => {
            return Err(errors::oauth(
                "unsupported_grant_type",
                &format!("Invalid grant_type: {other}"),
            ));
        }
    };
    let token = state.issue_token(kind, &subject, scope);
    Ok(json!({ "access_token": token, "expires_in": 3599, "token_type": "Bearer" }))
}

/// Checks a service-account JWT: RS256, signed by the test key, issued by a registered account,
/// addressed to this token endpoint, unexpired, with a scope. Returns (email, scope).
fn check_jwt(state: &State, assertion: &str) -> Result<(String, String), ApiError> {
    let invalid = |why: &str| errors::oauth("invalid_grant", why);
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return Err(invalid(
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe",
        ));
    };
    let decode = |s: &str| -> Result<Value, ApiError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| invalid("Invalid JWT: not base64url"))?;
        serde_json::from_slice(&bytes).map_err(|_| invalid("Invalid JWT: not JSON"))
    };
    let header = decode(header)?;
    let claims = decode(claims)?;
    if header["alg"] != "RS256" {
        return Err(invalid("Invalid JWT: alg must be RS256"));
    }
    let email = claims["iss"].as_str().unwrap_or_default().to_string();
    if !state.service_accounts.contains_key(&email) {
        return Err(invalid("Invalid JWT Signature."));
    }
    let token_uri = format!("{}/token", state.base);
    if claims["aud"].as_str() != Some(token_uri.as_str()) {
        return Err(invalid("Invalid JWT: Failed audience check."));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (iat, exp) = (claims["iat"].as_i64(), claims["exp"].as_i64());
    let timely = matches!((iat, exp), (Some(iat), Some(exp))
        if iat <= now + 300 && exp > now && exp - iat <= 3600 && exp > iat);
    if !timely {
        return Err(invalid(
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
        ));
    }
    let scope = claims["scope"].as_str().unwrap_or_default().to_string();
    if scope.is_empty() {
        return Err(errors::oauth(
            "invalid_scope",
            "Empty or missing scope not allowed.",
        ));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| invalid("Invalid JWT Signature."))?;
    let signed = &assertion[..assertion.rfind('.').unwrap_or(0)];
    let public = test_public_key();
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public)
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| invalid("Invalid JWT Signature."))?;
    Ok((email, scope))
}

/// The public half (PKCS#1 RSAPublicKey DER) of [`super::TEST_SERVICE_ACCOUNT_KEY_PEM`].
fn test_public_key() -> Vec<u8> {
    let body: String = super::TEST_SERVICE_ACCOUNT_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("the built-in test key is valid base64");
    let pair =
        ring::signature::RsaKeyPair::from_pkcs8(&der).expect("the built-in test key is PKCS#8 RSA");
    use ring::signature::KeyPair as _;
    pair.public_key().as_ref().to_vec()
}

/// `GET /computeMetadata/v1/...`, as on a GCE VM.
pub fn metadata(
    state: &mut State,
    path: &str,
    flavor: Option<&str>,
    query: &BTreeMap<String, String>,
) -> Reply {
    if !state.metadata_enabled {
        return Reply::text(404, "Not Found");
    }
    if flavor != Some("Google") {
        return Reply::text(
            403,
            "Missing required header \"Metadata-Flavor\": \"Google\"\n",
        );
    }
    match path.trim_end_matches('/') {
        "" | "/computeMetadata/v1" => Reply::text(200, "instance/\nproject/\n"),
        "/computeMetadata/v1/project/project-id" => {
            let project = state.metadata_project.clone();
            Reply::text(200, &project)
        }
        "/computeMetadata/v1/project/numeric-project-id" => {
            let number = state
                .projects
                .get(&state.metadata_project)
                .map(|p| p.number)
                .unwrap_or(0);
            Reply::text(200, &number.to_string())
        }
        "/computeMetadata/v1/instance/service-accounts/default/email" => {
            Reply::text(200, &default_account(state))
        }
        "/computeMetadata/v1/instance/service-accounts/default/scopes" => {
            Reply::text(200, "https://www.googleapis.com/auth/cloud-platform\n")
        }
        "/computeMetadata/v1/instance/service-accounts/default/token" => {
            let subject = default_account(state);
            let token =
                state.issue_token(GrantKind::Metadata, &subject, query.get("scopes").cloned());
            Reply::json(
                200,
                &json!({ "access_token": token, "expires_in": 3599, "token_type": "Bearer" }),
            )
        }
        _ => Reply::text(404, "Not Found"),
    }
}

fn default_account(state: &State) -> String {
    let number = state
        .projects
        .get(&state.metadata_project)
        .map(|p| p.number)
        .unwrap_or(0);
    format!("{number}-compute@developer.gserviceaccount.com")
}
