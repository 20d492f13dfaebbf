// Package logs sets up the one slog handler every tongpei subcommand logs
// through, from TONGPEI_LOG_LEVEL and TONGPEI_LOG_FORMAT, so that `serve`,
// `plan` and the others write lines of the same shape.
package logs

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Formats a handler can write: text is key=value lines for a person at a
// terminal or journalctl, json one object per line for a log shipper.
const (
	FormatText = "text"
	FormatJSON = "json"
)

// New returns a logger writing to w at level ("debug", "info", "warn" or
// "error"; empty means info) in format (FormatText or FormatJSON; empty
// means text). A misspelt value is an error naming it rather than a silent
// default, so an operator who asked for debug logs learns why none appear.
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "", "info":
		lv = slog.LevelInfo
	case "debug":
		lv = slog.LevelDebug
	case "warn", "warning":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		return nil, fmt.Errorf("log level %q is not one of debug, info, warn, error (TONGPEI_LOG_LEVEL)", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", FormatText:
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case FormatJSON:
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q is not text or json (TONGPEI_LOG_FORMAT)", format)
}
