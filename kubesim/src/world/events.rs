//! Core/v1 Events as kubelets and controllers write them (`kubectl describe` lists them).

use serde_json::{Value, json};

use super::meta;

/// One event to record about an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSpec {
    /// `Normal` or `Warning`.
    pub warning: bool,
    /// `Scheduled`, `Pulling`, `BackOff`, ...
    pub reason: String,
    /// Human-readable message.
    pub message: String,
    /// `spec.containers{name}` for container events.
    pub field_path: Option<String>,
    /// Reporting component (`kubelet`, `default-scheduler`, `deployment-controller`, ...).
    pub component: &'static str,
}

impl EventSpec {
    /// A Normal event.
    pub fn normal(component: &'static str, reason: &str, message: impl Into<String>) -> EventSpec {
        EventSpec {
            warning: false,
            reason: reason.into(),
            message: message.into(),
            field_path: None,
            component,
        }
    }

    /// A Warning event.
    pub fn warning(component: &'static str, reason: &str, message: impl Into<String>) -> EventSpec {
        EventSpec {
            warning: true,
            reason: reason.into(),
            message: message.into(),
            field_path: None,
            component,
        }
    }

    /// About one container of a pod.
    pub fn container(mut self, list: &str, name: &str) -> EventSpec {
        self.field_path = Some(format!("spec.{list}{{{name}}}"));
        self
    }

    /// Deterministic event name for `involved`: repeats of the same event update one object
    /// (`count` goes up), as the real event recorder's aggregation does.
    pub fn object_name(&self, involved: &Value) -> String {
        let key = format!(
            "{}|{}|{}|{:?}",
            meta::uid(involved),
            self.reason,
            self.message,
            self.field_path
        );
        format!(
            "{}.{:08x}{:08x}",
            meta::name(involved),
            meta::fnv32a(key.as_bytes()),
            meta::fnv32a(self.reason.as_bytes())
        )
    }

    /// The Event object about `involved` (namespace of the object, `default` for cluster-scoped ones).
    pub fn to_object(&self, involved: &Value, host: Option<&str>, now: &str) -> Value {
        let ns = match meta::namespace(involved) {
            "" => "default",
            ns => ns,
        };
        let mut involved_ref = json!({
            "apiVersion": involved["apiVersion"],
            "kind": involved["kind"],
            "name": meta::name(involved),
            "uid": meta::uid(involved),
            "resourceVersion": involved["metadata"]["resourceVersion"],
        });
        if !meta::namespace(involved).is_empty() {
            involved_ref["namespace"] = json!(meta::namespace(involved));
        }
        if let Some(fp) = &self.field_path {
            involved_ref["fieldPath"] = json!(fp);
        }
        let mut source = json!({"component": self.component});
        if let Some(h) = host {
            source["host"] = json!(h);
        }
        json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": self.object_name(involved), "namespace": ns},
            "involvedObject": involved_ref,
            "reason": self.reason,
            "message": self.message,
            "type": if self.warning { "Warning" } else { "Normal" },
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "eventTime": null,
            "reportingComponent": self.component,
            "reportingInstance": host.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_objects_name_the_object_and_aggregate_repeats() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "demo", "uid": "u", "resourceVersion": "5"}});
        let e = EventSpec::warning("kubelet", "BackOff", "Back-off pulling image \"x\"")
            .container("containers", "app");
        let obj = e.to_object(&pod, Some("node-0"), "2024-01-01T00:00:00Z");
        assert_eq!(obj["metadata"]["namespace"], "demo");
        assert_eq!(obj["type"], "Warning");
        assert_eq!(obj["involvedObject"]["fieldPath"], "spec.containers{app}");
        assert_eq!(obj["involvedObject"]["uid"], "u");
        assert_eq!(obj["source"]["host"], "node-0");
        assert_eq!(e.object_name(&pod), e.clone().object_name(&pod));
        assert!(e.object_name(&pod).starts_with("web-1."));
        let other = EventSpec::normal("kubelet", "Pulled", "x");
        assert_ne!(other.object_name(&pod), e.object_name(&pod));
    }
}
