package config

import (
	"testing"
)

func TestDeliveryOptions(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPHost != "" || c.SMTPTLS != "starttls" || c.SMTPPort != 0 || c.SMSWebhookURL != "" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = load(t, []string{"--smtp-host", "mail.example.com", "--smtp-tls", "tls", "--smtp-port", "2465",
		"--smtp-username", "mailer", "--smtp-from", "Example <no-reply@example.com>",
		"--sms-webhook-url", "https://sms.example.com/send"},
		map[string]string{"USERPOOL_SMTP_PASSWORD": "pw", "USERPOOL_WEBHOOK_TOKEN": "tok", "USERPOOL_SMTP_HOST": "ignored.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{SMTPHost: "mail.example.com", SMTPPort: 2465, SMTPTLS: "tls", SMTPUsername: "mailer", SMTPPassword: "pw",
		SMTPFrom: "Example <no-reply@example.com>", SMSWebhookURL: "https://sms.example.com/send", WebhookToken: "tok"}
	got := Config{SMTPHost: c.SMTPHost, SMTPPort: c.SMTPPort, SMTPTLS: c.SMTPTLS, SMTPUsername: c.SMTPUsername, SMTPPassword: c.SMTPPassword,
		SMTPFrom: c.SMTPFrom, SMSWebhookURL: c.SMSWebhookURL, WebhookToken: c.WebhookToken}
	if got != want {
		t.Errorf("delivery settings = %+v, want %+v", got, want)
	}
	// Secrets have no flag.
	for _, o := range Options {
		if (o.Env == "USERPOOL_SMTP_PASSWORD" || o.Env == "USERPOOL_WEBHOOK_TOKEN") && o.Flag != "" {
			t.Errorf("%s has a flag", o.Env)
		}
	}
}

func TestDeliveryOptionsInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"tls mode", []string{"--smtp-tls", "ssl"}, nil},
		{"port", []string{"--smtp-port", "70000"}, nil},
		{"host without from", []string{"--smtp-host", "mail.example.com"}, nil},
		{"bad from", []string{"--smtp-host", "mail.example.com", "--smtp-from", "nobody"}, nil},
		{"smtp and e-mail webhook", []string{"--smtp-host", "h", "--smtp-from", "a@example.com", "--email-webhook-url", "https://x.example.com"}, nil},
		{"password without user", nil, map[string]string{"USERPOOL_SMTP_PASSWORD": "pw"}},
		{"sms webhook scheme", []string{"--sms-webhook-url", "ftp://x.example.com"}, nil},
		{"email webhook host", []string{"--email-webhook-url", "https://"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := load(t, tc.args, tc.env); err == nil {
				t.Error("accepted")
			}
		})
	}
}
