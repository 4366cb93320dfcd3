//! A small Compute Engine v1 client: firewalls, global operations, instances. Errors come back in
//! plain words with a hint (permission, API not enabled, scopes, not found, exists, invalid).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::Value;

use super::credentials::Credentials;
use crate::error::UserError;

/// The public endpoint; `--compute-endpoint` / `RIGGER_COMPUTE_ENDPOINT` override it.
pub const DEFAULT_ENDPOINT: &str = "https://compute.googleapis.com/compute/v1/";

/// What the Compute API said when it refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    /// `errors[0].reason` (notFound, alreadyExists, forbidden, accessNotConfigured, ...).
    pub reason: String,
    /// `details[].reason` of an ErrorInfo (SERVICE_DISABLED, ACCESS_TOKEN_SCOPE_INSUFFICIENT, ...).
    pub info_reason: String,
    pub activation_url: Option<String>,
}

impl ApiError {
    pub fn parse(status: u16, body: &str) -> ApiError {
        let v: Value = serde_json::from_str(body).unwrap_or_default();
        let e = &v["error"];
        let message = e["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                let text = body.trim();
                if text.is_empty() || text.len() > 300 {
                    format!("HTTP {status}")
                } else {
                    text.to_string()
                }
            });
        let details = e["details"].as_array().cloned().unwrap_or_default();
        let info = details.iter().find(|d| {
            d["@type"]
                .as_str()
                .is_some_and(|t| t.ends_with("ErrorInfo"))
        });
        ApiError {
            status,
            message,
            reason: e["errors"][0]["reason"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            info_reason: info
                .and_then(|i| i["reason"].as_str())
                .unwrap_or_default()
                .to_string(),
            activation_url: info
                .and_then(|i| i["metadata"]["activationUrl"].as_str())
                .map(str::to_string),
        }
    }

    /// `Required 'compute.firewalls.create' permission for '...'` → the permission.
    pub fn missing_permission(&self) -> Option<&str> {
        let rest = self.message.split("Required '").nth(1)?;
        rest.split('\'').next()
    }

    pub fn api_not_enabled(&self) -> bool {
        self.info_reason == "SERVICE_DISABLED"
            || self.reason == "accessNotConfigured"
            || self.message.contains("API has not been used in project")
    }

    pub fn insufficient_scopes(&self) -> bool {
        self.info_reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
            || self.message.contains("insufficient authentication scopes")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

/// What a failed call was doing, for the error sentence.
pub struct Doing<'a> {
    /// "creating firewall rule allow-gateway-http"
    pub action: String,
    pub project: &'a str,
    pub network: Option<&'a str>,
}

/// Turns an API refusal into a sentence and a hint.
pub fn explain(e: &ApiError, doing: &Doing<'_>, who: &str) -> anyhow::Error {
    let project = doing.project;
    let action = &doing.action;
    if e.status == 403 && e.api_not_enabled() {
        let mut hint = format!(
            "enable it with `gcloud services enable compute.googleapis.com --project {project}`"
        );
        if let Some(url) = &e.activation_url {
            hint.push_str(&format!(" or at {url}"));
        }
        hint.push_str(", wait a minute, and run rigger again");
        return UserError::failure(format!(
            "{action} failed: the Compute Engine API is not enabled in project {project}"
        ))
        .with_hint(hint)
        .into();
    }
    if e.status == 403 && e.insufficient_scopes() {
        return UserError::failure(format!(
            "{action} failed: the access token of {who} lacks the OAuth scope for Compute Engine (insufficient authentication scopes)"
        ))
        .with_hint("on a GCE VM or GKE node the instance's access scopes must include cloud-platform (or compute); change them (the VM must be stopped), or use a service-account key through GOOGLE_APPLICATION_CREDENTIALS")
        .into();
    }
    if e.status == 403 {
        if let Some(permission) = e.missing_permission() {
            return UserError::failure(format!(
                "{action} failed: {who} lacks the IAM permission {permission} in project {project}"
            ))
            .with_hint(format!(
                "grant a role that includes {permission} (for firewall rules, roles/compute.securityAdmin) to that identity, or use other credentials"
            ))
            .into();
        }
        return UserError::failure(format!("{action} failed: permission denied: {}", e.message))
            .with_hint("check the IAM roles of the credentials in this project")
            .into();
    }
    if e.status == 401 {
        return UserError::failure(format!(
            "{action} failed: the Compute API did not accept the credentials of {who}: {}",
            e.message
        ))
        .with_hint("refresh the credentials (`gcloud auth application-default login`) or point GOOGLE_APPLICATION_CREDENTIALS at a valid key")
        .into();
    }
    if e.status == 404 {
        let not_found = e.message.split('\'').nth(1).unwrap_or_default();
        if not_found == format!("projects/{project}") || not_found.is_empty() {
            return UserError::failure(format!(
                "{action} failed: project {project} was not found (or the credentials cannot see it)"
            ))
            .with_hint("check --project (or GOOGLE_CLOUD_PROJECT / the gcloud configuration)")
            .into();
        }
        if not_found.contains("/networks/") {
            let network = doing
                .network
                .unwrap_or_else(|| not_found.rsplit('/').next().unwrap_or(""));
            return UserError::failure(format!(
                "{action} failed: network {network} was not found in project {project}"
            ))
            .with_hint("pass the VPC network the cluster's nodes use with --network")
            .into();
        }
        return UserError::failure(format!("{action} failed: {not_found} was not found")).into();
    }
    if e.status == 409 {
        return UserError::failure(format!(
            "{action} failed: a resource with that name already exists in project {project} ({})",
            e.message
        ))
        .with_hint("run the command again to compare it with what you asked for; pass --update to replace it")
        .into();
    }
    if e.status == 400 {
        return UserError::failure(format!(
            "{action} failed: the Compute API rejected the request as invalid: {}",
            e.message
        ))
        .into();
    }
    if e.status == 429 {
        return UserError::failure(format!(
            "{action} failed: rate limited by the Compute API: {}",
            e.message
        ))
        .with_hint("wait a minute and run the command again")
        .into();
    }
    UserError::failure(format!("{action} failed: the Compute API answered {e}")).into()
}

/// A short reason for a transport failure (connection refused, timed out, DNS), without URLs twice.
pub fn transport_reason(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut innermost = e.to_string();
    while let Some(s) = source {
        innermost = s.to_string();
        source = s.source();
    }
    if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        format!("could not connect: {innermost}")
    } else {
        innermost
    }
}

/// A Compute API client for one endpoint and one set of credentials.
pub struct Compute {
    http: reqwest::Client,
    base: String,
    credentials: Arc<Credentials>,
    /// How long to wait for an operation.
    pub operation_timeout: Duration,
}

enum Failure {
    Api(ApiError),
    Other(anyhow::Error),
}

impl Compute {
    pub fn new(http: reqwest::Client, endpoint: &str, credentials: Arc<Credentials>) -> Compute {
        let mut base = endpoint.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        Compute {
            http,
            base,
            credentials,
            operation_timeout: Duration::from_secs(300),
        }
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The full URL of a path below the endpoint (`projects/p/global/firewalls`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends one request, retrying connection failures and 5xx answers (mutations carry a requestId,
    /// so a retry is applied once).
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, Failure> {
        let url = self.url(path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let token = self
                .credentials
                .access_token()
                .await
                .map_err(Failure::Other)?;
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header("Authorization", token.bearer())
                .query(query)
                .timeout(Duration::from_secs(150));
            if let Some(body) = body {
                request = request.json(body);
            }
            match request.send().await {
                Err(e) if attempt < 3 && (e.is_connect() || e.is_timeout()) => {
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(e) => {
                    return Err(Failure::Other(
                        UserError::failure(format!(
                            "could not reach the Compute API at {}: {}",
                            self.base,
                            transport_reason(&e)
                        ))
                        .with_hint(
                            "check the network, or --compute-endpoint / RIGGER_COMPUTE_ENDPOINT",
                        )
                        .into(),
                    ));
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let text = response
                        .text()
                        .await
                        .with_context(|| format!("reading the answer from {url}"))
                        .map_err(Failure::Other)?;
                    if (200..300).contains(&status) {
                        return serde_json::from_str(&text)
                            .with_context(|| {
                                format!("the Compute API at {url} sent something that is not JSON")
                            })
                            .map_err(Failure::Other);
                    }
                    if status >= 500 && attempt < 3 {
                        tokio::time::sleep(Duration::from_millis(300 * attempt)).await;
                        continue;
                    }
                    return Err(Failure::Api(ApiError::parse(status, &text)));
                }
            }
        }
    }

    async fn call_explained(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        doing: &Doing<'_>,
    ) -> anyhow::Result<Value> {
        match self.call(method, path, query, body).await {
            Ok(v) => Ok(v),
            Err(Failure::Api(e)) => Err(explain(&e, doing, &self.credentials.describe())),
            Err(Failure::Other(e)) => Err(e.context(format!("{} failed", doing.action))),
        }
    }

    /// A firewall rule, or None when it does not exist.
    pub async fn get_firewall(&self, project: &str, name: &str) -> anyhow::Result<Option<Value>> {
        let path = format!("projects/{project}/global/firewalls/{name}");
        match self.call(reqwest::Method::GET, &path, &[], None).await {
            Ok(v) => Ok(Some(v)),
            Err(Failure::Api(e)) if e.status == 404 && e.message.contains("/firewalls/") => {
                Ok(None)
            }
            Err(Failure::Api(e)) => Err(explain(
                &e,
                &Doing {
                    action: format!("reading firewall rule {name}"),
                    project,
                    network: None,
                },
                &self.credentials.describe(),
            )),
            Err(Failure::Other(e)) => {
                Err(e.context(format!("reading firewall rule {name} failed")))
            }
        }
    }

    /// Every firewall rule of a project, following `nextPageToken`.
    pub async fn list_firewalls(&self, project: &str) -> anyhow::Result<Vec<Value>> {
        let path = format!("projects/{project}/global/firewalls");
        let doing = Doing {
            action: format!("listing the firewall rules of project {project}"),
            project,
            network: None,
        };
        let mut rules = Vec::new();
        let mut page_token: Option<String> = None;
        loop {
            let mut query = vec![("maxResults", "500".to_string())];
            if let Some(token) = &page_token {
                query.push(("pageToken", token.clone()));
            }
            let page = self
                .call_explained(reqwest::Method::GET, &path, &query, None, &doing)
                .await?;
            if let Some(items) = page["items"].as_array() {
                rules.extend(items.iter().cloned());
            }
            match page["nextPageToken"].as_str() {
                Some(t) if !t.is_empty() => page_token = Some(t.to_string()),
                _ => return Ok(rules),
            }
        }
    }

    /// `firewalls.insert` with a requestId; waits for the operation.
    pub async fn insert_firewall(
        &self,
        project: &str,
        body: &Value,
        request_id: &str,
    ) -> anyhow::Result<Value> {
        self.write_firewall(reqwest::Method::POST, project, body, request_id)
            .await
    }

    /// `firewalls.update` (PUT: the rule becomes exactly `body`); waits for the operation.
    pub async fn update_firewall(
        &self,
        project: &str,
        body: &Value,
        request_id: &str,
    ) -> anyhow::Result<Value> {
        self.write_firewall(reqwest::Method::PUT, project, body, request_id)
            .await
    }

    async fn write_firewall(
        &self,
        method: reqwest::Method,
        project: &str,
        body: &Value,
        request_id: &str,
    ) -> anyhow::Result<Value> {
        let name = body["name"].as_str().unwrap_or_default();
        let (verb, path) = if method == reqwest::Method::POST {
            ("creating", format!("projects/{project}/global/firewalls"))
        } else {
            (
                "updating",
                format!("projects/{project}/global/firewalls/{name}"),
            )
        };
        let doing = Doing {
            action: format!("{verb} firewall rule {name} in project {project}"),
            project,
            network: body["network"].as_str().and_then(|n| n.rsplit('/').next()),
        };
        let query = [("requestId", request_id.to_string())];
        let op = self
            .call_explained(method, &path, &query, Some(body), &doing)
            .await?;
        self.wait(project, op, &doing).await
    }

    /// `firewalls.delete`; waits for the operation. Ok(false) when there was nothing to delete.
    pub async fn delete_firewall(
        &self,
        project: &str,
        name: &str,
        request_id: &str,
    ) -> anyhow::Result<bool> {
        let doing = Doing {
            action: format!("deleting firewall rule {name} in project {project}"),
            project,
            network: None,
        };
        let path = format!("projects/{project}/global/firewalls/{name}");
        let query = [("requestId", request_id.to_string())];
        match self
            .call(reqwest::Method::DELETE, &path, &query, None)
            .await
        {
            Ok(op) => {
                self.wait(project, op, &doing).await?;
                Ok(true)
            }
            Err(Failure::Api(e)) if e.status == 404 && e.message.contains("/firewalls/") => {
                Ok(false)
            }
            Err(Failure::Api(e)) => Err(explain(&e, &doing, &self.credentials.describe())),
            Err(Failure::Other(e)) => Err(e.context(format!("{} failed", doing.action))),
        }
    }

    /// A VM instance (for its network tags).
    pub async fn get_instance(
        &self,
        project: &str,
        zone: &str,
        name: &str,
    ) -> anyhow::Result<Value> {
        let doing = Doing {
            action: format!("reading VM instance {name} in {project}/{zone}"),
            project,
            network: None,
        };
        let path = format!("projects/{project}/zones/{zone}/instances/{name}");
        self.call_explained(reqwest::Method::GET, &path, &[], None, &doing)
            .await
    }

    /// Waits on a global operation with `operations.wait` until it is DONE, then checks its error.
    async fn wait(&self, project: &str, mut op: Value, doing: &Doing<'_>) -> anyhow::Result<Value> {
        let deadline = Instant::now() + self.operation_timeout;
        let name = op["name"].as_str().unwrap_or_default().to_string();
        while op["status"] != "DONE" {
            if Instant::now() >= deadline {
                return Err(UserError::failure(format!(
                    "{} did not finish within {}s: operation {name} is still {}",
                    doing.action,
                    self.operation_timeout.as_secs(),
                    op["status"].as_str().unwrap_or("pending")
                ))
                .with_hint(format!(
                    "check it with `gcloud compute operations describe {name} --global --project {project}`"
                ))
                .into());
            }
            let path = format!("projects/{project}/global/operations/{name}/wait");
            op = self
                .call_explained(reqwest::Method::POST, &path, &[], None, doing)
                .await?;
        }
        if let Some(errors) = op["error"]["errors"].as_array().filter(|e| !e.is_empty()) {
            let text: Vec<String> = errors
                .iter()
                .map(|e| {
                    let code = e["code"].as_str().unwrap_or_default();
                    let message = e["message"].as_str().unwrap_or_default();
                    if code.is_empty() {
                        message.to_string()
                    } else {
                        format!("{message} ({code})")
                    }
                })
                .collect();
            return Err(UserError::failure(format!(
                "{} failed: operation {name} finished with an error: {}",
                doing.action,
                text.join("; ")
            ))
            .into());
        }
        Ok(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doing() -> Doing<'static> {
        Doing {
            action: "creating firewall rule r".into(),
            project: "p",
            network: Some("default"),
        }
    }

    fn words(status: u16, body: &str) -> crate::error::Rendered {
        crate::error::render(&explain(
            &ApiError::parse(status, body),
            &doing(),
            "service account sa@p",
        ))
    }

    #[test]
    fn permission_errors_name_the_permission() {
        let r = words(
            403,
            r#"{"error":{"code":403,"message":"Required 'compute.firewalls.create' permission for 'projects/p/global/firewalls'","errors":[{"reason":"forbidden"}]}}"#,
        );
        assert_eq!(
            r.error,
            "creating firewall rule r failed: service account sa@p lacks the IAM permission compute.firewalls.create in project p"
        );
        assert!(r.hint.unwrap().contains("roles/compute.securityAdmin"));
    }

    #[test]
    fn api_not_enabled_says_how_to_enable_it() {
        let r = words(
            403,
            r#"{"error":{"code":403,"message":"Compute Engine API has not been used in project 42 before or it is disabled.","errors":[{"reason":"accessNotConfigured"}],"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","metadata":{"activationUrl":"https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project=42"}}]}}"#,
        );
        assert!(r.error.contains("not enabled in project p"));
        let hint = r.hint.unwrap();
        assert!(hint.contains("gcloud services enable compute.googleapis.com --project p"));
        assert!(hint.contains("overview?project=42"));
    }

    #[test]
    fn scopes_not_found_conflict_invalid() {
        let r = words(
            403,
            r#"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}"#,
        );
        assert!(r.error.contains("lacks the OAuth scope"));
        let r = words(
            404,
            r#"{"error":{"code":404,"message":"The resource 'projects/p' was not found"}}"#,
        );
        assert!(r.error.contains("project p was not found"));
        let r = words(
            404,
            r#"{"error":{"code":404,"message":"The resource 'projects/p/global/networks/vpc' was not found"}}"#,
        );
        assert!(
            r.error
                .contains("network default was not found in project p")
        );
        let r = words(
            409,
            r#"{"error":{"code":409,"message":"The resource 'projects/p/global/firewalls/r' already exists"}}"#,
        );
        assert!(r.error.contains("already exists"));
        let r = words(
            400,
            r#"{"error":{"code":400,"message":"Invalid value for field 'resource.name': 'X'."}}"#,
        );
        assert!(
            r.error.contains(
                "rejected the request as invalid: Invalid value for field 'resource.name'"
            )
        );
        let r = words(502, "<html>bad gateway</html>");
        assert!(r.error.contains("HTTP 502"));
    }
}
