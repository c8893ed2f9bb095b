package decode

import (
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/authscope/authscope/model"
)

// jsonShape recognises one JSON error shape and decodes it. The table is
// tried in order; the generic fallback last.
type jsonShape struct {
	shape  string
	match  func(x *decoding) bool
	decode func(x *decoding)
}

var jsonShapes = []jsonShape{
	{model.ShapeScaling, isScaling, decodeScaling},
	{model.ShapeScale, isScale, decodeScale},
	{model.ShapeGRPCGateway, isGRPCStatus, decodeGRPCStatus},
	{model.ShapeOAuth2, isOAuth2Error, decodeOAuth2Error},
	{model.ShapeProblem, isProblem, decodeProblem},
}

func (x *decoding) decodeJSON() {
	for _, s := range jsonShapes {
		if s.match(x) {
			x.setShape(s.shape, true)
			s.decode(x)
			x.listFields(s.shape)
			return
		}
	}
	x.decodeGenericJSON()
}

// listFields lists every leaf of the body with its meaning in the shape.
func (x *decoding) listFields(shape string) {
	leaves, more := flatten(x.root, maxListedFields)
	for _, f := range leaves {
		x.d.Fields = append(x.d.Fields, model.FieldMeaning{Path: f.Path, Value: f.Value, Meaning: meaningOf(shape, f.Path)})
	}
	if more {
		x.note("the body has more fields than listed here (the first %d are shown)", len(leaves))
	}
}

// Scaling: {"statusCode":401,"type":"not_authorized_error","code":"…","requestId":"…"}.

func isScaling(x *decoding) bool {
	r := x.root
	_, hasStatus := r.integer("statusCode")
	_, hasType := r.str("type")
	_, hasCode := r.str("code")
	return hasStatus && (hasType || hasCode)
}

func decodeScaling(x *decoding) {
	r, d := x.root, x.d
	status, _ := r.integer("statusCode")
	x.bodyStatus(status, "statusCode")
	typ, _ := r.str("type")
	code, _ := r.str("code")
	d.Message, _ = r.str("message")
	d.Code = code
	if code == "" {
		d.Code = typ
	}
	if e, ok := scalingCodes[code]; ok {
		x.explain(e)
	} else if code != "" {
		x.note("code %q is not one Scaling documents (%s)", code, strings.Join(sortedKeys(scalingCodes), ", "))
	}
	if e, ok := scalingTypes[typ]; ok {
		x.explain(e)
	} else if typ != "" {
		x.note("type %q is not one Scaling documents (%s)", typ, strings.Join(sortedKeys(scalingTypes), ", "))
	}
}

// Scale AI: {"status_code":401,"error":"…"}.

func isScale(x *decoding) bool {
	_, hasStatus := x.root.integer("status_code")
	_, hasError := x.root.str("error")
	return hasStatus && hasError
}

func decodeScale(x *decoding) {
	status, _ := x.root.integer("status_code")
	x.bodyStatus(status, "status_code")
	x.d.Message, _ = x.root.str("error")
	if e, ok := scaleStatuses[x.d.Status]; ok {
		x.explain(e)
	}
}

// grpc-gateway status: {"code":16,"message":"…","details":[{"@type":…}]}.

func isGRPCStatus(x *decoding) bool {
	r := x.root
	code, ok := r.integer("code")
	if !ok || code < 0 || code >= len(grpcCodes) {
		return false
	}
	_, hasMessage := r.str("message")
	details := r.get("details")
	return hasMessage || (details != nil && details.kind == jsonArray)
}

func decodeGRPCStatus(x *decoding) {
	r, d := x.root, x.d
	code, _ := r.integer("code")
	c := grpcCodes[code]
	d.Code, d.CodeName = strconv.Itoa(code), c.Name
	d.Message, _ = r.str("message")
	if d.Message == "" {
		d.Message, _ = r.str("error")
	}
	switch {
	case d.Status == 0:
		d.Status = c.HTTP
		d.StatusText = http499Text(c.HTTP)
		x.note("HTTP status %d inferred from gRPC code %d (grpc-gateway's mapping); the input had no status line", c.HTTP, code)
	case d.Status != c.HTTP:
		x.note("grpc-gateway answers code %d %s with HTTP %d, but the response status was %d", code, c.Name, c.HTTP, d.Status)
	}
	if e, ok := grpcOverlay[x.provider()][code]; ok {
		x.explain(e)
	}
	x.explain(c.explanation)
	if details := r.get("details"); details != nil && details.kind == jsonArray {
		x.decodeGRPCDetails(details)
	}
}

// http499Text names grpc-gateway's non-standard 499.
func http499Text(status int) string {
	if status == 499 {
		return "Client Closed Request"
	}
	return http.StatusText(status)
}

// decodeGRPCDetails reads the ErrorInfo details (Scalekit's and
// google.rpc's): a code name that disagrees, a localized message, help
// links and field violations become part of the report.
func (x *decoding) decodeGRPCDetails(details *jsonNode) {
	d := x.d
	var links, violations []string
	for _, det := range details.vals {
		if ec, ok := det.getFold("error_code").scalar(); ok && ec != d.CodeName {
			if _, known := grpcByName(ec); known {
				x.note("details error_code %s differs from the status code %s", ec, d.CodeName)
			}
		}
		if d.Message == "" {
			d.Message, _ = det.at("localized_message_info.message").scalar()
		}
		for _, path := range []string{"help_info.links", "links"} {
			if l := det.at(path); l != nil && l.kind == jsonArray {
				for _, link := range l.vals {
					if u, ok := link.getFold("url").scalar(); ok {
						links = append(links, u)
					}
				}
			}
		}
		for _, path := range []string{"validation_error_info.field_violations", "field_violations"} {
			if v := det.at(path); v != nil && v.kind == jsonArray {
				for _, fv := range v.vals {
					field, _ := fv.getFold("field").scalar()
					why, _ := fv.getFold("description").scalar()
					violations = append(violations, strings.TrimSpace(field+" "+parenthesise(why)))
				}
			}
		}
	}
	if len(violations) > 0 {
		d.Advice = strings.TrimSpace(d.Advice + " Invalid fields: " + strings.Join(capList(violations, 10), "; ") + ".")
	}
	if len(links) > 0 {
		d.Advice = strings.TrimSpace(d.Advice + " Documentation: " + strings.Join(capList(links, 5), ", "))
	}
}

// RFC 6749 §5.2: {"error":"invalid_client","error_description":…,"error_uri":…}.

func isOAuth2Error(x *decoding) bool {
	code, ok := x.root.str("error")
	if !ok || x.root.has("status_code") {
		return false
	}
	_, known := oauthErrors[code]
	return known || x.root.has("error_description") || x.root.has("error_uri")
}

func decodeOAuth2Error(x *decoding) {
	r, d := x.root, x.d
	d.Code, _ = r.str("error")
	d.Message, _ = r.str("error_description")
	if e, ok := oauthOverlay[x.provider()][d.Code]; ok {
		x.explain(e)
	}
	if e, ok := oauthErrors[d.Code]; ok {
		x.explain(e)
	} else {
		x.note("error %q is not one of RFC 6749's token error codes", d.Code)
	}
	if d.Meaning == "" { // an unknown or empty code still gets a meaning
		d.Meaning = "The token endpoint refused the request with an error code RFC 6749 §5.2 does not define."
		if d.Advice == "" {
			d.Advice = "Read error_description, if any, and the provider's documentation for this code."
		}
	}
	if uri, ok := r.str("error_uri"); ok && uri != "" {
		d.Advice = strings.TrimSpace(d.Advice + " More: " + uri)
	}
}

// RFC 9457 problem details.

var problemMembers = map[string]jsonKind{"type": jsonString, "title": jsonString, "status": jsonNumber, "detail": jsonString, "instance": jsonString}

func isProblem(x *decoding) bool {
	if x.root.kind != jsonObject {
		return false
	}
	if mt, _, _ := mime.ParseMediaType(x.header.Get("Content-Type")); mt == "application/problem+json" {
		return true
	}
	n := 0
	for k, kind := range problemMembers {
		if v := x.root.get(k); v != nil && v.kind == kind {
			n++
		}
	}
	return n >= 2 && (x.root.has("title") || x.root.has("detail"))
}

func decodeProblem(x *decoding) {
	r, d := x.root, x.d
	if status, ok := r.integer("status"); ok {
		x.bodyStatus(status, "status")
	}
	typ, _ := r.str("type")
	if typ != "" && typ != "about:blank" {
		d.Code = typ
	}
	d.Message, _ = r.str("detail")
	if d.Message == "" {
		d.Message, _ = r.str("title")
	}
	if e, ok := statusExplanation(x.provider(), d.Status); ok {
		x.explain(e)
	}
	if strings.HasPrefix(typ, "https://") || strings.HasPrefix(typ, "http://") {
		d.Advice = strings.TrimSpace(d.Advice + " The problem type may be documented at " + typ)
	}
}

// The generic fallback: any JSON, searched for a message, a code and a
// status under the usual names.

func (x *decoding) decodeGenericJSON() {
	r, d := x.root, x.d
	obj := r
	if r.kind == jsonArray && len(r.vals) > 0 && r.vals[0].kind == jsonObject {
		obj = r.vals[0] // [{"message":…}]: a list of errors
	}
	d.Message = firstScalar(obj, messagePaths)
	d.Code = firstScalar(obj, codePaths)
	// A string "error" is a sentence or a code; it fills whichever is open.
	if e, ok := obj.str("error"); ok && e != "" {
		if looksLikeMessage(e) && d.Message == "" {
			d.Message = clip(e, 4096)
		} else if !looksLikeMessage(e) && d.Code == "" {
			d.Code = clip(e, 256)
		}
	}
	for _, k := range []string{"status", "statusCode", "status_code", "http_status"} {
		if s, ok := obj.getFold(k).scalar(); ok {
			if n, err := strconv.Atoi(s); err == nil {
				x.bodyStatus(n, k)
				break
			}
		}
	}
	id, _ := bodyRequestID(obj)
	found := d.Message != "" || d.Code != "" || id != ""
	if found {
		x.setShape(model.ShapeGenericJSON, true)
	} else {
		x.setShape(model.ShapeUnknown, false)
		x.note("the body is JSON, but no field holds an error message, code or request id under a name authscope knows")
	}
	x.listFields(model.ShapeGenericJSON)
}

// firstScalar returns the first path whose value is a non-empty string
// or a number.
func firstScalar(n *jsonNode, paths []string) string {
	for _, p := range paths {
		if s, isScalar := n.at(p).scalar(); isScalar && s != "" {
			return clip(s, 4096)
		}
	}
	return ""
}

// looksLikeMessage tells a sentence from a code: codes have no spaces.
func looksLikeMessage(s string) bool { return strings.ContainsAny(strings.TrimSpace(s), " \t\n") }

func parenthesise(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func capList(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], "…")
}

func sortedKeys(m map[string]explanation) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
