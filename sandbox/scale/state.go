package scale

import (
	"maps"
	"slices"
	"sync"

	"github.com/authscope/authscope/sandbox/wire"
)

// scaleState is what Scale keeps between requests, per mode ("live" or
// "test", never visible from the other): projects, tasks and batches, the
// fixtures first copied in, then what clients create and change.
type scaleState struct {
	mu         sync.Mutex
	projects   map[string][]project // mode → fixtures, then created, oldest first
	tasks      map[string][]*task   // mode → newest first, the order lists use; a task is replaced, never changed
	paramBytes map[string]int       // mode → bytes of instructions in every project's param_history
	taskBytes  map[string]int       // mode → the tasks' size as JSON
	batches    map[string][]batch   // mode → oldest first
	fixture    map[string]bool      // project names and task ids that are fixtures
}

func newScaleState() *scaleState {
	st := &scaleState{projects: map[string][]project{}, tasks: map[string][]*task{}, batches: map[string][]batch{}, fixture: map[string]bool{}, paramBytes: map[string]int{}, taskBytes: map[string]int{}}
	for mode, list := range fixtureProjects() {
		st.projects[mode] = slices.Clone(list)
		for _, p := range list {
			st.fixture[mode+"/p/"+p.Name] = true
			st.paramBytes[mode] += historyBytes(p)
		}
	}
	for mode, list := range fixtureTasks() {
		for _, t := range list {
			t.size = len(wire.Encode(t))
			st.taskBytes[mode] += t.size
			st.tasks[mode] = append(st.tasks[mode], &t)
			st.fixture[mode+"/t/"+t.TaskID] = true
		}
	}
	return st
}

// projectList lists a mode's projects: fixtures, then those created.
// The slice is replaced on every change, never written where a reader
// can see it, so it is returned as it is.
func (st *scaleState) projectList(mode string) []project {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.projects[mode]
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
// conflict; any other reuse of a name is Scale's 409. A mode whose param
// history budget is spent gets a 400.
func (st *scaleState) create(mode string, p project) (project, int, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.projectIndexLocked(mode, p.Name); i >= 0 {
		c := st.projects[mode][i]
		if !st.fixture[mode+"/p/"+c.Name] && c.Type == p.Type && c.ParamHistory[0].Instruction == p.ParamHistory[0].Instruction {
			return c, 200, ""
		}
		return project{}, 409, "A project with name " + quoted(p.Name) + " already exists."
	}
	size := len(p.ParamHistory[0].Instruction)
	list := st.projects[mode]
	created := 0
	for _, c := range list {
		if !st.fixture[mode+"/p/"+c.Name] {
			created++
		}
	}
	var evicted *project
	if created >= maxCreatedProjects {
		oldest := slices.IndexFunc(list, func(c project) bool { return !st.fixture[mode+"/p/"+c.Name] })
		evicted = &list[oldest]
		size -= historyBytes(*evicted)
		list = slices.Delete(slices.Clone(list), oldest, oldest+1)
	}
	if st.paramBytes[mode]+size > maxModeParamBytes {
		return project{}, 400, paramBudgetSpent()
	}
	st.paramBytes[mode] += size
	st.projects[mode] = append(list, p)
	return p, 200, ""
}

func historyBytes(p project) int {
	n := 0
	for _, v := range p.ParamHistory {
		n += len(v.Instruction)
	}
	return n
}

func paramBudgetSpent() string {
	return "The sandbox keeps at most " + sizeText(maxModeParamBytes) + " of project instructions per mode, and this request would pass it; create fewer or shorter versions."
}

// setParams adds a version to a project's param history, as
// POST /v1/projects/{name}/setParams does, within the caps.
func (st *scaleState) setParams(mode, name string, v paramVersion) (project, int, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.projectIndexLocked(mode, name)
	if i < 0 {
		return project{}, 404, projectNotFound(name)
	}
	p := st.projects[mode][i]
	switch {
	case len(p.ParamHistory) >= maxParamVersions:
		return project{}, 400, "Project " + quoted(name) + " has " + itoa(len(p.ParamHistory)) + " parameter versions, the sandbox's limit; create a new project to go on."
	case historyBytes(p)+len(v.Instruction) > maxProjectParamBytes:
		return project{}, 400, "Project " + quoted(name) + "'s parameter history would pass " + sizeText(maxProjectParamBytes) + ", the sandbox's limit per project."
	case st.paramBytes[mode]+len(v.Instruction) > maxModeParamBytes:
		return project{}, 400, paramBudgetSpent()
	}
	st.paramBytes[mode] += len(v.Instruction)
	v.Version = len(p.ParamHistory)
	p.ParamHistory = append(slices.Clone(p.ParamHistory), v) // replaced, never changed in place
	list := slices.Clone(st.projects[mode])
	list[i] = p
	st.projects[mode] = list
	return p, 200, ""
}

// taskList is a mode's tasks, newest first: the stored slice itself,
// which is replaced on every change and never written, so the lock is
// held for no more than reading a pointer.
func (st *scaleState) taskList(mode string) []*task {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.tasks[mode]
}

func (st *scaleState) task(mode, id string) (task, bool) {
	for _, t := range st.taskList(mode) {
		if t.TaskID == id {
			return *t, true
		}
	}
	return task{}, false
}

// uniqueOwnerLocked is the id of the task using uniqueID, "" if none.
func (st *scaleState) uniqueOwnerLocked(mode, uniqueID string) string {
	if uniqueID == "" {
		return ""
	}
	for _, t := range st.tasks[mode] { // at most fixtures + maxCreatedTasks
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
	list := append([]*task{&t}, st.tasks[mode]...)
	st.taskBytes[mode] += t.size
	created := len(list) - len(fixtureTasks()[mode])
	// The oldest created tasks make way, by count and by bytes; they are
	// the last ones before the fixtures at the end.
	for created > 1 && (created > maxCreatedTasks || st.taskBytes[mode] > maxModeTaskBytes) {
		for i := len(list) - 1; i >= 0; i-- {
			if !st.fixture[mode+"/t/"+list[i].TaskID] {
				st.taskBytes[mode] -= list[i].size
				list = slices.Delete(list, i, i+1)
				created--
				break
			}
		}
	}
	st.tasks[mode] = list
	return ""
}

// changeTask applies change to a copy of the task and stores it unless
// change returns a problem (an HTTP status and Scale's message). change
// runs outside the lock (its work grows with the request: tags to merge,
// metadata to copy); the result is stored only if nobody changed the
// task meanwhile, else it runs again on the newer task. Under the lock
// there is only the look-up and the swap, bounded by the task cap.
func (st *scaleState) changeTask(mode, id string, change func(t *task) (int, string)) (task, int, string) {
	for range 16 {
		current, ok := st.task(mode, id)
		if !ok {
			return task{}, 404, "Task " + id + " not found."
		}
		t := current
		t.Metadata = maps.Clone(t.Metadata)
		t.Tags = slices.Clone(t.Tags)
		if status, problem := change(&t); problem != "" {
			return task{}, status, problem
		}
		t.rev = current.rev + 1
		t.size = len(wire.Encode(t))
		st.mu.Lock()
		list := st.tasks[mode]
		i := slices.IndexFunc(list, func(c *task) bool { return c.TaskID == id })
		if i >= 0 && list[i].rev == current.rev {
			if owner := st.uniqueOwnerLocked(mode, t.UniqueID); t.UniqueID != current.UniqueID && owner != "" && owner != id {
				st.mu.Unlock()
				return task{}, 409, duplicateUniqueID(t.UniqueID, owner)
			}
			list = slices.Clone(list) // replaced, never changed in place
			list[i] = &t
			st.tasks[mode] = list
			st.taskBytes[mode] += t.size - current.size
			st.mu.Unlock()
			return t, 200, ""
		}
		st.mu.Unlock()
	}
	return task{}, 503, "The task is being changed by other requests; retry."
}
