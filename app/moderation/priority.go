package moderation

import (
	"math"
	"time"
)

// The queue's order is one number per item, highest first:
//
//	10 × the flags' summed weight
//	+ 2 × the highest trust level among the reporters (staff count as 4)
//	+ log2(1 + the thread's posts), its reach
//	+ 1 for every 4 hours the item has waited
//
// The age term grows for every item alike, so it is stored as an offset
// from a fixed epoch: priority = score − hours(epoch → created) / 4. Items
// compare the same as with their current ages, the stored number never
// needs updating, and the queue is an index scan on (status, priority).
// Effective adds the age back for display.
const (
	weightPoints   = 10.0
	trustPoints    = 2.0
	hoursPerPoint  = 4.0
	staffTrustRank = 4
)

var priorityEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func hoursSinceEpoch(t time.Time) float64 { return t.Sub(priorityEpoch).Hours() }

// priority is the stored priority of an item created at created.
func priority(weight float64, maxTrust int, threadPosts int, created time.Time) float64 {
	score := weightPoints*weight + trustPoints*float64(maxTrust) + math.Log2(1+float64(max(threadPosts, 0)))
	return score - hoursSinceEpoch(created)/hoursPerPoint
}

// Effective is a stored priority as of now (its age term added back).
func Effective(stored float64, now time.Time) float64 {
	return math.Round((stored+hoursSinceEpoch(now)/hoursPerPoint)*100) / 100
}
