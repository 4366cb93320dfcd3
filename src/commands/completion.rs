//! `rigger completion SHELL`: prints a completion script. The same scripts are checked in under
//! completions/ (a test keeps them fresh).

use clap::CommandFactory;

use crate::cli::{Cli, CompletionArgs};
use crate::context::Context;
use crate::error::Exit;

pub fn run(args: &CompletionArgs, ctx: &Context) -> anyhow::Result<Exit> {
    ctx.printer.data(&script(args.shell))?;
    Ok(Exit::Success)
}

/// The completion script for a shell, as text.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "rigger", &mut buffer);
    String::from_utf8(buffer).expect("completion scripts are UTF-8")
}

/// The file name a script is installed under, per shell conventions.
pub fn file_name(shell: clap_complete::Shell) -> &'static str {
    use clap_complete::Shell::*;
    match shell {
        Bash => "rigger.bash",
        Zsh => "_rigger",
        Fish => "rigger.fish",
        PowerShell => "_rigger.ps1",
        Elvish => "rigger.elv",
        _ => "rigger.completion",
    }
}
