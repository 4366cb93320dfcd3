
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'rigger' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'rigger'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'rigger' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Download an Istio release, verify its checksum and unpack it (istioctl included)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Do the whole walkthrough in one go, skipping what is already done')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try the whole walkthrough against a simulated cluster started in this process')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label namespaces for sidecar injection (or remove it) and restart their workloads')
            [CompletionResult]::new('verify-sidecars', 'verify-sidecars', [CompletionResultType]::ParameterValue, 'Check that every pod carries a ready Istio proxy, and say why not where it does not')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Expose a Service through the Istio ingress gateway, or apply networking manifests')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs')
            [CompletionResult]::new('operator', 'operator', [CompletionResultType]::ParameterValue, 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio from IstioOperator files and follow the operator until it is healthy')
            [CompletionResult]::new('verify-install', 'verify-install', [CompletionResultType]::ParameterValue, 'Check that everything the IstioOperator asks for is installed and healthy')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the Istio control plane installed through the operator')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render manifests without touching a cluster')
            [CompletionResult]::new('firewall', 'firewall', [CompletionResultType]::ParameterValue, 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)')
            [CompletionResult]::new('kube-inject', 'kube-inject', [CompletionResultType]::ParameterValue, 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;download' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Istio version: latest, a minor version for its newest patch (1.23), or exact (1.23.6, v1.23.6)')
            [CompletionResult]::new('--os', '--os', [CompletionResultType]::ParameterName, 'Operating system of the binaries (default: this machine''s)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'CPU architecture of the binaries: amd64, arm64 or armv7 (default: this machine''s)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory that receives istio-<version>/')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'A server with the layout of GitHub releases: <URL>/<version>/<archive> and <archive>.sha256')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Where downloaded archives are kept (default: $XDG_CACHE_HOME/rigger or ~/.cache/rigger)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection or an interrupted transfer')
            [CompletionResult]::new('--github-api', '--github-api', [CompletionResultType]::ParameterName, 'Base URL of the GitHub API (for tests and GitHub Enterprise mirrors)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Let `latest` and minor versions pick pre-releases (alpha, beta, rc)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing istio-<version>/ directory')
            [CompletionResult]::new('--insecure-skip-checksum', '--insecure-skip-checksum', [CompletionResultType]::ParameterName, 'Install even when the release has no .sha256 file (the archive is then not verified)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Resolve the version and show what would be downloaded and where, without doing it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'rigger;version' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Also ask the cluster for its Kubernetes version and the Istio control plane version')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;up' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file for the control plane (repeatable; merged in order; - is stdin)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file for the control plane (repeatable; merged in order; - is stdin)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile (default, demo, minimal, ...) when the files name none')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec (repeatable), e.g. meshConfig.accessLogFile=/dev/stdout')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release: 1.23 or older through the operator (default: the IstioOperator''s spec.tag, else 1.23.6); 1.24 or newer (or latest) from the release''s own charts, downloaded when needed')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'Install Istio 1.24+ from this unpacked release (or its manifests/ folder) instead of downloading it')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'The registry of the operator image, e.g. a private mirror (Istio''s own images follow spec.hub)')
            [CompletionResult]::new('--inject', '--inject', [CompletionResultType]::ParameterName, 'Namespaces to enable sidecar injection in (repeatable)')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Workload manifests to apply after injection is enabled (file, directory or -; repeatable)')
            [CompletionResult]::new('--expose', '--expose', [CompletionResultType]::ParameterName, 'Expose SERVICE (in -n) through the ingress gateway, on PORT of the Service')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Exact path to route and check (repeatable), e.g. /productpage')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Path prefix to route (repeatable), e.g. /static')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long each waiting step may take')
            [CompletionResult]::new('--lb-wait', '--lb-wait', [CompletionResultType]::ParameterName, 'How long a new load balancer may take to get an address before its NodePort is used')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)')
            [CompletionResult]::new('--compute-endpoint', '--compute-endpoint', [CompletionResultType]::ParameterName, 'The Compute API base URL, for tests and private endpoints')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--skip-install', '--skip-install', [CompletionResultType]::ParameterName, 'Use the control plane already in the cluster: no precheck, operator or install step')
            [CompletionResult]::new('--firewall', '--firewall', [CompletionResultType]::ParameterName, 'When the gateway is reached on a NodePort, open it with a GCP firewall rule scoped to the nodes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before changing an existing installation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before changing an existing installation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and every object that would be applied, and change nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;demo' {
            [CompletionResult]::new('--kubeconfig-out', '--kubeconfig-out', [CompletionResultType]::ParameterName, 'Write the simulated cluster''s kubeconfig here')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long each waiting step may take')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the simulated cluster running after the demo (until Ctrl-C) and print how to reach it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;inject' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Label namespaces for injection and restart their workloads so pods get sidecars')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the injection labels and restart workloads so pods lose their sidecars')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;inject;enable' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'How running pods are replaced')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for rollouts and sidecars')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--include-bare-pods', '--include-bare-pods', [CompletionResultType]::ParameterName, 'With --restart delete-pods, also delete pods that no controller will recreate')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every pod of the namespaces carries a ready sidecar')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change without changing anything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;inject;disable' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'How running pods are replaced')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for rollouts and sidecars')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--include-bare-pods', '--include-bare-pods', [CompletionResultType]::ParameterName, 'With --restart delete-pods, also delete pods that no controller will recreate')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every pod of the namespaces carries a ready sidecar')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change without changing anything')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;inject;help' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Label namespaces for injection and restart their workloads so pods get sidecars')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the injection labels and restart workloads so pods lose their sidecars')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;inject;help;enable' {
            break
        }
        'rigger;inject;help;disable' {
            break
        }
        'rigger;inject;help;help' {
            break
        }
        'rigger;verify-sidecars' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only pods matching this label selector (e.g. app=reviews)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only pods matching this label selector (e.g. app=reviews)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Check pods in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Check pods in every namespace')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every pod that should have a sidecar has a ready one')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;gateway' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('expose', 'expose', [CompletionResultType]::ParameterValue, 'Create a Gateway and a VirtualService that route the ingress gateway to a Service')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)')
            [CompletionResult]::new('url', 'url', [CompletionResultType]::ParameterValue, 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;gateway;expose' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The Service port to route to (default: the Service''s only port)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host names to accept; repeat for several ("*" accepts any)')
            [CompletionResult]::new('--gateway-port', '--gateway-port', [CompletionResultType]::ParameterName, 'The ingress gateway port the Gateway listens on (its Service port 80 or target port 8080)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'An exact URI path to route (repeatable), e.g. /productpage')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'A URI prefix to route (repeatable), e.g. /static; without --path or --prefix every path is routed')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the VirtualService (the Gateway gets "-gateway" appended); default: the Service name')
            [CompletionResult]::new('--gateway-selector', '--gateway-selector', [CompletionResultType]::ParameterName, 'Labels that select the ingress gateway pods')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print the objects that would be applied (-o yaml|json) without applying them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;gateway;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Let the server validate everything without persisting it')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields that another field manager owns')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;gateway;url' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The ingress gateway Service (in -n, default istio-system)')
            [CompletionResult]::new('--port-name', '--port-name', [CompletionResultType]::ParameterName, 'The Service port to use, by name')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Path to append to the URL')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for a pending load balancer to get an address (then fall back to the NodePort)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Send an HTTP GET to the URL and report the status and latency')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;gateway;help' {
            [CompletionResult]::new('expose', 'expose', [CompletionResultType]::ParameterValue, 'Create a Gateway and a VirtualService that route the ingress gateway to a Service')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)')
            [CompletionResult]::new('url', 'url', [CompletionResultType]::ParameterValue, 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;gateway;help;expose' {
            break
        }
        'rigger;gateway;help;apply' {
            break
        }
        'rigger;gateway;help;url' {
            break
        }
        'rigger;gateway;help;help' {
            break
        }
        'rigger;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;precheck' {
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release to check for: 1.23 or older installs through the operator (the default), 1.24 or newer (or latest) from its charts, which needs other permissions')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;operator' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove what `rigger operator init` created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;operator;init' {
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'The registry and repository of the operator image')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'The operator image tag (an Istio 1.23 or older version)')
            [CompletionResult]::new('--operator-namespace', '--operator-namespace', [CompletionResultType]::ParameterName, 'The namespace the operator runs in')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The operator''s revision (names its resources istio-operator-REVISION)')
            [CompletionResult]::new('--watched-namespaces', '--watched-namespaces', [CompletionResultType]::ParameterName, 'Namespaces the operator watches for IstioOperator objects (comma-separated); created if missing')
            [CompletionResult]::new('--image-pull-secrets', '--image-pull-secrets', [CompletionResultType]::ParameterName, 'Secrets for pulling the operator image from a private registry (comma-separated)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the operator to become available')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the operator Deployment is available (the default)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return as soon as the objects are applied')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the objects as YAML and change nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;operator;remove' {
            [CompletionResult]::new('--operator-namespace', '--operator-namespace', [CompletionResultType]::ParameterName, 'The namespace the operator runs in')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The operator''s revision (names its resources istio-operator-REVISION)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--purge', '--purge', [CompletionResultType]::ParameterName, 'Also delete the IstioOperator objects (and so the control plane) and the IstioOperator CRD')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;operator;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove what `rigger operator init` created')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;operator;help;init' {
            break
        }
        'rigger;operator;help;remove' {
            break
        }
        'rigger;operator;help;help' {
            break
        }
        'rigger;install' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; merged in order)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; merged in order)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile (default, demo, minimal, empty, ambient, ...)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the installation to become healthy')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'How to install: through the in-cluster operator (Istio <= 1.23) or directly from the release''s charts (Istio >= 1.24). Default: by version')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release to install directly (>= 1.24), fetched and verified when not cached; images come from docker.io/istio with this tag')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'A local Istio release folder (or its manifests/ folder) to install directly from')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'A local Istio release folder (or its manifests/ folder) to install directly from')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The control plane revision (direct install; same as --set revision=NAME)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision (direct install; same as --set revision=NAME)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the operator until the installation is healthy (the default)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return as soon as the IstioOperator is applied')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the IstioOperator that would be applied and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before changing an existing installation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before changing an existing installation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Install even when the input fails validation (direct install; problems become warnings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;verify-install' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Check against this IstioOperator file instead of the IstioOperators in the cluster')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Check against this IstioOperator file instead of the IstioOperators in the cluster')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Only check the control plane of this revision')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;uninstall' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Only remove the control plane of this revision')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the components to go')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--purge', '--purge', [CompletionResultType]::ParameterName, 'Also remove every Istio operator, the IstioOperator CRD, and the namespaces of the operator and the IstioOperators')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;manifest' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;manifest;template' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A values file (YAML); repeat for more, later files win')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'A values file (YAML); repeat for more, later files win')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a value, Helm syntax: a.b=c, list[0]=x, a={x,y}; commas separate several, `\,` escapes one')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'Like --set, but every value stays a string')
            [CompletionResult]::new('--release-name', '--release-name', [CompletionResultType]::ParameterName, 'The release name (.Release.Name)')
            [CompletionResult]::new('--kube-version', '--kube-version', [CompletionResultType]::ParameterName, 'The Kubernetes version templates see (.Capabilities.KubeVersion)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable')
            [CompletionResult]::new('--api-versions', '--api-versions', [CompletionResultType]::ParameterName, 'An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--is-upgrade', '--is-upgrade', [CompletionResultType]::ParameterName, 'Render as an upgrade (.Release.IsUpgrade true, .Release.IsInstall false)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;manifest;generate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable, or comma-separated; merged in order)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable, or comma-separated; merged in order)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The installation profile (default, demo, minimal, empty, ambient, ...)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The control plane revision (same as --set revision=NAME)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision (same as --set revision=NAME)')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'The Istio release to render; its images come from docker.io/istio with this tag. Fetched and verified when not cached')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'A local Istio release folder (or its manifests/ folder) holding the charts and profiles')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'A local Istio release folder (or its manifests/ folder) holding the charts and profiles')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Render even when the input fails validation (the problems are shown as warnings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;manifest;help' {
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;manifest;help;template' {
            break
        }
        'rigger;manifest;help;generate' {
            break
        }
        'rigger;manifest;help;help' {
            break
        }
        'rigger;firewall' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the project''s firewall rules; `-o table|json`')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a firewall rule')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;firewall;allow' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port or range to open (repeat or separate with commas), e.g. 31380 or 30000-32767')
            [CompletionResult]::new('--gateway-namespace', '--gateway-namespace', [CompletionResultType]::ParameterName, 'Namespace of the ingress gateway Service (with --from-gateway)')
            [CompletionResult]::new('--gateway-service', '--gateway-service', [CompletionResultType]::ParameterName, 'Name of the ingress gateway Service (with --from-gateway)')
            [CompletionResult]::new('--gateway-port-name', '--gateway-port-name', [CompletionResultType]::ParameterName, 'Name of the Service port to open (with --from-gateway)')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'IP protocol to allow')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the firewall rule')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'VPC network the rule belongs to')
            [CompletionResult]::new('--source-ranges', '--source-ranges', [CompletionResultType]::ParameterName, 'Source CIDR ranges allowed in (default: 0.0.0.0/0, the whole internet, with a warning)')
            [CompletionResult]::new('--target-tags', '--target-tags', [CompletionResultType]::ParameterName, 'Instance tags the rule applies to (default: the cluster nodes'' tags, found through their providerID)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Rule priority, 0 (highest) to 65535')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Description stored with the rule')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the Compute operation to finish')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)')
            [CompletionResult]::new('--compute-endpoint', '--compute-endpoint', [CompletionResultType]::ParameterName, 'The Compute API base URL, for tests and private endpoints')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--from-gateway', '--from-gateway', [CompletionResultType]::ParameterName, 'Read the port from the ingress gateway Service, the way `rigger gateway url` does')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Create the rule even when the gateway already has a cloud load balancer')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Replace an existing rule of the same name that differs from what is asked')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the exact request body that would be sent')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;firewall;list' {
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)')
            [CompletionResult]::new('--compute-endpoint', '--compute-endpoint', [CompletionResultType]::ParameterName, 'The Compute API base URL, for tests and private endpoints')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;firewall;delete' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the Compute operation to finish')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)')
            [CompletionResult]::new('--compute-endpoint', '--compute-endpoint', [CompletionResultType]::ParameterName, 'The Compute API base URL, for tests and private endpoints')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;firewall;help' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the project''s firewall rules; `-o table|json`')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a firewall rule')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;firewall;help;allow' {
            break
        }
        'rigger;firewall;help;list' {
            break
        }
        'rigger;firewall;help;delete' {
            break
        }
        'rigger;firewall;help;help' {
            break
        }
        'rigger;kube-inject' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin')
            [CompletionResult]::new('--output-file', '--output-file', [CompletionResultType]::ParameterName, 'Write the injected manifest to FILE instead of stdout (only when everything could be injected)')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Image registry of the proxy images (default: docker.io/istio)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Tag of the proxy images (default: the Istio version rigger targets)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision to inject for (`istio.io/rev`); with --from-cluster it also picks the revision''s ConfigMaps')
            [CompletionResult]::new('--native-sidecars', '--native-sidecars', [CompletionResultType]::ParameterName, 'Put istio-proxy in initContainers as a native sidecar: auto follows the Istio version (and, with --from-cluster, the nodes'' kubelet versions: on from Kubernetes 1.33)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a setting with an IstioOperator path (e.g. values.global.proxy.image=proxyv2, meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true); repeatable')
            [CompletionResult]::new('--iop', '--iop', [CompletionResultType]::ParameterName, 'An IstioOperator file whose spec.values and spec.meshConfig apply (before --set); repeatable')
            [CompletionResult]::new('--istio-namespace', '--istio-namespace', [CompletionResultType]::ParameterName, 'The namespace of the control plane, for --from-cluster')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for commands that show data')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR in the environment also turns them off)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)')
            [CompletionResult]::new('--from-cluster', '--from-cluster', [CompletionResultType]::ParameterName, 'Read hub, tag, values and mesh config from the installed control plane (the istio-sidecar-injector and istio ConfigMaps) instead of the embedded defaults')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only print data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more detail to stderr (-v, -vv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rigger;help' {
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Download an Istio release, verify its checksum and unpack it (istioctl included)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Do the whole walkthrough in one go, skipping what is already done')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try the whole walkthrough against a simulated cluster started in this process')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Label namespaces for sidecar injection (or remove it) and restart their workloads')
            [CompletionResult]::new('verify-sidecars', 'verify-sidecars', [CompletionResultType]::ParameterValue, 'Check that every pod carries a ready Istio proxy, and say why not where it does not')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Expose a Service through the Istio ingress gateway, or apply networking manifests')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs')
            [CompletionResult]::new('operator', 'operator', [CompletionResultType]::ParameterValue, 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio from IstioOperator files and follow the operator until it is healthy')
            [CompletionResult]::new('verify-install', 'verify-install', [CompletionResultType]::ParameterValue, 'Check that everything the IstioOperator asks for is installed and healthy')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the Istio control plane installed through the operator')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render manifests without touching a cluster')
            [CompletionResult]::new('firewall', 'firewall', [CompletionResultType]::ParameterValue, 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)')
            [CompletionResult]::new('kube-inject', 'kube-inject', [CompletionResultType]::ParameterValue, 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rigger;help;download' {
            break
        }
        'rigger;help;version' {
            break
        }
        'rigger;help;up' {
            break
        }
        'rigger;help;demo' {
            break
        }
        'rigger;help;inject' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Label namespaces for injection and restart their workloads so pods get sidecars')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove the injection labels and restart workloads so pods lose their sidecars')
            break
        }
        'rigger;help;inject;enable' {
            break
        }
        'rigger;help;inject;disable' {
            break
        }
        'rigger;help;verify-sidecars' {
            break
        }
        'rigger;help;gateway' {
            [CompletionResult]::new('expose', 'expose', [CompletionResultType]::ParameterValue, 'Create a Gateway and a VirtualService that route the ingress gateway to a Service')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)')
            [CompletionResult]::new('url', 'url', [CompletionResultType]::ParameterValue, 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)')
            break
        }
        'rigger;help;gateway;expose' {
            break
        }
        'rigger;help;gateway;apply' {
            break
        }
        'rigger;help;gateway;url' {
            break
        }
        'rigger;help;completion' {
            break
        }
        'rigger;help;precheck' {
            break
        }
        'rigger;help;operator' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove what `rigger operator init` created')
            break
        }
        'rigger;help;operator;init' {
            break
        }
        'rigger;help;operator;remove' {
            break
        }
        'rigger;help;install' {
            break
        }
        'rigger;help;verify-install' {
            break
        }
        'rigger;help;uninstall' {
            break
        }
        'rigger;help;manifest' {
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`')
            break
        }
        'rigger;help;manifest;template' {
            break
        }
        'rigger;help;manifest;generate' {
            break
        }
        'rigger;help;firewall' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the project''s firewall rules; `-o table|json`')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a firewall rule')
            break
        }
        'rigger;help;firewall;allow' {
            break
        }
        'rigger;help;firewall;list' {
            break
        }
        'rigger;help;firewall;delete' {
            break
        }
        'rigger;help;kube-inject' {
            break
        }
        'rigger;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
