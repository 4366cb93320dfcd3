#!/usr/bin/env bash
# Builds rigger in release mode and installs the binary and its shell completions.
#   ./install.sh [--prefix DIR]     (default prefix: ~/.local; no sudo needed)
# Safe to run again: files are replaced in place.
set -euo pipefail

prefix="${HOME}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a directory" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument: $1 (usage: ./install.sh [--prefix DIR])" >&2; exit 2 ;;
  esac
done

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo was not found on PATH" >&2
  echo "hint: install the Rust toolchain (https://rustup.rs), then run ./install.sh again" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
echo "building rigger (release)..." >&2
cargo build --release --locked --bin rigger --manifest-path "$here/Cargo.toml" >&2
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$here/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
binary="${target_dir:-$here/target}/release/rigger"

mkdir -p "$prefix/bin" \
  "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" \
  "$prefix/share/fish/vendor_completions.d" \
  "$prefix/share/rigger/completions"
install -m 0755 "$binary" "$prefix/bin/rigger"
install -m 0644 "$here/completions/rigger.bash" "$prefix/share/bash-completion/completions/rigger"
install -m 0644 "$here/completions/_rigger" "$prefix/share/zsh/site-functions/_rigger"
install -m 0644 "$here/completions/rigger.fish" "$prefix/share/fish/vendor_completions.d/rigger.fish"
install -m 0644 "$here/completions/_rigger.ps1" "$here/completions/rigger.elv" "$prefix/share/rigger/completions/"

echo "installed $prefix/bin/rigger ($("$prefix/bin/rigger" version -o json | sed -n 's/.*"version": "\(.*\)".*/\1/p' | head -1))" >&2
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add:  export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
cat >&2 <<MSG
completions:
  bash: installed to $prefix/share/bash-completion/completions/rigger (loaded automatically by bash-completion),
        or add to ~/.bashrc:  source $prefix/share/bash-completion/completions/rigger
  zsh:  add to ~/.zshrc:  fpath=($prefix/share/zsh/site-functions \$fpath); autoload -U compinit; compinit
  fish: installed to $prefix/share/fish/vendor_completions.d (add it to \$fish_complete_path if fish does not pick it up)
MSG
