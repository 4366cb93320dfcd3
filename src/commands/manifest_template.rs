//! `rigger manifest template CHART_DIR`: renders one Helm chart with plain Helm values, like
//! `helm template`, through rigger's own engine (`crate::gotmpl`). Nothing touches a cluster.

use anyhow::Context as _;
use serde_json::Value as Json;

use crate::cli::{ManifestTemplateArgs, OutputFormat};
use crate::context::Context;
use crate::error::{Exit, ResultExt};
use crate::gotmpl::helm::{self, Chart, Manifest, ReleaseOptions, RenderOptions};

/// Renders the chart and returns its manifests (Istio's order: by template file name).
pub fn render(args: &ManifestTemplateArgs, namespace: &str) -> anyhow::Result<Vec<Manifest>> {
    let chart = Chart::load(&args.chart)
        .with_context(|| format!("cannot load the chart in {}", args.chart.display()))
        .hint("CHART_DIR must be a chart directory holding Chart.yaml, values.yaml and templates/")
        .exit_as(Exit::Usage)?;
    let values =
        helm::user_values(&args.values, &args.set, &args.set_string).exit_as(Exit::Usage)?;
    let mut api_versions = helm::default_api_versions();
    api_versions.extend(args.api_versions.iter().cloned());
    let opts = RenderOptions {
        release: ReleaseOptions {
            name: args.release_name.clone(),
            namespace: namespace.to_string(),
            revision: 1,
            is_install: !args.is_upgrade,
            is_upgrade: args.is_upgrade,
        },
        kube_version: args.kube_version.clone(),
        api_versions,
        strict: false,
    };
    let rendered = helm::render(&chart, &values, &opts)
        .with_context(|| format!("cannot render the chart {}", chart.name()))
        .exit_as(Exit::Usage)?;
    helm::manifests(&rendered)
        .with_context(|| format!("the chart {} rendered invalid YAML", chart.name()))
        .exit_as(Exit::Usage)
}

/// `helm template`'s text: `---`, `# Source: <template>`, the document.
pub fn helm_text(manifests: &[Manifest]) -> String {
    let mut out = String::new();
    for m in manifests {
        out.push_str("---\n# Source: ");
        out.push_str(&m.source);
        out.push('\n');
        out.push_str(&m.text);
        out.push('\n');
    }
    out
}

pub fn run(args: &ManifestTemplateArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(
        &[OutputFormat::Yaml, OutputFormat::Json],
        OutputFormat::Yaml,
    )?;
    let namespace = ctx
        .global
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let manifests = render(args, &namespace)?;
    match format {
        OutputFormat::Json => {
            let items: Vec<Json> = manifests.into_iter().map(|m| m.object).collect();
            ctx.printer
                .json(&serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}))?;
        }
        _ => ctx.printer.data(&helm_text(&manifests))?,
    }
    Ok(Exit::Success)
}
