package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/userpool/userpool/client"
)

// session is what `userpool login` caches for `userpool token`: where the
// user signed in and the tokens it got. The file holds a refresh token
// (and the client's secret for a confidential client), so it is written
// with mode 0600 in a 0700 directory.
type session struct {
	Endpoint     string    `json:"endpoint"`
	PoolID       string    `json:"pool_id"`
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret,omitempty"`
	Username     string    `json:"username"`
	AccessToken  string    `json:"access_token"`
	IDToken      string    `json:"id_token"`
	RefreshToken string    `json:"refresh_token"`
	Expiry       time.Time `json:"expiry"`
}

// sessionFile is where the session is cached: $USERPOOL_CACHE_DIR, or
// userpool/ in the user's cache directory.
func sessionFile(getenv func(string) string) (string, error) {
	dir := getenv("USERPOOL_CACHE_DIR")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory for the session (set USERPOOL_CACHE_DIR): %w", err)
		}
		dir = filepath.Join(base, "userpool")
	}
	return filepath.Join(dir, "session.json"), nil
}

func (s *session) save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	// Written beside and renamed, so that a concurrent `userpool token`
	// never reads half a file, and created 0600 before any secret is in it.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".session-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func loadSession(path string) (*session, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("not signed in: run `userpool login` first")
	}
	if err != nil {
		return nil, err
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w (run `userpool login` again)", path, err)
	}
	return &s, nil
}

// appClient is the client library's sign-in for the session's app client.
func (s *session) appClient(now func() time.Time) *client.AppClient {
	region, _, _ := strings.Cut(s.PoolID, "_")
	idp := cip.New(cip.Options{Region: region}, client.WithEndpoint(s.Endpoint))
	return &client.AppClient{API: idp, PoolID: s.PoolID, ClientID: s.ClientID, ClientSecret: s.ClientSecret, Now: now}
}

func (s *session) setTokens(t *client.Tokens) {
	s.AccessToken, s.IDToken, s.RefreshToken, s.Expiry = t.AccessToken, t.IDToken, t.RefreshToken, t.Expiry
}

// flagOrEnv fills an unset flag from an environment variable.
func flagOrEnv(cmd *cobra.Command, getenv func(string) string, flag, env string, dst *string) {
	if !cmd.Flags().Changed(flag) {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
}

func loginCommand(getenv func(string) string) *cobra.Command {
	s := &session{}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to a user pool with SRP and cache the tokens for `userpool token`",
		Long: "Signs in through an app client with USER_SRP_AUTH (the password never leaves this program), asking\n" +
			"for the password, a new password when one must be chosen, and MFA codes. The tokens are cached,\n" +
			"readable by the user only, in the user's cache directory ($USERPOOL_CACHE_DIR to choose another).\n" +
			"Without a terminal, the answers are read from standard input, one a line.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			flagOrEnv(cmd, getenv, "endpoint", "USERPOOL_ENDPOINT", &s.Endpoint)
			flagOrEnv(cmd, getenv, "pool-id", "USERPOOL_POOL_ID", &s.PoolID)
			flagOrEnv(cmd, getenv, "client-id", "USERPOOL_CLIENT_ID", &s.ClientID)
			flagOrEnv(cmd, getenv, "client-secret", "USERPOOL_CLIENT_SECRET", &s.ClientSecret)
			if s.PoolID == "" || s.ClientID == "" {
				return errors.New("login needs --pool-id and --client-id (or USERPOOL_POOL_ID and USERPOOL_CLIENT_ID)")
			}
			path, err := sessionFile(getenv)
			if err != nil {
				return err
			}
			p := newPrompter(cmd.InOrStdin(), cmd.ErrOrStderr())
			if s.Username == "" {
				if s.Username, err = p.line("Username: "); err != nil {
					return err
				}
			}
			pw, err := p.secret("Password: ")
			if err != nil {
				return err
			}
			app := s.appClient(nil)
			step, err := app.SignInSRP(cmd.Context(), s.Username, pw)
			for err == nil && step.Tokens == nil {
				var answer string
				if answer, err = p.answer(step); err != nil {
					return err
				}
				step, err = app.Respond(cmd.Context(), step, answer)
			}
			if err != nil {
				return fmt.Errorf("sign-in failed: %w", err)
			}
			s.setTokens(step.Tokens)
			// The expiry in the server's time, which is not the wall clock
			// once a --dev server's clock has been moved.
			if exp, ok := jwtExpiry(s.AccessToken); ok {
				s.Expiry = exp
			}
			if err := s.save(path); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Signed in as %s; tokens cached in %s\n", s.Username, path)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&s.Endpoint, "endpoint", "http://127.0.0.1:9229", "base URL of the server [USERPOOL_ENDPOINT]")
	f.StringVar(&s.PoolID, "pool-id", "", "user pool id, for SRP [USERPOOL_POOL_ID]")
	f.StringVar(&s.ClientID, "client-id", "", "app client id [USERPOOL_CLIENT_ID]")
	f.StringVar(&s.ClientSecret, "client-secret", "", "app client secret, for a confidential client [USERPOOL_CLIENT_SECRET]")
	f.StringVar(&s.Username, "username", "", "username (asked for when not given)")
	return cmd
}

func tokenCommand(getenv func(string) string) *cobra.Command {
	var id bool
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token of the cached sign-in, refreshing it when needed",
		Long: "Prints the access token (or with --id the ID token) that `userpool login` cached, after refreshing\n" +
			"it through the refresh token when it has expired or is about to, for example:\n" +
			"  curl -H \"Authorization: Bearer $(userpool token)\" ...\n" +
			"Against a server under --dev, expiry follows the server's development clock.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := sessionFile(getenv)
			if err != nil {
				return err
			}
			s, err := loadSession(path)
			if err != nil {
				return err
			}
			now := serverNow(cmd.Context(), s.Endpoint)
			app := s.appClient(func() time.Time { return now })
			tok, err := app.TokenSource(cmd.Context(), &client.Tokens{
				AccessToken: s.AccessToken, IDToken: s.IDToken, RefreshToken: s.RefreshToken, Expiry: s.Expiry,
			}).Token()
			if err != nil {
				return fmt.Errorf("refresh failed (run `userpool login` again): %w", err)
			}
			if tok.AccessToken != s.AccessToken {
				idToken, _ := tok.Extra("id_token").(string)
				s.setTokens(&client.Tokens{
					AccessToken: tok.AccessToken, IDToken: idToken,
					RefreshToken: tok.RefreshToken, Expiry: tok.Expiry,
				})
				if err := s.save(path); err != nil {
					return err
				}
			}
			out := s.AccessToken
			if id {
				out = s.IDToken
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().BoolVar(&id, "id", false, "print the ID token instead of the access token")
	return cmd
}

// serverNow is the server's time: its development clock when it runs under
// --dev (so that `userpool clock advance` expires cached tokens as it does
// on the server), the wall clock otherwise.
func serverNow(ctx context.Context, endpoint string) time.Time {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/_dev/clock", nil)
	if err != nil {
		return time.Now()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Now()
	}
	defer resp.Body.Close()
	var c struct {
		Now time.Time `json:"now"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&c) != nil || c.Now.IsZero() {
		return time.Now()
	}
	return c.Now
}

// jwtExpiry reads a JWT's exp claim without verifying the token: it only
// decides when to refresh, and the server checks the token anyway.
func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, false
	}
	var c struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Exp == 0 {
		return time.Time{}, false
	}
	return time.Unix(c.Exp, 0), true
}

// prompter asks the user: secrets without echo on a terminal, everything
// as lines from standard input otherwise.
type prompter struct {
	in  *bufio.Reader
	fd  int // the terminal's descriptor, or -1
	out io.Writer
}

func newPrompter(in io.Reader, out io.Writer) *prompter {
	p := &prompter{in: bufio.NewReader(in), fd: -1, out: out}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.fd = int(f.Fd())
	}
	return p
}

func (p *prompter) line(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	s, err := p.in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", fmt.Errorf("reading %s%w", strings.ToLower(strings.TrimSuffix(prompt, ": ")+": "), err)
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func (p *prompter) secret(prompt string) (string, error) {
	if p.fd < 0 {
		return p.line(prompt)
	}
	fmt.Fprint(p.out, prompt)
	b, err := term.ReadPassword(p.fd)
	fmt.Fprintln(p.out)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// answer asks for what the challenge of step needs.
func (p *prompter) answer(step *client.Step) (string, error) {
	switch step.Challenge {
	case types.ChallengeNameTypeNewPasswordRequired:
		pw, err := p.secret("New password: ")
		if err != nil {
			return "", err
		}
		again, err := p.secret("New password again: ")
		if err != nil {
			return "", err
		}
		if pw != again {
			return "", errors.New("the new passwords differ")
		}
		return pw, nil
	case types.ChallengeNameTypeSoftwareTokenMfa:
		return p.line("Authenticator code: ")
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeEmailOtp:
		return p.line("Code sent to " + step.Parameters["CODE_DELIVERY_DESTINATION"] + ": ")
	case types.ChallengeNameTypeSelectMfaType:
		return p.line("MFA type (" + strings.NewReplacer(`"`, "", "[", "", "]", "").Replace(step.Parameters["MFAS_CAN_CHOOSE"]) + "): ")
	}
	return "", fmt.Errorf("the sign-in asks for %s, which `userpool login` cannot answer", step.Challenge)
}
