//! Deleting objects by kind and name, tolerating ones that are already gone, and waiting (through a
//! watch) until they have disappeared.

use std::time::Duration;

use kube::api::{Api, DeleteParams, DynamicObject};
use kube::discovery::ApiResource;
use kube::runtime::wait::{await_condition, conditions};

use super::{Connection, KubeResultExt};

/// What deleting one object did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deleted {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    /// False when it did not exist.
    pub existed: bool,
}

impl Deleted {
    /// `deployment/istiod` like kubectl prints it.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

fn api(conn: &Connection, resource: &ApiResource, namespace: Option<&str>) -> Api<DynamicObject> {
    match namespace {
        Some(ns) => Api::namespaced_with(conn.client.clone(), ns, resource),
        None => Api::all_with(conn.client.clone(), resource),
    }
}

/// Deletes one object (background propagation). A missing object is not an error.
pub async fn delete(
    conn: &Connection,
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
) -> anyhow::Result<Deleted> {
    let api = api(conn, resource, namespace);
    let result = api.delete(name, &DeleteParams::background()).await;
    let existed = match result {
        Ok(_) => true,
        Err(kube::Error::Api(status)) if status.code == 404 => false,
        Err(e) => {
            return Err(e).explain_while(&conn.server, || {
                let place = namespace.map(|ns| format!(" in {ns}")).unwrap_or_default();
                format!("deleting {} {name}{place}", resource.kind)
            });
        }
    };
    Ok(Deleted {
        kind: resource.kind.clone(),
        namespace: namespace.map(str::to_string),
        name: name.to_string(),
        existed,
    })
}

/// Waits (through a watch) until the object is gone. Returns false on timeout.
pub async fn wait_deleted(
    conn: &Connection,
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
    timeout: Duration,
) -> anyhow::Result<bool> {
    let api = api(conn, resource, namespace);
    let uid = match api
        .get_opt(name)
        .await
        .explain_while(&conn.server, || format!("reading {} {name}", resource.kind))?
    {
        None => return Ok(true),
        Some(obj) => obj.metadata.uid.unwrap_or_default(),
    };
    let cond = await_condition(api, name, conditions::is_deleted(&uid));
    match tokio::time::timeout(timeout, cond).await {
        Ok(Ok(_)) => Ok(true),
        Ok(Err(e)) => Err(anyhow::anyhow!(e)).map_err(|e| {
            e.context(format!(
                "watching {} {name} while it is deleted",
                resource.kind
            ))
        }),
        Err(_) => Ok(false),
    }
}
