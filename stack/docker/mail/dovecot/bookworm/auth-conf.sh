#!/bin/sh
# Writes Dovecot 2.3's passdb and auth policy settings (bookworm) to stdout, from the
# entrypoint's environment: AUTH_MODE, OAUTH2_INTROSPECTION_URL, POLICY_URL, POLICY_NONCE,
# AUTH_FAILURE_DELAY (see entrypoint.sh).
set -eu
if [ "${AUTH_MODE:-password}" = oauth2 ]; then
  : "${OAUTH2_INTROSPECTION_URL:?AUTH_MODE=oauth2 needs OAUTH2_INTROSPECTION_URL}"
  cat > /etc/mailstorm/dovecot-oauth2.conf.ext <<CONF
introspection_mode = post
introspection_url = $OAUTH2_INTROSPECTION_URL
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
CONF
  cat <<CONF
# OAuth2 only: a token (SASL XOAUTH2 or OAUTHBEARER) is asked about at mailstorm's introspection
# endpoint. PLAIN and LOGIN stay offered and the oauth2 passdb takes their password as a token,
# which introspection does not know: a password is refused as a failed login (AUTHENTICATIONFAILED,
# 535), not as a temporary failure, which a passdb that skipped PLAIN would answer.
auth_mechanisms = plain login xoauth2 oauthbearer
passdb {
  driver = oauth2
  args = /etc/mailstorm/dovecot-oauth2.conf.ext
}
CONF
elif [ -n "${POLICY_URL:-}" ]; then
  cat <<CONF
# mailstorm's directory decides: Dovecot sends every login (with the password it was given)
# to the policy server before authenticating; status -1 rejects (bad password or locked).
# The passdb then only has to accept what the policy allowed.
passdb {
  driver = static
  args = nopassword=y
}
auth_policy_server_url = $POLICY_URL
auth_policy_hash_nonce = ${POLICY_NONCE:-mailstorm}
auth_policy_request_attributes = login=%{requested_username} user=%{orig_user} password=%{password} remote=%{rip} device_id=%{client_id} protocol=%s session_id=%{session}
auth_policy_check_before_auth = yes
# One decision per login: asking again after the passdb would count the attempt twice.
auth_policy_check_after_auth = no
auth_policy_report_after_auth = no
# No answer from the policy server is a failed login, never an open door.
auth_policy_reject_on_fail = yes
auth_policy_server_timeout_msecs = 5000
CONF
else
  cat <<CONF
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu /etc/mailstorm/passwd
}
CONF
fi
echo "auth_failure_delay = ${AUTH_FAILURE_DELAY:-0}"
