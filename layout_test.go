package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// layers is the import direction the README's Layout states: a package
// may import only packages on a lower layer. Test files are not checked
// (a test may start the sandbox or drive the sender).
var layers = map[string]int{
	"model":                   0,
	"themes":                  0,
	"internal/hostile":        0,
	"authschemes":             1,
	"sandbox/wire":            1,
	"internal/ssofake":        2, // a small authorization server for the SSO client's tests
	"sandbox/internal/sbtest": 2, // the sandbox's test helpers
	"sandbox/scaling":         2,
	"sandbox/scalekit":        2,
	"sandbox/scale":           2,
	"sandbox":                 3,
	"decode":                  2,
	"requests":                3,
	"internal/sandboxtest":    4, // starts the whole sandbox for other packages' tests
	"snippets":                4,
	"doctor":                  4,
	"cli":                     5,
	"ui":                      5,
	".":                       6, // main: dispatch only
}

// outside are the directories of Go code the layout does not rank, each
// with why; a package in neither table fails the test, so a new package
// is placed on purpose. A directory here covers the ones below it.
var outside = map[string]string{
	"sandbox/scalekit/scalekitpb": "generated protobuf and connect code (its generate.sh), ranked with sandbox/scalekit, the one package that imports it",
	"bench":                       "benchmark programs and their reference servers, not part of the binary",
}

// only is what the README's Layout says a package may import of ours,
// beyond "only downwards": decode reads model only.
var only = map[string][]string{
	"decode":          {"model"},
	"sandbox/wire":    {"model"},
	"sandbox/scaling": {"model", "sandbox/wire"}, // no provider imports another
	"sandbox/scale":   {"model", "sandbox/wire"},
	"doctor":          {"model", "authschemes", "decode", "requests"},
}

// goPackages lists every directory holding non-test Go files, relative
// and slash-separated ("." for the root), skipping testdata, hidden
// directories and node_modules as the go tool does.
func goPackages(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != "." && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			seen[filepath.ToSlash(filepath.Dir(path))] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// outsideLayout reports whether pkg is under a directory of outside.
func outsideLayout(pkg string) bool {
	for dir := range outside {
		if pkg == dir || strings.HasPrefix(pkg, dir+"/") {
			return true
		}
	}
	return false
}

// Every package with Go files is in the layout table or listed outside it
// with a reason: a package nobody placed fails here instead of being
// skipped by the import check.
func TestEveryPackageIsPlaced(t *testing.T) {
	pkgs := goPackages(t)
	if len(pkgs) < len(layers) {
		t.Fatalf("found %d packages, fewer than the table's %d: is the walk broken?", len(pkgs), len(layers))
	}
	for _, pkg := range pkgs {
		if _, ranked := layers[pkg]; !ranked && !outsideLayout(pkg) {
			t.Errorf("package %s is in neither the layout table nor the outside list of layout_test.go: place it (and the README's Layout)", pkg)
		}
	}
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
				if allowed, ok := only[pkg]; ok && !slices.Contains(allowed, dep) {
					t.Errorf("%s imports %s: the README says %s imports only %s", f, dep, pkg, strings.Join(allowed, ", "))
				}
				depLayer, known := layers[dep]
				if !known {
					if !outsideLayout(dep) {
						t.Errorf("%s imports %s, which the layout does not place", f, dep)
					}
					continue // generated code, ranked with the package that owns it
				}
				if depLayer >= layer {
					t.Errorf("%s imports %s: %s is on layer %d, %s on %d (imports must go down)", f, dep, pkg, layer, dep, depLayer)
				}
			}
		}
	}
}

// Every package is linked into every command, so a pattern compiled at
// start-up (a package-level var, a function literal called there, an
// init func) is paid for by `token` and `header`, which never match it:
// patterns are model.LazyRegexp. Only what the binary links is checked
// (not tests, test helpers or bench programs).
func TestNoPatternCompiledAtStartUp(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.Dir}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	linked := map[string]bool{}
	for _, dir := range strings.Fields(string(out)) {
		if rel, err := filepath.Rel(wd, dir); err == nil && !strings.HasPrefix(rel, "..") {
			linked[rel] = true
		}
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || path == "bench" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || !linked[filepath.Dir(path)] {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		regexpName := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"regexp"` {
				regexpName = "regexp"
				if imp.Name != nil {
					regexpName = imp.Name.Name
				}
			}
		}
		if regexpName == "" {
			return nil
		}
		// What runs at start-up: package-level var initialisers (with a
		// function literal called on the spot) and init funcs.
		for _, decl := range f.Decls {
			var root ast.Node
			switch d := decl.(type) {
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					root = d
				}
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					root = d.Body
				}
			}
			if root == nil {
				continue
			}
			calledNow := map[*ast.FuncLit]bool{}
			ast.Inspect(root, func(n ast.Node) bool {
				if lit, isFunc := n.(*ast.FuncLit); isFunc && !calledNow[lit] {
					return false // compiled when called, not at start-up
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if lit, ok := call.Fun.(*ast.FuncLit); ok {
					calledNow[lit] = true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == regexpName && strings.Contains(sel.Sel.Name, "Compile") {
						t.Errorf("%s: regexp.%s runs at start-up; use model.LazyRegexp", fset.Position(call.Pos()), sel.Sel.Name)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil || checked < 100 {
		t.Fatalf("checked %d files: %v", checked, err)
	}
}
