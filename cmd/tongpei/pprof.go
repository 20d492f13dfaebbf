package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// startPprof serves Go's profiles on TONGPEI_PPROF_ADDR (e.g.
// 127.0.0.1:6060) when it is set, on a listener of its own, never on the
// API's address: bench-load profiles a serve under load with it.
func startPprof() {
	addr := os.Getenv("TONGPEI_PPROF_ADDR")
	if addr == "" {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		slog.Warn("cannot serve profiles", "addr", addr, "err", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(ln, mux)
	slog.Info("profiles served", "addr", "http://"+addr+"/debug/pprof/")
}
