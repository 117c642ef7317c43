package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads a list of reverse proxies, IP addresses or
// CIDR prefixes separated by commas (10.0.0.5, 10.1.0.0/16, ::1); blanks
// around them are ignored and an empty list trusts none. It names the
// first entry it cannot read, in Chinese.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, "/") {
			p, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, fmt.Errorf("“%s”不是 IP 地址或 CIDR 网段", part)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("“%s”不是 IP 地址或 CIDR 网段", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// forwardedClient returns r with RemoteAddr the client's address that a
// trusted proxy gave in X-Forwarded-For, when the connection comes from
// one of trusted: the rightmost address of the header that is not a
// trusted proxy's, as each proxy appends the address it received the
// request from. A client can write any address into the header it sends,
// so only what trusted proxies appended is believed: the walk stops at the
// first address not trusted, or at the first entry that is not an address
// (a forged or broken header), keeping the last trusted hop. A connection
// from elsewhere, or without the header, keeps its own address.
func forwardedClient(r *http.Request, trusted []netip.Prefix) *http.Request {
	values := r.Header.Values("X-Forwarded-For")
	if len(trusted) == 0 || len(values) == 0 {
		return r
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !contains(trusted, peer) {
		return r
	}
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := hopAddr(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		client = a.WithZone("").Unmap()
		if !contains(trusted, client) {
			break
		}
	}
	if client == peer {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.RemoteAddr = netip.AddrPortFrom(client, 0).String()
	return r2
}

// hopAddr reads an address of X-Forwarded-For: an IP address, or one with
// the port some balancers append (203.0.113.9:51234, [2001:db8::1]:443).
func hopAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), true
	}
	return netip.Addr{}, false
}

// contains reports whether a is in one of prefixes.
func contains(prefixes []netip.Prefix, a netip.Addr) bool {
	a = a.WithZone("").Unmap()
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
