//! The Istio domain: pure logic, unit-tested without a cluster. Never prints.

pub mod ingress;
