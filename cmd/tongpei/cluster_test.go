package main

import "testing"

func TestStreamReplicasSetting(t *testing.T) {
	for _, c := range []struct {
		url, replicas string
		want          int
		ok            bool
	}{
		{"", "", 0, true},
		{"", "1", 1, true},
		{"", "3", 0, false}, // the embedded server is one node
		{"nats://a:4222,nats://b:4222,nats://c:4222", "3", 3, true},
		{"nats://a:4222", "0", 0, false},
		{"nats://a:4222", "6", 0, false},
		{"nats://a:4222", "three", 0, false},
	} {
		got, err := streamReplicas(config{NATSURL: c.url, NATSReplicas: c.replicas})
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("url %q replicas %q: %d, %v; want %d (ok %v)", c.url, c.replicas, got, err, c.want, c.ok)
		}
	}
}
