//! Kubernetes API and connection errors in plain words. kube's own Display repeats itself and dumps
//! Debug output; users get "what happened" and "what to do" instead.

use crate::error::{ResultExt, UserError};

/// Turns a kube error into a sentence (plus a hint where one helps). `server` is the API server URL.
pub fn explain(error: kube::Error, server: &str) -> anyhow::Error {
    match error {
        kube::Error::Api(status) => explain_status(&status, server),
        kube::Error::Auth(auth) => {
            let cause = innermost(&auth);
            let hint = if cause.contains("gke-gcloud-auth-plugin")
                || auth.to_string().contains("gke-gcloud-auth-plugin")
            {
                "install the GKE auth plugin (`gcloud components install gke-gcloud-auth-plugin`) and make sure it is on PATH"
            } else {
                "check the user entry of your kubeconfig context (token, client certificate or exec plugin)"
            };
            UserError::failure(format!("could not get credentials for {server}: {cause}"))
                .with_hint(hint)
                .into()
        }
        other => explain_transport(&other, server),
    }
}

fn explain_status(status: &kube::core::Status, server: &str) -> anyhow::Error {
    let message = if status.message.is_empty() {
        status.reason.clone()
    } else {
        status.message.clone()
    };
    match status.code {
        401 => UserError::failure(format!("the cluster at {server} rejected rigger's credentials: Unauthorized"))
            .with_hint("the token or client certificate of this kubeconfig context is missing, wrong or expired; refresh your credentials or pick another --context")
            .into(),
        403 => UserError::failure(message)
            .with_hint("ask a cluster administrator for this permission (RBAC) or use a context that has it; `rigger precheck` lists what rigger needs")
            .into(),
        404 => UserError::failure(message).into(),
        409 => UserError::failure(message).into(),
        422 => {
            let causes: Vec<String> = status
                .details
                .as_ref()
                .map(|d| {
                    d.causes
                        .iter()
                        .map(|c| if c.field.is_empty() { c.message.clone() } else { format!("{}: {}", c.field, c.message) })
                        .collect()
                })
                .unwrap_or_default();
            let mut text = message;
            if !causes.is_empty() && !causes.iter().all(|c| text.contains(c)) {
                text = format!("{text} ({})", causes.join("; "));
            }
            UserError::failure(text).into()
        }
        429 => UserError::failure(format!("the cluster at {server} is throttling requests (429 Too Many Requests): {message}"))
            .with_hint("wait a moment and run the command again")
            .into(),
        code if code >= 500 => UserError::failure(format!("the cluster at {server} failed to answer ({code} {}): {message}", status.reason))
            .with_hint("the API server may be overloaded or restarting; run the command again in a moment")
            .into(),
        code => UserError::failure(format!("the cluster refused the request ({code} {}): {message}", status.reason)).into(),
    }
}

fn explain_transport(error: &kube::Error, server: &str) -> anyhow::Error {
    let cause = innermost(error);
    let lower = chain_text(error).to_lowercase();
    let io_kind = io_kinds(error);
    use std::io::ErrorKind::*;
    if io_kind.contains(&ConnectionRefused) || lower.contains("connection refused") {
        return UserError::failure(format!(
            "could not connect to the cluster at {server}: connection refused"
        ))
        .with_hint("is the cluster running, and is this the right --context or --kubeconfig?")
        .into();
    }
    if io_kind.contains(&TimedOut) || lower.contains("timed out") || lower.contains("deadline") {
        return UserError::failure(format!("timed out connecting to the cluster at {server}"))
            .with_hint("check the network path to the API server, or raise --request-timeout")
            .into();
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
    {
        return UserError::failure(format!(
            "could not resolve the host of the cluster at {server}"
        ))
        .with_hint("check the server URL of your kubeconfig context and your DNS")
        .into();
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return UserError::failure(format!("the TLS handshake with {server} failed: {cause}"))
            .with_hint("the certificate-authority of your kubeconfig does not match the server's certificate, or the URL points at another server")
            .into();
    }
    if io_kind.contains(&ConnectionReset)
        || io_kind.contains(&UnexpectedEof)
        || lower.contains("connection closed")
    {
        return UserError::failure(format!("the connection to {server} was closed: {cause}"))
            .with_hint("the API server may be restarting; run the command again")
            .into();
    }
    anyhow::anyhow!("request to {server} failed: {cause}")
}

type DynError = dyn std::error::Error + 'static;

fn sources(error: &DynError) -> Vec<&DynError> {
    let mut out = Vec::new();
    let mut current: Option<&DynError> = Some(error);
    while let Some(e) = current {
        out.push(e);
        current = e.source();
    }
    out
}

fn io_kinds(error: &DynError) -> Vec<std::io::ErrorKind> {
    sources(error)
        .into_iter()
        .filter_map(|e| e.downcast_ref::<std::io::Error>().map(|io| io.kind()))
        .collect()
}

fn chain_text(error: &DynError) -> String {
    sources(error)
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

fn innermost(error: &DynError) -> String {
    sources(error)
        .last()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// `.explain(server)` on kube results, optionally with what rigger was doing.
pub trait KubeResultExt<T> {
    /// Converts a kube error into plain words, mentioning the API server.
    fn explain(self, server: &str) -> anyhow::Result<T>;
    /// Same, with a headline saying what rigger was doing ("listing pods in bookinfo").
    fn explain_while(self, server: &str, doing: impl FnOnce() -> String) -> anyhow::Result<T>;
}

impl<T> KubeResultExt<T> for Result<T, kube::Error> {
    fn explain(self, server: &str) -> anyhow::Result<T> {
        self.map_err(|e| explain(e, server))
    }

    fn explain_while(self, server: &str, doing: impl FnOnce() -> String) -> anyhow::Result<T> {
        self.map_err(|e| {
            let explained = explain(e, server);
            let rendered = crate::error::render(&explained);
            let mut err = explained.context(doing());
            if let Some(hint) = rendered.hint {
                err = Err::<(), _>(err).hint(hint).unwrap_err();
            }
            err
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Exit, render};

    fn status(code: u16, reason: &str, message: &str) -> kube::Error {
        let status: kube::core::Status = serde_json::from_value(serde_json::json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code
        }))
        .unwrap();
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn unauthorized_in_plain_words() {
        let r = render(&explain(
            status(401, "Unauthorized", "Unauthorized"),
            "https://127.0.0.1:6443",
        ));
        assert_eq!(
            r.error,
            "the cluster at https://127.0.0.1:6443 rejected rigger's credentials: Unauthorized"
        );
        assert!(r.hint.unwrap().contains("expired"));
        assert_eq!(r.exit, Exit::Failure);
    }

    #[test]
    fn forbidden_keeps_the_servers_sentence() {
        let msg = "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"";
        let r = render(&explain(status(403, "Forbidden", msg), "https://x"));
        assert_eq!(r.error, msg);
        assert!(r.hint.unwrap().contains("RBAC"));
    }

    #[test]
    fn explain_while_puts_the_action_first_and_keeps_the_hint() {
        let result: Result<(), kube::Error> = Err(status(401, "Unauthorized", "Unauthorized"));
        let r = render(
            &result
                .explain_while("https://x", || "listing pods".into())
                .unwrap_err(),
        );
        assert_eq!(r.error, "listing pods");
        assert_eq!(
            r.causes,
            vec![
                "the cluster at https://x rejected rigger's credentials: Unauthorized".to_string()
            ]
        );
        assert!(r.hint.is_some());
    }
}
