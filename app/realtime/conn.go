package realtime

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"parley/app/auth"
)

// Conn is one websocket client. Idle, it is this struct, gorilla's
// connection with a 1 KB read buffer, and one goroutine parked in a read:
// there is no HTTP handler goroutine, no write buffer and no write
// goroutine (one runs only while the queue is non-empty: writeLoop).
type Conn struct {
	h      *Hub
	ws     *websocket.Conn
	wire   *wire
	seq    int64 // the order it was accepted in (spreads pings)
	viewer atomic.Pointer[auth.Viewer]
	reauth Reauth // nil for anonymous visitors

	mu        sync.Mutex
	queue     [][]byte      // frames, often shared with other connections: read-only
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
func (c *Conn) enqueue(frame []byte, limit int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone || c.closeCode != 0 {
		return closed
	}
	if len(c.queue) >= limit {
		return full
	}
	c.queue = append(c.queue, frame)
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

// kick starts the connection's writer unless it runs, under c.mu.
func (c *Conn) kick() {
	if !c.writing {
		c.writing = true
		go c.writeLoop()
	}
}

// closeGrace is how long a closing connection waits for the client's
// close frame after sending its own.
const closeGrace = time.Second

// take hands the writer what is queued, and the close frame when the
// connection is closing; ok is false when there is nothing to write, and
// then the writer ends.
func (c *Conn) take() (frames [][]byte, closing, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room != nil {
		close(c.room)
		c.room = nil
	}
	if c.gone || (len(c.queue) == 0 && c.closeCode == 0) {
		c.writing = false
		return nil, false, false
	}
	frames, c.queue = c.queue, nil
	if c.closeCode != 0 {
		// Nothing is queued after a close is asked for: this frame ends
		// the stream, and the connection stays "writing" for good.
		frames = append(frames, closeFrame(c.closeCode, c.closeText))
		closing = true
	}
	return frames, closing, true
}

// writeLoop drains the queue on a goroutine of the connection's own and
// ends when it is empty, so an idle connection has no write goroutine.
// (A small pool of writers with non-blocking writes was tried instead and
// measured worse at 10,000 watchers: docs/benchmarks.md.)
func (c *Conn) writeLoop() {
	for {
		frames, closing, ok := c.take()
		if !ok {
			return
		}
		for _, f := range frames {
			if err := c.wire.write(f, time.Now().Add(c.h.opt.WriteWait)); err != nil {
				c.shutdown()
				return
			}
		}
		if closing {
			c.closed()
			return
		}
	}
}

// closed follows our close frame. Closing the socket now would lose that
// frame whenever the client's unread messages sit in our receive buffer
// (the kernel answers with a reset, and the client sees 1006, not our
// code). The reader drains until the client answers the close or
// closeGrace passes, then shuts down.
func (c *Conn) closed() {
	_ = c.ws.SetReadDeadline(time.Now().Add(closeGrace))
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
	if c.enqueue(textFrame(b), c.h.opt.QueueSize+controlSlack) == full {
		c.h.stats.tooSlow.Add(1)
		c.closeWith(CloseTooSlow, tooSlowText)
	}
}

func (c *Conn) sendError(code, msg, channel string) {
	c.send(encode(errorMsg{Type: "error", Code: code, Message: msg, Channel: channel}))
}
