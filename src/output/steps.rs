//! The display of a multi-step run (`rigger up`, `rigger demo`): on a terminal one line per step with a
//! spinner on the running one and the current detail underneath; elsewhere one plain line per event;
//! with `-o json` one JSON object per line on stdout (a stable contract for CI).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::Value;

use super::{Printer, Style};
use crate::progress::{Event, Progress};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// It changed something.
    Done,
    /// Nothing needed doing (already there).
    AlreadyDone,
    /// Not asked for, or not applicable.
    Skipped,
    Failed,
}

/// One JSON line of `-o json`.
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum StepEvent<'a> {
    Start {
        step: &'a str,
        title: &'a str,
        index: usize,
        total: usize,
    },
    Detail {
        step: &'a str,
        message: &'a str,
    },
    Warning {
        step: &'a str,
        message: &'a str,
    },
    Finish {
        step: &'a str,
        status: StepStatus,
        seconds: f64,
        summary: &'a str,
        result: &'a Value,
    },
}

enum Mode {
    Terminal {
        multi: MultiProgress,
        current: Option<(ProgressBar, ProgressBar)>,
    },
    Plain,
    Json,
}

/// Receives step events and draws them. Also a [`Progress`] for the running step's details.
pub struct StepDisplay {
    style: Style,
    quiet: bool,
    verbose: u8,
    total: usize,
    state: Mutex<State>,
}

struct State {
    mode: Mode,
    step: String,
    index: usize,
    started: Instant,
}

impl StepDisplay {
    pub fn new(printer: &Printer, json: bool, total: usize) -> Self {
        let mode = if json {
            Mode::Json
        } else if printer.progress_bars() {
            Mode::Terminal {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                current: None,
            }
        } else {
            Mode::Plain
        };
        StepDisplay {
            style: printer.stderr_style(),
            quiet: printer.is_quiet(),
            verbose: printer.verbosity(),
            total,
            state: Mutex::new(State {
                mode,
                step: String::new(),
                index: 0,
                started: Instant::now(),
            }),
        }
    }

    fn json_line(event: &StepEvent<'_>) {
        if let Ok(text) = serde_json::to_string(event) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }

    /// The closing `{"event":"summary",...}` line of `-o json`.
    pub fn json_summary<T: Serialize>(summary: &T) {
        let mut value = serde_json::to_value(summary).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("event".into(), Value::String("summary".into()));
        }
        if let Ok(text) = serde_json::to_string(&value) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }

    /// A step begins.
    pub fn start(&self, step: &str, title: &str) {
        let mut state = self.state.lock().expect("display lock");
        state.index += 1;
        state.step = step.to_string();
        state.started = Instant::now();
        let index = state.index;
        let total = self.total;
        match &mut state.mode {
            Mode::Json => Self::json_line(&StepEvent::Start {
                step,
                title,
                index,
                total,
            }),
            Mode::Plain if !self.quiet => eprintln!("[{index}/{total}] {title}..."),
            Mode::Plain => {}
            Mode::Terminal { multi, current } => {
                let line = multi.add(ProgressBar::new_spinner());
                line.set_style(
                    ProgressStyle::with_template("{spinner:.cyan} {prefix} {msg}")
                        .expect("template"),
                );
                line.set_prefix(format!("[{index}/{total}]"));
                line.set_message(title.to_string());
                line.enable_steady_tick(Duration::from_millis(100));
                let detail = multi.add(ProgressBar::new_spinner());
                detail
                    .set_style(ProgressStyle::with_template("      {msg:.dim}").expect("template"));
                *current = Some((line, detail));
            }
        }
    }

    /// The running step ends.
    pub fn finish(&self, status: StepStatus, summary: &str, result: &Value) {
        let mut state = self.state.lock().expect("display lock");
        let seconds = state.started.elapsed().as_secs_f64();
        let step = state.step.clone();
        let index = state.index;
        let total = self.total;
        let mark = match status {
            StepStatus::Done => self.style.ok("✔"),
            StepStatus::AlreadyDone => self.style.ok("✔"),
            StepStatus::Skipped => self.style.dim("–"),
            StepStatus::Failed => self.style.error("×"),
        };
        let took = crate::duration::human(Duration::from_secs_f64(seconds));
        let text = format!(
            "{mark} [{index}/{total}] {summary} {}",
            self.style.dim(&format!("({took})"))
        );
        match &mut state.mode {
            Mode::Json => Self::json_line(&StepEvent::Finish {
                step: &step,
                status,
                seconds,
                summary,
                result,
            }),
            Mode::Plain if !self.quiet || status == StepStatus::Failed => eprintln!("{text}"),
            Mode::Plain => {}
            Mode::Terminal { current, multi } => {
                // The finished step becomes an ordinary line above the live area, so it stays in
                // order with narration and warnings, and nothing later redraws over it.
                if let Some((line, detail)) = current.take() {
                    detail.finish_and_clear();
                    line.finish_and_clear();
                }
                let _ = multi.println(text);
            }
        }
    }

    /// A line of talk outside any step (narration in `rigger demo`).
    pub fn say(&self, text: &str) {
        let state = self.state.lock().expect("display lock");
        match &state.mode {
            Mode::Json => {}
            Mode::Plain if self.quiet => {}
            Mode::Plain => eprintln!("{text}"),
            Mode::Terminal { multi, .. } => {
                let _ = multi.println(text);
            }
        }
    }
}

impl Progress for StepDisplay {
    fn event(&self, event: Event<'_>) {
        let state = self.state.lock().expect("display lock");
        let step = state.step.as_str();
        match (&state.mode, event) {
            (Mode::Json, Event::Warn(message)) => {
                Self::json_line(&StepEvent::Warning { step, message })
            }
            (Mode::Json, Event::Detail(message) | Event::Step(message) | Event::Done(message)) => {
                Self::json_line(&StepEvent::Detail { step, message })
            }
            (Mode::Json, Event::Bytes { .. }) => {}
            (Mode::Plain, Event::Warn(message)) => {
                eprintln!("{} {message}", self.style.warn("warning:"))
            }
            (Mode::Plain, _) if self.quiet => {}
            (Mode::Plain, Event::Step(message) | Event::Done(message)) => {
                eprintln!("      {message}")
            }
            (Mode::Plain, Event::Detail(message)) if self.verbose > 0 => {
                eprintln!("      {message}")
            }
            (Mode::Plain, _) => {}
            (Mode::Terminal { current, multi }, event) => match event {
                Event::Warn(message) => {
                    let _ = multi.println(format!("{} {message}", self.style.warn("warning:")));
                }
                Event::Step(message) | Event::Detail(message) | Event::Done(message) => {
                    if let Some((_, detail)) = current {
                        detail.set_message(message.to_string());
                    }
                }
                Event::Bytes { .. } => {}
            },
        }
    }
}
