//go:build !unix

package realtime

const canTryWrite = false

// tryWrite is not available: every connection writes on its own goroutine.
func (w *wire) tryWrite([]byte) (int, error) { return 0, errWouldBlock }
