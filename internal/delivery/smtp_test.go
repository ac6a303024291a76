package delivery

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a small SMTP server for the tests, written with
// net/textproto: enough of RFC 5321 for net/smtp's client (EHLO, STARTTLS,
// AUTH PLAIN, MAIL, RCPT, DATA, QUIT) and a record of what it received.
type smtpServer struct {
	t  *testing.T
	ln net.Listener
	// cert is served on STARTTLS and on implicit-TLS connections.
	cert tls.Certificate
	// offerStartTLS advertises STARTTLS in EHLO.
	offerStartTLS bool
	// implicitTLS starts TLS before the greeting.
	implicitTLS bool
	// user and pass, when user is set, are the only credentials AUTH
	// PLAIN accepts; without them AUTH is not offered.
	user, pass string
	// rejectRcpt answers RCPT with 550.
	rejectRcpt bool

	mu   sync.Mutex
	mail []receivedMail
	wg   sync.WaitGroup
}

// receivedMail is one message the server accepted.
type receivedMail struct {
	From, To string
	Data     []byte
	// TLS says whether the session was encrypted when MAIL was given, and
	// Authed who had authenticated by then.
	TLS    bool
	Authed string
}

func newSMTPServer(t *testing.T, cert tls.Certificate, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, ln: ln, cert: cert}
	if configure != nil {
		configure(s)
	}
	s.wg.Go(s.serve)
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mail...)
}

func (s *smtpServer) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() {
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			s.session(conn)
		})
	}
}

func (s *smtpServer) tlsConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{s.cert}}
}

// session runs one SMTP session; protocol errors end it, which the client
// sees as a failure.
func (s *smtpServer) session(conn net.Conn) {
	encrypted := false
	if s.implicitTLS {
		tc := tls.Server(conn, s.tlsConfig())
		if err := tc.Handshake(); err != nil {
			return
		}
		conn, encrypted = tc, true
	}
	tp := textproto.NewConn(conn)
	reply := func(code int, lines ...string) {
		for i, l := range lines {
			sep := " "
			if i < len(lines)-1 {
				sep = "-"
			}
			tp.PrintfLine("%d%s%s", code, sep, l)
		}
	}
	reply(220, "test.invalid ESMTP")
	var authed, from string
	var to []string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"test.invalid"}
			if s.offerStartTLS && !encrypted {
				lines = append(lines, "STARTTLS")
			}
			if s.user != "" {
				lines = append(lines, "AUTH PLAIN")
			}
			reply(250, append(lines, "8BITMIME")...)
		case "STARTTLS":
			if !s.offerStartTLS || encrypted {
				reply(502, "not offered")
				continue
			}
			reply(220, "go ahead")
			tc := tls.Server(conn, s.tlsConfig())
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, encrypted = tc, true
			tp = textproto.NewConn(conn)
			authed, from, to = "", "", nil
		case "AUTH":
			mech, initial, _ := strings.Cut(arg, " ")
			if s.user == "" || !strings.EqualFold(mech, "PLAIN") {
				reply(504, "unsupported")
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(initial)
			parts := strings.Split(string(raw), "\x00")
			if err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.pass {
				reply(535, "authentication failed")
				continue
			}
			authed = parts[1]
			reply(235, "ok")
		case "MAIL":
			if s.user != "" && authed == "" {
				reply(530, "authentication required")
				continue
			}
			from = addrArg(arg)
			reply(250, "ok")
		case "RCPT":
			if s.rejectRcpt {
				reply(550, "no such mailbox")
				continue
			}
			to = append(to, addrArg(arg))
			reply(250, "ok")
		case "DATA":
			reply(354, "end with .")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			for _, rcpt := range to {
				s.mail = append(s.mail, receivedMail{From: from, To: rcpt, Data: data, TLS: encrypted, Authed: authed})
			}
			s.mu.Unlock()
			reply(250, "queued")
		case "RSET", "NOOP":
			reply(250, "ok")
		case "QUIT":
			reply(221, "bye")
			return
		default:
			reply(500, "unknown command")
		}
	}
}

// addrArg takes the address out of "FROM:<a@b>" or "TO:<a@b> SIZE=1".
func addrArg(arg string) string {
	i, j := strings.IndexByte(arg, '<'), strings.IndexByte(arg, '>')
	if i < 0 || j < i {
		return ""
	}
	return arg[i+1 : j]
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtp test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func testMessage() Message {
	return Message{
		PoolID:      "us-east-1_Test12345",
		Username:    "alice",
		Destination: "alice@example.com",
		Medium:      MediumEmail,
		Purpose:     PurposeSignUp,
		Code:        "123456",
		Subject:     "Your verification code",
		Body:        "Your verification code is 123456. ",
		Time:        time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
	}
}

// parsed is a received message, decoded.
type parsed struct {
	header  mail.Header
	subject string
	body    string
}

func parseMail(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject: %v", err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return parsed{header: m.Header, subject: subject, body: string(body)}
}

func newTestSMTP(t *testing.T, srv *smtpServer, roots *x509.CertPool, mutate func(*SMTPConfig)) *SMTP {
	t.Helper()
	cfg := SMTPConfig{
		Host:      "127.0.0.1",
		Port:      srv.port(),
		TLS:       TLSStartTLS,
		From:      "Userpool <no-reply@example.org>",
		Timeout:   5 * time.Second,
		TLSConfig: &tls.Config{RootCAs: roots},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	cert, roots := selfSigned(t)
	srv := newSMTPServer(t, cert, func(s *smtpServer) {
		s.offerStartTLS = true
		s.user, s.pass = "mailer", "s3cret pass"
	})
	sender := newTestSMTP(t, srv, roots, func(c *SMTPConfig) { c.Username, c.Password = "mailer", "s3cret pass" })
	if err := sender.Send(t.Context(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("received %d messages, want 1", len(got))
	}
	r := got[0]
	if !r.TLS || r.Authed != "mailer" {
		t.Errorf("session: TLS %v, authenticated as %q; want TLS and mailer", r.TLS, r.Authed)
	}
	if r.From != "no-reply@example.org" || r.To != "alice@example.com" {
		t.Errorf("envelope: from %q to %q", r.From, r.To)
	}
	m := parseMail(t, r.Data)
	if to := m.header.Get("To"); to != "<alice@example.com>" {
		t.Errorf("To = %q", to)
	}
	if from := m.header.Get("From"); from != `"Userpool" <no-reply@example.org>` {
		t.Errorf("From = %q", from)
	}
	if m.subject != "Your verification code" {
		t.Errorf("Subject = %q", m.subject)
	}
	if !strings.Contains(m.body, "Your verification code is 123456.") {
		t.Errorf("body = %q, want the code", m.body)
	}
	if ct := m.header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if id := m.header.Get("Message-Id"); !strings.HasSuffix(id, "@example.org>") {
		t.Errorf("Message-ID = %q", id)
	}
	if d, err := m.header.Date(); err != nil || !d.Equal(testMessage().Time) {
		t.Errorf("Date = %v, %v", d, err)
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	srv := newSMTPServer(t, cert, func(s *smtpServer) { s.implicitTLS = true })
	sender := newTestSMTP(t, srv, roots, func(c *SMTPConfig) { c.TLS = TLSImplicit })
	if err := sender.Send(t.Context(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %+v, want one message over TLS", got)
	}
	if !strings.Contains(parseMail(t, got[0].Data).body, "123456") {
		t.Error("body lacks the code")
	}
}

func TestSMTPPlain(t *testing.T) {
	cert, _ := selfSigned(t)
	srv := newSMTPServer(t, cert, nil)
	sender := newTestSMTP(t, srv, nil, func(c *SMTPConfig) { c.TLS = TLSNone })
	m := testMessage()
	// Non-ASCII subject and body, an HTML body, and a subject that tries
	// to smuggle in a header.
	m.Subject = "Vérification\r\nBcc: evil@example.com"
	m.Body = "<p>Votre code est <b>654321</b>.</p>\nÀ bientôt"
	if err := sender.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 || got[0].TLS {
		t.Fatalf("received %+v, want one message in the clear", got)
	}
	p := parseMail(t, got[0].Data)
	if p.subject != "Vérification Bcc: evil@example.com" {
		t.Errorf("Subject = %q", p.subject)
	}
	if bcc := p.header.Get("Bcc"); bcc != "" {
		t.Errorf("a Bcc header got through: %q", bcc)
	}
	if ct := p.header.Get("Content-Type"); ct != "text/html; charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	// The server's dot-reader turns CRLF line ends back into LF.
	if want := "<p>Votre code est <b>654321</b>.</p>\nÀ bientôt"; !strings.Contains(p.body, want) {
		t.Errorf("body = %q, want %q", p.body, want)
	}
}

func TestSMTPFailures(t *testing.T) {
	cert, roots := selfSigned(t)
	_, otherRoots := selfSigned(t)
	for _, tc := range []struct {
		name   string
		server func(*smtpServer)
		client func(*SMTPConfig)
		want   string
	}{
		{"no STARTTLS offered", nil, nil, "does not offer STARTTLS"},
		{"untrusted certificate", func(s *smtpServer) { s.offerStartTLS = true },
			func(c *SMTPConfig) { c.TLSConfig = &tls.Config{RootCAs: otherRoots} }, "STARTTLS"},
		{"wrong password", func(s *smtpServer) { s.offerStartTLS, s.user, s.pass = true, "mailer", "right" },
			func(c *SMTPConfig) { c.Username, c.Password = "mailer", "wrong" }, "AUTH"},
		{"AUTH not offered", func(s *smtpServer) { s.offerStartTLS = true },
			func(c *SMTPConfig) { c.Username, c.Password = "mailer", "pw" }, "does not offer AUTH"},
		{"recipient refused", func(s *smtpServer) { s.offerStartTLS, s.rejectRcpt = true, true }, nil, "RCPT TO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newSMTPServer(t, cert, tc.server)
			sender := newTestSMTP(t, srv, roots, tc.client)
			err := sender.Send(t.Context(), testMessage())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Send = %v, want an error about %q", err, tc.want)
			}
			if got := srv.received(); len(got) != 0 {
				t.Errorf("the server accepted %d message(s)", len(got))
			}
		})
	}
}

func TestSMTPUnreachableAndTimeout(t *testing.T) {
	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "a@example.org", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), testMessage()); err == nil || !strings.Contains(err.Error(), "dial") {
		t.Errorf("Send to a closed port = %v", err)
	}

	// A server that accepts and never greets: the timeout ends it.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		c, err := silent.Accept()
		if err == nil {
			defer c.Close()
			bufio.NewReader(c).ReadString('\n')
		}
	}()
	s, err = NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: silent.Addr().(*net.TCPAddr).Port, TLS: TLSNone,
		From: "a@example.org", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Send(t.Context(), testMessage()); err == nil {
		t.Error("Send to a silent server succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %s, want about the 300ms timeout", d)
	}
}

func TestNewSMTPChecks(t *testing.T) {
	for _, cfg := range []SMTPConfig{
		{From: "a@example.org"},
		{Host: "h", From: "not an address"},
		{Host: "h", From: "a@example.org", TLS: "ssl"},
		{Host: "h", From: "a@example.org", Port: 70000},
		{Host: "h", From: "a@example.org", Password: "pw"},
	} {
		if _, err := NewSMTP(cfg); err == nil {
			t.Errorf("NewSMTP(%+v) accepted", cfg)
		}
	}
	for mode, want := range map[string]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		s, err := NewSMTP(SMTPConfig{Host: "h", From: "a@example.org", TLS: mode})
		if err != nil || s.cfg.Port != want {
			t.Errorf("default port for %q = %v, %v; want %d", mode, s, err, want)
		}
	}
	if _, err := NewSMTP(SMTPConfig{Host: "h", From: "a@example.org"}); err != nil {
		t.Error(err)
	}
	s, _ := NewSMTP(SMTPConfig{Host: "h", From: "a@example.org"})
	if got := s.Send(t.Context(), Message{Destination: "not an address"}); got == nil || !strings.Contains(got.Error(), "recipient") {
		t.Errorf("Send to a bad recipient = %v", got)
	}
}
