package realtime

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// wire is a connection's socket. Every frame, the hub's and the control
// frames gorilla writes by itself (pongs, close replies, protocol errors),
// is written whole under mu, so frames never interleave.
type wire struct {
	net.Conn
	mu sync.Mutex
}

// Write is gorilla's way out: one call per frame it writes.
func (w *wire) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.Conn.Write(b)
}

// write writes one frame whole, waiting for the socket until deadline.
func (w *wire) write(b []byte, deadline time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.SetWriteDeadline(deadline); err != nil {
		return err
	}
	_, err := w.Conn.Write(b)
	return err
}

// hijacker hands gorilla the socket wrapped in a wire.
type hijacker struct {
	http.ResponseWriter
	wire *wire
}

func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	h.wire = &wire{Conn: conn}
	return h.wire, brw, nil
}
