package sandbox

import "sync"

// maxCreatedProjects bounds the projects created per mode. The oldest
// created project makes way for a new one; fixtures are never evicted.
const maxCreatedProjects = 100

// scaleState is what Scale keeps between requests: the projects created
// through POST /v1/projects, per mode.
type scaleState struct {
	mu      sync.Mutex
	created map[string][]project // mode → created projects, oldest first
}

func newScaleState() *scaleState {
	return &scaleState{created: map[string][]project{}}
}

// projects lists a mode's projects: fixtures, then those created.
func (st *scaleState) projects(mode string) []project {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]project, 0, len(fixtureProjects[mode])+len(st.created[mode]))
	out = append(out, fixtureProjects[mode]...)
	return append(out, st.created[mode]...)
}

func (st *scaleState) project(mode, name string) (project, bool) {
	for _, p := range st.projects(mode) {
		if p.Name == name {
			return p, true
		}
	}
	return project{}, false
}

// create stores p unless the name is taken. Sending the very same
// project again (same type and instruction) returns the stored one, so
// that running the create sample twice against one sandbox is not a
// conflict; any other reuse of a name is Scale's 409.
func (st *scaleState) create(mode string, p project) (project, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, f := range fixtureProjects[mode] {
		if f.Name == p.Name {
			return f, false
		}
	}
	list := st.created[mode]
	for _, c := range list {
		if c.Name == p.Name {
			same := c.Type == p.Type && c.ParamHistory[0].Instruction == p.ParamHistory[0].Instruction
			return c, same
		}
	}
	if len(list) >= maxCreatedProjects {
		list = append(list[:0:0], list[1:]...)
	}
	st.created[mode] = append(list, p)
	return p, true
}
