package requests

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPrettyJSON(t *testing.T) {
	got, ok := PrettyJSON([]byte(`{"error":{"code":"invalid_api_key","list":[1,2]}}`))
	want := "{\n  \"error\": {\n    \"code\": \"invalid_api_key\",\n    \"list\": [\n      1,\n      2\n    ]\n  }\n}"
	if !ok || got != want {
		t.Fatalf("%v\n%s", ok, got)
	}
	for _, body := range []string{"", "plain text", `"a string"`, `{"broken":`, "<html>"} {
		if got, ok := PrettyJSON([]byte(body)); ok || got != body {
			t.Errorf("%q: %v %q", body, ok, got)
		}
	}
}

// Indentation must not amplify a small hostile body into a huge one.
func TestPrettyJSONRefusesAmplification(t *testing.T) {
	deep := strings.Repeat("[", 9000) + strings.Repeat("]", 9000) // valid, 18 KB
	if !json.Valid([]byte(deep)) {
		t.Fatal("the test body should be valid JSON")
	}
	if got, ok := PrettyJSON([]byte(deep)); ok || len(got) != len(deep) {
		t.Fatalf("9,000-deep JSON was indented to %d bytes", len(got))
	}
	wide := "[" + strings.Repeat(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],`, 2000) + "1]"
	if got, ok := PrettyJSON([]byte(wide)); ok && len(got) > maxPrettyGrowth*len(wide)+prettySlack {
		t.Fatalf("indented to %d bytes from %d", len(got), len(wide))
	}
}

// The estimate is an upper bound of what json.Indent writes.
func TestIndentedSizeIsAnUpperBound(t *testing.T) {
	for _, body := range []string{`{"a":[1,2,{"b":"x,y:{"}],"c":{}}`, `[[],[[]],{"k":"\"]"}]`, `{"s":"\\"}`} {
		got, ok := PrettyJSON([]byte(body))
		size, _ := indentedSize([]byte(body))
		if !ok || size < len(got) {
			t.Errorf("%s: estimate %d < actual %d", body, size, len(got))
		}
	}
}
