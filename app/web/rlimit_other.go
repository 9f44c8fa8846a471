//go:build !unix

package web

// RaiseFileLimit reports no limit where there is no RLIMIT_NOFILE.
func RaiseFileLimit() (soft, hard uint64, err error) { return 0, 0, nil }
