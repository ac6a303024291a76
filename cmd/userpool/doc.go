// Command userpool runs the server (`userpool serve`) and prints its
// version. main only calls run, so tests drive the program exactly as a user
// does, with their own arguments, environment and output.
package main
