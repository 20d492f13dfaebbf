package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"
)

// advertisedNATSURL is the NATS URL carriers' logins carry. A phone or a
// carrier's server elsewhere on the LAN cannot use a loopback or a 0.0.0.0
// address, so: the operator's TONGPEI_NATS_ADVERTISE when set; else the
// listen address when it names one host; else, for a wildcard listen, the
// machine's first LAN address; the listen address only as the last resort.
func advertisedNATSURL(advertise, listen string) string {
	if advertise != "" {
		if !strings.Contains(advertise, "://") {
			advertise = "nats://" + advertise
		}
		return advertise
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "nats://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if lan := lanAddress(); lan != "" {
			host = lan
		}
	}
	return "nats://" + net.JoinHostPort(host, port)
}

// lanAddresses lists the machine's non-loopback IPv4 addresses, the ones a
// keeper's phone on the office Wi-Fi can reach.
func lanAddresses() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			out = append(out, n.IP.String())
		}
	}
	return out
}

func lanAddress() string {
	if a := lanAddresses(); len(a) > 0 {
		return a[0]
	}
	return ""
}

// consoleURLs are the addresses to print for the console: the listen
// address itself, or every LAN address when it listens on all of them.
func consoleURLs(addr string, withTLS bool) []string {
	scheme := "http://"
	if withTLS {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{scheme + addr}
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{scheme + addr}
	}
	urls := []string{scheme + net.JoinHostPort("127.0.0.1", port)}
	for _, a := range lanAddresses() {
		urls = append(urls, scheme+net.JoinHostPort(a, port))
	}
	return urls
}

// checkTLS loads the certificate pair before anything starts, so a wrong
// path fails at once with the variable to fix; both or neither must be set.
func checkTLS(cert, key string) (bool, error) {
	switch {
	case cert == "" && key == "":
		return false, nil
	case cert == "" || key == "":
		return false, fmt.Errorf("TLS needs both TONGPEI_TLS_CERT and TONGPEI_TLS_KEY (or --tls-cert and --tls-key)")
	}
	if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
		return false, fmt.Errorf("cannot load the TLS certificate %s and key %s: %w", cert, key, err)
	}
	return true, nil
}
