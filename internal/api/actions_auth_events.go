package api

// authEventActions lists the actions on users' authentication events.
func (a *API) authEventActions() map[string]action {
	return map[string]action{
		"AdminListUserAuthEvents":      {authSigV4, handle(a.AdminListUserAuthEvents)},
		"AdminUpdateAuthEventFeedback": {authSigV4, handle(a.AdminUpdateAuthEventFeedback)},
		"UpdateAuthEventFeedback":      {authNone, handle(a.UpdateAuthEventFeedback)},
	}
}
