//! A generated CA and a separate server leaf certificate (CA:FALSE, SAN 127.0.0.1 and localhost).

use std::sync::Arc;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The certificates of one kubesim instance.
pub struct Certs {
    /// PEM of the CA certificate (goes into kubeconfig `certificate-authority-data`).
    pub ca_pem: String,
    leaf_der: CertificateDer<'static>,
    ca_der: CertificateDer<'static>,
    leaf_key: Vec<u8>,
}

impl Certs {
    /// Generates a fresh CA and a leaf for 127.0.0.1 / localhost (and `extra_names`).
    pub fn generate(extra_names: &[String]) -> anyhow::Result<Certs> {
        let mut ca_params =
            CertificateParams::new(Vec::<String>::new()).context("CA parameters")?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "kubesim-ca");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().context("generating the CA key")?;
        let ca_cert = ca_params
            .self_signed(&ca_key)
            .context("self-signing the CA")?;
        let issuer = Issuer::new(ca_params, ca_key);

        let mut names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
        names.extend(extra_names.iter().cloned());
        let mut leaf_params =
            CertificateParams::new(names).context("server certificate parameters")?;
        leaf_params.is_ca = IsCa::ExplicitNoCa;
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "kubesim");
        leaf_params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf_params.use_authority_key_identifier_extension = true;
        let leaf_key = KeyPair::generate().context("generating the server key")?;
        let leaf = leaf_params
            .signed_by(&leaf_key, &issuer)
            .context("signing the server certificate")?;
        Ok(Certs {
            ca_pem: ca_cert.pem(),
            leaf_der: leaf.der().clone(),
            ca_der: ca_cert.der().clone(),
            leaf_key: leaf_key.serialize_der(),
        })
    }

    /// The rustls server configuration (ring provider, HTTP/1.1).
    pub fn server_config(&self) -> anyhow::Result<Arc<rustls::ServerConfig>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.leaf_key.clone()));
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS protocol versions")?
            .with_no_client_auth()
            .with_single_cert(vec![self.leaf_der.clone(), self.ca_der.clone()], key)
            .context("server certificate")?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_a_ca_and_a_server_config() {
        let certs = Certs::generate(&[]).unwrap();
        assert!(certs.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_ne!(certs.ca_der, certs.leaf_der);
        certs.server_config().unwrap();
    }
}
