package solverbus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// Run connects to NATS at url (comma-separated servers of a cluster; user
// and password may be in the URL), serves as a worker until ctx ends, then
// hands its running jobs back and closes. ready, when set, hears the
// worker once it is in the queue group.
func Run(ctx context.Context, url string, opts WorkerOptions, ready func(*Worker)) error {
	nc, err := nats.Connect(url, nats.Name("tongpei-solver-worker"), nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond), nats.RetryOnFailedConnect(false))
	if err != nil {
		return fmt.Errorf("cannot reach NATS at %s: %w; workers need the cluster's URL (TONGPEI_NATS_URL), not serve's embedded server", url, err)
	}
	defer nc.Close()
	w, err := StartWorker(nc, opts)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(w)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}
