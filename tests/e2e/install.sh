# `make install`'s layout (cmake --install with DESTDIR and a prefix), the
# man pages through man(1), shell completion through real bash-completion
# and an interactive zsh, and --version. What completion must offer is read
# from each command's --help, not from the code that writes the scripts.
source "$(dirname "$0")/lib.sh"
: "${BUILD:?set BUILD to the build directory}"

commands=$("$PKTMASK" --help | awk '/^Subcommands:/ { s = 1; next } s && /^$/ { exit } s && /^  [a-z]/ { print $1 }')
check "--help lists subcommands" test -n "$commands"
# The long options of one command, as its --help defines them.
options_of() { "$PKTMASK" "$1" --help | grep -oE '^  -[-a-zA-Z0-9,]+' | tr , '\n' | grep -oE '^ *--[a-z0-9-]+' | tr -d ' ' | sort -u; }

for prefix in /usr/local /usr; do
  root="$WORK/root-$(basename "$prefix")"
  DESTDIR="$root" cmake --install "$BUILD" --prefix "$prefix" >"$WORK/install.log" 2>&1
  check "$prefix: install" test $? = 0
  check "$prefix: the binary" test -x "$root$prefix/bin/pktmask"
  check "$prefix: docs" test -f "$root$prefix/share/doc/pktmask/usage.md" -a -f "$root$prefix/share/doc/pktmask/policy.md"
  check "$prefix: bash completion" test -f "$root$prefix/share/bash-completion/completions/pktmask"
  check "$prefix: nothing outside the prefix" test -z "$(find "$root" ! -type d ! -path "$root$prefix/*")"
done
check "zsh: site-functions under /usr/local" test -f "$WORK/root-local/usr/local/share/zsh/site-functions/_pktmask"
check "zsh: vendor-completions under /usr (Debian's zsh)" test -f "$WORK/root-usr/usr/share/zsh/vendor-completions/_pktmask"
share="$WORK/root-local/usr/local/share"

# man: the main page and one per subcommand, found through MANPATH.
for page in pktmask $(printf 'pktmask-%s ' $commands); do
  MANPATH="$share/man" man "$page" 2>"$WORK/man.err" | col -b >"$WORK/$page.txt"
  title=$(echo "$page" | tr a-z A-Z)
  check "man $page" grep -q "^$title(1)" "$WORK/$page.txt"
done
check "man pktmask-sanitize: its options" grep -q -- '--no-self-check' "$WORK/pktmask-sanitize.txt"
check "man pktmask: SEE ALSO names every page" \
  test "$(zcat "$share/man/man1/pktmask.1.gz" | grep -oE '^\.BR pktmask-[a-z]+ \(1\)' | sort -u | wc -l)" = "$(echo "$commands" | wc -l)"

# bash: the installed script, loaded the way bash-completion loads it on demand.
complete_bash() {  # words of the line; the last is completed
  XDG_DATA_DIRS="$share" bash -c '
    source /usr/share/bash-completion/bash_completion
    __load_completion pktmask || exit 1
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    $(complete -p pktmask | sed "s/.*-F \([^ ]*\) .*/\1/") pktmask
    printf "%s\n" "${COMPREPLY[@]}"' bash "$@" | sort -u
}
check "bash: subcommands" test "$(complete_bash pktmask '')" = "$(echo "$commands" | sort)"
for command in $commands; do
  check "bash: options of $command" test "$(complete_bash pktmask "$command" --)" = "$(options_of "$command")"
done
check "bash: values of --engine" test "$(complete_bash pktmask sanitize --engine '' | xargs)" = "both native tshark"
check "bash: files after an option that takes one" \
  grep -qx nginx_large_chain.pcap <(cd "$SRC/testdata/tls" && complete_bash pktmask sanitize -o nginx_large)

# zsh: typed into an interactive zsh, the listing it shows.
zsh_lines=("pktmask ")
for command in $commands; do zsh_lines+=("pktmask $command --"); done
zsh_lines+=("pktmask sanitize --engine ")
python3 "$SRC/tests/e2e/zsh_complete.py" "$share/zsh/site-functions" "${zsh_lines[@]}" >"$WORK/zsh.txt"
listing() { awk -v want="== $1" '$0 == want { s = 1; next } /^== / { s = 0 } s' "$WORK/zsh.txt"; }
for command in $commands; do
  check "zsh: offers $command" grep -qE "^$command +-- " <(listing "pktmask ")
  # Aliases share a line ("--disk-threshold  --min-free  -- help"); a single
  # candidate is completed in place rather than listed.
  offered=$(listing "pktmask $command --" | sed 's/ -- .*//' | grep -oE -- '--[a-z0-9-]+')
  missing=$(comm -23 <(options_of "$command") <(echo "$offered" | sort -u))
  check "zsh: options of $command${missing:+ (missing: $missing)}" test -z "$missing"
done
check "zsh: values of --engine" grep -qE '^both +native +tshark' <(listing "pktmask sanitize --engine ")

# --version: five lines; no tshark on PATH is "none", not an error.
"$PKTMASK" --version >"$WORK/version.txt"
check "--version: version" grep -qE '^pktmask [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/version.txt"
check "--version: commit" grep -qE '^commit: +([0-9a-f]{12}(-modified)?|unknown)$' "$WORK/version.txt"
check "--version: policy" grep -qE '^policy: +masking policy version 2$' "$WORK/version.txt"
check "--version: tshark" grep -qE "^tshark: +$(tshark --version | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')$" "$WORK/version.txt"
check "--version: build type" grep -qE '^build: +(Release|RelWithDebInfo|Debug|MinSizeRel)$' "$WORK/version.txt"
mkdir -p "$WORK/no-tshark"
check "--version without tshark: none" grep -qE '^tshark: +none$' <(PATH="$WORK/no-tshark" "$PKTMASK" --version)
printf '#!/bin/sh\necho "not tshark at all"\n' >"$WORK/no-tshark/tshark"
chmod +x "$WORK/no-tshark/tshark"
check "--version with a broken tshark: says why" grep -qE '^tshark: +unusable \(.*not tshark' <(PATH="$WORK/no-tshark" "$PKTMASK" --version)

echo "install: $passed passed, $failed failed"
[ "$failed" = 0 ]
