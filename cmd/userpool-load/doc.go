// Command userpool-load drives a running Userpool server the way an
// application's users do, and prints throughput and latency percentiles.
//
//	userpool-load -endpoint http://127.0.0.1:9229 -op refresh -concurrency 16 -duration 20s
//
// It sets up its own pool, app client and user through the admin API
// (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or any with
// a server started with --dev), signs in once per worker, then repeats one
// operation: sign-in (USER_PASSWORD_AUTH), refresh (REFRESH_TOKEN_AUTH),
// rotate (GetTokensFromRefreshToken on a rotating client), getuser
// (GetUser) or listusers (ListUsers with e-mail, phone, username and sub
// filters, on a pool made by `userpool-load seed`). Every run is bounded
// by -duration and -requests and stops by itself; it only talks to the
// endpoint given. With -server-pid it also
// reports the server process's CPU time per request, from /proc.
//
//	userpool-load seed -endpoint http://127.0.0.1:9229 -store .userpool/userpool.db -users 1000000 -tokens 5000000
//
// fills the store a running server uses with that many users and live
// refresh tokens, and prints the -pool-id and -client-id that load runs
// then take to measure against the full pool.
package main
