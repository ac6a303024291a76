// Command userpool-load drives a running Userpool server the way an
// application's users do, and prints throughput and latency percentiles.
//
//	userpool-load -endpoint http://127.0.0.1:9229 -op refresh -concurrency 16 -duration 20s
//
// It sets up its own pool, app client and user through the admin API
// (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or any with
// a server started with --dev), signs in once per worker, then repeats one
// operation: sign-in (USER_PASSWORD_AUTH), refresh (REFRESH_TOKEN_AUTH),
// rotate (GetTokensFromRefreshToken on a rotating client) or getuser
// (GetUser). Every run is bounded by -duration and -requests and stops by
// itself; it only talks to the endpoint given.
package main
