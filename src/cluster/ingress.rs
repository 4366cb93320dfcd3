//! Reading the ingress gateway Service and the Nodes, then resolving where it answers
//! (see `istio::ingress` for the rules).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Node, Service};
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, watcher};

use super::{Connection, KubeResultExt};
use crate::error::UserError;
use crate::istio::ingress::{self, IngressAddress};

/// Resolves the address of the gateway Service `namespace/name`.
pub async fn lookup(
    conn: &Connection,
    namespace: &str,
    name: &str,
    port_name: &str,
) -> anyhow::Result<IngressAddress> {
    let service = get_service(conn, namespace, name).await?;
    resolve(conn, &service, port_name).await
}

async fn get_service(conn: &Connection, namespace: &str, name: &str) -> anyhow::Result<Service> {
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    api.get_opt(name)
        .await
        .explain_while(&conn.server, || format!("reading service {namespace}/{name}"))?
        .ok_or_else(|| {
            UserError::failure(format!("the ingress gateway service {namespace}/{name} does not exist"))
                .with_hint("install Istio with an ingress gateway (`rigger install`), or point --service/-n at yours")
                .into()
        })
}

async fn resolve(
    conn: &Connection,
    service: &Service,
    port_name: &str,
) -> anyhow::Result<IngressAddress> {
    // Nodes are only needed without a load balancer address; skip the list otherwise.
    let needs_nodes = ingress::resolve(service, &[], port_name).is_err();
    let nodes = if needs_nodes {
        list_nodes(conn).await?
    } else {
        Vec::new()
    };
    ingress::resolve(service, &nodes, port_name).map_err(|e| UserError::failure(e).into())
}

/// Every Node (one list call).
pub async fn list_nodes(conn: &Connection) -> anyhow::Result<Vec<Node>> {
    let api: Api<Node> = Api::all(conn.client.clone());
    Ok(api
        .list(&ListParams::default())
        .await
        .explain_while(&conn.server, || "listing the cluster's nodes".into())?
        .items)
}

/// Like [`lookup`], but first waits (through a watch) up to `timeout` for a pending load balancer to
/// get an address. Falls back to the NodePort address when it never does. The wait counts from the
/// Service's creation: a load balancer still pending long after it was created (a cluster without a
/// load-balancer controller) is not waited for again.
pub async fn wait_for_address(
    conn: &Connection,
    namespace: &str,
    name: &str,
    port_name: &str,
    timeout: Duration,
    progress: &dyn crate::progress::Progress,
) -> anyhow::Result<IngressAddress> {
    let service = get_service(conn, namespace, name).await?;
    let first = resolve(conn, &service, port_name).await?;
    let age = service
        .metadata
        .creation_timestamp
        .as_ref()
        .and_then(|t| {
            k8s_openapi::jiff::Timestamp::now()
                .duration_since(t.0)
                .try_into()
                .ok()
        })
        .unwrap_or(Duration::ZERO);
    let timeout = timeout.saturating_sub(age);
    if !first.load_balancer_pending || timeout.is_zero() {
        return Ok(first);
    }
    progress.step(&format!(
        "waiting for the load balancer of {namespace}/{name} to get an address"
    ));
    let api: Api<Service> = Api::namespaced(conn.client.clone(), namespace);
    let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let watch = async {
        let mut stream = watcher(api, config)
            .default_backoff()
            .applied_objects()
            .boxed();
        while let Some(service) = stream.try_next().await? {
            let address = resolve(conn, &service, port_name).await?;
            if !address.load_balancer_pending {
                return Ok::<_, anyhow::Error>(Some(address));
            }
        }
        Ok(None)
    };
    match tokio::time::timeout(timeout, watch).await {
        Ok(Ok(Some(address))) => Ok(address),
        Ok(Err(e)) => Err(e),
        Ok(Ok(None)) | Err(_) => {
            progress.warn(&format!(
                "the load balancer of {namespace}/{name} has no address after {}; using a node address and the NodePort",
                crate::duration::human(timeout)
            ));
            lookup(conn, namespace, name, port_name).await
        }
    }
}
