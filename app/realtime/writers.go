package realtime

import (
	"runtime"
	"sync"
)

// writers is the hub's small pool of write goroutines. A fan-out to
// 10,000 connections used to start 10,000 write goroutines at once; the
// HTTP request that came next then waited behind all of them in the
// scheduler's run queue. Now the connections with something to send line
// up here and a few goroutines write to them without blocking. A socket
// whose send buffer is full (a client that does not read) is handed to a
// goroutine of its own, so it never holds the pool up.
type writers struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready []*Conn // waiting from ready[head]
	head  int
	stop  bool
	wg    sync.WaitGroup
}

// yieldEvery is how many connections a writer serves before letting other
// goroutines (a reply being posted) run: a fan-out goes on at full speed
// but never keeps a request waiting for more than a fraction of it.
const yieldEvery = 128

func newWriters(n int) *writers {
	w := &writers{}
	w.cond = sync.NewCond(&w.mu)
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	w.wg.Add(n)
	for range n {
		go w.run()
	}
	return w
}

// push lines c up; it never blocks (the fan-out calls it under h.mu).
func (w *writers) push(c *Conn) {
	w.mu.Lock()
	w.ready = append(w.ready, c)
	w.mu.Unlock()
	w.cond.Signal()
}

func (w *writers) run() {
	defer w.wg.Done()
	batch := make([]*Conn, 0, 64)
	served := 0
	for {
		w.mu.Lock()
		for w.head == len(w.ready) && !w.stop {
			w.cond.Wait()
		}
		if w.head == len(w.ready) {
			w.mu.Unlock()
			return
		}
		n := copy(batch[:cap(batch)], w.ready[w.head:])
		batch = batch[:n]
		clear(w.ready[w.head : w.head+n])
		if w.head += n; w.head == len(w.ready) {
			w.ready, w.head = w.ready[:0], 0 // keep the array for the next fan-out
		}
		w.mu.Unlock()
		for i, c := range batch {
			c.flush()
			batch[i] = nil
			if served++; served%yieldEvery == 0 {
				runtime.Gosched()
			}
		}
	}
}

// close stops the writers once the line is empty.
func (w *writers) close() {
	w.mu.Lock()
	w.stop = true
	w.mu.Unlock()
	w.cond.Broadcast()
	w.wg.Wait()
}
