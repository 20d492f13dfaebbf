package bus_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// nodeEnv makes this test binary one node of a cluster (TestNATSNodeProcess).
const nodeEnv = "TONGPEI_BUS_TEST_NATS_NODE"

type nodeSpec struct {
	Name        string `json:"name"`
	Port        int    `json:"port"`
	ClusterPort int    `json:"cluster_port"`
	Routes      string `json:"routes"`
	Store       string `json:"store"`
}

// TestNATSNodeProcess is not a test: run by TestClusterR3KeepsEveryEventThroughASIGKILL
// in a child process, it is one JetStream server until killed.
func TestNATSNodeProcess(t *testing.T) {
	raw := os.Getenv(nodeEnv)
	if raw == "" {
		t.Skip("only runs as a child of TestClusterR3KeepsEveryEventThroughASIGKILL")
	}
	var n nodeSpec
	if err := json.Unmarshal([]byte(raw), &n); err != nil {
		t.Fatal(err)
	}
	srv, err := server.NewServer(&server.Options{
		ServerName: n.Name, Host: "127.0.0.1", Port: n.Port, JetStream: true, StoreDir: n.Store, NoSigs: true, NoLog: true,
		Cluster: server.ClusterOpts{Name: "tongpei-test", Host: "127.0.0.1", Port: n.ClusterPort},
		Routes:  server.RoutesFromStr(n.Routes),
	})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(20 * time.Second) {
		t.Fatal("not ready")
	}
	os.Stdout.WriteString("ready\n")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	srv.Shutdown()
	srv.WaitForShutdown()
}

// TestClusterR3KeepsEveryEventThroughASIGKILL is the node-loss test with
// each server in its own process and the parcel stream's leader killed
// with SIGKILL: no clean shutdown, its store left as a crash leaves it.
func TestClusterR3KeepsEveryEventThroughASIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-process cluster")
	}
	const n = 3
	specs := make([]nodeSpec, n)
	routes := make([]string, n)
	for i := range specs {
		specs[i] = nodeSpec{Name: "node-" + strconv.Itoa(i), Port: freeTCPPort(t), ClusterPort: freeTCPPort(t), Store: t.TempDir()}
		routes[i] = "nats://127.0.0.1:" + strconv.Itoa(specs[i].ClusterPort)
	}
	procs := map[string]*exec.Cmd{}
	urls := make([]string, n)
	for i := range specs {
		specs[i].Routes = strings.Join(routes, ",")
		raw, _ := json.Marshal(specs[i])
		cmd := exec.Command(os.Args[0], "-test.run=^TestNATSNodeProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), nodeEnv+"="+string(raw))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		ready := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "ready" {
					close(ready)
				}
			}
		}()
		select {
		case <-ready:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not start within 30 s", specs[i].Name)
		}
		procs[specs[i].Name] = cmd
		urls[i] = "nats://127.0.0.1:" + strconv.Itoa(specs[i].Port)
	}
	url := strings.Join(urls, ",")
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	metaReady := func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := js.AccountInfo(ctx)
		return err == nil
	}
	eventually(t, 30*time.Second, "the cluster's JetStream never answered", metaReady)
	var killed string
	nodeLoss(t, url, func(leader string) {
		killed = leader
		if err := procs[leader].Process.Kill(); err != nil {
			t.Fatal(err)
		}
	}, func() {
		eventually(t, 30*time.Second, "the stream has no new leader", func() bool {
			if !metaReady() {
				return false
			}
			s, err := js.Stream(context.Background(), "TONGPEI_PARCELS")
			if err != nil {
				return false
			}
			l := s.CachedInfo().Cluster
			return l != nil && l.Leader != "" && l.Leader != killed
		})
	})
}

func freeTCPPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
