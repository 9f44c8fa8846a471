package e2e

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Cutter is a TCP proxy in front of the site. A browser that goes through
// it (Site.BrowserVia) can lose its network on command: Cut closes every
// connection, websockets included, and refuses new ones until Restore.
type Cutter struct {
	URL    string // http://127.0.0.1:port, for BrowserVia
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Cutter starts a proxy to the site; it stops when the test ends.
func (s *Site) Cutter(t *testing.T) *Cutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cutter{URL: "http://" + ln.Addr().String(), ln: ln, target: s.Server.Listener.Addr().String(), conns: map[net.Conn]struct{}{}}
	c.wg.Add(1)
	go c.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		c.Cut()
		c.wg.Wait()
	})
	return c
}

func (c *Cutter) accept() {
	defer c.wg.Done()
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.mu.Lock()
		down := c.down
		c.mu.Unlock()
		if down {
			_ = in.Close()
			continue
		}
		out, err := net.Dial("tcp", c.target)
		if err != nil {
			_ = in.Close()
			continue
		}
		if !c.track(in, out) {
			continue
		}
		c.wg.Add(2)
		go c.pipe(in, out)
		go c.pipe(out, in)
	}
}

// track records a proxied pair, unless Cut came in between.
func (c *Cutter) track(in, out net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		_ = in.Close()
		_ = out.Close()
		return false
	}
	c.conns[in], c.conns[out] = struct{}{}, struct{}{}
	return true
}

func (c *Cutter) pipe(dst, src net.Conn) {
	defer c.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	c.mu.Lock()
	delete(c.conns, dst)
	delete(c.conns, src)
	c.mu.Unlock()
}

// Cut drops every connection through the proxy and refuses new ones.
func (c *Cutter) Cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = true
	for conn := range c.conns {
		_ = conn.Close()
	}
}

// Restore lets connections through again.
func (c *Cutter) Restore() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = false
}
