// Command hostile serves one internal/hostile mode on loopback for
// bench/hostile.sh: it prints its URL and serves until interrupted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/authscope/authscope/internal/hostile"
)

func main() {
	mode := flag.String("mode", string(hostile.GiantBody), "one of the modes of internal/hostile")
	flag.Parse()
	srv, err := hostile.Start(hostile.Mode(*mode))
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(2)
	}
	fmt.Println(srv.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	srv.Close()
}
