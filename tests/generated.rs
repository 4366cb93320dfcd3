//! Generated files that are checked in (completion scripts, the command reference) must match what
//! the current code generates. Run with RIGGER_UPDATE_GENERATED=1 to rewrite them.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(path: PathBuf, expected: String) {
    if std::env::var_os("RIGGER_UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `RIGGER_UPDATE_GENERATED=1 cargo test --test generated` and commit the result",
        path.display()
    );
}

#[test]
fn completion_scripts_are_fresh() {
    use clap_complete::Shell::*;
    for shell in [Bash, Zsh, Fish, PowerShell, Elvish] {
        let name = rigger::commands::completion::file_name(shell);
        check(
            root().join("completions").join(name),
            rigger::commands::completion::script(shell),
        );
    }
}

#[test]
fn command_reference_is_fresh() {
    check(
        root().join("docs").join("reference.md"),
        rigger::reference::markdown(),
    );
}
