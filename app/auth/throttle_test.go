package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleLimits(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 6 {
		if th.Blocked("1.2.3.4", "anna", now) > 0 {
			t.Fatalf("blocked before the 7th attempt (after %d failures)", i)
		}
		th.Fail("1.2.3.4", "anna", now)
	}
	if th.Blocked("1.2.3.4", "anna", now) == 0 {
		t.Fatal("the 7th attempt in a minute from one address was not refused")
	}
	if th.Blocked("5.6.7.8", "ben", now) > 0 {
		t.Fatal("another address and account are blocked too")
	}
	if th.Blocked("1.2.3.4", "anna", now.Add(61*time.Second)) > 0 {
		t.Fatal("the address block outlived its minute")
	}
	// One account attacked from many addresses: refused after 100 failures an hour.
	for i := range 100 {
		at := now.Add(time.Duration(i) * 20 * time.Second)
		ip := fmt.Sprintf("10.0.%d.%d", i/250, i%250)
		if th.Blocked(ip, "carol", at) > 0 {
			t.Fatalf("account blocked after %d failures", i)
		}
		th.Fail(ip, "carol", at)
	}
	if w := th.Blocked("10.9.9.9", "carol", now.Add(34*time.Minute)); w <= 0 {
		t.Fatal("the 101st failure within an hour against one account was not refused")
	}
	if th.Blocked("10.9.9.9", "carol", now.Add(2*time.Hour)) > 0 {
		t.Fatal("the account block outlived its hour")
	}
}
