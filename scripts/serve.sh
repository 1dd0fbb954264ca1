#!/bin/sh
# What the Docker image runs (its CMD), and what scripts/image_check.sh runs in CI: bring the database
# to the latest migration, then serve every channel whose token is set, with /healthz, /readyz and
# /metrics on NHACVIEC_WEB_HOST:NHACVIEC_WEB_PORT. Settings come from the NHACVIEC_ variables.
set -eu
nhacviec db upgrade
exec nhacviec run "$@"
