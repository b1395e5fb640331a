#!/usr/bin/env bash
# Shell completion (shell/nftbusctl.bash, nftbusctl --complete): bash registers it, and a scripted
# completion gives commands, a group's sub-commands, a command's options, and names asked live from the
# service: tables of a family, chains and sets of a table, zones, presets, interfaces.
source "$(dirname "$0")/lib.sh"

nft add table inet filter
nft add chain inet filter input
nft add chain inet filter inbound
nft add chain inet filter forward
nft add set inet filter blocked '{ type ipv4_addr; }'
nft add table ip other

# completion WORDS...: what bash's completion offers for the last word (the line as typed, COMP_CWORD at
# the last word), sorted, on one line
completion() {
        bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _nftbusctl
                 printf "%s\n" "${COMPREPLY[@]}"' _ "$NFTBUS_SOURCE/shell/nftbusctl.bash" nftbusctl "$@" | sort | xargs
}

assert_eq "bash registers it" "complete -F _nftbusctl nftbusctl" \
        "$(bash -c 'source "$1"; complete -p nftbusctl' _ "$NFTBUS_SOURCE/shell/nftbusctl.bash")"
assert_eq "commands" "add-chain add-element add-rule add-set add-table" "$(completion add-)"
assert_eq "a group's sub-commands" "add-service add-source add-source-port" "$(completion zone add-s)"
assert_eq "a command's options" "--after --comment --help --index --json --no-ask-password" \
        "$(completion add-rule --)"
assert_eq "families" "inet ip ip6" "$(completion list-chains i)"
assert_eq "the tables of a family, live" "filter" "$(completion add-rule inet "")"
assert_eq "the chains of a table, live" "inbound input" "$(completion add-rule inet filter in)"
assert_eq "after an option" "inbound input" "$(completion add-rule --comment x inet filter in)"
assert_eq "the sets of a table, live" "blocked" "$(completion add-element inet filter "")"
assert_eq "a table to delete" "other" "$(completion delete-table ip "")"
assert_eq "zones, live" "home" "$(completion zone add-port h)"
assert_eq "presets, live" "workstation" "$(completion preset apply w)"
assert_eq "interfaces" "lo" "$(completion zone add-interface home l)"
assert_eq "words of the usage" "off on query" "$(completion panic "")"
assert_eq "nothing after an option that takes a value (the shell's files)" "" "$(completion add-element -f "")"
nft add chain inet filter incoming
assert_eq "a chain just made" "inbound incoming input" "$(completion list-rules inet filter in)"
if command -v zsh >/dev/null; then
        assert_eq "the zsh completion parses" "" "$(zsh -n "$NFTBUS_SOURCE/shell/_nftbusctl" 2>&1)"
else
        skip "the zsh completion parses" "zsh is not installed (tools/deps installs it)"
fi

done_testing
