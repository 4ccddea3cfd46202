#!/bin/sh
# Writes Dovecot 2.3's TLS settings (bookworm) to stdout, from the entrypoint's environment:
# TLS_MODE (none | starttls | implicit), TLS_CERT and TLS_KEY (PEM files the provider copied in).
# starttls: IMAP on 143 offers STARTTLS and refuses any login before it (ssl = required);
# implicit: the same, plus IMAP over TLS from the first byte on 993.
set -eu
mode="${TLS_MODE:-none}"
if [ "$mode" = none ]; then
  echo "ssl = no"
  exit 0
fi
# 2.3 has a built-in imaps listener on 993: open it only when implicit TLS is asked for.
imaps=0
[ "$mode" = implicit ] && imaps=993
cat <<CONF
ssl = required
ssl_cert = <$TLS_CERT
ssl_key = <$TLS_KEY
ssl_min_protocol = TLSv1.2
service imap-login {
  inet_listener imaps {
    port = $imaps
    ssl = yes
  }
}
CONF
