package main

import (
	"context"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/tokens"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// run is the whole program, with its environment passed in so tests can
// drive it like a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := &cobra.Command{
		Use:           "userpool",
		Short:         "A self-hosted Amazon Cognito User Pools server",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args[1:])
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(serveCommand(getenv), keysCommand(getenv), messagesCommand(getenv), loginCommand(getenv), tokenCommand(getenv), clockCommand(getenv), seedCommand(getenv), importCommand(getenv), versionCommand())
	return root.ExecuteContext(ctx)
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.Println("userpool", versionString())
			cmd.Println("signer", signerDescription())
			return nil
		},
	}
}

// signerDescription says which RS256 signer this binary runs on this
// machine, and why crypto/rsa when it is not OpenSSL.
func signerDescription() string {
	s, reason := tokens.DefaultSigner()
	if reason != "" {
		return s.Kind() + " (" + reason + ")"
	}
	return s.Kind()
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}
