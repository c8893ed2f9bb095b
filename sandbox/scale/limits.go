package scale

import "strconv"

// Every collection the Scale sandbox keeps is capped, so that no sequence
// of requests grows its memory or its answers without bound. Where Scale
// itself has a limit the sandbox refuses with Scale's error shape (400);
// where a collection is the sandbox's own bookkeeping, the oldest entry
// makes way.
const (
	// What clients create, per mode; the oldest created makes way and
	// fixtures are never evicted.
	maxCreatedProjects = 100
	maxCreatedTasks    = 500
	maxCreatedBatches  = 100
	// The tasks of a mode as JSON: past it the oldest created make way
	// too (a task is at most one request body, wire.MaxBody).
	maxModeTaskBytes = 16 << 20

	// A project's param_history: versions and instruction bytes, per
	// project and per mode (GET /v1/projects answers every project with
	// its history, so the mode's budget bounds that answer). Reaching one
	// is a 400.
	maxParamVersions     = 20
	maxProjectParamBytes = 256 << 10
	maxModeParamBytes    = 2 << 20

	// A task's tags and a task's or batch's metadata (as JSON); a 400
	// beyond them.
	maxTags          = 50
	maxTagLength     = 128
	maxMetadataBytes = 16 << 10
	// A unique_id, an instruction… are as long as a body allows, but an
	// id the store indexes is kept short.
	maxUniqueIDLength = 256
)

func itoa(n int) string { return strconv.Itoa(n) }

// sizeText writes a byte count the way the limits are stated (KiB, MiB).
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return itoa(n>>20) + " MiB"
	}
	return itoa(n>>10) + " KiB"
}
