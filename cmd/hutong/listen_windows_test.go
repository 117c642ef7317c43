package main

import (
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestListenErrorWinsock: a listen refused with Winsock's error numbers, as
// Windows refuses it, is said in Chinese as on other systems.
func TestListenErrorWinsock(t *testing.T) {
	for errno, want := range map[syscall.Errno]string{
		10048: "端口已被占用",
		10013: "没有权限",
		10049: "本机没有这个地址",
	} {
		err := &net.OpError{Op: "listen", Net: "tcp", Err: os.NewSyscallError("bind", errno)}
		if got := listenError("127.0.0.1:80", err); !strings.Contains(got.Error(), want) {
			t.Errorf("errno %d: %v, want %q", errno, got, want)
		}
	}
}
