//go:build unix

package web

import "syscall"

// RaiseFileLimit lifts the soft limit on open files to the hard limit and
// returns both. Every websocket client holds a descriptor for as long as it
// stays, so the soft limit bounds how many can watch at once. (Go itself
// raises it when the os package starts on most systems; this makes sure,
// and tells the caller what the limit is.)
func RaiseFileLimit() (soft, hard uint64, err error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, 0, err
	}
	if lim.Cur < lim.Max {
		want := lim
		want.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return uint64(lim.Cur), uint64(lim.Max), err //nolint:unconvert // int64 on some BSDs
		}
		lim = want
	}
	return uint64(lim.Cur), uint64(lim.Max), nil //nolint:unconvert // int64 on some BSDs
}
