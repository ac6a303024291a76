package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/delivery"
	"github.com/userpool/userpool/internal/userpool"
)

// newMessenger builds the delivery of code-carrying messages from the
// configuration: SMTP or an e-mail webhook for e-mail, a webhook for SMS,
// routed by medium. A medium with no sender is logged as not delivered
// (the request still succeeds; see internal/delivery). Under --dev every
// message also goes to the in-memory outbox, which is returned as the
// handler of GET /_dev/messages; outside --dev that handler is nil and
// the route does not exist.
func newMessenger(cfg *config.Config, log *slog.Logger) (userpool.Messenger, http.Handler, error) {
	router := &delivery.Router{Log: log}
	switch {
	case cfg.SMTPHost != "":
		s, err := delivery.NewSMTP(delivery.SMTPConfig{
			Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: cfg.SMTPTLS,
			Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.SMTPFrom,
		})
		if err != nil {
			return nil, nil, err
		}
		router.Email = s
	case cfg.EmailWebhookURL != "":
		w, err := delivery.NewWebhook(delivery.WebhookConfig{URL: cfg.EmailWebhookURL, Token: cfg.WebhookToken})
		if err != nil {
			return nil, nil, err
		}
		router.Email = w
	}
	if cfg.SMSWebhookURL != "" {
		w, err := delivery.NewWebhook(delivery.WebhookConfig{URL: cfg.SMSWebhookURL, Token: cfg.WebhookToken})
		if err != nil {
			return nil, nil, err
		}
		router.SMS = w
	}
	if !cfg.Dev {
		return router, nil, nil
	}
	log.Warn("development mode: every message, code included, is logged and listed at GET /_dev/messages")
	// In development the outbox is delivery enough: messages go on only
	// through the senders that are configured, so a medium without one
	// does not warn on every sign-up.
	var next delivery.Sender
	if router.Email != nil || router.SMS != nil {
		next = &configuredOnly{router}
	}
	outbox := delivery.NewOutbox(delivery.DefaultOutboxSize, log, next)
	return outbox, outbox, nil
}

// configuredOnly passes on the messages whose medium has a sender and
// drops the rest silently, for the development outbox, which has already
// recorded them.
type configuredOnly struct{ r *delivery.Router }

// Send implements delivery.Sender.
func (c *configuredOnly) Send(ctx context.Context, m delivery.Message) error {
	if (m.Medium == delivery.MediumEmail && c.r.Email == nil) || (m.Medium == delivery.MediumSMS && c.r.SMS == nil) {
		return nil
	}
	return c.r.Send(ctx, m)
}

// messagesCommand prints the development outbox of a running server.
func messagesCommand(getenv func(string) string) *cobra.Command {
	var endpoint, pool, username string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "messages",
		Short: "Print the messages (and codes) a server in --dev mode has sent",
		Long: "Fetches GET /_dev/messages from a server started with `serve --dev` and prints its messages, oldest\n" +
			"first: sign-up confirmations, verification and password-reset codes. Servers outside --dev have no outbox.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("endpoint") {
				if e := getenv("USERPOOL_ENDPOINT"); e != "" {
					endpoint = e
				}
			}
			msgs, raw, err := fetchOutbox(cmd, endpoint)
			if err != nil {
				return err
			}
			if asJSON && pool == "" && username == "" {
				_, err := cmd.OutOrStdout().Write(append(raw, '\n'))
				return err
			}
			var keep []delivery.Message
			for _, m := range msgs {
				if (pool == "" || m.PoolID == pool) && (username == "" || m.Username == username || m.Destination == username) {
					keep = append(keep, m)
				}
			}
			if asJSON {
				if keep == nil {
					keep = []delivery.Message{}
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				return enc.Encode(keep)
			}
			printMessages(cmd.OutOrStdout(), keep)
			return nil
		},
	}
	cmd.Flags().StringVar(&endpoint, "endpoint", "http://127.0.0.1:9229", "base URL of the server [USERPOOL_ENDPOINT]")
	cmd.Flags().StringVar(&pool, "pool", "", "only messages of this user pool id")
	cmd.Flags().StringVar(&username, "username", "", "only messages to this username or destination")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the messages as JSON")
	return cmd
}

// fetchOutbox reads the outbox of the server at endpoint.
func fetchOutbox(cmd *cobra.Command, endpoint string) ([]delivery.Message, []byte, error) {
	url := strings.TrimRight(endpoint, "/") + "/_dev/messages"
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch messages: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("fetch messages: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, nil, errors.New("the server at " + endpoint + " has no message outbox: it exists only under `userpool serve --dev`")
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("fetch messages: %s answered %s", url, resp.Status)
	}
	var msgs []delivery.Message
	if err := json.Unmarshal(body, &msgs); err != nil {
		return nil, nil, fmt.Errorf("fetch messages: %s did not answer with a message list: %w", url, err)
	}
	return msgs, body, nil
}

func printMessages(w io.Writer, msgs []delivery.Message) {
	if len(msgs) == 0 {
		fmt.Fprintln(w, "no messages")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPOOL\tUSERNAME\tMEDIUM\tDESTINATION\tPURPOSE\tCODE")
	for _, m := range msgs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Time.UTC().Format(time.RFC3339),
			m.PoolID, m.Username, m.Medium, m.Destination, m.Purpose, m.Code)
	}
	tw.Flush()
}
