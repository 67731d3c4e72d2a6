#!/bin/sh
# csv-welcome.sh: welcome every new student of a CSV export with the student_credentials
# template (an SMS and an email each; the template is installed in
# /etc/notifyd/templates/student_credentials by make install).
#
#   csv-welcome.sh students.csv
#
# The CSV has a header row naming the template's fields:
#   name,username,password,email,mobile_number,roll_number
#   Asha,asha21,s3cret,asha@example.com,+919876543210,21IT001
#
# Each row becomes its jobs all-or-nothing; a bad row is reported with its number and the
# others are queued. The key template makes a re-run after a failure (or twice by
# mistake) queue nobody twice. The exit status is notify-enqueue's (sysexits).
set -u
file=${1:?usage: csv-welcome.sh FILE.csv}
exec notify-enqueue --batch "$file" --template student_credentials \
    --idempotency-key 'welcome-{{roll_number}}' --meta source=csv-welcome
