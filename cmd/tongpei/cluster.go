package main

import (
	"fmt"
	"strconv"

	"github.com/tongpei/tongpei/internal/bus"
)

// streamReplicas reads TONGPEI_NATS_REPLICAS: empty is 0 (new streams R1,
// existing ones keep theirs); more than 1 needs an external JetStream
// cluster, since the embedded server is one node and would refuse.
func streamReplicas(c config) (int, error) {
	if c.NATSReplicas == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(c.NATSReplicas)
	if err != nil || n < 1 || n > bus.MaxReplicas {
		return 0, fmt.Errorf("TONGPEI_NATS_REPLICAS=%q: give 1 to %d servers per stream (3 for a 3-node cluster)", c.NATSReplicas, bus.MaxReplicas)
	}
	if n > 1 && c.NATSURL == "" {
		return 0, fmt.Errorf("TONGPEI_NATS_REPLICAS=%d needs a JetStream cluster: set TONGPEI_NATS_URL to its servers (nats://a:4222,nats://b:4222,nats://c:4222), or use 1 with the embedded server", n)
	}
	return n, nil
}
