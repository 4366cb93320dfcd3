//! `rigger verify-install`: everything the IstioOperator asks for exists and is healthy —
//! Deployments available and up to date, DaemonSets scheduled, Services with endpoints, CRDs
//! established, the injector webhook present and pointing at a live istiod. Checklist or JSON; exit 3
//! when something is missing.

use k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{Endpoints, Pod, Service};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ListParams};

use crate::cli::{OutputFormat, VerifyInstallArgs};
use crate::cluster::wait::{Workload, explain_pods, label_selector};
use crate::cluster::{Connection, istio};
use crate::context::Context;
use crate::error::Exit;
use crate::istio::iop::profiles::{Component, Workload as ComponentWorkload};
use crate::istio::iop::{Input, IstioOperator};
use crate::output::checklist::{Check, Checklist};

pub async fn run(args: &VerifyInstallArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    let from_file = if args.files.is_empty() {
        None
    } else {
        Some(super::install::build_input(&Input {
            files: super::install::read_files(&args.files)?,
            namespace: ctx.global.namespace.clone(),
            ..Input::default()
        })?)
    };
    let conn = ctx.connection().await?;
    let checks = verify(
        conn,
        from_file,
        ctx.global.namespace.as_deref(),
        args.revision.as_deref(),
    )
    .await?;
    let list = Checklist::new(checks);
    ctx.printer.show(&list, format)?;
    Ok(if list.success {
        Exit::Success
    } else {
        Exit::ChecksFailed
    })
}

/// All checks for the IstioOperators in scope.
pub async fn verify(
    conn: &Connection,
    from_file: Option<IstioOperator>,
    namespace: Option<&str>,
    revision: Option<&str>,
) -> anyhow::Result<Vec<Check>> {
    let mut checks = Vec::new();
    let mut iops: Vec<IstioOperator> = match from_file {
        Some(iop) => {
            let live = istio::iop_api(conn, Some(iop.namespace()))
                .get_opt(iop.name())
                .await
                .ok()
                .flatten();
            let category = format!("IstioOperator {}/{}", iop.namespace(), iop.name());
            checks.push(match live {
                Some(obj) => status_check(&category, &obj),
                None => Check::failed(
                    &category,
                    "the IstioOperator is applied",
                    "not found in the cluster",
                )
                .with_hint("apply it with `rigger install -f FILE`"),
            });
            vec![iop]
        }
        None => {
            let found = istio::list_iops(conn, namespace).await?;
            let mut out = Vec::new();
            for obj in found {
                let iop = IstioOperator {
                    object: serde_json::to_value(&obj)?,
                };
                let category = format!("IstioOperator {}/{}", iop.namespace(), iop.name());
                if revision.is_none_or(|r| r == iop.revision()) {
                    checks.push(status_check(&category, &obj));
                    out.push(iop);
                }
            }
            out
        }
    };
    if let Some(rev) = revision {
        iops.retain(|i| i.revision() == rev);
    }
    if iops.is_empty() {
        let direct = super::install_direct::installed_objects(conn).await?;
        if !direct.is_empty() {
            checks.extend(super::install_direct::verify(conn, &direct).await?);
            return Ok(checks);
        }
        checks.push(
            Check::failed(
                "istio",
                "an IstioOperator is installed",
                "no IstioOperator found",
            )
            .with_hint(
                "install Istio with `rigger install -f FILE` (after `rigger operator init`)",
            ),
        );
        return Ok(checks);
    }
    for iop in &iops {
        let category = format!("IstioOperator {}/{}", iop.namespace(), iop.name());
        for component in iop.components() {
            checks.extend(component_checks(conn, &category, iop, &component).await);
        }
    }
    Ok(checks)
}

fn status_check(category: &str, obj: &kube::api::DynamicObject) -> Check {
    let status = istio::iop_status(obj).unwrap_or_else(|| "NONE".into());
    if status == "HEALTHY" {
        return Check::ok(category, "the operator reports the installation HEALTHY");
    }
    let mut detail = format!("status {status}");
    if let Some(m) = istio::iop_message(obj) {
        detail.push_str(&format!(": {m}"));
    }
    for (c, s, e) in istio::component_statuses(obj) {
        if s != "HEALTHY" {
            detail.push_str(&format!(
                "\n{c} {s}{}",
                e.map(|e| format!(": {e}")).unwrap_or_default()
            ));
        }
    }
    Check::failed(
        category,
        "the operator reports the installation HEALTHY",
        detail,
    )
    .with_hint(
        "`rigger install` with the same input follows the operator and explains what is not ready",
    )
}

async fn component_checks(
    conn: &Connection,
    category: &str,
    iop: &IstioOperator,
    component: &Component,
) -> Vec<Check> {
    let (ns, name) = (component.namespace.as_str(), component.name.as_str());
    let mut out = Vec::new();
    match component.workload {
        ComponentWorkload::None if component.status_key == "Base" => {
            out.push(crd_check(conn, category).await)
        }
        ComponentWorkload::None => {}
        ComponentWorkload::Deployment => {
            let api: Api<Deployment> = Api::namespaced(conn.client.clone(), ns);
            let what = format!("deployment {ns}/{name} is available and up to date");
            out.push(match api.get_opt(name).await {
                Ok(Some(d)) => {
                    rollout_check(
                        conn,
                        category,
                        &what,
                        ns,
                        d.rollout(),
                        d.selector().map(label_selector),
                    )
                    .await
                }
                Ok(None) => Check::failed(category, what, "not found"),
                Err(e) => Check::failed(
                    category,
                    what,
                    crate::cluster::explain(e, &conn.server).to_string(),
                ),
            });
        }
        ComponentWorkload::DaemonSet => {
            let api: Api<DaemonSet> = Api::namespaced(conn.client.clone(), ns);
            let what = format!("daemonset {ns}/{name} is scheduled and available");
            out.push(match api.get_opt(name).await {
                Ok(Some(d)) => {
                    rollout_check(
                        conn,
                        category,
                        &what,
                        ns,
                        d.rollout(),
                        d.selector().map(label_selector),
                    )
                    .await
                }
                Ok(None) => Check::failed(category, what, "not found"),
                Err(e) => Check::failed(
                    category,
                    what,
                    crate::cluster::explain(e, &conn.server).to_string(),
                ),
            });
        }
    }
    if component.service {
        out.push(service_check(conn, category, ns, name).await);
    }
    if component.status_key == "Pilot" {
        out.push(webhook_check(conn, category, iop.revision()).await);
    }
    out
}

async fn rollout_check(
    conn: &Connection,
    category: &str,
    what: &str,
    ns: &str,
    state: crate::cluster::wait::Rollout,
    selector: Option<String>,
) -> Check {
    if state.done {
        return Check::ok(category, what).with_detail(state.message);
    }
    let mut detail = state.message;
    if let Some(selector) = selector
        && let Ok(lines) = explain_pods(conn, ns, &selector).await
    {
        for line in lines {
            detail.push_str(&format!("\n{line}"));
        }
    }
    Check::failed(category, what, detail)
}

/// A Service exists and has ready endpoints (from its Endpoints, else from Ready pods it selects).
async fn service_check(conn: &Connection, category: &str, ns: &str, name: &str) -> Check {
    let what = format!("service {ns}/{name} has endpoints");
    let services: Api<Service> = Api::namespaced(conn.client.clone(), ns);
    let service = match services.get_opt(name).await {
        Ok(Some(s)) => s,
        Ok(None) => return Check::failed(category, what, "the service does not exist"),
        Err(e) => {
            return Check::failed(
                category,
                what,
                crate::cluster::explain(e, &conn.server).to_string(),
            );
        }
    };
    let endpoints: Api<Endpoints> = Api::namespaced(conn.client.clone(), ns);
    if let Ok(Some(ep)) = endpoints.get_opt(name).await {
        let ready: usize = ep
            .subsets
            .iter()
            .flatten()
            .map(|s| s.addresses.as_ref().map_or(0, Vec::len))
            .sum();
        if ready > 0 {
            return Check::ok(category, what).with_detail(format!("{ready} ready address(es)"));
        }
    }
    let selector = service
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    if selector.is_empty() {
        return Check::failed(category, what, "the service selects no pods");
    }
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), ns);
    let ready = pods
        .list(&ListParams::default().labels(&selector))
        .await
        .map(|l| {
            l.items
                .iter()
                .filter(|p| crate::cluster::wait::pod_problem(p).is_none() && p.status.is_some())
                .count()
        })
        .unwrap_or(0);
    if ready > 0 {
        Check::ok(category, what).with_detail(format!("{ready} ready pod(s) behind it"))
    } else {
        Check::failed(
            category,
            what,
            format!("no ready pod matches its selector {selector}"),
        )
    }
}

/// The Istio CRDs (other than IstioOperator) exist and are Established.
async fn crd_check(conn: &Connection, category: &str) -> Check {
    let what = "the Istio CRDs are established";
    let api: Api<CustomResourceDefinition> = Api::all(conn.client.clone());
    let list = match api.list(&ListParams::default()).await {
        Ok(l) => l.items,
        Err(e) => {
            return Check::failed(
                category,
                what,
                crate::cluster::explain(e, &conn.server).to_string(),
            );
        }
    };
    let istio: Vec<&CustomResourceDefinition> = list
        .iter()
        .filter(|c| c.spec.group.ends_with("istio.io") && c.spec.group != "install.istio.io")
        .collect();
    if istio.is_empty() {
        return Check::failed(
            category,
            what,
            "no Istio CRDs (networking.istio.io, security.istio.io, ...) exist",
        );
    }
    let not_established: Vec<String> = istio
        .iter()
        .filter(|c| {
            !c.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| {
                    cs.iter()
                        .any(|x| x.type_ == "Established" && x.status == "True")
                })
        })
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    if not_established.is_empty() {
        Check::ok(category, what).with_detail(format!("{} CRDs", istio.len()))
    } else {
        Check::failed(
            category,
            what,
            format!("not established: {}", not_established.join(", ")),
        )
    }
}

/// The sidecar injector webhook exists and its service is a live istiod.
async fn webhook_check(conn: &Connection, category: &str, revision: &str) -> Check {
    let name = if revision.is_empty() {
        "istio-sidecar-injector".to_string()
    } else {
        format!("istio-sidecar-injector-{revision}")
    };
    let what = format!("the injector webhook {name} points at a live istiod");
    let api: Api<MutatingWebhookConfiguration> = Api::all(conn.client.clone());
    let config = match api.get_opt(&name).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Check::failed(
                category,
                what,
                "the MutatingWebhookConfiguration does not exist",
            );
        }
        Err(e) => {
            return Check::failed(
                category,
                what,
                crate::cluster::explain(e, &conn.server).to_string(),
            );
        }
    };
    let target = config.webhooks.iter().flatten().find_map(|w| {
        w.client_config
            .service
            .as_ref()
            .map(|s| (s.namespace.clone(), s.name.clone()))
    });
    let Some((ns, svc)) = target else {
        return Check::failed(category, what, "its webhooks name no service");
    };
    let service = service_check(conn, category, &ns, &svc).await;
    match service.status {
        crate::output::checklist::CheckStatus::Ok => {
            Check::ok(category, what).with_detail(format!("service {ns}/{svc}"))
        }
        _ => Check::failed(
            category,
            what,
            format!("service {ns}/{svc}: {}", service.detail.unwrap_or_default()),
        ),
    }
}
