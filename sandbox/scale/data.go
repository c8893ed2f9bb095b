package scale

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// Scale AI's fixed data, kept per mode: live and test are separate worlds
// and nothing of one is visible from the other.

const (
	modeLive = "live"
	modeTest = "test"
)

// Callback auth keys the sandbox signs its callbacks with, one per mode,
// like the keys on a Scale dashboard.
const (
	LiveCallbackAuthKey = "live_cbauth_5f2c9e1a7b3d4c60"
	TestCallbackAuthKey = "test_cbauth_0e8b4a2f6c1d9e37"
)

// CallbackAuthKey returns the scale-callback-auth value for a key mode.
func CallbackAuthKey(mode string) string {
	if mode == modeLive {
		return LiveCallbackAuthKey
	}
	return TestCallbackAuthKey
}

type paramVersion struct {
	Instruction string `json:"instruction"`
	Version     int    `json:"version"`
	CreatedAt   string `json:"created_at"`
}

type project struct {
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	ParamHistory []paramVersion `json:"param_history"`
	CreatedAt    string         `json:"created_at"`
	staged       bool           // a Rapid or Studio project: its batches start in staging
}

func newProject(typ, name, instruction, created string) project {
	return project{Type: typ, Name: name, CreatedAt: created,
		ParamHistory: []paramVersion{{Instruction: instruction, Version: 0, CreatedAt: created}}}
}

var fixtureProjects = sync.OnceValue(func() map[string][]project {
	return map[string][]project{
		modeLive: {
			newProject("imageannotation", model.SandboxLiveProject, "Draw a box around every street sign, including partly hidden ones.", "2025-03-04T10:15:22.418Z"),
			newProject("categorization", "support-ticket-triage", "Pick the category that best fits the ticket.", "2025-04-17T08:02:09.771Z"),
			newProject("textcollection", "product-descriptions", "Write a two-sentence description of the product in the photo.", "2025-05-22T13:40:55.036Z"),
		},
		modeTest: {
			newProject("imageannotation", "street-signs-test", "Draw a box around every street sign (test run).", "2025-03-01T09:00:00.000Z"),
			newProject("categorization", "sandbox-triage", "Pick the category that best fits the ticket (test run).", "2025-04-02T16:30:12.250Z"),
		},
	}
})

// taskTypes are the v1 task types the official client's TaskType names.
var taskTypes = []string{"imageannotation", "categorization", "textcollection", "documenttranscription", "videoannotation",
	"lidarannotation", "annotation", "comparison", "cuboidannotation", "datacollection", "documentmodel", "laneannotation",
	"lidarlinking", "lidarsegmentation", "lidartopdown", "lineannotation", "namedentityrecognition", "pointannotation",
	"polygonannotation", "segmentannotation", "transcription", "videoboxannotation", "videoplaybackannotation",
	"videocuboidannotation", "sensorfusion", "chat", "chatexperimental", "chatlite", "multichat", "multistage"}

// taskParams are a task's parameters as the client sent them: every
// field of the create body that is not one of the task's own (project,
// instruction, callback_url…), kept whole (geometries, categories,
// fields, labels…) and written back with their keys sorted.
type taskParams map[string]json.RawMessage

type box struct {
	Label  string `json:"label"`
	Left   int    `json:"left"`
	Top    int    `json:"top"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type boxResponse struct {
	Annotations []box `json:"annotations"`
}

type task struct {
	TaskID      string          `json:"task_id"`
	CreatedAt   string          `json:"created_at"`
	UpdatedAt   string          `json:"updated_at"`
	CompletedAt string          `json:"completed_at,omitempty"`
	Type        string          `json:"type"`
	Status      string          `json:"status"`
	Instruction string          `json:"instruction"`
	Urgency     string          `json:"urgency"`
	Params      taskParams      `json:"params"`
	CallbackURL string          `json:"callback_url,omitempty"`
	Project     string          `json:"project"`
	IsTest      bool            `json:"is_test"`
	Metadata    map[string]any  `json:"metadata"`           // any JSON values, as Scale keeps them
	Response    json.RawMessage `json:"response,omitempty"` // the task type's shape
	rev         uint64          // bumped on every change, for optimistic updates
	size        int             // bytes as JSON, for the mode's budget
	UniqueID    string          `json:"unique_id,omitempty"`
	Tags        []string        `json:"tags,omitempty"`
	Batch       string          `json:"batch,omitempty"`
}

// fixtureTasks are generated from a few facts per mode so that every
// task differs and the list is long enough to page through.
// They are built on first use, like fixtureProjects: every command links
// the sandbox, and start-up should not pay for a server it may not run.
var fixtureTasks = sync.OnceValue(func() map[string][]task {
	return map[string][]task{
		modeLive: buildTasks(modeLive, model.SandboxLiveProject, 14),
		modeTest: buildTasks(modeTest, "street-signs-test", 12),
	}
})

func buildTasks(mode, projectName string, n int) []task {
	start := time.Date(2025, 6, 14, 9, 30, 0, 0, time.UTC)
	out := make([]task, n)
	for i := range out {
		created := start.Add(-time.Duration(i) * 97 * time.Minute)
		t := task{
			TaskID:      fixtureTaskID(mode, i),
			CreatedAt:   stamp(created),
			UpdatedAt:   stamp(created.Add(41 * time.Minute)),
			Type:        "imageannotation",
			Status:      "completed",
			Instruction: "Draw a box around every street sign.",
			Urgency:     "standard",
			Params:      imageParams(fmt.Sprintf("https://images.example.com/streets/%04d.jpg", 1200+i*7)),
			Project:     projectName,
			IsTest:      mode == modeTest,
			Metadata:    map[string]any{"batch": fmt.Sprintf("2025-06-w%d", 24-i/5)},
		}
		switch {
		case i < 2:
			t.Status, t.UpdatedAt = "pending", t.CreatedAt
		default:
			t.CompletedAt = t.UpdatedAt
			t.Response = wire.Encode(boxResponse{Annotations: []box{
				{Label: "stop_sign", Left: 120 + i*3, Top: 64 + i, Width: 48, Height: 48},
				{Label: "speed_limit", Left: 402 - i*5, Top: 88 + i*2, Width: 36, Height: 52},
			}})
		}
		out[i] = t
	}
	return out
}

func imageParams(attachment string) taskParams {
	return taskParams{"attachment": wire.Encode(attachment), "attachment_type": wire.Encode("image")}
}

// fixtureTaskID looks like Scale's 24-hex-digit task ids and is the same
// on every run.
func fixtureTaskID(mode string, i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s task %d", mode, i)))
	return hex.EncodeToString(sum[:12])
}

// stamp formats a time the way Scale does: UTC, milliseconds, Z.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
