#!/usr/bin/env bash
# Every changing method of introspection/, nftbus's and firewalld's, called by nobody and by the test user
# with no polkit rule for them: refused with polkit's error naming the method's action, and nothing changed
# (ruleset, sysctls, configuration and state files, the service's objects); root's same call succeeds.
# The methods come from the XML: one without a fixture in tests/integration/privilege-walk.py fails.
source "$(dirname "$0")/lib.sh"

walk_setup
tap_from privilege-walk.py < <(/usr/bin/python3 "$NFTBUS_SOURCE/tests/integration/privilege-walk.py" refused 2>&1)
done_testing
