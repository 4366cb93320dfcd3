//! One file per command: typed arguments in, an exit status out. Commands print only through the
//! output layer (`ctx.printer`), and keep domain logic in `istio`, `cluster` and `cloud`.

pub mod completion;
pub mod demo;
pub mod download;
pub mod firewall;
pub mod gateway;
pub mod inject;
pub mod install;
pub mod install_direct;
pub mod kube_inject;
pub mod manifest_generate;
pub mod manifest_template;
pub mod operator;
pub mod precheck;
pub mod uninstall;
pub mod up;
pub mod verify_install;
pub mod verify_sidecars;
pub mod version;

use crate::cli::{Command, ManifestCommand};
use crate::context::Context;
use crate::error::Exit;

pub async fn run(command: &Command, ctx: &Context) -> anyhow::Result<Exit> {
    match command {
        Command::Download(args) => download::run(args, ctx).await,
        Command::Version(args) => version::run(args, ctx).await,
        Command::Up(args) => up::run(args, ctx).await,
        Command::Demo(args) => demo::run(args, ctx).await,
        Command::Inject(args) => inject::run(args, ctx).await,
        Command::VerifySidecars(args) => verify_sidecars::run(args, ctx).await,
        Command::Gateway(args) => gateway::run(args, ctx).await,
        Command::Completion(args) => completion::run(args, ctx),
        Command::Manifest(ManifestCommand::Template(args)) => manifest_template::run(args, ctx),
        Command::Manifest(ManifestCommand::Generate(args)) => {
            manifest_generate::run(args, ctx).await
        }
        Command::Firewall(args) => firewall::run(args, ctx).await,
        Command::Precheck(args) => precheck::run(args, ctx).await,
        Command::Operator(command) => operator::run(command, ctx).await,
        Command::Install(args) => install::run(args, ctx).await,
        Command::VerifyInstall(args) => verify_install::run(args, ctx).await,
        Command::Uninstall(args) => uninstall::run(args, ctx).await,
        Command::KubeInject(args) => kube_inject::run(args, ctx).await,
    }
}
