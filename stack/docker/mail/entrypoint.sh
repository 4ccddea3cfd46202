#!/bin/sh
# Starts Dovecot and Postfix in the foreground with per-run settings from the environment:
#
#   MAIL_DOMAIN                 the population's domain                     (mailstorm.test)
#   MAIL_HOSTNAME               Postfix's myhostname                        (mail.$MAIL_DOMAIN)
#   DELIVERY                    dovecot | sink                              (dovecot)
#   SINK_HOST, SINK_PORT        ledger sink (LMTP) when DELIVERY=sink
#   POLICY_URL                  Dovecot auth policy server (mailstorm's directory); when set,
#                               the policy server checks passwords and lockout. Without it,
#                               /etc/mailstorm/passwd (Dovecot passwd-file) is the passdb.
#   POLICY_NONCE                auth_policy_hash_nonce                      (mailstorm)
#   AUTH_FAILURE_DELAY          Dovecot's delay before a failed login reply (0)
#   AUTH_MODE                   password | oauth2                           (password)
#   OAUTH2_INTROSPECTION_URL    with oauth2: where Dovecot's oauth2 passdb asks about a token
#                               (mailstorm's); passwords are refused, the policy hook is not asked
#   MESSAGE_SIZE_LIMIT, CLIENT_MESSAGE_RATE_LIMIT, DELIVERY_CONCURRENCY, DELIVERY_RATE_DELAY
#   TLS_MODE                    none | starttls | implicit                  (none)
#   TLS_CERT, TLS_KEY           server certificate and key (PEM) with TLS on
#                               (/etc/mailstorm/tls/cert.pem, key.pem)
#
# TLS_MODE=starttls: Postfix (25, 587) and Dovecot (143) offer STARTTLS and refuse mail and
# logins before it; implicit: the same, plus submission on 465 and IMAP on 993 with TLS from
# the first byte.
#
# When the provider copies in /etc/mailstorm/postfwd.cf (rules for reply-all storm protection
# and per-sender rates), postfwd runs as Postfix's policy service on 127.0.0.1:10040.
#
# Files the provider may copy in before start: /etc/mailstorm/mailboxes (one address a line)
# and /etc/mailstorm/virtual (Postfix virtual alias map: "list member1,member2").
set -eu

domain="${MAIL_DOMAIN:-mailstorm.test}"
postconf -e "myhostname=${MAIL_HOSTNAME:-mail.$domain}" "virtual_mailbox_domains=$domain"

case "${DELIVERY:-dovecot}" in
  dovecot) postconf -e "virtual_transport=lmtp:unix:private/dovecot-lmtp" ;;
  sink)
    : "${SINK_HOST:?DELIVERY=sink needs SINK_HOST}" "${SINK_PORT:?DELIVERY=sink needs SINK_PORT}"
    postconf -e "virtual_transport=lmtp:inet:[$SINK_HOST]:$SINK_PORT" ;;
  *) echo "mailstorm-entrypoint: DELIVERY must be dovecot or sink, got '$DELIVERY'" >&2; exit 2 ;;
esac

[ -n "${MESSAGE_SIZE_LIMIT:-}" ] && postconf -e "message_size_limit=$MESSAGE_SIZE_LIMIT"
[ -n "${CLIENT_MESSAGE_RATE_LIMIT:-}" ] && postconf -e "smtpd_client_message_rate_limit=$CLIENT_MESSAGE_RATE_LIMIT"
[ -n "${DELIVERY_CONCURRENCY:-}" ] && postconf -e "lmtp_destination_concurrency_limit=$DELIVERY_CONCURRENCY"
[ -n "${DELIVERY_RATE_DELAY:-}" ] && postconf -e "lmtp_destination_rate_delay=$DELIVERY_RATE_DELAY"

# Recipient and list tables from the population, when the provider copied them in.
if [ -s /etc/mailstorm/mailboxes ]; then
  sed 's/$/ OK/' /etc/mailstorm/mailboxes > /etc/postfix/mailboxes
  postmap /etc/postfix/mailboxes
  postconf -e "virtual_mailbox_maps=hash:/etc/postfix/mailboxes"
fi
if [ -s /etc/mailstorm/virtual ]; then
  cp /etc/mailstorm/virtual /etc/postfix/virtual
  postmap /etc/postfix/virtual
  postconf -e "virtual_alias_maps=hash:/etc/postfix/virtual"
fi

# TLS: Postfix's part here (the same syntax in 3.7 and 3.10), Dovecot's from the release's fragment.
export TLS_CERT="${TLS_CERT:-/etc/mailstorm/tls/cert.pem}" TLS_KEY="${TLS_KEY:-/etc/mailstorm/tls/key.pem}"
case "${TLS_MODE:-none}" in
  none) ;;
  starttls|implicit)
    for f in "$TLS_CERT" "$TLS_KEY"; do
      [ -s "$f" ] || { echo "mailstorm-entrypoint: TLS_MODE=$TLS_MODE needs $f (a PEM file copied in by the provider)" >&2; exit 2; }
    done
    # encrypt: no MAIL FROM and no AUTH before STARTTLS (530 5.7.0), on 25 and 587 alike.
    # smtpd_tls_chain_files takes the key first, then its certificate, whatever the key type.
    postconf -e "smtpd_tls_chain_files=$TLS_KEY,$TLS_CERT" smtpd_tls_security_level=encrypt \
      smtpd_tls_auth_only=yes smtpd_tls_loglevel=1
    if [ "$TLS_MODE" = implicit ]; then
      # 465: submission with TLS from the first byte (RFC 8314), otherwise as master.cf's 587.
      postconf -M "465/inet=465 inet n - n - - smtpd"
      postconf -P "465/inet/syslog_name=postfix/submissions" "465/inet/smtpd_tls_wrappermode=yes" \
        "465/inet/smtpd_sasl_auth_enable=yes" \
        "465/inet/smtpd_client_restrictions=permit_sasl_authenticated,reject" \
        "465/inet/smtpd_relay_restrictions=permit_sasl_authenticated,reject" \
        "465/inet/smtpd_recipient_restrictions=mailstorm_policy,permit_sasl_authenticated,reject"
    fi ;;
  *) echo "mailstorm-entrypoint: TLS_MODE must be none, starttls or implicit, got '$TLS_MODE'" >&2; exit 2 ;;
esac

# Dovecot's passdb and policy hook, and its TLS, in the syntax of this image's Dovecot (2.3 or 2.4).
touch /etc/mailstorm/passwd
/usr/local/lib/mailstorm/dovecot-auth-conf.sh > /etc/mailstorm/dovecot-auth.conf
/usr/local/lib/mailstorm/dovecot-tls-conf.sh > /etc/mailstorm/dovecot-tls.conf

# A configuration Dovecot cannot parse stops the start here, with Dovecot's own message,
# instead of a container that never opens its ports.
if ! check=$(doveconf -n 2>&1 >/dev/null); then
  echo "mailstorm-entrypoint: Dovecot $(dovecot --version 2>/dev/null) cannot parse its configuration: $check" >&2
  exit 3
fi

# Every service logs to a file; one follower copies them to the container's output, so a slow
# log pipe delays the copy, never the mail.
: > /var/log/postfix.log
: > /var/log/dovecot.log
: > /var/log/postfwd.log
chown dovecot /var/log/dovecot.log 2>/dev/null || true
tail -q -n +1 -F /var/log/postfix.log /var/log/dovecot.log /var/log/postfwd.log &

# postfwd: its rules are checked before anything starts, so a bad rule stops the start.
if [ -s /etc/mailstorm/postfwd.cf ]; then
  check=$(postfwd2 --file /etc/mailstorm/postfwd.cf --nodns -C 2>&1 | grep 'LOG warning\|LOG err\|critical' || true)
  if [ -n "$check" ]; then
    echo "mailstorm-entrypoint: postfwd rejects its rules: $check" >&2
    exit 3
  fi
  /usr/local/lib/mailstorm/syslog-to-file.pl /var/log/postfwd.log &
  sleep 0.2
  postfwd2 --file /etc/mailstorm/postfwd.cf --interface 127.0.0.1 --port 10040 --nodns \
    --user nobody --group nogroup --pidfile /run/postfwd.pid --logname postfwd 2>>/var/log/postfwd.log
  for _ in $(seq 1 50); do
    perl -MIO::Socket::INET -e 'exit(IO::Socket::INET->new("127.0.0.1:10040") ? 0 : 1)' && break
    sleep 0.1
  done
  postconf -e "mailstorm_policy=check_policy_service inet:127.0.0.1:10040"
fi

# Postfix sleeps out the second in which main.cf last changed before it reads it (about 2 s
# per start, every container); the edits above are all done, so date the files back instead.
touch -d '-2 seconds' /etc/postfix/main.cf /etc/postfix/master.cf

# Dovecot's listeners for Postfix live in Postfix's private directory, which trixie's
# package leaves to Postfix's first start: make it now, as Postfix would.
install -d -o postfix -g root -m 0700 /var/spool/postfix/private

# Both run in the foreground; when either stops, the container stops.
dovecot -F &
dovecot_pid=$!
postfix start-fg &
postfix_pid=$!
trap 'postfix stop >/dev/null 2>&1; kill "$dovecot_pid" 2>/dev/null; exit 0' TERM INT
echo "mailstorm-entrypoint: started postfix and dovecot (delivery ${DELIVERY:-dovecot}, tls ${TLS_MODE:-none})"
# sleep in the background and wait for it: a stop signal runs the trap at once, not after the sleep.
while kill -0 "$dovecot_pid" 2>/dev/null && kill -0 "$postfix_pid" 2>/dev/null; do
  sleep 1 &
  wait $!
done
echo "mailstorm-entrypoint: a service stopped; exiting" >&2
exit 1
