package client

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// WithEndpoint points an aws-sdk-go-v2 Cognito client at a Userpool server:
//
//	idp := cognitoidentityprovider.NewFromConfig(cfg, client.WithEndpoint("http://127.0.0.1:9229"))
//
// Besides the endpoint it wraps the client's HTTP transport (see
// Transport), which matters against a server as close and fast as a local
// Userpool.
func WithEndpoint(endpoint string) func(*cip.Options) {
	return func(o *cip.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		var base http.RoundTripper = http.DefaultTransport
		if hc, ok := o.HTTPClient.(*http.Client); ok && hc != nil && hc.Transport != nil {
			base = hc.Transport
		}
		o.HTTPClient = &http.Client{Transport: Transport(base)}
	}
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
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = struct{ io.ReadCloser }{r.Body}
	}
	return h.rt.RoundTrip(r)
}
