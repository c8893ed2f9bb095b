// Command refserver is the baseline for bench/sandbox.sh: a bare net/http
// handler that answers every request with the bytes in -body and the same
// headers the sandbox sends, doing no other work. The sandbox's throughput
// is reported as a ratio of this one's.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	bodyFile := flag.String("body", "", "file holding the response body")
	contentType := flag.String("content-type", "application/json; charset=utf-8", "Content-Type to send")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatalf("refserver: %v", err)
	}
	length := strconv.Itoa(len(body))
	// A request id of the sandbox's length, so both answers are the same size.
	const requestID = "00000000-0000-4000-8000-000000000000"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Request-Id"] = []string{requestID}
		h["Content-Type"] = []string{*contentType}
		h["Content-Length"] = []string{length}
		w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, handler))
}
