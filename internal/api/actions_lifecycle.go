package api

// lifecycleActions lists the user lifecycle actions: self sign-up and its
// confirmation, password resets and changes, and a user's own attributes
// and account.
func (a *API) lifecycleActions() map[string]action {
	return map[string]action{
		"AdminResetUserPassword":           {authSigV4, handle(a.AdminResetUserPassword)},
		"ChangePassword":                   {authAccessToken, handle(a.ChangePassword)},
		"ConfirmForgotPassword":            {authNone, handle(a.ConfirmForgotPassword)},
		"ConfirmSignUp":                    {authNone, handle(a.ConfirmSignUp)},
		"DeleteUser":                       {authAccessToken, handle(a.DeleteUser)},
		"DeleteUserAttributes":             {authAccessToken, handle(a.DeleteUserAttributes)},
		"ForgotPassword":                   {authNone, handle(a.ForgotPassword)},
		"GetUserAttributeVerificationCode": {authAccessToken, handle(a.GetUserAttributeVerificationCode)},
		"ResendConfirmationCode":           {authNone, handle(a.ResendConfirmationCode)},
		"SignUp":                           {authNone, handle(a.SignUp)},
		"UpdateUserAttributes":             {authAccessToken, handle(a.UpdateUserAttributes)},
		"VerifyUserAttribute":              {authAccessToken, handle(a.VerifyUserAttribute)},
	}
}
