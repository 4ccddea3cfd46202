#!/bin/sh
# Writes Dovecot 2.4's passdb and auth policy settings (trixie) to stdout, from the
# entrypoint's environment: AUTH_MODE, OAUTH2_INTROSPECTION_URL, POLICY_URL, POLICY_NONCE,
# AUTH_FAILURE_DELAY (see entrypoint.sh).
# The same decisions as bookworm's 2.3 fragment, in 2.4's syntax.
set -eu
if [ "${AUTH_MODE:-password}" = oauth2 ]; then
  : "${OAUTH2_INTROSPECTION_URL:?AUTH_MODE=oauth2 needs OAUTH2_INTROSPECTION_URL}"
  cat <<CONF
# OAuth2 only: a token (SASL XOAUTH2 or OAUTHBEARER) is asked about at mailstorm's introspection
# endpoint. PLAIN and LOGIN stay offered and the oauth2 passdb takes their password as a token,
# which introspection does not know: a password is refused as a failed login (AUTHENTICATIONFAILED,
# 535), not as a temporary failure, which a passdb that skipped PLAIN would answer.
# 2.4 names the oauth2 settings oauth2_* (2.3 read them from an args file).
auth_mechanisms = plain login xoauth2 oauthbearer
oauth2_introspection_mode = post
oauth2_introspection_url = $OAUTH2_INTROSPECTION_URL
oauth2_force_introspection = yes
oauth2_username_attribute = username
oauth2_active_attribute = active
oauth2_active_value = true
passdb oauth2 {
}
CONF
elif [ -n "${POLICY_URL:-}" ]; then
  cat <<CONF
# mailstorm's directory decides: Dovecot sends every login (with the password it was given)
# to the policy server before authenticating; status -1 rejects (bad password or locked).
# The passdb then only has to accept what the policy allowed.
passdb static {
  fields {
    nopassword = yes
  }
}
auth_policy_server_url = $POLICY_URL
auth_policy_hash_nonce = ${POLICY_NONCE:-mailstorm}
auth_policy_request_attributes {
  login = %{requested_username}
  user = %{original_user}
  password = %{password}
  remote = %{remote_ip}
  device_id = %{client_id}
  protocol = %{protocol}
  session_id = %{session}
}
auth_policy_check_before_auth = yes
# One decision per login: asking again after the passdb would count the attempt twice.
auth_policy_check_after_auth = no
auth_policy_report_after_auth = no
# No answer from the policy server is a failed login, never an open door.
auth_policy_reject_on_fail = yes
# 2.4 reads the policy client's timeout from its HTTP client settings.
auth_policy {
  http_client_request_absolute_timeout = 5s
}
CONF
else
  cat <<CONF
passdb passwd-file {
  passwd_file_path = /etc/mailstorm/passwd
  default_password_scheme = PLAIN
  auth_username_format = %{user | lower}
}
CONF
fi
echo "auth_failure_delay = ${AUTH_FAILURE_DELAY:-0}"
