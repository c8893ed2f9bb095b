package scale

import (
	"maps"
	"slices"
	"sync"
)

// What a client adds is bounded per mode; the oldest added makes way for
// a new one, and fixtures are never evicted.
const (
	maxCreatedProjects = 100
	maxCreatedTasks    = 500
	maxCreatedBatches  = 100
)

// scaleState is what Scale keeps between requests, per mode ("live" or
// "test", never visible from the other): projects, tasks and batches, the
// fixtures first copied in, then what clients create and change.
type scaleState struct {
	mu       sync.Mutex
	projects map[string][]project // mode → fixtures, then created, oldest first
	tasks    map[string][]task    // mode → newest first, the order lists use
	batches  map[string][]batch   // mode → oldest first
	fixture  map[string]bool      // project names and task ids that are fixtures
}

func newScaleState() *scaleState {
	st := &scaleState{projects: map[string][]project{}, tasks: map[string][]task{}, batches: map[string][]batch{}, fixture: map[string]bool{}}
	for mode, list := range fixtureProjects {
		st.projects[mode] = slices.Clone(list)
		for _, p := range list {
			st.fixture[mode+"/p/"+p.Name] = true
		}
	}
	for mode, list := range fixtureTasks {
		st.tasks[mode] = slices.Clone(list)
		for _, t := range list {
			st.fixture[mode+"/t/"+t.TaskID] = true
		}
	}
	return st
}

// projectList lists a mode's projects: fixtures, then those created.
func (st *scaleState) projectList(mode string) []project {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.projects[mode])
}

func (st *scaleState) project(mode, name string) (project, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.projectIndexLocked(mode, name); i >= 0 {
		return st.projects[mode][i], true
	}
	return project{}, false
}

func (st *scaleState) projectIndexLocked(mode, name string) int {
	return slices.IndexFunc(st.projects[mode], func(p project) bool { return p.Name == name })
}

// create stores p unless the name is taken. Sending the very same
// project again (same type and instruction) returns the stored one, so
// that running the create sample twice against one sandbox is not a
// conflict; any other reuse of a name is Scale's 409.
func (st *scaleState) create(mode string, p project) (project, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.projectIndexLocked(mode, p.Name); i >= 0 {
		c := st.projects[mode][i]
		if st.fixture[mode+"/p/"+c.Name] {
			return c, false
		}
		same := c.Type == p.Type && c.ParamHistory[0].Instruction == p.ParamHistory[0].Instruction
		return c, same
	}
	list := st.projects[mode]
	created := 0
	for _, c := range list {
		if !st.fixture[mode+"/p/"+c.Name] {
			created++
		}
	}
	if created >= maxCreatedProjects {
		oldest := slices.IndexFunc(list, func(c project) bool { return !st.fixture[mode+"/p/"+c.Name] })
		list = slices.Delete(slices.Clone(list), oldest, oldest+1)
	}
	st.projects[mode] = append(list, p)
	return p, true
}

// setParams adds a version to a project's param history, as
// POST /v1/projects/{name}/setParams does.
func (st *scaleState) setParams(mode, name string, v paramVersion) (project, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.projectIndexLocked(mode, name)
	if i < 0 {
		return project{}, false
	}
	p := st.projects[mode][i]
	v.Version = len(p.ParamHistory)
	p.ParamHistory = append(slices.Clone(p.ParamHistory), v) // replaced, never changed in place
	st.projects[mode] = slices.Clone(st.projects[mode])
	st.projects[mode][i] = p
	return p, true
}

// taskList is a mode's tasks, newest first.
func (st *scaleState) taskList(mode string) []task {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.tasks[mode])
}

func (st *scaleState) task(mode, id string) (task, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := slices.IndexFunc(st.tasks[mode], func(t task) bool { return t.TaskID == id }); i >= 0 {
		return st.tasks[mode][i], true
	}
	return task{}, false
}

// uniqueOwnerLocked is the id of the task using uniqueID, "" if none.
func (st *scaleState) uniqueOwnerLocked(mode, uniqueID string) string {
	if uniqueID == "" {
		return ""
	}
	for _, t := range st.tasks[mode] {
		if t.UniqueID == uniqueID {
			return t.TaskID
		}
	}
	return ""
}

// addTask stores a new task; it returns the id of the task already using
// its unique_id instead when there is one.
func (st *scaleState) addTask(mode string, t task) (owner string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if owner := st.uniqueOwnerLocked(mode, t.UniqueID); owner != "" {
		return owner
	}
	list := append([]task{t}, st.tasks[mode]...)
	created := 0
	for _, c := range list {
		if !st.fixture[mode+"/t/"+c.TaskID] {
			created++
		}
	}
	if created > maxCreatedTasks {
		// The oldest created task is the last one that is not a fixture.
		for i := len(list) - 1; i >= 0; i-- {
			if !st.fixture[mode+"/t/"+list[i].TaskID] {
				list = slices.Delete(list, i, i+1)
				break
			}
		}
	}
	st.tasks[mode] = list
	return ""
}

// changeTask applies change to a copy of the task and stores it unless
// change returns a problem (an HTTP status and Scale's message).
func (st *scaleState) changeTask(mode, id string, change func(t *task, owner func(string) string) (int, string)) (task, int, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := slices.IndexFunc(st.tasks[mode], func(t task) bool { return t.TaskID == id })
	if i < 0 {
		return task{}, 404, "Task with id " + id + " not found."
	}
	t := st.tasks[mode][i]
	t.Metadata = maps.Clone(t.Metadata)
	t.Tags = slices.Clone(t.Tags)
	if status, problem := change(&t, func(u string) string { return st.uniqueOwnerLocked(mode, u) }); problem != "" {
		return task{}, status, problem
	}
	list := slices.Clone(st.tasks[mode]) // replaced, never changed in place
	list[i] = t
	st.tasks[mode] = list
	return t, 200, ""
}
