//! `rigger version [--remote]`: the client version and git commit; with --remote the Kubernetes server
//! version and the Istio control plane version (from the istiod image tag).

use serde::Serialize;

use crate::cli::{OutputFormat, VersionArgs};
use crate::cluster::KubeResultExt;
use crate::context::Context;
use crate::error::Exit;
use crate::output::{Show, Style};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionReport {
    pub client_version: ClientVersion,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_version: Option<ServerVersion>,
    /// Present with --remote: one entry per istiod Deployment found (empty when Istio is not installed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh_version: Option<Vec<MeshComponent>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientVersion {
    pub version: String,
    pub git_commit: String,
    pub platform: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerVersion {
    pub git_version: String,
    pub major: String,
    pub minor: String,
    pub platform: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshComponent {
    pub component: String,
    pub namespace: String,
    pub revision: String,
    pub version: String,
    pub image: String,
}

pub fn client_version() -> ClientVersion {
    ClientVersion {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: env!("RIGGER_GIT_COMMIT").to_string(),
        platform: format!(
            "{}/{}",
            std::env::consts::OS,
            go_arch(std::env::consts::ARCH)
        ),
    }
}

/// Kubernetes-style architecture names.
fn go_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "arm" => "arm",
        other => other,
    }
}

pub async fn run(args: &VersionArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let mut report = VersionReport {
        client_version: client_version(),
        server_version: None,
        mesh_version: None,
    };
    if args.remote {
        let conn = ctx.connection().await?;
        let info = conn
            .client
            .apiserver_version()
            .await
            .explain_while(&conn.server, || "asking the cluster for its version".into())?;
        report.server_version = Some(ServerVersion {
            git_version: info.git_version,
            major: info.major,
            minor: info.minor,
            platform: info.platform,
        });
        report.mesh_version = Some(mesh_version(conn).await?);
    }
    ctx.printer.show(&report, format)?;
    Ok(Exit::Success)
}

/// istiod Deployments in any namespace, with the tag of their discovery image.
async fn mesh_version(conn: &crate::cluster::Connection) -> anyhow::Result<Vec<MeshComponent>> {
    use k8s_openapi::api::apps::v1::Deployment;
    let api: kube::Api<Deployment> = kube::Api::all(conn.client.clone());
    let list = api
        .list(&kube::api::ListParams::default().labels("app=istiod"))
        .await
        .explain_while(&conn.server, || {
            "looking for the Istio control plane (istiod)".into()
        })?;
    let mut out = Vec::new();
    for deployment in list.items {
        let labels = deployment.metadata.labels.clone().unwrap_or_default();
        let image = deployment
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .and_then(|s| {
                s.containers
                    .iter()
                    .find(|c| c.name == "discovery")
                    .or(s.containers.first())
            })
            .and_then(|c| c.image.clone())
            .unwrap_or_default();
        out.push(MeshComponent {
            component: "istiod".into(),
            namespace: deployment.metadata.namespace.clone().unwrap_or_default(),
            revision: labels
                .get("istio.io/rev")
                .cloned()
                .unwrap_or_else(|| "default".into()),
            version: crate::istio::image_tag(&image)
                .unwrap_or("unknown")
                .to_string(),
            image,
        });
    }
    Ok(out)
}

impl Show for VersionReport {
    fn human(&self, style: &Style) -> String {
        let c = &self.client_version;
        let mut out = format!(
            "{} {} (commit {}, {})\n",
            style.bold("client version:"),
            c.version,
            c.git_commit,
            c.platform
        );
        if let Some(s) = &self.server_version {
            out.push_str(&format!(
                "{} {} ({})\n",
                style.bold("kubernetes version:"),
                s.git_version,
                s.platform
            ));
        }
        if let Some(mesh) = &self.mesh_version {
            if mesh.is_empty() {
                out.push_str(&format!(
                    "{} no Istio control plane found\n",
                    style.bold("istio version:")
                ));
            }
            for m in mesh {
                out.push_str(&format!(
                    "{} {} ({} in {}, revision {})\n",
                    style.bold("istio version:"),
                    m.version,
                    m.component,
                    m.namespace,
                    m.revision
                ));
            }
        }
        out
    }
}
