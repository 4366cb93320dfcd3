//! The command reference (docs/reference.md), generated from the clap definitions so it cannot drift.

use clap::{Arg, Command, CommandFactory};

use crate::cli::Cli;

/// Markdown for every command and subcommand, in definition order.
pub fn markdown() -> String {
    let mut root = Cli::command();
    root.build();
    let mut out = String::from(
        "# rigger command reference\n\n<!-- Generated from the clap definitions by `RIGGER_UPDATE_GENERATED=1 cargo test --test generated`; do not edit. -->\n\n",
    );
    write_command(&mut out, &root, &[]);
    out
}

fn write_command(out: &mut String, command: &Command, parents: &[&str]) {
    let mut path: Vec<&str> = parents.to_vec();
    path.push(command.get_name());
    let title = path.join(" ");
    let level = "#".repeat((path.len() + 1).min(4));
    out.push_str(&format!("{level} `{title}`\n\n"));
    if let Some(about) = command.get_long_about().or(command.get_about()) {
        out.push_str(&format!("{about}\n\n"));
    }
    let mut usage = command
        .clone()
        .bin_name(title.clone())
        .render_usage()
        .to_string();
    usage = usage.trim_start_matches("Usage: ").to_string();
    out.push_str(&format!("```\n{usage}\n```\n\n"));

    let positionals: Vec<&Arg> = command
        .get_positionals()
        .filter(|a| !a.is_hide_set())
        .collect();
    let options: Vec<&Arg> = command
        .get_arguments()
        .filter(|a| {
            !a.is_positional() && !a.is_hide_set() && (parents.is_empty() || !a.is_global_set())
        })
        .collect();
    if !positionals.is_empty() {
        out.push_str("Arguments:\n\n");
        for arg in positionals {
            out.push_str(&format!("- `{}`: {}\n", arg.get_id(), help(arg)));
        }
        out.push('\n');
    }
    if !options.is_empty() {
        out.push_str(if parents.is_empty() {
            "Global options (accepted by every command):\n\n"
        } else {
            "Options:\n\n"
        });
        for arg in options {
            out.push_str(&format!("- `{}`: {}\n", flag(arg), help(arg)));
        }
        out.push('\n');
    }
    if let Some(after) = command.get_after_help() {
        out.push_str(&format!("{after}\n\n"));
    }
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_command(out, sub, &path);
    }
}

fn flag(arg: &Arg) -> String {
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(format!("-{short}"));
    }
    if let Some(long) = arg.get_long() {
        names.push(format!("--{long}"));
    }
    let mut text = names.join(", ");
    if arg.get_action().takes_values()
        && let Some(value_names) = arg.get_value_names()
    {
        let joined: Vec<String> = value_names.iter().map(|v| format!("<{v}>")).collect();
        text.push(' ');
        text.push_str(&joined.join(" "));
    }
    text
}

fn help(arg: &Arg) -> String {
    let mut text = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && arg.get_action().takes_values() {
        text.push_str(&format!(" [possible values: {}]", possible.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().to_string())
        .collect();
    if !defaults.is_empty() {
        text.push_str(&format!(" [default: {}]", defaults.join(", ")));
    }
    text
}

/// Every command path, e.g. `["rigger"]`, `["rigger", "version"]`, for help snapshots.
pub fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut path = prefix.to_vec();
        path.push(command.get_name().to_string());
        out.push(path.clone());
        for sub in command
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            walk(sub, &path, out);
        }
    }
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    walk(&root, &[], &mut out);
    out
}
