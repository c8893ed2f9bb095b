package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// layers is the import direction the README's Layout states: a package
// may import only packages on a lower layer. Test files are not checked
// (a test may start the sandbox or drive the sender).
var layers = map[string]int{
	"model":            0,
	"themes":           0,
	"internal/hostile": 0,
	"authschemes":      1,
	"sandbox/wire":     1,
	"sandbox/scaling":  2,
	"sandbox/scalekit": 2,
	"sandbox/scale":    2,
	"sandbox":          3,
	"decode":           2,
	"requests":         3,
	"snippets":         4,
	"doctor":           4,
	"cli":              5,
	"ui":               5,
}

func TestImportsFlowOneWay(t *testing.T) {
	const module = "github.com/authscope/authscope/"
	for pkg, layer := range layers {
		files, err := filepath.Glob(filepath.Join(filepath.FromSlash(pkg), "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v): is the layout table out of date?", pkg, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				dep, ours := strings.CutPrefix(path, module)
				if !ours {
					continue
				}
				depLayer, known := layers[dep]
				if !known {
					continue // generated code below the sandbox
				}
				if depLayer >= layer {
					t.Errorf("%s imports %s: %s is on layer %d, %s on %d (imports must go down)", f, dep, pkg, layer, dep, depLayer)
				}
			}
		}
	}
}
