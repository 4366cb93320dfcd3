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
complete -c rigger -n "__fish_rigger_needs_command" -f -a "version" -d 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c rigger -n "__fish_rigger_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from version completion help" -f -a "version" -d 'Show the version of rigger and, with --remote, of the cluster and its Istio control plane'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from version completion help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c rigger -n "__fish_rigger_using_subcommand help; and not __fish_seen_subcommand_from version completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
