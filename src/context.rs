//! What every command gets: the global flags, the printer, and a lazily built cluster connection.

use tokio::sync::OnceCell;

use crate::cli::{GlobalArgs, OutputFormat};
use crate::cluster::{ConnectOptions, Connection};
use crate::output::Printer;

pub struct Context {
    pub global: GlobalArgs,
    pub printer: Printer,
    connection: OnceCell<Connection>,
}

impl Context {
    pub fn new(global: GlobalArgs, printer: Printer) -> Self {
        Context {
            global,
            printer,
            connection: OnceCell::new(),
        }
    }

    /// The cluster connection, built on first use from --kubeconfig/--context/KUBECONFIG.
    pub async fn connection(&self) -> anyhow::Result<&Connection> {
        self.connection
            .get_or_try_init(|| async {
                let options = ConnectOptions {
                    kubeconfig: self.global.kubeconfig.clone(),
                    context: self.global.context.clone(),
                    request_timeout: self.global.request_timeout,
                };
                crate::cluster::connect(&options).await
            })
            .await
    }

    /// A kube client for the chosen cluster.
    pub async fn client(&self) -> anyhow::Result<kube::Client> {
        Ok(self.connection().await?.client.clone())
    }

    /// `-n` if given, else the context's namespace, else "default".
    pub async fn namespace(&self) -> anyhow::Result<String> {
        match &self.global.namespace {
            Some(ns) => Ok(ns.clone()),
            None => Ok(self.connection().await?.default_namespace.clone()),
        }
    }

    /// The output format: `-o` when the command supports it, else the command's default.
    pub fn format(
        &self,
        supported: &[OutputFormat],
        default: OutputFormat,
    ) -> anyhow::Result<OutputFormat> {
        crate::output::choose_format(self.global.output, supported, default)
    }
}
