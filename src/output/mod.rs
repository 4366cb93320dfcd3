//! The output layer: the only place (with main.rs) that writes to stdout and stderr.
//!
//! stdout carries data only (tables, JSON, YAML, URLs, `export` lines); stderr carries talk (progress,
//! warnings, errors). Colors and progress bars appear only on a terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod checklist;
mod confirm;
mod progress;
pub mod steps;
mod style;
pub mod table;

use std::io::{IsTerminal, Write};

use anyhow::Context as _;
use serde::Serialize;

pub use progress::{Reporter, human_bytes};
pub use style::Style;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::error::{Rendered, UserError};

/// Something a command shows: serialisable for `-o json|yaml`, and with a human form for tables/text.
pub trait Show: Serialize {
    /// The human-readable form (`-o table` / `-o text`), ending with a newline.
    fn human(&self, style: &Style) -> String;
}

/// Decides where and how things are written.
#[derive(Debug, Clone)]
pub struct Printer {
    stdout_style: Style,
    stderr_style: Style,
    stderr_is_terminal: bool,
    quiet: bool,
    verbose: u8,
    progress_bars: bool,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let want = |is_terminal: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color_env,
        };
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let stderr_is_terminal = std::io::stderr().is_terminal();
        // We decide per stream ourselves; `colored` must not second-guess it.
        colored::control::set_override(true);
        Printer {
            stdout_style: Style {
                enabled: want(stdout_is_terminal),
            },
            stderr_style: Style {
                enabled: want(stderr_is_terminal),
            },
            stderr_is_terminal,
            quiet: global.quiet,
            verbose: global.verbose,
            progress_bars: stderr_is_terminal && !global.no_progress && !global.quiet,
        }
    }

    /// A printer that never colors and never draws bars (tests).
    pub fn plain() -> Self {
        Printer {
            stdout_style: Style::PLAIN,
            stderr_style: Style::PLAIN,
            stderr_is_terminal: false,
            quiet: false,
            verbose: 0,
            progress_bars: false,
        }
    }

    pub fn stdout_style(&self) -> Style {
        self.stdout_style
    }
    pub fn stderr_style(&self) -> Style {
        self.stderr_style
    }
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }
    pub fn verbosity(&self) -> u8 {
        self.verbose
    }
    pub fn stderr_is_terminal(&self) -> bool {
        self.stderr_is_terminal
    }
    pub fn progress_bars(&self) -> bool {
        self.progress_bars
    }

    /// Writes data to stdout as is. A closed pipe surfaces as a BrokenPipe error, which main treats
    /// as a quiet exit.
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .context("writing to stdout")?;
        out.flush().context("writing to stdout")?;
        Ok(())
    }

    /// Writes one line of data to stdout.
    pub fn line(&self, text: &str) -> anyhow::Result<()> {
        self.data(&format!("{text}\n"))
    }

    /// Pretty JSON on stdout.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(value).context("encoding JSON output")?;
        text.push('\n');
        self.data(&text)
    }

    /// YAML on stdout.
    pub fn yaml<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let json = serde_json::to_value(value).context("encoding YAML output")?;
        let mut text = serde_saphyr::to_string(&json).context("encoding YAML output")?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.data(&text)
    }

    /// Shows a value in the chosen format. `Env` is the command's own business and is refused here.
    pub fn show<T: Show>(&self, value: &T, format: OutputFormat) -> anyhow::Result<()> {
        match format {
            OutputFormat::Json => self.json(value),
            OutputFormat::Yaml => self.yaml(value),
            OutputFormat::Table | OutputFormat::Text => self.data(&value.human(&self.stdout_style)),
            OutputFormat::Env => {
                Err(UserError::input("this command has no `-o env` output").into())
            }
        }
    }

    /// A line of talk on stderr (suppressed by --quiet).
    pub fn info(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// A success line on stderr (suppressed by --quiet).
    pub fn success(&self, message: &str) {
        if !self.quiet {
            eprintln!("{} {message}", self.stderr_style.ok("✔"));
        }
    }

    /// A warning on stderr (shown even with --quiet).
    pub fn warn(&self, message: &str) {
        eprintln!("{} {message}", self.stderr_style.warn("warning:"));
    }

    /// Renders an error as `error:` / `caused by:` / `hint:` lines on stderr.
    pub fn error(&self, rendered: &Rendered) {
        let s = self.stderr_style;
        let mut text = format!("{} {}\n", s.error("error:"), rendered.error);
        for cause in &rendered.causes {
            text.push_str(&format!("{} {cause}\n", s.warn("caused by:")));
        }
        if let Some(hint) = &rendered.hint {
            text.push_str(&format!("{} {hint}\n", s.accent("hint:")));
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Asks a yes/no question on stderr and reads the answer from stdin (anything but y/yes is no).
    pub fn confirm(&self, question: &str) -> anyhow::Result<bool> {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{question} ");
        let _ = err.flush();
        drop(err);
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .context("reading the answer from stdin")?;
        Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
    }

    /// A progress reporter for domain code: a spinner/bar on a terminal, plain lines otherwise.
    pub fn reporter(&self) -> Reporter {
        Reporter::new(self)
    }
}

/// The printer as plain talk for domain code that reports progress: steps and results as lines,
/// details only with `-v`, warnings as `warning:` lines. Commands whose talk may also run under
/// `rigger up` take a [`Progress`](crate::progress::Progress), and get the printer when run alone.
impl crate::progress::Progress for Printer {
    fn event(&self, event: crate::progress::Event<'_>) {
        use crate::progress::Event;
        match event {
            Event::Warn(message) => self.warn(message),
            Event::Step(message) | Event::Done(message) => self.info(message),
            Event::Detail(message) if self.verbose > 0 => self.info(message),
            Event::Detail(_) | Event::Bytes { .. } => {}
        }
    }
}

/// Picks the output format for a command: the user's `-o` if the command supports it, else its default.
pub fn choose_format(
    requested: Option<OutputFormat>,
    supported: &[OutputFormat],
    default: OutputFormat,
) -> anyhow::Result<OutputFormat> {
    match requested {
        None => Ok(default),
        Some(format) if supported.contains(&format) => Ok(format),
        Some(format) => {
            let names: Vec<String> = supported.iter().map(ToString::to_string).collect();
            Err(
                UserError::input(format!("this command cannot print `-o {format}`"))
                    .with_hint(format!("use one of: {}", names.join(", ")))
                    .into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_format_defaults_and_refuses_unsupported() {
        use OutputFormat::*;
        assert_eq!(choose_format(None, &[Text, Json], Text).unwrap(), Text);
        assert_eq!(
            choose_format(Some(Json), &[Text, Json], Text).unwrap(),
            Json
        );
        let err = choose_format(Some(Env), &[Text, Json], Text).unwrap_err();
        let rendered = crate::error::render(&err);
        assert_eq!(rendered.exit, crate::error::Exit::Usage);
        assert_eq!(rendered.hint.as_deref(), Some("use one of: text, json"));
    }
}
