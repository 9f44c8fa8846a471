// Package pagecache keeps recently rendered anonymous responses (thread
// pages, forum lists, the home page, and their JSON twins) in memory for a
// few seconds, so that a crowd of visitors reading the same thread costs one
// render instead of thousands.
//
// It is a consumer of the event log: the Follower reads committed events and
// drops every entry tagged with what changed (a thread, a forum, or all).
// Three rules keep it from ever serving something wrong:
//
//   - Only anonymous responses are stored; nothing viewer-specific is cached.
//   - An entry built from a read that raced a write is refused at Put (each
//     tag remembers when it was last invalidated, see Snapshot).
//   - While this process has committed a write the Follower has not applied
//     yet, the cache is bypassed (Fresh), so a client that got its 201 never
//     reads a page older than its own write.
//
// Entries also expire after a TTL, which bounds the age of relative times
// ("3 minutes ago") and of changes made by other nodes between polls.
package pagecache

import (
	"bytes"
	"container/list"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is one stored response. The body is kept compressed in parts split
// at the per-process nonce placeholder, so each hit can carry its own CSP
// nonce (see Packed).
type Entry struct {
	Status       int
	ContentType  string
	CacheControl string
	Body         *Packed
	Tags         []string

	key     string
	size    int
	expires time.Time
}

// Options size the cache.
type Options struct {
	MaxBytes int64         // total compressed body bytes kept (default 64 MiB)
	TTL      time.Duration // longest life of an entry (default 10 s)
	Now      func() time.Time
}

// Stats are counters for metrics and tests.
type Stats struct {
	Hits, Misses, Stores, Refused, Evictions, Invalidations uint64
	Entries                                                 int
	Bytes                                                   int64
}

// nBuckets is the size of the per-tag invalidation table. Tags hash into
// it; a collision only makes a Put be refused, never serves stale data.
const nBuckets = 4096

// Cache is safe for concurrent use.
type Cache struct {
	opt  Options
	seed maphash.Seed

	mu       sync.Mutex
	entries  map[string]*list.Element // key -> element holding *Entry
	lru      *list.List               // front = most recently used
	byTag    map[string]map[string]struct{}
	bytes    int64
	seq      uint64 // bumped on every invalidation
	flushSeq uint64 // seq of the last Flush
	buckets  [nBuckets]uint64

	// seen is the commit-signal sequence the Follower has caught up to;
	// head is the function reading the current one (Store.Commits().Seq).
	seen atomic.Uint64
	head func() uint64

	hits, misses, stores, refused, evictions, invalidations atomic.Uint64
}

// New returns an empty cache. head reports the newest local commit sequence
// (store.Signal.Seq); nil means "always fresh" (tests of the cache alone).
func New(o Options, head func() uint64) *Cache {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 64 << 20
	}
	if o.TTL <= 0 {
		o.TTL = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Cache{opt: o, seed: maphash.MakeSeed(), entries: map[string]*list.Element{},
		lru: list.New(), byTag: map[string]map[string]struct{}{}, head: head}
	c.seen.Store(notStarted) // stale until the Follower has read the log once
	return c
}

// notStarted is a commit sequence no Signal reaches.
const notStarted = ^uint64(0)

// Fresh reports whether every local commit has been applied by the
// Follower. When it is false, readers must bypass the cache entirely.
func (c *Cache) Fresh() bool {
	return c.head == nil || c.seen.Load() == c.head()
}

// caughtUp records that the Follower has applied everything up to commit
// sequence s.
func (c *Cache) caughtUp(s uint64) { c.seen.Store(s) }

// Snapshot is taken before reading the database for a response that may be
// stored; Put refuses the entry if any of its tags changed after it.
func (c *Cache) Snapshot() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

// Get returns a live entry for key.
func (c *Cache) Get(key string) (*Entry, bool) {
	c.mu.Lock()
	el, ok := c.entries[key]
	if ok {
		e := el.Value.(*Entry)
		if c.opt.Now().Before(e.expires) {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			c.hits.Add(1)
			return e, true
		}
		c.remove(el)
	}
	c.mu.Unlock()
	c.misses.Add(1)
	return nil, false
}

// Split cuts body at every occurrence of placeholder.
func Split(body, placeholder []byte) [][]byte {
	if len(placeholder) == 0 {
		return [][]byte{body}
	}
	return bytes.Split(body, placeholder)
}

// Put stores e under key unless one of its tags (or everything) was
// invalidated after snap. It reports whether the entry was stored.
func (c *Cache) Put(key string, e *Entry, snap uint64) bool {
	if len(e.Tags) == 0 {
		c.refused.Add(1)
		return false
	}
	size := len(key) + e.Body.Size()
	if int64(size) > c.opt.MaxBytes/8 {
		c.refused.Add(1) // one huge page must not empty the cache
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flushSeq > snap {
		c.refused.Add(1)
		return false
	}
	for _, t := range e.Tags {
		if c.buckets[c.bucket(t)] > snap {
			c.refused.Add(1)
			return false
		}
	}
	if old, ok := c.entries[key]; ok {
		c.remove(old)
	}
	e.key, e.size, e.expires = key, size, c.opt.Now().Add(c.opt.TTL)
	c.entries[key] = c.lru.PushFront(e)
	for _, t := range e.Tags {
		m := c.byTag[t]
		if m == nil {
			m = map[string]struct{}{}
			c.byTag[t] = m
		}
		m[key] = struct{}{}
	}
	c.bytes += int64(size)
	for c.bytes > c.opt.MaxBytes && c.lru.Len() > 0 {
		c.remove(c.lru.Back())
		c.evictions.Add(1)
	}
	c.stores.Add(1)
	return true
}

// Invalidate drops every entry carrying one of tags.
func (c *Cache) Invalidate(tags ...string) {
	if len(tags) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	for _, t := range tags {
		c.buckets[c.bucket(t)] = c.seq
		for key := range c.byTag[t] {
			if el, ok := c.entries[key]; ok {
				c.remove(el)
			}
		}
	}
	c.invalidations.Add(1)
}

// Flush drops everything.
func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.flushSeq = c.seq
	c.entries = map[string]*list.Element{}
	c.byTag = map[string]map[string]struct{}{}
	c.lru.Init()
	c.bytes = 0
	c.invalidations.Add(1)
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	n, b := len(c.entries), c.bytes
	c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Stores: c.stores.Load(), Refused: c.refused.Load(),
		Evictions: c.evictions.Load(), Invalidations: c.invalidations.Load(), Entries: n, Bytes: b}
}

func (c *Cache) bucket(tag string) uint64 {
	return maphash.String(c.seed, tag) % nBuckets
}

// remove unlinks el; the caller holds mu.
func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*Entry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	for _, t := range e.Tags {
		if m := c.byTag[t]; m != nil {
			delete(m, e.key)
			if len(m) == 0 {
				delete(c.byTag, t)
			}
		}
	}
	c.bytes -= int64(e.size)
}
