package decode

import (
	"bytes"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/model"
)

// addDecodeSeeds adds every example body as a seed (the corpus files in
// testdata/fuzz add odd framings on top).
func addDecodeSeeds(f *testing.F, add func(b []byte)) {
	files, err := filepath.Glob(filepath.Join("testdata", "decode", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
		add(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
	}
}

var knownShapes = map[string]bool{
	model.ShapeScaling: true, model.ShapeGRPCGateway: true, model.ShapeOAuth2: true, model.ShapeBearerChallenge: true,
	model.ShapeProblem: true, model.ShapeScale: true, model.ShapeGenericJSON: true, model.ShapeHTML: true,
	model.ShapeText: true, model.ShapeEmpty: true, model.ShapeUnknown: true,
}

func FuzzDecodeBytes(f *testing.F) {
	hints := []string{"", "scaling", "scalekit", "scale"}
	i := 0
	addDecodeSeeds(f, func(b []byte) {
		f.Add(b, hints[i%len(hints)])
		i++
	})
	f.Fuzz(func(t *testing.T, input []byte, hint string) {
		d := Bytes(input, hint)
		if !knownShapes[d.Shape] || d.ShapeTitle == "" {
			t.Fatalf("shape %q title %q", d.Shape, d.ShapeTitle)
		}
		if d.Recognised != (d.Shape != model.ShapeUnknown) {
			t.Fatalf("recognised %v for shape %s", d.Recognised, d.Shape)
		}
		if d.Meaning == "" {
			t.Fatal("no meaning")
		}
		if len(d.Fields) > maxListedFields+maxAuthParams+2 {
			t.Fatalf("%d fields", len(d.Fields))
		}
		if len(d.Message) > maxMessageText+64 || len(d.Code) > maxCodeText+64 || len(d.RequestID) > 256+64 {
			t.Fatalf("unbounded text: message %d, code %d, id %d", len(d.Message), len(d.Code), len(d.RequestID))
		}
		for _, f := range append(d.Fields, d.Headers...) {
			if len(f.Value) > maxValueText+64 {
				t.Fatalf("field %s holds %d bytes", f.Path, len(f.Value))
			}
		}
		Diagnose(&d, Sent{Provider: hint, AuthScheme: "Bearer"})
		if strings.Contains(d.LikelyCause, "\n") {
			t.Fatalf("likely cause spans lines: %q", d.LikelyCause)
		}
	})
}

func FuzzParseRawResponse(f *testing.F) {
	addDecodeSeeds(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, input []byte) {
		r, ok := ParseRawResponse(input)
		if !ok {
			if r != nil {
				t.Fatal("a response returned with ok false")
			}
			return
		}
		if r.Status < 100 || r.Status > 999 || !strings.HasPrefix(r.Proto, "HTTP/") {
			t.Fatalf("status line %q %d", r.Proto, r.Status)
		}
		for name := range r.Header {
			if name != textproto.CanonicalMIMEHeaderKey(name) {
				t.Fatalf("header %q not canonical", name)
			}
		}
		if len(r.Header) > maxRawHeaders {
			t.Fatalf("%d headers", len(r.Header))
		}
		// Without framing to undo, the body is exactly the end of the input.
		framed := r.Header.Get("Transfer-Encoding") != ""
		if !framed && !bytes.HasSuffix(input, r.Body) {
			t.Fatalf("body %q is not the end of the input", r.Body)
		}
	})
}
