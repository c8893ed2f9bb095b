// Command hello is the start-up reference for bench/run: the smallest Go
// program that writes to stdout, so `authscope --help`'s start-up can be
// read as a ratio of the Go runtime's own floor on the same machine.
package main

import "fmt"

func main() {
	fmt.Println("hello")
}
