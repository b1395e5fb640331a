#!/usr/bin/env bash
# nftbus-firewalld-generator: firewalld.service is an alias of nftbusd.service exactly where nftbusd serves
# firewalld's API and no firewalld.service is installed (Cockpit asks systemd for firewalld.service). Each case is
# a root folder of its own (a unit folder, nftbus.conf, firewalld.conf), the generator run as systemd runs it, and
# systemctl --root says what firewalld.service is there.
source "$(dirname "$0")/lib.sh"

# (the build's copy is not executable: meson sets its mode when it installs it)
generator=$NFTBUS_BUILD/units/nftbus-firewalld-generator
if ! command -v systemctl >/dev/null; then
        skip "the firewalld.service alias" "systemctl is not installed"
        done_testing
        exit 0
fi

# case NFTBUS_CONF FIREWALLD_CONF FIREWALLD_UNIT: the root made ("-": no such file; FIREWALLD_UNIT: "debian" for
# firewalld's own unit, "masked" for a mask in /etc), the generator run; prints what systemctl says of
# firewalld.service, and what the generator left in its late folder
case_of() {
        local root
        root=$(mktemp -d "$NFTBUS_RUNDIR/root.XXXXXX")
        mkdir -p "$root/etc/nftbus" "$root/etc/firewalld" "$root/etc/systemd/system" "$root/lib/systemd/system" \
                "$root/run/systemd/generator" "$root/run/systemd/generator.early" "$root/run/systemd/generator.late"
        [ "$1" = - ] || printf '%b' "$1" >"$root/etc/nftbus/nftbus.conf"
        [ "$2" = - ] || printf '%b' "$2" >"$root/etc/firewalld/firewalld.conf"
        case "$3" in
        debian) printf '[Unit]\nDescription=firewalld\n[Service]\nExecStart=/usr/sbin/firewalld\n[Install]\nWantedBy=multi-user.target\n' \
                >"$root/lib/systemd/system/firewalld.service" ;;
        masked) ln -s /dev/null "$root/etc/systemd/system/firewalld.service" ;;
        esac
        CONFIGURATION_DIRECTORY=$root/etc/nftbus NFTBUS_FIREWALLD_CONFIG_DIR=$root/etc/firewalld \
                NFTBUS_UNIT_PATH=$root/etc/systemd/system:$root/lib/systemd/system \
                sh "$generator" "$root/run/systemd/generator" "$root/run/systemd/generator.early" \
                "$root/run/systemd/generator.late"
        echo "rc=$?"
        local alias=$root/run/systemd/generator.late/firewalld.service
        if [ -L "$alias" ]; then
                # nftbusd's unit where the alias points, in this root
                mkdir -p "$root$(dirname "$(readlink "$alias")")"
                cp "$NFTBUS_BUILD/units/nftbusd.service" "$root$(readlink "$alias")"
                echo "alias to $(basename "$(readlink "$alias")")"
        fi
        systemctl --root="$root" list-unit-files firewalld.service --no-legend 2>&1 | awk '{ print $1, $2 }'
}

assert_eq "FirewallDAPI=yes, no firewalld: firewalld.service is nftbusd's alias" \
        "rc=0
alias to nftbusd.service
firewalld.service alias" "$(case_of 'Zones=yes\nFirewallDAPI=yes\n' - -)"
assert_eq "FirewallDAPI=no: no firewalld.service" "rc=0" "$(case_of 'Zones=yes\nFirewallDAPI=no\n' - -)"
assert_eq "nftbus.conf without FirewallDAPI (off by default): none" "rc=0" "$(case_of 'Zones=yes\n' - -)"
assert_eq "the last FirewallDAPI line says it (blanks before the key, as nftbusd reads it)" "rc=0
alias to nftbusd.service
firewalld.service alias" "$(case_of 'FirewallDAPI=no\n  FirewallDAPI=yes\r\n' - -)"
assert_eq "a line nftbusd passes over is passed over (no blanks around '=')" "rc=0" \
        "$(case_of 'FirewallDAPI = yes\n' - -)"
assert_eq "in firewalld's place on firewalld's files (no nftbus.conf, firewalld.conf there): the alias" "rc=0
alias to nftbusd.service
firewalld.service alias" "$(case_of - 'DefaultZone=public\n' -)"
assert_eq "Configuration=firewalld in nftbus.conf: the alias" "rc=0
alias to nftbusd.service
firewalld.service alias" "$(case_of 'Configuration=firewalld\n' - -)"
assert_eq "Configuration=firewalld, FirewallDAPI=no: none" "rc=0" "$(case_of 'Configuration=firewalld\nFirewallDAPI=no\n' - -)"
assert_eq "neither file: none" "rc=0" "$(case_of - - -)"
assert_eq "Debian's firewalld installed: its own unit, never nftbus's alias" "rc=0
firewalld.service disabled" "$(case_of 'FirewallDAPI=yes\n' - debian)"
assert_eq "firewalld.service masked by the admin: left masked" "rc=0
firewalld.service masked" "$(case_of 'FirewallDAPI=yes\n' - masked)"
done_testing
