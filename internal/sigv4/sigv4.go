package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	terminator      = "aws4_request"
	amzDateLayout   = "20060102T150405Z"
	scopeDateLayout = "20060102"

	defaultService = "cognito-idp"
	defaultMaxSkew = 5 * time.Minute
)

// The error types are the ones AWS answers with, because the SDKs map them
// to typed exceptions and some (InvalidSignatureException on clock skew) drive
// their retry and clock-correction logic.
const (
	typeMissingToken  = "MissingAuthenticationTokenException"
	typeIncomplete    = "IncompleteSignatureException"
	typeUnrecognized  = "UnrecognizedClientException"
	typeInvalidSig    = "InvalidSignatureException"
	msgMissingToken   = "Missing Authentication Token"
	msgUnrecognized   = "The security token included in the request is invalid."
	msgSignatureWrong = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Credentials looks up the secret for an access key id; ok=false if unknown.
type Credentials func(accessKeyID string) (secret string, ok bool)

// Verifier checks SigV4 signatures against a fixed set of credentials. It
// holds no state of its own, so one Verifier may serve concurrent requests as
// long as its Credentials function may.
// Its zero MaxSkew, nil Now and empty Service fall back to AWS's behaviour
// (5 minutes, the wall clock, "cognito-idp") so a half-filled Verifier still
// fails safe rather than accepting everything.
type Verifier struct {
	Credentials Credentials
	Service     string // "cognito-idp"
	// Region is the only region a credential scope may name, as on AWS,
	// where a request signed for another region's endpoint is refused.
	// Empty accepts any region (for tests of the signature alone).
	Region  string
	Now     func() time.Time // injected clock
	MaxSkew time.Duration    // 5 minutes when zero
}

// Error is an authentication failure, shaped like the AWS JSON-protocol error
// so the HTTP layer can send Type as __type and Message as message verbatim.
type Error struct {
	Type    string
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

func incomplete(msg string) *Error { return &Error{Type: typeIncomplete, Message: msg} }
func invalid(msg string) *Error    { return &Error{Type: typeInvalidSig, Message: msg} }

// Verify checks the request's Authorization header (AWS4-HMAC-SHA256
// Credential=AKID/date/region/service/aws4_request, SignedHeaders=...,
// Signature=...) against the body bytes (already read by the caller) and
// returns the access key id on success.
func (v *Verifier) Verify(r *http.Request, body []byte) (accessKeyID string, err error) {
	// Returning a typed nil *Error through the error interface would make
	// err != nil true on success, so every failure path goes through here.
	id, e := v.verify(r, body)
	if e != nil {
		return "", e
	}
	return id, nil
}

func (v *Verifier) verify(r *http.Request, body []byte) (string, *Error) {
	auths := headerValues(r.Header, "authorization")
	if len(auths) == 0 || (len(auths) == 1 && strings.TrimSpace(auths[0]) == "") {
		return "", missingAuth(r)
	}
	if len(auths) > 1 {
		return "", incomplete("Request must carry exactly one Authorization header.")
	}

	a, e := parseAuthorization(auths[0])
	if e != nil {
		return "", e
	}
	if e := checkSignedHeaders(r, a); e != nil {
		return "", e
	}

	amzDate, signedAt, e := requestDate(r, a)
	if e != nil {
		return "", e
	}

	service := v.Service
	if service == "" {
		service = defaultService
	}
	if a.service != service {
		return "", invalid("Credential should be scoped to correct service: '" + service + "'.")
	}
	if v.Region != "" && a.region != v.Region {
		return "", invalid("Credential should be scoped to a valid region, not '" + clip(a.region) + "'.")
	}
	if a.date != amzDate[:len(scopeDateLayout)] {
		return "", invalid(fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.date, amzDate[:len(scopeDateLayout)], amzDate))
	}
	if e := v.checkSkew(signedAt); e != nil {
		return "", e
	}

	secret, ok := "", false
	if v.Credentials != nil {
		secret, ok = v.Credentials(a.accessKeyID)
	}
	// A blank secret in the configuration must not turn into a key that
	// anyone who learns the key id can sign with.
	if !ok || secret == "" {
		return "", &Error{Type: typeUnrecognized, Message: msgUnrecognized}
	}

	bodyHash, e := payloadHash(r, body)
	if e != nil {
		return "", e
	}

	canonical := canonicalRequest(r, a.signedHeaders, bodyHash)
	want := signature(secret, a.date, a.region, a.service, stringToSign(amzDate, a.scope(), canonical))
	if subtle.ConstantTimeCompare([]byte(want), []byte(a.signature)) != 1 {
		return "", invalid(msgSignatureWrong)
	}
	return a.accessKeyID, nil
}

// missingAuth distinguishes "not signed at all" from "signed in a way we do
// not take", because telling a client that sent a session token or a
// presigned URL that it is missing a token would send it looking in the
// wrong place.
func missingAuth(r *http.Request) *Error {
	if hasQueryAuth(r.URL.RawQuery) {
		return incomplete("Query-string (presigned URL) authentication is not supported; sign the request with an AWS4-HMAC-SHA256 Authorization header.")
	}
	if len(headerValues(r.Header, "x-amz-security-token")) > 0 {
		return incomplete("Request has an X-Amz-Security-Token header but no Authorization header; the request must be signed with AWS Signature Version 4.")
	}
	return &Error{Type: typeMissingToken, Message: msgMissingToken}
}

func hasQueryAuth(rawQuery string) bool {
	for _, pair := range strings.Split(rawQuery, "&") {
		k, _, _ := strings.Cut(pair, "=")
		switch unescapeQuery(k) {
		case "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature":
			return true
		}
	}
	return false
}

type authorization struct {
	accessKeyID   string
	date          string // YYYYMMDD from the credential scope
	region        string
	service       string
	signedHeaders []string // lowercase, in the order the client listed them
	signature     string

	// Kept only to echo back in error messages, which is why the signature
	// is not among them.
	rawCredential, rawSignedHeaders string
}

func (a *authorization) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/" + terminator
}

// echo renders the header for error messages the way AWS does, minus the
// signature: error messages end up in client logs and our own, and a
// signature is a replayable credential for as long as the skew window lasts.
func (a *authorization) echo() string {
	parts := make([]string, 0, 3)
	if a.rawCredential != "" {
		parts = append(parts, "Credential="+clip(a.rawCredential))
	}
	if a.rawSignedHeaders != "" {
		parts = append(parts, "SignedHeaders="+clip(a.rawSignedHeaders))
	}
	if a.signature != "" {
		parts = append(parts, "Signature=<redacted>")
	}
	return strings.TrimRight(" Authorization="+algorithm+" "+strings.Join(parts, ", "), " ")
}

func parseAuthorization(header string) (*authorization, *Error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if scheme != algorithm {
		// Nothing of the header is echoed: a foreign scheme (Bearer, Basic)
		// carries a credential of its own that must not end up in logs.
		return nil, incomplete("Authorization header must use the " + algorithm + " algorithm (AWS Signature Version 4).")
	}

	a := &authorization{}
	var problems []string
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, value, ok := strings.Cut(part, "=")
		if !ok {
			problems = append(problems, "Invalid key=value pair (missing equal-sign) in Authorization header.")
			continue
		}
		switch key {
		case "Credential", "SignedHeaders", "Signature":
		default:
			continue // AWS ignores parameters it does not know; so do we.
		}
		if seen[key] {
			problems = append(problems, "Authorization header has more than one '"+key+"' parameter.")
			continue
		}
		seen[key] = true
		switch key {
		case "Credential":
			a.rawCredential = value
		case "SignedHeaders":
			a.rawSignedHeaders = value
		case "Signature":
			a.signature = value
		}
	}
	if a.rawCredential == "" {
		problems = append(problems, "Authorization header requires 'Credential' parameter.")
	}
	if a.signature == "" {
		problems = append(problems, "Authorization header requires 'Signature' parameter.")
	}
	if a.rawSignedHeaders == "" {
		problems = append(problems, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if len(problems) > 0 {
		return nil, incomplete(strings.Join(problems, " ") + a.echo())
	}

	if e := a.parseCredential(); e != nil {
		return nil, e
	}
	if e := a.parseSignedHeaders(); e != nil {
		return nil, e
	}
	return a, nil
}

func (a *authorization) parseCredential() *Error {
	elems := strings.Split(a.rawCredential, "/")
	if len(elems) != 5 {
		return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request, got '" +
			clip(a.rawCredential) + "'." + a.echo())
	}
	a.accessKeyID, a.date, a.region, a.service = elems[0], elems[1], elems[2], elems[3]
	switch {
	case a.accessKeyID == "":
		return incomplete("Credential requires an access key id, got '" + clip(a.rawCredential) + "'." + a.echo())
	case !isScopeDate(a.date):
		return incomplete("Credential should be scoped to a valid date in the form YYYYMMDD, not '" + clip(a.date) + "'." + a.echo())
	case a.region == "":
		return incomplete("Credential should be scoped to a valid region, not ''." + a.echo())
	case a.service == "":
		return incomplete("Credential should be scoped to a valid service, not ''." + a.echo())
	case elems[4] != terminator:
		return incomplete("Credential should be scoped with a valid terminator: '" + terminator + "', not '" + clip(elems[4]) + "'." + a.echo())
	}
	return nil
}

func isScopeDate(s string) bool {
	t, err := time.Parse(scopeDateLayout, s)
	return err == nil && t.Format(scopeDateLayout) == s
}

func (a *authorization) parseSignedHeaders() *Error {
	seen := map[string]bool{}
	for _, name := range strings.Split(a.rawSignedHeaders, ";") {
		// Restricting names to HTTP tokens keeps ':' and newlines out of the
		// canonical request, so one header list cannot be made to read as
		// another.
		if !isToken(name) {
			return incomplete("SignedHeaders must be a ';'-separated list of header names, got '" + clip(a.rawSignedHeaders) + "'." + a.echo())
		}
		name = strings.ToLower(name)
		if seen[name] {
			return incomplete("SignedHeaders lists '" + name + "' more than once." + a.echo())
		}
		seen[name] = true
		a.signedHeaders = append(a.signedHeaders, name)
	}
	return nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// checkSignedHeaders insists on the headers whose alteration would change
// what the request means: Host ties the signature to this server, and
// X-Amz-Target names the action, so an unsigned one would let a captured
// AdminGetUser be replayed as AdminDeleteUser with the very same body.
func checkSignedHeaders(r *http.Request, a *authorization) *Error {
	signed := func(name string) bool {
		for _, h := range a.signedHeaders {
			if h == name {
				return true
			}
		}
		return false
	}
	if !signed("host") {
		return incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization." + a.echo())
	}
	if len(headerValues(r.Header, "x-amz-target")) > 0 && !signed("x-amz-target") {
		return incomplete("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization." + a.echo())
	}
	return nil
}

// requestDate returns X-Amz-Date verbatim, since that exact text is what went
// into the string to sign, and parsed, for the skew check. The Date header
// fallback SigV4 allows is not offered: every SDK sends X-Amz-Date.
func requestDate(r *http.Request, a *authorization) (string, time.Time, *Error) {
	vals := headerValues(r.Header, "x-amz-date")
	if len(vals) == 0 {
		return "", time.Time{}, incomplete("Authorization header requires existence of a 'X-Amz-Date' header." + a.echo())
	}
	if len(vals) == 1 {
		if t, err := time.Parse(amzDateLayout, vals[0]); err == nil && t.Format(amzDateLayout) == vals[0] {
			return vals[0], t, nil
		}
	}
	return "", time.Time{}, incomplete("X-Amz-Date must be a single date in ISO-8601 basic format (YYYYMMDD'T'HHMMSS'Z'), got '" +
		clip(strings.Join(vals, ",")) + "'.")
}

// checkSkew bounds how long a captured request can be replayed; the wording
// is AWS's, which the SDKs parse to correct their clock offset.
func (v *Verifier) checkSkew(signedAt time.Time) *Error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultMaxSkew
	}
	at := now().UTC()
	switch {
	case signedAt.Before(at.Add(-skew)):
		return invalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			signedAt.Format(amzDateLayout), at.Add(-skew).Format(amzDateLayout), at.Format(amzDateLayout), skewText(skew)))
	case signedAt.After(at.Add(skew)):
		return invalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			signedAt.Format(amzDateLayout), at.Add(skew).Format(amzDateLayout), at.Format(amzDateLayout), skewText(skew)))
	}
	return nil
}

func skewText(d time.Duration) string {
	switch {
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + " sec."
	}
	return d.String()
}

// payloadHash is normally the hash of the body we were given; a client may
// instead state the hash in X-Amz-Content-Sha256, and then it is what the
// client signed, so it must be both used and held to the body.
// UNSIGNED-PAYLOAD is refused like any other hash that is not the body's:
// on the JSON API the body is the whole request (the user pool, the user,
// the new password), and AWS's SDKs always sign it, so a signature that
// leaves it out would let anyone who replays the headers change it.
func payloadHash(r *http.Request, body []byte) (string, *Error) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	vals := headerValues(r.Header, "x-amz-content-sha256")
	switch {
	case len(vals) == 0:
		return computed, nil
	case len(vals) > 1:
		return "", incomplete("Request must carry at most one X-Amz-Content-Sha256 header.")
	case !strings.EqualFold(vals[0], computed):
		return "", invalid("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return vals[0], nil
}

func stringToSign(amzDate, scope, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

func signature(secret, date, region, service, stringToSign string) string {
	key := hmacSHA256([]byte("AWS4"+secret), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, terminator)
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	method := r.Method
	if method == "" {
		method = http.MethodGet // net/http's own reading of an empty Method
	}
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	headers := indexHeaders(r.Header)
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, headers, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// canonicalURI encodes the already-escaped path a second time: for every
// service but S3, SigV4 URI-encodes each segment twice, and the signers
// (aws-sdk-go-v2 included) do it by escaping the escaped path.
func canonicalURI(u *url.URL) string {
	path := u.EscapedPath()
	if path == "" {
		return "/"
	}
	return uriEncode(path, false)
}

// canonicalQuery decodes and re-encodes every name and value, so that any
// spelling of the same query (+ or %20, %2f or %2F) canonicalises alike, and
// sorts after encoding as the specification demands.
func canonicalQuery(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	type param struct{ key, value string }
	var params []param
	for _, pair := range strings.Split(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		params = append(params, param{uriEncode(unescapeQuery(k), true), uriEncode(unescapeQuery(val), true)})
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].key != params[j].key {
			return params[i].key < params[j].key
		}
		return params[i].value < params[j].value
	})
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// unescapeQuery falls back to the raw text on a bad escape: such a query
// cannot have been produced by a signer, so it only has to fail to match,
// not to fail differently.
func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
	}
	return b.String()
}

// canonicalHeaderValue reads host and content-length from where net/http
// puts them: it takes Host out of the header map into r.Host, and the
// length the client announced is r.ContentLength.
func canonicalHeaderValue(r *http.Request, headers map[string][]string, name string) string {
	var vals []string
	switch name {
	case "host":
		host := r.Host
		if host == "" {
			host = r.URL.Host
		}
		vals = []string{host}
	case "content-length":
		if r.ContentLength >= 0 {
			vals = []string{strconv.FormatInt(r.ContentLength, 10)}
		} else {
			vals = append(vals, headers[name]...)
		}
	default:
		vals = append(vals, headers[name]...)
	}
	for i, v := range vals {
		vals[i] = collapseSpaces(v)
	}
	return strings.Join(vals, ",")
}

func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// headerValues returns a fresh slice of every value of the lowercase header
// name. Requests parsed by net/http have canonical keys, but requests built by
// hand (tests, middleware) need not, and a signed header must not be missed
// merely for its spelling.
func headerValues(h http.Header, name string) []string {
	ck := textproto.CanonicalMIMEHeaderKey(name)
	vals := append([]string(nil), h[ck]...)
	var others []string
	for k := range h {
		if k != ck && strings.EqualFold(k, name) {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		vals = append(vals, h[k]...)
	}
	return vals
}

// indexHeaders is headerValues for every header at once: SignedHeaders is
// client-controlled, and looking each listed name up by scanning the whole
// header map would let a long list against many headers cost quadratic time.
func indexHeaders(h http.Header) map[string][]string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	// Canonical spellings first, then the rest in a fixed order, as in
	// headerValues.
	sort.Slice(keys, func(i, j int) bool {
		ci := keys[i] == textproto.CanonicalMIMEHeaderKey(keys[i])
		cj := keys[j] == textproto.CanonicalMIMEHeaderKey(keys[j])
		if ci != cj {
			return ci
		}
		return keys[i] < keys[j]
	})
	idx := make(map[string][]string, len(h))
	for _, k := range keys {
		lk := strings.ToLower(k)
		idx[lk] = append(idx[lk], h[k]...)
	}
	return idx
}

// clip bounds what a client can make us repeat back, and keeps it valid
// UTF-8 for the JSON error body.
func clip(s string) string {
	const max = 128
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
