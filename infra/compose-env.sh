#!/bin/sh
# Writes the secrets docker compose needs to .env at the repository's root (or
# to the file given), each a fresh random value, and only those the file does
# not set yet: run again, it keeps what is there. Prints no secret.
#   sh infra/compose-env.sh && docker compose up --build
set -eu

file=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.env"}
touch "$file"
chmod 600 "$file"

add() {
  if grep -q "^$1=" "$file"; then
    echo "$file already sets $1"
  else
    printf '%s=%s\n' "$1" "$2" >>"$file"
    echo "$file: $1 written"
  fi
}

# MinIO takes secret keys of 8 to 40 characters; hex needs no quoting anywhere.
add MINIO_ROOT_USER darkroom-root
add MINIO_ROOT_PASSWORD "$(openssl rand -hex 20)"
# The apps' own MinIO user, which minio-setup makes.
add S3_ACCESS_KEY_ID darkroom-app
add S3_SECRET_ACCESS_KEY "$(openssl rand -hex 20)"
add SESSION_SECRET "$(openssl rand -base64 48 | tr -d '\n')"
# The admin, for the queue page and /admin/queues.
add ADMIN_USER operator
add ADMIN_PASSWORD "$(openssl rand -hex 16)"
