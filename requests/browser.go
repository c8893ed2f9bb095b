package requests

import (
	"os/exec"
	"runtime"
	"strings"
)

// OpenBrowser starts a browser on the URL and does not wait for it:
// browser ($BROWSER: a command and its arguments, the URL added last)
// when set, otherwise the system's (open, rundll32, xdg-open).
func OpenBrowser(browser, u string) error {
	var cmd *exec.Cmd
	switch {
	case browser != "":
		f := strings.Fields(browser)
		cmd = exec.Command(f[0], append(f[1:], u)...)
	case runtime.GOOS == "darwin":
		cmd = exec.Command("open", u)
	case runtime.GOOS == "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
