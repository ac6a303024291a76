package api

// clientActions lists the client actions.
func (a *API) clientActions() map[string]action {
	return map[string]action{
		"AddUserPoolClientSecret":    {authSigV4, handle(a.AddUserPoolClientSecret)},
		"CreateUserPoolClient":       {authSigV4, handle(a.CreateUserPoolClient)},
		"DeleteUserPoolClientSecret": {authSigV4, handle(a.DeleteUserPoolClientSecret)},
		"ListUserPoolClientSecrets":  {authSigV4, handle(a.ListUserPoolClientSecrets)},
		"DeleteUserPoolClient":       {authSigV4, handle(a.DeleteUserPoolClient)},
		"DescribeUserPoolClient":     {authSigV4, handle(a.DescribeUserPoolClient)},
		"ListUserPoolClients":        {authSigV4, handle(a.ListUserPoolClients)},
		"UpdateUserPoolClient":       {authSigV4, handle(a.UpdateUserPoolClient)},
	}
}
