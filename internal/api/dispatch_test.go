package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// The transport's own answers to bad requests, before any action runs.
func TestDispatchErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name     string
		target   string
		body     string
		unsigned bool
		status   int
		typ      string
		msg      string
	}{
		{name: "missing target", target: "", body: "{}", status: 400, typ: "UnknownOperationException", msg: "Missing or malformed X-Amz-Target header."},
		{name: "unknown action", target: "NoSuchAction", body: "{}", status: 400, typ: "UnknownOperationException", msg: "Unknown operation NoSuchAction."},
		{name: "malformed json", target: "ListUserPools", body: `{"MaxResults":`, status: 400, typ: "SerializationException"},
		{name: "not an object", target: "ListUserPools", body: `[1,2]`, status: 400, typ: "SerializationException", msg: "The request body must be a JSON object."},
		{name: "wrong member type", target: "ListUserPools", body: `{"MaxResults":"ten"}`, status: 400, typ: "SerializationException", msg: "Value of MaxResults is a JSON string, which is not the expected type."},
		{name: "trailing data", target: "ListUserPools", body: `{"MaxResults":10} {}`, status: 400, typ: "SerializationException", msg: "Unexpected data after the JSON object."},
		{name: "model validation", target: "ListUserPools", body: `{"MaxResults":0}`, status: 400, typ: "InvalidParameterException", msg: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "required member", target: "DescribeUserPool", body: `{}`, status: 400, typ: "InvalidParameterException", msg: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{name: "several violations", target: "DescribeUserPoolClient", body: `{"UserPoolId":"bad id"}`, status: 400, typ: "InvalidParameterException", msg: "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; Value 'bad id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{name: "nul character", target: "ListUserPools", body: `{"MaxResults":10,"NextToken":"a\u0000b"}`, status: 400, typ: "InvalidParameterException", msg: "The request contains a NUL character, which no member accepts."},
		{name: "unsigned admin action", target: "ListUserPools", body: `{"MaxResults":10}`, unsigned: true, status: 403, typ: "MissingAuthenticationTokenException", msg: "Missing Authentication Token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			send := e.raw
			if tc.unsigned {
				send = e.rawUnsigned
			}
			status, h, body := send(tc.target, tc.body)
			if status != tc.status || body["__type"] != tc.typ {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.typ)
			}
			if tc.msg != "" && body["message"] != tc.msg {
				t.Errorf("message = %q, want %q", body["message"], tc.msg)
			}
			if got := h.Get("X-Amzn-ErrorType"); got != tc.typ+":" {
				t.Errorf("X-Amzn-ErrorType = %q", got)
			}
			if h.Get("Content-Type") != "application/x-amz-json-1.1" || h.Get("x-amzn-RequestId") == "" {
				t.Errorf("headers = %v", h)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t)
	big := `{"PoolName":"` + strings.Repeat("a", 3<<20) + `"}`
	status, _, body := e.raw("CreateUserPool", big)
	if status != http.StatusRequestEntityTooLarge || body["__type"] != "RequestEntityTooLargeException" {
		t.Fatalf("got %d %v", status, body)
	}
}

// The SDK's own error decoding must see the signature failures as the AWS
// error types.
func TestSignatureRefused(t *testing.T) {
	e := newEnv(t)
	_, err := newClient(e.URL, testKeyID, "wrong-secret").ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantAPIError(t, err, "InvalidSignatureException", "")
	_, err = newClient(e.URL, "AKUPUNKNOWNUNKNOWN00", testSecret).ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")
	_, err = e.Client.ListUserPools(e.ctx(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatalf("signed request refused: %v", err)
	}
}
