package realtime

import "sort"

// ring holds the newest events in id order for catch-up without a database
// read. It is a window onto the log, never a copy of record: anything older
// is read from the events table.
type ring struct {
	buf   []*entry
	first int // index of the oldest entry
	n     int
	// from: the ring holds every event with from < id <= the hub's head.
	from int64
}

func newRing(size int, head int64) ring {
	return ring{buf: make([]*entry, size), from: head}
}

func (r *ring) at(i int) *entry { return r.buf[(r.first+i)%len(r.buf)] }

// push appends the newest event, evicting the oldest when full; it
// returns the evicted entry (nil when none was).
func (r *ring) push(e *entry) (evicted *entry) {
	switch {
	case len(r.buf) == 0:
		r.from = e.id
		return e
	case r.n < len(r.buf):
		r.buf[(r.first+r.n)%len(r.buf)] = e
		r.n++
	default:
		evicted = r.buf[r.first]
		r.from = evicted.id
		r.buf[r.first] = e
		r.first = (r.first + 1) % len(r.buf)
	}
	return evicted
}

// after returns up to max entries with id > pos, oldest first. ok is false
// when the ring no longer holds everything after pos (read the database).
func (r *ring) after(pos int64, max int) (out []*entry, ok bool) {
	if pos < r.from {
		return nil, false
	}
	i := sort.Search(r.n, func(i int) bool { return r.at(i).id > pos })
	for ; i < r.n && len(out) < max; i++ {
		out = append(out, r.at(i))
	}
	return out, true
}
