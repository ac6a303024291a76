// Package server assembles Userpool's HTTP handler: routes.go lists every
// route, and middleware.go gives each request an id, an access-log line and
// a recover guard. It holds no Cognito logic of its own.
package server
