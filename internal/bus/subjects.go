package bus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// validToken reports a usable subject token: carrier codes and event kinds
// are letters, digits, '_' and '-', at most 64 bytes, so they can never be
// wildcards or split a subject.
func validToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// ValidCarrierCode reports whether code can be a carrier's subject token.
func ValidCarrierCode(code string) bool { return validToken(code) }

// unmarshalObject decodes a JSON object and nothing else.
func unmarshalObject(data []byte, v any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return errors.New("the body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// oneLine makes text safe for a NATS header value.
func oneLine(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}

// checkSubject refuses, at enqueue time, an event subject the relay could
// never deliver: a row no stream stores would stay unsent for ever.
func checkSubject(subject string) error {
	tokens := strings.Split(subject, ".")
	for _, t := range tokens {
		if t == "" || t == "*" || t == ">" || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return fmt.Errorf("subject %q is not a NATS subject a stream can store", subject)
		}
	}
	// Stored subjects are county-less (Layout.Place adds the county).
	for _, cfg := range streamConfigs(Layout{}) {
		prefix := strings.TrimSuffix(cfg.Subjects[0], ">")
		if strings.HasPrefix(subject, prefix) && len(subject) > len(prefix) {
			return nil
		}
	}
	return fmt.Errorf("no stream holds subject %q; use tongpei.parcel|dispatch|carrier|dlq|notify.… or add a stream in internal/bus/streams.go", subject)
}
