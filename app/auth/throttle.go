package auth

import (
	"sync"
	"time"
)

// Sign-in throttle limits: the 7th failure within a minute from one address,
// or the 101st within an hour against one account, is refused with 429.
const (
	ipFailLimit      = 6
	ipWindow         = time.Minute
	accountFailLimit = 100
	accountWindow    = time.Hour
)

// Throttle counts recent sign-in failures in memory. It is per process: on
// several nodes each node throttles on its own, which still bounds guessing.
type Throttle struct {
	mu      sync.Mutex
	ip      map[string][]time.Time
	account map[string][]time.Time
}

// NewThrottle returns an empty throttle.
func NewThrottle() *Throttle {
	return &Throttle{ip: map[string][]time.Time{}, account: map[string][]time.Time{}}
}

// Blocked returns how long to wait, or 0 when an attempt may go ahead.
func (t *Throttle) Blocked(ip, account string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	wait := time.Duration(0)
	if fails := prune(t.ip, ip, now, ipWindow); len(fails) >= ipFailLimit {
		wait = fails[0].Add(ipWindow).Sub(now)
	}
	if fails := prune(t.account, account, now, accountWindow); len(fails) >= accountFailLimit {
		wait = max(wait, fails[0].Add(accountWindow).Sub(now))
	}
	return wait
}

// Fail records a failed attempt.
func (t *Throttle) Fail(ip, account string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ip[ip] = append(prune(t.ip, ip, now, ipWindow), now)
	t.account[account] = append(prune(t.account, account, now, accountWindow), now)
	// Bound memory under a spray of distinct keys: forget idle entries.
	if len(t.ip)+len(t.account) > 100_000 {
		for k := range t.ip {
			if len(prune(t.ip, k, now, ipWindow)) == 0 {
				delete(t.ip, k)
			}
		}
		for k := range t.account {
			if len(prune(t.account, k, now, accountWindow)) == 0 {
				delete(t.account, k)
			}
		}
	}
}

func prune(m map[string][]time.Time, key string, now time.Time, window time.Duration) []time.Time {
	fails := m[key]
	i := 0
	for i < len(fails) && now.Sub(fails[i]) >= window {
		i++
	}
	fails = fails[i:]
	if len(fails) == 0 {
		delete(m, key)
	} else {
		m[key] = fails
	}
	return fails
}
