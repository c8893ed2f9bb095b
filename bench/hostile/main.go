// Command hostile serves every internal/hostile mode on one loopback
// port, for bench/hostile.sh: a request for /MODE/… gets that mode. It
// prints its base URL and serves until interrupted; -mode serves one mode
// on every path instead.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/authscope/authscope/internal/hostile"
)

func main() {
	mode := flag.String("mode", "", "serve only this mode, on every path (default: all, by path)")
	flag.Parse()
	start := hostile.StartAll
	if *mode != "" {
		start = func() (*hostile.Server, error) { return hostile.Start(hostile.Mode(*mode)) }
	}
	srv, err := start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(2)
	}
	fmt.Println(srv.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	srv.Close()
}
