package api

// clientActions lists the client actions.
func (a *API) clientActions() map[string]action {
	return map[string]action{}
}
