//! Does a pod carry the Istio proxy, is it ready, and if not, why not. Pure logic over the objects a
//! single list call returns; the caller gathers pods, namespaces and injectors once per scope.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::Serialize;

pub const INJECTION_LABEL: &str = "istio-injection";
pub const REVISION_LABEL: &str = "istio.io/rev";
pub const INJECT_ANNOTATION: &str = "sidecar.istio.io/inject";
pub const PROXY_CONTAINER: &str = "istio-proxy";

/// Where the proxy sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// A regular container named istio-proxy.
    Container,
    /// A native sidecar: an init container with `restartPolicy: Always`.
    NativeSidecar,
}

/// The verdict for one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Has a ready proxy.
    Meshed,
    /// Has a proxy that is not ready (yet).
    ProxyNotReady,
    /// Should have a proxy and has none.
    Missing,
    /// Deliberately outside the mesh (opt-out annotation/label, host network): not a failure.
    OptedOut,
    /// Finished (Succeeded/Failed): not counted.
    Completed,
}

impl Verdict {
    pub fn is_failure(self) -> bool {
        matches!(self, Verdict::ProxyNotReady | Verdict::Missing)
    }
}

/// What the cluster's injectors look like, gathered once.
#[derive(Debug, Clone, Default)]
pub struct Injectors {
    /// Revision ("default" for the unrevisioned one) → when its webhook was created.
    pub revisions: BTreeMap<String, Option<Time>>,
}

impl Injectors {
    pub fn any(&self) -> bool {
        !self.revisions.is_empty()
    }
}

/// The facts about one pod's sidecar.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SidecarStatus {
    pub namespace: String,
    pub pod: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_version: Option<String>,
    pub proxy_ready: bool,
    /// Why the pod has no (ready) proxy, or why it is exempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Finds the proxy container in a pod spec: `containers[istio-proxy]` or a native sidecar.
pub fn find_proxy(pod: &Pod) -> Option<(Placement, Option<String>)> {
    let spec = pod.spec.as_ref()?;
    if let Some(c) = spec.containers.iter().find(|c| c.name == PROXY_CONTAINER) {
        return Some((Placement::Container, c.image.clone()));
    }
    spec.init_containers
        .iter()
        .flatten()
        .find(|c| c.name == PROXY_CONTAINER && c.restart_policy.as_deref() == Some("Always"))
        .map(|c| (Placement::NativeSidecar, c.image.clone()))
}

fn proxy_ready(pod: &Pod, placement: Placement) -> bool {
    let Some(status) = &pod.status else {
        return false;
    };
    let statuses = match placement {
        Placement::Container => status.container_statuses.as_ref(),
        Placement::NativeSidecar => status.init_container_statuses.as_ref(),
    };
    statuses
        .into_iter()
        .flatten()
        .find(|s| s.name == PROXY_CONTAINER)
        .is_some_and(|s| s.ready)
}

fn label<'a>(labels: &'a Option<BTreeMap<String, String>>, key: &str) -> Option<&'a str> {
    labels.as_ref().and_then(|l| l.get(key)).map(String::as_str)
}

/// Why a pod is exempt from injection, if it is.
pub fn opt_out_reason(pod: &Pod) -> Option<String> {
    let meta = &pod.metadata;
    if label(&meta.labels, INJECT_ANNOTATION) == Some("false")
        || label(&meta.annotations, INJECT_ANNOTATION) == Some("false")
    {
        return Some(format!("opted out ({INJECT_ANNOTATION}: \"false\")"));
    }
    if pod.spec.as_ref().and_then(|s| s.host_network) == Some(true) {
        return Some("uses the host network, which Istio does not inject".into());
    }
    None
}

/// The revision a namespace asks for: `Some("default")` for `istio-injection=enabled`, `Some(rev)` for
/// `istio.io/rev=rev`, None when it asks for nothing (or disables injection).
pub fn requested_revision(namespace: &Namespace) -> Option<String> {
    let labels = &namespace.metadata.labels;
    match label(labels, INJECTION_LABEL) {
        Some("enabled") => Some("default".into()),
        Some(_) => None, // "disabled" or anything else wins
        None => label(labels, REVISION_LABEL).map(str::to_string),
    }
}

/// When a namespace got its injection label, from its managedFields (None when unknown).
pub fn label_time(namespace: &Namespace) -> Option<Time> {
    let wanted = [
        format!("f:{INJECTION_LABEL}"),
        format!("f:{REVISION_LABEL}"),
    ];
    namespace
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .filter(|entry| {
            entry
                .fields_v1
                .as_ref()
                .and_then(|f| f.0.pointer("/f:metadata/f:labels"))
                .and_then(|l| l.as_object())
                .is_some_and(|labels| wanted.iter().any(|w| labels.contains_key(w)))
        })
        .filter_map(|entry| entry.time.clone())
        .max_by_key(|t| t.0)
}

/// The verdict for one pod, given its namespace and the injectors.
pub fn assess(pod: &Pod, namespace: Option<&Namespace>, injectors: &Injectors) -> SidecarStatus {
    let mut status = SidecarStatus {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        pod: pod.metadata.name.clone().unwrap_or_default(),
        verdict: Verdict::Missing,
        placement: None,
        proxy_image: None,
        proxy_version: None,
        proxy_ready: false,
        reason: None,
    };
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    if let Some((placement, image)) = find_proxy(pod) {
        status.placement = Some(placement);
        status.proxy_version = image
            .as_deref()
            .and_then(super::image_tag)
            .map(str::to_string);
        status.proxy_image = image;
        status.proxy_ready = proxy_ready(pod, placement);
        if matches!(phase, "Succeeded" | "Failed") {
            status.verdict = Verdict::Completed;
            status.reason = Some(format!("pod {}", phase.to_lowercase()));
        } else if status.proxy_ready {
            status.verdict = Verdict::Meshed;
        } else {
            status.verdict = Verdict::ProxyNotReady;
            status.reason = Some("the proxy is not ready yet".into());
        }
        return status;
    }
    if matches!(phase, "Succeeded" | "Failed") {
        status.verdict = Verdict::Completed;
        status.reason = Some(format!("pod {}", phase.to_lowercase()));
        return status;
    }
    if let Some(reason) = opt_out_reason(pod) {
        status.verdict = Verdict::OptedOut;
        status.reason = Some(reason);
        return status;
    }
    status.reason = Some(missing_reason(pod, namespace, injectors));
    status
}

fn missing_reason(pod: &Pod, namespace: Option<&Namespace>, injectors: &Injectors) -> String {
    let pod_asks = label(&pod.metadata.labels, INJECT_ANNOTATION) == Some("true");
    let requested = namespace.and_then(requested_revision);
    let revision = match (requested, pod_asks) {
        (Some(rev), _) => rev,
        (None, true) => label(&pod.metadata.labels, REVISION_LABEL)
            .unwrap_or("default")
            .to_string(),
        (None, false) => {
            let disabled = namespace
                .and_then(|n| label(&n.metadata.labels, INJECTION_LABEL))
                .is_some();
            return if disabled {
                "injection is disabled for the namespace".into()
            } else {
                format!("namespace not labelled for injection ({INJECTION_LABEL}=enabled)")
            };
        }
    };
    if !injectors.any() {
        return "no sidecar injector is installed (istiod)".into();
    }
    let Some(injector_created) = injectors.revisions.get(&revision) else {
        let known: Vec<&str> = injectors.revisions.keys().map(String::as_str).collect();
        return format!(
            "revision \"{revision}\" has no injector (installed: {})",
            known.join(", ")
        );
    };
    // A pod that predates the label or the injector was never offered for injection; name the later
    // of the two it predates. Timestamps have one-second resolution: a pod without a sidecar created
    // in the same second most likely came first (the webhook would have injected it otherwise).
    let created = pod.metadata.creation_timestamp.as_ref();
    let predates = |event: Option<&Time>| match (created, event) {
        (Some(created), Some(event)) if created.0 <= event.0 => Some(event.0),
        _ => None,
    };
    let labelled = namespace.and_then(label_time);
    match (
        predates(labelled.as_ref()),
        predates(injector_created.as_ref()),
    ) {
        (Some(label), Some(injector)) if injector > label => {
            return "created before the injector was installed; restart it".into();
        }
        (Some(_), _) => return "created before the namespace was labelled; restart it".into(),
        (None, Some(_)) => return "created before the injector was installed; restart it".into(),
        (None, None) => {}
    }
    "no sidecar although injection is enabled; restart it, and check the injector webhook".into()
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub pods: usize,
    pub meshed: usize,
    pub proxy_not_ready: usize,
    pub missing: usize,
    pub opted_out: usize,
    pub completed: usize,
}

impl Summary {
    pub fn of(statuses: &[SidecarStatus]) -> Self {
        let mut s = Summary {
            pods: statuses.len(),
            ..Default::default()
        };
        for st in statuses {
            match st.verdict {
                Verdict::Meshed => s.meshed += 1,
                Verdict::ProxyNotReady => s.proxy_not_ready += 1,
                Verdict::Missing => s.missing += 1,
                Verdict::OptedOut => s.opted_out += 1,
                Verdict::Completed => s.completed += 1,
            }
        }
        s
    }

    pub fn ok(&self) -> bool {
        self.missing == 0 && self.proxy_not_ready == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    fn ns(labels: serde_json::Value) -> Namespace {
        serde_json::from_value(json!({"metadata": {"name": "bookinfo", "labels": labels}})).unwrap()
    }

    fn injectors() -> Injectors {
        let mut i = Injectors::default();
        i.revisions.insert("default".into(), None);
        i
    }

    #[test]
    fn classic_sidecar_ready() {
        let p = pod(json!({
            "metadata": {"name": "web", "namespace": "bookinfo"},
            "spec": {"containers": [{"name": "web"}, {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.23.6"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "istio-proxy", "ready": true, "image": "", "imageID": "", "restartCount": 0}]}
        }));
        let st = assess(
            &p,
            Some(&ns(json!({"istio-injection": "enabled"}))),
            &injectors(),
        );
        assert_eq!(st.verdict, Verdict::Meshed);
        assert_eq!(st.placement, Some(Placement::Container));
        assert_eq!(st.proxy_version.as_deref(), Some("1.23.6"));
    }

    #[test]
    fn native_sidecar_is_recognised() {
        let p = pod(json!({
            "metadata": {"name": "web", "namespace": "bookinfo"},
            "spec": {"containers": [{"name": "web"}],
                     "initContainers": [{"name": "istio-init"}, {"name": "istio-proxy", "image": "istio/proxyv2:1.30.3", "restartPolicy": "Always"}]},
            "status": {"phase": "Running", "initContainerStatuses": [
                {"name": "istio-proxy", "ready": true, "image": "", "imageID": "", "restartCount": 0}]}
        }));
        let st = assess(&p, None, &injectors());
        assert_eq!(
            (st.verdict, st.placement),
            (Verdict::Meshed, Some(Placement::NativeSidecar))
        );
    }

    #[test]
    fn an_init_container_named_istio_proxy_without_always_is_not_a_sidecar() {
        let p = pod(
            json!({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "a"}],
            "initContainers": [{"name": "istio-proxy"}]}, "status": {"phase": "Running"}}),
        );
        assert!(find_proxy(&p).is_none());
    }

    #[test]
    fn reasons_for_missing_sidecars() {
        let plain = pod(
            json!({"metadata": {"name": "web", "namespace": "bookinfo", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "web"}]}, "status": {"phase": "Running"}}),
        );
        let unlabelled = assess(&plain, Some(&ns(json!({}))), &injectors());
        assert_eq!(unlabelled.verdict, Verdict::Missing);
        assert!(
            unlabelled
                .reason
                .unwrap()
                .contains("namespace not labelled")
        );

        let no_injector = assess(
            &plain,
            Some(&ns(json!({"istio-injection": "enabled"}))),
            &Injectors::default(),
        );
        assert!(no_injector.reason.unwrap().contains("no sidecar injector"));

        let wrong_rev = assess(
            &plain,
            Some(&ns(json!({"istio.io/rev": "canary"}))),
            &injectors(),
        );
        assert!(
            wrong_rev
                .reason
                .unwrap()
                .contains("revision \"canary\" has no injector")
        );

        let mut labelled = ns(json!({"istio-injection": "enabled"}));
        labelled.metadata.managed_fields = Some(vec![serde_json::from_value(json!({
            "manager": "rigger", "operation": "Apply", "time": "2026-02-01T00:00:00Z",
            "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {"f:istio-injection": {}}}}
        }))
        .unwrap()]);
        let before = assess(&plain, Some(&labelled), &injectors());
        assert_eq!(
            before.reason.as_deref(),
            Some("created before the namespace was labelled; restart it")
        );
    }

    #[test]
    fn a_pod_predating_both_label_and_injector_names_the_later_one() {
        let plain = pod(
            json!({"metadata": {"name": "web", "namespace": "bookinfo", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "web"}]}, "status": {"phase": "Running"}}),
        );
        let labelled_at = |time: &str| {
            let mut n = ns(json!({"istio-injection": "enabled"}));
            n.metadata.managed_fields = Some(vec![serde_json::from_value(json!({
                "manager": "rigger", "operation": "Update", "time": time,
                "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {"f:istio-injection": {}}}}
            }))
            .unwrap()]);
            n
        };
        let injector_at = |time: &str| {
            let mut i = Injectors::default();
            i.revisions.insert(
                "default".into(),
                Some(serde_json::from_value(json!(time)).unwrap()),
            );
            i
        };
        // Same second as the injector, labelled later: the label is what it missed.
        let st = assess(
            &plain,
            Some(&labelled_at("2026-01-01T00:00:05Z")),
            &injector_at("2026-01-01T00:00:00Z"),
        );
        assert_eq!(
            st.reason.as_deref(),
            Some("created before the namespace was labelled; restart it")
        );
        // Labelled first, the injector came later.
        let st = assess(
            &plain,
            Some(&labelled_at("2026-01-01T00:00:00Z")),
            &injector_at("2026-01-01T00:00:09Z"),
        );
        assert_eq!(
            st.reason.as_deref(),
            Some("created before the injector was installed; restart it")
        );
    }

    #[test]
    fn opt_outs_are_not_failures() {
        let annotated = pod(
            json!({"metadata": {"name": "a", "annotations": {"sidecar.istio.io/inject": "false"}},
            "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Running"}}),
        );
        let host = pod(
            json!({"metadata": {"name": "b"}, "spec": {"hostNetwork": true, "containers": [{"name": "b"}]},
            "status": {"phase": "Running"}}),
        );
        for p in [annotated, host] {
            let st = assess(
                &p,
                Some(&ns(json!({"istio-injection": "enabled"}))),
                &injectors(),
            );
            assert_eq!(st.verdict, Verdict::OptedOut);
            assert!(!st.verdict.is_failure());
        }
    }

    #[test]
    fn disabled_label_wins_over_revision() {
        let n = ns(json!({"istio-injection": "disabled", "istio.io/rev": "canary"}));
        assert_eq!(requested_revision(&n), None);
        assert_eq!(
            requested_revision(&ns(json!({"istio.io/rev": "canary"}))).as_deref(),
            Some("canary")
        );
    }

    #[test]
    fn summary_counts() {
        let mk = |v| SidecarStatus {
            namespace: "n".into(),
            pod: "p".into(),
            verdict: v,
            placement: None,
            proxy_image: None,
            proxy_version: None,
            proxy_ready: false,
            reason: None,
        };
        let s = Summary::of(&[
            mk(Verdict::Meshed),
            mk(Verdict::OptedOut),
            mk(Verdict::Missing),
        ]);
        assert_eq!((s.pods, s.meshed, s.opted_out, s.missing), (3, 1, 1, 1));
        assert!(!s.ok());
    }
}
