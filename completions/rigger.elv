
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
            cand version 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
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
        &'rigger;help'= {
            cand version 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rigger;help;version'= {
        }
        &'rigger;help;completion'= {
        }
        &'rigger;help;help'= {
        }
    ]
    $completions[$command]
}
