//! Command-line types (clap derive). No I/O here: `main.rs` parses, `commands/` acts.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::istio::release::github::GITHUB_API;
use crate::istio::release::platform::PlatformError;
use crate::istio::release::version::VersionError;
use crate::istio::release::{Arch, Os, VersionRequest};

/// rigger stands up Istio on a Kubernetes cluster and brings workloads into the mesh.
#[derive(Debug, Parser)]
#[command(
    name = "rigger",
    version,
    about = "Stand up Istio on a Kubernetes cluster and bring workloads into the mesh",
    long_about = "rigger runs the whole \"hands-on with Istio\" workflow: download a release, install the \
control plane, inject sidecars, verify them, expose a service through the ingress gateway, and open the \
firewall. It talks to the Kubernetes API directly; kubectl, istioctl and gcloud are not needed at run time.",
    after_help = "Exit codes: 0 success, 1 could not do what was asked, 2 usage or input error, \
3 a check found problems, 130 interrupted. See docs/exit-codes.md.",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts, as in kubectl and istioctl.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use (default: the current context)
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The namespace to work in (default: the context's namespace, else "default")
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Output format for commands that show data
    #[arg(short = 'o', long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// When to use colors (NO_COLOR in the environment also turns them off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Only print data and errors
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Log more detail to stderr (-v, -vv); credentials are never logged
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Never draw progress bars or spinners (they are only drawn on a terminal anyway)
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
}

/// Output formats. Each command accepts the subset that makes sense for it and says so otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Human-readable table
    Table,
    /// Human-readable text
    Text,
    /// JSON (a stable contract for scripts)
    Json,
    /// YAML
    Yaml,
    /// Shell `export` lines for eval
    Env,
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            OutputFormat::Table => "table",
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Yaml => "yaml",
            OutputFormat::Env => "env",
        };
        f.write_str(name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download an Istio release, verify its checksum and unpack it (istioctl included)
    Download(DownloadArgs),

    /// Show the version of rigger and, with --remote, of the cluster and its Istio control plane
    Version(VersionArgs),

    /// Do the whole walkthrough in one go, skipping what is already done
    Up(UpArgs),

    /// Try the whole walkthrough against a simulated cluster started in this process
    Demo(DemoArgs),

    /// Label namespaces for sidecar injection (or remove it) and restart their workloads
    Inject(InjectArgs),

    /// Check that every pod carries a ready Istio proxy, and say why not where it does not
    #[command(name = "verify-sidecars")]
    VerifySidecars(VerifySidecarsArgs),

    /// Expose a Service through the Istio ingress gateway, or apply networking manifests
    Gateway(GatewayArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completion(CompletionArgs),

    /// Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs
    Precheck(PrecheckArgs),

    /// Install or remove the in-cluster Istio operator (Istio 1.23 and older)
    #[command(subcommand)]
    Operator(OperatorCommand),

    /// Install Istio from IstioOperator files and follow the operator until it is healthy
    Install(InstallArgs),

    /// Check that everything the IstioOperator asks for is installed and healthy
    VerifyInstall(VerifyInstallArgs),

    /// Remove the Istio control plane installed through the operator
    Uninstall(UninstallArgs),

    /// Render manifests without touching a cluster
    #[command(subcommand)]
    Manifest(ManifestCommand),

    /// Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)
    Firewall(FirewallArgs),

    /// Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`
    KubeInject(KubeInjectArgs),
}

#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Render a Helm chart like `helm template`, with rigger's own Go-template engine
    #[command(
        long_about = "Render a Helm chart like `helm template`, with rigger's own Go-template engine (no helm \
binary). Templates are rendered in Helm's order with Helm's functions; NOTES.txt is dropped. Documents are \
printed by template file name, each as `---`, a `# Source:` comment and the rendered text; documents \
without a `kind` are left out. The namespace is -n/--namespace (default \"default\"). A chart that calls a \
function the engine does not know is refused, naming the template and the function.",
        after_help = "Examples:\n  rigger manifest template istio-1.30.3/manifests/charts/base -n istio-system\n  \
rigger manifest template charts/gateway --release-name istio-ingress -n istio-ingress \\\n    \
--set service.type=NodePort -f my-values.yaml"
    )]
    Template(ManifestTemplateArgs),

    /// Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`
    #[command(
        long_about = "Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like \
`istioctl manifest generate`, without a cluster. The release's own charts (base, istiod, gateways, cni, \
ztunnel) are rendered with rigger's Go-template engine. Settings stack up as in istioctl: the default \
profile < the chosen profile < (with --istio-version) the release's hub docker.io/istio and tag < -f files \
in order < --set flags in order. Components' k8s settings are applied as strategic-merge patches, and \
objects are printed in istioctl's order, each followed by `---`.",
        after_help = "Examples:\n  rigger manifest generate --manifests istio-1.30.3 --profile demo\n  \
rigger manifest generate --istio-version 1.30.3 -f istio-manifest.yaml --set values.global.logging.level=debug\n  \
rigger manifest generate --manifests istio-1.30.3/manifests -f my.yaml -o json"
    )]
    Generate(ManifestGenerateArgs),
}

/// The IstioOperator input and the release to render it with (shared by `manifest generate`
/// and the direct install).
#[derive(Debug, Args, Clone, Default)]
pub struct RenderInputArgs {
    /// An IstioOperator file (repeatable, or comma-separated; merged in order)
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub files: Vec<PathBuf>,

    /// Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug
    #[arg(short = 's', long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// The installation profile (default, demo, minimal, empty, ambient, ...)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The control plane revision (same as --set revision=NAME)
    #[arg(short = 'r', long, value_name = "NAME")]
    pub revision: Option<String>,

    /// The Istio release to render; its images come from docker.io/istio with this tag. Fetched and verified when not cached
    #[arg(long, value_name = "VERSION")]
    pub istio_version: Option<String>,

    /// A local Istio release folder (or its manifests/ folder) holding the charts and profiles
    #[arg(short = 'd', long, value_name = "DIR")]
    pub manifests: Option<PathBuf>,

    /// Render even when the input fails validation (the problems are shown as warnings)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ManifestGenerateArgs {
    #[command(flatten)]
    pub input: RenderInputArgs,
}

#[derive(Debug, Args)]
pub struct ManifestTemplateArgs {
    /// The chart directory (holding Chart.yaml)
    #[arg(value_name = "CHART_DIR")]
    pub chart: PathBuf,

    /// A values file (YAML); repeat for more, later files win
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,

    /// Set a value, Helm syntax: a.b=c, list[0]=x, a={x,y}; commas separate several, `\,` escapes one
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Like --set, but every value stays a string
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,

    /// The release name (.Release.Name)
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release_name: String,

    /// Render as an upgrade (.Release.IsUpgrade true, .Release.IsInstall false)
    #[arg(long)]
    pub is_upgrade: bool,

    /// The Kubernetes version templates see (.Capabilities.KubeVersion)
    #[arg(long, value_name = "VERSION", default_value = "1.32.0")]
    pub kube_version: String,

    /// An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable
    #[arg(short = 'a', long = "api-versions", value_name = "VERSION")]
    pub api_versions: Vec<String>,
}

/// Where to fetch Istio from and where to put it.
#[derive(Debug, Args)]
#[command(
    disable_version_flag = true,
    after_help = "Examples:\n  rigger download                          (latest stable release into ./istio-<version>)\n  \
rigger download --version 1.23.6 --dir ~/tools\n  eval \"$(rigger download --version 1.23 -o env)\"\n  \
rigger download --mirror https://mirror.example/istio --version 1.23.6   (same layout as GitHub releases)\n\n\
Archives are kept in --cache-dir and verified again on every use; an interrupted download resumes."
)]
pub struct DownloadArgs {
    /// Istio version: latest, a minor version for its newest patch (1.23), or exact (1.23.6, v1.23.6)
    #[arg(long, env = "ISTIO_VERSION", default_value = "latest", value_name = "VERSION",
          value_parser = parse_version_request)]
    pub version: VersionRequest,

    /// Let `latest` and minor versions pick pre-releases (alpha, beta, rc)
    #[arg(long)]
    pub pre: bool,

    /// Operating system of the binaries (default: this machine's)
    #[arg(long, value_name = "OS", value_parser = parse_os)]
    pub os: Option<Os>,

    /// CPU architecture of the binaries: amd64, arm64 or armv7 (default: this machine's)
    #[arg(long, value_name = "ARCH", value_parser = parse_arch)]
    pub arch: Option<Arch>,

    /// Directory that receives istio-<version>/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// A server with the layout of GitHub releases: <URL>/<version>/<archive> and <archive>.sha256
    #[arg(long, value_name = "URL")]
    pub mirror: Option<String>,

    /// Where downloaded archives are kept (default: $XDG_CACHE_HOME/rigger or ~/.cache/rigger)
    #[arg(long, env = "RIGGER_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Replace an existing istio-<version>/ directory
    #[arg(long)]
    pub force: bool,

    /// Install even when the release has no .sha256 file (the archive is then not verified)
    #[arg(long)]
    pub insecure_skip_checksum: bool,

    /// How many times to retry a failed connection or an interrupted transfer
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub retries: u32,

    /// Resolve the version and show what would be downloaded and where, without doing it
    #[arg(long)]
    pub dry_run: bool,

    /// Base URL of the GitHub API (for tests and GitHub Enterprise mirrors)
    #[arg(long, env = "RIGGER_GITHUB_API", default_value = GITHUB_API, hide = true)]
    pub github_api: String,
}

fn parse_version_request(s: &str) -> Result<VersionRequest, String> {
    s.parse().map_err(|e: VersionError| e.to_string())
}

fn parse_os(s: &str) -> Result<Os, String> {
    s.parse().map_err(|e: PlatformError| e.to_string())
}

fn parse_arch(s: &str) -> Result<Arch, String> {
    s.parse().map_err(|e: PlatformError| e.to_string())
}

#[derive(Debug, Args)]
#[command(
    after_help = "Steps, in order, each skipped when already done: precheck, operator init, install (until HEALTHY), \
inject, apply, verify-sidecars, expose, url, firewall, check. A failed step stops the run; run the same command \
again to resume.\n\n\
Examples:\n  rigger up -f istio-manifest.yaml --inject bookinfo --apply bookinfo.yaml --expose productpage:9080 -n bookinfo --path /productpage\n  \
rigger up --profile demo --inject shop --dry-run   (the plan and every object, nothing applied)\n  \
rigger up --skip-install --inject shop   (Istio is already installed)\n  \
rigger up ... -o json   (one JSON event per line, for CI)"
)]
pub struct UpArgs {
    /// An IstioOperator file for the control plane (repeatable; merged in order; - is stdin)
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The installation profile (default, demo, minimal, ...) when the files name none
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Set a field of the IstioOperator spec (repeatable), e.g. meshConfig.accessLogFile=/dev/stdout
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// The Istio release: 1.23 or older through the operator (default: the IstioOperator's spec.tag,
    /// else 1.23.6); 1.24 or newer (or latest) from the release's own charts, downloaded when needed
    #[arg(long, value_name = "VERSION")]
    pub istio_version: Option<String>,

    /// Install Istio 1.24+ from this unpacked release (or its manifests/ folder) instead of
    /// downloading it
    #[arg(long, value_name = "DIR")]
    pub manifests: Option<PathBuf>,

    /// The registry of the operator image, e.g. a private mirror (Istio's own images follow spec.hub)
    #[arg(long, default_value = "docker.io/istio", value_name = "HUB")]
    pub hub: String,

    /// Use the control plane already in the cluster: no precheck, operator or install step
    #[arg(long, conflicts_with_all = ["files", "profile", "sets", "istio_version", "manifests"])]
    pub skip_install: bool,

    /// Namespaces to enable sidecar injection in (repeatable)
    #[arg(long, value_name = "NAMESPACE")]
    pub inject: Vec<String>,

    /// Workload manifests to apply after injection is enabled (file, directory or -; repeatable)
    #[arg(long, value_name = "FILE")]
    pub apply: Vec<PathBuf>,

    /// Expose SERVICE (in -n) through the ingress gateway, on PORT of the Service
    #[arg(long, value_name = "SERVICE:PORT")]
    pub expose: Option<String>,

    /// Exact path to route and check (repeatable), e.g. /productpage
    #[arg(long)]
    pub path: Vec<String>,

    /// Path prefix to route (repeatable), e.g. /static
    #[arg(long)]
    pub prefix: Vec<String>,

    /// How long each waiting step may take
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// How long a new load balancer may take to get an address before its NodePort is used
    #[arg(long, default_value = "2m", value_parser = parse_duration)]
    pub lb_wait: Duration,

    /// When the gateway is reached on a NodePort, open it with a GCP firewall rule scoped to the nodes
    #[arg(long)]
    pub firewall: bool,

    #[command(flatten)]
    pub gcp: GcpArgs,

    /// Do not ask before changing an existing installation
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Print the plan and every object that would be applied, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The cluster is simulated (kubesim, in this process, on 127.0.0.1): nothing touches a real cluster \
or cloud, and no network access is needed.\n\nExamples:\n  rigger demo\n  rigger demo --keep   (then poke at it with rigger or kubectl)\n  \
rigger demo -o json   (one JSON event per step, then the result)"
)]
pub struct DemoArgs {
    /// Keep the simulated cluster running after the demo (until Ctrl-C) and print how to reach it
    #[arg(long)]
    pub keep: bool,

    /// Write the simulated cluster's kubeconfig here
    #[arg(long, value_name = "FILE")]
    pub kubeconfig_out: Option<PathBuf>,

    /// How long each waiting step may take
    #[arg(long, default_value = "3m", value_parser = parse_duration)]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct InjectArgs {
    #[command(subcommand)]
    pub command: InjectCommand,
}

#[derive(Debug, Subcommand)]
pub enum InjectCommand {
    /// Label namespaces for injection and restart their workloads so pods get sidecars
    #[command(
        after_help = "Examples:\n  rigger inject enable bookinfo --wait\n  rigger inject enable bookinfo --revision canary\n  \
rigger inject enable bookinfo --restart delete-pods   (as the manual walkthrough does)"
    )]
    Enable(InjectToggleArgs),
    /// Remove the injection labels and restart workloads so pods lose their sidecars
    Disable(InjectToggleArgs),
}

#[derive(Debug, Args)]
pub struct InjectToggleArgs {
    /// The namespaces to change
    #[arg(required = true, value_name = "NAMESPACE")]
    pub namespaces: Vec<String>,

    /// Use the istio.io/rev=REVISION label instead of istio-injection=enabled
    #[arg(long)]
    pub revision: Option<String>,

    /// How running pods are replaced
    #[arg(long, value_enum, default_value_t = RestartStrategy::Rollout)]
    pub restart: RestartStrategy,

    /// With --restart delete-pods, also delete pods that no controller will recreate
    #[arg(long)]
    pub include_bare_pods: bool,

    /// Wait until every pod of the namespaces carries a ready sidecar
    #[arg(long)]
    pub wait: bool,

    /// How long to wait for rollouts and sidecars
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Print what would change without changing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RestartStrategy {
    /// Restart Deployments, StatefulSets and DaemonSets like `kubectl rollout restart`, and wait
    Rollout,
    /// Delete the pods (controllers recreate them), as the manual walkthrough does
    DeletePods,
    /// Only change the labels
    None,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit code 0 only when every pod that should have a sidecar has a ready one; 3 otherwise.\n\nExamples:\n  \
rigger verify-sidecars -n bookinfo\n  rigger verify-sidecars -A -o json\n  rigger verify-sidecars bookinfo reviews --wait --timeout 5m"
)]
pub struct VerifySidecarsArgs {
    /// Namespaces to check (default: -n, else the context's namespace)
    #[arg(value_name = "NAMESPACE")]
    pub namespaces: Vec<String>,

    /// Check pods in every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Only pods matching this label selector (e.g. app=reviews)
    #[arg(short = 'l', long = "selector")]
    pub selector: Option<String>,

    /// Wait until every pod that should have a sidecar has a ready one
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct GatewayArgs {
    #[command(subcommand)]
    pub command: GatewayCommand,
}

#[derive(Debug, Subcommand)]
pub enum GatewayCommand {
    /// Create a Gateway and a VirtualService that route the ingress gateway to a Service
    #[command(
        after_help = "Examples:\n  rigger gateway expose productpage -n bookinfo --port 9080 --path /productpage --prefix /static\n  \
rigger gateway expose httpbin -n demo --dry-run -o yaml"
    )]
    Expose(GatewayExposeArgs),

    /// Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)
    #[command(
        after_help = "Examples:\n  rigger gateway apply -f bookinfo-gateway.yaml\n  cat gw.yaml | rigger gateway apply -f -"
    )]
    Apply(GatewayApplyArgs),

    /// Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)
    #[command(
        after_help = "Examples:\n  rigger gateway url --path /productpage\n  eval \"$(rigger gateway url -o env)\"\n  \
rigger gateway url --path /productpage --check   (exit 3 when the URL does not answer)"
    )]
    Url(GatewayUrlArgs),
}

#[derive(Debug, Args)]
pub struct GatewayUrlArgs {
    /// The ingress gateway Service (in -n, default istio-system)
    #[arg(long, default_value = "istio-ingressgateway")]
    pub service: String,

    /// The Service port to use, by name
    #[arg(long, default_value = "http2")]
    pub port_name: String,

    /// Path to append to the URL
    #[arg(long, default_value = "/")]
    pub path: String,

    /// Wait for a pending load balancer to get an address (then fall back to the NodePort)
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits
    #[arg(long, default_value = "2m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Send an HTTP GET to the URL and report the status and latency
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct GatewayExposeArgs {
    /// The Service to expose (in the namespace given by -n)
    pub service: String,

    /// The Service port to route to (default: the Service's only port)
    #[arg(long)]
    pub port: Option<u16>,

    /// Host names to accept; repeat for several ("*" accepts any)
    #[arg(long, default_value = "*")]
    pub host: Vec<String>,

    /// The ingress gateway port the Gateway listens on (its Service port 80 or target port 8080)
    #[arg(long, default_value_t = 8080)]
    pub gateway_port: u16,

    /// An exact URI path to route (repeatable), e.g. /productpage
    #[arg(long)]
    pub path: Vec<String>,

    /// A URI prefix to route (repeatable), e.g. /static; without --path or --prefix every path is routed
    #[arg(long)]
    pub prefix: Vec<String>,

    /// Name of the VirtualService (the Gateway gets "-gateway" appended); default: the Service name
    #[arg(long)]
    pub name: Option<String>,

    /// Labels that select the ingress gateway pods
    #[arg(long, default_value = "istio=ingressgateway")]
    pub gateway_selector: String,

    /// Check everything and print the objects that would be applied (-o yaml|json) without applying them
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct GatewayApplyArgs {
    /// A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)
    #[arg(
        short = 'f',
        long = "filename",
        required = true,
        value_name = "FILE|DIR|-"
    )]
    pub filename: Vec<PathBuf>,

    /// Let the server validate everything without persisting it
    #[arg(long)]
    pub dry_run: bool,

    /// Take over fields that another field manager owns
    #[arg(long)]
    pub force_conflicts: bool,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Also ask the cluster for its Kubernetes version and the Istio control plane version
    #[arg(long)]
    pub remote: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  rigger completion bash > ~/.local/share/bash-completion/completions/rigger\n  \
rigger completion zsh > ~/.zfunc/_rigger\n  rigger completion fish > ~/.config/fish/completions/rigger.fish"
)]
pub struct CompletionArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Credentials are found as Google's Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS \
(service-account key or authorized_user file), the gcloud ADC file, then the GCE metadata server \
(GCE_METADATA_HOST honoured). gcloud is not needed."
)]
pub struct FirewallArgs {
    #[command(subcommand)]
    pub command: FirewallCommand,
}

#[derive(Debug, Subcommand)]
pub enum FirewallCommand {
    /// Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`
    Allow(Box<FirewallAllowArgs>),
    /// List the project's firewall rules; `-o table|json`
    List(FirewallListArgs),
    /// Delete a firewall rule
    Delete(FirewallDeleteArgs),
}

/// Where the Compute API is and which project to use.
#[derive(Debug, Clone, Args)]
pub struct GcpArgs {
    /// The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud
    /// configuration, the credentials' project, then the nodes' providerID)
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,

    /// The Compute API base URL, for tests and private endpoints
    #[arg(
        long,
        env = "RIGGER_COMPUTE_ENDPOINT",
        value_name = "URL",
        default_value = crate::cloud::compute::DEFAULT_ENDPOINT
    )]
    pub compute_endpoint: String,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  rigger firewall allow --from-gateway\n  \
rigger firewall allow --port 31380 --source-ranges 203.0.113.0/24 --dry-run\n  \
rigger firewall allow --from-gateway --update -o json")]
pub struct FirewallAllowArgs {
    /// Port or range to open (repeat or separate with commas), e.g. 31380 or 30000-32767
    #[arg(
        long = "port",
        value_name = "PORT",
        value_delimiter = ',',
        required_unless_present = "from_gateway",
        conflicts_with = "from_gateway"
    )]
    pub ports: Vec<String>,

    /// Read the port from the ingress gateway Service, the way `rigger gateway url` does
    #[arg(long)]
    pub from_gateway: bool,

    /// Namespace of the ingress gateway Service (with --from-gateway)
    #[arg(long, value_name = "NAMESPACE", default_value = "istio-system")]
    pub gateway_namespace: String,

    /// Name of the ingress gateway Service (with --from-gateway)
    #[arg(long, value_name = "NAME", default_value = "istio-ingressgateway")]
    pub gateway_service: String,

    /// Name of the Service port to open (with --from-gateway)
    #[arg(long, value_name = "NAME", default_value = "http2")]
    pub gateway_port_name: String,

    /// Create the rule even when the gateway already has a cloud load balancer
    #[arg(long)]
    pub force: bool,

    /// IP protocol to allow
    #[arg(long, default_value = "tcp", value_name = "PROTOCOL")]
    pub protocol: String,

    /// Name of the firewall rule
    #[arg(long, default_value = "allow-gateway-http", value_name = "NAME")]
    pub name: String,

    /// VPC network the rule belongs to
    #[arg(long, default_value = "default", value_name = "NETWORK")]
    pub network: String,

    /// Source CIDR ranges allowed in (default: 0.0.0.0/0, the whole internet, with a warning)
    #[arg(long, value_delimiter = ',', value_name = "CIDR")]
    pub source_ranges: Vec<String>,

    /// Instance tags the rule applies to (default: the cluster nodes' tags, found through their providerID)
    #[arg(long, value_delimiter = ',', value_name = "TAG")]
    pub target_tags: Vec<String>,

    /// Rule priority, 0 (highest) to 65535
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub priority: u32,

    /// Description stored with the rule
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Replace an existing rule of the same name that differs from what is asked
    #[arg(long)]
    pub update: bool,

    /// Change nothing: print the exact request body that would be sent
    #[arg(long)]
    pub dry_run: bool,

    /// How long to wait for the Compute operation to finish
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,

    #[command(flatten)]
    pub gcp: GcpArgs,
}

#[derive(Debug, Args)]
pub struct FirewallListArgs {
    #[command(flatten)]
    pub gcp: GcpArgs,
}

#[derive(Debug, Args)]
pub struct FirewallDeleteArgs {
    /// Name of the rule to delete
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Do not ask for confirmation (required when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// How long to wait for the Compute operation to finish
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,

    #[command(flatten)]
    pub gcp: GcpArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
rigger kube-inject -f deployment.yaml | kubectl apply -f -\n  \
rigger kube-inject -f manifests/ --output-file injected.yaml\n  \
rigger kube-inject -f app.yaml --native-sidecars false --set values.global.imagePullPolicy=Always\n  \
rigger kube-inject -f app.yaml --from-cluster --revision canary\n\n\
Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs and \
OpenShift DeploymentConfigs (also inside `kind: List`) get the sidecar; every other document passes through \
unchanged, in order. Without --from-cluster the settings are the embedded defaults of the Istio version rigger \
targets (a --tag of 1.23.x or older selects Istio 1.23's template and defaults), overlaid with --iop, --set \
and the other flags. The output is YAML; `-o` is rigger's global output-format flag, so the file to write \
is given with --output-file.")]
pub struct KubeInjectArgs {
    /// The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin
    #[arg(short = 'f', long = "filename", value_name = "FILE|DIR|-")]
    pub filename: String,

    /// Write the injected manifest to FILE instead of stdout (only when everything could be injected)
    #[arg(long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Image registry of the proxy images (default: docker.io/istio)
    #[arg(long, value_name = "HUB", conflicts_with = "from_cluster")]
    pub hub: Option<String>,

    /// Tag of the proxy images (default: the Istio version rigger targets)
    #[arg(long, value_name = "TAG", conflicts_with = "from_cluster")]
    pub tag: Option<String>,

    /// The control plane revision to inject for (`istio.io/rev`); with --from-cluster it also picks the
    /// revision's ConfigMaps
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// Put istio-proxy in initContainers as a native sidecar: auto follows the Istio version (and, with
    /// --from-cluster, the nodes' kubelet versions: on from Kubernetes 1.33)
    #[arg(long, value_enum, default_value_t = NativeSidecarsArg::Auto, value_name = "WHEN")]
    pub native_sidecars: NativeSidecarsArg,

    /// Override a setting with an IstioOperator path (e.g. values.global.proxy.image=proxyv2,
    /// meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true); repeatable
    #[arg(
        long = "set",
        value_name = "PATH=VALUE",
        conflicts_with = "from_cluster"
    )]
    pub set: Vec<String>,

    /// An IstioOperator file whose spec.values and spec.meshConfig apply (before --set); repeatable
    #[arg(long, value_name = "FILE", conflicts_with = "from_cluster")]
    pub iop: Vec<PathBuf>,

    /// Read hub, tag, values and mesh config from the installed control plane (the
    /// istio-sidecar-injector and istio ConfigMaps) instead of the embedded defaults
    #[arg(long)]
    pub from_cluster: bool,

    /// The namespace of the control plane, for --from-cluster
    #[arg(long, value_name = "NAMESPACE", default_value = "istio-system")]
    pub istio_namespace: String,
}

/// `--native-sidecars` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NativeSidecarsArg {
    Auto,
    True,
    False,
}

/// Value parser for duration flags (`30s`, `5m`, `1h30m`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::duration::parse(text)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every check passed (warnings allowed), 3 a check failed.\n\n\
Examples:\n  rigger precheck\n  rigger precheck --istio-version 1.30.3   (the permissions of a direct install)\n  rigger precheck -o json"
)]
pub struct PrecheckArgs {
    /// The Istio release to check for: 1.23 or older installs through the operator (the default),
    /// 1.24 or newer (or latest) from its charts, which needs other permissions
    #[arg(long, value_name = "VERSION")]
    pub istio_version: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart
    Init(OperatorInitArgs),
    /// Remove what `rigger operator init` created
    Remove(OperatorRemoveArgs),
}

/// Where the operator lives, shared by init and remove.
#[derive(Debug, Clone, Args)]
pub struct OperatorLocation {
    /// The namespace the operator runs in
    #[arg(long, default_value = "istio-operator", value_name = "NAMESPACE")]
    pub operator_namespace: String,

    /// The operator's revision (names its resources istio-operator-REVISION)
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The operator exists up to Istio 1.23.x; for 1.24 and newer, install without it.\n\n\
Examples:\n  rigger operator init\n  rigger operator init --tag 1.23.2 --watched-namespaces istio-system,istio-canary\n  \
rigger operator init --dry-run > operator.yaml"
)]
pub struct OperatorInitArgs {
    /// The registry and repository of the operator image
    #[arg(long, default_value = "docker.io/istio", value_name = "HUB")]
    pub hub: String,

    /// The operator image tag (an Istio 1.23 or older version)
    #[arg(long, default_value = "1.23.6", value_name = "TAG")]
    pub tag: String,

    #[command(flatten)]
    pub location: OperatorLocation,

    /// Namespaces the operator watches for IstioOperator objects (comma-separated); created if missing
    #[arg(
        long,
        default_value = "istio-system",
        value_delimiter = ',',
        value_name = "NAMESPACES"
    )]
    pub watched_namespaces: Vec<String>,

    /// Secrets for pulling the operator image from a private registry (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "SECRETS")]
    pub image_pull_secrets: Vec<String>,

    /// Wait until the operator Deployment is available (the default)
    #[arg(long, overrides_with = "no_wait")]
    pub wait: bool,

    /// Return as soon as the objects are applied
    #[arg(long, overrides_with = "wait")]
    pub no_wait: bool,

    /// How long to wait for the operator to become available
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Print the objects as YAML and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  rigger operator remove --yes\n  rigger operator remove --purge --yes"
)]
pub struct OperatorRemoveArgs {
    #[command(flatten)]
    pub location: OperatorLocation,

    /// Also delete the IstioOperator objects (and so the control plane) and the IstioOperator CRD
    #[arg(long)]
    pub purge: bool,

    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Files are merged in order (later wins), then --profile, then --set. Paths of --set are \
relative to the IstioOperator spec: values.global.hub=..., components.pilot.k8s.replicaCount=2, \
components.ingressGateways[name:istio-ingressgateway].enabled=false.\n\n\
Istio 1.24 and newer have no operator: with --istio-version >= 1.24 or --manifests (or --mode direct) \
the release's charts are rendered like `rigger manifest generate` and applied in order (base, istiod, cni, \
ztunnel, gateways), waiting for each; objects no longer rendered are pruned.\n\n\
Examples:\n  rigger install -f istio-manifest.yaml\n  rigger install --profile demo --set meshConfig.accessLogFile=/dev/stdout\n  \
rigger install -f base.yaml -f prod.yaml --dry-run\n  rigger install --istio-version 1.30.3 --profile demo\n  \
rigger install --manifests istio-1.30.3 -f istio-manifest.yaml --dry-run"
)]
pub struct InstallArgs {
    /// An IstioOperator file (repeatable; merged in order)
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// The installation profile (default, demo, minimal, empty, ambient, ...)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Follow the operator until the installation is healthy (the default)
    #[arg(long, overrides_with = "no_wait")]
    pub wait: bool,

    /// Return as soon as the IstioOperator is applied
    #[arg(long, overrides_with = "wait")]
    pub no_wait: bool,

    /// How long to wait for the installation to become healthy
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Print the IstioOperator that would be applied and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask before changing an existing installation
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// How to install: through the in-cluster operator (Istio <= 1.23) or directly from the release's charts (Istio >= 1.24). Default: by version
    #[arg(long, value_enum, value_name = "MODE")]
    pub mode: Option<InstallMode>,

    /// The Istio release to install directly (>= 1.24), fetched and verified when not cached; images come from docker.io/istio with this tag
    #[arg(long, value_name = "VERSION")]
    pub istio_version: Option<String>,

    /// A local Istio release folder (or its manifests/ folder) to install directly from
    #[arg(short = 'd', long, value_name = "DIR")]
    pub manifests: Option<PathBuf>,

    /// The control plane revision (direct install; same as --set revision=NAME)
    #[arg(short = 'r', long, value_name = "NAME")]
    pub revision: Option<String>,

    /// Install even when the input fails validation (direct install; problems become warnings)
    #[arg(long)]
    pub force: bool,
}

/// `rigger install --mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InstallMode {
    /// The in-cluster Istio operator (Istio 1.23 and older)
    Operator,
    /// Render the release's charts and apply them (Istio 1.24 and newer)
    Direct,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 everything is installed and healthy, 3 something is missing or unhealthy.\n\n\
Examples:\n  rigger verify-install\n  rigger verify-install -f istio-manifest.yaml -o json"
)]
pub struct VerifyInstallArgs {
    /// Check against this IstioOperator file instead of the IstioOperators in the cluster
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Only check the control plane of this revision
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  rigger uninstall --yes\n  rigger uninstall --purge --yes")]
pub struct UninstallArgs {
    /// Also remove every Istio operator, the IstioOperator CRD, and the namespaces of the operator and the IstioOperators
    #[arg(long)]
    pub purge: bool,

    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Only remove the control plane of this revision
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// How long to wait for the components to go
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Duration,
}
