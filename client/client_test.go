package client

import (
	"context"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// cognitoStub answers every call as ListUserPools would, after checking
// it was sent where WithEndpoint points.
func cognitoStub(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService.ListUserPools" {
			t.Errorf("request %s %s", r.URL.Path, r.Header.Get("X-Amz-Target"))
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"UserPools":[{"Id":"us-east-1_abc","Name":"p"}]}`)
	})
}

func listPools(t *testing.T, c *cip.Client) error {
	t.Helper()
	out, err := c.ListUserPools(t.Context(), &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
	if err == nil && (len(out.UserPools) != 1 || aws.ToString(out.UserPools[0].Id) != "us-east-1_abc") {
		t.Errorf("ListUserPools = %+v", out.UserPools)
	}
	return err
}

func options(hc aws.HTTPClient) cip.Options {
	return cip.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	}
}

// WithEndpoint keeps the HTTP client the SDK was configured with: a TLS
// server whose certificate only that client's transport trusts is
// reachable through it, as it is without WithEndpoint's wrapping.
func TestWithEndpointKeepsConfiguredTransport(t *testing.T) {
	srv := httptest.NewTLSServer(cognitoStub(t))
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())

	buildable := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.TLSClientConfig.RootCAs = roots
	})
	for name, hc := range map[string]aws.HTTPClient{
		"the SDK's buildable client": buildable,
		"an *http.Client":            srv.Client(),
	} {
		t.Run(name, func(t *testing.T) {
			if err := listPools(t, cip.New(options(hc), WithEndpoint(srv.URL))); err != nil {
				t.Fatalf("through the configured client: %v", err)
			}
		})
	}
	// The server is not trusted by default: the test proves something.
	if err := listPools(t, cip.New(options(awshttp.NewBuildableClient()), WithEndpoint(srv.URL))); err == nil {
		t.Fatal("an untrusted TLS server was reached")
	}
}

// recordingClient is an HTTPClient that notes whether a request body
// still offered WriteTo when it reached it.
type recordingClient struct {
	next     aws.HTTPClient
	writerTo bool
}

func (c *recordingClient) Do(r *http.Request) (*http.Response, error) {
	_, c.writerTo = r.Body.(io.WriterTo)
	return c.next.Do(r)
}

// The configured client receives the SDK's body without WriteTo (the fix
// Transport documents), whatever its type.
func TestWithEndpointHidesWriterTo(t *testing.T) {
	srv := httptest.NewServer(cognitoStub(t))
	defer srv.Close()
	rec := &recordingClient{next: srv.Client()}
	if err := listPools(t, cip.New(options(rec), WithEndpoint(srv.URL))); err != nil {
		t.Fatal(err)
	}
	if rec.writerTo {
		t.Error("the request body reached the configured client with WriteTo")
	}
	// Without WithEndpoint the SDK's body has WriteTo: the check above
	// can fail.
	rec = &recordingClient{next: srv.Client()}
	if err := listPools(t, cip.New(options(rec), func(o *cip.Options) { o.BaseEndpoint = aws.String(srv.URL) })); err != nil {
		t.Fatal(err)
	}
	if !rec.writerTo {
		t.Error("the SDK's own body has no WriteTo: the test cannot tell the fix works")
	}
}

// Transport hides WriteTo from the transport it wraps.
func TestTransport(t *testing.T) {
	var sawWriterTo bool
	rt := Transport(roundTripper(func(r *http.Request) (*http.Response, error) {
		_, sawWriterTo = r.Body.(io.WriterTo)
		return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: r}, nil
	}))
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://x/", writerToBody{})
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if sawWriterTo {
		t.Error("the wrapped transport saw WriteTo")
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type writerToBody struct{}

func (writerToBody) Read([]byte) (int, error)         { return 0, io.EOF }
func (writerToBody) WriteTo(io.Writer) (int64, error) { return 0, nil }
func (writerToBody) Close() error                     { return nil }
