//! Bearer-token authentication and the two users' permissions.

use super::Ctx;
use crate::error::ApiError;

/// An authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    /// The admin user (`kubesim-admin`, group `system:masters`): may do everything.
    Admin,
    /// The read-only user (`kubesim-viewer`): get, list and watch only.
    ReadOnly,
    /// No token: only `/version` and health endpoints.
    Anonymous,
}

impl User {
    /// The user name as RBAC messages show it.
    pub fn name(self) -> &'static str {
        match self {
            User::Admin => "kubesim-admin",
            User::ReadOnly => "kubesim-viewer",
            User::Anonymous => "system:anonymous",
        }
    }

    /// Groups of the user.
    pub fn groups(self) -> Vec<&'static str> {
        match self {
            User::Admin => vec!["system:masters", "system:authenticated"],
            User::ReadOnly => vec!["kubesim:viewers", "system:authenticated"],
            User::Anonymous => vec!["system:unauthenticated"],
        }
    }

    /// Whether the user may perform `verb` on (group, resource[/subresource]).
    pub fn allowed(self, verb: &str, group: &str, resource: &str) -> bool {
        match self {
            User::Admin => true,
            User::ReadOnly => {
                matches!(verb, "get" | "list" | "watch")
                    || verb == "create"
                        && matches!(
                            (group, resource),
                            (
                                "authorization.k8s.io",
                                "selfsubjectaccessreviews" | "selfsubjectrulesreviews"
                            ) | ("authentication.k8s.io", "selfsubjectreviews")
                        )
            }
            User::Anonymous => false,
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    // Constant time in the token's length.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Resolves the Authorization header to a user; a wrong token is 401.
pub(crate) fn authenticate(ctx: &Ctx, authorization: &str) -> Result<User, ApiError> {
    if authorization.is_empty() {
        return Ok(User::Anonymous);
    }
    let token = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or_else(ApiError::unauthorized)?;
    if same(token, &ctx.admin_token) {
        Ok(User::Admin)
    } else if same(token, &ctx.readonly_token) {
        Ok(User::ReadOnly)
    } else {
        Err(ApiError::unauthorized())
    }
}
