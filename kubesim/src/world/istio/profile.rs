//! Istio 1.23 installation profiles: which components each one turns on.
//!
//! Our own table, written from what each profile of Istio 1.23 enables (every profile overlays
//! `default`): the operator starts from this table and overlays the IstioOperator's
//! `spec.components` on top.

/// The component enablement a profile starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Profile name.
    pub name: &'static str,
    /// `components.base.enabled`.
    pub base: bool,
    /// `components.pilot.enabled`.
    pub pilot: bool,
    /// `components.cni.enabled`.
    pub cni: bool,
    /// `components.ztunnel.enabled`.
    pub ztunnel: bool,
    /// `components.istiodRemote.enabled`.
    pub istiod_remote: bool,
    /// Namespace override for cni/ztunnel (OpenShift profiles put them in kube-system).
    pub node_agent_namespace: Option<&'static str>,
    /// Ingress gateways named by the profile, with their enablement.
    pub ingress: &'static [(&'static str, bool)],
    /// Egress gateways named by the profile, with their enablement.
    pub egress: &'static [(&'static str, bool)],
}

const INGRESS: &str = "istio-ingressgateway";
const EGRESS: &str = "istio-egressgateway";

const DEFAULT: Profile = Profile {
    name: "default",
    base: true,
    pilot: true,
    cni: false,
    ztunnel: false,
    istiod_remote: false,
    node_agent_namespace: None,
    ingress: &[(INGRESS, true)],
    egress: &[(EGRESS, false)],
};

/// Every profile Istio 1.23 ships.
pub const PROFILES: &[Profile] = &[
    DEFAULT,
    Profile {
        name: "demo",
        egress: &[(EGRESS, true)],
        ..DEFAULT
    },
    Profile {
        name: "minimal",
        ingress: &[(INGRESS, false)],
        ..DEFAULT
    },
    Profile {
        name: "empty",
        base: false,
        pilot: false,
        ingress: &[(INGRESS, false)],
        ..DEFAULT
    },
    Profile {
        name: "remote",
        base: false,
        pilot: false,
        istiod_remote: true,
        ingress: &[(INGRESS, false)],
        ..DEFAULT
    },
    Profile {
        name: "ambient",
        cni: true,
        ztunnel: true,
        ingress: &[(INGRESS, false)],
        ..DEFAULT
    },
    Profile {
        name: "openshift",
        cni: true,
        node_agent_namespace: Some("kube-system"),
        ..DEFAULT
    },
    Profile {
        name: "openshift-ambient",
        cni: true,
        ztunnel: true,
        node_agent_namespace: Some("kube-system"),
        ingress: &[(INGRESS, false)],
        ..DEFAULT
    },
    Profile {
        name: "preview",
        ..DEFAULT
    },
    Profile {
        name: "stable",
        ..DEFAULT
    },
];

/// Looks a profile up by name (`""` = default).
pub fn profile(name: &str) -> Option<&'static Profile> {
    let name = if name.is_empty() { "default" } else { name };
    PROFILES.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_installs_base_pilot_and_the_ingress_gateway_only() {
        let p = profile("").unwrap();
        assert_eq!(p.name, "default");
        assert!(p.base && p.pilot && !p.cni && !p.ztunnel);
        assert_eq!(p.ingress, &[("istio-ingressgateway", true)]);
        assert_eq!(p.egress, &[("istio-egressgateway", false)]);
    }

    #[test]
    fn demo_adds_the_egress_gateway_and_minimal_drops_the_ingress() {
        assert_eq!(
            profile("demo").unwrap().egress,
            &[("istio-egressgateway", true)]
        );
        assert_eq!(
            profile("demo").unwrap().ingress,
            &[("istio-ingressgateway", true)]
        );
        let minimal = profile("minimal").unwrap();
        assert!(minimal.pilot && minimal.base);
        assert_eq!(minimal.ingress, &[("istio-ingressgateway", false)]);
    }

    #[test]
    fn empty_and_remote_install_no_control_plane() {
        let empty = profile("empty").unwrap();
        assert!(!empty.base && !empty.pilot && !empty.istiod_remote);
        let remote = profile("remote").unwrap();
        assert!(!remote.base && !remote.pilot && remote.istiod_remote);
    }

    #[test]
    fn ambient_profiles_add_node_agents() {
        let ambient = profile("ambient").unwrap();
        assert!(ambient.cni && ambient.ztunnel && ambient.node_agent_namespace.is_none());
        let os = profile("openshift-ambient").unwrap();
        assert_eq!(os.node_agent_namespace, Some("kube-system"));
        assert!(profile("openshift").unwrap().cni);
    }

    #[test]
    fn unknown_profiles_are_not_found() {
        assert!(profile("nonsense").is_none());
    }
}
