# SPDX-License-Identifier: LGPL-2.1-or-later
# bash completion for nftbusctl(1). The words come from nftbusctl itself (nftbusctl --complete): its
# commands and each one's options from its verb table, and the names of tables, chains, sets, zones,
# services, presets and sysctls asked live from the service. Where it has nothing to offer (a file, a
# rule's text), the shell's own completion.
_nftbusctl() {
        local IFS=$'\n'
        COMPREPLY=($(nftbusctl --complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
        if [ ${#COMPREPLY[@]} -eq 0 ]; then
                compopt -o default 2>/dev/null
        fi
        return 0
}
complete -F _nftbusctl nftbusctl
