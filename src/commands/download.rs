//! `rigger download`: fetch, verify and unpack an Istio release, then say where istioctl is.

use serde::Serialize;

use crate::cli::{DownloadArgs, OutputFormat};
use crate::context::Context;
use crate::error::{Exit, ExitAs, Hint, UserError};
use crate::istio::release::{
    self, Arch, DownloadError, HttpClient, HttpOptions, Installed, Limits, Os, Plan, Request,
    RetryPolicy,
};
use crate::output::{Show, Style};

/// A domain error with its hint and exit code attached for `main.rs` to render.
fn report(err: DownloadError) -> anyhow::Error {
    let exit = match err {
        DownloadError::Version(_) | DownloadError::Platform(_) => Exit::Usage,
        _ => Exit::Failure,
    };
    let hint = err.hint();
    let mut error = anyhow::Error::new(err);
    if let Some(hint) = hint {
        error = error.context(Hint(hint));
    }
    error.context(ExitAs(exit))
}

/// Quotes `text` for a POSIX shell inside double quotes.
fn shell_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `export PATH="…/bin:$PATH"`.
fn path_line(home: &std::path::Path) -> String {
    let quoted = shell_quote(&format!("{}:", home.join("bin").to_string_lossy()));
    // Keep `$PATH` inside the same double quotes, unescaped.
    format!("export PATH={}$PATH\"", &quoted[..quoted.len() - 1])
}

/// `export ISTIO_HOME=...` and the PATH line, for `eval`.
fn env_lines(home: &std::path::Path) -> String {
    format!(
        "export ISTIO_HOME={}\n{}\n",
        shell_quote(&home.to_string_lossy()),
        path_line(home)
    )
}

impl Show for Installed {
    fn human(&self, style: &Style) -> String {
        let how = match (self.cached, self.verified) {
            (true, _) => "from the cache, sha256 verified",
            (false, true) => "sha256 verified",
            (false, false) => "NOT verified",
        };
        format!(
            "Istio {} installed in {} ({how})\nistioctl: {}\n{}\n",
            style.bold(&self.version),
            self.path.display(),
            self.istioctl.display(),
            path_line(&self.path),
        )
    }
}

/// What `--dry-run` shows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DryRun<'a> {
    dry_run: bool,
    #[serde(flatten)]
    plan: &'a Plan,
}

impl Show for DryRun<'_> {
    fn human(&self, _: &Style) -> String {
        let plan = self.plan;
        let mut text = format!(
            "would download Istio {} ({}/{})\n  archive:  {}\n",
            plan.version, plan.os, plan.arch, plan.url
        );
        match &plan.checksum_url {
            Some(url) => text.push_str(&format!("  checksum: {url}\n")),
            None => text.push_str("  checksum: not checked (--insecure-skip-checksum)\n"),
        }
        text.push_str(&format!(
            "  cache:    {}\n  into:     {}{}\n",
            plan.cache_file.display(),
            plan.target.display(),
            if plan.target_exists {
                " (exists; replaced only with --force)"
            } else {
                ""
            }
        ));
        text
    }
}

pub async fn run(args: &DownloadArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml, Env], Text)?;
    let cache_dir = match args.cache_dir.clone().or_else(release::default_cache_dir) {
        Some(dir) => dir,
        None => {
            return Err(
                UserError::input("there is no cache directory: HOME is not set")
                    .with_hint("pass --cache-dir")
                    .into(),
            );
        }
    };
    let arch = match args.arch {
        Some(arch) => arch,
        None => Arch::current().map_err(|e| report(e.into()))?,
    };
    let request = Request {
        version: args.version.clone(),
        pre: args.pre,
        os: args.os.unwrap_or_else(Os::current),
        arch,
        dir: args.dir.clone(),
        mirror: args.mirror.clone(),
        api_base: args.github_api.clone(),
        cache_dir,
        force: args.force,
        skip_checksum: args.insecure_skip_checksum,
        limits: Limits::default(),
    };
    let http = HttpClient::new(&HttpOptions {
        retry: RetryPolicy {
            retries: args.retries,
            ..RetryPolicy::default()
        },
        timeout: Some(ctx.global.request_timeout),
        token: std::env::var("GITHUB_TOKEN").ok(),
    })
    .map_err(report)?;
    let reporter = ctx.printer.reporter();
    let plan = release::plan(&http, &request, &reporter)
        .await
        .map_err(report)?;
    if args.dry_run {
        reporter.finish();
        let shown = DryRun {
            dry_run: true,
            plan: &plan,
        };
        match format {
            Env => ctx.printer.data(&env_lines(&plan.target))?,
            other => ctx.printer.show(&shown, other)?,
        }
        return Ok(Exit::Success);
    }
    let installed = release::install(&http, &request, &plan, &reporter)
        .await
        .map_err(report)?;
    reporter.finish();
    ctx.printer.success(&format!(
        "Istio {} is in {} ({} in {:.1}s)",
        installed.version,
        installed.path.display(),
        if installed.cached {
            "from the cache".to_string()
        } else {
            crate::output::human_bytes(installed.bytes)
        },
        installed.seconds
    ));
    match format {
        Env => ctx.printer.data(&env_lines(&installed.path))?,
        other => ctx.printer.show(&installed, other)?,
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn env_lines_are_quoted_for_eval() {
        assert_eq!(
            env_lines(Path::new("/opt/istio-1.23.6")),
            "export ISTIO_HOME=\"/opt/istio-1.23.6\"\nexport PATH=\"/opt/istio-1.23.6/bin:$PATH\"\n"
        );
        assert_eq!(
            env_lines(Path::new("/a $b/\"c\"")),
            "export ISTIO_HOME=\"/a \\$b/\\\"c\\\"\"\nexport PATH=\"/a \\$b/\\\"c\\\"/bin:$PATH\"\n"
        );
        assert_eq!(
            path_line(Path::new("/opt/istio")),
            "export PATH=\"/opt/istio/bin:$PATH\""
        );
    }
}
