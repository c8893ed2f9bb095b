package scale

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/authscope/authscope/sandbox/wire"
)

// requiredParams are the parameters Scale's docs mark required for each
// task type ("The required parameters for this task are attachment and
// geometries."); "a|b" is satisfied by either. Types missing here (chat,
// lidar, video…) need a project template or a scene the sandbox does not
// model, and are accepted as sent.
var requiredParams = map[string][]string{
	"imageannotation":        {"attachment", "geometries"},
	"annotation":             {"attachment", "objects_to_annotate"},
	"polygonannotation":      {"attachment", "objects_to_annotate"},
	"lineannotation":         {"attachment", "objects_to_annotate"},
	"pointannotation":        {"attachment", "objects_to_annotate"},
	"cuboidannotation":       {"attachment", "objects_to_annotate"},
	"segmentannotation":      {"attachment", "labels"},
	"categorization":         {"attachment", "categories"},
	"transcription":          {"attachment", "fields|repeatable_fields"},
	"datacollection":         {"attachment", "fields"},
	"documenttranscription":  {"attachment"},
	"textcollection":         {"attachments|attachment", "fields"},
	"namedentityrecognition": {"text", "labels"},
	"comparison":             {"attachments", "choices|fields"},
}

// missingParams lists, in the docs' order, the required parameters of
// typ that params lacks or holds empty (null, "", [] or {}).
func missingParams(typ string, params taskParams) []string {
	var missing []string
	for _, want := range requiredParams[typ] {
		found := false
		for name := range strings.SplitSeq(want, "|") {
			if present(params[name]) {
				found = true
			}
		}
		if !found {
			missing = append(missing, strings.ReplaceAll(want, "|", " or "))
		}
	}
	return missing
}

func present(raw json.RawMessage) bool {
	switch strings.TrimSpace(string(raw)) {
	case "", "null", `""`, "[]", "{}":
		return false
	}
	return true
}

// missingParamsMessage is the 400's text: the real API's wording is not
// published (its client's tests only expect ScaleInvalidRequest), so the
// sandbox names every missing parameter and the docs' rule.
func missingParamsMessage(typ string, missing []string) string {
	return "Invalid parameters for " + article(typ) + " " + typ + " task: " + strings.Join(missing, ", ") +
		" required (the required parameters for this task are " + strings.ReplaceAll(strings.Join(requiredParams[typ], ", "), "|", " or ") + ")."
}

// ownFields are the create body's fields that are the task's own, not
// its params (force and the sandbox-ignored flags are dropped).
var ownFields = map[string]bool{
	"project": true, "batch": true, "instruction": true, "callback_url": true, "metadata": true,
	"unique_id": true, "tags": true, "urgency": true, "force": true, "priority": true,
	"clear_unique_id_on_error": true,
}

// completedResponse is a completed task's response in its type's shape,
// made from its params: boxes for the objects to annotate, the first
// category, a value per field, an entity per label. Test-mode answers
// are "incorrect test responses" (the docs): right shape, made-up content.
func completedResponse(typ string, params taskParams) json.RawMessage {
	labels := stringsOf(params["objects_to_annotate"])
	switch typ {
	case "imageannotation":
		var geometries map[string]struct {
			Objects json.RawMessage `json:"objects_to_annotate"`
		}
		json.Unmarshal(params["geometries"], &geometries)
		var out []map[string]any
		for _, kind := range []string{"box", "polygon", "line", "point", "cuboid", "ellipse"} {
			if g, ok := geometries[kind]; ok {
				for i, label := range orDefault(stringsOf(g.Objects), "object") {
					out = append(out, shape(kind, label, i))
				}
			}
		}
		return wire.Encode(map[string]any{"annotations": orEmpty(out), "global_attributes": map[string]any{}})
	case "annotation", "polygonannotation", "lineannotation", "pointannotation", "cuboidannotation":
		kind := map[string]string{"annotation": "box", "polygonannotation": "polygon", "lineannotation": "line",
			"pointannotation": "point", "cuboidannotation": "cuboid"}[typ]
		var out []map[string]any
		for i, label := range orDefault(labels, "object") {
			out = append(out, shape(kind, label, i))
		}
		return wire.Encode(map[string]any{"annotations": out})
	case "categorization":
		return wire.Encode(map[string]any{"category": first(stringsOf(params["categories"]), "")})
	case "transcription", "datacollection", "textcollection":
		fields := map[string]string{}
		var keys map[string]json.RawMessage
		json.Unmarshal(params["fields"], &keys)
		for k := range keys {
			fields[k] = "sandbox " + k
		}
		out := map[string]any{"fields": fields}
		if typ == "transcription" {
			out["repeatable_fields"] = []any{}
		}
		return wire.Encode(out)
	case "namedentityrecognition":
		var text string
		json.Unmarshal(params["text"], &text)
		var named []struct {
			Name string `json:"name"`
		}
		json.Unmarshal(params["labels"], &named)
		label := "entity"
		if len(named) > 0 && named[0].Name != "" {
			label = named[0].Name
		}
		end := min(len(text), len(strings.SplitN(text, " ", 2)[0]))
		return wire.Encode(map[string]any{"annotations": []map[string]any{{"label": label, "start": 0, "end": end, "text": text[:end]}}})
	case "segmentannotation":
		return wire.Encode(map[string]any{"annotations": map[string]any{"combined": map[string]any{"image": "https://sandbox.invalid/segmentation.png"}},
			"labelMapping": map[string]any{}})
	case "comparison":
		return wire.Encode(map[string]any{"choice": first(stringsOf(params["choices"]), "")})
	}
	return wire.Encode(map[string]any{"annotations": []any{}})
}

// shape is one made-up annotation of a geometry kind.
func shape(kind, label string, i int) map[string]any {
	a := map[string]any{"type": kind, "label": label, "uuid": fixtureTaskID("annotation "+label, i)[:16]}
	x, y := 40+60*i, 30+40*i
	switch kind {
	case "box", "cuboid", "ellipse":
		a["left"], a["top"], a["width"], a["height"] = x, y, 48, 36
	case "polygon", "line":
		a["vertices"] = []map[string]int{{"x": x, "y": y}, {"x": x + 48, "y": y}, {"x": x + 24, "y": y + 36}}
	case "point":
		a["x"], a["y"] = x, y
	}
	return a
}

// stringsOf reads a JSON list whose items are strings or objects with a
// name (LabelDescription), keeping at most ten.
func stringsOf(raw json.RawMessage) []string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, item := range items[:min(len(items), 10)] {
		var s string
		var named struct {
			Name  string `json:"name"`
			Label string `json:"label"`
		}
		switch {
		case json.Unmarshal(item, &s) == nil:
		case json.Unmarshal(item, &named) == nil:
			s = named.Name + named.Label
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func orDefault(list []string, def string) []string {
	if len(list) == 0 {
		return []string{def}
	}
	return list
}

func first(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}

func orEmpty(list []map[string]any) []map[string]any {
	if list == nil {
		return []map[string]any{}
	}
	return list
}

func article(word string) string {
	if strings.ContainsAny(word[:1], "aeiou") {
		return "an"
	}
	return "a"
}

// quoted is strconv.Quote, for messages naming a value.
func quoted(s string) string { return strconv.Quote(s) }
