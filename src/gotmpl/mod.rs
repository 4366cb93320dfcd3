//! rigger's Go template engine: Go's text/template language and semantics, the sprig
//! functions and Helm's own functions, plus Helm chart loading and rendering.
//!
//! Layers, bottom up:
//! - [`Templates`]: a set of parsed templates sharing a [`FuncMap`]; `execute` runs one with a
//!   [`Value`] as dot. Use it for any Go template (e.g. the sidecar injection templates) and add
//!   your own functions with [`FuncMap::insert`] (plain) or [`FuncMap::insert_with_exec`]
//!   (needs the executor, like `include`). Start from [`helm::helm_funcs`] (Go builtins + sprig +
//!   Helm) or [`FuncMap::sprig`]. Parsing refuses unknown functions, as Go does.
//! - [`helm`]: Helm's engine: [`helm::Chart::load`] reads a chart directory (subcharts in
//!   `charts/` or `file://` dependencies), [`helm::render`] coalesces values over the chart
//!   defaults, checks values.schema.json, runs every template in Helm's order and returns the text
//!   per template path; [`helm::manifests`] turns that into Istio's view (files by name, NOTES
//!   dropped, split at `---`, kind-less documents dropped). Chart `crds/` files are in
//!   `Chart::files` under `crds/` (Helm's `.Files` sees them too).
//! - [`strvals`]: Helm's `--set` syntax; [`helm::user_values`] layers `-f` files and `--set`.
//!
//! Values: Helm decodes YAML/JSON values so that every number is a float64; build values from
//! JSON with [`helm::values_from_json`] to get the same (a `1000000` then prints as `1e+06` in
//! `{{ .Values.x }}` but as `1000000` through `toYaml`, exactly as in Helm). `--set` integers are
//! Go ints ([`Value::Int`]). Maps and lists are shared by reference ([`MapRef`], [`ListRef`]):
//! `set`/`mergeOverwrite` in a template change what every later template sees, which Istio's
//! `zzz_profile.yaml` relies on.
//!
//! Rendering a component the way istioctl does (sketch for `manifest generate`):
//! ```no_run
//! use rigger::gotmpl::helm::{self, Chart, ReleaseOptions, RenderOptions};
//! # fn demo(values_json: serde_json::Value) -> anyhow::Result<()> {
//! let chart = Chart::load(std::path::Path::new("manifests/charts/istio-control/istio-discovery"))?;
//! let values = helm::values_from_json(&values_json); // the merged spec.values
//! let opts = RenderOptions {
//!     release: ReleaseOptions { name: "istio".into(), namespace: "istio-system".into(), revision: 0,
//!                               is_install: false, is_upgrade: false },
//!     kube_version: "1.32.0".into(),
//!     ..RenderOptions::default()
//! };
//! for m in helm::manifests(&helm::render(&chart, &values, &opts)?)? {
//!     let _object: &serde_json::Value = &m.object; // parsed; `m.text` is the raw rendered text
//! }
//! # Ok(()) }
//! ```
//! Errors read like Helm's: `parse error at (istiod/templates/x.yaml:3): function "bogus" not
//! defined`, `execution error at (istiod/templates/x.yaml:12:4): <fail/required message>`, or Go's
//! `template: file:line:col: executing "name" at <node>: message`.

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
