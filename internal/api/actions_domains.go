package api

// domainActions lists the domain actions.
func (a *API) domainActions() map[string]action {
	return map[string]action{}
}
