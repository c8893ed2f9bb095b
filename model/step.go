package model

// Step is one stage of turning credentials into an Authorization header:
// what went in, what came out, and one sentence on why.
type Step struct {
	Title   string
	Input   Text
	Output  Text
	Explain string
}

// Severity orders warnings.
type Severity int

const (
	SeverityInfo Severity = iota
	SeverityWarn
	SeverityError // the request cannot be built as asked
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarn:
		return "warning"
	default:
		return "error"
	}
}

// Warning is a check's finding about one credential field: what is wrong
// and how to fix it. Messages never contain the secret itself.
type Warning struct {
	Field    string // Field.ID it concerns, "" for the request as a whole
	Severity Severity
	Message  string
	Fix      string
}
