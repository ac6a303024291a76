package api

// poolActions lists the pool actions.
func (a *API) poolActions() map[string]action {
	return map[string]action{}
}
