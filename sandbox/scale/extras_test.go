package scale

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/wire"
)

func TestScaleTeamsAndFileImportGoldens(t *testing.T) {
	sb := newSandbox(t)
	auth := []string{"Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", "application/json"}
	sb.ExpectGolden("scale_teams", sb.Get("/scale/v1/teams", auth...))
	sb.ExpectGolden("scale_files_import", sb.Do("POST", "/scale/v1/files/import",
		`{"file_url":"https://static.scale.com/uploads/selfserve-sample-image.png","project_name":"sandbox-triage"}`, auth...))
	sb.ExpectGolden("scale_files_import_bad_url", sb.Do("POST", "/scale/v1/files/import", `{"file_url":"file:///etc/passwd"}`, auth...))
	// The upload's larger bound is for the upload alone.
	big := `{"file_url":"https://x/` + strings.Repeat("a", wire.MaxBody) + `"}`
	if a := sb.Do("POST", "/scale/v1/files/import", big, auth...); a.Status != 413 {
		t.Errorf("a %d-byte import: %d", len(big), a.Status)
	}
}

func uploadBody(t *testing.T, fileSize int, project string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if project != "" {
		mw.WriteField("project_name", project)
	}
	fw, err := mw.CreateFormFile("file", "cows.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(bytes.Repeat([]byte{0x89}, fileSize))
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// An upload larger than MaxBody streams through (the client's test image
// is 340 KB); one past maxUpload is a 413; the file is not kept.
func TestScaleFileUpload(t *testing.T) {
	sb := newSandbox(t)
	body, ct := uploadBody(t, 340<<10, "sandbox-triage")
	a := sb.Do("POST", "/scale/v1/files/upload", body, "Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", ct)
	sb.ExpectGolden("scale_files_upload", a)
	body, ct = uploadBody(t, maxUpload+1, "")
	if a := sb.Do("POST", "/scale/v1/files/upload", body, "Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", ct); a.Status != 413 {
		t.Errorf("upload past the bound: %d %s", a.Status, a.Body)
	}
	body, ct = uploadBody(t, 10, "no-such-project")
	if a := sb.Do("POST", "/scale/v1/files/upload", body, "Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", ct); a.Status != 404 {
		t.Errorf("upload to an unknown project: %d %s", a.Status, a.Body)
	}
	if a := sb.Do("POST", "/scale/v1/files/upload", "{}", "Authorization", sbtest.BasicKey(sbtest.ScaleTestKey), "Content-Type", "application/json"); a.Status != 400 {
		t.Errorf("upload without multipart: %d %s", a.Status, a.Body)
	}
}
