package sandbox

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testPEM = "-----BEGIN CERTIFICATE-----\nsandbox\n-----END CERTIFICATE-----\n"

func privateTemp(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	if err := os.Chmod(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}

// playOwner makes ownerOf answer uid for the paths in others.
func playOwner(t *testing.T, uid int, others ...string) {
	t.Helper()
	real := ownerOf
	t.Cleanup(func() { ownerOf = real })
	ownerOf = func(fi fs.FileInfo) (int, bool) {
		for _, p := range others {
			if filepath.Base(p) == fi.Name() {
				return uid, true
			}
		}
		return real(fi)
	}
}

// By default the certificate is a new file, the user's alone, in a 0700
// directory under $XDG_RUNTIME_DIR (or the cache directory); each run
// makes its own file.
func TestCACertDefaultsToAPrivateFreshFile(t *testing.T) {
	rt := privateTemp(t)
	t.Setenv("XDG_RUNTIME_DIR", rt)
	first, err := WriteCACert("", []byte(testPEM))
	if err != nil {
		t.Fatal(err)
	}
	second, err := WriteCACert("", []byte(testPEM))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(first) != filepath.Join(rt, "authscope") || first == second {
		t.Errorf("files %s and %s", first, second)
	}
	dir, _ := os.Stat(filepath.Dir(first))
	file, _ := os.Stat(first)
	if dir.Mode().Perm() != 0o700 || file.Mode().Perm() != 0o600 {
		t.Errorf("directory %v, file %v", dir.Mode(), file.Mode())
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(rt, "cache"))
	if p, err := WriteCACert("", []byte(testPEM)); err != nil || !strings.HasPrefix(p, filepath.Join(rt, "cache", "authscope", "sandbox")+string(filepath.Separator)) {
		t.Errorf("without XDG_RUNTIME_DIR: %s %v", p, err)
	}
}

// What an attacker plants is refused or replaced, never followed or
// reused.
func TestCACertPlantedThingsAreRefusedOrAvoided(t *testing.T) {
	t.Run("symlink at the named path is replaced, its target untouched", func(t *testing.T) {
		dir := privateTemp(t)
		victim := filepath.Join(dir, "victim.pem")
		os.WriteFile(victim, []byte("theirs"), 0o644)
		link := filepath.Join(dir, "ca.pem")
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
		got, err := WriteCACert(link, []byte(testPEM))
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Lstat(got)
		b, _ := os.ReadFile(victim)
		if fi.Mode()&fs.ModeSymlink != 0 || string(b) != "theirs" {
			t.Errorf("followed the symlink: %v, victim now %q", fi.Mode(), b)
		}
	})
	t.Run("a 0666 file another user made at the named path is refused", func(t *testing.T) {
		dir := privateTemp(t)
		planted := filepath.Join(dir, "planted.pem")
		os.WriteFile(planted, []byte("theirs"), 0o666)
		os.Chmod(planted, 0o666)
		playOwner(t, os.Getuid()+4242, planted)
		if _, err := WriteCACert(planted, []byte(testPEM)); err == nil || !strings.Contains(err.Error(), "another user") {
			t.Errorf("reused another user's file: %v", err)
		}
		if b, _ := os.ReadFile(planted); string(b) != "theirs" {
			t.Errorf("the planted file changed: %q", b)
		}
	})
	t.Run("a group- or world-writable directory is refused", func(t *testing.T) {
		for _, mode := range []fs.FileMode{0o777, 0o770, 0o1777} {
			dir := filepath.Join(t.TempDir(), "shared")
			os.Mkdir(dir, 0o700)
			os.Chmod(dir, mode)
			if _, err := WriteCACert(filepath.Join(dir, "ca.pem"), []byte(testPEM)); err == nil || !strings.Contains(err.Error(), "writable by other users") {
				t.Errorf("mode %v: %v", mode, err)
			}
			t.Setenv("XDG_RUNTIME_DIR", filepath.Dir(dir))
			os.Rename(dir, filepath.Join(filepath.Dir(dir), "authscope"))
			if _, err := WriteCACert("", []byte(testPEM)); err == nil {
				t.Errorf("default directory of mode %v accepted", mode)
			}
		}
	})
	t.Run("a directory another user owns is refused", func(t *testing.T) {
		rt := privateTemp(t)
		t.Setenv("XDG_RUNTIME_DIR", rt)
		os.Mkdir(filepath.Join(rt, "authscope"), 0o700)
		playOwner(t, os.Getuid()+4242, filepath.Join(rt, "authscope"))
		if _, err := WriteCACert("", []byte(testPEM)); err == nil || !strings.Contains(err.Error(), "another user") {
			t.Errorf("another user's directory: %v", err)
		}
	})
	t.Run("a symlinked default directory is refused", func(t *testing.T) {
		rt := privateTemp(t)
		elsewhere := privateTemp(t)
		t.Setenv("XDG_RUNTIME_DIR", rt)
		os.Symlink(elsewhere, filepath.Join(rt, "authscope"))
		if _, err := WriteCACert("", []byte(testPEM)); err == nil || !strings.Contains(err.Error(), "is a symlink; refusing") {
			t.Errorf("symlinked directory: %v", err)
		}
		if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
			t.Errorf("wrote through the symlink: %v", entries)
		}
	})
	t.Run("writeFresh never reuses a file or follows a dangling symlink", func(t *testing.T) {
		dir := privateTemp(t)
		existing := filepath.Join(dir, "existing.pem")
		os.WriteFile(existing, []byte("theirs"), 0o666)
		dangling := filepath.Join(dir, "dangling.pem")
		os.Symlink(filepath.Join(dir, "target.pem"), dangling)
		for _, p := range []string{existing, dangling} {
			if err := writeFresh(p, []byte(testPEM)); err == nil {
				t.Errorf("%s: written", p)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "target.pem")); err == nil {
			t.Error("created the dangling symlink's target")
		}
	})
}
