package logs

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONLinesParse(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	l.Debug("one", "k", 1)
	l.Info("two", "station", "XP-V-0101")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), buf.String())
	}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if m["msg"] == nil || m["level"] == nil {
			t.Errorf("line without msg or level: %q", line)
		}
	}
}

func TestLevelFilters(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "warn", "")
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hidden")
	l.Warn("shown")
	if s := buf.String(); strings.Contains(s, "hidden") || !strings.Contains(s, "level=WARN msg=shown") {
		t.Errorf("got %q", s)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	if _, err := New(&bytes.Buffer{}, "verbose", "text"); err == nil || !strings.Contains(err.Error(), `"verbose"`) {
		t.Errorf("level verbose: %v", err)
	}
	if _, err := New(&bytes.Buffer{}, "info", "xml"); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("format xml: %v", err)
	}
}
