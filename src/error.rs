//! The error model: what failed, why, and what to do about it, plus the exit code a script sees.
//!
//! Errors travel as `anyhow::Error`. Two markers ride along in the chain and are picked up when the
//! error is rendered by `main.rs`:
//! - [`Hint`] (added with [`ResultExt::hint`]) is shown as a `hint:` line;
//! - [`ExitAs`] (added with [`ResultExt::exit_as`], or implied by [`UserError`]) picks the exit code.
//!
//! Markers display as an empty string, so the renderer skips them in the `caused by:` lines.

use std::fmt;

/// Exit codes, documented in docs/exit-codes.md. CI scripts rely on these numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exit {
    /// Everything asked for was done (or every check passed).
    Success,
    /// rigger could not do what was asked (cluster unreachable, permission denied, a wait timed out, ...).
    Failure,
    /// The command line or an input file is wrong; nothing was changed.
    Usage,
    /// The command ran, and a check it performed found problems (verify-sidecars, precheck, ...).
    ChecksFailed,
    /// Interrupted by Ctrl-C / SIGINT.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::ChecksFailed => 3,
            Exit::Interrupted => 130,
        }
    }
}

/// An error a person caused and can fix: a bad flag value, an invalid file, an unknown context.
/// Exits with [`Exit::Usage`] unless told otherwise.
#[derive(Debug)]
pub struct UserError {
    message: String,
    hint: Option<String>,
    exit: Exit,
}

impl UserError {
    /// An input/usage problem (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
            exit: Exit::Usage,
        }
    }

    /// A problem that is not the command line's fault but that the user can act on (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
            exit: Exit::Failure,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit(&self) -> Exit {
        self.exit
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// A `hint:` line attached to an error chain. Displays as nothing.
#[derive(Debug, Clone)]
pub struct Hint(pub String);

impl fmt::Display for Hint {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

/// Overrides the exit code of an error chain. Displays as nothing.
#[derive(Debug, Clone, Copy)]
pub struct ExitAs(pub Exit);

impl fmt::Display for ExitAs {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

/// Attach hints and exit codes to results.
pub trait ResultExt<T> {
    /// Adds a `hint:` line telling the user what to do.
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T>;
    /// Makes the error exit with the given code.
    fn exit_as(self, exit: Exit) -> anyhow::Result<T>;
}

impl<T, E> ResultExt<T> for Result<T, E>
where
    E: Into<anyhow::Error>,
{
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T> {
        self.map_err(|e| e.into().context(Hint(hint.into())))
    }

    fn exit_as(self, exit: Exit) -> anyhow::Result<T> {
        self.map_err(|e| e.into().context(ExitAs(exit)))
    }
}

/// The parts of an error as the user sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub error: String,
    pub causes: Vec<String>,
    pub hint: Option<String>,
    pub exit: Exit,
}

/// Splits an error chain into the headline, its causes (without repeats), the hint and the exit code.
pub fn render(error: &anyhow::Error) -> Rendered {
    let mut lines: Vec<String> = Vec::new();
    for link in error.chain() {
        let text = link.to_string();
        let text = text.trim();
        if text.is_empty() {
            continue; // a marker
        }
        // Many libraries repeat their source in their own message ("x: y" then "y"): keep it once.
        if lines
            .last()
            .is_some_and(|prev| prev.ends_with(text) && prev != text)
        {
            continue;
        }
        if lines.iter().any(|l| l == text) {
            continue;
        }
        lines.push(text.to_string());
    }
    let hint = error
        .downcast_ref::<Hint>()
        .map(|h| h.0.clone())
        .or_else(|| {
            error
                .downcast_ref::<UserError>()
                .and_then(|u| u.hint.clone())
        });
    let exit = error
        .downcast_ref::<ExitAs>()
        .map(|e| e.0)
        .or_else(|| error.downcast_ref::<UserError>().map(|u| u.exit))
        .unwrap_or(Exit::Failure);
    let mut lines = lines.into_iter();
    Rendered {
        error: lines.next().unwrap_or_else(|| "unknown error".to_string()),
        causes: lines.collect(),
        hint,
        exit,
    }
}

/// True when the error chain contains a broken pipe (stdout closed by `| head`): not an error for us.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|link| {
        link.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn renders_headline_causes_hint_and_exit() {
        let err: anyhow::Result<()> = Err(std::io::Error::other("connection refused"))
            .context("could not reach the cluster at https://127.0.0.1:1")
            .hint("check --context");
        let r = render(&err.unwrap_err());
        assert_eq!(
            r.error,
            "could not reach the cluster at https://127.0.0.1:1"
        );
        assert_eq!(r.causes, vec!["connection refused".to_string()]);
        assert_eq!(r.hint.as_deref(), Some("check --context"));
        assert_eq!(r.exit, Exit::Failure);
    }

    #[test]
    fn user_errors_exit_with_usage_and_carry_their_hint() {
        let err = anyhow::Error::new(
            UserError::input("unknown context \"x\"").with_hint("use one of: a, b"),
        );
        let r = render(&err.context("loading kubeconfig"));
        assert_eq!(r.exit, Exit::Usage);
        assert_eq!(r.hint.as_deref(), Some("use one of: a, b"));
        assert_eq!(r.error, "loading kubeconfig");
    }

    #[test]
    fn exit_as_overrides() {
        let err: anyhow::Result<()> =
            Err(anyhow::anyhow!("2 pods lack a sidecar")).exit_as(Exit::ChecksFailed);
        assert_eq!(render(&err.unwrap_err()).exit, Exit::ChecksFailed);
    }

    #[test]
    fn repeated_sources_are_shown_once() {
        let inner = std::io::Error::other("refused");
        let err = anyhow::Error::new(inner)
            .context("connect: refused")
            .context("request failed");
        let r = render(&err);
        assert_eq!(r.causes, vec!["connect: refused".to_string()]);
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing");
        assert!(is_broken_pipe(&err));
    }

    #[test]
    fn exit_codes_are_stable() {
        let codes: Vec<u8> = [
            Exit::Success,
            Exit::Failure,
            Exit::Usage,
            Exit::ChecksFailed,
            Exit::Interrupted,
        ]
        .iter()
        .map(|e| e.code())
        .collect();
        assert_eq!(codes, vec![0, 1, 2, 3, 130]);
    }
}
