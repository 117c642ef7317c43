//go:build unix

package main

import "syscall"

// The errors of a listen on a port in use, on a port this user may not
// bind, and on an address this machine does not have (listenError).
var (
	errAddrInUse    error = syscall.EADDRINUSE
	errAddrDenied   error = syscall.EACCES
	errAddrNotAvail error = syscall.EADDRNOTAVAIL
)
