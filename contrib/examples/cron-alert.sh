#!/bin/sh
# cron-alert.sh: run a command from cron and send an SMS (and an email with its output)
# when it fails. A crontab line:
#
#   */5 * * * * /usr/local/share/doc/notifyd/examples/cron-alert.sh disk-check /usr/local/bin/check-disk
#
# The user running it must be in the submit group `notify`. ALERT_SMS and ALERT_EMAIL name
# the on-call recipients. notify-enqueue returns at once (the job waits in the spool if
# notifyd is down); the idempotency key makes a job a minute at most per check, however
# often cron runs it, and --ttl drops an alert nobody could act on any more.
set -u
name=$1; shift
ALERT_SMS=${ALERT_SMS:-+15551234567}
ALERT_EMAIL=${ALERT_EMAIL:-oncall@example.com}
output=$(mktemp) || exit 75
trap 'rm -f "$output"' EXIT
"$@" > "$output" 2>&1
status=$?
[ "$status" -eq 0 ] && exit 0
host=$(hostname)
minute=$(date -u +%Y%m%dT%H%M)
notify-enqueue --channel sms --to "$ALERT_SMS" --priority high --ttl 30m \
    --idempotency-key "cron-$name-$host-$minute-sms" \
    --body "$host: $name failed with status $status" --meta check="$name" --meta host="$host"
notify-enqueue --channel email --to "$ALERT_EMAIL" --ttl 1d \
    --idempotency-key "cron-$name-$host-$minute-email" \
    --subject "[$host] $name failed (status $status)" --body-file "$output" --meta check="$name"
exit "$status"
