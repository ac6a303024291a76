package api

// domainActions lists the domain actions, and the hosted UI's
// customization, which lives with the domain.
func (a *API) domainActions() map[string]action {
	return map[string]action{
		"CreateUserPoolDomain":   {authSigV4, handle(a.CreateUserPoolDomain)},
		"DeleteUserPoolDomain":   {authSigV4, handle(a.DeleteUserPoolDomain)},
		"DescribeUserPoolDomain": {authSigV4, handle(a.DescribeUserPoolDomain)},
		"UpdateUserPoolDomain":   {authSigV4, handle(a.UpdateUserPoolDomain)},
		"SetUICustomization":     {authSigV4, handle(a.SetUICustomization)},
		"GetUICustomization":     {authSigV4, handle(a.GetUICustomization)},
	}
}
