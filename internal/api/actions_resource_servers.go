package api

// resourceServerActions lists the resource server actions.
func (a *API) resourceServerActions() map[string]action {
	return map[string]action{
		"CreateResourceServer":   {authSigV4, handle(a.CreateResourceServer)},
		"DeleteResourceServer":   {authSigV4, handle(a.DeleteResourceServer)},
		"DescribeResourceServer": {authSigV4, handle(a.DescribeResourceServer)},
		"ListResourceServers":    {authSigV4, handle(a.ListResourceServers)},
		"UpdateResourceServer":   {authSigV4, handle(a.UpdateResourceServer)},
	}
}
