package main

import "syscall"

// The errors of a listen on a port in use, on a port this user may not
// bind, and on an address this machine does not have (listenError): on
// Windows, Winsock's WSAEADDRINUSE, WSAEACCES and WSAEADDRNOTAVAIL, which
// syscall.EADDRINUSE and the like (numbers Go invents there) do not match.
var (
	errAddrInUse    error = syscall.Errno(10048)
	errAddrDenied   error = syscall.WSAEACCES // 10013
	errAddrNotAvail error = syscall.Errno(10049)
)
