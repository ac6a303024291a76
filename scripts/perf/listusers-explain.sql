-- The statements ListUsers sends for the filters of -op listusers, as pgx
-- sends them (prepared, parameters bound); run 6 times first so that the
-- plan shown is the one PostgreSQL keeps (custom or generic) by then.
-- Run with: psql -h 127.0.0.1 -U postgres -d test -v pool=POOL_ID -v schema=SCHEMA -f scripts/perf/listusers-explain.sql
SET search_path = :schema;
PREPARE attr(text, text, text, text, text, text, bigint) AS
SELECT u.pool_id, u.sub, u.username, u.username_key, u.status, u.enabled, u.password_hash,
	u.alias_email, u.alias_phone, u.alias_preferred_username, u.created_at, u.updated_at, u.password_updated_at,
	u.failed_sign_ins, u.locked_until, u.signed_out_at, u.srp_salt, u.srp_verifier,
	u.mfa_totp_secret, u.mfa_totp_pending, u.mfa_totp_name, u.mfa_totp_last_step,
	u.mfa_totp_enabled, u.mfa_sms_enabled, u.mfa_email_enabled, u.mfa_preferred, u.mfa_webauthn_enabled,
	(SELECT COALESCE(json_agg(json_build_array(a.name, a.value) ORDER BY a.position), '[]')::text
		FROM user_attributes a WHERE a.pool_id = u.pool_id AND a.sub = u.sub)
FROM users u WHERE u.pool_id = $1 AND u.sub IN (SELECT a.sub FROM user_attributes a WHERE a.pool_id = $2
	AND a.name = $3 AND a.value >= $4 AND a.value < $5) AND u.username_key || '' > $6
ORDER BY u.username_key || '' LIMIT $7;
PREPARE uname(text, text, text, text, bigint) AS
SELECT u.pool_id, u.sub, u.username, u.username_key, u.status, u.enabled, u.password_hash,
	u.alias_email, u.alias_phone, u.alias_preferred_username, u.created_at, u.updated_at, u.password_updated_at,
	u.failed_sign_ins, u.locked_until, u.signed_out_at, u.srp_salt, u.srp_verifier,
	u.mfa_totp_secret, u.mfa_totp_pending, u.mfa_totp_name, u.mfa_totp_last_step,
	u.mfa_totp_enabled, u.mfa_sms_enabled, u.mfa_email_enabled, u.mfa_preferred, u.mfa_webauthn_enabled,
	(SELECT COALESCE(json_agg(json_build_array(a.name, a.value) ORDER BY a.position), '[]')::text
		FROM user_attributes a WHERE a.pool_id = u.pool_id AND a.sub = u.sub)
FROM users u WHERE u.pool_id = $1 AND u.username_key >= $2 AND u.username_key < $3 AND u.username_key > $4
ORDER BY u.username_key LIMIT $5;
\o /dev/null
EXECUTE attr(:'pool', :'pool', 'phone_number', '+155500001', '+155500002', '', 11);
EXECUTE attr(:'pool', :'pool', 'phone_number', '+155500002', '+155500003', '', 11);
EXECUTE attr(:'pool', :'pool', 'phone_number', '+155500003', '+155500004', '', 11);
EXECUTE attr(:'pool', :'pool', 'email', 'user000004', 'user000005', '', 11);
EXECUTE attr(:'pool', :'pool', 'email', 'user000005', 'user000006', '', 11);
EXECUTE attr(:'pool', :'pool', 'email', 'user0000051@example.com', 'user0000051@example.con', '', 11);
EXECUTE uname(:'pool', 'user00000', 'user00001', '', 11);
EXECUTE uname(:'pool', 'user00001', 'user00002', '', 11);
EXECUTE uname(:'pool', 'user00002', 'user00003', '', 11);
EXECUTE uname(:'pool', 'user00003', 'user00004', '', 11);
EXECUTE uname(:'pool', 'user00004', 'user00005', '', 11);
EXECUTE uname(:'pool', 'user00005', 'user00006', '', 11);
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE attr(:'pool', :'pool', 'phone_number', '+155500007', '+155500008', '', 11);
EXPLAIN (ANALYZE, BUFFERS) EXECUTE attr(:'pool', :'pool', 'email', 'user000009', 'user000010', '', 11);
EXPLAIN (ANALYZE, BUFFERS) EXECUTE uname(:'pool', 'user00000', 'user00001', '', 11);
