package realtime

import (
	"context"
	"sync"
)

// Broker carries log positions between nodes. It carries wake-ups only:
// every hub reads the events themselves from the database, so a lost or
// repeated position costs latency, never an event. A node publishes the
// head it reached after its own commits; the others read up to it.
//
// On one node none is needed (the store's commit signal wakes the hub). A
// PostgreSQL LISTEN/NOTIFY or NATS broker for several nodes fills this seam.
type Broker interface {
	Publish(ctx context.Context, head int64) error
	// Subscribe returns positions published by any node, until ctx ends.
	Subscribe(ctx context.Context) (<-chan int64, error)
}

// LocalBroker is the in-process Broker: every subscriber hears every
// Publish. Hubs in one process sharing it behave like nodes sharing a
// real broker, which is how the seam is tested.
type LocalBroker struct {
	mu   sync.Mutex
	subs map[chan int64]struct{}
}

// NewLocalBroker returns an empty broker.
func NewLocalBroker() *LocalBroker { return &LocalBroker{subs: map[chan int64]struct{}{}} }

// Publish never blocks: a subscriber with a wake-up pending needs no other.
func (b *LocalBroker) Publish(_ context.Context, head int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- head:
		default:
		}
	}
	return nil
}

// Subscribe registers a listener until ctx ends; the channel is then closed.
func (b *LocalBroker) Subscribe(ctx context.Context) (<-chan int64, error) {
	ch := make(chan int64, 1)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, ch)
		close(ch)
		b.mu.Unlock()
	}()
	return ch, nil
}
