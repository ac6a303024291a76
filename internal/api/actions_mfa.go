package api

// mfaActions lists the multi-factor authentication actions: a pool's MFA
// configuration, a user's factors and preference, and TOTP authenticators.
func (a *API) mfaActions() map[string]action {
	return map[string]action{
		"AdminSetUserMFAPreference": {authSigV4, handle(a.AdminSetUserMFAPreference)},
		"AdminSetUserSettings":      {authSigV4, handle(a.AdminSetUserSettings)},
		"AssociateSoftwareToken":    {authAccessToken, handle(a.AssociateSoftwareToken)},
		"GetUserPoolMfaConfig":      {authSigV4, handle(a.GetUserPoolMfaConfig)},
		"SetUserMFAPreference":      {authAccessToken, handle(a.SetUserMFAPreference)},
		"SetUserPoolMfaConfig":      {authSigV4, handle(a.SetUserPoolMfaConfig)},
		"SetUserSettings":           {authAccessToken, handle(a.SetUserSettings)},
		"VerifySoftwareToken":       {authAccessToken, handle(a.VerifySoftwareToken)},
	}
}
