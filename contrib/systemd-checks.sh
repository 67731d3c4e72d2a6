#!/bin/bash
# contrib/systemd-checks.sh: the checks contrib/test-systemd.sh runs inside the booted
# container (as a oneshot unit after multi-user.target). One line per check in
# /var/lib/notifyd-test/results: PASS or FAIL, its name and what was seen; DONE at the end.
set -u
results=/var/lib/notifyd-test/results
spool=/var/spool/notifyd
: > "$results"
pass() { echo "PASS $1: ${*:2}" >> "$results"; }
fail() { echo "FAIL $1: ${*:2}" >> "$results"; }
check() { local name=$1; shift; if "$@"; then pass "$name" "$*"; else fail "$name" "$*"; fi; }
show() { systemctl show -p "$2" --value "$1"; }
state() { echo "$(show "$1" ActiveState)/$(show "$1" SubState)"; }
wait_for() {  # seconds command...: polls every 0.2 s
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.2; done
}
has_apid=$([ -x /usr/sbin/notify-apid ] && echo yes || echo no)
has_statsd=$([ -x /usr/sbin/notify-statsd ] && echo yes || echo no)
enqueue() { runuser -u alice -- notify-enqueue "$@"; }
delivered() { [ -n "$2" ] && [ -e "$spool/outbox/$1/$2" ]; }

# Readiness: Type=notify units are active/running only after READY=1.
wait_for 60 test "$(state notifyd.service)" = active/running
check notifyd-ready test "$(state notifyd.service)" = active/running
pass notifyd-show "$(systemctl show -p Type -p ActiveState -p SubState -p StatusText -p WatchdogUSec notifyd.service | tr '\n' ' ')"
if [ "$has_statsd" = yes ]; then
    wait_for 60 test "$(state notify-statsd.service)" = active/running
    check statsd-ready test "$(state notify-statsd.service)" = active/running
    check statsd-writes-stats wait_for 30 test -s "$spool/state/stats.json"
fi

# sysusers and tmpfiles at boot.
check sysusers getent passwd notifyd
check submit-group getent group notify
check spool-modes test "$(stat -c '%a %U:%G' $spool $spool/incoming $spool/public/trigger | tr '\n' ' ')" = \
    "710 notifyd:notify 3733 notifyd:notifyd 620 notifyd:notify "

# A job from the command line reaches the outbox.
id=$(enqueue --channel sms --to +15551234567 --body "hello from systemd" 2>&1)
check enqueue-as-submitter test "${#id}" = 26
check job-reaches-outbox wait_for 30 delivered sms "$id"

# The journal: the job's records by JOB_ID, with the structured fields.
journalctl --sync 2>/dev/null || true
sleep 1
records=$(journalctl -u notifyd --no-pager -o verbose "JOB_ID=$id" 2>&1)
pass journal-records-for-job "$(echo "$records" | grep -c '^    MESSAGE=') records for JOB_ID=$id"
for field in JOB_ID CHANNEL PROVIDER OUTCOME MESSAGE_ID; do
    check "journal-field-$field" grep -q "^    $field=" <<< "$records"
done
check journal-attempt-from-agent grep -q 'SYSLOG_IDENTIFIER=notify-sms' <<< "$records"
check journal-final-from-notifyd grep -q 'SYSLOG_IDENTIFIER=notifyd' <<< "$records"

# Credentials: the webhook agent signs with the secret systemd loaded (LoadCredential=);
# the receiver checks the signature with the original file.
python3 /usr/local/lib/notifyd-test/webhook-receiver.py 8099 /etc/notifyd/credentials/webhook-secret \
    /var/lib/notifyd-test/webhooks &
receiver=$!
sleep 0.5
id=$(enqueue --channel webhook --to ops --body '{"event":"credential-check"}' 2>&1)
check credential-signs-webhook wait_for 30 grep -q "^valid $id\$" /var/lib/notifyd-test/webhooks
check credential-not-readable-by-others test "$(stat -c '%a %U' /etc/notifyd/credentials/webhook-secret)" = "600 root"
kill "$receiver"

# Socket activation: the service starts with the first request.
if [ "$has_apid" = yes ]; then
    check apid-socket-listening test "$(state notify-apid.socket)" = active/listening
    check apid-not-started-before-use test "$(show notify-apid.service ActiveState)" = inactive
    check apid-socket-mode test "$(stat -c '%a %G' /run/notifyd/api.sock)" = "660 notify"
    reply=$(runuser -u alice -- curl -sS --max-time 20 --unix-socket /run/notifyd/api.sock \
        -H 'Content-Type: application/json' -d '{"channel":"sms","to":"+15551234568","body":"hello from the API"}' \
        -w '\n%{http_code}' http://localhost/v1/notifications 2>&1)
    status=$(echo "$reply" | tail -n1)
    check apid-first-request-answered test "${status:0:1}" = 2
    pass apid-reply "$(echo "$reply" | head -n1)"
    check apid-activated-and-ready test "$(state notify-apid.service)" = active/running
    api_id=$(echo "$reply" | head -n1 | grep -o '"ids" *: *\[ *"[0-9A-Z]*"' | grep -o '[0-9A-Z]\{26\}')
    check apid-job-reaches-outbox wait_for 30 delivered sms "$api_id"
    api_job() { runuser -u alice -- curl -sS --max-time 10 --unix-socket /run/notifyd/api.sock "http://localhost/v1/jobs/$1" 2>&1; }
    api_job_done() { api_job "$1" | grep -q '"state" *: *"done"'; }
    check apid-job-status-done wait_for 20 api_job_done "$api_id"
    pass apid-job "$(api_job "$api_id" | head -c 400)"
    # No PrivateUsers= on notify-apid: SO_PEERCRED shows the client's real uid.
    check apid-submitter-is-the-client sh -c "runuser -u alice -- curl -sS --unix-socket /run/notifyd/api.sock http://localhost/v1/jobs/$api_id | grep -q '\"uid\" *: *$(id -u alice)[,}]'"
    if [ -x /usr/share/doc/notifyd/examples/notifyd_client.py ] && command -v python3 >/dev/null; then
        client_id=$(runuser -u alice -- python3 /usr/share/doc/notifyd/examples/notifyd_client.py sms +15551234569 "from python" 2>&1)
        check python-client-job-reaches-outbox wait_for 30 delivered sms "$client_id"
    fi
fi

# Reload: same main process, the configuration re-read.
for unit in notifyd.service notify-apid.service notify-statsd.service; do
    [ -n "$(show "$unit" ExecReload)" ] && [ "$(show "$unit" ActiveState)" = active ] || continue
    before=$(show "$unit" MainPID)
    since=$(date '+%Y-%m-%d %H:%M:%S')
    check "reload-$unit" systemctl reload "$unit"
    check "reload-keeps-pid-$unit" test "$(show "$unit" MainPID)" = "$before"
    check "reload-still-running-$unit" test "$(state "$unit")" = active/running
    check "reload-logged-$unit" wait_for 10 sh -c "journalctl -u $unit --since '$since' MESSAGE_ID=aae40fa928bc450b8532cbce38801804 -o cat | grep -q 'configuration reloaded'"
done

# Watchdog: a stopped (hung) daemon misses its keep-alives; systemd aborts and restarts it.
declare -A hung=()
for unit in notifyd.service notify-apid.service notify-statsd.service; do
    [ "$(show "$unit" ActiveState)" = active ] || continue
    hung[$unit]=$(show "$unit" MainPID)
    pass "watchdog-$unit" "WatchdogUSec=$(show "$unit" WatchdogUSec); SIGSTOP to ${hung[$unit]}"
    kill -STOP "${hung[$unit]}"
done
hung_at=$(date +%s)
restarted() { [ "$(show "$1" NRestarts)" -ge 1 ] && [ "$(show "$1" MainPID)" != "$2" ] && [ "$(state "$1")" = active/running ]; }
for unit in "${!hung[@]}"; do
    if wait_for 120 restarted "$unit" "${hung[$unit]}"; then
        pass "watchdog-restarted-$unit" "after $(( $(date +%s) - hung_at ))s: NRestarts=$(show "$unit" NRestarts) MainPID ${hung[$unit]} -> $(show "$unit" MainPID)"
    else
        fail "watchdog-restarted-$unit" "$(state "$unit") NRestarts=$(show "$unit" NRestarts) MainPID=$(show "$unit" MainPID)"
    fi
done
check watchdog-in-journal sh -c "journalctl -u notifyd.service -o cat | grep -q -i 'watchdog timeout'"

# After the restart the suite delivers again (and recovered what was in flight).
id=$(enqueue --channel email --to ops@example.com --subject "after restart" --body "still here" 2>&1)
check job-after-watchdog-restart wait_for 60 delivered email "$id"

pass versions "$(systemctl --version | head -n1); $(notifyctl --version 2>/dev/null || true)"
echo DONE >> "$results"
