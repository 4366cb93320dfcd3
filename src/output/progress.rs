//! The terminal side of [`crate::progress::Progress`].
#![allow(clippy::print_stderr)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Printer, Style};
use crate::progress::{Event, Progress};

/// Draws a spinner (or a byte bar) on a terminal; prints plain lines otherwise.
pub struct Reporter {
    style: Style,
    quiet: bool,
    verbose: u8,
    bar: Option<ProgressBar>,
    plain: Mutex<PlainState>,
}

#[derive(Default)]
struct PlainState {
    last_bytes_line: Option<Instant>,
    last_percent: Option<u64>,
}

impl Reporter {
    pub(super) fn new(printer: &Printer) -> Self {
        let bar = printer.progress_bars().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner_style());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Reporter {
            style: printer.stderr_style(),
            quiet: printer.is_quiet(),
            verbose: printer.verbosity(),
            bar,
            plain: Mutex::new(PlainState::default()),
        }
    }

    /// Prints a line above the spinner (or plainly).
    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// Removes the spinner from the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner:.cyan} {msg}").expect("valid template")
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner:.cyan} {msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    )
    .expect("valid template")
}

impl Progress for Reporter {
    fn event(&self, event: Event<'_>) {
        match event {
            Event::Warn(message) => {
                self.line(&format!("{} {message}", self.style.warn("warning:")))
            }
            _ if self.quiet => {}
            Event::Step(message) => match &self.bar {
                Some(bar) => {
                    bar.set_style(spinner_style());
                    bar.set_message(message.to_string());
                }
                None => eprintln!("{message}..."),
            },
            Event::Detail(message) => match &self.bar {
                Some(bar) => bar.set_message(message.to_string()),
                None if self.verbose > 0 => eprintln!("  {message}"),
                None => {}
            },
            Event::Done(message) => self.line(&format!("{} {message}", self.style.ok("✔"))),
            Event::Bytes { done, total } => match &self.bar {
                Some(bar) => {
                    if let Some(total) = total
                        && bar.length() != Some(total)
                    {
                        bar.set_style(bytes_style());
                        bar.set_length(total);
                    }
                    bar.set_position(done);
                }
                None => self.plain_bytes(done, total),
            },
        }
    }
}

impl Reporter {
    /// Without a terminal: a line every 10% (or every 5 seconds when the size is unknown).
    fn plain_bytes(&self, done: u64, total: Option<u64>) {
        let mut state = self.plain.lock().expect("reporter lock");
        let now = Instant::now();
        let line = match total {
            Some(total) if total > 0 => {
                let percent = done * 100 / total;
                let bucket = percent / 10;
                if state.last_percent == Some(bucket) && done < total {
                    return;
                }
                state.last_percent = Some(bucket);
                format!(
                    "  {} of {} ({percent}%)",
                    human_bytes(done),
                    human_bytes(total)
                )
            }
            _ => {
                if state
                    .last_bytes_line
                    .is_some_and(|t| now.duration_since(t) < Duration::from_secs(5))
                {
                    return;
                }
                format!("  {}", human_bytes(done))
            }
        };
        state.last_bytes_line = Some(now);
        eprintln!("{line}");
    }
}

/// `12.3 MiB`, `512 B`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(100 * 1024 * 1024), "100.0 MiB");
    }
}
