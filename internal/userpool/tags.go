package userpool

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// Tags are the UserPoolTags of the pool's settings, so DescribeUserPool,
// CreateUserPool's tags and these actions all see one map.

// maxPoolTags is Cognito's documented limit: "A user pool can have as
// many as 50 tags."
const maxPoolTags = 50

// Answers about tags. TagResource's error list in the model has no
// tagging-specific exception (UserPoolTaggingException belongs to
// Create/UpdateUserPool), so the limit is an InvalidParameterException;
// the wording is ours.
const (
	msgBadPoolARN     = "%s is not a valid user pool ARN."
	msgTooManyTags    = "A user pool can have at most %d tags."
	msgEmptyTagKey    = "Tag keys must be at least 1 character long."
	msgReservedTagKey = "Tag keys may not begin with aws:, which is reserved for AWS use."
)

// poolARNRE matches arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>.
var poolARNRE = regexp.MustCompile(`^arn:[a-z-]+:cognito-idp:[a-z0-9-]+:[0-9]+:userpool/([\w-]+_[0-9a-zA-Z]+)$`)

// parsePoolARN returns the pool id an ARN names. A string that is not a
// user pool ARN is InvalidParameterException; a pool ARN that is not the
// one this server gives the pool (another partition, region or account)
// names a pool this server cannot have, so it is the pool's
// ResourceNotFoundException.
func (s *Service) parsePoolARN(arn string) (string, error) {
	m := poolARNRE.FindStringSubmatch(arn)
	if m == nil {
		return "", cognito.InvalidParameter(fmt.Sprintf(msgBadPoolARN, arn))
	}
	id := m[1]
	if arn != s.poolARN(id) {
		return "", poolError(id, store.ErrNotFound)
	}
	return id, nil
}

// updatePoolTags is the read-modify-write of a pool's tags. Tagging is not
// a configuration change, so LastModifiedDate stays as it was.
func (s *Service) updatePoolTags(ctx context.Context, arn string, fn func(tags map[string]string) error) error {
	defer s.settings.changed()
	id, err := s.parsePoolARN(arn)
	if err != nil {
		return err
	}
	_, err = s.cfg.Store.UpdatePool(ctx, id, func(rec *store.Pool) error {
		p, err := decodePool(*rec)
		if err != nil {
			return err
		}
		tags := maps.Clone(p.UserPoolTags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := fn(tags); err != nil {
			return err
		}
		p.UserPoolTags = tags
		if len(tags) == 0 {
			p.UserPoolTags = nil
		}
		b, err := encodePool(p)
		if err != nil {
			return err
		}
		rec.Settings = b
		return nil
	})
	return poolError(id, err)
}

func checkTagKey(k string) error {
	if k == "" {
		return cognito.InvalidParameter(msgEmptyTagKey)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return cognito.InvalidParameter(msgReservedTagKey)
	}
	return nil
}

// TagResource adds tags to a pool, replacing the values of keys it
// already has.
func (s *Service) TagResource(ctx context.Context, in *cognito.TagResourceInput) error {
	for k := range in.Tags {
		if err := checkTagKey(k); err != nil {
			return err
		}
	}
	return s.updatePoolTags(ctx, in.ResourceARn, func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxPoolTags {
			return cognito.InvalidParameter(fmt.Sprintf(msgTooManyTags, maxPoolTags))
		}
		return nil
	})
}

// UntagResource removes tags from a pool; keys it does not have are
// ignored.
func (s *Service) UntagResource(ctx context.Context, in *cognito.UntagResourceInput) error {
	for _, k := range in.TagKeys {
		if k == "" {
			return cognito.InvalidParameter(msgEmptyTagKey)
		}
	}
	return s.updatePoolTags(ctx, in.ResourceARn, func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
}

// ListTagsForResource returns a pool's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *cognito.ListTagsForResourceInput) (*cognito.ListTagsForResourceOutput, error) {
	id, err := s.parsePoolARN(in.ResourceARn)
	if err != nil {
		return nil, err
	}
	p, err := s.Pool(ctx, id)
	if err != nil {
		return nil, err
	}
	return &cognito.ListTagsForResourceOutput{Tags: p.UserPoolTags}, nil
}
