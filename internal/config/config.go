package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/userpool/userpool/internal/limits"
)

// Config is every setting of `userpool serve`.
type Config struct {
	Addr      string
	Data      string
	Store     string
	PublicURL string
	Dev       bool
	// Seed is a seed file applied at every start (internal/seed).
	Seed      string
	Region    string
	AccountID string
	LogLevel  string
	LogFormat string
	// LambdaEndpoint is where Lambda triggers are invoked (sam local
	// start-lambda, LocalStack); empty invokes AWS Lambda in each
	// function ARN's region.
	LambdaEndpoint string

	// Argon2 cost of stored passwords. --dev lowers it so test suites that
	// create many users stay fast.
	Argon2MemoryKiB  int
	Argon2Iterations int

	ShutdownTimeout time.Duration

	// MaxConnections bounds the connections the server holds open (0: no
	// bound); RateLimits is the per-category request-rate quotas, off
	// when empty (internal/limits).
	MaxConnections int
	RateLimits     string

	// PprofAddr, when set, is a listener of its own for Go's profiler
	// (net/http/pprof), never the API's.
	PprofAddr string
	// MetricsAddr, when set, moves GET /metrics off the API's listener
	// onto a listener of its own.
	MetricsAddr string

	// Secrets come only from the environment, never from flags, so they do
	// not show in process listings.
	AdminAccessKeyID     string
	AdminSecretAccessKey string
	DataKey              string

	// Delivery of the messages that carry codes. E-mail goes through an
	// SMTP server or an e-mail webhook, SMS through the SMS webhook; a
	// medium with neither is logged as not delivered (see
	// internal/delivery).
	SMTPHost        string
	SMTPPort        int // 0: the usual port of SMTPTLS
	SMTPUsername    string
	SMTPPassword    string
	SMTPFrom        string
	SMTPTLS         string // none, starttls or tls
	EmailWebhookURL string
	SMSWebhookURL   string
	WebhookToken    string

	// LogDestinations maps the ARNs of pools' log configurations to a
	// local file or URL (internal/logdelivery).
	LogDestinations string
	// AuthEventRetention and AuthEventMaxPerUser bound the authentication
	// events kept: older ones, and a user's beyond the newest so many, are
	// collected.
	AuthEventRetention  time.Duration
	AuthEventMaxPerUser int
}

// The Argon2id cost --dev hashes passwords at, unless set: cheap, so that
// test suites creating many users and load runs measure the server rather
// than the hash. It was 1024 KiB; hashes made at that cost still verify,
// being within the hasher's headroom (four times the configured cost).
const (
	DevArgon2MemoryKiB  = 256
	DevArgon2Iterations = 1
)

// Option describes one setting: its flag, its environment variable and its
// default. Options is the single list the flags, the environment lookup and
// the README's table come from.
type Option struct {
	Flag    string // "" for environment-only settings
	Env     string
	Default string
	Usage   string
	set     func(c *Config, v string) error
	get     func(c *Config) string
	// kind is the value's type, which the flag's help shows
	// (--argon2-iterations int); the value is parsed by set either way.
	kind string
}

// The kinds of option values, as pflag names them in help.
const (
	kindString   = "string"
	kindInt      = "int"
	kindDuration = "duration"
	kindBool     = "bool"
)

// Options lists every setting, in the order the README shows them.
var Options = []Option{
	{"addr", "USERPOOL_ADDR", "127.0.0.1:9229", "Address to listen on (host:port).", func(c *Config, v string) error { c.Addr = v; return nil }, func(c *Config) string { return c.Addr }, kindString},
	{"data", "USERPOOL_DATA", "./.userpool", "Data directory: the SQLite database, the data key and generated admin keys.", func(c *Config, v string) error { c.Data = v; return nil }, func(c *Config) string { return c.Data }, kindString},
	{"store", "USERPOOL_STORE", "", "SQLite file path, or a postgres:// URL. Default: userpool.db in the data directory.", func(c *Config, v string) error { c.Store = v; return nil }, func(c *Config) string { return c.Store }, kindString},
	{"public-url", "USERPOOL_PUBLIC_URL", "", "Base URL clients reach the server at; the tokens' issuer and the hosted pages derive from it. Default: http:// + addr.", func(c *Config, v string) error { c.PublicURL = v; return nil }, func(c *Config) string { return c.PublicURL }, kindString},
	{"dev", "USERPOOL_DEV", "false", "Development mode: accept any SigV4 signature on admin actions and hash passwords cheaply. Never in production.", setBool(func(c *Config) *bool { return &c.Dev }), func(c *Config) string { return strconv.FormatBool(c.Dev) }, kindBool},
	{"seed", "USERPOOL_SEED", "", "Seed file (YAML or JSON) applied at every start: the pools, app clients, domains, resource servers, groups and users it declares are created or updated, never deleted.", func(c *Config, v string) error { c.Seed = v; return nil }, func(c *Config) string { return c.Seed }, kindString},
	{"region", "USERPOOL_REGION", "us-east-1", "Region in pool ids (us-east-1_XXXXXXXXX) and ARNs.", func(c *Config, v string) error { c.Region = v; return nil }, func(c *Config) string { return c.Region }, kindString},
	{"account-id", "USERPOOL_ACCOUNT_ID", "000000000000", "Account id in ARNs.", func(c *Config, v string) error { c.AccountID = v; return nil }, func(c *Config) string { return c.AccountID }, kindString},
	{"lambda-endpoint", "USERPOOL_LAMBDA_ENDPOINT", "", "Endpoint of the Lambda Invoke API that runs the pools' triggers, such as sam local start-lambda's http://127.0.0.1:3001; functions are then named by the name in their ARN. Default: AWS Lambda in each function ARN's region.", func(c *Config, v string) error { c.LambdaEndpoint = v; return nil }, func(c *Config) string { return c.LambdaEndpoint }, kindString},
	{"log-level", "USERPOOL_LOG_LEVEL", "info", "Log level: debug, info, warn or error.", func(c *Config, v string) error { c.LogLevel = v; return nil }, func(c *Config) string { return c.LogLevel }, kindString},
	{"log-format", "USERPOOL_LOG_FORMAT", "text", "Log format: text or json.", func(c *Config, v string) error { c.LogFormat = v; return nil }, func(c *Config) string { return c.LogFormat }, kindString},
	{"argon2-memory", "USERPOOL_ARGON2_MEMORY", "19456", "Argon2id memory per password hash, in KiB (--dev: 256).", setInt(func(c *Config) *int { return &c.Argon2MemoryKiB }), func(c *Config) string { return strconv.Itoa(c.Argon2MemoryKiB) }, kindInt},
	{"argon2-iterations", "USERPOOL_ARGON2_ITERATIONS", "2", "Argon2id passes per password hash (--dev: 1).", setInt(func(c *Config) *int { return &c.Argon2Iterations }), func(c *Config) string { return strconv.Itoa(c.Argon2Iterations) }, kindInt},
	{"shutdown-timeout", "USERPOOL_SHUTDOWN_TIMEOUT", "15s", "How long SIGTERM waits for in-flight requests.", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.ShutdownTimeout = d
		return err
	}, func(c *Config) string { return c.ShutdownTimeout.String() }, kindDuration},
	{"pprof-addr", "USERPOOL_PPROF_ADDR", "", "Address (host:port) of a separate listener serving Go's profiler at /debug/pprof/. Default: none. Keep it on loopback.", func(c *Config, v string) error { c.PprofAddr = v; return nil }, func(c *Config) string { return c.PprofAddr }, kindString},
	{"metrics-addr", "USERPOOL_METRICS_ADDR", "", "Address (host:port) of a separate listener serving the Prometheus metrics at /metrics, which the API's listener then no longer serves. Default: none (/metrics on the API's listener).", func(c *Config, v string) error { c.MetricsAddr = v; return nil }, func(c *Config) string { return c.MetricsAddr }, kindString},
	{"max-connections", "USERPOOL_MAX_CONNECTIONS", "1024", "Connections held open at once; more wait in the listen queue. 0: no bound.", setInt(func(c *Config) *int { return &c.MaxConnections }), func(c *Config) string { return strconv.Itoa(c.MaxConnections) }, kindInt},
	{"rate-limits", "USERPOOL_RATE_LIMITS", "", "Request-rate quotas per Cognito API category, per node, answered with TooManyRequestsException: Category=requests-per-second, comma-separated (UserAuthentication=120,UserCreation=50). Default: none. Not allowed with --dev.", func(c *Config, v string) error { c.RateLimits = v; return nil }, func(c *Config) string { return c.RateLimits }, kindString},
	{"", "USERPOOL_ADMIN_ACCESS_KEY_ID", "", "Access key id allowed to call admin actions. Default: a pair generated in the data directory on first start.", func(c *Config, v string) error { c.AdminAccessKeyID = v; return nil }, nil, kindString},
	{"", "USERPOOL_ADMIN_SECRET_ACCESS_KEY", "", "Its secret access key.", func(c *Config, v string) error { c.AdminSecretAccessKey = v; return nil }, nil, kindString},
	{"", "USERPOOL_DATA_KEY", "", "Base64 of the 32-byte key that seals client secrets and signing keys; nodes sharing a database must share it. Default: generated in the data directory.", func(c *Config, v string) error { c.DataKey = v; return nil }, nil, kindString},
	{"smtp-host", "USERPOOL_SMTP_HOST", "", "SMTP server that sends e-mail codes (sign-up, verification, password reset). Default: none; such messages are logged as not delivered.", func(c *Config, v string) error { c.SMTPHost = v; return nil }, func(c *Config) string { return c.SMTPHost }, kindString},
	{"smtp-port", "USERPOOL_SMTP_PORT", "0", "SMTP port. 0: 587 for starttls, 465 for tls, 25 for none.", setInt(func(c *Config) *int { return &c.SMTPPort }), func(c *Config) string { return strconv.Itoa(c.SMTPPort) }, kindInt},
	{"smtp-tls", "USERPOOL_SMTP_TLS", "starttls", "SMTP encryption: starttls (required, never skipped), tls (implicit TLS) or none.", func(c *Config, v string) error { c.SMTPTLS = v; return nil }, func(c *Config) string { return c.SMTPTLS }, kindString},
	{"smtp-username", "USERPOOL_SMTP_USERNAME", "", "SMTP user name (AUTH PLAIN); empty sends without authenticating.", func(c *Config, v string) error { c.SMTPUsername = v; return nil }, func(c *Config) string { return c.SMTPUsername }, kindString},
	{"", "USERPOOL_SMTP_PASSWORD", "", "SMTP password.", func(c *Config, v string) error { c.SMTPPassword = v; return nil }, nil, kindString},
	{"smtp-from", "USERPOOL_SMTP_FROM", "", "From address of e-mail: an address, optionally with a display name; required with --smtp-host.", func(c *Config, v string) error { c.SMTPFrom = v; return nil }, func(c *Config) string { return c.SMTPFrom }, kindString},
	{"email-webhook-url", "USERPOOL_EMAIL_WEBHOOK_URL", "", "URL that receives e-mail messages as JSON POSTs, instead of SMTP.", func(c *Config, v string) error { c.EmailWebhookURL = v; return nil }, func(c *Config) string { return c.EmailWebhookURL }, kindString},
	{"sms-webhook-url", "USERPOOL_SMS_WEBHOOK_URL", "", "URL that receives SMS messages as JSON POSTs (retried on 5xx, 429 and network errors). Default: none; SMS messages are logged as not delivered.", func(c *Config, v string) error { c.SMSWebhookURL = v; return nil }, func(c *Config) string { return c.SMSWebhookURL }, kindString},
	{"", "USERPOOL_WEBHOOK_TOKEN", "", "Bearer token sent with every webhook POST, so the receiver can tell the server's posts from others.", func(c *Config, v string) error { c.WebhookToken = v; return nil }, nil, kindString},
	{"log-destinations", "USERPOOL_LOG_DESTINATIONS", "", "Where pools' exported logs (SetLogDeliveryConfiguration) go: comma-separated ARN=target pairs, a target being an absolute file path (JSON lines) or an http(s) URL (a JSON POST per record). Default: none; logs for unmapped ARNs are not delivered.", func(c *Config, v string) error { c.LogDestinations = v; return nil }, func(c *Config) string { return c.LogDestinations }, kindString},
	{"auth-event-retention", "USERPOOL_AUTH_EVENT_RETENTION", "2160h", "How long authentication events (AdminListUserAuthEvents) are kept; Cognito keeps them 90 days.", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.AuthEventRetention = d
		return err
	}, func(c *Config) string { return c.AuthEventRetention.String() }, kindDuration},
	{"auth-event-max-per-user", "USERPOOL_AUTH_EVENT_MAX_PER_USER", "1000", "Authentication events kept per user; older ones are collected. 0: no bound but the retention.", setInt(func(c *Config) *int { return &c.AuthEventMaxPerUser }), func(c *Config) string { return strconv.Itoa(c.AuthEventMaxPerUser) }, kindInt},
}

func setBool(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		*field(c) = b
		return err
	}
}

func setInt(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		*field(c) = n
		return err
	}
}

// Register defines the flags of every option on fs.
func Register(fs *pflag.FlagSet) { register(fs, nil) }

// RegisterStorage defines only the flags that locate the data: the data
// directory and the store, for commands that work on the database
// without serving (and so without an address to listen on).
func RegisterStorage(fs *pflag.FlagSet) {
	register(fs, map[string]bool{"data": true, "store": true})
}

func register(fs *pflag.FlagSet, only map[string]bool) {
	for _, o := range Options {
		if o.Flag == "" || (only != nil && !only[o.Flag]) {
			continue
		}
		if o.kind == kindBool {
			fs.Bool(o.Flag, o.Default == "true", o.Usage+" ["+o.Env+"]")
			continue
		}
		fs.Var(&flagValue{text: o.Default, kind: o.kind}, o.Flag, o.Usage+" ["+o.Env+"]")
	}
}

// flagValue holds a flag's text until Load parses it with the option's
// own setter (so a flag and its environment variable are read alike); its
// Type is the option's kind, which the help shows.
type flagValue struct{ text, kind string }

func (v *flagValue) String() string     { return v.text }
func (v *flagValue) Set(s string) error { v.text = s; return nil }
func (v *flagValue) Type() string       { return v.kind }

// Load builds the Config: a flag given on the command line wins over the
// environment variable, which wins over the default.
func Load(fs *pflag.FlagSet, getenv func(string) string) (*Config, error) {
	c := &Config{}
	for _, o := range Options {
		v, from := o.Default, "default"
		if e := getenv(o.Env); e != "" {
			v, from = e, o.Env
		}
		if o.Flag != "" && fs.Changed(o.Flag) {
			f := fs.Lookup(o.Flag)
			v, from = f.Value.String(), "--"+o.Flag
		}
		if err := o.set(c, v); err != nil {
			return nil, fmt.Errorf("config: %s: invalid value %q", from, v)
		}
	}
	if c.Dev {
		if !fs.Changed("argon2-memory") && getenv("USERPOOL_ARGON2_MEMORY") == "" {
			c.Argon2MemoryKiB = DevArgon2MemoryKiB
		}
		if !fs.Changed("argon2-iterations") && getenv("USERPOOL_ARGON2_ITERATIONS") == "" {
			c.Argon2Iterations = DevArgon2Iterations
		}
	}
	if c.Store == "" {
		c.Store = filepath.Join(c.Data, "userpool.db")
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return c, c.Validate()
}

// Validate reports the first setting that cannot work.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: addr %q: %w", c.Addr, err)
	}
	for _, o := range [...]struct{ name, addr string }{{"pprof-addr", c.PprofAddr}, {"metrics-addr", c.MetricsAddr}} {
		if _, _, err := net.SplitHostPort(o.addr); o.addr != "" && err != nil {
			return fmt.Errorf("config: %s %q: %w", o.name, o.addr, err)
		}
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: public-url %q must be an http or https URL", c.PublicURL)
	}
	if (c.AdminAccessKeyID == "") != (c.AdminSecretAccessKey == "") {
		return errors.New("config: USERPOOL_ADMIN_ACCESS_KEY_ID and USERPOOL_ADMIN_SECRET_ACCESS_KEY go together")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("config: log-format %q: want text or json", c.LogFormat)
	}
	if c.Argon2MemoryKiB < 8 || c.Argon2Iterations < 1 {
		return errors.New("config: argon2-memory must be at least 8 KiB and argon2-iterations at least 1")
	}
	if c.Region == "" || strings.ContainsAny(c.Region, "_ ") {
		return fmt.Errorf("config: region %q is not a region name", c.Region)
	}
	if c.ShutdownTimeout <= 0 {
		return errors.New("config: shutdown-timeout must be positive")
	}
	if c.AuthEventRetention <= 0 {
		return errors.New("config: auth-event-retention must be positive")
	}
	if c.AuthEventMaxPerUser < 0 {
		return errors.New("config: auth-event-max-per-user must be 0 (no bound) or more")
	}
	if c.MaxConnections < 0 {
		return errors.New("config: max-connections must be 0 (no bound) or more")
	}
	if c.RateLimits != "" {
		// A development server must never throttle the test suite it serves.
		if c.Dev {
			return errors.New("config: rate-limits cannot be used with --dev")
		}
		if _, err := limits.ParseQuotas(c.RateLimits, time.Now); err != nil {
			return fmt.Errorf("config: rate-limits: %w", err)
		}
	}
	return c.validateDelivery()
}

// validateDelivery checks the message delivery settings.
func (c *Config) validateDelivery() error {
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		return fmt.Errorf("config: smtp-tls %q: want none, starttls or tls", c.SMTPTLS)
	}
	if c.SMTPPort < 0 || c.SMTPPort > 65535 {
		return fmt.Errorf("config: smtp-port %d is out of range", c.SMTPPort)
	}
	if c.SMTPHost != "" {
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			return fmt.Errorf("config: smtp-from %q must be an e-mail address when smtp-host is set", c.SMTPFrom)
		}
		if c.EmailWebhookURL != "" {
			return errors.New("config: smtp-host and email-webhook-url both send e-mail; set one")
		}
	}
	if c.SMTPPassword != "" && c.SMTPUsername == "" {
		return errors.New("config: USERPOOL_SMTP_PASSWORD needs smtp-username")
	}
	for name, v := range map[string]string{"email-webhook-url": c.EmailWebhookURL, "sms-webhook-url": c.SMSWebhookURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: %s %q must be an http or https URL", name, v)
		}
	}
	return nil
}

// IsPostgres reports whether the store setting names a PostgreSQL database.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.Store, "postgres://") || strings.HasPrefix(c.Store, "postgresql://")
}
