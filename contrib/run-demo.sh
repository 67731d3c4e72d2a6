#!/bin/sh
# contrib/run-demo.sh - run the notifyd suite in the foreground on a local spool.
#
#   contrib/run-demo.sh            # build, start notifyd and its agents, deliver a demo job,
#                                  # then keep running until Ctrl-C
#   contrib/run-demo.sh --once     # the same, but stop after the demo job is listed
#
# The spool is ./demo/spool in the repository (override with NOTIFYD_SPOOL), a private
# spool owned by you. No configuration file is needed: every channel delivers through the
# outbox provider into demo/spool/outbox/<channel>/. Enqueue more from another terminal:
#
#   NOTIFYD_SPOOL=demo/spool .build/debug/notify-enqueue --channel sms --to +14155550123 --body hi
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
swift build
bin=$(swift build --show-bin-path)
export NOTIFYD_SPOOL="${NOTIFYD_SPOOL:-$repo/demo/spool}"
export NOTIFYD_CONFIG="${NOTIFYD_CONFIG:-$repo/demo/notifyd.conf}"
mkdir -p "$(dirname "$NOTIFYD_SPOOL")"
"$bin/notifyctl" init --private

rm -f "$NOTIFYD_SPOOL/state/qmgr.json"
"$bin/notifyd" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' INT TERM
while [ ! -e "$NOTIFYD_SPOOL/state/qmgr.json" ]; do sleep 0.05; done

id=$("$bin/notify-enqueue" --channel email --to newcomer@example.com --subject "Hello from notifyd" \
    --body "This message went through notifyd and the outbox provider.")
echo "enqueued demo job $id"
until "$bin/notifyctl" show --json "$id" | grep -q '"state":"done"'; do sleep 0.05; done
"$bin/notifyctl" list --all --id "$id"
echo "delivered to $NOTIFYD_SPOOL/outbox/email/$id:"
cat "$NOTIFYD_SPOOL/outbox/email/$id"

if [ "${1:-}" = "--once" ]; then
    kill -TERM $pid
    wait $pid
    exit 0
fi
echo "notifyd is running in the foreground (pid $pid); Ctrl-C stops it."
wait $pid
