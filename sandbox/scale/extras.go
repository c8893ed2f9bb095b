package scale

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"path"

	"github.com/authscope/authscope/sandbox/wire"
)

// teammate is one entry of GET /v1/teams, with the fields the client's
// Teammate reads.
type teammate struct {
	Email           string  `json:"email"`
	Role            string  `json:"role"`
	Company         string  `json:"company"`
	FirstName       string  `json:"firstName"`
	LastName        string  `json:"lastName"`
	IsStudioLabeler bool    `json:"isStudioLabeler"`
	Expiry          *string `json:"expiry"`
}

// sandboxTeam is the sandbox account's team, the same in both modes.
var sandboxTeam = []teammate{
	{Email: "ada@sandbox.example", Role: "admin", Company: "authscope sandbox", FirstName: "Ada", LastName: "Admin"},
	{Email: "max@sandbox.example", Role: "manager", Company: "authscope sandbox", FirstName: "Max", LastName: "Manager"},
	{Email: "lee@sandbox.example", Role: "labeler", Company: "authscope sandbox", FirstName: "Lee", LastName: "Labeler", IsStudioLabeler: true},
}

// listTeammates is GET /v1/teams.
func (s *Service) listTeammates(w http.ResponseWriter, r *http.Request) {
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(sandboxTeam))
}

// importedFile is what POST /v1/files/import answers: the file as Scale
// would host it. The sandbox never fetches file_url (it makes no requests
// off this machine) and keeps nothing, so the same URL gives the same id.
type importedFile struct {
	ID            string `json:"id"`
	AttachmentURL string `json:"attachment_url"`
	MimeType      string `json:"mimetype"`
	ProjectName   string `json:"project_name,omitempty"`
}

func (s *Service) importFile(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FileURL     string `json:"file_url"`
		ProjectName string `json:"project_name"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	u, err := url.Parse(body.FileURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		scaleFail(w, http.StatusBadRequest, "file_url must be a full http:// or https:// URL.")
		return
	}
	if body.ProjectName != "" {
		if _, ok := s.scale.project(scaleMode(r), body.ProjectName); !ok {
			scaleFail(w, http.StatusNotFound, projectNotFound(body.ProjectName))
			return
		}
	}
	id := fixtureTaskID("file "+scaleMode(r)+" "+body.FileURL, 0)
	mime := map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".pdf": "application/pdf"}[path.Ext(u.Path)]
	if mime == "" {
		mime = "application/octet-stream"
	}
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(importedFile{ID: id, AttachmentURL: "scaledata://" + id, MimeType: mime, ProjectName: body.ProjectName}))
}

// maxUpload bounds POST /v1/files/upload; the file is read through (and
// hashed for its id) but not kept.
const maxUpload = 8 << 20

// uploadFile is POST /v1/files/upload, multipart with a "file" part and
// form fields (project_name…), as the client's upload_file sends it.
func (s *Service) uploadFile(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		scaleFail(w, http.StatusBadRequest, "The request must be multipart/form-data with a file part.")
		return
	}
	var projectName, mime string
	var size int64
	sum := sha256.New()
	found := false
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || parts > 16 {
			if wire.TooLarge(err) {
				scaleFail(w, http.StatusRequestEntityTooLarge, "The file must be at most "+sizeText(maxUpload)+" in the sandbox.")
				return
			}
			scaleFail(w, http.StatusBadRequest, "The multipart body could not be read.")
			return
		}
		switch part.FormName() {
		case "file":
			found = true
			mime = part.Header.Get("Content-Type")
			size, err = io.Copy(sum, part)
		case "project_name":
			var b []byte
			b, err = io.ReadAll(io.LimitReader(part, 256))
			projectName = string(b)
		default:
			_, err = io.Copy(io.Discard, part)
		}
		if err != nil {
			if wire.TooLarge(err) {
				scaleFail(w, http.StatusRequestEntityTooLarge, "The file must be at most "+sizeText(maxUpload)+" in the sandbox.")
				return
			}
			scaleFail(w, http.StatusBadRequest, "The multipart body could not be read.")
			return
		}
	}
	if !found {
		scaleFail(w, http.StatusBadRequest, "A file part is required.")
		return
	}
	if projectName != "" {
		if _, ok := s.scale.project(scaleMode(r), projectName); !ok {
			scaleFail(w, http.StatusNotFound, projectNotFound(projectName))
			return
		}
	}
	if mime == "" {
		mime = "application/octet-stream"
	}
	id := hex.EncodeToString(sum.Sum(nil)[:12])
	wire.Write(w, http.StatusOK, wire.JSONUTF8, wire.Encode(uploadedFile{ID: id, AttachmentURL: "scaledata://" + id, MimeType: mime, Size: size, ProjectName: projectName}))
}

type uploadedFile struct {
	ID            string `json:"id"`
	AttachmentURL string `json:"attachment_url"`
	MimeType      string `json:"mimetype"`
	Size          int64  `json:"size"`
	ProjectName   string `json:"project_name,omitempty"`
}
