package api

// authActions lists the sign-in, token and session actions.
func (a *API) authActions() map[string]action {
	return map[string]action{
		"AdminInitiateAuth":            {authSigV4, handle(a.AdminInitiateAuth)},
		"AdminRespondToAuthChallenge":  {authSigV4, handle(a.AdminRespondToAuthChallenge)},
		"AdminUserGlobalSignOut":       {authSigV4, handle(a.AdminUserGlobalSignOut)},
		"GetTokensFromRefreshToken":    {authNone, handle(a.GetTokensFromRefreshToken)},
		"GetUser":                      {authAccessToken, handle(a.GetUser)},
		"GetUserAuthFactors":           {authAccessToken, handle(a.GetUserAuthFactors)},
		"StartWebAuthnRegistration":    {authAccessToken, handle(a.StartWebAuthnRegistration)},
		"CompleteWebAuthnRegistration": {authAccessToken, handle(a.CompleteWebAuthnRegistration)},
		"ListWebAuthnCredentials":      {authAccessToken, handle(a.ListWebAuthnCredentials)},
		"DeleteWebAuthnCredential":     {authAccessToken, handle(a.DeleteWebAuthnCredential)},
		"GlobalSignOut":                {authAccessToken, handle(a.GlobalSignOut)},
		"InitiateAuth":                 {authNone, handle(a.InitiateAuth)},
		"RespondToAuthChallenge":       {authNone, handle(a.RespondToAuthChallenge)},
		"RevokeToken":                  {authNone, handle(a.RevokeToken)},
	}
}
