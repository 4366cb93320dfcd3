//! The IstioOperator CustomResourceDefinition, as the 1.23 operator chart defines it
//! (crds/crd-operator.yaml): namespaced, v1alpha1 served and stored, a status subresource, and a
//! schema that keeps unknown fields (the operator validates the spec itself).

use serde_json::{Value, json};

pub const CRD_NAME: &str = "istiooperators.install.istio.io";
pub const GROUP: &str = "install.istio.io";
pub const VERSION: &str = "v1alpha1";
pub const PLURAL: &str = "istiooperators";

pub fn istio_operator_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": CRD_NAME, "labels": {"release": "istio"}},
        "spec": {
            "conversion": {"strategy": "None"},
            "group": GROUP,
            "names": {
                "kind": "IstioOperator",
                "listKind": "IstioOperatorList",
                "plural": PLURAL,
                "singular": "istiooperator",
                "shortNames": ["iop", "io"],
            },
            "scope": "Namespaced",
            "versions": [{
                "name": VERSION,
                "served": true,
                "storage": true,
                "subresources": {"status": {}},
                "additionalPrinterColumns": [
                    {"name": "Revision", "type": "string", "jsonPath": ".spec.revision",
                     "description": "Istio control plane revision"},
                    {"name": "Status", "type": "string", "jsonPath": ".status.status",
                     "description": "IOP current state"},
                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp",
                     "description": "Time since the IstioOperator was created"},
                ],
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
            }],
        },
    })
}
