package doctor

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// manyEntries is a HAR of n entries: every 100th a 401 with a cookie.
func manyEntries(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		status := 200
		if i%100 == 99 {
			status = 401
		}
		fmt.Fprintf(&b, `{"startedDateTime":"2026-11-30T10:00:00Z","time":3,"request":{"method":"GET","url":"https://api.scaling.cloud/v1/incidents?cursor=%d","headers":[{"name":"Authorization","value":"Bearer scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze"},{"name":"Cookie","value":"sid=sess%08d"}]},"response":{"status":%d,"headers":[{"name":"X-Request-Id","value":"req-%05d"}],"content":{"mimeType":"application/json","text":"{\"statusCode\":%d,\"type\":\"not_authorized_error\",\"code\":\"invalid_api_key\",\"requestId\":\"req-%05d\"}"}}}`,
			i, i, status, i, status, i)
	}
	b.WriteString("]}}")
	return b.Bytes()
}

// 10,000 entries: every entry read, every request id collected, the same
// finding from 100 entries folded into one that lists them, and the
// redacted copy keeps every entry.
func TestTenThousandEntries(t *testing.T) {
	har := manyEntries(10000)
	rep, err := Examine(bytes.NewReader(har), Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Exchanges) != 10000 || len(rep.RequestIDs) != 10000 {
		t.Fatalf("%d entries, %d request ids", len(rep.Exchanges), len(rep.RequestIDs))
	}
	f, ok := has(rep, "response")
	if !ok || len(f.Entries) != 100 || !strings.Contains(f.EntriesText(), "and 92 more") {
		t.Fatalf("401s not folded into one finding: %v %q", ok, f.EntriesText())
	}
	out, err := Redact(har, Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Examine(bytes.NewReader(out), Options{Now: fixedNow})
	if err != nil || len(again.Exchanges) != 10000 {
		t.Fatalf("redacted: %v, %d entries", err, len(again.Exchanges))
	}
	if bytes.Contains(out, []byte("sess0000")) || bytes.Contains(out, []byte("9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze")) {
		t.Fatal("a secret survived")
	}
}
