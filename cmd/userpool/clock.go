package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/clock"
)

// clockCommand reads and moves the development clock of a running server.
func clockCommand(getenv func(string) string) *cobra.Command {
	var endpoint string
	cmd := &cobra.Command{
		Use:   "clock",
		Short: "Show or move the clock of a server in --dev mode",
		Long: "A server started with `serve --dev` keeps its own clock, which can only move forward, for every\n" +
			"rule: token iat and exp, refresh-token expiry, codes, sessions, lockouts, key rotation.\n" +
			"  userpool clock             prints the server's time and how far it is ahead\n" +
			"  userpool clock advance 30d moves it forward (Go durations such as 90m or 720h, or days)\n" +
			"  userpool clock reset       brings it back to the wall clock",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return callClock(cmd, getenv, endpoint, http.MethodGet, nil)
		},
	}
	cmd.PersistentFlags().StringVar(&endpoint, "endpoint", "http://127.0.0.1:9229", "base URL of the server [USERPOOL_ENDPOINT]")
	cmd.AddCommand(&cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the server's clock forward",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Checked here too, so a typo is reported without a request.
			if _, err := clock.ParseDuration(args[0]); err != nil {
				return err
			}
			return callClock(cmd, getenv, endpoint, http.MethodPost, map[string]any{"advance": args[0]})
		},
	}, &cobra.Command{
		Use:   "reset",
		Short: "Bring the server's clock back to the wall clock",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return callClock(cmd, getenv, endpoint, http.MethodPost, map[string]any{"reset": true})
		},
	})
	return cmd
}

// callClock sends one request to /_dev/clock and prints the clock it
// answers with.
func callClock(cmd *cobra.Command, getenv func(string) string, endpoint, method string, body any) error {
	flagOrEnv(cmd, getenv, "endpoint", "USERPOOL_ENDPOINT", &endpoint)
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	url := strings.TrimRight(endpoint, "/") + "/_dev/clock"
	req, err := http.NewRequestWithContext(cmd.Context(), method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("dev clock: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var state clock.State
	var refusal struct{ Message string }
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return errors.New("the server at " + endpoint + " has no development clock: it exists only under `userpool serve --dev`")
	case resp.StatusCode == http.StatusBadRequest && json.Unmarshal(raw, &refusal) == nil && refusal.Message != "":
		return errors.New("dev clock: " + refusal.Message)
	case resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &state) != nil:
		return fmt.Errorf("dev clock: %s answered %s", url, resp.Status)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s (offset %s)\n", state.Now.Format(time.RFC3339), state.Offset)
	return nil
}
