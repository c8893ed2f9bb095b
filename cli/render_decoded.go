package cli

// One renderer for a decoded error, shared by `decode`, `request` and
// anything else that prints one: the plain-text report (writeDecoded)
// and the stable JSON form (decodedReport, writeDecodedJSON). Every piece
// of text that came from a server or from pasted input goes through
// model.Sanitize, and through model.Scrub with the secrets in play.

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
)

// Layout of the text report.
const (
	reportWidth   = 80 // wrap prose at this column
	labelWidth    = 14 // "Likely cause: " and friends
	maxPathColumn = 40
	maxValueCell  = 48 // longer values are cut in the table (the JSON form has them whole)
)

// decodedCleaner makes untrusted text safe for a terminal and free of
// known secrets.
type decodedCleaner []string

func (secrets decodedCleaner) text(s string) string {
	return model.Scrub(model.Sanitize(s), secrets...)
}

// cell is text for one line of a table: no line breaks, cut to n runes.
func (secrets decodedCleaner) cell(s string, n int) string {
	s = strings.Join(strings.Fields(secrets.text(s)), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// tail is cell for paths: a long path keeps its end, the part that names
// the field (…field_violations[0].field).
func (secrets decodedCleaner) tail(s string, n int) string {
	s = strings.Join(strings.Fields(secrets.text(s)), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}

// writeDecoded writes the plain-text report: the shape and status, the
// code, message and request id, then meaning, what to do and the likely
// cause, then every field and the headers worth a line, then notes.
func writeDecoded(w io.Writer, d *model.DecodedError, secrets []string) error {
	c := decodedCleaner(secrets)
	var b strings.Builder

	b.WriteString(decodedHeadline(d) + "\n")
	var facts [][2]string
	if d.Code != "" {
		facts = append(facts, [2]string{"code", strings.TrimSpace(c.cell(d.Code, 200) + " " + c.cell(d.CodeName, 60))})
	}
	if d.Message != "" {
		facts = append(facts, [2]string{"message", c.cell(d.Message, 300)})
	}
	if d.RequestID != "" {
		facts = append(facts, [2]string{"request id", c.cell(model.CleanID(d.RequestID), 200) + "  (" + c.cell(d.RequestIDSource, 120) + "; quote it to support)"})
	} else {
		facts = append(facts, [2]string{"request id", "none found (in the body or the usual headers)"})
	}
	for _, f := range facts {
		fmt.Fprintf(&b, "  %-12s %s\n", f[0], f[1])
	}

	b.WriteString("\n")
	writeProse(&b, "Meaning:", c.text(d.Meaning))
	writeProse(&b, "What to do:", c.text(d.Advice))
	writeProse(&b, "Likely cause:", c.text(d.LikelyCause))

	writeFieldTable(&b, "Fields", d.Fields, c)
	writeFieldTable(&b, "Headers", d.Headers, c)
	if len(d.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range d.Notes {
			b.WriteString(wrap("  - ", "    ", c.text(n)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// decodedHeadline is "Scaling API error · 401 Unauthorized".
func decodedHeadline(d *model.DecodedError) string {
	title := d.ShapeTitle
	if title == "" {
		title = "Unknown input"
	}
	if d.Status != 0 {
		title += fmt.Sprintf(" · %d %s", d.Status, model.Sanitize(d.StatusText))
	}
	return strings.TrimSpace(title)
}

func writeProse(b *strings.Builder, label, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	b.WriteString(wrap(fmt.Sprintf("%-*s", labelWidth, label), strings.Repeat(" ", labelWidth), text))
}

// wrap fills text to reportWidth, the first line after first, the others
// after indent.
func wrap(first, indent, text string) string {
	var b strings.Builder
	line, width := first, utf8.RuneCountInString(first)
	empty := true
	for _, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		if !empty && width+1+n > reportWidth {
			b.WriteString(line + "\n")
			line, width, empty = indent, utf8.RuneCountInString(indent), true
		}
		if !empty {
			line += " "
			width++
		}
		line += word
		width += n
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// writeFieldTable writes path, value and meaning in aligned columns.
func writeFieldTable(b *strings.Builder, title string, rows []model.FieldMeaning, c decodedCleaner) {
	if len(rows) == 0 {
		return
	}
	paths := make([]string, len(rows))
	values := make([]string, len(rows))
	pathW, valueW := 0, 0
	for i, r := range rows {
		paths[i] = c.tail(r.Path, maxPathColumn)
		values[i] = c.cell(r.Value, maxValueCell)
		if values[i] == "" {
			values[i] = `""`
		}
		pathW = max(pathW, utf8.RuneCountInString(paths[i]))
		valueW = max(valueW, utf8.RuneCountInString(values[i]))
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for i, r := range rows {
		line := "  " + pad(paths[i], pathW) + "  " + values[i]
		if meaning := c.cell(r.Meaning, 200); meaning != "" {
			line = "  " + pad(paths[i], pathW) + "  " + pad(values[i], valueW) + "  " + meaning
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// decodedReport is the --json form of a decoded error. Its field names
// are a contract for scripts: add fields, never rename them.
type decodedReport struct {
	Shape           string        `json:"shape"`
	ShapeTitle      string        `json:"shape_title"`
	Recognised      bool          `json:"recognised"`
	Provider        string        `json:"provider"`
	Status          int           `json:"status"`
	StatusText      string        `json:"status_text"`
	Code            string        `json:"code"`
	CodeName        string        `json:"code_name"`
	Message         string        `json:"message"`
	RequestID       string        `json:"request_id"`
	RequestIDSource string        `json:"request_id_source"`
	Meaning         string        `json:"meaning"`
	Advice          string        `json:"advice"`
	LikelyCause     string        `json:"likely_cause"`
	Fields          []reportField `json:"fields"`
	Headers         []reportField `json:"headers"`
	Notes           []string      `json:"notes"`
}

type reportField struct {
	Path    string `json:"path"`
	Value   string `json:"value"`
	Meaning string `json:"meaning"`
}

// newDecodedReport builds the JSON form, every string cleaned (JSON
// escapes C0 controls but not C1 ones, which some terminals obey).
func newDecodedReport(d *model.DecodedError, secrets []string) decodedReport {
	c := decodedCleaner(secrets)
	fields := func(rows []model.FieldMeaning) []reportField {
		out := make([]reportField, 0, len(rows))
		for _, r := range rows {
			out = append(out, reportField{Path: c.text(r.Path), Value: c.text(r.Value), Meaning: r.Meaning})
		}
		return out
	}
	notes := make([]string, 0, len(d.Notes))
	for _, n := range d.Notes {
		notes = append(notes, c.text(n))
	}
	return decodedReport{
		Shape: d.Shape, ShapeTitle: d.ShapeTitle, Recognised: d.Recognised, Provider: d.Provider,
		Status: d.Status, StatusText: c.text(d.StatusText),
		Code: c.text(d.Code), CodeName: d.CodeName, Message: c.text(d.Message),
		RequestID: c.text(model.CleanID(d.RequestID)), RequestIDSource: c.text(d.RequestIDSource),
		Meaning: c.text(d.Meaning), Advice: c.text(d.Advice), LikelyCause: c.text(d.LikelyCause),
		Fields: fields(d.Fields), Headers: fields(d.Headers), Notes: notes,
	}
}

// writeDecodedJSON writes the report as one indented JSON object.
func writeDecodedJSON(w io.Writer, d *model.DecodedError, secrets []string) error {
	return writeJSON(w, newDecodedReport(d, secrets), secrets...)
}
