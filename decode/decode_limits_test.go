package decode

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

const twentyMB = 20 << 20

// 20 MB bodies of every kind decode to a bounded report: the known
// fields are still found, the listing is capped, nothing is copied into
// the report whole.
func TestDecodeTwentyMegabytes(t *testing.T) {
	bigString := strings.Repeat("x", twentyMB)
	var manyFields strings.Builder
	manyFields.WriteString(`{"message":"first","requestId":"big-1","items":[`)
	for manyFields.Len() < twentyMB {
		manyFields.WriteString(`{"id":12345,"name":"item"},`)
	}
	manyFields.WriteString(`{}]}`)

	cases := []struct {
		name    string
		body    string
		shape   string
		message string
	}{
		{"JSON with a huge string", `{"statusCode":500,"type":"internal_error","requestId":"big-0","message":"` + bigString + `"}`, model.ShapeScaling, ""},
		{"JSON with a huge array", manyFields.String(), model.ShapeGenericJSON, "first"},
		{"plain text", bigString, model.ShapeText, ""},
		{"HTML", "<html><head><title>Big</title></head><body>" + bigString + "</body></html>", model.ShapeHTML, "Big"},
		{"deep nesting", strings.Repeat("[", twentyMB/2) + strings.Repeat("]", twentyMB/2), "", ""},
		{"binary", "\x00" + bigString, model.ShapeUnknown, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Decode(Input{Status: 500, Body: []byte(c.body)})
			if c.shape != "" && d.Shape != c.shape {
				t.Fatalf("shape %q, want %q (notes %q)", d.Shape, c.shape, d.Notes)
			}
			if c.message != "" && d.Message != c.message {
				t.Errorf("message %q, want %q", clip(d.Message, 40), c.message)
			}
			if len(d.Fields) > maxListedFields+1 {
				t.Errorf("%d fields listed, cap is %d", len(d.Fields), maxListedFields)
			}
			total := len(d.Message) + len(d.Meaning) + len(d.Advice)
			for _, f := range append(d.Fields, d.Headers...) {
				total += len(f.Path) + len(f.Value) + len(f.Meaning)
			}
			if total > 1<<20 {
				t.Errorf("the report holds %d bytes of a %d-byte body", total, len(c.body))
			}
		})
	}
}

// The JSON tree stops growing at its node budget; what is past it is
// summarised, and the listing says more fields exist.
func TestDecodeManyFieldsIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"message":"m"`)
	for i := 0; i < 3*maxJSONNodes; i++ {
		b.WriteString(`,"k":1`)
	}
	b.WriteString(`}`)
	d := Bytes([]byte(b.String()), "")
	if d.Message != "m" || len(d.Fields) != maxListedFields || !containsNote(d, "more fields than listed") {
		t.Fatalf("message %q, %d fields, notes %q", d.Message, len(d.Fields), d.Notes)
	}
}

func TestDecodeInvalidUTF8(t *testing.T) {
	body := []byte("{\"message\":\"bad \xff\xfe byte\",\"code\":\"E\"}")
	d := Bytes(body, "")
	if d.Shape != model.ShapeGenericJSON || !containsNote(d, "not valid UTF-8") || !containsNote(d, "offset 16") {
		t.Fatalf("%+v", d)
	}
	d = Bytes([]byte("Unauthorized \xc3\x28"), "")
	if d.Shape != model.ShapeText || !containsNote(d, "not valid UTF-8") {
		t.Fatalf("%+v", d)
	}
}

// curl without --compressed leaves gzip on the body.
func TestDecodeGzipBody(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"gz"}`))
	zw.Close()
	d := Decode(Input{Status: 401, Body: zipped.Bytes()})
	if d.Shape != model.ShapeScaling || d.RequestID != "gz" || !containsNote(d, "gzip") {
		t.Fatalf("%+v", d)
	}
}

func TestDecodeBrokenJSONFallsBackToText(t *testing.T) {
	for _, body := range []string{`{"message":"cut`, `{"a":}`, `[1,2`, `{"a":1}{"b":2}`} {
		d := Bytes([]byte(body), "")
		if d.Shape == "" || d.ShapeTitle == "" || d.Meaning == "" {
			t.Errorf("%s: %+v", body, d)
		}
	}
}

func BenchmarkDecodeTwentyMegabyteJSON(b *testing.B) {
	body := []byte(`{"statusCode":500,"type":"internal_error","requestId":"r","message":"` + strings.Repeat("x", twentyMB) + `"}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(Input{Status: 500, Body: body})
	}
}
