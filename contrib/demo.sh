#!/usr/bin/env bash
# contrib/demo.sh: see jobs flow without any provider account.
# Installs what is needed, builds, creates a private spool in ./demo/spool, and queues
# demo jobs: one SMS from the command line, and the seeds' "student credentials" template
# fanned out to an SMS and an email. Then lists the queue.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/contrib/install-deps.sh"
swift build --product notify-enqueue >/dev/null
swift build --product notify-render >/dev/null
swift build --product notifyctl >/dev/null
bin=$(swift build --show-bin-path)
demo="$top/demo"
mkdir -p "$demo"
cat > "$demo/notifyd.conf" <<CONF
spool_directory = $demo/spool
template_directory = $top/contrib/templates
CONF
export NOTIFYD_CONFIG="$demo/notifyd.conf"

"$bin/notifyctl" init --private
echo "== a one-time password, from a shell script:"
"$bin/notify-enqueue" --channel sms --to +919876543210 --body "Your VERSANT code is 482913" --priority high
echo "== the student-credentials template, one data object, two channels:"
"$bin/notify-enqueue" --template student_credentials --data '{"name":"Asha","username":"asha21","password":"s3cret","email":"asha@example.com","mobile_number":"+919876543210","roll_number":"21IT001"}'
echo "== the queue (notifyctl list):"
"$bin/notifyctl" list
echo
echo "Jobs wait in $demo/spool/incoming until notifyd runs. Look at one with:"
echo "  NOTIFYD_CONFIG=$demo/notifyd.conf $bin/notifyctl show ID"
