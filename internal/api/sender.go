package api

import (
	"strings"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/cognito"
)

// sender is who a sign-in request says its user is: the address and
// User-Agent header a back end passes in the admin actions' ContextData,
// or the address of the public actions' UserContextData. Auth events
// record it instead of the request's own address, which for a back end
// is its own.
func sender(admin *cognito.ContextDataType, public *cognito.UserContextDataType) auth.Sender {
	var s auth.Sender
	if admin != nil {
		s.IP = admin.IpAddress
		for _, h := range admin.HttpHeaders {
			if strings.EqualFold(h.HeaderName, "User-Agent") {
				s.UserAgent = h.HeaderValue
			}
		}
	}
	if public != nil {
		s.IP = public.IpAddress
	}
	return s
}
