package api

// groupActions lists the group actions.
func (a *API) groupActions() map[string]action {
	return map[string]action{
		"CreateGroup": {authSigV4, handle(a.CreateGroup)},
		"DeleteGroup": {authSigV4, handle(a.DeleteGroup)},
		"GetGroup":    {authSigV4, handle(a.GetGroup)},
		"ListGroups":  {authSigV4, handle(a.ListGroups)},
		"UpdateGroup": {authSigV4, handle(a.UpdateGroup)},
	}
}
