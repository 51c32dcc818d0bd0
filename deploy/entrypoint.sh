#!/bin/sh
# Start one app server: bring the schema up to date, then hand the process to gunicorn.
# init-db is safe to run on every start and from several servers at once only when one of them
# starts first; with more servers, run it once per release (see docs/deployment.md).
set -eu
flask --app veiligthuis init-db
exec gunicorn -c deploy/gunicorn.conf.py wsgi:app
