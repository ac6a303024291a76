package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Pool-level constants Cognito uses; kept together so a correction is one edit.
const (
	// poolIDAlphabet is what follows "<region>_" in a pool id.
	poolIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	poolIDLength   = 9
	// poolMaxCustomAttributes is Cognito's cap on custom attributes per pool.
	poolMaxCustomAttributes = 50
	// poolMaxStringAttributeLength bounds StringAttributeConstraints.
	poolMaxStringAttributeLength = 2048
	// poolStatus is the deprecated Status member, always Enabled.
	poolStatus = "Enabled"
	// listPoolsKind tags ListUserPools tokens.
	listPoolsKind = "pools"
	// poolIDAttempts bounds retries when a random id collides.
	poolIDAttempts = 5
)

// Cognito's defaults for a pool created or updated without the member.
const (
	poolDefaultMinimumLength         = 8
	poolDefaultTemporaryPasswordDays = 7
	poolDefaultMfaConfiguration      = "OFF"
	poolDefaultDeletionProtection    = "INACTIVE"
	poolDefaultUserPoolTier          = "ESSENTIALS"
	poolDefaultEmailSendingAccount   = "COGNITO_DEFAULT"
	poolDefaultEmailOption           = "CONFIRM_WITH_CODE"
	poolDeletionProtectionActive     = "ACTIVE"
	poolFirstAuthFactorPassword      = "PASSWORD"
	poolCustomAttributePrefix        = "custom:"
	poolDevAttributePrefix           = "dev:custom:"
	poolAttrTypeString               = "String"
	poolAttrTypeNumber               = "Number"
	poolAttrTypeBoolean              = "Boolean"
	poolStandardStringMax            = "2048"
)

// Error messages of pool rules that Cognito's users have reported, in
// Cognito's wording (typos included).
const (
	poolMsgAliasAndUsernameAttributes = "Only one of the aliasAttributes or usernameAttributes can be set in a User pool."
	poolMsgDeletionProtected          = "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first."
	poolMsgPoolHasDomain              = "User pool cannot be deleted. It has a domain configured that should be deleted first."
	poolMsgRequiredCustomAttribute    = "Required custom attributes are not supported currently."
	poolMsgMissingAttributeDataType   = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
	poolMsgPasswordFirstFactor        = "Password should be configured as one of the allowed first auth factors."
	poolMsgUnusedAccountValidityDays  = "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"
	poolMsgVerificationBeforeUpdate   = "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"
	poolFmtStandardAttributeType      = "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s"
	poolFmtDuplicateCustomAttribute   = "Duplicate custom attribute names %s are not allowed in a user pool schema."
	poolFmtExistingAttribute          = "%s: Existing attribute already has name %s."
	poolFmtStringAttributeTooLong     = "user.%s: String attributes cannot have a length of more than 2048"
	poolFmtStringMaxBelowMin          = "Attribute %s cannot have a max length shorter than it's min length"
	poolFmtNumberMaxBelowMin          = "Attribute %s cannot have a max value smaller than it's min value"
)

// Error messages of pool rules where Cognito's wording is not known; ours
// follow the style of the ones above.
const (
	poolMsgEmptyAttributeName         = "Attribute name is required."
	poolMsgTooManyCustomAttributes    = "A user pool can have at most 50 custom attributes."
	poolFmtDuplicateStandardAttribute = "Duplicate attribute names %s are not allowed in a user pool schema."
	poolFmtInvalidStringConstraints   = "Invalid StringAttributeConstraints for schema attribute %s"
	poolFmtInvalidNumberConstraints   = "Invalid NumberAttributeConstraints for schema attribute %s"
	poolFmtStandardAttributeImmutable = "The standard attribute %s cannot be made mutable."
	poolFmtStandardAttributeRequired  = "The standard attribute %s cannot be made optional."
)

func pointerTo[T any](v T) *T { return &v }

// poolSettings are the members CreateUserPool and UpdateUserPool share:
// everything UpdateUserPool may replace.
type poolSettings struct {
	AccountRecoverySetting      *cognito.AccountRecoverySettingType
	AdminCreateUserConfig       *cognito.AdminCreateUserConfigType
	AutoVerifiedAttributes      []string
	DeletionProtection          string
	DeviceConfiguration         *cognito.DeviceConfigurationType
	EmailConfiguration          *cognito.EmailConfigurationType
	EmailVerificationMessage    string
	EmailVerificationSubject    string
	LambdaConfig                *cognito.LambdaConfigType
	MfaConfiguration            string
	Policies                    *cognito.UserPoolPolicyType
	SmsAuthenticationMessage    string
	SmsConfiguration            *cognito.SmsConfigurationType
	SmsVerificationMessage      string
	UserAttributeUpdateSettings *cognito.UserAttributeUpdateSettingsType
	UserPoolAddOns              *cognito.UserPoolAddOnsType
	UserPoolTags                map[string]string
	UserPoolTier                string
	VerificationMessageTemplate *cognito.VerificationMessageTemplateType
}

func createSettings(in *cognito.CreateUserPoolInput) poolSettings {
	return poolSettings{
		AccountRecoverySetting: in.AccountRecoverySetting, AdminCreateUserConfig: in.AdminCreateUserConfig,
		AutoVerifiedAttributes: in.AutoVerifiedAttributes, DeletionProtection: in.DeletionProtection,
		DeviceConfiguration: in.DeviceConfiguration, EmailConfiguration: in.EmailConfiguration,
		EmailVerificationMessage: in.EmailVerificationMessage, EmailVerificationSubject: in.EmailVerificationSubject,
		LambdaConfig: in.LambdaConfig, MfaConfiguration: in.MfaConfiguration, Policies: in.Policies,
		SmsAuthenticationMessage: in.SmsAuthenticationMessage, SmsConfiguration: in.SmsConfiguration,
		SmsVerificationMessage: in.SmsVerificationMessage, UserAttributeUpdateSettings: in.UserAttributeUpdateSettings,
		UserPoolAddOns: in.UserPoolAddOns, UserPoolTags: in.UserPoolTags, UserPoolTier: in.UserPoolTier,
		VerificationMessageTemplate: in.VerificationMessageTemplate,
	}
}

func updateSettings(in *cognito.UpdateUserPoolInput) poolSettings {
	return poolSettings{
		AccountRecoverySetting: in.AccountRecoverySetting, AdminCreateUserConfig: in.AdminCreateUserConfig,
		AutoVerifiedAttributes: in.AutoVerifiedAttributes, DeletionProtection: in.DeletionProtection,
		DeviceConfiguration: in.DeviceConfiguration, EmailConfiguration: in.EmailConfiguration,
		EmailVerificationMessage: in.EmailVerificationMessage, EmailVerificationSubject: in.EmailVerificationSubject,
		LambdaConfig: in.LambdaConfig, MfaConfiguration: in.MfaConfiguration, Policies: in.Policies,
		SmsAuthenticationMessage: in.SmsAuthenticationMessage, SmsConfiguration: in.SmsConfiguration,
		SmsVerificationMessage: in.SmsVerificationMessage, UserAttributeUpdateSettings: in.UserAttributeUpdateSettings,
		UserPoolAddOns: in.UserPoolAddOns, UserPoolTags: in.UserPoolTags, UserPoolTier: in.UserPoolTier,
		VerificationMessageTemplate: in.VerificationMessageTemplate,
	}
}

// applySettings sets every replaceable member of p from ps, with Cognito's
// default for each member ps leaves out: UpdateUserPool is a full replace,
// so an omitted member reverts rather than keeping its old value.
func applySettings(p *cognito.UserPoolType, ps poolSettings) error {
	if len(ps.UserPoolTags) > maxPoolTags {
		return cognito.UserPoolTagging(fmt.Sprintf(msgTooManyTags, maxPoolTags))
	}
	policies, err := poolPolicies(ps.Policies, ps.AdminCreateUserConfig)
	if err != nil {
		return err
	}
	p.Policies = policies

	admin := cognito.AdminCreateUserConfigType{}
	if ps.AdminCreateUserConfig != nil {
		admin = *ps.AdminCreateUserConfig
	}
	if admin.AllowAdminCreateUserOnly == nil {
		admin.AllowAdminCreateUserOnly = pointerTo(false)
	}
	// UnusedAccountValidityDays is the deprecated name of the temporary
	// password's validity; Cognito still reports it, equal to the new one.
	admin.UnusedAccountValidityDays = pointerTo(*policies.PasswordPolicy.TemporaryPasswordValidityDays)
	p.AdminCreateUserConfig = &admin

	if ps.UserAttributeUpdateSettings != nil {
		for _, a := range ps.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate {
			if !slices.Contains(ps.AutoVerifiedAttributes, a) {
				return cognito.InvalidParameter(poolMsgVerificationBeforeUpdate)
			}
		}
		p.UserAttributeUpdateSettings = ps.UserAttributeUpdateSettings
	} else {
		p.UserAttributeUpdateSettings = &cognito.UserAttributeUpdateSettingsType{}
	}

	email := cognito.EmailConfigurationType{}
	if ps.EmailConfiguration != nil {
		email = *ps.EmailConfiguration
	}
	if email.EmailSendingAccount == "" {
		email.EmailSendingAccount = poolDefaultEmailSendingAccount
	}
	p.EmailConfiguration = &email

	// The legacy message members and VerificationMessageTemplate are two
	// views of the same settings; Cognito reports each filled from the other.
	tmpl := cognito.VerificationMessageTemplateType{}
	if ps.VerificationMessageTemplate != nil {
		tmpl = *ps.VerificationMessageTemplate
	}
	if tmpl.DefaultEmailOption == "" {
		tmpl.DefaultEmailOption = poolDefaultEmailOption
	}
	p.EmailVerificationMessage, tmpl.EmailMessage = mirrorSetting(ps.EmailVerificationMessage, tmpl.EmailMessage)
	p.EmailVerificationSubject, tmpl.EmailSubject = mirrorSetting(ps.EmailVerificationSubject, tmpl.EmailSubject)
	p.SmsVerificationMessage, tmpl.SmsMessage = mirrorSetting(ps.SmsVerificationMessage, tmpl.SmsMessage)
	p.VerificationMessageTemplate = &tmpl

	if p.LambdaConfig, err = lambdaConfig(ps.LambdaConfig); err != nil {
		return err
	}
	p.MfaConfiguration = stringOr(ps.MfaConfiguration, poolDefaultMfaConfiguration)
	p.DeletionProtection = stringOr(ps.DeletionProtection, poolDefaultDeletionProtection)
	p.UserPoolTier = stringOr(ps.UserPoolTier, poolDefaultUserPoolTier)
	if err := checkTierFactors(p.UserPoolTier, p.Policies.SignInPolicy); err != nil {
		return err
	}
	p.AccountRecoverySetting = ps.AccountRecoverySetting
	p.AutoVerifiedAttributes = ps.AutoVerifiedAttributes
	p.DeviceConfiguration = ps.DeviceConfiguration
	p.SmsAuthenticationMessage = ps.SmsAuthenticationMessage
	p.SmsConfiguration = ps.SmsConfiguration
	p.UserPoolAddOns = ps.UserPoolAddOns
	p.UserPoolTags = ps.UserPoolTags
	return nil
}

// poolPolicies is the pool's password and sign-in policies. Without a
// password policy the pool gets Cognito's default one. In a given policy a
// missing requirement is false, as the service model's defaults say (the
// SDKs leave false booleans out of requests), while a missing length or
// validity takes Cognito's default, since 0 would make no sense there.
func poolPolicies(in *cognito.UserPoolPolicyType, admin *cognito.AdminCreateUserConfigType) (*cognito.UserPoolPolicyType, error) {
	var pp cognito.PasswordPolicyType
	var sip *cognito.SignInPolicyType
	if in != nil && in.PasswordPolicy != nil {
		pp = *in.PasswordPolicy
		for _, b := range []**bool{&pp.RequireUppercase, &pp.RequireLowercase, &pp.RequireNumbers, &pp.RequireSymbols} {
			if *b == nil {
				*b = pointerTo(false)
			}
		}
	} else {
		pp = cognito.PasswordPolicyType{
			RequireUppercase: pointerTo(true), RequireLowercase: pointerTo(true),
			RequireNumbers: pointerTo(true), RequireSymbols: pointerTo(true),
		}
	}
	if in != nil {
		sip = in.SignInPolicy
	}
	var unused *int64
	if admin != nil {
		unused = admin.UnusedAccountValidityDays
	}
	switch {
	case pp.TemporaryPasswordValidityDays != nil && unused != nil && *unused != *pp.TemporaryPasswordValidityDays:
		return nil, cognito.InvalidParameter(poolMsgUnusedAccountValidityDays)
	case pp.TemporaryPasswordValidityDays == nil && unused != nil:
		pp.TemporaryPasswordValidityDays = pointerTo(*unused)
	case pp.TemporaryPasswordValidityDays == nil:
		pp.TemporaryPasswordValidityDays = pointerTo(int64(poolDefaultTemporaryPasswordDays))
	}
	if pp.MinimumLength == nil {
		pp.MinimumLength = pointerTo(int64(poolDefaultMinimumLength))
	}
	if sip == nil || len(sip.AllowedFirstAuthFactors) == 0 {
		sip = &cognito.SignInPolicyType{AllowedFirstAuthFactors: []string{poolFirstAuthFactorPassword}}
	} else if !slices.Contains(sip.AllowedFirstAuthFactors, poolFirstAuthFactorPassword) {
		return nil, cognito.InvalidParameter(poolMsgPasswordFirstFactor)
	}
	return &cognito.UserPoolPolicyType{PasswordPolicy: &pp, SignInPolicy: sip}, nil
}

// mirrorSetting returns a pair of equivalent settings, each filled from the other
// when only one is given.
func mirrorSetting(legacy, current string) (string, string) {
	switch {
	case legacy == "":
		return current, current
	case current == "":
		return legacy, legacy
	}
	return legacy, current
}

func stringOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// CreatePool creates a user pool from a CreateUserPool request and returns
// it as DescribeUserPool will: with Cognito's defaults for everything the
// request left out.
func (s *Service) CreatePool(ctx context.Context, in *cognito.CreateUserPoolInput) (*cognito.UserPoolType, error) {
	p, err := s.poolFromInput(in)
	if err != nil {
		return nil, err
	}
	return s.storeNewPool(ctx, p, in.PoolName, "")
}

// poolFromInput is the pool a CreateUserPool request describes, checked.
func (s *Service) poolFromInput(in *cognito.CreateUserPoolInput) (*cognito.UserPoolType, error) {
	if len(in.UsernameAttributes) > 0 && len(in.AliasAttributes) > 0 {
		return nil, cognito.InvalidParameter(poolMsgAliasAndUsernameAttributes)
	}
	schema, err := buildPoolSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	p := &cognito.UserPoolType{
		AliasAttributes:       in.AliasAttributes,
		UsernameAttributes:    in.UsernameAttributes,
		UsernameConfiguration: in.UsernameConfiguration,
		SchemaAttributes:      schema,
	}
	if err := applySettings(p, createSettings(in)); err != nil {
		return nil, err
	}
	return p, nil
}

// fixedPoolID is the form of a given pool id: the model's UserPoolIdType
// (up to 55 characters).
var fixedPoolID = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

// CreatePoolWithID is CreatePool with a given id instead of a random one,
// for seed files, whose apps' committed configuration names the pool. No
// API action can choose an id, so only the seed calls it.
func (s *Service) CreatePoolWithID(ctx context.Context, id string, in *cognito.CreateUserPoolInput) (*cognito.UserPoolType, error) {
	if len(id) > 55 || !fixedPoolID.MatchString(id) {
		return nil, cognito.InvalidParameter(fmt.Sprintf("%q is not a user pool id: region_name, as us-east-1_LocalDev01.", id))
	}
	p, err := s.poolFromInput(in)
	if err != nil {
		return nil, err
	}
	return s.storeNewPool(ctx, p, in.PoolName, id)
}

// storeNewPool stores a new pool under id, or under a random id of the
// server's region when id is "", drawing again when one is taken.
func (s *Service) storeNewPool(ctx context.Context, p *cognito.UserPoolType, name, id string) (*cognito.UserPoolType, error) {
	now := s.now()
	for range poolIDAttempts {
		fixed := id != ""
		p.ID = id
		if !fixed {
			p.ID = s.cfg.Region + "_" + randomString(poolIDLength, poolIDAlphabet)
		}
		p.ARn = s.poolARN(p.ID)
		settings, err := encodePool(p)
		if err != nil {
			return nil, err
		}
		err = s.cfg.Store.CreatePool(ctx, store.Pool{ID: p.ID, Name: name, Settings: settings, CreatedAt: now, UpdatedAt: now})
		if errors.Is(err, store.ErrAlreadyExists) && fixed {
			return nil, cognito.InvalidParameter(fmt.Sprintf("User pool %s already exists.", id))
		}
		if errors.Is(err, store.ErrAlreadyExists) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return s.DescribePool(ctx, p.ID)
	}
	return nil, fmt.Errorf("create pool: no free id after %d attempts", poolIDAttempts)
}

// DescribePool returns a pool as DescribeUserPool does: its configuration
// plus what is computed on read (user count, domain, status).
func (s *Service) DescribePool(ctx context.Context, id string) (*cognito.UserPoolType, error) {
	p, err := s.Pool(ctx, id)
	if err != nil {
		return nil, err
	}
	n, err := s.cfg.Store.CountUsers(ctx, id)
	if err != nil {
		return nil, err
	}
	p.EstimatedNumberOfUsers = &n
	if p.Domain, p.CustomDomain, err = poolDomainNames(ctx, s.cfg.Store, id); err != nil {
		return nil, err
	}
	p.Status = poolStatus
	return p, nil
}

// UpdatePool applies an UpdateUserPool request. It replaces every setting
// the request can carry, so omitted members revert to Cognito's defaults;
// the schema, sign-in attributes and username configuration stay as they
// were created. The name changes only when PoolName is given, since a name
// has no default to revert to.
func (s *Service) UpdatePool(ctx context.Context, in *cognito.UpdateUserPoolInput) error {
	defer s.settings.changed()
	_, err := s.cfg.Store.UpdatePool(ctx, in.UserPoolID, func(rec *store.Pool) error {
		p, err := decodePool(*rec)
		if err != nil {
			return err
		}
		if err := applySettings(p, updateSettings(in)); err != nil {
			return err
		}
		if rec.Settings, err = encodePool(p); err != nil {
			return err
		}
		if in.PoolName != "" {
			rec.Name = in.PoolName
		}
		rec.UpdatedAt = s.now()
		return nil
	})
	return poolError(in.UserPoolID, err)
}

// DeletePool deletes a pool and everything in it, unless deletion
// protection is on or the pool still has a domain (Cognito makes the
// domain be deleted first, as it is a public endpoint).
func (s *Service) DeletePool(ctx context.Context, id string) error {
	defer s.settings.changed()
	return s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		rec, err := tx.GetPool(ctx, id)
		if err != nil {
			return poolError(id, err)
		}
		p, err := decodePool(rec)
		if err != nil {
			return err
		}
		if p.DeletionProtection == poolDeletionProtectionActive {
			return cognito.InvalidParameter(poolMsgDeletionProtected)
		}
		_, err = tx.GetPoolDomain(ctx, id)
		switch {
		case err == nil:
			return cognito.InvalidParameter(poolMsgPoolHasDomain)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		return poolError(id, tx.DeletePool(ctx, id))
	})
}

// ListPools returns one page of pools, ordered by id, and the token of the
// next page ("" on the last).
func (s *Service) ListPools(ctx context.Context, maxResults int64, nextToken string) ([]cognito.UserPoolDescriptionType, string, error) {
	after, err := decodeNextToken(listPoolsKind, nextToken)
	if err != nil {
		return nil, "", err
	}
	recs, next, err := s.cfg.Store.ListPools(ctx, store.Page{Limit: int(maxResults), After: after})
	if err != nil {
		return nil, "", err
	}
	out := make([]cognito.UserPoolDescriptionType, 0, len(recs))
	for _, rec := range recs {
		p, err := decodePool(rec)
		if err != nil {
			return nil, "", err
		}
		out = append(out, cognito.UserPoolDescriptionType{
			ID: p.ID, Name: p.Name, LambdaConfig: p.LambdaConfig, Status: poolStatus,
			CreationDate: p.CreationDate, LastModifiedDate: p.LastModifiedDate,
		})
	}
	return out, encodeNextToken(listPoolsKind, next), nil
}
