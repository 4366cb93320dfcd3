//! Review kinds that are answered, never stored: SelfSubjectAccessReview, SelfSubjectRulesReview,
//! SelfSubjectReview, SubjectAccessReview, LocalSubjectAccessReview, TokenReview.

use http::{Response, StatusCode};
use serde_json::{Value, json};

use super::{Target, crud};
use crate::error::ApiError;
use crate::server::{Body, Ctx, Req, User, json_response};

fn user_for(name: &str) -> Option<User> {
    [User::Admin, User::ReadOnly]
        .into_iter()
        .find(|u| u.name() == name)
}

fn decide(user: Option<User>, attrs: &Value, non_resource: &Value) -> Value {
    let Some(user) = user else {
        return json!({"allowed": false, "reason": "unknown user"});
    };
    let allowed = if attrs.is_object() {
        let verb = attrs["verb"].as_str().unwrap_or_default();
        let group = attrs["group"].as_str().unwrap_or_default();
        let mut resource = attrs["resource"].as_str().unwrap_or_default().to_string();
        if let Some(sub) = attrs["subresource"].as_str().filter(|s| !s.is_empty()) {
            resource = format!("{resource}/{sub}");
        }
        verb == "*" && user == User::Admin || user.allowed(verb, group, &resource)
    } else if non_resource.is_object() {
        user == User::Admin || matches!(non_resource["verb"].as_str(), Some("get" | "head"))
    } else {
        false
    };
    if allowed {
        let reason = if user == User::Admin {
            "kubesim: admin may do everything"
        } else {
            "kubesim: read-only user"
        };
        json!({"allowed": true, "reason": reason})
    } else {
        json!({"allowed": false})
    }
}

fn rules(user: User) -> Value {
    let verbs: Vec<&str> = if user == User::Admin {
        vec!["*"]
    } else {
        vec!["get", "list", "watch"]
    };
    let mut resource_rules = vec![json!({"verbs": verbs, "apiGroups": ["*"], "resources": ["*"]})];
    if user == User::ReadOnly {
        resource_rules.push(json!({"verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]}));
        resource_rules.push(json!({"verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]}));
    }
    let nr_verbs: Vec<&str> = if user == User::Admin {
        vec!["*"]
    } else {
        vec!["get"]
    };
    json!({"resourceRules": resource_rules, "nonResourceRules": [{"verbs": nr_verbs, "nonResourceURLs": ["*"]}], "incomplete": false})
}

/// `POST` of a review kind.
pub(crate) fn create(ctx: &Ctx, req: &Req, t: &Target) -> Result<Response<Body>, ApiError> {
    let protobuf = req
        .content_type
        .to_ascii_lowercase()
        .starts_with("application/vnd.kubernetes.protobuf");
    let mut obj = if protobuf {
        super::proto::decode_review(&t.def.kind, &req.body)?
    } else {
        crud::decode_body(req)?
    };
    obj["apiVersion"] = json!(t.def.api_version());
    obj["kind"] = json!(t.def.kind);
    if !obj["metadata"].is_object() {
        obj["metadata"] = json!({});
    }
    let spec = obj["spec"].clone();
    let status = match t.def.kind.as_str() {
        "SelfSubjectAccessReview" => decide(
            Some(req.user),
            &spec["resourceAttributes"],
            &spec["nonResourceAttributes"],
        ),
        "SubjectAccessReview" | "LocalSubjectAccessReview" => {
            let mut attrs = spec["resourceAttributes"].clone();
            if t.def.kind == "LocalSubjectAccessReview" && attrs.is_object() {
                attrs["namespace"] = json!(t.ns());
            }
            decide(
                user_for(spec["user"].as_str().unwrap_or_default()),
                &attrs,
                &spec["nonResourceAttributes"],
            )
        }
        "SelfSubjectRulesReview" => rules(req.user),
        "SelfSubjectReview" => {
            json!({"userInfo": {"username": req.user.name(), "groups": req.user.groups()}})
        }
        "TokenReview" => {
            let token = spec["token"].as_str().unwrap_or_default();
            let user = if token == ctx.admin_token {
                Some(User::Admin)
            } else if token == ctx.readonly_token {
                Some(User::ReadOnly)
            } else {
                None
            };
            match user {
                Some(u) => {
                    json!({"authenticated": true, "user": {"username": u.name(), "groups": u.groups()}})
                }
                None => json!({"authenticated": false, "error": "invalid bearer token"}),
            }
        }
        _ => return Err(ApiError::no_route()),
    };
    obj["status"] = status;
    Ok(json_response(StatusCode::CREATED, &obj))
}
