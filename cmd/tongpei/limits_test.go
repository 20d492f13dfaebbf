package main

import (
	"testing"
	"time"
)

// TestLimitsFromEnv reads the queue's wait and target over the defaults,
// turns the CoDel target off with 0, and refuses a value that is no
// duration with a message naming the variable.
func TestLimitsFromEnv(t *testing.T) {
	t.Parallel()
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	l, err := limitsFromEnv(env(map[string]string{"TONGPEI_QUEUE_WAIT": "100ms", "TONGPEI_QUEUE_TARGET": "0"}))
	if err != nil || l.QueueWait != 100*time.Millisecond || l.QueueTarget != 0 {
		t.Errorf("wait 100ms, target 0: %v %v %v", l.QueueWait, l.QueueTarget, err)
	}
	if l, _ := limitsFromEnv(env(nil)); l.QueueTarget != 5*time.Millisecond {
		t.Errorf("default target %v, want 5ms", l.QueueTarget)
	}
	if _, err := limitsFromEnv(env(map[string]string{"TONGPEI_QUEUE_TARGET": "soon"})); err == nil {
		t.Error("TONGPEI_QUEUE_TARGET=soon was taken")
	}
}
