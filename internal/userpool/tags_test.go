package userpool

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

func TestParsePoolARN(t *testing.T) {
	s, _, _ := resTestService(t)
	for _, tc := range []struct {
		arn, wantID, wantType string
	}{
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc", "us-east-1_Abc", ""},
		// A pool keeps the region of its id.
		{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc", "eu-west-1_Abc", ""},
		{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_Abc", "", cognito.TypeResourceNotFound},
		{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_Abc", "", cognito.TypeResourceNotFound},
		{"arn:aws-cn:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc", "", cognito.TypeResourceNotFound},
		{"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1_Abc", "", cognito.TypeInvalidParameter},
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/", "", cognito.TypeInvalidParameter},
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc/client/x", "", cognito.TypeInvalidParameter},
		{"arn:aws:iam::123456789012:role/us-east-1_Abc", "", cognito.TypeInvalidParameter},
		{"us-east-1_Abc", "", cognito.TypeInvalidParameter},
	} {
		id, err := s.parsePoolARN(tc.arn)
		if tc.wantType == "" {
			if err != nil || id != tc.wantID {
				t.Errorf("parsePoolARN(%q) = %q, %v; want %q", tc.arn, id, err, tc.wantID)
			}
			continue
		}
		ce, ok := err.(*cognito.Error)
		if !ok || ce.Type != tc.wantType {
			t.Errorf("parsePoolARN(%q) = %q, %v; want %s", tc.arn, id, err, tc.wantType)
		}
	}
}

func TestTagLimitCountsExistingTags(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Tag1")
	arn := s.poolARN(pool)
	tags := map[string]string{}
	for i := range maxPoolTags - 1 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	resNoErr(t, s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: tags}))
	// Overwriting a key does not add a tag; the 50th is allowed, the 51st is not.
	resNoErr(t, s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: map[string]string{"k00": "new", "k49": "v"}}))
	err := s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: map[string]string{"k50": "v"}})
	resWantErr(t, err, cognito.TypeInvalidParameter, "A user pool can have at most 50 tags.")

	p, err := s.Pool(ctx, pool)
	resNoErr(t, err)
	if len(p.UserPoolTags) != maxPoolTags || p.UserPoolTags["k00"] != "new" {
		t.Errorf("UserPoolTags has %d tags, k00=%q", len(p.UserPoolTags), p.UserPoolTags["k00"])
	}
	// Settings other than the tags are untouched.
	if p.Name != "pool-"+pool || p.ARn != arn {
		t.Errorf("pool = %+v", p)
	}
}

func TestTagKeyRules(t *testing.T) {
	s, st, _ := resTestService(t)
	ctx := t.Context()
	pool := resTestPool(t, s, st, "us-east-1_Tag2")
	arn := s.poolARN(pool)
	err := s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: map[string]string{"": "v"}})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgEmptyTagKey)
	err = s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: map[string]string{"AWS:cloudformation:stack": "v"}})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgReservedTagKey)
	err = s.UntagResource(ctx, &cognito.UntagResourceInput{ResourceARn: arn, TagKeys: []string{""}})
	resWantErr(t, err, cognito.TypeInvalidParameter, msgEmptyTagKey)

	// Removing every tag leaves no empty map behind.
	resNoErr(t, s.TagResource(ctx, &cognito.TagResourceInput{ResourceARn: arn, Tags: map[string]string{"a": "1"}}))
	resNoErr(t, s.UntagResource(ctx, &cognito.UntagResourceInput{ResourceARn: arn, TagKeys: []string{"a", "never-set"}}))
	out, err := s.ListTagsForResource(ctx, &cognito.ListTagsForResourceInput{ResourceARn: arn})
	resNoErr(t, err)
	if diff := cmp.Diff(&cognito.ListTagsForResourceOutput{}, out); diff != "" {
		t.Errorf("tags after untag (-want +got):\n%s", diff)
	}
}
