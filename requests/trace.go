package requests

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// Timing is how long each phase of one request took. The phases follow
// each other without overlap, so they add up to about Total (httpstat's
// arithmetic): DNS, then the TCP connect, then the TLS handshake, then
// FirstByte — from the connection being ready to the first byte of the
// answer (writing the request and the server's think time) — then
// Transfer, the rest of the body. A phase that did not happen is zero (no
// DNS for an IP address, no TLS for http).
type Timing struct {
	DNS, Connect, TLS, FirstByte, Transfer, Total time.Duration
	Phases                                        []Phase // the phases that happened, in order
}

// Phase is one timed phase, as offsets from the start of the request.
type Phase struct {
	Name       string // "DNS", "connect", "TLS", "first byte", "transfer"
	Start, End time.Duration
}

// Duration is how long the phase took.
func (p Phase) Duration() time.Duration { return p.End - p.Start }

// Phase names, also used by NoAnswerError.
const (
	PhaseDNS       = "DNS"
	PhaseConnect   = "connect"
	PhaseTLS       = "TLS"
	PhaseFirstByte = "first byte"
	PhaseTransfer  = "transfer"
)

// tracer records httptrace events. Hooks may run on other goroutines and
// after the request has returned (a losing Happy Eyeballs dial reports
// late), so every field is guarded by mu and read through snapshot.
type tracer struct {
	mu                      sync.Mutex
	start                   time.Time
	dnsStart, dnsDone       time.Time
	connStart, connDone     time.Time
	tlsStart, tlsDone       time.Time
	gotConn, firstByte      time.Time
	end                     time.Time
	reused                  bool
	remoteAddr              string
	dnsErr, connErr, tlsErr error
}

func newTracer(start time.Time) *tracer { return &tracer{start: start} }

func (t *tracer) hooks() *httptrace.ClientTrace {
	at := func(f func(now time.Time)) {
		now := time.Now()
		t.mu.Lock()
		defer t.mu.Unlock()
		f(now)
	}
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { at(func(now time.Time) { t.dnsStart = now }) },
		DNSDone: func(i httptrace.DNSDoneInfo) {
			at(func(now time.Time) { t.dnsDone, t.dnsErr = now, i.Err })
		},
		ConnectStart: func(_, _ string) {
			at(func(now time.Time) {
				if t.connStart.IsZero() { // the first dial attempt starts the phase
					t.connStart = now
				}
			})
		},
		ConnectDone: func(_, addr string, err error) {
			at(func(now time.Time) {
				switch {
				case err == nil && t.connDone.IsZero(): // the dial that won ends it
					t.connDone, t.remoteAddr, t.connErr = now, addr, nil
				case err != nil && t.connDone.IsZero():
					t.connErr = err
				}
			})
		},
		TLSHandshakeStart: func() { at(func(now time.Time) { t.tlsStart = now }) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			at(func(now time.Time) { t.tlsDone, t.tlsErr = now, err })
		},
		GotConn: func(i httptrace.GotConnInfo) {
			at(func(now time.Time) {
				t.gotConn, t.reused = now, i.Reused
				if t.remoteAddr == "" && i.Conn != nil {
					t.remoteAddr = i.Conn.RemoteAddr().String()
				}
			})
		},
		GotFirstResponseByte: func() { at(func(now time.Time) { t.firstByte = now }) },
	}
}

// finish marks the end of the body.
func (t *tracer) finish(now time.Time) {
	t.mu.Lock()
	t.end = now
	t.mu.Unlock()
}

// traceState is a consistent copy of the tracer.
type traceState struct {
	start, dnsStart, dnsDone, connStart, connDone, tlsStart, tlsDone, gotConn, firstByte, end time.Time
	remoteAddr                                                                                string
	dnsErr, connErr, tlsErr                                                                   error
}

func (t *tracer) snapshot() traceState {
	t.mu.Lock()
	defer t.mu.Unlock()
	return traceState{
		start: t.start, dnsStart: t.dnsStart, dnsDone: t.dnsDone, connStart: t.connStart, connDone: t.connDone,
		tlsStart: t.tlsStart, tlsDone: t.tlsDone, gotConn: t.gotConn, firstByte: t.firstByte, end: t.end,
		remoteAddr: t.remoteAddr, dnsErr: t.dnsErr, connErr: t.connErr, tlsErr: t.tlsErr,
	}
}

// timing turns the marks into phases (davecheney/httpstat visit()).
func (s traceState) timing() Timing {
	var tm Timing
	add := func(name string, from, to time.Time, d *time.Duration) {
		if from.IsZero() || to.IsZero() || to.Before(from) {
			return
		}
		*d = to.Sub(from)
		tm.Phases = append(tm.Phases, Phase{Name: name, Start: from.Sub(s.start), End: to.Sub(s.start)})
	}
	add(PhaseDNS, s.dnsStart, s.dnsDone, &tm.DNS)
	add(PhaseConnect, s.connStart, s.connDone, &tm.Connect)
	add(PhaseTLS, s.tlsStart, s.tlsDone, &tm.TLS)
	ready := s.gotConn
	if ready.IsZero() {
		ready = latest(s.connDone, s.tlsDone)
	}
	add(PhaseFirstByte, ready, s.firstByte, &tm.FirstByte)
	add(PhaseTransfer, s.firstByte, s.end, &tm.Transfer)
	if !s.end.IsZero() {
		tm.Total = s.end.Sub(s.start)
	}
	return tm
}

// stage names what the request was doing when it stopped, for a timeout
// or a cancellation message.
func (s traceState) stage() string {
	switch {
	case !s.firstByte.IsZero():
		return "reading the body"
	case !s.gotConn.IsZero():
		return "waiting for the response"
	case !s.tlsStart.IsZero():
		return "in the TLS handshake"
	case !s.connStart.IsZero():
		return "connecting"
	case !s.dnsStart.IsZero() && s.dnsDone.IsZero():
		return "looking up the host name"
	}
	return "connecting"
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
