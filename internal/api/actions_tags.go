package api

// tagActions lists the tag actions.
func (a *API) tagActions() map[string]action {
	return map[string]action{
		"ListTagsForResource": {authSigV4, handle(a.ListTagsForResource)},
		"TagResource":         {authSigV4, handle(a.TagResource)},
		"UntagResource":       {authSigV4, handle(a.UntagResource)},
	}
}
