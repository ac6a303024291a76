package api

// poolActions lists the pool actions.
func (a *API) poolActions() map[string]action {
	return map[string]action{
		"AddCustomAttributes": {authSigV4, handle(a.AddCustomAttributes)},
		"CreateUserPool":      {authSigV4, handle(a.CreateUserPool)},
		"DeleteUserPool":      {authSigV4, handle(a.DeleteUserPool)},
		"DescribeUserPool":    {authSigV4, handle(a.DescribeUserPool)},
		"ListUserPools":       {authSigV4, handle(a.ListUserPools)},
		"UpdateUserPool":      {authSigV4, handle(a.UpdateUserPool)},
	}
}
