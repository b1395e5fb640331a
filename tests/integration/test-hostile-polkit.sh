#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-table.rules)
# Callers polkit refuses cannot starve the ones it allows. Two processes of another user send 150 calls
# each at once (the bus passes 128 of each: more than the 128 replies dbus-daemon lets nftbusd wait for)
# while the delegate makes 100 calls it is allowed, at once too: none of the delegate's is refused; the
# flood gets InteractiveAuthorizationRequired, or Busy past 128 waiting calls of one user (or the bus's
# own LimitsExceeded past 128 calls of one connection), and changes nothing.
source "$(dirname "$0")/lib.sh"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
flood_out=$(mktemp -d)
for i in 1 2; do
        nobody "$BIGCALL" flood 150 $ROOT $IFACE.Manager AddTable s:inet,s:nobody$i >"$flood_out/$i" &
done
delegate=$(as_user "$BIGCALL" flood 100 $ROOT $IFACE.Manager AddTable s:inet,s:delegated)
wait
assert_eq "the delegate's 100 calls: one made the table, the others found it there, none was refused" \
        "ok 1|org.nftbus.Firewall1.Error.AlreadyExists 99" "$(sort <<<"$delegate" | paste -sd'|')"
for i in 1 2; do
        assert_match "flood $i: refused or Busy, all 150 answered" \
                '^((org.freedesktop.DBus.Error.InteractiveAuthorizationRequired|org.freedesktop.DBus.Error.LimitsExceeded|org.nftbus.Firewall1.Error.Busy) [0-9]+\|?)+$' \
                "$(sort "$flood_out/$i" | paste -sd'|')"
        assert_eq "flood $i: 150 answers" 150 "$(awk '{ n += $2 } END { print n }' "$flood_out/$i")"
done
rm -rf "$flood_out"
assert_eq "only the delegate's table exists" '[{"family":"inet","name":"delegated"}]' "$(kernel_tables)"

done_testing
