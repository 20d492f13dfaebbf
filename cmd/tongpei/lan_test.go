package main

import (
	"strings"
	"testing"
)

func TestAdvertisedNATSURL(t *testing.T) {
	if got := advertisedNATSURL("192.168.1.10:4223", "0.0.0.0:4223"); got != "nats://192.168.1.10:4223" {
		t.Errorf("advertise without scheme: %s", got)
	}
	if got := advertisedNATSURL("tls://nats.xinping.gov.cn:443", "127.0.0.1:4223"); got != "tls://nats.xinping.gov.cn:443" {
		t.Errorf("advertise with scheme: %s", got)
	}
	if got := advertisedNATSURL("", "10.0.0.5:4223"); got != "nats://10.0.0.5:4223" {
		t.Errorf("specific listen host: %s", got)
	}
	// A wildcard listen is never handed out: carriers get a LAN address
	// when the machine has one.
	for _, listen := range []string{"0.0.0.0:4223", "[::]:4223", ":4223"} {
		got := advertisedNATSURL("", listen)
		if lan := lanAddress(); lan != "" && got != "nats://"+lan+":4223" {
			t.Errorf("%s: %s, want the LAN address %s", listen, got, lan)
		}
		if strings.Contains(got, "0.0.0.0") && lanAddress() != "" {
			t.Errorf("%s: wildcard handed out: %s", listen, got)
		}
	}
}

func TestConsoleURLs(t *testing.T) {
	if got := consoleURLs("127.0.0.1:8080", false); len(got) != 1 || got[0] != "http://127.0.0.1:8080" {
		t.Errorf("loopback: %v", got)
	}
	got := consoleURLs("0.0.0.0:8443", true)
	if got[0] != "https://127.0.0.1:8443" || len(got) != 1+len(lanAddresses()) {
		t.Errorf("wildcard: %v (LAN %v)", got, lanAddresses())
	}
}

func TestCheckTLSNeedsBoth(t *testing.T) {
	if on, err := checkTLS("", ""); on || err != nil {
		t.Errorf("none: %v %v", on, err)
	}
	if _, err := checkTLS("cert.pem", ""); err == nil || !strings.Contains(err.Error(), "TONGPEI_TLS_KEY") {
		t.Errorf("cert only: %v", err)
	}
	if _, err := checkTLS("/nonexistent/cert.pem", "/nonexistent/key.pem"); err == nil || !strings.Contains(err.Error(), "/nonexistent/cert.pem") {
		t.Errorf("missing files: %v", err)
	}
}
