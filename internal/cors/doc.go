// Package cors answers browsers' cross-origin requests to the endpoints
// that web pages call (the JSON API and the OAuth token, userInfo and
// revocation endpoints) the way Cognito's endpoints answer them, so a
// single-page app on any origin can use Userpool by changing only the
// endpoint.
package cors
