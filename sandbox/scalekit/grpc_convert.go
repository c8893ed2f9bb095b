package scalekit

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/wire"
)

// Conversions between the store's organization (the REST face's JSON
// shape) and the gRPC face's messages.

func regionToProto(code string) commons.RegionCode {
	return commons.RegionCode(commons.RegionCode_value[code]) // "" and unknown → UNSPECIFIED
}

func regionFromProto(code commons.RegionCode) string {
	if code == commons.RegionCode_REGION_CODE_UNSPECIFIED {
		return ""
	}
	return code.String()
}

func timeToProto(s string) *timestamppb.Timestamp {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	return timestamppb.New(t)
}

func orgToProto(o organization) *orgpb.Organization {
	out := &orgpb.Organization{
		Id: o.ID, CreateTime: timeToProto(o.CreateTime), UpdateTime: timeToProto(o.UpdateTime),
		DisplayName: o.DisplayName, RegionCode: regionToProto(o.RegionCode), Metadata: o.Metadata,
		Settings: &orgpb.OrganizationSettings{},
	}
	if o.ExternalID != "" {
		out.ExternalId = &o.ExternalID
	}
	if o.Slug != "" {
		out.Slug = &o.Slug
	}
	if o.LogoURL != "" {
		out.LogoUrl = &o.LogoURL
	}
	for _, f := range o.Settings.Features {
		out.Settings.Features = append(out.Settings.Features, &orgpb.OrganizationSettingsFeature{Name: f.Name, Enabled: f.Enabled})
	}
	return out
}

func orgsToProto(list []organization) []*orgpb.Organization {
	out := make([]*orgpb.Organization, len(list))
	for i, o := range list {
		out[i] = orgToProto(o)
	}
	return out
}

// checkNewOrg is Scalekit's validation of a new organization's fields,
// shared by both faces; it returns the violations, none when valid.
func checkNewOrg(displayName, externalID string, metadata map[string]string) []fieldViolation {
	var out []fieldViolation
	name := strings.TrimSpace(displayName)
	switch {
	case name == "":
		out = append(out, fieldViolation{Field: "display_name", Description: "value is required"})
	case utf8.RuneCountInString(name) > 200:
		out = append(out, fieldViolation{Field: "display_name", Description: "value length must be at most 200 characters"})
	}
	if utf8.RuneCountInString(externalID) > 200 {
		out = append(out, fieldViolation{Field: "external_id", Description: "value length must be at most 200 characters"})
	}
	if len(metadata) > 10 {
		out = append(out, fieldViolation{Field: "metadata", Description: "at most 10 keys"})
	}
	return out
}

// slugPattern is Scalekit's rule for a slug (buf.validate on
// CreateOrganization.slug): one DNS label or a hostname, lowercase.
var slugPattern = model.LazyRegexp(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$`)

// checkSlugLogo validates the optional slug and logo_url (nil when not
// sent). An update may send an empty one to clear it; a create may not.
func checkSlugLogo(slug, logoURL *string, update bool) []fieldViolation {
	var out []fieldViolation
	if slug != nil && !(update && *slug == "") && (len(*slug) > 253 || !slugPattern().MatchString(*slug)) {
		out = append(out, fieldViolation{Field: "slug", Description: "value must be a lowercase DNS label or hostname of at most 253 characters"})
	}
	if logoURL != nil && !(update && *logoURL == "") && !logoURLOK(*logoURL) {
		out = append(out, fieldViolation{Field: "logo_url", Description: "value must be an http or https URL of at most 1024 characters"})
	}
	return out
}

// logoURLOK reports whether s may be shown as an organization's logo: an
// admin console renders it as an image's address, so neither a script
// URL nor text that hides its own shape (controls, bidi marks) may pass.
func logoURLOK(s string) bool {
	if !utf8.ValidString(s) || badText(s) || utf8.RuneCountInString(s) > 1024 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// restNewOrg is the REST face's POST /api/v1/organizations body.
type restNewOrg struct {
	DisplayName string            `json:"display_name"`
	RegionCode  string            `json:"region_code"`
	ExternalID  string            `json:"external_id"`
	Metadata    map[string]string `json:"metadata"`
	Slug        *string           `json:"slug"`
	LogoURL     *string           `json:"logo_url"`
}

// createOrganizationREST is POST /api/v1/organizations, so that an
// organization made over REST is seen by the gRPC face too.
func (s *Service) createOrganizationREST(w http.ResponseWriter, r *http.Request) {
	var body restNewOrg
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil {
		if wire.TooLarge(err) {
			grpcFail(w, grpcResourceExhausted, "request body too large", "RESOURCE_EXHAUSTED")
			return
		}
		grpcFail(w, grpcInvalidArgument, "invalid JSON body", "INVALID_ARGUMENT")
		return
	}
	if v := append(checkNewOrg(body.DisplayName, body.ExternalID, body.Metadata), checkSlugLogo(body.Slug, body.LogoURL, false)...); len(v) > 0 {
		grpcFail(w, grpcInvalidArgument, "invalid organization: "+v[0].Field+" "+v[0].Description, "INVALID_ARGUMENT", v...)
		return
	}
	o, ok := s.orgs.add(organization{DisplayName: strings.TrimSpace(body.DisplayName), RegionCode: body.RegionCode,
		ExternalID: body.ExternalID, Metadata: body.Metadata, Slug: deref(body.Slug), LogoURL: deref(body.LogoURL)}, s.now())
	if !ok {
		grpcFail(w, grpcAlreadyExists, "organization with this external_id already exists", "ALREADY_EXISTS")
		return
	}
	writeOrganization(w, http.StatusCreated, o)
}

// deref is *p, or "" when p is nil (an optional field not sent).
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
