//! Asking before destructive or changing actions: a y/N question on a terminal; without one the
//! command must be told `--yes`.

use std::io::IsTerminal;

use super::Printer;
use crate::error::UserError;

impl Printer {
    /// `--yes` answers for the user; otherwise asks `question` (y/N) when stdin is a terminal, and
    /// without a terminal fails with an input error telling the user to pass `--yes`.
    pub fn confirm_unless_yes(&self, question: &str, yes: bool) -> anyhow::Result<bool> {
        if yes {
            return Ok(true);
        }
        if !std::io::stdin().is_terminal() {
            return Err(UserError::input(format!(
                "{question} — this needs confirmation, and stdin is not a terminal"
            ))
            .with_hint("pass --yes to go ahead without a question")
            .into());
        }
        self.confirm(&format!("{question} [y/N]"))
    }
}
