//! `rigger manifest generate`: the Kubernetes objects of an Istio 1.24+ installation, rendered
//! from an IstioOperator and the release's own charts (`crate::istio::render`), printed as
//! istioctl prints them. Nothing touches a cluster (a release may be downloaded).

use std::path::PathBuf;

use serde_json::Value as Json;

use crate::cli::{ManifestGenerateArgs, OutputFormat, RenderInputArgs};
use crate::context::Context;
use crate::error::{Exit, ExitAs, Hint, UserError};
use crate::istio::iop::InputFile;
use crate::istio::release::{
    self, Arch, HttpClient, HttpOptions, Limits, Os, RetryPolicy, VersionRequest,
};
use crate::istio::render::{self, GenerateError, Generated, Manifests, Request};

/// A render error with its hint and exit code, for `main.rs` to show.
pub fn report(err: GenerateError) -> anyhow::Error {
    let exit = match err {
        GenerateError::Input { .. } => Exit::Usage,
        GenerateError::Chart { .. } => Exit::Failure,
    };
    let hint = err.hint().map(str::to_string);
    let mut error = anyhow::Error::new(err);
    if let Some(hint) = hint {
        error = error.context(Hint(hint));
    }
    error.context(ExitAs(exit))
}

/// Reads the `-f` files (`-` is stdin, only as the last one).
fn read_files(paths: &[PathBuf]) -> anyhow::Result<Vec<InputFile>> {
    let mut out = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let name = path.display().to_string();
        let text = if name == "-" {
            if i + 1 != paths.len() {
                return Err(UserError::input("stdin (-) is only allowed as the last -f").into());
            }
            std::io::read_to_string(std::io::stdin())
        } else {
            std::fs::read_to_string(path)
        }
        .map_err(|e| UserError::input(format!("cannot read {name}: {e}")))?;
        out.push(InputFile { name, text });
    }
    Ok(out)
}

/// The render request from the command line: `--profile` and `--revision` become the first
/// `--set` flags (so later `--set profile=...` still wins, as in istioctl).
pub fn request(args: &RenderInputArgs) -> anyhow::Result<Request> {
    let mut sets = Vec::new();
    if let Some(profile) = &args.profile {
        sets.push(format!("profile={profile}"));
    }
    if let Some(rev) = args
        .revision
        .as_deref()
        .filter(|r| !r.is_empty() && *r != "default")
    {
        sets.push(format!("revision={rev}"));
    }
    sets.extend(args.sets.iter().cloned());
    Ok(Request {
        files: read_files(&args.files)?,
        sets,
        release_tag: args
            .istio_version
            .as_deref()
            .map(|v| v.trim_start_matches('v').to_string()),
        force: args.force,
    })
}

/// The `installPackagePath` the input names, if any (the last `--set`, else the last file).
fn install_package_path(request: &Request) -> Option<PathBuf> {
    let from_sets = request
        .sets
        .iter()
        .rev()
        .find_map(|s| s.strip_prefix("installPackagePath="));
    if let Some(p) = from_sets {
        return Some(PathBuf::from(p));
    }
    request.files.iter().rev().find_map(|f| {
        let doc = crate::yaml::parse_document(&f.text, &f.name).ok()?;
        doc.pointer("/spec/installPackagePath")
            .and_then(Json::as_str)
            .map(PathBuf::from)
    })
}

/// Where the charts come from: `--manifests`, else the input's `installPackagePath`, else the
/// release `--istio-version` (from rigger's release cache, downloaded and verified when missing).
/// Also returns the exact version when a release was resolved from `--istio-version` (`1.30`
/// or `latest` become the release they name).
pub async fn manifests(
    args: &RenderInputArgs,
    request: &Request,
    ctx: &Context,
) -> anyhow::Result<(Manifests, Option<String>)> {
    if let Some(version) = &args.istio_version {
        version
            .parse::<VersionRequest>()
            .map_err(|e| UserError::input(format!("--istio-version {version}: {e}")))?;
    }
    let mut resolved = None;
    let dir = if let Some(dir) = &args.manifests {
        dir.clone()
    } else if let Some(dir) = install_package_path(request) {
        dir
    } else if let Some(version) = &args.istio_version {
        let (dir, exact) = fetch_release(version, ctx).await?;
        resolved = Some(exact);
        dir
    } else {
        return Err(UserError::input("which Istio release? none was given")
            .with_hint(
                "pass --istio-version 1.30.3 (downloaded when needed) or --manifests DIR (an unpacked release)",
            )
            .into());
    };
    Ok((Manifests::open(&dir).map_err(report)?, resolved))
}

/// The unpacked release `VERSION` in rigger's cache (`<cache>/releases/istio-VERSION`), and its
/// exact version.
async fn fetch_release(version: &str, ctx: &Context) -> anyhow::Result<(PathBuf, String)> {
    let version_request: VersionRequest = version
        .parse()
        .map_err(|e| UserError::input(format!("--istio-version {version}: {e}")))?;
    let Some(cache_dir) = release::default_cache_dir() else {
        return Err(
            UserError::input("there is no cache directory: HOME is not set")
                .with_hint("pass --manifests DIR with an unpacked Istio release")
                .into(),
        );
    };
    let releases = cache_dir.join("releases");
    if let VersionRequest::Exact(v) = &version_request {
        let dir = releases.join(format!("istio-{v}"));
        if dir.join("manifests").is_dir() {
            return Ok((dir, v.to_string()));
        }
    }
    let arch = Arch::current().map_err(|e| anyhow::Error::new(release::DownloadError::from(e)))?;
    let req = release::Request {
        version: version_request,
        pre: false,
        os: Os::current(),
        arch,
        dir: releases,
        mirror: std::env::var("RIGGER_ISTIO_MIRROR")
            .ok()
            .filter(|m| !m.is_empty()),
        api_base: std::env::var("RIGGER_GITHUB_API")
            .ok()
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| release::github::GITHUB_API.to_string()),
        cache_dir,
        force: false,
        skip_checksum: false,
        limits: Limits::default(),
    };
    let http = HttpClient::new(&HttpOptions {
        retry: RetryPolicy::default(),
        timeout: Some(ctx.global.request_timeout),
        token: std::env::var("GITHUB_TOKEN").ok(),
    })?;
    let reporter = ctx.printer.reporter();
    let plan = release::plan(&http, &req, &reporter).await?;
    if plan.target.join("manifests").is_dir() {
        reporter.finish();
        return Ok((plan.target, plan.version));
    }
    let installed = release::install(&http, &req, &plan, &reporter).await?;
    reporter.finish();
    ctx.printer.info(&format!(
        "Istio {} is in {}",
        installed.version,
        installed.path.display()
    ));
    Ok((installed.path, installed.version))
}

/// Renders the input; warnings (problems ignored with `--force`) go to stderr.
pub async fn generate(args: &RenderInputArgs, ctx: &Context) -> anyhow::Result<Generated> {
    render_input(args, ctx, false).await
}

/// What an install applies: the render of [`generate`], made the cluster's default revision for
/// injection and validation as `istioctl install` does (see
/// [`render::add_default_revision_tag`]).
pub async fn generate_for_install(
    args: &RenderInputArgs,
    ctx: &Context,
) -> anyhow::Result<Generated> {
    render_input(args, ctx, true).await
}

async fn render_input(
    args: &RenderInputArgs,
    ctx: &Context,
    default_tag: bool,
) -> anyhow::Result<Generated> {
    let mut request = request(args)?;
    let (manifests, resolved) = manifests(args, &request, ctx).await?;
    if resolved.is_some() {
        request.release_tag = resolved;
    }
    let mut generated = render::generate(&manifests, &request).map_err(report)?;
    if default_tag {
        render::add_default_revision_tag(&manifests, &mut generated).map_err(report)?;
    }
    for w in &generated.warnings {
        ctx.printer.warn(w);
    }
    Ok(generated)
}

/// Prints the objects as YAML (istioctl's text) or as a JSON List.
pub fn print(generated: &Generated, format: OutputFormat, ctx: &Context) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => {
            let items: Vec<Json> = generated.objects.iter().map(|o| o.value.clone()).collect();
            ctx.printer
                .json(&serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}))
        }
        _ => ctx.printer.data(&render::to_yaml(&generated.objects)),
    }
}

pub async fn run(args: &ManifestGenerateArgs, ctx: &Context) -> anyhow::Result<Exit> {
    let format = ctx.format(
        &[OutputFormat::Yaml, OutputFormat::Json],
        OutputFormat::Yaml,
    )?;
    let generated = generate(&args.input, ctx).await?;
    print(&generated, format, ctx)?;
    Ok(Exit::Success)
}
