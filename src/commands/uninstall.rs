//! `rigger uninstall`: delete the IstioOperator(s) and let the operator remove the control plane,
//! waiting (through watches) until the components are gone; `--purge` also removes the operator,
//! the IstioOperator CRD and the namespaces.

use std::time::Instant;

use kube::core::GroupVersionKind;
use kube::discovery::ApiResource;
use serde::Serialize;

use crate::cli::{OperatorLocation, OutputFormat, UninstallArgs};
use crate::cluster::delete::{self, Deleted};
use crate::cluster::istio;
use crate::context::Context;
use crate::error::{Exit, UserError};
use crate::istio::iop::IstioOperator;
use crate::istio::iop::profiles::Workload;
use crate::output::{Show, Style};
use crate::progress::Progress;

#[derive(Debug, Serialize)]
pub struct UninstallReport {
    pub deleted: Vec<Deleted>,
}

impl Show for UninstallReport {
    fn human(&self, _: &Style) -> String {
        self.deleted
            .iter()
            .filter(|d| d.existed)
            .map(|d| format!("{} deleted\n", d.reference()))
            .collect()
    }
}

/// Namespaces never deleted, whatever the IstioOperator says.
const PROTECTED: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

pub async fn run(args: &UninstallArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let conn = ctx.connection().await?;
    let started = Instant::now();
    let iops: Vec<IstioOperator> = istio::list_iops(conn, ctx.global.namespace.as_deref())
        .await?
        .iter()
        .map(|o| serde_json::to_value(o).map(|object| IstioOperator { object }))
        .collect::<Result<_, _>>()?;
    let iops: Vec<IstioOperator> = iops
        .into_iter()
        .filter(|i| args.revision.as_deref().is_none_or(|r| r == i.revision()))
        .collect();
    if iops.is_empty() {
        let direct = super::install_direct::installed_objects(conn).await?;
        if !direct.is_empty() {
            let question = format!(
                "Uninstall Istio (a direct install: {} objects{})?",
                direct.len(),
                if args.purge { ", CRDs included" } else { "" }
            );
            if !ctx.printer.confirm_unless_yes(&question, args.yes)? {
                ctx.printer.info("nothing removed");
                return Ok(Exit::Success);
            }
            let reporter = ctx.printer.reporter();
            let deleted =
                super::install_direct::uninstall(conn, direct, args.purge, &reporter).await?;
            reporter.finish();
            ctx.printer.show(&UninstallReport { deleted }, format)?;
            return Ok(Exit::Success);
        }
    }
    if iops.is_empty() && !args.purge {
        ctx.printer
            .info("no IstioOperator found: there is nothing to uninstall");
        return Ok(Exit::Success);
    }
    let names: Vec<String> = iops
        .iter()
        .map(|i| format!("{}/{}", i.namespace(), i.name()))
        .collect();
    let question = match (names.is_empty(), args.purge) {
        (true, _) => {
            "Remove the Istio operator, the IstioOperator CRD and their namespaces?".to_string()
        }
        (false, false) => format!("Uninstall Istio (IstioOperator {})?", names.join(", ")),
        (false, true) => format!(
            "Uninstall Istio (IstioOperator {}) and remove the operator, the IstioOperator CRD and the namespaces?",
            names.join(", ")
        ),
    };
    if !ctx.printer.confirm_unless_yes(&question, args.yes)? {
        ctx.printer.info("nothing removed");
        return Ok(Exit::Success);
    }

    let reporter = ctx.printer.reporter();
    let mut deleted = Vec::new();
    let iop_resource = istio::iop_resource();
    for iop in &iops {
        reporter.step(&format!(
            "deleting IstioOperator {}/{}",
            iop.namespace(),
            iop.name()
        ));
        deleted.push(delete::delete(conn, &iop_resource, Some(iop.namespace()), iop.name()).await?);
    }
    // The operator removes what each IstioOperator created; wait for that through watches.
    let mut remaining = Vec::new();
    for iop in &iops {
        let left = args.timeout.saturating_sub(started.elapsed());
        if !delete::wait_deleted(conn, &iop_resource, Some(iop.namespace()), iop.name(), left)
            .await?
        {
            remaining.push(format!("IstioOperator {}/{}", iop.namespace(), iop.name()));
        }
        for component in iop.components() {
            let (kind, plural) = match component.workload {
                Workload::Deployment => ("Deployment", "deployments"),
                Workload::DaemonSet => ("DaemonSet", "daemonsets"),
                Workload::None => continue,
            };
            reporter.step(&format!(
                "waiting for {} in {} to go",
                component.name, component.namespace
            ));
            let resource = ApiResource::from_gvk_with_plural(
                &GroupVersionKind::gvk("apps", "v1", kind),
                plural,
            );
            let left = args.timeout.saturating_sub(started.elapsed());
            if !delete::wait_deleted(
                conn,
                &resource,
                Some(&component.namespace),
                &component.name,
                left,
            )
            .await?
            {
                remaining.push(format!(
                    "{} {}/{}",
                    kind.to_lowercase(),
                    component.namespace,
                    component.name
                ));
            }
        }
    }
    if !remaining.is_empty() && !args.purge {
        reporter.finish();
        return Err(UserError::failure(format!(
            "timed out after {} waiting for the control plane to go; still there: {}",
            crate::duration::human(args.timeout),
            remaining.join(", ")
        ))
        .with_hint("the operator removes the components; check it runs (`rigger precheck`), or delete everything with `rigger uninstall --purge --yes`")
        .into());
    }
    if !iops.is_empty() {
        reporter.done("the control plane is removed");
    }
    if args.purge {
        let mut namespaces: Vec<String> = iops.iter().map(|i| i.namespace().to_string()).collect();
        let operators = istio::find_operators(conn).await?;
        if operators.is_empty() {
            // No operator Deployment left: still drop the CRD (and any IstioOperator left behind).
            let location = OperatorLocation {
                operator_namespace: crate::istio::operator::DEFAULT_OPERATOR_NAMESPACE.to_string(),
                revision: None,
            };
            deleted
                .extend(super::operator::remove_operator(conn, &location, true, &reporter).await?);
        }
        for op in operators {
            let location = OperatorLocation {
                operator_namespace: op.namespace.clone(),
                revision: Some(op.revision.clone()).filter(|r| !r.is_empty()),
            };
            deleted
                .extend(super::operator::remove_operator(conn, &location, true, &reporter).await?);
            namespaces.extend(op.watched_namespaces);
        }
        namespaces.sort();
        namespaces.dedup();
        for ns in namespaces
            .iter()
            .filter(|ns| !PROTECTED.contains(&ns.as_str()))
        {
            deleted.push(
                delete::delete(conn, &super::operator::namespace_resource(), None, ns).await?,
            );
        }
    }
    reporter.finish();
    ctx.printer.show(&UninstallReport { deleted }, format)?;
    Ok(Exit::Success)
}
