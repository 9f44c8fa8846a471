package realtime

import "encoding/binary"

// The hub writes its frames itself: a server's frames are unmasked and
// never compressed here, so a frame is a header of 2 to 10 bytes and the
// payload. One frame is built per event and channel and shared, read-only,
// by every connection it goes to; gorilla only reads, and answers the
// client's pings and closes, through the same lock (wire).

// textFrame is msg as one final text frame.
func textFrame(msg []byte) []byte {
	return frame(0x81, msg)
}

// pingFrame is an empty ping.
var pingFrame = []byte{0x89, 0x00}

// closeFrame is a close frame with code and reason (cut to fit the 125
// bytes a control frame may carry).
func closeFrame(code int, text string) []byte {
	if len(text) > 123 {
		text = text[:123]
	}
	p := make([]byte, 2, 2+len(text))
	binary.BigEndian.PutUint16(p, uint16(code)) //nolint:gosec // close codes are below 5000
	return frame(0x88, append(p, text...))
}

func frame(first byte, payload []byte) []byte {
	n := len(payload)
	var b []byte
	switch {
	case n < 126:
		b = make([]byte, 2, 2+n)
		b[1] = byte(n)
	case n <= 0xFFFF:
		b = make([]byte, 4, 4+n)
		b[1] = 126
		binary.BigEndian.PutUint16(b[2:], uint16(n))
	default:
		b = make([]byte, 10, 10+n)
		b[1] = 127
		binary.BigEndian.PutUint64(b[2:], uint64(n))
	}
	b[0] = first
	return append(b, payload...)
}
