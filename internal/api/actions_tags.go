package api

// tagActions lists the tag actions.
func (a *API) tagActions() map[string]action {
	return map[string]action{}
}
