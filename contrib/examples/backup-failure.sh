#!/bin/sh
# backup-failure.sh: a backup wrapper that reports a failure by email and webhook, and a
# success only to the webhook (for a dashboard). For example from a systemd timer's
# service: ExecStart=/usr/local/share/doc/notifyd/examples/backup-failure.sh /srv/data
#
#   BACKUP_TARGET    where borg/rsync writes (default backup@backup.example.com:/backups)
#   BACKUP_EMAIL     who reads failure reports (default ops@example.com)
#   BACKUP_WEBHOOK   a webhook endpoint name from notifyd.conf (webhook_endpoint_NAME)
#                    or a URL (default: ops)
set -u
source_directory=${1:?usage: backup-failure.sh DIRECTORY}
target=${BACKUP_TARGET:-backup@backup.example.com:/backups}
email=${BACKUP_EMAIL:-ops@example.com}
webhook=${BACKUP_WEBHOOK:-ops}
log=$(mktemp) || exit 75
trap 'rm -f "$log"' EXIT
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rsync -a --delete "$source_directory/" "$target/$(hostname)/" > "$log" 2>&1
status=$?
run="backup-$(hostname)-$(date -u +%Y%m%d)"
if [ "$status" -ne 0 ]; then
    tail -n 50 "$log" > "$log.tail" && mv "$log.tail" "$log"
    notify-enqueue --channel email --to "$email" --priority high --idempotency-key "$run-email" \
        --subject "Backup of $source_directory on $(hostname) FAILED (rsync status $status)" \
        --body-file "$log" --meta run="$run"
fi
result=$([ "$status" -eq 0 ] && echo ok || echo failed)
notify-enqueue --channel webhook --to "$webhook" --idempotency-key "$run-webhook" --meta run="$run" \
    --body "{\"event\":\"backup\",\"host\":\"$(hostname)\",\"directory\":\"$source_directory\",\"result\":\"$result\",\"started\":\"$started\",\"status\":$status}"
exit "$status"
