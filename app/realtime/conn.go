package realtime

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/auth"
)

// out is one queued frame: a message shared by many connections, one made
// for this connection alone, or a ping.
type out struct {
	pm   *websocket.PreparedMessage
	b    []byte
	ping bool
}

// Conn is one websocket client. Idle, it is this struct, gorilla's
// connection with a 1 KB read buffer, and one goroutine parked in a read:
// there is no HTTP handler goroutine, no write buffer (pooled) and no
// write goroutine (started only while the queue is non-empty).
type Conn struct {
	h      *Hub
	ws     *websocket.Conn
	seq    int64 // the order it was accepted in (spreads pings)
	viewer atomic.Pointer[auth.Viewer]
	reauth Reauth // nil for anonymous visitors

	mu        sync.Mutex
	queue     []out
	writing   bool          // a write goroutine is running
	room      chan struct{} // closed when the writer takes the queue (catch-up waits on it)
	closeCode int           // non-zero: send this close frame and end
	closeText string
	gone      bool

	// Guarded by h.mu: the topic keys, and catch-up state. A lagging
	// connection is skipped by the live fan-out; its own goroutine
	// (recover) feeds it from lagPos at its pace until it reaches the head.
	subs    []string
	lagging bool
	lagPos  int64
	fromDB  bool // catching up from before the ring, as asked by a since

	// The read goroutine's own: the message-rate bucket.
	tokens  float64
	refill  time.Time
	dropped int
	warned  time.Time
}

// Results of enqueue.
const (
	queued = iota
	full
	closed
)

// controlSlack is room beyond QueueSize for the connection's own messages
// (acks, errors, pongs), which are few and must not be lost to a burst.
const controlSlack = 64

// enqueue adds a frame if fewer than limit are waiting. It never blocks:
// the hub's fan-out calls it holding h.mu.
func (c *Conn) enqueue(o out, limit int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone || c.closeCode != 0 {
		return closed
	}
	if len(c.queue) >= limit {
		return full
	}
	c.queue = append(c.queue, o)
	c.kick()
	return queued
}

// waitRoom blocks until the queue is less than half full, so that a long
// catch-up goes at the client's pace instead of overflowing the queue.
func (c *Conn) waitRoom() bool {
	for {
		c.mu.Lock()
		if c.gone || c.closeCode != 0 {
			c.mu.Unlock()
			return false
		}
		if len(c.queue) < c.h.opt.QueueSize/2 {
			c.mu.Unlock()
			return true
		}
		if c.room == nil {
			c.room = make(chan struct{})
		}
		room := c.room
		c.mu.Unlock()
		<-room
	}
}

// closeWith asks the writer to send a close frame and end the connection.
func (c *Conn) closeWith(code int, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.gone && c.closeCode == 0 {
		c.setClose(code, text)
	}
}

// closing reports whether the connection is being closed.
func (c *Conn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gone || c.closeCode != 0
}

// setClose marks the connection closing and wakes the writer and any
// catch-up waiting for room, under c.mu. Nothing more is queued. What is
// queued goes out before the close frame, unless the client is too slow
// for it or no longer the viewer it was queued for.
func (c *Conn) setClose(code int, text string) {
	c.closeCode, c.closeText = code, text
	if code == CloseTooSlow || code == CloseSignedOut {
		c.queue = nil
	}
	if c.room != nil {
		close(c.room)
		c.room = nil
	}
	c.kick()
}

// kick starts the writer unless it runs, under c.mu.
func (c *Conn) kick() {
	if !c.writing {
		c.writing = true
		go c.writeLoop()
	}
}

// closeGrace is how long a closing connection waits for the client's
// close frame after sending its own.
const closeGrace = time.Second

// writeLoop drains the queue and exits when it is empty, so an idle
// connection costs no goroutine for writing.
func (c *Conn) writeLoop() {
	for {
		c.mu.Lock()
		if c.room != nil {
			close(c.room)
			c.room = nil
		}
		q, code, text, gone := c.queue, c.closeCode, c.closeText, c.gone
		c.queue = nil
		if gone || (len(q) == 0 && code == 0) {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, o := range q {
			if err := c.write(o); err != nil {
				c.shutdown()
				return
			}
		}
		if code != 0 {
			// Nothing was queued after the close was asked for, so this
			// frame ends the stream.
			if err := c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(c.h.opt.WriteWait)); err != nil {
				c.shutdown()
				return
			}
			// Closing the socket now would lose the close frame whenever the
			// client's unread messages sit in our receive buffer (the kernel
			// answers with a reset, and the client sees 1006, not our
			// code). The reader drains until the client answers the close
			// or closeGrace passes, then shuts down.
			_ = c.ws.SetReadDeadline(time.Now().Add(closeGrace))
			return
		}
	}
}

func (c *Conn) write(o out) error {
	deadline := time.Now().Add(c.h.opt.WriteWait)
	if o.ping {
		return c.ws.WriteControl(websocket.PingMessage, nil, deadline)
	}
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return err
	}
	if o.pm != nil {
		return c.ws.WritePreparedMessage(o.pm)
	}
	return c.ws.WriteMessage(websocket.TextMessage, o.b)
}

// shutdown forgets the connection and closes the socket; the read
// goroutine then fails and ends. Safe to call more than once.
func (c *Conn) shutdown() {
	c.mu.Lock()
	if c.gone {
		c.mu.Unlock()
		return
	}
	c.gone, c.queue = true, nil
	if c.room != nil {
		close(c.room)
		c.room = nil
	}
	c.mu.Unlock()
	c.h.remove(c)
	_ = c.ws.Close()
}

// send queues a message made for this connection alone. A client whose
// queue is beyond even the slack is not reading at all: cut it off.
func (c *Conn) send(b []byte) {
	if c.enqueue(out{b: b}, c.h.opt.QueueSize+controlSlack) == full {
		c.h.stats.tooSlow.Add(1)
		c.closeWith(CloseTooSlow, tooSlowText)
	}
}

func (c *Conn) sendError(code, msg, channel string) {
	c.send(encode(errorMsg{Type: "error", Code: code, Message: msg, Channel: channel}))
}
