//! Colors for one stream. Colors are used only when that stream is a terminal, `--color` allows it and
//! NO_COLOR is unset (or `--color always`).

use colored::Colorize;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub enabled: bool,
}

impl Style {
    pub const PLAIN: Style = Style { enabled: false };

    pub fn ok(&self, text: &str) -> String {
        self.paint(text, |t| t.green().to_string())
    }
    pub fn warn(&self, text: &str) -> String {
        self.paint(text, |t| t.yellow().to_string())
    }
    pub fn error(&self, text: &str) -> String {
        self.paint(text, |t| t.red().bold().to_string())
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint(text, |t| t.bold().to_string())
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }
    pub fn accent(&self, text: &str) -> String {
        self.paint(text, |t| t.cyan().to_string())
    }

    fn paint(&self, text: &str, f: impl Fn(&str) -> String) -> String {
        if self.enabled {
            f(text)
        } else {
            text.to_string()
        }
    }
}
