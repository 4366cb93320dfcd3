//! The Istio operator as the cluster sees it: the IstioOperator kind, the operator Deployments, the
//! IstioOperator objects, and following one IstioOperator's status through a watch.

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DynamicObject, ListParams, WatchEvent, WatchParams};
use kube::core::GroupVersionKind;
use kube::discovery::ApiResource;
use serde::Serialize;
use serde_json::Value;

use super::{Connection, KubeResultExt};
use crate::istio::operator::crd::{CRD_NAME, GROUP, PLURAL, VERSION};

/// The IstioOperator resource (install.istio.io/v1alpha1).
pub fn iop_resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(GROUP, VERSION, "IstioOperator"),
        PLURAL,
    )
}

pub fn iop_api(conn: &Connection, namespace: Option<&str>) -> Api<DynamicObject> {
    match namespace {
        Some(ns) => Api::namespaced_with(conn.client.clone(), ns, &iop_resource()),
        None => Api::all_with(conn.client.clone(), &iop_resource()),
    }
}

/// Whether the IstioOperator CRD is installed.
pub async fn crd_installed(conn: &Connection) -> anyhow::Result<bool> {
    let api: Api<CustomResourceDefinition> = Api::all(conn.client.clone());
    Ok(api
        .get_opt(CRD_NAME)
        .await
        .explain_while(&conn.server, || format!("looking for the {CRD_NAME} CRD"))?
        .is_some())
}

/// An Istio operator Deployment found in the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorDeployment {
    pub namespace: String,
    pub name: String,
    pub image: String,
    /// The image tag (the Istio version it runs).
    pub tag: String,
    pub watched_namespaces: Vec<String>,
    pub revision: String,
    pub available: bool,
}

impl OperatorDeployment {
    pub fn watches(&self, namespace: &str) -> bool {
        self.watched_namespaces.is_empty()
            || self
                .watched_namespaces
                .iter()
                .any(|ns| ns == namespace || ns.is_empty())
    }
}

/// Operator Deployments anywhere in the cluster: a container running an `.../operator:<tag>` image
/// with the operator's `server` command (what `operator init` and `istioctl operator init` create).
pub async fn find_operators(conn: &Connection) -> anyhow::Result<Vec<OperatorDeployment>> {
    let api: Api<Deployment> = Api::all(conn.client.clone());
    let list = api
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || {
            "listing Deployments to find the Istio operator".to_string()
        })?;
    Ok(list.items.iter().filter_map(operator_of).collect())
}

fn operator_of(d: &Deployment) -> Option<OperatorDeployment> {
    let spec = d.spec.as_ref()?.template.spec.as_ref()?;
    let container = spec.containers.iter().find(|c| {
        c.image.as_deref().is_some_and(|i| {
            i.rsplit('/')
                .next()
                .is_some_and(|last| last.starts_with("operator:"))
        }) && (c.name == "istio-operator" || c.command.iter().flatten().any(|a| a == "operator"))
    })?;
    let image = container.image.clone().unwrap_or_default();
    let tag = image
        .rsplit_once(':')
        .map(|(_, t)| t.to_string())
        .unwrap_or_default();
    let env = |name: &str| {
        container
            .env
            .iter()
            .flatten()
            .find(|e| e.name == name)
            .and_then(|e| e.value.clone())
    };
    let watched_namespaces = env("WATCH_NAMESPACE")
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let available = d
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.type_ == "Available" && c.status == "True")
        });
    Some(OperatorDeployment {
        namespace: d.metadata.namespace.clone().unwrap_or_default(),
        name: d.metadata.name.clone().unwrap_or_default(),
        image,
        tag,
        watched_namespaces,
        revision: env("REVISION").unwrap_or_default(),
        available,
    })
}

/// All IstioOperator objects (in one namespace or everywhere). Empty when the CRD is not installed.
pub async fn list_iops(
    conn: &Connection,
    namespace: Option<&str>,
) -> anyhow::Result<Vec<DynamicObject>> {
    match iop_api(conn, namespace).list(&ListParams::default()).await {
        Ok(list) => Ok(list.items),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(Vec::new()),
        Err(e) => Err(e).explain_while(&conn.server, || "listing IstioOperators".to_string()),
    }
}

/// `status.status` of an IstioOperator (NONE, UPDATING, RECONCILING, HEALTHY, ERROR, ACTION_REQUIRED).
pub fn iop_status(obj: &DynamicObject) -> Option<String> {
    obj.data
        .pointer("/status/status")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `status.componentStatus` as (component, status, error) triples, sorted by component.
pub fn component_statuses(obj: &DynamicObject) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<(String, String, Option<String>)> = obj
        .data
        .pointer("/status/componentStatus")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.get("status")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        v.get("error")
                            .and_then(Value::as_str)
                            .filter(|e| !e.is_empty())
                            .map(str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The message the operator left in the status, if any.
pub fn iop_message(obj: &DynamicObject) -> Option<String> {
    obj.data
        .pointer("/status/message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
}

/// Follows one IstioOperator through a watch starting after `resource_version` and calls `on_change`
/// with every new version of it; stops when `on_change` returns true. Re-opens the watch where it left
/// off when the server closes it; after a 410 (history gone) it reads the object once and carries on.
/// Returns the object that made `on_change` stop. No polling: between changes nothing is requested.
pub async fn follow_iop(
    conn: &Connection,
    namespace: &str,
    name: &str,
    resource_version: String,
    mut on_change: impl FnMut(&DynamicObject) -> bool,
) -> anyhow::Result<DynamicObject> {
    let api = iop_api(conn, Some(namespace));
    let mut rv = resource_version;
    loop {
        let params = WatchParams::default()
            .fields(&format!("metadata.name={name}"))
            .timeout(290);
        let stream = api
            .watch(&params, &rv)
            .await
            .explain_while(&conn.server, || {
                format!("watching IstioOperator {namespace}/{name}")
            })?;
        let mut stream = stream.boxed();
        let mut gone = false;
        while let Some(event) = stream.try_next().await.explain_while(&conn.server, || {
            format!("watching IstioOperator {namespace}/{name}")
        })? {
            match event {
                WatchEvent::Added(obj) | WatchEvent::Modified(obj) => {
                    if let Some(v) = &obj.metadata.resource_version {
                        rv = v.clone();
                    }
                    if on_change(&obj) {
                        return Ok(obj);
                    }
                }
                WatchEvent::Deleted(_) => {
                    return Err(crate::error::UserError::failure(format!(
                        "the IstioOperator {namespace}/{name} was deleted while rigger was waiting for it"
                    ))
                    .into());
                }
                WatchEvent::Bookmark(b) => rv = b.metadata.resource_version,
                WatchEvent::Error(e) if e.code == 410 => {
                    gone = true;
                    break;
                }
                WatchEvent::Error(e) => {
                    return Err(kube::Error::Api(e)).explain_while(&conn.server, || {
                        format!("watching IstioOperator {namespace}/{name}")
                    });
                }
            }
        }
        if gone {
            let obj = api.get(name).await.explain_while(&conn.server, || {
                format!("reading IstioOperator {namespace}/{name}")
            })?;
            rv = obj.metadata.resource_version.clone().unwrap_or_default();
            if on_change(&obj) {
                return Ok(obj);
            }
        }
    }
}
