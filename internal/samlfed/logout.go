package samlfed

import (
	"context"
	"fmt"
	"net/http"

	"github.com/crewjam/saml"
)

// msgNoSLO is why a sign-out does not go on to the IdP.
const msgNoSLO = "The metadata of the identity provider %s has no HTTP-Redirect single logout service"

// LogoutRequest is a LogoutRequest ready to send to the IdP: the sign-out
// a provider with IDPSignout asks for.
type LogoutRequest struct {
	// ID is the request's ID, which the IdP's LogoutResponse must be
	// InResponseTo.
	ID string
	sp *saml.ServiceProvider
	r  *saml.LogoutRequest
}

// RedirectURL is the IdP's single logout URL with the request in the
// HTTP-Redirect binding, signed with the pool's key as the single logout
// profile requires.
func (r *LogoutRequest) RedirectURL(relayState string) (string, error) {
	u, err := r.sp.RedirectLogoutRequestURL(r.r, relayState)
	if err != nil {
		return "", fmt.Errorf("SAML LogoutRequest: %w", err)
	}
	return u.String(), nil
}

// StartLogout makes a LogoutRequest for the user the IdP knows as nameID.
// A Refusal says the IdP has no redirect-binding logout endpoint.
func (s *ServiceProvider) StartLogout(ctx context.Context, p Provider, nameID string) (*LogoutRequest, error) {
	sp, err := s.serviceProvider(ctx, p)
	if err != nil {
		return nil, err
	}
	slo := sp.GetSLOBindingLocation(saml.HTTPRedirectBinding)
	if slo == "" {
		return nil, refuse(fmt.Sprintf(msgNoSLO, p.Name), nil)
	}
	req, err := sp.MakeLogoutRequest(slo, nameID)
	if err != nil {
		return nil, fmt.Errorf("SAML LogoutRequest: %w", err)
	}
	return &LogoutRequest{ID: req.ID, sp: sp, r: req}, nil
}

// VerifyLogout checks the IdP's LogoutResponse to the request requestID,
// as the IdP sent the browser with it to the single logout URL (either
// binding): signed by the IdP, addressed to that URL, answering the
// request, and successful.
func (s *ServiceProvider) VerifyLogout(ctx context.Context, p Provider, r *http.Request, requestID string) error {
	sp, err := s.serviceProvider(ctx, p)
	if err != nil {
		return err
	}
	resp, err := sp.ParseLogoutResponse(r, []string{requestID})
	if err != nil {
		return verifyError(err)
	}
	if resp.Status.StatusCode.Value != saml.StatusSuccess {
		return refuse(fmt.Sprintf(msgIdPStatus, resp.Status.StatusCode.Value), nil)
	}
	return nil
}
