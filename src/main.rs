//! Entry point: parse arguments, set up output and logging, run the command, turn the result into an
//! exit code. The only place that exits.

use std::process::ExitCode;

use clap::Parser;
use rigger::cli::Cli;
use rigger::context::Context;
use rigger::error::{self, Exit};
use rigger::output::Printer;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; clap decides the stream and code.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                0
            });
        }
    };
    // One TLS stack for kube and reqwest: rustls with ring.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let printer = Printer::new(&cli.global);
    init_logging(cli.global.verbose, printer.stderr_style().enabled);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            printer.error(&error::render(
                &anyhow::Error::new(e).context("starting the async runtime"),
            ));
            return ExitCode::from(Exit::Failure.code());
        }
    };
    let ctx = Context::new(cli.global.clone(), printer.clone());
    let outcome = runtime.block_on(async {
        tokio::select! {
            result = rigger::commands::run(&cli.command, &ctx) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    // Dropping the runtime cancels leftover tasks; their guards clean up temporary files.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Some(Ok(exit)) => ExitCode::from(exit.code()),
        Some(Err(e)) if error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Some(Err(e)) => {
            let rendered = error::render(&e);
            printer.error(&rendered);
            ExitCode::from(rendered.exit.code())
        }
        None => {
            printer.warn("interrupted; nothing half-done was left behind");
            ExitCode::from(Exit::Interrupted.code())
        }
    }
}

/// `-v` logs rigger's own debug lines, `-vv` adds the Kubernetes client's. Request headers (and so
/// tokens) are never logged: the HTTP libraries stay at warn level whatever the verbosity.
fn init_logging(verbose: u8, ansi: bool) {
    let filter = match verbose {
        0 => "warn",
        1 => "warn,rigger=debug,kubesim=info",
        _ => "warn,rigger=trace,kubesim=debug,kube_client=debug,kube_runtime=debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(verbose > 1)
        .without_time()
        .try_init();
}
