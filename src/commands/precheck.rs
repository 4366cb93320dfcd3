//! `rigger precheck`: is this cluster ready for Istio through the operator? Reachability, the
//! Kubernetes version, every permission rigger uses (SelfSubjectAccessReview), what Istio is already
//! there, and Ready nodes; a checklist (or JSON) and exit code 3 when a check fails.

use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, ListParams, PostParams};

use crate::cli::{OutputFormat, PrecheckArgs};
use crate::cluster::{Connection, istio};
use crate::context::Context;
use crate::error::Exit;
use crate::output::checklist::{Check, Checklist};

const API: &str = "kubernetes-api";
const VERSION: &str = "kubernetes-version";
const PERMISSIONS: &str = "permissions";
const ISTIO: &str = "istio";
const NODES: &str = "nodes";

/// The oldest Kubernetes minor version Istio 1.23 supports.
const MIN_MINOR: u32 = 27;

/// One permission rigger uses: verb, API group, resource (with subresource), namespace.
pub struct Permission {
    pub verb: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
    pub subresource: Option<&'static str>,
    pub namespace: Option<&'static str>,
}

const fn perm(
    verb: &'static str,
    group: &'static str,
    resource: &'static str,
    namespace: Option<&'static str>,
) -> Permission {
    Permission {
        verb,
        group,
        resource,
        subresource: None,
        namespace,
    }
}

/// Cluster-wide objects every install path creates (first in the checklist).
const CLUSTER_OBJECTS: &[Permission] = &[
    perm("create", "", "namespaces", None),
    perm(
        "create",
        "apiextensions.k8s.io",
        "customresourcedefinitions",
        None,
    ),
    perm("create", "rbac.authorization.k8s.io", "clusterroles", None),
    perm(
        "create",
        "rbac.authorization.k8s.io",
        "clusterrolebindings",
        None,
    ),
];

/// What every path reads while it waits and explains (after the path's own objects).
const WAIT_READS: &[Permission] = &[
    perm("list", "", "pods", None),
    perm("list", "", "events", None),
    perm("list", "", "nodes", None),
];

/// What `operator init`, `install`, `verify-install` and `uninstall` do beyond the shared parts:
/// the operator's objects and the IstioOperator (before [`WAIT_READS`]), and the operator's log
/// and webhooks (after them).
const OPERATOR_OBJECTS: &[Permission] = &[
    perm("create", "", "serviceaccounts", Some("istio-operator")),
    perm("create", "", "services", Some("istio-operator")),
    perm("create", "apps", "deployments", Some("istio-operator")),
    perm(
        "create",
        "install.istio.io",
        "istiooperators",
        Some("istio-system"),
    ),
    perm(
        "patch",
        "install.istio.io",
        "istiooperators",
        Some("istio-system"),
    ),
    perm(
        "watch",
        "install.istio.io",
        "istiooperators",
        Some("istio-system"),
    ),
    perm(
        "delete",
        "install.istio.io",
        "istiooperators",
        Some("istio-system"),
    ),
    perm("list", "apps", "deployments", None),
];
const OPERATOR_READS: &[Permission] = &[
    Permission {
        verb: "get",
        group: "",
        resource: "pods",
        subresource: Some("log"),
        namespace: Some("istio-operator"),
    },
    perm(
        "list",
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        None,
    ),
];

/// What the direct install of Istio 1.24+ (no operator) does beyond the shared parts: the
/// charts' objects in the control plane's namespace and cluster-wide, and the watches and prune.
const DIRECT_OBJECTS: &[Permission] = &[
    perm(
        "create",
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        None,
    ),
    perm(
        "create",
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        None,
    ),
    perm("create", "", "serviceaccounts", Some("istio-system")),
    perm("create", "", "services", Some("istio-system")),
    perm("create", "", "configmaps", Some("istio-system")),
    perm("create", "apps", "deployments", Some("istio-system")),
    perm(
        "create",
        "rbac.authorization.k8s.io",
        "roles",
        Some("istio-system"),
    ),
    perm(
        "create",
        "rbac.authorization.k8s.io",
        "rolebindings",
        Some("istio-system"),
    ),
    perm("delete", "apps", "deployments", Some("istio-system")),
    perm("watch", "apps", "deployments", None),
];

/// Which install path the checks are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallPath {
    /// The in-cluster operator (Istio 1.23 and older).
    Operator,
    /// Rendering the release's charts (Istio 1.24+).
    Direct,
}

impl InstallPath {
    /// Every permission the path uses, in checklist order.
    pub fn needed(self) -> Vec<&'static Permission> {
        let parts: [&'static [Permission]; 4] = match self {
            InstallPath::Operator => [
                CLUSTER_OBJECTS,
                OPERATOR_OBJECTS,
                WAIT_READS,
                OPERATOR_READS,
            ],
            InstallPath::Direct => [CLUSTER_OBJECTS, DIRECT_OBJECTS, WAIT_READS, &[]],
        };
        parts.into_iter().flatten().collect()
    }
}

impl Permission {
    pub fn describe(&self) -> String {
        let resource = match self.subresource {
            Some(sub) => format!("{}/{sub}", self.resource),
            None => self.resource.to_string(),
        };
        let group = if self.group.is_empty() {
            String::new()
        } else {
            format!(".{}", self.group)
        };
        let place = self
            .namespace
            .map(|ns| format!(" in namespace {ns}"))
            .unwrap_or_else(|| " cluster-wide".to_string());
        format!("can {} {resource}{group}{place}", self.verb)
    }
}

pub async fn run(args: &PrecheckArgs, ctx: &Context) -> anyhow::Result<Exit> {
    use OutputFormat::*;
    let format = ctx.format(&[Text, Json, Yaml], Text)?;
    // Newer than the last operator release: the direct install's permissions.
    let path = match &args.istio_version {
        Some(v) if super::install::is_direct_version(v) => InstallPath::Direct,
        _ => InstallPath::Operator,
    };
    let checks = match ctx.connection().await {
        Err(e) => vec![
            Check::failed(API, "can reach the cluster", crate::error::render(&e).error)
                .with_hint("check --kubeconfig/--context and that the API server is up"),
        ],
        Ok(conn) => checks_for(conn, path).await,
    };
    let list = Checklist::new(checks);
    ctx.printer.show(&list, format)?;
    Ok(if list.success {
        Exit::Success
    } else {
        Exit::ChecksFailed
    })
}

/// Every check, with the permissions of the given install path.
pub async fn checks_for(conn: &Connection, path: InstallPath) -> Vec<Check> {
    let mut out = Vec::new();
    match conn.client.apiserver_version().await {
        Err(e) => {
            out.push(
                Check::failed(
                    API,
                    "can query the Kubernetes API",
                    crate::cluster::explain(e, &conn.server).to_string(),
                )
                .with_hint("check that the API server is reachable and your credentials are valid"),
            );
            return out; // fatal: nothing else can work
        }
        Ok(info) => {
            out.push(Check::ok(
                API,
                format!("can query the Kubernetes API at {}", conn.server),
            ));
            let minor: u32 = info.minor.trim_end_matches('+').parse().unwrap_or(0);
            let version = format!("{}.{}", info.major, info.minor);
            if info.major == "1" && minor < MIN_MINOR {
                out.push(
                    Check::failed(VERSION, "is running a supported Kubernetes version", format!("Kubernetes {version} is older than 1.{MIN_MINOR}, the oldest Istio 1.23 supports"))
                        .with_hint("upgrade the cluster"),
                );
            } else {
                out.push(
                    Check::ok(VERSION, "is running a supported Kubernetes version")
                        .with_detail(format!("Kubernetes {version} ({})", info.git_version)),
                );
            }
        }
    }

    out.extend(permission_checks(conn, &path.needed()).await);
    out.extend(istio_checks(conn).await);
    out.push(node_check(conn).await);
    out
}

async fn permission_checks(conn: &Connection, needed: &[&'static Permission]) -> Vec<Check> {
    let api: Api<SelfSubjectAccessReview> = Api::all(conn.client.clone());
    let reviews = needed.iter().map(|p| {
        let api = api.clone();
        async move {
            let review = SelfSubjectAccessReview {
                spec: SelfSubjectAccessReviewSpec {
                    resource_attributes: Some(ResourceAttributes {
                        verb: Some(p.verb.to_string()),
                        group: Some(p.group.to_string()),
                        resource: Some(p.resource.to_string()),
                        subresource: p.subresource.map(str::to_string),
                        namespace: p.namespace.map(str::to_string),
                        ..ResourceAttributes::default()
                    }),
                    ..SelfSubjectAccessReviewSpec::default()
                },
                ..SelfSubjectAccessReview::default()
            };
            (p, api.create(&PostParams::default(), &review).await)
        }
    });
    let mut denied = Vec::new();
    let mut out = Vec::new();
    for (p, result) in join_all(reviews).await {
        match result {
            Ok(r) => {
                let status = r.status.unwrap_or_default();
                if status.allowed {
                    out.push(Check::ok(PERMISSIONS, p.describe()));
                } else {
                    let why = status
                        .reason
                        .filter(|r| !r.is_empty())
                        .unwrap_or_else(|| "not allowed".to_string());
                    denied.push(p.describe());
                    out.push(Check::failed(
                        PERMISSIONS,
                        p.describe(),
                        format!("denied: {why}"),
                    ));
                }
            }
            Err(e) => out.push(Check::failed(
                PERMISSIONS,
                p.describe(),
                format!(
                    "could not ask the cluster: {}",
                    crate::cluster::explain(e, &conn.server)
                ),
            )),
        }
    }
    if !denied.is_empty()
        && let Some(last) = out
            .iter_mut()
            .rev()
            .find(|c| c.detail.as_deref().is_some_and(|d| d.starts_with("denied")))
    {
        last.hint = Some(format!(
            "rigger needs {} more permission(s) to install Istio through the operator; ask a cluster administrator for them (for example a ClusterRoleBinding to cluster-admin) or use a context that has them",
            denied.len()
        ));
    }
    out
}

async fn istio_checks(conn: &Connection) -> Vec<Check> {
    let mut out = Vec::new();
    match istio::find_operators(conn).await {
        Err(e) => out.push(Check::warning(
            ISTIO,
            "can look for an existing Istio operator",
            crate::error::render(&e).error,
        )),
        Ok(ops) if ops.is_empty() => out.push(
            Check::ok(ISTIO, "no Istio operator is installed yet")
                .with_hint("`rigger operator init` installs one"),
        ),
        Ok(ops) => {
            for op in ops {
                let state = if op.available {
                    "available"
                } else {
                    "not available"
                };
                let check = Check::ok(
                    ISTIO,
                    format!("Istio operator {} found in {}", op.tag, op.namespace),
                )
                .with_detail(format!(
                    "deployment {}/{} ({state}), watching {}",
                    op.namespace,
                    op.name,
                    op.watched_namespaces.join(",")
                ));
                out.push(if op.available {
                    check
                } else {
                    Check { status: crate::output::checklist::CheckStatus::Warning, ..check }
                        .with_hint(format!("`rigger operator init` explains why it is not available; or `kubectl describe pods -n {}`", op.namespace))
                });
            }
        }
    }
    match istio::list_iops(conn, None).await {
        Err(e) => out.push(Check::warning(
            ISTIO,
            "can list IstioOperators",
            crate::error::render(&e).error,
        )),
        Ok(iops) if iops.is_empty() => {
            out.push(Check::ok(ISTIO, "no IstioOperator is installed yet"))
        }
        Ok(iops) => {
            for obj in iops {
                out.push(
                    Check::ok(
                        ISTIO,
                        format!(
                            "IstioOperator {}/{} exists",
                            obj.metadata.namespace.clone().unwrap_or_default(),
                            obj.metadata.name.clone().unwrap_or_default()
                        ),
                    )
                    .with_detail(format!(
                        "status {}",
                        istio::iop_status(&obj).unwrap_or_else(|| "NONE".into())
                    )),
                );
            }
        }
    }
    let deployments: Api<Deployment> = Api::all(conn.client.clone());
    if let Ok(list) = deployments
        .list(&ListParams::default().labels("app=istiod"))
        .await
    {
        for d in list.items {
            let image = d
                .spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.clone())
                .unwrap_or_default();
            let version = image.rsplit_once(':').map(|(_, t)| t).unwrap_or("unknown");
            out.push(
                Check::ok(
                    ISTIO,
                    format!(
                        "an Istio {version} control plane runs in {}",
                        d.metadata.namespace.clone().unwrap_or_default()
                    ),
                )
                .with_detail(format!(
                    "deployment {}",
                    d.metadata.name.clone().unwrap_or_default()
                )),
            );
        }
    }
    out
}

async fn node_check(conn: &Connection) -> Check {
    let nodes: Api<Node> = Api::all(conn.client.clone());
    match nodes.list(&ListParams::default()).await {
        Err(e) => Check::warning(
            NODES,
            "nodes are Ready",
            crate::cluster::explain(e, &conn.server).to_string(),
        ),
        Ok(list) => {
            let total = list.items.len();
            let not_ready: Vec<String> = list
                .items
                .iter()
                .filter(|n| {
                    !n.status
                        .as_ref()
                        .and_then(|s| s.conditions.as_ref())
                        .is_some_and(|cs| {
                            cs.iter().any(|c| c.type_ == "Ready" && c.status == "True")
                        })
                })
                .filter_map(|n| n.metadata.name.clone())
                .collect();
            let ready = total - not_ready.len();
            if ready == 0 {
                Check::failed(
                    NODES,
                    "nodes are Ready",
                    format!("none of {total} node(s) is Ready"),
                )
                .with_hint(
                    "Istio's pods cannot start without a Ready node; check `kubectl get nodes`",
                )
            } else if !not_ready.is_empty() {
                Check::warning(
                    NODES,
                    "nodes are Ready",
                    format!(
                        "{ready} of {total} nodes Ready; not Ready: {}",
                        not_ready.join(", ")
                    ),
                )
            } else {
                Check::ok(NODES, "nodes are Ready").with_detail(format!("{total} node(s) Ready"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(path: InstallPath) -> Vec<String> {
        path.needed().iter().map(|p| p.describe()).collect()
    }

    #[test]
    fn each_path_asks_once_for_what_it_uses() {
        for path in [InstallPath::Operator, InstallPath::Direct] {
            let all = described(path);
            let unique: std::collections::BTreeSet<&String> = all.iter().collect();
            assert_eq!(unique.len(), all.len(), "{path:?} asks twice: {all:?}");
            assert_eq!(all[0], "can create namespaces cluster-wide");
        }
        let operator = described(InstallPath::Operator);
        assert!(operator.iter().any(|p| p.contains("istiooperators")));
        assert_eq!(
            operator.last().unwrap(),
            "can list mutatingwebhookconfigurations.admissionregistration.k8s.io cluster-wide"
        );
        let direct = described(InstallPath::Direct);
        assert!(
            !direct
                .iter()
                .any(|p| p.contains("istio-operator") || p.contains("istiooperators"))
        );
        assert!(
            direct
                .iter()
                .any(|p| p.contains("validatingwebhookconfigurations"))
        );
    }
}
