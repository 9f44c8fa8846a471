//go:build unix

package realtime

import "syscall"

const canTryWrite = true

// tryWrite writes what of b the socket takes now, without waiting, under
// w.mu. It returns how much was written, and errWouldBlock when the send
// buffer filled before the end.
func (w *wire) tryWrite(b []byte) (int, error) {
	var n int
	var werr error
	err := w.raw.Write(func(fd uintptr) bool {
		for n < len(b) {
			m, e := syscall.Write(int(fd), b[n:])
			if m > 0 {
				n += m
			}
			switch {
			case e == syscall.EINTR:
				continue
			case e == syscall.EAGAIN:
				werr = errWouldBlock
			case e != nil:
				werr = e
			case m <= 0:
				werr = errWouldBlock
			}
			if werr != nil {
				break
			}
		}
		return true // one attempt: never park on the poller here
	})
	if err != nil {
		return n, err
	}
	return n, werr
}
