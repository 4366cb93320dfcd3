//! `rigger kube-inject`: offline sidecar injection into manifests, like `istioctl kube-inject`.
//! The injection itself is `istio::inject`; this file reads the inputs, builds the settings (from
//! flags or the installed control plane) and writes the result.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use k8s_openapi::api::core::v1::{ConfigMap, Node};

use crate::cli::{KubeInjectArgs, NativeSidecarsArg, OutputFormat};
use crate::cluster::KubeResultExt;
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::inject::manifest::inject_manifest;
use crate::istio::inject::{InjectionSettings, NativeSidecars, SettingsBuilder};

/// One input: where it came from (for messages) and its text.
pub struct Input {
    pub name: String,
    pub text: String,
}

pub async fn run(args: &KubeInjectArgs, ctx: &Context) -> anyhow::Result<Exit> {
    ctx.format(&[OutputFormat::Yaml], OutputFormat::Yaml)?;
    let inputs = read_inputs(&args.filename)?;
    let native = match args.native_sidecars {
        NativeSidecarsArg::Auto => NativeSidecars::Auto,
        NativeSidecarsArg::True => NativeSidecars::On,
        NativeSidecarsArg::False => NativeSidecars::Off,
    };
    let settings = if args.from_cluster {
        settings_from_cluster(args, native, ctx).await?
    } else {
        settings_from_flags(args, native)?
    };

    let mut output = String::new();
    let mut injected = 0;
    for input in &inputs {
        let out = inject_manifest(&input.text, &settings)
            .map_err(|e| UserError::input(format!("{}: {e}", input.name)))?;
        for w in &out.warnings {
            ctx.printer.warn(&format!("{}: {w}", input.name));
        }
        injected += out.injected;
        output.push_str(&out.yaml);
    }

    match &args.output_file {
        Some(path) => {
            write_atomically(path, &output)?;
            ctx.printer.success(&format!(
                "injected {injected} workload{} into {}",
                if injected == 1 { "" } else { "s" },
                path.display()
            ));
        }
        None => ctx.printer.data(&output)?,
    }
    Ok(Exit::Success)
}

/// Reads `-f`: a file, every manifest file of a directory (sorted by name), or stdin for `-`.
pub fn read_inputs(filename: &str) -> anyhow::Result<Vec<Input>> {
    if filename == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("reading the manifest from stdin")?;
        return Ok(vec![Input {
            name: "<stdin>".into(),
            text,
        }]);
    }
    let path = Path::new(filename);
    let meta = std::fs::metadata(path)
        .map_err(|e| UserError::input(format!("cannot read {filename}: {e}")))?;
    let files: Vec<PathBuf> = if meta.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("listing {filename}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(UserError::input(format!(
                "{filename} holds no .yaml, .yml or .json files"
            ))
            .into());
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| UserError::input(format!("cannot read {}: {e}", f.display())))?;
            Ok(Input {
                name: f.display().to_string(),
                text,
            })
        })
        .collect()
}

fn settings_from_flags(
    args: &KubeInjectArgs,
    native: NativeSidecars,
) -> anyhow::Result<InjectionSettings> {
    let mut b = SettingsBuilder::for_tag();
    b.native_sidecars(native);
    for iop in &args.iop {
        let text = std::fs::read_to_string(iop)
            .map_err(|e| UserError::input(format!("cannot read --iop {}: {e}", iop.display())))?;
        b.iop(&text)
            .map_err(|e| UserError::input(format!("--iop {}: {e:#}", iop.display())))?;
    }
    for set in &args.set {
        b.set(set).map_err(|e| UserError::input(format!("{e:#}")))?;
    }
    if let Some(hub) = &args.hub {
        b.hub(hub.clone());
    }
    if let Some(tag) = &args.tag {
        b.tag(tag.clone());
    }
    if let Some(rev) = &args.revision {
        b.revision(rev.clone());
    }
    b.build(None)
        .map_err(|e| UserError::input(format!("invalid settings: {e:#}")).into())
}

/// The control plane's own settings: `istio-sidecar-injector[-<rev>]` (data.config, data.values)
/// and `istio[-<rev>]` (data.mesh) in the Istio namespace, and the nodes' kubelet versions for
/// `--native-sidecars auto`.
async fn settings_from_cluster(
    args: &KubeInjectArgs,
    native: NativeSidecars,
    ctx: &Context,
) -> anyhow::Result<InjectionSettings> {
    let conn = ctx.connection().await?;
    let ns = &args.istio_namespace;
    let suffix = match args.revision.as_deref() {
        None | Some("") | Some("default") => String::new(),
        Some(rev) => format!("-{rev}"),
    };
    let api: kube::Api<ConfigMap> = kube::Api::namespaced(conn.client.clone(), ns);
    let get = |name: String| {
        let api = api.clone();
        async move {
            let cm = api
                .get_opt(&name)
                .await
                .explain_while(&conn.server, || format!("reading ConfigMap {ns}/{name}"))?;
            cm.ok_or_else(|| {
                anyhow::Error::from(
                    UserError::input(format!("ConfigMap {ns}/{name} does not exist: is Istio installed there?")).with_hint(
                        "install the control plane first (rigger install), pass --istio-namespace/--revision, \
                         or drop --from-cluster to use the embedded defaults",
                    ),
                )
            })
        }
    };
    let injector = get(format!("istio-sidecar-injector{suffix}")).await?;
    let mesh_cm = get(format!("istio{suffix}")).await?;
    let data = |cm: &ConfigMap, key: &str| {
        cm.data
            .as_ref()
            .and_then(|d| d.get(key))
            .cloned()
            .unwrap_or_default()
    };
    let kubelets = if native == NativeSidecars::Auto {
        let nodes: kube::Api<Node> = kube::Api::all(conn.client.clone());
        match nodes.list(&kube::api::ListParams::default()).await {
            Ok(list) => Some(
                list.items
                    .iter()
                    .filter_map(|n| {
                        n.status
                            .as_ref()?
                            .node_info
                            .as_ref()
                            .map(|i| i.kubelet_version.clone())
                    })
                    .collect::<Vec<_>>(),
            ),
            Err(e) => {
                ctx.printer.warn(&format!(
                    "cannot list nodes to decide on native sidecars ({}); using the version's default",
                    crate::cluster::explain(e, &conn.server)
                ));
                None
            }
        }
    } else {
        None
    };
    let mut settings = InjectionSettings::from_configmaps(
        &data(&injector, "config"),
        &data(&injector, "values"),
        &data(&mesh_cm, "mesh"),
        native,
        kubelets.as_deref(),
    )
    .with_context(|| format!("reading the injection settings of the control plane in {ns}"))?;
    if let Some(rev) = &args.revision {
        settings.revision = rev.clone();
    }
    Ok(settings)
}

/// Writes `text` to `path` through a temporary file in the same directory, so a reader never sees
/// half a manifest.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.rigger-tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
