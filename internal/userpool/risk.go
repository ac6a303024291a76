package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Threat protection settings (SetRiskConfiguration,
// DescribeRiskConfiguration) are stored and returned with Cognito's
// validation, for the infrastructure code that sets them. Userpool does
// not act on them: it runs no compromised-credentials or adaptive
// authentication checks, and enforces no IP lists.

// riskAllClients is the ClientId that names the pool-level configuration,
// as CloudFormation's UserPoolRiskConfigurationAttachment does; it is also
// what DescribeRiskConfiguration reports for a client that inherits the
// pool's configuration.
const riskAllClients = "ALL"

// Messages of the risk configuration rules. Cognito's wording is not
// published; these say what is wrong in its style.
const (
	riskMsgNotifyWithoutConfig = "NotifyConfiguration is required when an account takeover action notifies users."
	riskMsgInvalidIPRange      = "%s is not a valid IPv4 or IPv6 CIDR range."
)

// riskSettingName is the store.PoolSettings name of the pool's risk
// configuration ("risk") or of one client's ("risk/<client id>").
func riskSettingName(clientID string) string {
	if clientID == "" {
		return "risk"
	}
	return "risk/" + clientID
}

// riskScope is the client a request names, "" for the pool level.
func riskScope(clientID string) string {
	if clientID == riskAllClients {
		return ""
	}
	return clientID
}

// SetRiskConfiguration stores the threat protection settings of a pool or
// of one of its clients. Without any of the three configurations it resets
// them: the pool's to the defaults (none), a client's to inheriting the
// pool's.
func (s *Service) SetRiskConfiguration(ctx context.Context, in *cognito.SetRiskConfigurationInput) (*cognito.RiskConfigurationType, error) {
	if err := validateRisk(in); err != nil {
		return nil, err
	}
	clientID := riskScope(in.ClientID)
	cfg := &cognito.RiskConfigurationType{
		AccountTakeoverRiskConfiguration:        in.AccountTakeoverRiskConfiguration,
		CompromisedCredentialsRiskConfiguration: in.CompromisedCredentialsRiskConfiguration,
		RiskExceptionConfiguration:              in.RiskExceptionConfiguration,
	}
	reset := cfg.AccountTakeoverRiskConfiguration == nil && cfg.CompromisedCredentialsRiskConfiguration == nil &&
		cfg.RiskExceptionConfiguration == nil
	value, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := s.riskTarget(ctx, tx, in.UserPoolID, clientID); err != nil {
			return err
		}
		name := riskSettingName(clientID)
		if reset {
			if err := tx.DeletePoolSetting(ctx, in.UserPoolID, name); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		}
		return tx.PutPoolSetting(ctx, store.PoolSetting{PoolID: in.UserPoolID, Name: name, Value: value, UpdatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	cfg.UserPoolID, cfg.ClientID = in.UserPoolID, clientID
	if !reset {
		cfg.LastModifiedDate = cognito.Epoch(now)
	}
	return cfg, nil
}

// DescribeRiskConfiguration returns the threat protection settings of a
// pool, or of a client: its own, or the pool's it inherits (then with
// ClientId ALL). A pool never configured has none: only its id comes back.
func (s *Service) DescribeRiskConfiguration(ctx context.Context, poolID, clientID string) (*cognito.RiskConfigurationType, error) {
	clientID = riskScope(clientID)
	if err := s.riskTarget(ctx, s.cfg.Store, poolID, clientID); err != nil {
		return nil, err
	}
	names := []string{riskSettingName("")}
	if clientID != "" {
		names = []string{riskSettingName(clientID), riskSettingName("")}
	}
	for i, name := range names {
		ps, err := s.cfg.Store.GetPoolSetting(ctx, poolID, name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var cfg cognito.RiskConfigurationType
		if err := json.Unmarshal(ps.Value, &cfg); err != nil {
			return nil, fmt.Errorf("decode risk configuration %s of %s: %w", name, poolID, err)
		}
		cfg.UserPoolID, cfg.LastModifiedDate = poolID, cognito.Epoch(ps.UpdatedAt)
		switch {
		case clientID != "" && i == 0:
			cfg.ClientID = clientID
		case clientID != "":
			cfg.ClientID = riskAllClients
		}
		return &cfg, nil
	}
	out := &cognito.RiskConfigurationType{UserPoolID: poolID}
	if clientID != "" {
		out.ClientID = riskAllClients
	}
	return out, nil
}

// riskTarget checks that the pool, and the client when one is named,
// exist.
func (s *Service) riskTarget(ctx context.Context, st store.Store, poolID, clientID string) error {
	if clientID != "" {
		_, err := s.poolClient(ctx, st, poolID, clientID)
		return err
	}
	_, err := st.GetPool(ctx, poolID)
	return poolError(poolID, err)
}

// validateRisk applies the rules the model's constraints do not express.
func validateRisk(in *cognito.SetRiskConfigurationInput) error {
	if at := in.AccountTakeoverRiskConfiguration; at != nil && at.NotifyConfiguration == nil && at.Actions != nil {
		for _, a := range []*cognito.AccountTakeoverActionType{at.Actions.LowAction, at.Actions.MediumAction, at.Actions.HighAction} {
			if a != nil && a.Notify != nil && *a.Notify {
				return cognito.InvalidParameter(riskMsgNotifyWithoutConfig)
			}
		}
	}
	if ex := in.RiskExceptionConfiguration; ex != nil {
		for _, r := range append(append([]string{}, ex.BlockedIPRangeList...), ex.SkippedIPRangeList...) {
			if _, err := netip.ParsePrefix(r); err != nil {
				return cognito.InvalidParameter(fmt.Sprintf(riskMsgInvalidIPRange, r))
			}
		}
	}
	return nil
}
