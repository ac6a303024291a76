// Command userpool runs the server (`userpool serve`, with `--seed` and,
// under `--dev`, a movable clock) and the tools around it: `keys` for
// signing keys, `messages` and `clock` for a development server, `seed
// export`, `login` and `token` for a user's tokens, and `version`. main
// only calls run, so tests drive the program exactly as a user does, with
// their own arguments, environment and output.
package main
