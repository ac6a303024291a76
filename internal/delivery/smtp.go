package delivery

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TLS modes of an SMTP connection.
const (
	// TLSNone sends in the clear: only for a relay on the same host or
	// network. Credentials are refused in this mode unless the server is
	// on loopback, as net/smtp's PLAIN authentication insists.
	TLSNone = "none"
	// TLSStartTLS connects in the clear and upgrades with STARTTLS before
	// anything else is said; a server that does not offer it is an error,
	// never a silent downgrade. Usually port 587.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte. Usually port 465.
	TLSImplicit = "tls"
)

// DefaultSMTPPort is the usual port of each TLS mode, used when a
// configuration gives none.
func DefaultSMTPPort(mode string) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	default:
		return 587
	}
}

// SMTPConfig configures an SMTP sender.
type SMTPConfig struct {
	Host string
	// Port; zero means DefaultSMTPPort(TLS).
	Port int
	// TLS is TLSNone, TLSStartTLS or TLSImplicit; empty means TLSStartTLS.
	TLS string
	// Username and Password, when Username is set, authenticate with
	// AUTH PLAIN.
	Username string
	Password string
	// From is the sender address, "Name <addr@example.com>" or a bare
	// address.
	From string
	// HelloName is the name given in EHLO; empty means "localhost".
	HelloName string
	// Timeout bounds one whole delivery, from the dial to QUIT; zero
	// means 15 seconds, which leaves the request that sends the message
	// time to answer within the server's 30-second write timeout.
	Timeout time.Duration
	// TLSConfig, when not nil, is used for STARTTLS and implicit TLS
	// (tests use it to trust their own certificate). Its ServerName
	// defaults to Host.
	TLSConfig *tls.Config
}

// SMTP sends e-mail through a mail server, one connection per message:
// codes are rare enough that a pool of connections would only add states
// to get wrong.
type SMTP struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTP checks cfg and returns the sender.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	switch cfg.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return nil, fmt.Errorf("smtp: TLS mode %q: want none, starttls or tls", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultSMTPPort(cfg.TLS)
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: port %d is out of range", cfg.Port)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: from address %q: %w", cfg.From, err)
	}
	if cfg.Password != "" && cfg.Username == "" {
		return nil, errors.New("smtp: a password without a username")
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	return &SMTP{cfg: cfg, from: from}, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	return c
}

// Send delivers one e-mail: To is m.Destination, the subject and the body
// are m's.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	to, err := mail.ParseAddress(m.Destination)
	if err != nil {
		return fmt.Errorf("smtp: recipient %q: %w", m.Destination, err)
	}
	msg, err := s.compose(to, m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp: dial %s: %w", addr, err)
	}
	defer conn.Close()
	// The conversation as a whole is bounded by ctx: its deadline on the
	// connection, and closing it when ctx ends first.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if s.cfg.TLS == TLSImplicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("smtp: TLS handshake with %s: %w", addr, err)
		}
		conn = tc
	}
	if err := s.converse(conn, to, msg); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("smtp: %s: %w (%w)", addr, ctx.Err(), err)
		}
		return fmt.Errorf("smtp: %s: %w", addr, err)
	}
	return nil
}

// converse runs the SMTP dialogue on an open connection.
func (s *SMTP) converse(conn net.Conn, to *mail.Address, msg []byte) error {
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HelloName); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server does not offer AUTH")
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return c.Quit()
}

// htmlTag tells an HTML body from a plain one: Cognito's message templates
// may contain HTML, and SES sends those as HTML.
var htmlTag = regexp.MustCompile(`<[a-zA-Z][^<>]*>`)

// compose renders the RFC 5322 message. Header values are MIME-encoded
// words when they are not ASCII, and CR and LF never reach a header, so a
// template or an attribute cannot add headers.
func (s *SMTP) compose(to *mail.Address, m Message) ([]byte, error) {
	var b bytes.Buffer
	id := make([]byte, 16)
	rand.Read(id)
	domain := s.from.Address[strings.LastIndexByte(s.from.Address, '@')+1:]
	contentType := "text/plain; charset=UTF-8"
	if htmlTag.MatchString(m.Body) {
		contentType = "text/html; charset=UTF-8"
	}
	when := m.Time
	if when.IsZero() {
		when = time.Now()
	}
	for _, h := range [][2]string{
		{"From", s.from.String()},
		{"To", to.String()},
		{"Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject))},
		{"Date", when.Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", contentType},
		{"Content-Transfer-Encoding", "quoted-printable"},
	} {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, fmt.Errorf("smtp: encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("smtp: encode body: %w", err)
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// oneLine folds line breaks into spaces.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}
