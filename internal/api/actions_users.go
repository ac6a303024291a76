package api

// userActions lists the user actions.
func (a *API) userActions() map[string]action {
	return map[string]action{}
}
