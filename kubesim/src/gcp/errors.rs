//! Error bodies in the shape Google APIs return (`{"error":{"code","message","errors":[...],"status"}}`).

use serde_json::{Value, json};

/// An HTTP status plus a JSON body.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            self.status,
            self.body["error"]["message"].as_str().unwrap_or("")
        )
    }
}

fn google(status: u16, rpc_status: &str, reason: &str, domain: &str, message: &str) -> ApiError {
    ApiError {
        status,
        body: json!({
            "error": {
                "code": status,
                "message": message,
                "errors": [{ "message": message, "domain": domain, "reason": reason }],
                "status": rpc_status,
            }
        }),
    }
}

pub fn not_found(resource: &str) -> ApiError {
    google(
        404,
        "NOT_FOUND",
        "notFound",
        "global",
        &format!("The resource '{resource}' was not found"),
    )
}

pub fn already_exists(resource: &str) -> ApiError {
    google(
        409,
        "ALREADY_EXISTS",
        "alreadyExists",
        "global",
        &format!("The resource '{resource}' already exists"),
    )
}

pub fn invalid(message: &str) -> ApiError {
    google(400, "INVALID_ARGUMENT", "invalid", "global", message)
}

pub fn invalid_field(field: &str, value: &str, rule: &str) -> ApiError {
    invalid(&format!(
        "Invalid value for field '{field}': '{value}'. {rule}"
    ))
}

pub fn bad_request(message: &str) -> ApiError {
    google(400, "INVALID_ARGUMENT", "badRequest", "global", message)
}

pub fn missing_permission(permission: &str, resource: &str) -> ApiError {
    google(
        403,
        "PERMISSION_DENIED",
        "forbidden",
        "global",
        &format!("Required '{permission}' permission for '{resource}'"),
    )
}

pub fn api_not_enabled(project: &str, project_number: u64) -> ApiError {
    let url = format!(
        "https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project={project_number}"
    );
    let message = format!(
        "Compute Engine API has not been used in project {project_number} before or it is disabled. \
         Enable it by visiting {url} then retry. If you enabled this API recently, wait a few minutes \
         for the action to propagate to our systems and retry."
    );
    let mut e = google(
        403,
        "PERMISSION_DENIED",
        "accessNotConfigured",
        "usageLimits",
        &message,
    );
    e.body["error"]["details"] = json!([
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "compute.googleapis.com",
                "consumer": format!("projects/{project_number}"),
                "activationUrl": url,
                "containerInfo": project,
            }
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [{ "description": "Google developers console API activation", "url": url }]
        }
    ]);
    e
}

pub fn insufficient_scopes() -> ApiError {
    let mut e = google(
        403,
        "PERMISSION_DENIED",
        "insufficientPermissions",
        "global",
        "Request had insufficient authentication scopes.",
    );
    e.body["error"]["errors"][0]["message"] = json!("Insufficient Permission");
    e.body["error"]["details"] = json!([{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        "domain": "googleapis.com",
        "metadata": { "service": "compute.googleapis.com", "method": "compute.v1.FirewallsService" }
    }]);
    e
}

pub fn unauthenticated() -> ApiError {
    google(
        401,
        "UNAUTHENTICATED",
        "required",
        "global",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login \
         cookie or other valid authentication credential.",
    )
}

pub fn method_not_allowed() -> ApiError {
    google(
        405,
        "UNIMPLEMENTED",
        "httpMethodNotAllowed",
        "global",
        "HTTP method not allowed",
    )
}

/// An OAuth token endpoint error (`{"error":"invalid_grant","error_description":...}`), status 400.
pub fn oauth(error: &str, description: &str) -> ApiError {
    ApiError {
        status: 400,
        body: json!({ "error": error, "error_description": description }),
    }
}
