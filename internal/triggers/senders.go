package triggers

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// CustomSenderIgnored notes a message about to go through the configured
// senders although the pool names a CustomEmailSender (or, for SMS,
// CustomSMSSender) function. Those functions receive the code encrypted
// under the pool's KMS key, which Userpool does not do yet; until it does,
// the message goes out as if no custom sender were set, and the log says
// so once per pool and medium, so the difference from Cognito is not
// silent.
func (t *Triggers) CustomSenderIgnored(ctx context.Context, p *cognito.UserPoolType, sms bool) {
	if t == nil {
		return
	}
	lc := config(p)
	slot, arn := "CustomEmailSender", ""
	if sms {
		slot = "CustomSMSSender"
		if lc.CustomSMSSender != nil {
			arn = lc.CustomSMSSender.LambdaARn
		}
	} else if lc.CustomEmailSender != nil {
		arn = lc.CustomEmailSender.LambdaARn
	}
	if arn == "" {
		return
	}
	if _, seen := t.noted.LoadOrStore(p.ID+"/"+slot, true); seen {
		return
	}
	t.log.WarnContext(ctx, "custom sender triggers are not run yet: this pool's messages go through the configured senders",
		"pool", p.ID, "trigger", slot, "function", arn)
}
