//! The Istio domain: pure logic, unit-tested without a cluster. Never prints.

pub mod gateway;
pub mod ingress;
