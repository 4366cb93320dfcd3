# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rigger_global_optspecs
    string join \n kubeconfig= context= n/namespace= o/output= color= q/quiet v/verbose no-progress request-timeout= h/help V/version
end

function __fish_rigger_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rigger_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rigger_using_subcommand
    set -l cmd (__fish_rigger_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rigger -n "__fish_rigger_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_needs_command" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_needs_command" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_needs_command" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_needs_command" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_needs_command" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_needs_command" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_needs_command" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_needs_command" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_needs_command" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "download" -d 'Download an Istio release, verify its checksum and unpack it (istioctl included)'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "version" -d 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "up" -d 'Do the whole walkthrough in one go, skipping what is already done'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "demo" -d 'Try the whole walkthrough against a simulated cluster started in this process'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "inject" -d 'Label namespaces for sidecar injection (or remove it) and restart their workloads'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "verify-sidecars" -d 'Check that every pod carries a ready Istio proxy, and say why not where it does not'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "gateway" -d 'Expose a Service through the Istio ingress gateway, or apply networking manifests'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "precheck" -d 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "operator" -d 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "install" -d 'Install Istio from IstioOperator files and follow the operator until it is healthy'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "verify-install" -d 'Check that everything the IstioOperator asks for is installed and healthy'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "uninstall" -d 'Remove the Istio control plane installed through the operator'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "manifest" -d 'Render manifests without touching a cluster'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "firewall" -d 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "kube-inject" -d 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand download" -l version -d 'Istio version: latest, a minor version for its newest patch (1.23), or exact (1.23.6, v1.23.6)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l os -d 'Operating system of the binaries (default: this machine\'s)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l arch -d 'CPU architecture of the binaries: amd64, arm64 or armv7 (default: this machine\'s)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l dir -d 'Directory that receives istio-<version>/' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand download" -l mirror -d 'A server with the layout of GitHub releases: <URL>/<version>/<archive> and <archive>.sha256' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l cache-dir -d 'Where downloaded archives are kept (default: $XDG_CACHE_HOME/rigger or ~/.cache/rigger)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand download" -l retries -d 'How many times to retry a failed connection or an interrupted transfer' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l github-api -d 'Base URL of the GitHub API (for tests and GitHub Enterprise mirrors)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand download" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand download" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand download" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand download" -l pre -d 'Let `latest` and minor versions pick pre-releases (alpha, beta, rc)'
complete -c rigger -n "__fish_rigger_using_subcommand download" -l force -d 'Replace an existing istio-<version>/ directory'
complete -c rigger -n "__fish_rigger_using_subcommand download" -l insecure-skip-checksum -d 'Install even when the release has no .sha256 file (the archive is then not verified)'
complete -c rigger -n "__fish_rigger_using_subcommand download" -l dry-run -d 'Resolve the version and show what would be downloaded and where, without doing it'
complete -c rigger -n "__fish_rigger_using_subcommand download" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand download" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand download" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand version" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand version" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand version" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand version" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand version" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand version" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand version" -l remote -d 'Also ask the cluster for its Kubernetes version and the Istio control plane version'
complete -c rigger -n "__fish_rigger_using_subcommand version" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand version" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand version" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand version" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s f -l filename -d 'An IstioOperator file for the control plane (repeatable; merged in order; - is stdin)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand up" -l profile -d 'The installation profile (default, demo, minimal, ...) when the files name none' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l set -d 'Set a field of the IstioOperator spec (repeatable), e.g. meshConfig.accessLogFile=/dev/stdout' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l istio-version -d 'The Istio release: 1.23 or older through the operator (default: the IstioOperator\'s spec.tag, else 1.23.6); 1.24 or newer (or latest) from the release\'s own charts, downloaded when needed' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l manifests -d 'Install Istio 1.24+ from this unpacked release (or its manifests/ folder) instead of downloading it' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand up" -l hub -d 'The registry of the operator image, e.g. a private mirror (Istio\'s own images follow spec.hub)' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l inject -d 'Namespaces to enable sidecar injection in (repeatable)' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l apply -d 'Workload manifests to apply after injection is enabled (file, directory or -; repeatable)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand up" -l expose -d 'Expose SERVICE (in -n) through the ingress gateway, on PORT of the Service' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l path -d 'Exact path to route and check (repeatable), e.g. /productpage' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l prefix -d 'Path prefix to route (repeatable), e.g. /static' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l timeout -d 'How long each waiting step may take' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l lb-wait -d 'How long a new load balancer may take to get an address before its NodePort is used' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l project -d 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials\' project, then the nodes\' providerID)' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l compute-endpoint -d 'The Compute API base URL, for tests and private endpoints' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand up" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand up" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand up" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand up" -l skip-install -d 'Use the control plane already in the cluster: no precheck, operator or install step'
complete -c rigger -n "__fish_rigger_using_subcommand up" -l firewall -d 'When the gateway is reached on a NodePort, open it with a GCP firewall rule scoped to the nodes'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s y -l yes -d 'Do not ask before changing an existing installation'
complete -c rigger -n "__fish_rigger_using_subcommand up" -l dry-run -d 'Print the plan and every object that would be applied, and change nothing'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand up" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand up" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l kubeconfig-out -d 'Write the simulated cluster\'s kubeconfig here' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l timeout -d 'How long each waiting step may take' -r
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l keep -d 'Keep the simulated cluster running after the demo (until Ctrl-C) and print how to reach it'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand demo" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -f -a "enable" -d 'Label namespaces for injection and restart their workloads so pods get sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -f -a "disable" -d 'Remove the injection labels and restart workloads so pods lose their sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and not __fish_seen_subcommand_from enable disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l revision -d 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l restart -d 'How running pods are replaced' -r -f -a "rollout\t'Restart Deployments, StatefulSets and DaemonSets like `kubectl rollout restart`, and wait'
delete-pods\t'Delete the pods (controllers recreate them), as the manual walkthrough does'
none\t'Only change the labels'"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l timeout -d 'How long to wait for rollouts and sidecars' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l include-bare-pods -d 'With --restart delete-pods, also delete pods that no controller will recreate'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l wait -d 'Wait until every pod of the namespaces carries a ready sidecar'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l dry-run -d 'Print what would change without changing anything'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l revision -d 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l restart -d 'How running pods are replaced' -r -f -a "rollout\t'Restart Deployments, StatefulSets and DaemonSets like `kubectl rollout restart`, and wait'
delete-pods\t'Delete the pods (controllers recreate them), as the manual walkthrough does'
none\t'Only change the labels'"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l timeout -d 'How long to wait for rollouts and sidecars' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l include-bare-pods -d 'With --restart delete-pods, also delete pods that no controller will recreate'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l wait -d 'Wait until every pod of the namespaces carries a ready sidecar'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l dry-run -d 'Print what would change without changing anything'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Label namespaces for injection and restart their workloads so pods get sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Remove the injection labels and restart workloads so pods lose their sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand inject; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s l -l selector -d 'Only pods matching this label selector (e.g. app=reviews)' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l timeout -d 'How long --wait waits' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s A -l all-namespaces -d 'Check pods in every namespace'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l wait -d 'Wait until every pod that should have a sidecar has a ready one'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand verify-sidecars" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -f -a "expose" -d 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -f -a "apply" -d 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -f -a "url" -d 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and not __fish_seen_subcommand_from expose apply url help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l port -d 'The Service port to route to (default: the Service\'s only port)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l host -d 'Host names to accept; repeat for several ("*" accepts any)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l gateway-port -d 'The ingress gateway port the Gateway listens on (its Service port 80 or target port 8080)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l path -d 'An exact URI path to route (repeatable), e.g. /productpage' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l prefix -d 'A URI prefix to route (repeatable), e.g. /static; without --path or --prefix every path is routed' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l name -d 'Name of the VirtualService (the Gateway gets "-gateway" appended); default: the Service name' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l gateway-selector -d 'Labels that select the ingress gateway pods' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l dry-run -d 'Check everything and print the objects that would be applied (-o yaml|json) without applying them'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from expose" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s f -l filename -d 'A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l dry-run -d 'Let the server validate everything without persisting it'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l force-conflicts -d 'Take over fields that another field manager owns'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l service -d 'The ingress gateway Service (in -n, default istio-system)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l port-name -d 'The Service port to use, by name' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l path -d 'Path to append to the URL' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l timeout -d 'How long --wait waits' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l wait -d 'Wait for a pending load balancer to get an address (then fall back to the NodePort)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l check -d 'Send an HTTP GET to the URL and report the status and latency'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from url" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "expose" -d 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "url" -d 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
complete -c rigger -n "__fish_rigger_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand completion" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand completion" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand completion" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand completion" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand completion" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l istio-version -d 'The Istio release to check for: 1.23 or older installs through the operator (the default), 1.24 or newer (or latest) from its charts, which needs other permissions' -r
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand precheck" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -f -a "init" -d 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -f -a "remove" -d 'Remove what `rigger operator init` created'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and not __fish_seen_subcommand_from init remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l hub -d 'The registry and repository of the operator image' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l tag -d 'The operator image tag (an Istio 1.23 or older version)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l operator-namespace -d 'The namespace the operator runs in' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l revision -d 'The operator\'s revision (names its resources istio-operator-REVISION)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l watched-namespaces -d 'Namespaces the operator watches for IstioOperator objects (comma-separated); created if missing' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l image-pull-secrets -d 'Secrets for pulling the operator image from a private registry (comma-separated)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l timeout -d 'How long to wait for the operator to become available' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l wait -d 'Wait until the operator Deployment is available (the default)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l no-wait -d 'Return as soon as the objects are applied'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l dry-run -d 'Print the objects as YAML and change nothing'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l operator-namespace -d 'The namespace the operator runs in' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l revision -d 'The operator\'s revision (names its resources istio-operator-REVISION)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l purge -d 'Also delete the IstioOperator objects (and so the control plane) and the IstioOperator CRD'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (needed when stdin is not a terminal)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from help" -f -a "init" -d 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove what `rigger operator init` created'
complete -c rigger -n "__fish_rigger_using_subcommand operator; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s f -l filename -d 'An IstioOperator file (repeatable; merged in order)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand install" -l set -d 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -l profile -d 'The installation profile (default, demo, minimal, empty, ambient, ...)' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -l timeout -d 'How long to wait for the installation to become healthy' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -l mode -d 'How to install: through the in-cluster operator (Istio <= 1.23) or directly from the release\'s charts (Istio >= 1.24). Default: by version' -r -f -a "operator\t'The in-cluster Istio operator (Istio 1.23 and older)'
direct\t'Render the release\'s charts and apply them (Istio 1.24 and newer)'"
complete -c rigger -n "__fish_rigger_using_subcommand install" -l istio-version -d 'The Istio release to install directly (>= 1.24), fetched and verified when not cached; images come from docker.io/istio with this tag' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -s d -l manifests -d 'A local Istio release folder (or its manifests/ folder) to install directly from' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand install" -s r -l revision -d 'The control plane revision (direct install; same as --set revision=NAME)' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand install" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand install" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand install" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand install" -l wait -d 'Follow the operator until the installation is healthy (the default)'
complete -c rigger -n "__fish_rigger_using_subcommand install" -l no-wait -d 'Return as soon as the IstioOperator is applied'
complete -c rigger -n "__fish_rigger_using_subcommand install" -l dry-run -d 'Print the IstioOperator that would be applied and change nothing'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s y -l yes -d 'Do not ask before changing an existing installation'
complete -c rigger -n "__fish_rigger_using_subcommand install" -l force -d 'Install even when the input fails validation (direct install; problems become warnings)'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand install" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand install" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s f -l filename -d 'Check against this IstioOperator file instead of the IstioOperators in the cluster' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l revision -d 'Only check the control plane of this revision' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand verify-install" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l revision -d 'Only remove the control plane of this revision' -r
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l timeout -d 'How long to wait for the components to go' -r
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l purge -d 'Also remove every Istio operator, the IstioOperator CRD, and the namespaces of the operator and the IstioOperators'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s y -l yes -d 'Do not ask for confirmation (needed when stdin is not a terminal)'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand uninstall" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -f -a "template" -d 'Render a Helm chart like `helm template`, with rigger\'s own Go-template engine'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -f -a "generate" -d 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and not __fish_seen_subcommand_from template generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s f -l values -d 'A values file (YAML); repeat for more, later files win' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l set -d 'Set a value, Helm syntax: a.b=c, list[0]=x, a={x,y}; commas separate several, `\\,` escapes one' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l set-string -d 'Like --set, but every value stays a string' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l release-name -d 'The release name (.Release.Name)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l kube-version -d 'The Kubernetes version templates see (.Capabilities.KubeVersion)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s a -l api-versions -d 'An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l is-upgrade -d 'Render as an upgrade (.Release.IsUpgrade true, .Release.IsInstall false)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from template" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s f -l filename -d 'An IstioOperator file (repeatable, or comma-separated; merged in order)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s s -l set -d 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l profile -d 'The installation profile (default, demo, minimal, empty, ambient, ...)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s r -l revision -d 'The control plane revision (same as --set revision=NAME)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l istio-version -d 'The Istio release to render; its images come from docker.io/istio with this tag. Fetched and verified when not cached' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s d -l manifests -d 'A local Istio release folder (or its manifests/ folder) holding the charts and profiles' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l force -d 'Render even when the input fails validation (the problems are shown as warnings)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "template" -d 'Render a Helm chart like `helm template`, with rigger\'s own Go-template engine'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
complete -c rigger -n "__fish_rigger_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -f -a "allow" -d 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -f -a "list" -d 'List the project\'s firewall rules; `-o table|json`'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -f -a "delete" -d 'Delete a firewall rule'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and not __fish_seen_subcommand_from allow list delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l port -d 'Port or range to open (repeat or separate with commas), e.g. 31380 or 30000-32767' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l gateway-namespace -d 'Namespace of the ingress gateway Service (with --from-gateway)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l gateway-service -d 'Name of the ingress gateway Service (with --from-gateway)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l gateway-port-name -d 'Name of the Service port to open (with --from-gateway)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l protocol -d 'IP protocol to allow' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l name -d 'Name of the firewall rule' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l network -d 'VPC network the rule belongs to' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l source-ranges -d 'Source CIDR ranges allowed in (default: 0.0.0.0/0, the whole internet, with a warning)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l target-tags -d 'Instance tags the rule applies to (default: the cluster nodes\' tags, found through their providerID)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l priority -d 'Rule priority, 0 (highest) to 65535' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l description -d 'Description stored with the rule' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l timeout -d 'How long to wait for the Compute operation to finish' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l project -d 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials\' project, then the nodes\' providerID)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l compute-endpoint -d 'The Compute API base URL, for tests and private endpoints' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l from-gateway -d 'Read the port from the ingress gateway Service, the way `rigger gateway url` does'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l force -d 'Create the rule even when the gateway already has a cloud load balancer'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l update -d 'Replace an existing rule of the same name that differs from what is asked'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l dry-run -d 'Change nothing: print the exact request body that would be sent'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from allow" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l project -d 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials\' project, then the nodes\' providerID)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l compute-endpoint -d 'The Compute API base URL, for tests and private endpoints' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l timeout -d 'How long to wait for the Compute operation to finish' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l project -d 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials\' project, then the nodes\' providerID)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l compute-endpoint -d 'The Compute API base URL, for tests and private endpoints' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from help" -f -a "allow" -d 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the project\'s firewall rules; `-o table|json`'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a firewall rule'
complete -c rigger -n "__fish_rigger_using_subcommand firewall; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s f -l filename -d 'The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l output-file -d 'Write the injected manifest to FILE instead of stdout (only when everything could be injected)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l hub -d 'Image registry of the proxy images (default: docker.io/istio)' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l tag -d 'Tag of the proxy images (default: the Istio version rigger targets)' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l revision -d 'The control plane revision to inject for (`istio.io/rev`); with --from-cluster it also picks the revision\'s ConfigMaps' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l native-sidecars -d 'Put istio-proxy in initContainers as a native sidecar: auto follows the Istio version (and, with --from-cluster, the nodes\' kubelet versions: on from Kubernetes 1.33)' -r -f -a "auto\t''
true\t''
false\t''"
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l set -d 'Override a setting with an IstioOperator path (e.g. values.global.proxy.image=proxyv2, meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true); repeatable' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l iop -d 'An IstioOperator file whose spec.values and spec.meshConfig apply (before --set); repeatable' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l istio-namespace -d 'The namespace of the control plane, for --from-cluster' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)' -r -F
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, else "default")' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s o -l output -d 'Output format for commands that show data' -r -f -a "table\t'Human-readable table'
text\t'Human-readable text'
json\t'JSON (a stable contract for scripts)'
yaml\t'YAML'
env\t'Shell `export` lines for eval'"
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l color -d 'When to use colors (NO_COLOR in the environment also turns them off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l request-timeout -d 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)' -r
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l from-cluster -d 'Read hub, tag, values and mesh config from the installed control plane (the istio-sidecar-injector and istio ConfigMaps) instead of the embedded defaults'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s q -l quiet -d 'Only print data and errors'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s v -l verbose -d 'Log more detail to stderr (-v, -vv); credentials are never logged'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -l no-progress -d 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rigger -n "__fish_rigger_using_subcommand kube-inject" -s V -l version -d 'Print version'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "download" -d 'Download an Istio release, verify its checksum and unpack it (istioctl included)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "version" -d 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "up" -d 'Do the whole walkthrough in one go, skipping what is already done'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "demo" -d 'Try the whole walkthrough against a simulated cluster started in this process'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "inject" -d 'Label namespaces for sidecar injection (or remove it) and restart their workloads'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "verify-sidecars" -d 'Check that every pod carries a ready Istio proxy, and say why not where it does not'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "gateway" -d 'Expose a Service through the Istio ingress gateway, or apply networking manifests'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "precheck" -d 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "operator" -d 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "install" -d 'Install Istio from IstioOperator files and follow the operator until it is healthy'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "verify-install" -d 'Check that everything the IstioOperator asks for is installed and healthy'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "uninstall" -d 'Remove the Istio control plane installed through the operator'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "manifest" -d 'Render manifests without touching a cluster'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "firewall" -d 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "kube-inject" -d 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from download version up demo inject verify-sidecars gateway completion precheck operator install verify-install uninstall manifest firewall kube-inject help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from inject" -f -a "enable" -d 'Label namespaces for injection and restart their workloads so pods get sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from inject" -f -a "disable" -d 'Remove the injection labels and restart workloads so pods lose their sidecars'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from gateway" -f -a "expose" -d 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from gateway" -f -a "apply" -d 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from gateway" -f -a "url" -d 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from operator" -f -a "init" -d 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from operator" -f -a "remove" -d 'Remove what `rigger operator init` created'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "template" -d 'Render a Helm chart like `helm template`, with rigger\'s own Go-template engine'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "generate" -d 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from firewall" -f -a "allow" -d 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from firewall" -f -a "list" -d 'List the project\'s firewall rules; `-o table|json`'
complete -c rigger -n "__fish_rigger_using_subcommand help; and __fish_seen_subcommand_from firewall" -f -a "delete" -d 'Delete a firewall rule'
