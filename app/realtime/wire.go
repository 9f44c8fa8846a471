package realtime

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// wire is a connection's socket. Every frame, the hub's and the control
// frames gorilla writes by itself (pongs, close replies, protocol errors),
// is written whole under mu, so frames never interleave.
type wire struct {
	net.Conn
	mu  sync.Mutex
	raw syscall.RawConn // nil when the socket cannot be written without blocking (TLS)
}

// Write is gorilla's way out: one call per frame it writes.
func (w *wire) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.Conn.Write(b)
}

// errWouldBlock: the socket's send buffer is full.
var errWouldBlock = errors.New("realtime: the socket would block")

// writeLocked writes b, waiting for the socket at most until deadline,
// under w.mu.
func (w *wire) writeLocked(b []byte, deadline time.Time) error {
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
	if sc, ok := conn.(syscall.Conn); ok && canTryWrite {
		if raw, err := sc.SyscallConn(); err == nil {
			h.wire.raw = raw
		}
	}
	return h.wire, brw, nil
}
