package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/authscope/authscope/doctor"
	"github.com/authscope/authscope/requests"
)

// --har FILE: the command's requests (the token request, the request)
// written as a HAR 1.2 file, redacted as `doctor --redact` redacts one,
// that `authscope doctor` and browsers read back. The file is opened
// before anything is sent, so an existing file (without --force) or a
// place that cannot be written stops the command with nothing sent.

// openExport creates path for an export: refused when it exists unless
// force, and when it cannot be written.
func openExport(path string, force bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("%s exists: add --force to replace it", path)
	case err != nil:
		return nil, fmt.Errorf("cannot write %s: %s", path, unwrapPathError(err).Error())
	}
	return f, nil
}

// writeHAR writes the history to the opened file.
func writeHAR(f *os.File, h *requests.History) error {
	data, err := doctor.SessionHAR(h.All(), requests.Version)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("--har: %v", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("--har: writing %s: %v", f.Name(), err)
	}
	return f.Close()
}
