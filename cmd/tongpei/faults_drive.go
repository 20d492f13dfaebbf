package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tongpei/tongpei/stations"
)

func newLoadClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1000}}
}

func newScanID() string { return uuid.NewString() }

// sendUntilAnswered posts one batch until the server answers 200, as a
// scanner resends: after no answer, a 5xx or a refusal it waits (the
// Retry-After asked for, else 100 ms) and sends the same scans again. The
// final answer's per-scan results are counted.
func (r *faultRun) sendUntilAnswered(ctx context.Context, scans []map[string]any) {
	for ctx.Err() == nil {
		var out struct{ Results []stations.Result }
		l := *r.load
		l.base = r.base()
		status, err := l.post(ctx, l.admin, "/v1/scans", map[string]any{"scans": scans}, &out)
		if err != nil {
			status = 0
		}
		r.mu.Lock()
		r.answers[status]++
		if status == http.StatusOK {
			for _, res := range out.Results {
				r.results[res.Status]++
			}
		}
		r.mu.Unlock()
		if status == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cutPostgres runs restart when given; else it ends every connection to
// the suite's database, which is what the server sees of a restart,
// without stopping a PostgreSQL that other work may share.
func cutPostgres(ctx context.Context, pool *pgxpool.Pool, dbURL, db, restart string) error {
	if restart != "" {
		out, err := exec.CommandContext(ctx, "sh", "-c", restart).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w: %s", restart, err, out)
		}
	} else {
		// Every connection but this one: the server's pool and the suite's
		// other connections see the server go away. A connection of the
		// login user, not the pool's: the pool works as the app role
		// (internal/pg.AppRole), which may not end the login user's sessions.
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = $1 AND pid <> pg_backend_pid()`, db); err != nil {
			return err
		}
	}
	// Back when PostgreSQL answers again.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if err := pool.Ping(ctx); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("PostgreSQL did not come back in 60 s")
}

// faultNATS is a JetStream server on a fixed port and store that the suite
// stops and starts, and whose store it deletes.
type faultNATS struct {
	opts     natsserver.Options
	srv      *natsserver.Server
	url      string
	storeDir string
}

func startNATS() (*faultNATS, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	_, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	dir, err := os.MkdirTemp("", "tongpei-faults-nats-")
	if err != nil {
		return nil, err
	}
	n := &faultNATS{opts: natsserver.Options{ServerName: "fault-suite", Host: "127.0.0.1", Port: port, JetStream: true,
		StoreDir: dir, NoSigs: true, NoLog: true}, url: "nats://" + addr, storeDir: dir}
	return n, n.start()
}

func (n *faultNATS) start() error {
	var err error
	for range 20 {
		opts := n.opts // the server keeps and changes its options
		n.srv, err = natsserver.NewServer(&opts)
		if err == nil {
			go n.srv.Start()
			if n.srv.ReadyForConnections(5 * time.Second) {
				return nil
			}
			n.srv.Shutdown()
			n.srv.WaitForShutdown()
			err = errors.New("not ready in 5 s")
		}
		time.Sleep(100 * time.Millisecond) // the port may linger a moment
	}
	n.srv = nil
	return fmt.Errorf("NATS did not start on port %d: %w", n.opts.Port, err)
}

func (n *faultNATS) stop() {
	if n.srv == nil {
		return
	}
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
	n.srv = nil
}

// parcelMessages reads the whole parcels stream: its messages, and how
// many distinct Nats-Msg-Id (event ids) they carry.
func (n *faultNATS) parcelMessages(ctx context.Context) (msgs, distinct int, err error) {
	nc, err := nats.Connect(n.url)
	if err != nil {
		return 0, 0, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return 0, 0, err
	}
	st, err := js.Stream(ctx, "TONGPEI_PARCELS")
	if err != nil {
		return 0, 0, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, 0, err
	}
	total := int(info.State.Msgs)
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return 0, 0, err
	}
	seen := map[string]bool{}
	for msgs < total {
		batch, err := cons.Fetch(min(500, total-msgs), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return msgs, len(seen), err
		}
		got := 0
		for m := range batch.Messages() {
			got++
			msgs++
			seen[m.Headers().Get(nats.MsgIdHdr)] = true
		}
		if got == 0 {
			return msgs, len(seen), fmt.Errorf("the stream holds %d messages, read %d", total, msgs)
		}
	}
	return msgs, len(seen), nil
}
