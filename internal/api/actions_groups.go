package api

// groupActions lists the group actions.
func (a *API) groupActions() map[string]action {
	return map[string]action{}
}
