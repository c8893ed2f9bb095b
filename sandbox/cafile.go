package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// The TLS sandbox's CA certificate decides what every SDK in the user's
// shell trusts (the banner exports it), so it is written where nobody
// else can plant or swap it: a directory of the user's own, 0700, and a
// file made fresh for the run (O_EXCL), never through a symlink
// (O_NOFOLLOW).

// CADir is the per-user directory the CA certificate goes to:
// $XDG_RUNTIME_DIR/authscope when that is set (a per-login tmpfs, 0700 by
// the spec), else <os.UserCacheDir>/authscope/sandbox.
func CADir() (string, error) {
	if rt := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(rt) {
		return filepath.Join(rt, "authscope"), nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no per-user directory for the CA certificate (%v); name one with --ca-cert", err)
	}
	return filepath.Join(cache, "authscope", "sandbox"), nil
}

// privateDir makes dir (0700) if missing and checks that it is a real
// directory, not a symlink, owned by this user and writable by nobody
// else: anyone who can write to it could swap the certificate.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return checkPrivateDir(dir)
}

func checkPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink; refusing to write the CA certificate through it", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s is writable by other users (mode %04o); refusing to write the CA certificate there (chmod go-w, or name another place with --ca-cert)", dir, fi.Mode().Perm())
	}
	if uid, ok := ownerOf(fi); ok && uid != os.Getuid() {
		return fmt.Errorf("%s belongs to another user (uid %d); refusing to write the CA certificate there", dir, uid)
	}
	return nil
}

// ownerOf is the uid owning a file, where the system says (a variable so
// that tests can play another user).
var ownerOf = func(fi fs.FileInfo) (int, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), true
	}
	return 0, false
}

// WriteCACert writes pem to a fresh file and returns its path. With path
// empty the file is new in CADir (a name made for this run). With a path
// given, the file is made fresh beside it and renamed over it, so that a
// symlink or a file planted there is replaced, never followed or reused;
// a path held by another user is refused. The directory must pass the
// private-directory checks either way.
func WriteCACert(path string, pem []byte) (string, error) {
	if path == "" {
		dir, err := CADir()
		if err != nil {
			return "", err
		}
		if err := privateDir(dir); err != nil {
			return "", err
		}
		// The directory above is ours too (authscope/ under the cache or
		// runtime directory): whoever can write there could swap dir.
		if err := checkPrivateDir(filepath.Dir(dir)); err != nil && filepath.Base(filepath.Dir(dir)) == "authscope" {
			return "", err
		}
		path = filepath.Join(dir, "sandbox-ca-"+randomName()+".pem")
		if err := writeFresh(path, pem); err != nil {
			return "", err
		}
		return path, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if err := checkPrivateDir(filepath.Dir(abs)); err != nil {
		return "", err
	}
	if fi, err := os.Lstat(abs); err == nil {
		if uid, ok := ownerOf(fi); ok && uid != os.Getuid() {
			return "", fmt.Errorf("%s belongs to another user (uid %d); refusing to replace it", abs, uid)
		}
		if fi.IsDir() {
			return "", fmt.Errorf("%s is a directory", abs)
		}
	}
	tmp := filepath.Join(filepath.Dir(abs), ".authscope-ca-"+randomName()+".tmp")
	if err := writeFresh(tmp, pem); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, abs); err != nil { // replaces a symlink itself, not its target
		os.Remove(tmp)
		return "", err
	}
	return abs, nil
}

// writeFresh creates path, which must not exist (not even as a dangling
// symlink), and writes data; the file is the user's alone.
func writeFresh(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; refusing to reuse it", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func randomName() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
