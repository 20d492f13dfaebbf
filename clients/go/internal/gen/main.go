// Command gen regenerates the Go client (tongpei/tongpei.gen.go) from the
// server's OpenAPI document: the document as api.OpenAPI serves it,
// prepared by internal/spec, through oapi-codegen at the version go.mod's
// tool directive pins. With -check it writes nothing and fails when the
// committed client differs from what it would generate, so CI notices a
// document change without `make client`. Run it from clients/go.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/clients/go/internal/spec"
)

const (
	config    = "oapi-codegen.yaml"
	generated = "tongpei/tongpei.gen.go"
)

func main() {
	check := flag.Bool("check", false, "fail if "+generated+" is not what the document generates; write nothing")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	if _, err := os.Stat(config); err != nil {
		return fmt.Errorf("run me from clients/go (no %s here): %w", config, err)
	}
	doc, err := api.OpenAPI()
	if err != nil {
		return err
	}
	prepared, err := spec.Prepare(doc)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "tongpei-client-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "openapi.json")
	if err := os.WriteFile(in, prepared, 0o644); err != nil {
		return err
	}
	out := generated
	if check {
		out = filepath.Join(tmp, "tongpei.gen.go")
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", config, "-o", out, in)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("oapi-codegen: %w", err)
	}
	if !check {
		return nil
	}
	want, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	have, err := os.ReadFile(generated)
	if err != nil {
		return err
	}
	if !bytes.Equal(have, want) {
		return fmt.Errorf("clients/go/%s is not what the OpenAPI document generates; run `make client` and commit the result", generated)
	}
	return nil
}
