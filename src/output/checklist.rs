//! A linkerd-check-style checklist: checks grouped by category, each ✔ (ok), ‼ (warning) or
//! × (failed) with a detail and a hint. Shown as text or as JSON (`-o json`) for CI.

use serde::Serialize;

use super::{Show, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Ok,
    Warning,
    Failed,
}

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub category: String,
    pub description: String,
    pub status: CheckStatus,
    /// What was found, when there is more to say than the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What to do about a warning or failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Check {
    pub fn ok(category: &str, description: impl Into<String>) -> Self {
        Check {
            category: category.to_string(),
            description: description.into(),
            status: CheckStatus::Ok,
            detail: None,
            hint: None,
        }
    }

    pub fn warning(
        category: &str,
        description: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Check {
            status: CheckStatus::Warning,
            detail: Some(detail.into()),
            ..Check::ok(category, description)
        }
    }

    pub fn failed(
        category: &str,
        description: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Check {
            status: CheckStatus::Failed,
            detail: Some(detail.into()),
            ..Check::ok(category, description)
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The result of a run of checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// True when no check failed (warnings allowed).
    pub success: bool,
    pub checks: Vec<Check>,
}

impl Checklist {
    pub fn new(checks: Vec<Check>) -> Self {
        Checklist {
            success: checks.iter().all(|c| c.status != CheckStatus::Failed),
            checks,
        }
    }

    pub fn failed(&self) -> usize {
        self.count(CheckStatus::Failed)
    }

    pub fn warnings(&self) -> usize {
        self.count(CheckStatus::Warning)
    }

    fn count(&self, status: CheckStatus) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
}

impl Show for Checklist {
    fn human(&self, style: &Style) -> String {
        let mut out = String::new();
        let mut category: Option<&str> = None;
        for check in &self.checks {
            if category != Some(check.category.as_str()) {
                if category.is_some() {
                    out.push('\n');
                }
                out.push_str(&style.bold(&check.category));
                out.push('\n');
                out.push_str(&"-".repeat(check.category.chars().count()));
                out.push('\n');
                category = Some(&check.category);
            }
            let mark = match check.status {
                CheckStatus::Ok => style.ok("✔"),
                CheckStatus::Warning => style.warn("‼"),
                CheckStatus::Failed => style.error("×"),
            };
            out.push_str(&format!("{mark} {}\n", check.description));
            if let Some(detail) = &check.detail {
                for line in detail.lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            if let Some(hint) = &check.hint {
                out.push_str(&format!("    {} {hint}\n", style.accent("hint:")));
            }
        }
        let (failed, warnings) = (self.failed(), self.warnings());
        out.push('\n');
        out.push_str(&match (failed, warnings) {
            (0, 0) => format!("Status check results are {}\n", style.ok("✔")),
            (0, w) => format!(
                "Status check results are {} ({w} warning(s))\n",
                style.warn("‼")
            ),
            (f, _) => format!(
                "Status check results are {} ({f} failed)\n",
                style.error("×")
            ),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_groups_marks_details_and_hints() {
        let list = Checklist::new(vec![
            Check::ok("kubernetes-api", "can reach the API server"),
            Check::warning("kubernetes-api", "server version", "1.20 is old"),
            Check::failed("permissions", "can create deployments", "forbidden")
                .with_hint("ask an admin"),
        ]);
        assert!(!list.success);
        let text = list.human(&Style::PLAIN);
        assert_eq!(
            text,
            "kubernetes-api\n--------------\n✔ can reach the API server\n‼ server version\n    1.20 is old\n\n\
permissions\n-----------\n× can create deployments\n    forbidden\n    hint: ask an admin\n\n\
Status check results are × (1 failed)\n"
        );
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json["checks"][1]["status"], "warning");
        assert_eq!(json["success"], false);
    }
}
