package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real tongpei once per test run, so these tests see what
// an operator runs.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tongpei-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tongpei")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a running `tongpei serve` process.
type server struct {
	cmd    *exec.Cmd
	addr   string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func startServe(t *testing.T, dbURL string, args ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	s.cmd = exec.Command(binary(t), append([]string{"serve"}, args...)...)
	s.cmd.Env = append(os.Environ(),
		"TONGPEI_DATABASE_URL="+dbURL,
		"TONGPEI_ADDR="+s.addr,
		"TONGPEI_NATS_URL=",
		"TONGPEI_NATS_LISTEN="+freeAddr(t),
		"TONGPEI_DATA_DIR="+t.TempDir(),
	)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s
}

// waitReady polls /readyz until it answers 200 or the deadline passes.
func (s *server) waitReady(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not ready within %v\nstderr: %s", within, s.stderr)
}

// stop sends SIGTERM and returns the exit code and how long it took.
func (s *server) stop(t *testing.T) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15 s after SIGTERM\nstderr: %s", s.stderr)
	}
	return s.cmd.ProcessState.ExitCode(), time.Since(start)
}

func TestServeStartsReadyAndStopsCleanly(t *testing.T) {
	t.Parallel()
	s := startServe(t, pgtest.URL(t))
	s.waitReady(t, 30*time.Second)
	for _, path := range []string{"/healthz", "/metrics", "/openapi.json"} {
		resp, err := http.Get("http://" + s.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	code, took := s.stop(t)
	if code != 0 || took > 10*time.Second {
		t.Fatalf("exit %d after %v, want 0 within 10 s\nstderr: %s", code, took, s.stderr)
	}
}

func TestServeBadConfigIsOneClearLine(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := map[string][]string{
		"unreachable database": {"TONGPEI_DATABASE_URL=postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", "TONGPEI_ADDR=" + freeAddr(t)},
		"bad database URL":     {"TONGPEI_DATABASE_URL=postgres://[::1", "TONGPEI_ADDR=" + freeAddr(t)},
		"port taken":           {"TONGPEI_DATABASE_URL=" + pgtest.URL(t), "TONGPEI_ADDR=" + busy.Addr().String()},
		"bad NATS URL":         {"TONGPEI_DATABASE_URL=" + pgtest.URL(t), "TONGPEI_ADDR=" + freeAddr(t), "TONGPEI_NATS_URL=nats://127.0.0.1:1"},
	}
	for name, env := range cases {
		cmd := exec.Command(binary(t), "serve")
		cmd.Env = append(os.Environ(), append(env, "TONGPEI_DATA_DIR="+t.TempDir(), "TONGPEI_NATS_LISTEN="+freeAddr(t))...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		last := lines[len(lines)-1]
		if err == nil || !strings.HasPrefix(last, "tongpei: ") || !strings.Contains(last, "TONGPEI_") {
			t.Errorf("%s: want a non-zero exit and one line naming the setting to fix, got %v: %q", name, err, stderr.String())
		}
	}
}

// TestServeDemoTwiceChangesNothing: the demonstration county loads once; a
// second `serve --demo` on the same database prints the same tokens and
// leaves every table as it was.
func TestServeDemoTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	dump := func() map[string]string {
		pool, err := pg.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		rows, err := pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, name := range tables {
			var sum *string
			q := fmt.Sprintf(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM %s t`, pgx.Identifier{name}.Sanitize())
			if err := pool.QueryRow(context.Background(), q).Scan(&sum); err != nil {
				t.Fatal(err)
			}
			if sum != nil {
				out[name] = *sum
			}
		}
		return out
	}
	run := func() string {
		s := startServe(t, dbURL, "--demo")
		s.waitReady(t, 60*time.Second)
		if code, _ := s.stop(t); code != 0 {
			t.Fatalf("exit %d: %s", code, s.stderr)
		}
		return s.stdout.String()
	}
	firstOut := run()
	first := dump()
	secondOut := run()
	second := dump()
	if len(first) < 5 || first["stations"] == "" {
		t.Fatalf("the demonstration county did not load: %v", first)
	}
	for name, sum := range first {
		if second[name] != sum {
			t.Errorf("table %s changed on the second serve --demo", name)
		}
	}
	tokenLines := func(out string) (lines []string) {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "token ") {
				lines = append(lines, l)
			}
		}
		return lines
	}
	if a, b := tokenLines(firstOut), tokenLines(secondOut); len(a) != 4 || strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("token lines differ between starts:\n%v\n%v", a, b)
	}
}
