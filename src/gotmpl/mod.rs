//! rigger's Go template engine: Go's text/template language and semantics, the sprig
//! functions and Helm's own functions, plus Helm chart loading and rendering.
//!
//! Layers, bottom up:
//! - [`Templates`]: a set of parsed templates sharing a [`FuncMap`]; `execute` runs one with a
//!   [`Value`] as dot. Use it for any Go template (e.g. the sidecar injection template) and add
//!   your own functions with [`FuncMap::insert`].
//! - [`helm`]: Helm's engine on top: [`helm::Chart::load`] reads a chart directory (subcharts
//!   included), [`helm::render`] renders it with values, release and capabilities, returning the
//!   rendered text per template file, exactly as `helm template` would before printing.
//! - [`strvals`]: Helm's `--set` syntax, to build values from the command line.

mod ast;
mod exec;
pub mod funcs;
pub mod gofmt;
pub mod gojson;
pub mod helm;
mod lex;
mod parse;
mod semver;
pub mod strvals;
mod value;

pub use exec::{Error, Exec, Templates};
pub use funcs::{FuncMap, Ty};
pub use parse::ParseError;
pub use value::{ListRef, MapRef, Object, Value, strval};

#[cfg(test)]
mod tests;
