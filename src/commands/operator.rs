//! `rigger operator init|remove`: the in-cluster Istio operator of Istio <= 1.23, created from the
//! objects of its 1.23 chart by server-side apply, and removed again.

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::DynamicObject;
use kube::core::GroupVersionKind;
use kube::discovery::ApiResource;
use serde::Serialize;
use serde_json::Value;

use crate::cli::{
    OperatorCommand, OperatorInitArgs, OperatorLocation, OperatorRemoveArgs, OutputFormat,
};
use crate::cluster::apply::{Applied, Applier, ApplyOptions};
use crate::cluster::delete::{self, Deleted};
use crate::cluster::{Connection, istio, wait};
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::operator::{self, OperatorOptions};
use crate::output::{Show, Style};
use crate::progress::Progress;

pub async fn run(command: &OperatorCommand, ctx: &Context) -> anyhow::Result<Exit> {
    match command {
        OperatorCommand::Init(args) => init(args, ctx).await,
        OperatorCommand::Remove(args) => remove(args, ctx).await,
    }
}

/// The operator options from the command line, checked.
pub fn options_from(args: &OperatorInitArgs) -> anyhow::Result<OperatorOptions> {
    operator::check_operator_tag(&args.tag).map_err(|e| {
        let hint = e.hint();
        anyhow::Error::new(UserError::input(format!("--tag {}: {e}", args.tag)).with_hint(hint))
    })?;
    let watched: Vec<String> = args
        .watched_namespaces
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if watched.is_empty() {
        return Err(UserError::input("--watched-namespaces is empty")
            .with_hint("name at least one namespace, e.g. --watched-namespaces istio-system")
            .into());
    }
    Ok(OperatorOptions {
        hub: args.hub.clone(),
        tag: args.tag.clone(),
        operator_namespace: args.location.operator_namespace.clone(),
        watched_namespaces: watched,
        revision: args.location.revision.clone().filter(|r| !r.is_empty()),
        image_pull_secrets: args.image_pull_secrets.clone(),
    })
}

/// What `operator init` did, for the summary and `-o json`.
#[derive(Debug, Serialize)]
pub struct InitReport {
    pub image: String,
    pub namespace: String,
    pub watched_namespaces: Vec<String>,
    pub applied: Vec<Applied>,
    pub available: bool,
}

impl Show for InitReport {
    fn human(&self, _: &Style) -> String {
        self.applied
            .iter()
            .map(|a| format!("{} {}\n", a.reference(), a.outcome))
            .collect()
    }
}

pub(crate) fn to_dynamic(objects: &[Value]) -> anyhow::Result<Vec<DynamicObject>> {
    objects
        .iter()
        .map(|o| serde_json::from_value(o.clone()).map_err(anyhow::Error::from))
        .collect()
}

/// Applies the operator objects and (with `wait`) waits for the Deployment to be available.
pub async fn install_operator(
    conn: &Connection,
    options: &OperatorOptions,
    wait_for: Option<std::time::Duration>,
    progress: &dyn Progress,
) -> anyhow::Result<InitReport> {
    let objects = to_dynamic(&operator::resources(options))?;
    progress.step(&format!(
        "applying the Istio operator ({})",
        options.image()
    ));
    let applier = Applier::new(conn);
    let apply_options = ApplyOptions {
        force: true,
        dry_run: false,
        default_namespace: options.operator_namespace.clone(),
    };
    let applied = applier
        .apply_all(&objects, &apply_options, None, progress)
        .await?;
    let changed = applied
        .iter()
        .filter(|a| a.outcome != crate::cluster::apply::Outcome::Unchanged)
        .count();
    progress.done(&if changed == 0 {
        "the operator objects are already up to date (no changes)".to_string()
    } else {
        format!("applied the operator objects ({changed} changed)")
    });
    let mut available = false;
    if let Some(timeout) = wait_for {
        progress.step("waiting for the operator Deployment to become available");
        wait::wait_for_rollout::<Deployment>(
            conn,
            &options.operator_namespace,
            &options.resource_name(),
            timeout,
            progress,
        )
        .await?;
        available = true;
        progress.done(&format!(
            "the Istio operator is running in {} and watches {}",
            options.operator_namespace,
            options.watched_namespaces.join(", ")
        ));
    }
    Ok(InitReport {
        image: options.image(),
        namespace: options.operator_namespace.clone(),
        watched_namespaces: options.watched_namespaces.clone(),
        applied,
        available,
    })
}

async fn init(args: &OperatorInitArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let options = options_from(args)?;
    if args.dry_run {
        let format = ctx.format(&[Yaml, Json], Yaml)?;
        let objects = operator::resources(&options);
        match format {
            Json => ctx
                .printer
                .json(&serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects}))?,
            _ => ctx.printer.data(&crate::yaml::to_documents(&objects))?,
        }
        return Ok(Exit::Success);
    }
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let reporter = ctx.printer.reporter();
    let wait_for = (!args.no_wait).then_some(args.timeout);
    let report = install_operator(conn, &options, wait_for, &reporter).await?;
    reporter.finish();
    ctx.printer.show(&report, format)?;
    Ok(Exit::Success)
}

/// The objects `operator init` creates, by kind/namespace/name, in the order to delete them.
fn operator_objects(location: &OperatorLocation) -> Vec<(ApiResource, Option<String>, String)> {
    let options = OperatorOptions {
        operator_namespace: location.operator_namespace.clone(),
        revision: location.revision.clone().filter(|r| !r.is_empty()),
        ..OperatorOptions::default()
    };
    let name = options.resource_name();
    let ns = Some(options.operator_namespace.clone());
    let res = |group: &str, version: &str, kind: &str, plural: &str| {
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural)
    };
    vec![
        (
            res("apps", "v1", "Deployment", "deployments"),
            ns.clone(),
            name.clone(),
        ),
        (
            res("", "v1", "Service", "services"),
            ns.clone(),
            name.clone(),
        ),
        (
            res("", "v1", "ServiceAccount", "serviceaccounts"),
            ns.clone(),
            name.clone(),
        ),
        (
            res(
                "rbac.authorization.k8s.io",
                "v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
            ),
            None,
            name.clone(),
        ),
        (
            res(
                "rbac.authorization.k8s.io",
                "v1",
                "ClusterRole",
                "clusterroles",
            ),
            None,
            name,
        ),
    ]
}

pub(crate) fn crd_resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
        "customresourcedefinitions",
    )
}

pub(crate) fn namespace_resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("", "v1", "Namespace"), "namespaces")
}

#[derive(Debug, Serialize)]
pub struct RemoveReport {
    pub deleted: Vec<Deleted>,
}

impl Show for RemoveReport {
    fn human(&self, _: &Style) -> String {
        self.deleted
            .iter()
            .map(|d| {
                let what = if d.existed { "deleted" } else { "not found" };
                format!("{} {what}\n", d.reference())
            })
            .collect()
    }
}

/// Deletes the operator objects (and with `purge` every IstioOperator and the CRD first).
pub async fn remove_operator(
    conn: &Connection,
    location: &OperatorLocation,
    purge: bool,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<Deleted>> {
    let mut deleted = Vec::new();
    if purge {
        for iop in istio::list_iops(conn, None).await? {
            let ns = iop.metadata.namespace.clone();
            let name = iop.metadata.name.clone().unwrap_or_default();
            progress.step(&format!(
                "deleting IstioOperator {}/{name}",
                ns.clone().unwrap_or_default()
            ));
            deleted.push(delete::delete(conn, &istio::iop_resource(), ns.as_deref(), &name).await?);
        }
    }
    progress.step("deleting the Istio operator");
    for (resource, ns, name) in operator_objects(location) {
        deleted.push(delete::delete(conn, &resource, ns.as_deref(), &name).await?);
    }
    if purge {
        deleted.push(delete::delete(conn, &crd_resource(), None, operator::crd::CRD_NAME).await?);
    }
    deleted.push(
        delete::delete(
            conn,
            &namespace_resource(),
            None,
            &location.operator_namespace,
        )
        .await?,
    );
    progress.done("removed the Istio operator");
    Ok(deleted)
}

async fn remove(args: &OperatorRemoveArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let iops = istio::list_iops(conn, None).await?;
    if !iops.is_empty() && !args.purge {
        let names: Vec<String> = iops
            .iter()
            .map(|o| {
                format!(
                    "{}/{}",
                    o.metadata.namespace.clone().unwrap_or_default(),
                    o.metadata.name.clone().unwrap_or_default()
                )
            })
            .collect();
        return Err(UserError::failure(format!(
            "{} IstioOperator object(s) still exist ({}); without the operator nothing would manage or clean up their control plane",
            names.len(),
            names.join(", ")
        ))
        .with_hint("run `rigger uninstall` first, or pass --purge to delete them (and the control plane) together with the operator")
        .into());
    }
    let question = if args.purge {
        format!(
            "Remove the Istio operator from {}, and delete every IstioOperator (and its control plane) and the IstioOperator CRD?",
            args.location.operator_namespace
        )
    } else {
        format!(
            "Remove the Istio operator and its namespace {}?",
            args.location.operator_namespace
        )
    };
    if !ctx.printer.confirm_unless_yes(&question, args.yes)? {
        ctx.printer.info("nothing removed");
        return Ok(Exit::Success);
    }
    let reporter = ctx.printer.reporter();
    let deleted = remove_operator(conn, &args.location, args.purge, &reporter).await?;
    reporter.finish();
    ctx.printer.show(&RemoveReport { deleted }, format)?;
    Ok(Exit::Success)
}
