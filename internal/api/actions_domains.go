package api

// domainActions lists the domain actions.
func (a *API) domainActions() map[string]action {
	return map[string]action{
		"CreateUserPoolDomain":   {authSigV4, handle(a.CreateUserPoolDomain)},
		"DeleteUserPoolDomain":   {authSigV4, handle(a.DeleteUserPoolDomain)},
		"DescribeUserPoolDomain": {authSigV4, handle(a.DescribeUserPoolDomain)},
		"UpdateUserPoolDomain":   {authSigV4, handle(a.UpdateUserPoolDomain)},
	}
}
