#!/usr/bin/env bash
# contrib/demo.sh: the suite running on an embedded default, without any provider account.
#
#   contrib/demo.sh           # install, build, run notifyd and its agents, deliver demo jobs,
#                             # then keep running in the foreground until Ctrl-C
#   contrib/demo.sh --once    # the same, but stop once the demo jobs are delivered
#
# The spool is ./demo/spool, a private spool owned by you. No provider is configured, so
# every channel delivers through the outbox provider into demo/spool/outbox/<channel>/.
# Queue more from another terminal:
#
#   NOTIFYD_CONFIG=demo/notifyd.conf .build/debug/notify-enqueue --channel sms --to +14155550123 --body hi
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/contrib/install-deps.sh"
swift build >/dev/null
bin=$(swift build --show-bin-path)
demo="$top/demo"
mkdir -p "$demo"
cat > "$demo/notifyd.conf" <<CONF
spool_directory = $demo/spool
template_directory = $top/contrib/templates
CONF
export NOTIFYD_CONFIG="$demo/notifyd.conf"
unset NOTIFYD_SPOOL

"$bin/notifyctl" init --private
rm -f "$demo/spool/state/qmgr.json"
"$bin/notifyd" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' EXIT
for ((i = 0; i < 200; i++)); do [ -e "$demo/spool/state/qmgr.json" ] && break; sleep 0.05; done
[ -e "$demo/spool/state/qmgr.json" ] || { echo "demo: notifyd did not start" >&2; exit 69; }

echo "== a one-time password, from a shell script:"
ids=$("$bin/notify-enqueue" --channel sms --to +919876543210 --body "Your VERSANT code is 482913" --priority high)
echo "$ids"
echo "== the student-credentials template: one data object, an SMS and an email:"
template_ids=$("$bin/notify-enqueue" --template student_credentials --data '{"name":"Asha","username":"asha21","password":"s3cret","email":"asha@example.com","mobile_number":"+919876543210","roll_number":"21IT001"}')
echo "$template_ids"
for id in $ids $template_ids; do
    for ((i = 0; i < 600; i++)); do
        "$bin/notifyctl" show --json "$id" | grep -q '"state":"done"' && break
        sleep 0.05
    done
done
echo "== delivered (notifyctl list --all):"
"$bin/notifyctl" list --all
echo "== what the outbox provider wrote for the email:"
email=$(echo "$template_ids" | tail -1)
cat "$demo/spool/outbox/email/$email"

if [ "${1:-}" = "--once" ]; then exit 0; fi
echo
echo "notifyd is running in the foreground (pid $pid); Ctrl-C stops it."
wait $pid
