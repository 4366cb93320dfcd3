//! Client construction: `--kubeconfig`, `KUBECONFIG` (several files merged), `~/.kube/config`,
//! in-cluster service-account config, `--context`, exec plugins (kube handles them), bearer tokens
//! and client certificates.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::error::UserError;

/// What the user told us about where the cluster is.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// Bounds connecting (and writing a request). Zero means no limit.
    pub request_timeout: Duration,
}

/// A ready client plus what error messages need to say where it points.
#[derive(Clone)]
pub struct Connection {
    pub client: kube::Client,
    /// The API server URL, for messages ("could not connect to https://...").
    pub server: String,
    /// The kubeconfig context in use (None for in-cluster config).
    pub context: Option<String>,
    /// The namespace of the context (or the service account), "default" when unset.
    pub default_namespace: String,
}

impl std::fmt::Debug for Connection {
    // Deliberately omits the client: its config holds credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.server)
            .field("context", &self.context)
            .field("default_namespace", &self.default_namespace)
            .finish_non_exhaustive()
    }
}

/// Where a kubeconfig came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeconfigSource {
    Flag(PathBuf),
    Env(String),
    Default(PathBuf),
}

impl std::fmt::Display for KubeconfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KubeconfigSource::Flag(p) => write!(f, "{}", p.display()),
            KubeconfigSource::Env(v) => write!(f, "$KUBECONFIG ({v})"),
            KubeconfigSource::Default(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Reads the kubeconfig the way kubectl does. `Ok(None)` means there is none at all.
pub fn load_kubeconfig(
    flag: Option<&Path>,
) -> anyhow::Result<Option<(Kubeconfig, KubeconfigSource)>> {
    if let Some(path) = flag {
        if !path.exists() {
            return Err(UserError::input(format!(
                "the kubeconfig file {} does not exist",
                path.display()
            ))
            .with_hint("check the --kubeconfig path")
            .into());
        }
        let config = Kubeconfig::read_from(path).map_err(|e| {
            UserError::input(format!(
                "cannot read kubeconfig {}: {}",
                path.display(),
                plain(&e)
            ))
        })?;
        return Ok(Some((config, KubeconfigSource::Flag(path.to_path_buf()))));
    }
    if let Some(value) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let shown = value.to_string_lossy().to_string();
        let paths: Vec<PathBuf> = std::env::split_paths(&value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
        if existing.is_empty() {
            return Err(UserError::input(format!(
                "none of the files in $KUBECONFIG exist ({shown})"
            ))
            .with_hint("fix KUBECONFIG, or pass --kubeconfig FILE")
            .into());
        }
        // kubectl ignores missing files in KUBECONFIG and merges the rest, first value wins.
        let mut merged = Kubeconfig::default();
        for path in existing {
            let next = Kubeconfig::read_from(path).map_err(|e| {
                UserError::input(format!(
                    "cannot read kubeconfig {}: {}",
                    path.display(),
                    plain(&e)
                ))
            })?;
            merged = merged.merge(next).map_err(|e| {
                UserError::input(format!(
                    "cannot merge kubeconfig {}: {}",
                    path.display(),
                    plain(&e)
                ))
            })?;
        }
        return Ok(Some((merged, KubeconfigSource::Env(shown))));
    }
    let Some(home) = home_dir() else {
        return Ok(None);
    };
    let path = home.join(".kube").join("config");
    if !path.exists() {
        return Ok(None);
    }
    let config = Kubeconfig::read_from(&path).map_err(|e| {
        UserError::input(format!(
            "cannot read kubeconfig {}: {}",
            path.display(),
            plain(&e)
        ))
    })?;
    Ok(Some((config, KubeconfigSource::Default(path))))
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Builds a client. Fails with a clear message when there is no kubeconfig, the context is unknown, or
/// the kubeconfig is broken; does not contact the server.
pub async fn connect(options: &ConnectOptions) -> anyhow::Result<Connection> {
    let loaded = load_kubeconfig(options.kubeconfig.as_deref())?;
    let (mut config, context) = match loaded {
        Some((kubeconfig, source)) => {
            let context = pick_context(&kubeconfig, options.context.as_deref(), &source)?;
            let kube_options = KubeConfigOptions {
                context: Some(context.clone()),
                ..Default::default()
            };
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| {
                    UserError::input(format!(
                        "the kubeconfig context \"{context}\" is not usable: {}",
                        plain(&e)
                    ))
                    .with_hint(format!(
                        "check the context's cluster and user entries in {source}"
                    ))
                })?;
            (config, Some(context))
        }
        None if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() => {
            let config = kube::Config::incluster()
                .context("reading the in-cluster service account configuration")?;
            (config, None)
        }
        None => {
            return Err(UserError::failure("no kubeconfig found, so rigger does not know which cluster to use")
                .with_hint(
                    "set KUBECONFIG or pass --kubeconfig FILE (for GKE: `gcloud container clusters get-credentials CLUSTER`)",
                )
                .into());
        }
    };
    if !options.request_timeout.is_zero() {
        config.connect_timeout = Some(options.request_timeout);
        config.write_timeout = Some(options.request_timeout);
    }
    // Retry 429/503/504 as kubectl does; waits use watches, so this only smooths over hiccups.
    config.default_retry = true;
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_string();
    let default_namespace = config.default_namespace.clone();
    let client = kube::Client::try_from(config)
        .map_err(|e| anyhow::anyhow!(plain(&e)))
        .with_context(|| format!("setting up the connection to {server}"))?;
    Ok(Connection {
        client,
        server,
        context,
        default_namespace,
    })
}

/// The context to use: the flag, else the kubeconfig's current context; unknown names list the others.
fn pick_context(
    kubeconfig: &Kubeconfig,
    wanted: Option<&str>,
    source: &KubeconfigSource,
) -> anyhow::Result<String> {
    let names: Vec<&str> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let available = || {
        if names.is_empty() {
            "the kubeconfig has no contexts".to_string()
        } else {
            format!("available contexts: {}", names.join(", "))
        }
    };
    match wanted {
        Some(name) if names.contains(&name) => Ok(name.to_string()),
        Some(name) => Err(
            UserError::input(format!("context \"{name}\" not found in {source}"))
                .with_hint(available())
                .into(),
        ),
        None => match kubeconfig.current_context.as_deref() {
            Some(current) if names.contains(&current) => Ok(current.to_string()),
            Some(current) => Err(UserError::input(format!(
                "the current context \"{current}\" in {source} does not exist"
            ))
            .with_hint(format!("pass --context NAME; {}", available()))
            .into()),
            None => Err(
                UserError::input(format!("{source} sets no current context"))
                    .with_hint(format!("pass --context NAME; {}", available()))
                    .into(),
            ),
        },
    }
}

/// kube's errors often repeat themselves ("Failed to ...: Failed to ...: x"); keep the message short
/// and never include values from the kubeconfig that could be credentials.
fn plain(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.last().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_CONTEXTS: &str = r#"
apiVersion: v1
kind: Config
current-context: a
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
users:
- name: u
  user:
    token: secret-token
contexts:
- name: a
  context: {cluster: c, user: u}
- name: b
  context: {cluster: c, user: u, namespace: team}
"#;

    fn kubeconfig() -> Kubeconfig {
        Kubeconfig::from_yaml(TWO_CONTEXTS).unwrap()
    }

    #[test]
    fn picks_current_context_by_default() {
        let source = KubeconfigSource::Flag("k".into());
        assert_eq!(pick_context(&kubeconfig(), None, &source).unwrap(), "a");
        assert_eq!(
            pick_context(&kubeconfig(), Some("b"), &source).unwrap(),
            "b"
        );
    }

    #[test]
    fn unknown_context_lists_the_available_ones() {
        let source = KubeconfigSource::Flag("kc.yaml".into());
        let err = pick_context(&kubeconfig(), Some("prod"), &source).unwrap_err();
        let rendered = crate::error::render(&err);
        assert_eq!(rendered.error, "context \"prod\" not found in kc.yaml");
        assert_eq!(rendered.hint.as_deref(), Some("available contexts: a, b"));
        assert_eq!(rendered.exit, crate::error::Exit::Usage);
    }

    #[tokio::test]
    async fn connect_uses_the_context_namespace() {
        let dir = std::env::temp_dir().join(format!("rigger-connect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(&path, TWO_CONTEXTS).unwrap();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = ConnectOptions {
            kubeconfig: Some(path.clone()),
            context: Some("b".into()),
            request_timeout: Duration::from_secs(5),
        };
        let conn = connect(&options).await.unwrap();
        assert_eq!(conn.default_namespace, "team");
        assert_eq!(conn.server, "https://127.0.0.1:6443");
        assert!(!format!("{conn:?}").contains("secret-token"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
