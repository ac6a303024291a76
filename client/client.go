package client

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// WithEndpoint points an aws-sdk-go-v2 Cognito client at a Userpool server:
//
//	idp := cognitoidentityprovider.NewFromConfig(cfg, client.WithEndpoint("http://127.0.0.1:9229"))
//
// Besides the endpoint it wraps the client's HTTP client (see Transport
// for why), keeping whatever the caller configured: the SDK's buildable
// client with its CA bundle, proxy and timeouts, or an *http.Client of the
// caller's own.
func WithEndpoint(endpoint string) func(*cip.Options) {
	return func(o *cip.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		next := o.HTTPClient
		if next == nil {
			next = awshttp.NewBuildableClient()
		}
		o.HTTPClient = hideWriterToClient{next}
	}
}

// hideWriterToClient is Transport's fix at the level of the SDK's
// HTTPClient, which need not be an *http.Client (the SDK's own is an
// awshttp.BuildableClient): the body is wrapped before the configured
// client sends it.
type hideWriterToClient struct {
	next aws.HTTPClient
}

func (c hideWriterToClient) Do(r *http.Request) (*http.Response, error) {
	stripWriterTo(r)
	return c.next.Do(r)
}

// Transport wraps rt so that the SDK's request bodies reach net/http
// without their WriteTo method.
//
// Why: smithy-go closes a request body as soon as the response headers
// arrive, and its closed body answers WriteTo with io.EOF as an error.
// net/http reads the body once more after sending it, to check that it held
// no more than Content-Length bytes; when a fast server has already
// answered, that read happens after the close, the transport takes the
// io.EOF for a failed request write and closes the connection while the
// SDK is still reading the response. Responses over 4 KiB then fail about
// once in a few hundred calls with "use of closed network connection".
// Reading through Read instead of WriteTo gives a clean end of body.
func Transport(rt http.RoundTripper) http.RoundTripper {
	return hideWriterTo{rt}
}

type hideWriterTo struct {
	rt http.RoundTripper
}

func (h hideWriterTo) RoundTrip(r *http.Request) (*http.Response, error) {
	stripWriterTo(r)
	return h.rt.RoundTrip(r)
}

// stripWriterTo leaves r's body with only Read and Close.
func stripWriterTo(r *http.Request) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = struct{ io.ReadCloser }{r.Body}
	}
}
