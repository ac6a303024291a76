package api

// resourceServerActions lists the resource server actions.
func (a *API) resourceServerActions() map[string]action {
	return map[string]action{}
}
