
use builtin;
use str;

set edit:completion:arg-completer[rigger] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'rigger'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'rigger'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand download 'Download an Istio release, verify its checksum and unpack it (istioctl included)'
            cand version 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
            cand up 'Do the whole walkthrough in one go, skipping what is already done'
            cand inject 'Label namespaces for sidecar injection (or remove it) and restart their workloads'
            cand verify-sidecars 'Check that every pod carries a ready Istio proxy, and say why not where it does not'
            cand gateway 'Expose a Service through the Istio ingress gateway, or apply networking manifests'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand precheck 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs'
            cand operator 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)'
            cand install 'Install Istio from IstioOperator files and follow the operator until it is healthy'
            cand verify-install 'Check that everything the IstioOperator asks for is installed and healthy'
            cand uninstall 'Remove the Istio control plane installed through the operator'
            cand manifest 'Render manifests without touching a cluster'
            cand firewall 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)'
            cand kube-inject 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;download'= {
            cand --version 'Istio version: latest, a minor version for its newest patch (1.23), or exact (1.23.6, v1.23.6)'
            cand --os 'Operating system of the binaries (default: this machine''s)'
            cand --arch 'CPU architecture of the binaries: amd64, arm64 or armv7 (default: this machine''s)'
            cand --dir 'Directory that receives istio-<version>/'
            cand --mirror 'A server with the layout of GitHub releases: <URL>/<version>/<archive> and <archive>.sha256'
            cand --cache-dir 'Where downloaded archives are kept (default: $XDG_CACHE_HOME/rigger or ~/.cache/rigger)'
            cand --retries 'How many times to retry a failed connection or an interrupted transfer'
            cand --github-api 'Base URL of the GitHub API (for tests and GitHub Enterprise mirrors)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --pre 'Let `latest` and minor versions pick pre-releases (alpha, beta, rc)'
            cand --force 'Replace an existing istio-<version>/ directory'
            cand --insecure-skip-checksum 'Install even when the release has no .sha256 file (the archive is then not verified)'
            cand --dry-run 'Resolve the version and show what would be downloaded and where, without doing it'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'rigger;version'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --remote 'Also ask the cluster for its Kubernetes version and the Istio control plane version'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;up'= {
            cand --inject 'Namespaces to enable sidecar injection in (repeatable)'
            cand --apply 'Workload manifests to apply after injection is enabled (file, directory or -; repeatable)'
            cand --expose 'Expose SERVICE (in -n) through the ingress gateway, on PORT of the Service'
            cand --path 'Exact path to route and check (repeatable), e.g. /productpage'
            cand --prefix 'Path prefix to route (repeatable), e.g. /static'
            cand --timeout 'How long each waiting step may take'
            cand --lb-wait 'How long a new load balancer may take to get an address before its NodePort is used'
            cand --project 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)'
            cand --compute-endpoint 'The Compute API base URL, for tests and private endpoints'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --firewall 'When the gateway is reached on a NodePort, open it with a GCP firewall rule scoped to the nodes'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;inject'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enable 'Label namespaces for injection and restart their workloads so pods get sidecars'
            cand disable 'Remove the injection labels and restart workloads so pods lose their sidecars'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;inject;enable'= {
            cand --revision 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled'
            cand --restart 'How running pods are replaced'
            cand --timeout 'How long to wait for rollouts and sidecars'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --include-bare-pods 'With --restart delete-pods, also delete pods that no controller will recreate'
            cand --wait 'Wait until every pod of the namespaces carries a ready sidecar'
            cand --dry-run 'Print what would change without changing anything'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;inject;disable'= {
            cand --revision 'Use the istio.io/rev=REVISION label instead of istio-injection=enabled'
            cand --restart 'How running pods are replaced'
            cand --timeout 'How long to wait for rollouts and sidecars'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --include-bare-pods 'With --restart delete-pods, also delete pods that no controller will recreate'
            cand --wait 'Wait until every pod of the namespaces carries a ready sidecar'
            cand --dry-run 'Print what would change without changing anything'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;inject;help'= {
            cand enable 'Label namespaces for injection and restart their workloads so pods get sidecars'
            cand disable 'Remove the injection labels and restart workloads so pods lose their sidecars'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;inject;help;enable'= {
        }
        &'rigger;inject;help;disable'= {
        }
        &'rigger;inject;help;help'= {
        }
        &'rigger;verify-sidecars'= {
            cand -l 'Only pods matching this label selector (e.g. app=reviews)'
            cand --selector 'Only pods matching this label selector (e.g. app=reviews)'
            cand --timeout 'How long --wait waits'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -A 'Check pods in every namespace'
            cand --all-namespaces 'Check pods in every namespace'
            cand --wait 'Wait until every pod that should have a sidecar has a ready one'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;gateway'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand expose 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
            cand apply 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
            cand url 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;gateway;expose'= {
            cand --port 'The Service port to route to (default: the Service''s only port)'
            cand --host 'Host names to accept; repeat for several ("*" accepts any)'
            cand --gateway-port 'The ingress gateway port the Gateway listens on (its Service port 80 or target port 8080)'
            cand --path 'An exact URI path to route (repeatable), e.g. /productpage'
            cand --prefix 'A URI prefix to route (repeatable), e.g. /static; without --path or --prefix every path is routed'
            cand --name 'Name of the VirtualService (the Gateway gets "-gateway" appended); default: the Service name'
            cand --gateway-selector 'Labels that select the ingress gateway pods'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --dry-run 'Check everything and print the objects that would be applied (-o yaml|json) without applying them'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;gateway;apply'= {
            cand -f 'A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)'
            cand --filename 'A file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --dry-run 'Let the server validate everything without persisting it'
            cand --force-conflicts 'Take over fields that another field manager owns'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;gateway;url'= {
            cand --service 'The ingress gateway Service (in -n, default istio-system)'
            cand --port-name 'The Service port to use, by name'
            cand --path 'Path to append to the URL'
            cand --timeout 'How long --wait waits'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --wait 'Wait for a pending load balancer to get an address (then fall back to the NodePort)'
            cand --check 'Send an HTTP GET to the URL and report the status and latency'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;gateway;help'= {
            cand expose 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
            cand apply 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
            cand url 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;gateway;help;expose'= {
        }
        &'rigger;gateway;help;apply'= {
        }
        &'rigger;gateway;help;url'= {
        }
        &'rigger;gateway;help;help'= {
        }
        &'rigger;completion'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;precheck'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;operator'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
            cand remove 'Remove what `rigger operator init` created'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;operator;init'= {
            cand --hub 'The registry and repository of the operator image'
            cand --tag 'The operator image tag (an Istio 1.23 or older version)'
            cand --operator-namespace 'The namespace the operator runs in'
            cand --revision 'The operator''s revision (names its resources istio-operator-REVISION)'
            cand --watched-namespaces 'Namespaces the operator watches for IstioOperator objects (comma-separated); created if missing'
            cand --image-pull-secrets 'Secrets for pulling the operator image from a private registry (comma-separated)'
            cand --timeout 'How long to wait for the operator to become available'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --wait 'Wait until the operator Deployment is available (the default)'
            cand --no-wait 'Return as soon as the objects are applied'
            cand --dry-run 'Print the objects as YAML and change nothing'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;operator;remove'= {
            cand --operator-namespace 'The namespace the operator runs in'
            cand --revision 'The operator''s revision (names its resources istio-operator-REVISION)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --purge 'Also delete the IstioOperator objects (and so the control plane) and the IstioOperator CRD'
            cand -y 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;operator;help'= {
            cand init 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
            cand remove 'Remove what `rigger operator init` created'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;operator;help;init'= {
        }
        &'rigger;operator;help;remove'= {
        }
        &'rigger;operator;help;help'= {
        }
        &'rigger;install'= {
            cand -f 'An IstioOperator file (repeatable; merged in order)'
            cand --filename 'An IstioOperator file (repeatable; merged in order)'
            cand --set 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug'
            cand --profile 'The installation profile (default, demo, minimal, empty, ambient, ...)'
            cand --timeout 'How long to wait for the installation to become healthy'
            cand --mode 'How to install: through the in-cluster operator (Istio <= 1.23) or directly from the release''s charts (Istio >= 1.24). Default: by version'
            cand --istio-version 'The Istio release to install directly (>= 1.24), fetched and verified when not cached; images come from docker.io/istio with this tag'
            cand -d 'A local Istio release folder (or its manifests/ folder) to install directly from'
            cand --manifests 'A local Istio release folder (or its manifests/ folder) to install directly from'
            cand -r 'The control plane revision (direct install; same as --set revision=NAME)'
            cand --revision 'The control plane revision (direct install; same as --set revision=NAME)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --wait 'Follow the operator until the installation is healthy (the default)'
            cand --no-wait 'Return as soon as the IstioOperator is applied'
            cand --dry-run 'Print the IstioOperator that would be applied and change nothing'
            cand -y 'Do not ask before changing an existing installation'
            cand --yes 'Do not ask before changing an existing installation'
            cand --force 'Install even when the input fails validation (direct install; problems become warnings)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;verify-install'= {
            cand -f 'Check against this IstioOperator file instead of the IstioOperators in the cluster'
            cand --filename 'Check against this IstioOperator file instead of the IstioOperators in the cluster'
            cand --revision 'Only check the control plane of this revision'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;uninstall'= {
            cand --revision 'Only remove the control plane of this revision'
            cand --timeout 'How long to wait for the components to go'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --purge 'Also remove every Istio operator, the IstioOperator CRD, and the namespaces of the operator and the IstioOperators'
            cand -y 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;manifest'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand template 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine'
            cand generate 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;manifest;template'= {
            cand -f 'A values file (YAML); repeat for more, later files win'
            cand --values 'A values file (YAML); repeat for more, later files win'
            cand --set 'Set a value, Helm syntax: a.b=c, list[0]=x, a={x,y}; commas separate several, `\,` escapes one'
            cand --set-string 'Like --set, but every value stays a string'
            cand --release-name 'The release name (.Release.Name)'
            cand --kube-version 'The Kubernetes version templates see (.Capabilities.KubeVersion)'
            cand -a 'An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable'
            cand --api-versions 'An extra API version for .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --is-upgrade 'Render as an upgrade (.Release.IsUpgrade true, .Release.IsInstall false)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;manifest;generate'= {
            cand -f 'An IstioOperator file (repeatable, or comma-separated; merged in order)'
            cand --filename 'An IstioOperator file (repeatable, or comma-separated; merged in order)'
            cand -s 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug'
            cand --set 'Set a field of the IstioOperator spec (repeatable), e.g. values.global.logging.level=debug'
            cand --profile 'The installation profile (default, demo, minimal, empty, ambient, ...)'
            cand -r 'The control plane revision (same as --set revision=NAME)'
            cand --revision 'The control plane revision (same as --set revision=NAME)'
            cand --istio-version 'The Istio release to render; its images come from docker.io/istio with this tag. Fetched and verified when not cached'
            cand -d 'A local Istio release folder (or its manifests/ folder) holding the charts and profiles'
            cand --manifests 'A local Istio release folder (or its manifests/ folder) holding the charts and profiles'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --force 'Render even when the input fails validation (the problems are shown as warnings)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;manifest;help'= {
            cand template 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine'
            cand generate 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;manifest;help;template'= {
        }
        &'rigger;manifest;help;generate'= {
        }
        &'rigger;manifest;help;help'= {
        }
        &'rigger;firewall'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand allow 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
            cand list 'List the project''s firewall rules; `-o table|json`'
            cand delete 'Delete a firewall rule'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;firewall;allow'= {
            cand --port 'Port or range to open (repeat or separate with commas), e.g. 31380 or 30000-32767'
            cand --gateway-namespace 'Namespace of the ingress gateway Service (with --from-gateway)'
            cand --gateway-service 'Name of the ingress gateway Service (with --from-gateway)'
            cand --gateway-port-name 'Name of the Service port to open (with --from-gateway)'
            cand --protocol 'IP protocol to allow'
            cand --name 'Name of the firewall rule'
            cand --network 'VPC network the rule belongs to'
            cand --source-ranges 'Source CIDR ranges allowed in (default: 0.0.0.0/0, the whole internet, with a warning)'
            cand --target-tags 'Instance tags the rule applies to (default: the cluster nodes'' tags, found through their providerID)'
            cand --priority 'Rule priority, 0 (highest) to 65535'
            cand --description 'Description stored with the rule'
            cand --timeout 'How long to wait for the Compute operation to finish'
            cand --project 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)'
            cand --compute-endpoint 'The Compute API base URL, for tests and private endpoints'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --from-gateway 'Read the port from the ingress gateway Service, the way `rigger gateway url` does'
            cand --force 'Create the rule even when the gateway already has a cloud load balancer'
            cand --update 'Replace an existing rule of the same name that differs from what is asked'
            cand --dry-run 'Change nothing: print the exact request body that would be sent'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;firewall;list'= {
            cand --project 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)'
            cand --compute-endpoint 'The Compute API base URL, for tests and private endpoints'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;firewall;delete'= {
            cand --timeout 'How long to wait for the Compute operation to finish'
            cand --project 'The Google Cloud project (default: GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT, the gcloud configuration, the credentials'' project, then the nodes'' providerID)'
            cand --compute-endpoint 'The Compute API base URL, for tests and private endpoints'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;firewall;help'= {
            cand allow 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
            cand list 'List the project''s firewall rules; `-o table|json`'
            cand delete 'Delete a firewall rule'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;firewall;help;allow'= {
        }
        &'rigger;firewall;help;list'= {
        }
        &'rigger;firewall;help;delete'= {
        }
        &'rigger;firewall;help;help'= {
        }
        &'rigger;kube-inject'= {
            cand -f 'The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin'
            cand --filename 'The manifest: a file, a directory (its .yaml/.yml/.json files, in name order), or - for stdin'
            cand --output-file 'Write the injected manifest to FILE instead of stdout (only when everything could be injected)'
            cand --hub 'Image registry of the proxy images (default: docker.io/istio)'
            cand --tag 'Tag of the proxy images (default: the Istio version rigger targets)'
            cand --revision 'The control plane revision to inject for (`istio.io/rev`); with --from-cluster it also picks the revision''s ConfigMaps'
            cand --native-sidecars 'Put istio-proxy in initContainers as a native sidecar: auto follows the Istio version (and, with --from-cluster, the nodes'' kubelet versions: on from Kubernetes 1.33)'
            cand --set 'Override a setting with an IstioOperator path (e.g. values.global.proxy.image=proxyv2, meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true); repeatable'
            cand --iop 'An IstioOperator file whose spec.values and spec.meshConfig apply (before --set); repeatable'
            cand --istio-namespace 'The namespace of the control plane, for --from-cluster'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, else ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in (default: the context''s namespace, else "default")'
            cand --namespace 'The namespace to work in (default: the context''s namespace, else "default")'
            cand -o 'Output format for commands that show data'
            cand --output 'Output format for commands that show data'
            cand --color 'When to use colors (NO_COLOR in the environment also turns them off)'
            cand --request-timeout 'How long to wait for the cluster to answer a connection or a single request (e.g. 10s, 1m)'
            cand --from-cluster 'Read hub, tag, values and mesh config from the installed control plane (the istio-sidecar-injector and istio ConfigMaps) instead of the embedded defaults'
            cand -q 'Only print data and errors'
            cand --quiet 'Only print data and errors'
            cand -v 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --verbose 'Log more detail to stderr (-v, -vv); credentials are never logged'
            cand --no-progress 'Never draw progress bars or spinners (they are only drawn on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rigger;help'= {
            cand download 'Download an Istio release, verify its checksum and unpack it (istioctl included)'
            cand version 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
            cand up 'Do the whole walkthrough in one go, skipping what is already done'
            cand inject 'Label namespaces for sidecar injection (or remove it) and restart their workloads'
            cand verify-sidecars 'Check that every pod carries a ready Istio proxy, and say why not where it does not'
            cand gateway 'Expose a Service through the Istio ingress gateway, or apply networking manifests'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand precheck 'Check that the cluster is ready for Istio: reachable, supported, permissions, nodes, existing installs'
            cand operator 'Install or remove the in-cluster Istio operator (Istio 1.23 and older)'
            cand install 'Install Istio from IstioOperator files and follow the operator until it is healthy'
            cand verify-install 'Check that everything the IstioOperator asks for is installed and healthy'
            cand uninstall 'Remove the Istio control plane installed through the operator'
            cand manifest 'Render manifests without touching a cluster'
            cand firewall 'Open the ingress port on GCP with a scoped, idempotent firewall rule (Compute Engine API)'
            cand kube-inject 'Inject the Istio sidecar into Kubernetes manifests offline, like `istioctl kube-inject`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;help;download'= {
        }
        &'rigger;help;version'= {
        }
        &'rigger;help;up'= {
        }
        &'rigger;help;inject'= {
            cand enable 'Label namespaces for injection and restart their workloads so pods get sidecars'
            cand disable 'Remove the injection labels and restart workloads so pods lose their sidecars'
        }
        &'rigger;help;inject;enable'= {
        }
        &'rigger;help;inject;disable'= {
        }
        &'rigger;help;verify-sidecars'= {
        }
        &'rigger;help;gateway'= {
            cand expose 'Create a Gateway and a VirtualService that route the ingress gateway to a Service'
            cand apply 'Apply Gateways, VirtualServices, DestinationRules or any Kubernetes objects (server-side apply)'
            cand url 'Print where the ingress gateway answers: host, port and URL (-o env for INGRESS_HOST/INGRESS_PORT)'
        }
        &'rigger;help;gateway;expose'= {
        }
        &'rigger;help;gateway;apply'= {
        }
        &'rigger;help;gateway;url'= {
        }
        &'rigger;help;completion'= {
        }
        &'rigger;help;precheck'= {
        }
        &'rigger;help;operator'= {
            cand init 'Install the Istio operator: namespaces, CRD, RBAC, Deployment and metrics Service of the 1.23 chart'
            cand remove 'Remove what `rigger operator init` created'
        }
        &'rigger;help;operator;init'= {
        }
        &'rigger;help;operator;remove'= {
        }
        &'rigger;help;install'= {
        }
        &'rigger;help;verify-install'= {
        }
        &'rigger;help;uninstall'= {
        }
        &'rigger;help;manifest'= {
            cand template 'Render a Helm chart like `helm template`, with rigger''s own Go-template engine'
            cand generate 'Render the Kubernetes objects of an Istio 1.24+ installation from an IstioOperator, like `istioctl manifest generate`'
        }
        &'rigger;help;manifest;template'= {
        }
        &'rigger;help;manifest;generate'= {
        }
        &'rigger;help;firewall'= {
            cand allow 'Create (or keep) a rule that lets traffic reach the ingress port; `-o text|json`'
            cand list 'List the project''s firewall rules; `-o table|json`'
            cand delete 'Delete a firewall rule'
        }
        &'rigger;help;firewall;allow'= {
        }
        &'rigger;help;firewall;list'= {
        }
        &'rigger;help;firewall;delete'= {
        }
        &'rigger;help;kube-inject'= {
        }
        &'rigger;help;help'= {
        }
    ]
    $completions[$command]
}
