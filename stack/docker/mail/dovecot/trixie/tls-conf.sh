#!/bin/sh
# Writes Dovecot 2.4's TLS settings (trixie) to stdout, from the entrypoint's environment:
# TLS_MODE (none | starttls | implicit), TLS_CERT and TLS_KEY (PEM files the provider copied in).
# The same decisions as bookworm's 2.3 fragment, in 2.4's names: ssl_server_cert_file and
# ssl_server_key_file take a path (2.3's ssl_cert/ssl_key took "<path"), and cleartext logins
# are allowed (auth_allow_cleartext) only without TLS: 2.4 refuses it beside ssl = required.
set -eu
mode="${TLS_MODE:-none}"
if [ "$mode" = none ]; then
  # No TLS: LOGIN and AUTH PLAIN in cleartext over the stack's bridge network only.
  printf 'ssl = no\nauth_allow_cleartext = yes\n'
  exit 0
fi
imaps=0
[ "$mode" = implicit ] && imaps=993
cat <<CONF
ssl = required
ssl_server_cert_file = $TLS_CERT
ssl_server_key_file = $TLS_KEY
ssl_min_protocol = TLSv1.2
service imap-login {
  inet_listener imaps {
    port = $imaps
    ssl = yes
  }
}
CONF
